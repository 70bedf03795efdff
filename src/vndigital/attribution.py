"""Manifest + citations -> data/ATTRIBUTION.md: who published each source, where and when."""

from __future__ import annotations

import pandas as pd

from vndigital.paths import REPO, DataPaths, data_paths
from vndigital.sources import load_manifest

ATTRIBUTION = REPO / "data" / "ATTRIBUTION.md"


def _cell(text: str) -> str:
    return (text or "–").replace("|", "\\|").replace("\n", " ")


def attribution_markdown(paths: DataPaths) -> str:
    """The attribution note, generated so it can never drift from the data it describes."""
    manifest = load_manifest(paths.manifest)
    citations = pd.read_csv(paths.citations, dtype=str, keep_default_na=False)
    references = pd.read_csv(paths.reference_observations, dtype=str, keep_default_na=False)
    lines = [
        "# Attribution of sources and reference data",
        "",
        "Generated from `data/sources/manifest.csv` and `data/curated/citations.csv` by",
        "`make attribution`; a test keeps it current. The figures in `data/` are facts taken from the",
        "publications below, each cited with its publisher, address, date and grade (P primary,",
        "S secondary, D derived). No prose of these publications is reproduced here.",
        "",
        "## Source articles (copyrighted; not in this repository)",
        "",
        "The texts are read from `$VNDIGITAL_SOURCES` (default `../shared/sources`) and pinned by sha256.",
        "Publisher, title and date are given as the text shows them; '–' where it shows none.",
        "",
        "| id | publisher | title | published | author | province | grade | file | sha256 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in manifest.itertuples(index=False):
        lines.append(
            f"| {row.source_id} | {_cell(row.publisher)} | {_cell(row.title)} | {_cell(row.published)} "
            f"| {_cell(row.author)} | {row.focus_province} | {row.grade} | `{row.file_name}` | `{row.sha256[:16]}…` |"
        )
    lines += [
        "",
        "## Reference data",
        "",
        "| id | publisher | title | published | address | figures | grades |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in citations.itertuples(index=False):
        used = references[references["citation_id"] == row.citation_id]
        grades = "/".join(sorted(set(used["grade"]))) or "–"
        lines.append(
            f"| {row.citation_id} | {_cell(row.publisher)} | {_cell(row.title)} | {_cell(row.published)} "
            f"| {row.url} | {len(used)} | {grades} |"
        )
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`python -m vndigital attribution`: write data/ATTRIBUTION.md."""
    ATTRIBUTION.write_text(attribution_markdown(data_paths()), encoding="utf-8")
    print(f"wrote {ATTRIBUTION.relative_to(REPO)}")
    return 0
