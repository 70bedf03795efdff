"""Every path the project reads or writes, in one place (no path literals elsewhere)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCES_ENV = "VNDIGITAL_SOURCES"
DATA_ENV = "VNDIGITAL_DATA"


@dataclass(frozen=True)
class DataPaths:
    """The data files of one dataset; tests point this at a copy under a temporary directory."""

    data: Path

    @property
    def manifest(self) -> Path:
        return self.data / "sources" / "manifest.csv"

    @property
    def article_observations(self) -> Path:
        return self.data / "curated" / "article_observations.csv"

    @property
    def reference_observations(self) -> Path:
        return self.data / "curated" / "reference_observations.csv"

    @property
    def citations(self) -> Path:
        return self.data / "curated" / "citations.csv"

    @property
    def excluded_numbers(self) -> Path:
        return self.data / "curated" / "excluded_numbers.csv"

    @property
    def provinces(self) -> Path:
        return self.data / "reference" / "provinces.csv"

    @property
    def indicators(self) -> Path:
        return self.data / "reference" / "indicators.csv"

    @property
    def observations(self) -> Path:
        return self.data / "processed" / "observations.csv"

    def inputs(self) -> list[Path]:
        """The curated and reference files the processed table is built from."""
        return [
            self.manifest,
            self.article_observations,
            self.reference_observations,
            self.citations,
            self.excluded_numbers,
            self.provinces,
            self.indicators,
        ]


def data_paths() -> DataPaths:
    """The dataset in use: $VNDIGITAL_DATA (synthetic benchmarks, tests) or the repository's data/."""
    configured = os.environ.get(DATA_ENV)
    return DataPaths(Path(configured) if configured else REPO / "data")


DATA = data_paths()


def sources_dir() -> Path:
    """Directory holding the (uncommitted, copyrighted) article texts: $VNDIGITAL_SOURCES or ../shared/sources."""
    configured = os.environ.get(SOURCES_ENV)
    return Path(configured) if configured else REPO.parent / "shared" / "sources"
