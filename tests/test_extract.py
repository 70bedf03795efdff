"""Tests for the candidate-fact extractor: reading articles, candidate rows and the CSV command."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from vndigital.extract import CANDIDATE_COLUMNS, extract_candidates, main, read_lines

ARTICLE = "\n".join(
    [
        "Chuyển đổi số ở huyện X",
        "Cập nhật 07:41 - Thứ Hai, 10/10/2022",
        "Năm 2023, toàn huyện phát sinh 1.458/1.604 hồ sơ trực tuyến, đạt tỉ lệ 90,8%; "
        "tỉ lệ thanh toán trực tuyến đều đạt trên 80%.",
        "",
        "Tỉnh có gần 1,2 triệu thuê bao di động, đạt gần 115 thuê bao/100 dân.",
        "Mục tiêu đến năm 2025: 70-80% hộ có cáp quang; kinh phí    20 - 25 tỷ đồng.",
    ]
)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE + "\n", encoding="utf-8")
    return path


def test_read_lines_normalizes_to_nfc(tmp_path: Path) -> None:
    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", ARTICLE), encoding="utf-8")
    lines = read_lines(path)
    assert lines == ARTICLE.split("\n")
    assert all(unicodedata.is_normalized("NFC", line) for line in lines)


def test_read_lines_names_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("Tỉ lệ 90%".encode("utf-16"))
    with pytest.raises(ValueError, match=r"utf16\.txt"):
        read_lines(path)


def test_extract_candidates_rows(article: Path) -> None:
    candidates = extract_candidates(article)
    assert list(candidates.columns) == CANDIDATE_COLUMNS
    rows = list(candidates[["line", "raw_text", "unit", "qualifier", "part"]].itertuples(False))
    assert [tuple(row) for row in rows] == [
        (3, "1.458/1.604", "percent", "exact", "single"),
        (3, "90,8%", "percent", "exact", "single"),
        (3, "trên 80%", "percent", "lower_bound", "single"),
        (5, "gần 1,2 triệu", "", "approx", "single"),
        (5, "gần 115 thuê bao/100 dân", "per_100_inhabitants", "approx", "single"),
        (6, "70-80%", "percent", "target", "range_low"),
        (6, "70-80%", "percent", "target", "range_high"),
        (6, "20 - 25 tỷ đồng", "vnd_billion", "target", "range_low"),
        (6, "20 - 25 tỷ đồng", "vnd_billion", "target", "range_high"),
    ]
    assert candidates["value"].tolist() == pytest.approx(
        [100 * 1458 / 1604, 90.8, 80, 1_200_000, 115, 70, 80, 20, 25]
    )
    ratio = candidates.iloc[0]
    assert (ratio["numerator"], ratio["denominator"]) == (1458.0, 1604.0)
    assert candidates["numerator"].iloc[1:].isna().all()


def test_context_is_a_collapsed_window_of_the_line(article: Path) -> None:
    candidates = extract_candidates(article)
    lines = read_lines(article)
    for row in candidates.itertuples():
        collapsed_line = " ".join(lines[row.line - 1].split())
        assert row.raw_text in row.context and row.context in collapsed_line
        assert len(row.context) <= len(row.raw_text) + 2 * 60
    assert "   " not in candidates["context"].iloc[-1]


def test_extract_candidates_of_a_file_without_numbers(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("Chuyển đổi số bắt đầu từ nhận thức\n", encoding="utf-8")
    candidates = extract_candidates(path)
    assert candidates.empty and list(candidates.columns) == CANDIDATE_COLUMNS


def test_main_writes_csv(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(article)]) == 0
    output = capsys.readouterr().out
    assert "\r" not in output
    table = list(csv.DictReader(io.StringIO(output)))
    assert list(table[0]) == CANDIDATE_COLUMNS
    assert (table[0]["value"], table[0]["numerator"], table[0]["denominator"]) == (
        "90.897756",
        "1458",
        "1604",
    )
    assert (table[1]["raw_text"], table[1]["value"], table[1]["numerator"]) == ("90,8%", "90.8", "")
    assert table[3]["value"] == "1200000"
    frame = pd.read_csv(io.StringIO(output), keep_default_na=False)
    assert len(frame) == 9


def test_main_reports_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.txt"
    assert main([str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(missing) in captured.err and captured.err.count("\n") == 1


def test_main_reports_a_file_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"T\xff 90%\n")
    assert main([str(path)]) == 2
    assert "bad.txt" in capsys.readouterr().err


def test_main_needs_exactly_one_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage" in capsys.readouterr().err


def test_module_runs_as_a_command(article: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vndigital.extract", str(article)],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.decode("utf-8").startswith(",".join(CANDIDATE_COLUMNS) + "\n")
