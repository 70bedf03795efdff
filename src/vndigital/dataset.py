"""Curated + reference tables -> data/processed/observations.csv, the one table every notebook reads."""

from __future__ import annotations

import calendar
import io
import os
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd

from vndigital import vocab
from vndigital.paths import DATA, DataPaths
from vndigital.problems import DataError
from vndigital.validate import read_curated, validate

OBSERVATION_COLUMNS = [
    "obs_id",
    "source_id",
    "source_file",
    "line",
    "raw_text",
    "value",
    "unit",
    "numerator",
    "denominator",
    "qualifier",
    "province",
    "province_name",
    "admin_level",
    "place",
    "period",
    "period_start",
    "period_end",
    "indicator",
    "kind",
    "grade",
    "citation_publisher",
    "citation_title",
    "citation_url",
    "citation_date",
    "note",
]
NUMERIC_COLUMNS = ["value", "numerator", "denominator"]


def period_bounds(period: str, published: str) -> tuple[str, str]:
    """ISO first and last day of a period; "as of publication" resolves to the publication date.

    Returns empty strings when the period is undated or the publication date is unknown.
    """
    if period == vocab.UNDATED:
        return "", ""
    if period == vocab.AS_OF_PUBLICATION:
        period = published
        if not period:
            return "", ""
    start, _, end = period.partition("/")
    return _first_day(start), _last_day(end or start)


def _first_day(date: str) -> str:
    parts = date.split("-")
    return "-".join(parts + ["01"] * (3 - len(parts)))


def _last_day(date: str) -> str:
    parts = date.split("-")
    if len(parts) == 1:
        return f"{parts[0]}-12-31"
    if len(parts) == 2:
        year, month = int(parts[0]), int(parts[1])
        return f"{date}-{calendar.monthrange(year, month)[1]:02d}"
    return date


def build_observations(paths: DataPaths = DATA) -> pd.DataFrame:
    """The processed table, in a stable order: articles (manifest order, line), then references."""
    data = read_curated(paths)
    catalog = data.indicators.set_index("indicator")
    manifest = data.manifest.set_index("source_id")
    citations = data.citations.set_index("citation_id")
    rows = []
    for source_id, group in data.articles.groupby("source_id", sort=False):
        source = manifest.loc[source_id]
        ordered = group.assign(_line=group["line"].astype(int)).sort_values("_line", kind="stable")
        counter: dict[int, int] = {}
        for obs in ordered.to_dict("records"):
            line = obs["_line"]
            counter[line] = counter.get(line, 0) + 1
            start, end = period_bounds(obs["period"], source["published"])
            rows.append(
                {
                    **obs,
                    "obs_id": f"{source_id}:{line}:{counter[line]}",
                    "source_file": source["file_name"],
                    "grade": source["grade"],
                    "citation_publisher": source["publisher"],
                    "citation_title": source["title"],
                    "citation_url": "",
                    "citation_date": source["published"],
                    "period_start": start,
                    "period_end": end,
                }
            )
    counter_ref: dict[str, int] = {}
    for obs in data.references.to_dict("records"):
        citation = citations.loc[obs["citation_id"]]
        counter_ref[obs["citation_id"]] = counter_ref.get(obs["citation_id"], 0) + 1
        start, end = period_bounds(obs["period"], "")
        rows.append(
            {
                **obs,
                "obs_id": f"{obs['citation_id']}:{counter_ref[obs['citation_id']]}",
                "source_id": obs["citation_id"],
                "source_file": "",
                "line": "",
                "raw_text": "",
                "citation_publisher": citation["publisher"],
                "citation_title": citation["title"],
                "citation_url": citation["url"],
                "citation_date": citation["published"],
                "period_start": start,
                "period_end": end,
            }
        )
    table = pd.DataFrame(rows)
    source_order = {sid: i for i, sid in enumerate(data.manifest["source_id"])}
    table["_source_rank"] = table["source_id"].map(source_order).fillna(len(source_order))
    table = table.sort_values("_source_rank", kind="stable")
    resolved = table["province"].map(lambda name: data.gazetteer.resolve(name))
    table["province"] = resolved.map(lambda p: p.id)
    table["province_name"] = resolved.map(lambda p: p.name)
    table["kind"] = table["indicator"].map(catalog["kind"])
    for column in NUMERIC_COLUMNS:
        table[column] = pd.to_numeric(table[column].replace("", None), errors="raise")
    table["line"] = pd.to_numeric(table["line"].replace("", None)).astype("Int64")
    for column in table.columns:
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
            table[column] = table[column].map(
                lambda v: unicodedata.normalize("NFC", v) if isinstance(v, str) else v
            )
    return table[OBSERVATION_COLUMNS].reset_index(drop=True)


def to_csv_text(table: pd.DataFrame) -> str:
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n", float_format="%.10g")
    return buffer.getvalue()


def write_atomic(path: Path, text: str) -> None:
    """Write beside the target and rename, so readers never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_observations(path: Path | None = None) -> pd.DataFrame:
    """The processed table with numeric columns typed (what notebooks and analysis read)."""
    path = path or DATA.observations
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in NUMERIC_COLUMNS:
        table[column] = pd.to_numeric(table[column].replace("", None))
    table["line"] = pd.to_numeric(table["line"].replace("", None)).astype("Int64")
    return table


def main(argv: list[str] | None = None) -> int:
    """`python -m vndigital data`: validate, then write the processed table (only if valid)."""
    report = validate(DATA)
    if report.problems:
        for problem in report.problems:
            print(problem)
        print(f"not built: {len(report.problems)} problem(s) in the input data")
        return 1
    try:
        table = build_observations(DATA)
    except DataError as error:
        print(error)
        return 1
    write_atomic(DATA.observations, to_csv_text(table))
    print(f"wrote {DATA.observations.relative_to(DATA.data.parent)}: {len(table)} observations")
    return 0
