"""Data problems (file, row, field, message) and the strict CSV reader that reports them."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located precisely enough to fix it.

    ``row`` counts like a spreadsheet: the header is row 1, so the first data row is row 2.
    """

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.message}"


class DataError(Exception):
    """Raised when input data has problems; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(
            set(problems), key=lambda p: (p.file, p.row or 0, p.field or "", p.message)
        )
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path) -> str:
    """Repository-relative path for messages, e.g. "data/curated/citations.csv"; never absolute.

    A dataset copied elsewhere (tests) is shown relative to the folder holding its ``data/``.
    """
    from vndigital.paths import REPO

    resolved = path.resolve()
    if resolved.is_relative_to(REPO):
        return resolved.relative_to(REPO).as_posix()
    for parent in resolved.parents:
        if parent.name == "data":
            return resolved.relative_to(parent.parent).as_posix()
    return path.name


def row_number(index: int) -> int:
    """Spreadsheet row of a zero-based data index (header is row 1)."""
    return int(index) + 2


def read_csv_strict(path: Path, required: Sequence[str]) -> pd.DataFrame:
    """Read a CSV as text cells (no type guessing), or raise DataError naming what is wrong.

    Cells stay strings so that validation, not pandas, decides what a number is: "90,8" must be
    reported as a Vietnamese-formatted number, not silently become NaN or a string column.
    """
    name = display_path(path)
    if not path.exists():
        raise DataError([Problem(name, None, None, "file not found")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            [Problem(name, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
        ) from exc
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DataError(
            [
                Problem(
                    name, None, None, "file is empty; expected a header row: " + ", ".join(required)
                )
            ]
        )
    header = next(csv.reader(io.StringIO(text)))
    header_nfc = [unicodedata.normalize("NFC", h.strip()) for h in header]
    missing = [c for c in required if c not in header_nfc]
    # Most names absent means the first line is data, not a header (a data cell can equal a name).
    if len(missing) > len(required) / 2:
        raise DataError(
            [Problem(name, 1, None, "no header row; expected the columns: " + ", ".join(required))]
        )
    if missing:
        raise DataError(
            [Problem(name, 1, c, "required column is missing from the header") for c in missing]
        )
    frame = pd.read_csv(
        io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, skip_blank_lines=True
    )
    frame.columns = header_nfc
    return frame
