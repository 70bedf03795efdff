"""An article text file in, one candidate-fact row per numeric expression out (DataFrame or CSV).

Run as ``python -m vndigital.extract FILE`` to print the candidates of FILE as CSV.
"""

from __future__ import annotations

import sys
import unicodedata
from os import PathLike
from pathlib import Path

import pandas as pd

from vndigital.numbers import find_quantities

CANDIDATE_COLUMNS = [
    "line",
    "raw_text",
    "value",
    "unit",
    "qualifier",
    "numerator",
    "denominator",
    "part",
    "context",
]
CONTEXT_CHARS = 60
_NUMBER_COLUMNS = ("value", "numerator", "denominator")


def read_lines(path: str | PathLike[str]) -> list[str]:
    """Read a text file as NFC-normalized lines.

    Lines are split like ``vndigital.sources.read_source_lines`` so line numbers agree; line n
    is element n - 1.

    Args:
        path: The UTF-8 text file.

    Returns:
        The lines without their line endings.

    Raises:
        OSError: If the file cannot be opened.
        ValueError: If the file is not UTF-8; the message names the file.
    """
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    return unicodedata.normalize("NFC", text).splitlines()


def _context(line: str, start: int, end: int) -> str:
    """Up to CONTEXT_CHARS characters either side of a match, whitespace collapsed."""
    window = line[max(0, start - CONTEXT_CHARS) : end + CONTEXT_CHARS]
    return " ".join(window.split())


def extract_candidates(path: str | PathLike[str]) -> pd.DataFrame:
    """Find every numeric expression of an article.

    Args:
        path: The article as a UTF-8 text file.

    Returns:
        One row per quantity (a range gives one row per end) with CANDIDATE_COLUMNS; ``line`` is
        1-based, and numerator/denominator are NaN where they do not apply.
    """
    rows = []
    for number, line in enumerate(read_lines(path), start=1):
        for quantity in find_quantities(line):
            rows.append(
                {
                    "line": number,
                    "raw_text": quantity.raw_text,
                    "value": quantity.value,
                    "unit": quantity.unit,
                    "qualifier": quantity.qualifier,
                    "numerator": quantity.numerator,
                    "denominator": quantity.denominator,
                    "part": quantity.part,
                    "context": _context(line, quantity.start, quantity.end),
                }
            )
    candidates = pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)
    return candidates.astype({"line": "int64", **dict.fromkeys(_NUMBER_COLUMNS, "float64")})


def _format_number(value: float) -> str:
    """Six decimals at most, trailing zeros trimmed (90.8, not 90.80000000001); NaN is empty."""
    if pd.isna(value):
        return ""
    text = f"{round(value, 6):.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def to_csv_text(candidates: pd.DataFrame) -> str:
    """The candidates as CSV text with a header, numbers trimmed and "\\n" line endings."""
    table = candidates.copy()
    for column in _NUMBER_COLUMNS:
        table[column] = [_format_number(value) for value in table[column]]
    return table.to_csv(index=False, lineterminator="\n")


def main(argv: list[str] | None = None) -> int:
    """Print the candidates of one article as CSV on stdout.

    Args:
        argv: ``[FILE]``; defaults to the command-line arguments.

    Returns:
        0 on success, 2 on a usage error or an unreadable file (one line on stderr).
    """
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m vndigital.extract FILE", file=sys.stderr)
        return 2
    path = args[0]
    try:
        candidates = extract_candidates(path)
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = to_csv_text(candidates)
    # Write bytes so the output is UTF-8 whatever the terminal's locale.
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
