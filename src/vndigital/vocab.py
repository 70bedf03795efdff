"""Controlled vocabularies of the data model (one place, used by validation, analysis and docs)."""

from __future__ import annotations

import re

QUALIFIERS = ("exact", "approx", "lower_bound", "upper_bound", "target")
ADMIN_LEVELS = ("province", "district", "commune", "village")
UNITS = (
    "percent",
    "count",
    "vnd_billion",
    "persons",
    "km2",
    "per_100_inhabitants",
    "rank",
    "points",
    "count_per_day",
)
GRADES = ("P", "S", "D")
KINDS = ("adoption", "infrastructure", "capacity", "budget", "composite_index", "context")
DIRECTIONS = ("higher_is_better", "lower_is_better", "neutral")
LANGUAGES = ("vi", "en")

AS_OF_PUBLICATION = "as-of-publication"
UNDATED = "undated"
_DATE = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?"
PERIOD_PATTERN = re.compile(rf"^(?:{_DATE}(?:/{_DATE})?|{AS_OF_PUBLICATION}|{UNDATED})$")
ISO_DATE_PATTERN = re.compile(rf"^{_DATE}$")
