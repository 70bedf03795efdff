"""Every validation problem: a bad file in, one clear message naming file, row and field out."""

from __future__ import annotations

import csv
import shutil
import unicodedata
from pathlib import Path

import pytest

from vndigital.paths import REPO, DataPaths, sources_dir
from vndigital.validate import validate

SOURCES = sources_dir()
needs_sources = pytest.mark.skipif(not SOURCES.is_dir(), reason="source articles not available")


@pytest.fixture
def dataset(tmp_path: Path) -> DataPaths:
    """A private copy of the committed data (processed output excluded)."""
    shutil.copytree(REPO / "data", tmp_path / "data", ignore=shutil.ignore_patterns("processed"))
    return DataPaths(tmp_path / "data")


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    if not SOURCES.is_dir():
        pytest.skip("source articles not available")
    copy = tmp_path / "sources"
    shutil.copytree(SOURCES, copy)
    return copy


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def set_cell(path: Path, row: int, field: str, value: str) -> None:
    """Change one cell; `row` counts like a spreadsheet (header = 1)."""
    header, rows = read_rows(path)
    rows[row - 2][field] = value
    write_rows(path, header, rows)


def find_row(path: Path, **match: str) -> int:
    _, rows = read_rows(path)
    for index, row in enumerate(rows):
        if all(row[k] == v for k, v in match.items()):
            return index + 2
    raise AssertionError(f"no row matching {match} in {path}")


def assert_problem(report, file: str, row: int | None, field: str | None, words: str) -> None:
    for problem in report.problems:
        if (
            problem.file == file
            and problem.row == row
            and problem.field == field
            and words in problem.message
        ):
            text = str(problem)
            assert (
                file in text
                and (row is None or f"row {row}" in text)
                and (field is None or field in text)
            )
            return
    listing = "\n".join(str(p) for p in report.problems) or "(no problems)"
    raise AssertionError(
        f"expected a problem at {file} row {row} field {field} with {words!r}; got:\n{listing}"
    )


ARTICLES = "data/curated/article_observations.csv"
REFERENCES = "data/curated/reference_observations.csv"


def test_the_committed_data_is_valid(dataset, sources):
    report = validate(dataset, sources)
    assert report.problems == [], "\n".join(map(str, report.problems))
    assert report.sources.available


def test_without_sources_the_provenance_checks_say_they_were_skipped(dataset, tmp_path):
    report = validate(dataset, tmp_path / "no-such-folder")
    assert report.problems == []
    assert not report.sources.available
    assert "skipped" in report.sources.describe() and "not found" in report.sources.describe()


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("province", "Atlantis", "unknown province"),
        ("indicator", "happiness_index", "unknown indicator"),
        ("value", "90,8", "Vietnamese number format"),
        ("value", "lots", "not a number"),
        ("qualifier", "roughly", "unknown qualifier"),
        ("admin_level", "hamlet", "unknown admin_level"),
        ("period", "last year", "not a period"),
        ("place", unicodedata.normalize("NFD", "xã Như Cố"), "not Unicode NFC"),
        ("unit", "furlongs", "unknown unit"),
    ],
)
def test_bad_cell_in_an_article_row(dataset, field, value, words):
    row = 2
    set_cell(dataset.article_observations, row, field, value)
    assert_problem(validate(dataset, Path("/nonexistent")), ARTICLES, row, field, words)


def test_vietnamese_thousands_in_a_count(dataset):
    row = find_row(dataset.article_observations, unit="count")
    set_cell(dataset.article_observations, row, "value", "1.458")
    assert_problem(validate(dataset, Path("/nonexistent")), ARTICLES, row, "value", "write 1458")


def test_percent_outside_0_100(dataset):
    row = find_row(dataset.article_observations, unit="percent", numerator="")
    set_cell(dataset.article_observations, row, "value", "130")
    assert_problem(validate(dataset, Path("/nonexistent")), ARTICLES, row, "value", "outside 0–100")


def test_numerator_greater_than_denominator(dataset):
    row = find_row(dataset.article_observations, raw_text="90,8%")
    set_cell(dataset.article_observations, row, "numerator", "1700")
    assert_problem(
        validate(dataset, Path("/nonexistent")),
        ARTICLES,
        row,
        "numerator",
        "greater than denominator",
    )


def test_value_differs_from_numerator_over_denominator(dataset):
    row = find_row(dataset.article_observations, raw_text="90,8%")
    set_cell(dataset.article_observations, row, "denominator", "1800")
    assert_problem(
        validate(dataset, Path("/nonexistent")), ARTICLES, row, "value", "numerator/denominator"
    )


def test_duplicate_observation(dataset):
    header, rows = read_rows(dataset.article_observations)
    rows.append(dict(rows[0]))
    write_rows(dataset.article_observations, header, rows)
    assert_problem(
        validate(dataset, Path("/nonexistent")),
        ARTICLES,
        len(rows) + 1,
        "indicator",
        "duplicate of row 2",
    )


def test_missing_citation(dataset):
    set_cell(dataset.reference_observations, 2, "citation_id", "no-such-citation")
    assert_problem(
        validate(dataset, Path("/nonexistent")), REFERENCES, 2, "citation_id", "missing citation"
    )


def test_citation_without_publisher(dataset):
    set_cell(dataset.citations, 2, "publisher", "")
    assert_problem(
        validate(dataset, Path("/nonexistent")),
        "data/curated/citations.csv",
        2,
        "publisher",
        "must not be empty",
    )


def test_reference_grade_must_be_known(dataset):
    set_cell(dataset.reference_observations, 2, "grade", "A")
    assert_problem(validate(dataset, Path("/nonexistent")), REFERENCES, 2, "grade", "unknown grade")


@needs_sources
def test_cited_line_without_the_number(dataset, sources):
    row = find_row(dataset.article_observations, raw_text="90,8%")
    _, rows = read_rows(dataset.article_observations)
    set_cell(dataset.article_observations, row, "line", str(int(rows[row - 2]["line"]) + 1))
    assert_problem(validate(dataset, sources), ARTICLES, row, "raw_text", "is not on line")


@needs_sources
def test_extractor_reads_another_value(dataset, sources):
    row = find_row(dataset.article_observations, raw_text="90,8%")
    set_cell(dataset.article_observations, row, "value", "90.7")
    set_cell(dataset.article_observations, row, "numerator", "")
    set_cell(dataset.article_observations, row, "denominator", "")
    assert_problem(validate(dataset, sources), ARTICLES, row, "value", "reads '90,8%' as 90.8")


@needs_sources
def test_source_hash_mismatch(dataset, sources):
    _, manifest = read_rows(dataset.manifest)
    changed = sources / manifest[0]["file_name"]
    changed.write_bytes(changed.read_bytes() + b"\nedited")
    assert_problem(
        validate(dataset, sources), "data/sources/manifest.csv", 2, "sha256", "has changed"
    )


@needs_sources
def test_a_number_neither_curated_nor_excluded_is_reported(dataset, sources):
    header, rows = read_rows(dataset.excluded_numbers)
    dropped = rows.pop(0)
    write_rows(dataset.excluded_numbers, header, rows)
    report = validate(dataset, sources)
    assert any(
        p.file == "data/curated/excluded_numbers.csv"
        and "neither an observation" in p.message
        and f"line {dropped['line']}" in p.message
        for p in report.problems
    ), "\n".join(map(str, report.problems))


def test_empty_file(dataset):
    dataset.citations.write_text("", encoding="utf-8")
    assert_problem(
        validate(dataset, Path("/nonexistent")),
        "data/curated/citations.csv",
        None,
        None,
        "file is empty",
    )


def test_headerless_file(dataset):
    lines = dataset.reference_observations.read_text(encoding="utf-8").splitlines(keepends=True)
    dataset.reference_observations.write_text("".join(lines[1:]), encoding="utf-8")
    assert_problem(validate(dataset, Path("/nonexistent")), REFERENCES, 1, None, "no header row")


def test_missing_column(dataset):
    header, rows = read_rows(dataset.article_observations)
    header.remove("qualifier")
    for row in rows:
        row.pop("qualifier")
    write_rows(dataset.article_observations, header, rows)
    assert_problem(
        validate(dataset, Path("/nonexistent")),
        ARTICLES,
        1,
        "qualifier",
        "required column is missing",
    )


def test_unknown_province_in_the_gazetteer_file_is_reported(dataset):
    text = dataset.provinces.read_text(encoding="utf-8")
    dataset.provinces.write_text(text.replace(",06,", ",6x,", 1), encoding="utf-8")
    report = validate(dataset, Path("/nonexistent"))
    assert any(
        p.file == "data/reference/provinces.csv" and "gso_code" in p.message
        for p in report.problems
    )


def test_validate_command_exits_nonzero_and_names_the_problem(dataset, tmp_path):
    import os
    import subprocess
    import sys

    set_cell(dataset.article_observations, 2, "value", "90,8")
    result = subprocess.run(
        [sys.executable, "-m", "vndigital", "validate"],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "VNDIGITAL_DATA": str(dataset.data),
            "VNDIGITAL_SOURCES": str(tmp_path / "none"),
        },
        check=False,
    )
    assert result.returncode == 1
    assert "data/curated/article_observations.csv, row 2, field 'value'" in result.stdout
    assert "validation failed" in result.stdout
