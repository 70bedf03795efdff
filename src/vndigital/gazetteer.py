"""Province gazetteer: provinces.csv in; canonical provinces, name lookup, 2025 successors out."""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

STUDY_PROVINCES: tuple[str, ...] = ("binh-phuoc", "bac-kan", "dien-bien", "phu-yen")
"""Ids of the four study provinces, in report order."""

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "reference" / "provinces.csv"
"""The reviewed gazetteer file, found relative to this module (src/vndigital/ -> data/reference)."""

COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "name_en",
    "name_ascii",
    "gso_code",
    "region",
    "region_en",
    "aliases",
    "successor_2025",
    "successor_2025_name",
    "population",
    "population_year",
    "population_grade",
    "population_citation_id",
    "area_km2",
    "area_grade",
    "area_citation_id",
)
"""Columns of provinces.csv, in file order."""

_REQUIRED = (
    "id",
    "name",
    "name_en",
    "name_ascii",
    "gso_code",
    "region",
    "region_en",
    "successor_2025",
    "successor_2025_name",
)
_ALIAS_SEPARATOR = ";"
_GRADES = frozenset({"P", "S", "D"})
_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_GSO_RE = re.compile(r"[0-9]{2}")
_NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_YEAR_RE = re.compile(r"[0-9]{4}")
# Administrative prefixes, with or without diacritics; \b keeps "TPHCM" whole.
_PREFIX_RE = re.compile(r"^\s*(?:t[iỉ]nh|th[aà]nh\s+ph[oố]|tp|province|city)\b\.?\s*")
_NON_KEY_RE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Province:
    """One pre-2025 provincial unit of Vietnam (63 in all).

    Missing text is "" and missing numbers are None; population and area are filled in for the
    study provinces only.

    Attributes:
        id: Canonical lowercase ASCII slug, e.g. "bac-kan".
        name: Official Vietnamese name (NFC) without "tỉnh"/"thành phố", e.g. "Bắc Kạn".
        name_en: Usual English name, e.g. "Ho Chi Minh City".
        name_ascii: ``name`` without diacritics, e.g. "Bac Kan".
        gso_code: Two-digit GSO administrative code as a string, e.g. "06".
        region: GSO socio-economic region, in Vietnamese.
        region_en: The same region in English.
        successor_2025: Id of the unit this province belongs to after the 2025 merger.
        successor_2025_name: Vietnamese name of that unit.
        population: Population (persons), or None.
        population_year: Reference year of ``population``, or None.
        population_grade: Source grade of ``population``: "P", "S", "D" or "".
        population_citation_id: Citation id for ``population``, or "".
        area_km2: Area in km², or None.
        area_grade: Source grade of ``area_km2``: "P", "S", "D" or "".
        area_citation_id: Citation id for ``area_km2``, or "".
        aliases: Extra reviewed spellings that resolve to this province.
    """

    id: str
    name: str
    name_en: str
    name_ascii: str
    gso_code: str
    region: str
    region_en: str
    successor_2025: str
    successor_2025_name: str
    population: float | None
    population_year: int | None
    population_grade: str
    population_citation_id: str
    area_km2: float | None
    area_grade: str
    area_citation_id: str
    aliases: tuple[str, ...] = ()

    def spellings(self) -> tuple[str, ...]:
        """Return every spelling that resolves to this province.

        Returns:
            The id, GSO code, Vietnamese, English and ASCII names, then the aliases.
        """
        return (self.id, self.gso_code, self.name, self.name_en, self.name_ascii, *self.aliases)


class UnknownProvinceError(ValueError, KeyError):
    """A name or id that the gazetteer does not know.

    It is a ``KeyError`` too, so ``Gazetteer.get`` behaves like a mapping lookup.

    Attributes:
        name: The name or id that was looked up.
        suggestions: Up to three close known names (or ids, for ``Gazetteer.get``).
    """

    def __init__(self, name: str, suggestions: Iterable[str] = (), *, kind: str = "name") -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        message = f"unknown province {kind} {name!r}"
        if self.suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(message)

    def __str__(self) -> str:
        # KeyError would print the repr of the message; show it plainly.
        return str(self.args[0])


def name_key(text: str) -> str:
    """Reduce a province spelling to the key used for matching.

    The text is NFC-normalised (so NFD input gives the same key), a leading "tỉnh", "thành phố",
    "tp.", "tp", "province" or "city" word is removed, and the rest is casefolded, stripped of
    diacritics (đ -> d) and of everything that is not a-z or 0-9.

    Args:
        text: Any spelling, e.g. "tỉnh Bắc Kạn", "bac-kan" or "TP. Hồ Chí Minh".

    Returns:
        The key, e.g. "backan" or "hochiminh"; "" if nothing is left.
    """
    folded = unicodedata.normalize("NFC", text).casefold()
    folded = _PREFIX_RE.sub("", folded, count=1).replace("đ", "d")
    # NFD splits letters from their tone and vowel marks, which are then dropped.
    bare = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return _NON_KEY_RE.sub("", bare)


def _row_error(source: object, row: int, field: str, problem: str) -> ValueError:
    return ValueError(f"{source}: row {row}, field {field!r}: {problem}")


class Gazetteer:
    """The 63 pre-2025 provinces, with lookup by any known spelling.

    Build it with ``Gazetteer.load()``. Resolution is exact on ``name_key``: it never guesses,
    and an unknown name raises ``UnknownProvinceError`` with close suggestions.

    Args:
        provinces: The provinces; row numbers in errors count them from 2 (as in the file).
        source: Where the provinces came from, for error messages.

    Raises:
        ValueError: On a duplicate id or GSO code, a spelling whose key is empty or is shared by
            two provinces, or a successor that is not a unit mapping to itself.
    """

    def __init__(self, provinces: Iterable[Province], *, source: str = "<provinces>") -> None:
        rows = list(provinces)
        self._source = source
        self._by_id: dict[str, Province] = {}
        self._by_key: dict[str, Province] = {}
        gso_rows: dict[str, int] = {}
        id_rows: dict[str, int] = {}
        for row, province in enumerate(rows, start=2):
            if province.id in id_rows:
                raise _row_error(
                    source,
                    row,
                    "id",
                    f"duplicate id {province.id!r} (first in row {id_rows[province.id]})",
                )
            if province.gso_code in gso_rows:
                first = gso_rows[province.gso_code]
                raise _row_error(
                    source,
                    row,
                    "gso_code",
                    f"duplicate code {province.gso_code!r} (first in row {first})",
                )
            id_rows[province.id] = row
            gso_rows[province.gso_code] = row
            self._by_id[province.id] = province
            self._index_spellings(province, row, id_rows)
        self._check_successors(rows)
        self._provinces = tuple(sorted(rows, key=lambda p: p.gso_code))

    def _index_spellings(self, province: Province, row: int, id_rows: dict[str, int]) -> None:
        fields = ("id", "gso_code", "name", "name_en", "name_ascii")
        fields += ("aliases",) * len(province.aliases)
        for field, spelling in zip(fields, province.spellings(), strict=True):
            key = name_key(spelling)
            if not key:
                raise _row_error(self._source, row, field, f"{spelling!r} has an empty name key")
            owner = self._by_key.setdefault(key, province)
            if owner.id != province.id:
                raise _row_error(
                    self._source,
                    row,
                    field,
                    f"{spelling!r} (key {key!r}) also matches {owner.id!r}"
                    f" in row {id_rows[owner.id]}",
                )

    def _check_successors(self, rows: list[Province]) -> None:
        # A 2025 unit keeps the id of a pre-2025 province, and that province maps to itself;
        # its own row holds the unit's name.
        units = {p.id: p for p in rows if p.successor_2025 == p.id}
        for row, province in enumerate(rows, start=2):
            unit = units.get(province.successor_2025)
            if unit is None:
                raise _row_error(
                    self._source,
                    row,
                    "successor_2025",
                    f"{province.successor_2025!r} is not one of the {len(units)} successor ids"
                    " (provinces whose successor_2025 is themselves)",
                )
            if province.successor_2025_name != unit.successor_2025_name:
                raise _row_error(
                    self._source,
                    row,
                    "successor_2025_name",
                    f"{province.successor_2025_name!r} differs from {unit.successor_2025_name!r},"
                    f" the name in the row of {unit.id!r}",
                )

    @classmethod
    def load(cls, path: Path | str | None = None) -> Gazetteer:
        """Read and validate the gazetteer file.

        Args:
            path: The CSV file; defaults to ``data/reference/provinces.csv`` in the repository.

        Returns:
            The gazetteer.

        Raises:
            ValueError: If the file is not valid UTF-8 or a check fails; the message names the
                file, the row (the header is row 1) and the field.
        """
        path = DEFAULT_PATH if path is None else Path(path)
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                records = list(csv.reader(handle))
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: not valid UTF-8 ({exc})") from exc
        if not records:
            raise ValueError(f"{path}: row 1: empty file, expected a header")
        header = records[0]
        for column in COLUMNS:
            if column not in header:
                raise _row_error(path, 1, column, "missing column")
        for column in header:
            if column not in COLUMNS or header.count(column) > 1:
                raise _row_error(path, 1, column, "unexpected or repeated column")
        provinces = []
        for row, values in enumerate(records[1:], start=2):
            if len(values) != len(header):
                raise ValueError(f"{path}: row {row}: {len(values)} fields, expected {len(header)}")
            provinces.append(_parse_row(path, row, dict(zip(header, values, strict=True))))
        return cls(provinces, source=str(path))

    def resolve(self, name: str) -> Province:
        """Find the province for any known spelling.

        Accepted: the id, GSO code ("06"), Vietnamese, English or ASCII name, or a reviewed alias;
        in any case or Unicode normal form, with or without an administrative prefix, hyphens or
        spaces.

        Args:
            name: The spelling to look up.

        Returns:
            The province.

        Raises:
            UnknownProvinceError: If no province has this spelling; suggestions are names.
            TypeError: If ``name`` is not a string (e.g. a missing value).
        """
        if not isinstance(name, str):
            raise TypeError(f"province name must be a string, not {type(name).__name__}")
        key = name_key(name)
        province = self._by_key.get(key)
        if province is None:
            raise UnknownProvinceError(name, [p.name for p in self._close(key)])
        return province

    def _close(self, key: str, limit: int = 3) -> list[Province]:
        # Suggestions only: an exact key match is still the one way to resolve.
        found: list[Province] = []
        for match in difflib.get_close_matches(key, self._by_key, n=10, cutoff=0.7):
            if self._by_key[match] not in found:
                found.append(self._by_key[match])
        return found[:limit]

    def get(self, province_id: str) -> Province:
        """Return the province with exactly this id.

        Args:
            province_id: A canonical id such as "bac-kan".

        Returns:
            The province.

        Raises:
            UnknownProvinceError: If the id is unknown (also a ``KeyError``); suggestions are ids.
        """
        try:
            return self._by_id[province_id]
        except (KeyError, TypeError):
            # A name passed where an id belongs ("Bắc Kạn") suggests its id first.
            key = name_key(str(province_id))
            exact = self._by_key.get(key)
            close = [exact] if exact is not None else self._close(key)
            suggestions = [p.id for p in close]
            raise UnknownProvinceError(str(province_id), suggestions, kind="id") from None

    def __iter__(self) -> Iterator[Province]:
        return iter(self._provinces)

    def __len__(self) -> int:
        return len(self._provinces)

    def __repr__(self) -> str:
        return f"Gazetteer({len(self)} provinces from {self._source})"

    @property
    def ids(self) -> tuple[str, ...]:
        """Ids of all provinces, in GSO code order."""
        return tuple(p.id for p in self._provinces)

    def study_provinces(self) -> list[Province]:
        """Return the study provinces in report order (``STUDY_PROVINCES``)."""
        return [self.get(province_id) for province_id in STUDY_PROVINCES]

    def successors(self) -> dict[str, str]:
        """Return the 2025 merger mapping, province id -> successor id, in GSO code order."""
        return {p.id: p.successor_2025 for p in self._provinces}


def _parse_row(path: Path, row: int, record: dict[str, str]) -> Province:
    """Check one data row and turn it into a Province."""
    for field, value in record.items():
        if not unicodedata.is_normalized("NFC", value):
            raise _row_error(path, row, field, f"{value!r} is not NFC-normalised")
        if value != value.strip():
            raise _row_error(path, row, field, f"{value!r} has leading or trailing spaces")
    for field in _REQUIRED:
        if not record[field]:
            raise _row_error(path, row, field, "value is missing")
    for field in ("id", "successor_2025"):
        if not _ID_RE.fullmatch(record[field]):
            raise _row_error(path, row, field, f"{record[field]!r} is not a lowercase slug")
    if not _GSO_RE.fullmatch(record["gso_code"]):
        raise _row_error(path, row, "gso_code", f"{record['gso_code']!r} is not a two-digit code")
    aliases = tuple(record["aliases"].split(_ALIAS_SEPARATOR)) if record["aliases"] else ()
    for alias in aliases:
        if not alias or alias != alias.strip():
            raise _row_error(
                path, row, "aliases", f"empty or padded alias in {record['aliases']!r}"
            )
    population = _number(path, row, record, "population")
    area_km2 = _number(path, row, record, "area_km2")
    _check_evidence(path, row, record, "population", ("population_year", "population_grade"))
    _check_evidence(path, row, record, "area_km2", ("area_grade",))
    year = record["population_year"]
    if year and not _YEAR_RE.fullmatch(year):
        raise _row_error(path, row, "population_year", f"{year!r} is not a four-digit year")
    return Province(
        id=record["id"],
        name=record["name"],
        name_en=record["name_en"],
        name_ascii=record["name_ascii"],
        gso_code=record["gso_code"],
        region=record["region"],
        region_en=record["region_en"],
        successor_2025=record["successor_2025"],
        successor_2025_name=record["successor_2025_name"],
        population=population,
        population_year=int(year) if year else None,
        population_grade=record["population_grade"],
        population_citation_id=record["population_citation_id"],
        area_km2=area_km2,
        area_grade=record["area_grade"],
        area_citation_id=record["area_citation_id"],
        aliases=aliases,
    )


def _number(path: Path, row: int, record: dict[str, str], field: str) -> float | None:
    value = record[field]
    if not value:
        return None
    # Machine format only: a Vietnamese "1.030.000" must fail here rather than read as 1.03.
    if not _NUMBER_RE.fullmatch(value):
        raise _row_error(path, row, field, f"{value!r} is not a plain number (digits, '.')")
    return float(value)


def _check_evidence(
    path: Path, row: int, record: dict[str, str], field: str, companions: tuple[str, ...]
) -> None:
    # A figure travels with its grade and citation; without a figure, they stay empty.
    prefix = field.removesuffix("_km2")
    citation = f"{prefix}_citation_id"
    grade = f"{prefix}_grade"
    if not record[field]:
        for other in (*companions, citation):
            if record[other]:
                raise _row_error(path, row, other, f"set although {field!r} is empty")
        return
    for other in (*companions, citation):
        if not record[other]:
            raise _row_error(path, row, other, f"required because {field!r} is set")
    if record[grade] not in _GRADES:
        raise _row_error(path, row, grade, f"{record[grade]!r} is not one of P, S, D")
