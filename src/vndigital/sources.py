"""Source manifest (data/sources/manifest.csv) and the article texts it pins by sha256."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from vndigital.paths import sources_dir
from vndigital.problems import DataError, Problem, display_path, read_csv_strict, row_number

MANIFEST_COLUMNS = [
    "source_id",
    "file_name",
    "publisher",
    "title",
    "published",
    "date_note",
    "author",
    "focus_province",
    "language",
    "grade",
    "sha256",
]


@dataclass(frozen=True)
class SourceStatus:
    """Whether the article texts could be checked, and why not when they could not."""

    directory: Path
    available: bool
    reason: str

    def describe(self) -> str:
        if self.available:
            return f"sources read from {self.directory.name}/ (set VNDIGITAL_SOURCES to change)"
        return f"provenance checks skipped: {self.reason}"


def load_manifest(path: Path) -> pd.DataFrame:
    """The manifest as text cells, indexed like the file (row 2 = first data row)."""
    return read_csv_strict(path, MANIFEST_COLUMNS)


def source_status(directory: Path | None = None) -> SourceStatus:
    directory = directory or sources_dir()
    if not directory.is_dir():
        return SourceStatus(
            directory,
            False,
            f"sources directory '{directory.name}' not found "
            "(the article texts are not committed; set VNDIGITAL_SOURCES to their folder)",
        )
    return SourceStatus(directory, True, "")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_source_files(
    manifest: pd.DataFrame, manifest_path: Path, directory: Path
) -> list[Problem]:
    """Every listed article exists in ``directory`` with the pinned hash and is UTF-8."""
    problems = []
    name = display_path(manifest_path)
    for index, entry in manifest.iterrows():
        text_path = directory / entry["file_name"]
        row = row_number(index)
        if not text_path.is_file():
            problems.append(
                Problem(
                    name,
                    row,
                    "file_name",
                    f"source text {entry['file_name']} not found in the sources directory",
                )
            )
            continue
        actual = sha256_of(text_path)
        if actual != entry["sha256"]:
            problems.append(
                Problem(
                    name,
                    row,
                    "sha256",
                    f"source text {entry['file_name']} has changed: sha256 is {actual[:12]}…, "
                    f"manifest pins {entry['sha256'][:12]}…; review the text, then update the manifest",
                )
            )
            continue
        try:
            text_path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            problems.append(
                Problem(name, row, "file_name", f"source text {entry['file_name']} is not UTF-8")
            )
    return problems


def read_source_lines(directory: Path, file_name: str) -> list[str]:
    """Lines of an article, NFC-normalized; line n is element n - 1."""
    path = directory / file_name
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            [Problem(file_name, None, None, f"source text is not UTF-8 ({exc.reason})")]
        ) from exc
    return unicodedata.normalize("NFC", text).splitlines()
