"""Publishing is all or nothing: failures and interruptions leave the reports folder exactly as it was."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vndigital.dataset import build_observations, to_csv_text
from vndigital.paths import REPO, DataPaths

pytestmark = pytest.mark.slow


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_reports(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vndigital", "reports", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=600,
    )


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A copy of the published reports to build into."""
    out = tmp_path / "reports"
    shutil.copytree(REPO / "reports", out)
    return out


def test_a_failing_notebook_names_itself_and_publishes_nothing(tmp_path, published):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(REPO / "notebooks", notebooks)
    broken = notebooks / "30_investment_outcomes.py"
    broken.write_text(
        broken.read_text(encoding="utf-8")
        + '\n# %%\nraise RuntimeError("deliberately broken for a test")\n',
        encoding="utf-8",
    )
    before = tree_digest(published)
    result = run_reports("--out", str(published), env={"VNDIGITAL_NOTEBOOKS": str(notebooks)})
    assert result.returncode == 1
    message = result.stderr
    assert "investment-vi" in message or "investment-en" in message
    assert "notebooks/30_investment_outcomes.py" in message
    assert "parameters" in message and "lang=" in message
    assert "failed in cell" in message and "RuntimeError" in message
    assert "unchanged" in message
    assert tree_digest(published) == before
    assert not list(published.parent.glob(".reports.staging-*"))
    assert list((REPO / "build" / "failed").glob("investment-*.ipynb"))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_an_interrupted_build_publishes_nothing(published, signum):
    before = tree_digest(published)
    process = subprocess.Popen(
        [sys.executable, "-m", "vndigital", "reports", "--out", str(published), "--force"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Wait until the build is really under way (reports announced), then interrupt it.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("building"):
            break
    time.sleep(4)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode != 0
    assert "interrupted" in stderr and "unchanged" in stderr
    assert tree_digest(published) == before
    assert not list(published.parent.glob(".reports.staging-*"))


def test_a_script_in_a_data_field_is_rendered_as_text(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("processed"))
    curated = data / "curated" / "article_observations.csv"
    text = curated.read_text(encoding="utf-8")
    payload = "<script>alert(1)</script>"
    curated.write_text(
        text.replace("phường Sông Cầu", f"phường Sông Cầu {payload}", 1), encoding="utf-8"
    )
    paths = DataPaths(data)
    paths.observations.parent.mkdir(parents=True)
    paths.observations.write_text(to_csv_text(build_observations(paths)), encoding="utf-8")
    out = tmp_path / "reports"
    result = run_reports(
        "--out", str(out), "--only", "profile", "--lang", "vi",
        env={"VNDIGITAL_DATA": str(data), "VNDIGITAL_SOURCES": str(tmp_path / "none")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    page = (out / "html" / "profile-bac-kan-vi.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page
