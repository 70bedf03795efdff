"""SYNTHETIC dataset of N generated provinces, for scale benchmarks only — never for published reports.

The generated folder has the same layout as data/ (manifest, curated tables, gazetteer, catalog,
processed table), so the real pipeline and notebooks run on it unchanged. Every name says it is
synthetic ("Tỉnh Mẫu 07"), and it is written outside reports/.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import numpy as np

from vndigital.dataset import build_observations, to_csv_text
from vndigital.gazetteer import COLUMNS as PROVINCE_COLUMNS
from vndigital.paths import DATA, DataPaths
from vndigital.sources import MANIFEST_COLUMNS
from vndigital.validate import (
    ARTICLE_COLUMNS,
    CITATION_COLUMNS,
    EXCLUDED_COLUMNS,
    REFERENCE_COLUMNS,
)

REGIONS = [
    ("Đồng bằng sông Hồng", "Red River Delta"),
    ("Tây Nguyên", "Central Highlands"),
    ("Đông Nam Bộ", "Southeast"),
]
# Citations the notebooks cite by id, kept so every report renders.
KEPT_CITATIONS = ("nq-202-2025-qh15-secondary",)


def _write(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def generate(folder: Path, n: int, seed: int = 20251) -> DataPaths:
    """Write a synthetic dataset of `n` provinces (1 ≤ n ≤ 63) under `folder`/data."""
    if not 1 <= n <= 63:
        raise ValueError("n must be between 1 and 63")
    rng = np.random.default_rng(seed)
    data = folder / "data"
    shutil.rmtree(data, ignore_errors=True)
    paths = DataPaths(data)
    ids = [f"synthetic-{i:02d}" for i in range(1, n + 1)]
    provinces = []
    for i, pid in enumerate(ids, start=1):
        region, region_en = REGIONS[i % len(REGIONS)]
        provinces.append(
            {
                "id": pid,
                "name": f"Tỉnh Mẫu {i:02d}",
                "name_en": f"Synthetic Province {i:02d}",
                "name_ascii": f"Tinh Mau {i:02d}",
                "gso_code": f"{i:02d}",
                "region": region,
                "region_en": region_en,
                "aliases": "",
                "successor_2025": pid,
                "successor_2025_name": f"Tỉnh Mẫu {i:02d}",
                **{c: "" for c in PROVINCE_COLUMNS[10:]},
            }
        )
    _write(paths.provinces, PROVINCE_COLUMNS, provinces)
    manifest, articles, references = [], [], []
    ranks = {year: rng.permutation(n) + 1 for year in (2020, 2021, 2022)}
    for i, pid in enumerate(ids):
        name = provinces[i]["name"]
        text = f"synthetic article {pid}".encode()
        manifest.append(
            {
                "source_id": f"syn-{pid}",
                "file_name": f"{pid}.txt",
                "publisher": "SYNTHETIC",
                "title": f"Bài mẫu tổng hợp {name}",
                "published": "2024-01-01",
                "date_note": "synthetic",
                "author": "",
                "focus_province": name,
                "language": "vi",
                "grade": "S",
                "sha256": hashlib.sha256(text).hexdigest(),
            }
        )
        rate = round(float(rng.uniform(40, 99)), 1)
        accounts = int(rng.integers(1000, 200000))
        articles += [
            _article(
                pid,
                name,
                3,
                f"{rate}".replace(".", ",") + "%",
                rate,
                "percent",
                "online_dossier_rate",
                "2023",
            ),
            _article(
                pid,
                name,
                4,
                f"{accounts:,}".replace(",", "."),
                accounts,
                "count",
                "dvc_accounts",
                "as-of-publication",
            ),
        ]
        for year in (2020, 2021, 2022):
            references.append(
                _reference(name, "dti_rank", year, int(ranks[year][i]), "rank", denominator=63)
            )
        references.append(
            _reference(name, "population", 2022, int(rng.integers(300_000, 2_000_000)), "persons")
        )
        if i % 2 == 0:
            for year in (2018, 2019, 2020, 2021):
                references.append(
                    _reference(name, "dt_budget", year, int(rng.integers(10, 200)), "vnd_billion")
                )
    _write(paths.manifest, MANIFEST_COLUMNS, manifest)
    _write(paths.article_observations, ARTICLE_COLUMNS, articles)
    _write(paths.reference_observations, REFERENCE_COLUMNS, references)
    _write(paths.excluded_numbers, EXCLUDED_COLUMNS, [])
    citations = [
        {
            "citation_id": "synthetic",
            "publisher": "SYNTHETIC",
            "title": "Synthetic benchmark data",
            "url": "https://example.invalid/synthetic",
            "published": "2024-01-01",
            "note": "generated",
        },
    ]
    with DATA.citations.open(encoding="utf-8") as handle:
        citations += [row for row in csv.DictReader(handle) if row["citation_id"] in KEPT_CITATIONS]
    _write(paths.citations, CITATION_COLUMNS, citations)
    shutil.copyfile(DATA.indicators, paths.indicators)
    paths.observations.parent.mkdir(parents=True, exist_ok=True)
    paths.observations.write_text(to_csv_text(build_observations(paths)), encoding="utf-8")
    return paths


def _article(pid, name, line, raw, value, unit, indicator, period) -> dict:
    return {
        "source_id": f"syn-{pid}",
        "line": str(line),
        "raw_text": raw,
        "value": f"{value}",
        "unit": unit,
        "numerator": "",
        "denominator": "",
        "qualifier": "exact",
        "province": name,
        "admin_level": "province",
        "place": f"tỉnh {name}",
        "period": period,
        "indicator": indicator,
        "note": "synthetic",
    }


def _reference(name, indicator, year, value, unit, denominator=None) -> dict:
    return {
        "citation_id": "synthetic",
        "indicator": indicator,
        "province": name,
        "admin_level": "province",
        "place": f"tỉnh {name}",
        "period": str(year),
        "value": str(value),
        "unit": unit,
        "numerator": "",
        "denominator": "" if denominator is None else str(denominator),
        "qualifier": "exact",
        "grade": "S",
        "note": "synthetic",
    }
