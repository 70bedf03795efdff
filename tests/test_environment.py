"""The conda description, the top-level requirements and the hashed lock describe one environment."""

from __future__ import annotations

import re

import yaml

from vndigital.paths import REPO


def _requirements_in() -> set[str]:
    names = set()
    for line in (REPO / "requirements.in").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(re.split(r"[<>=\[ ]", line, maxsplit=1)[0].lower())
    return names


def _lock() -> dict[str, str]:
    pins = {}
    for match in re.finditer(
        r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", (REPO / "requirements.txt").read_text(), re.M
    ):
        pins[match.group(1).lower()] = match.group(2)
    return pins


def _conda() -> dict[str, str]:
    spec = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    pins = {}
    for dependency in spec["dependencies"]:
        name, _, version = dependency.partition("=")
        pins[name.strip().lower()] = version.strip()
    return pins


def test_every_lock_line_is_hashed():
    text = (REPO / "requirements.txt").read_text()
    pinned = re.findall(r"^[A-Za-z0-9_.\-]+==\S+", text, re.M)
    assert pinned, "the lock pins nothing"
    assert text.count("--hash=sha256:") >= len(pinned)


def test_conda_environment_matches_the_lock_top_level():
    conda = _conda()
    lock = _lock()
    top_level = _requirements_in()
    assert set(conda) - {"python"} == top_level
    for name in sorted(top_level):
        assert conda[name] == lock[name], (
            f"{name}: environment.yml has {conda[name]}, lock has {lock[name]}"
        )


def test_conda_python_matches_the_project():
    assert _conda()["python"] == "3.11"
    assert '">=3.11,<3.12"' in (REPO / "pyproject.toml").read_text()


def test_pre_commit_configuration_is_valid():
    import subprocess
    import sys
    from pathlib import Path

    pre_commit = Path(sys.executable).parent / "pre-commit"
    result = subprocess.run(
        [str(pre_commit), "validate-config", ".pre-commit-config.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
