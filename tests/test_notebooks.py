"""Notebooks: text form with one literal parameters cell, no outputs in git, checked parameters, runnable."""

from __future__ import annotations

import subprocess
import sys

import pytest

from vndigital.paths import REPO
from vndigital.pipeline import declared_parameters, notebook_node

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.py"))


def run_notebook(notebook: str, *parameters: tuple[str, str]) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "vndigital", "run", f"notebooks/{notebook}"]
    for name, value in parameters:
        args += ["-p", name, value]
    return subprocess.run(args, capture_output=True, text=True, cwd=REPO, check=False, timeout=300)


def test_there_are_four_notebooks():
    assert [p.name for p in NOTEBOOKS] == [
        "10_province_profile.py",
        "20_province_comparison.py",
        "30_investment_outcomes.py",
        "40_data_methods.py",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exactly_one_parameters_cell_of_literals(path):
    nb = notebook_node(path.name)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    parameters = declared_parameters(nb)
    assert parameters["lang"] == "vi"
    assert all(isinstance(v, str | int | float | bool) for v in parameters.values())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_text_notebooks_carry_no_outputs_or_version_stamps(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ---\n# jupyter:")
    assert "jupytext_version" not in text
    assert "execution_count" not in text and '"outputs"' not in text


def test_no_ipynb_is_committed():
    tracked = subprocess.run(
        ["git", "ls-files", "*.ipynb"], capture_output=True, text=True, cwd=REPO, check=True
    ).stdout.split()
    assert tracked == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("parameters", "words"),
    [
        ((("province", "Hà Nội"), ("lang", "vi")), "not a study province"),
        ((("province", "Atlantis"),), "unknown province"),
        ((("lang", "fr"),), "unknown lang 'fr'"),
        ((("provnce", "Bắc Kạn"),), "unknown parameter(s) 'provnce'"),
    ],
    ids=["not-a-study-province", "unknown-province", "unknown-lang", "misspelt-name"],
)
def test_bad_parameters_fail_before_any_analysis(parameters, words):
    result = run_notebook("10_province_profile.py", *parameters)
    assert result.returncode == 1
    assert words in result.stderr
    assert "Bắc Kạn" in result.stderr or "valid" in result.stderr


@pytest.mark.slow
def test_an_ascii_spelling_of_a_province_works():
    result = run_notebook("10_province_profile.py", ("province", "Bac Kan"), ("lang", "en"))
    assert result.returncode == 0, result.stderr[-2000:]
    html = (REPO / "build" / "run" / "run-10_province_profile.html").read_text(encoding="utf-8")
    assert "Bắc Kạn" in html


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_runs_from_its_text_form_on_default_parameters(path):
    result = run_notebook(path.name)
    assert result.returncode == 0, result.stderr[-2000:]
