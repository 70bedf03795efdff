"""Schema and meaning checks of the curated data; every problem names its file, row and field."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from vndigital import vocab
from vndigital.gazetteer import Gazetteer, UnknownProvinceError
from vndigital.paths import DATA, DataPaths
from vndigital.problems import DataError, Problem, display_path, read_csv_strict, row_number
from vndigital.sources import (
    MANIFEST_COLUMNS,
    SourceStatus,
    check_source_files,
    read_source_lines,
    source_status,
)

ARTICLE_COLUMNS = [
    "source_id",
    "line",
    "raw_text",
    "value",
    "unit",
    "numerator",
    "denominator",
    "qualifier",
    "province",
    "admin_level",
    "place",
    "period",
    "indicator",
    "note",
]
REFERENCE_COLUMNS = [
    "citation_id",
    "indicator",
    "province",
    "admin_level",
    "place",
    "period",
    "value",
    "unit",
    "numerator",
    "denominator",
    "qualifier",
    "grade",
    "note",
]
CITATION_COLUMNS = ["citation_id", "publisher", "title", "url", "published", "note"]
EXCLUDED_COLUMNS = ["source_id", "line", "raw_text", "reason_code", "reason"]
EXCLUSION_REASONS = (
    "page_furniture",
    "date_time",
    "name",
    "duration",
    "anecdote",
    "not_digital_transformation",
    "duplicate",
    "part_of_observation",
)
INDICATOR_COLUMNS = [
    "indicator",
    "label_vi",
    "label_en",
    "unit",
    "kind",
    "direction",
    "bounded_0_100",
    "compare_across_provinces",
    "definition_en",
    "definition_vi",
    "comparability_en",
    "comparability_vi",
]

WHOLE_NUMBER_UNITS = ("count", "persons", "rank")
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_VIETNAMESE_NUMBER = re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^-?\d+,\d+$")
_POSITIVE_INT = re.compile(r"^[1-9]\d*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


# --- Element checks: a predicate on one text cell, and the message when it fails. -------------


def _is_nfc(cell: str) -> bool:
    return unicodedata.is_normalized("NFC", cell)


def _number_message(cell: str) -> str:
    if _VIETNAMESE_NUMBER.match(cell.strip()):
        plain = cell.strip().replace(".", "").replace(",", ".")
        return (
            f"'{cell}' is written in Vietnamese number format; numeric columns use plain digits "
            f"with '.' as the decimal mark (write {plain})"
        )
    return f"'{cell}' is not a number"


@dataclass(frozen=True)
class CellRule:
    name: str
    predicate: Callable[[str], bool]
    message: Callable[[str], str]


NONEMPTY = CellRule("nonempty", lambda c: c.strip() != "", lambda c: "must not be empty")
NUMBER = CellRule("number", lambda c: bool(_PLAIN_NUMBER.match(c)), _number_message)
OPTIONAL_NUMBER = CellRule(
    "optional_number", lambda c: c == "" or bool(_PLAIN_NUMBER.match(c)), _number_message
)
POSITIVE_INT = CellRule(
    "positive_int",
    lambda c: bool(_POSITIVE_INT.match(c)),
    lambda c: f"'{c}' is not a line number (a whole number from 1)",
)
PERIOD = CellRule(
    "period",
    lambda c: bool(vocab.PERIOD_PATTERN.match(c)),
    lambda c: (
        f"'{c}' is not a period: use YYYY, YYYY-MM, YYYY-MM-DD, START/END, "
        f"'{vocab.AS_OF_PUBLICATION}' or '{vocab.UNDATED}'"
    ),
)
OPTIONAL_DATE = CellRule(
    "optional_date",
    lambda c: c == "" or bool(vocab.ISO_DATE_PATTERN.match(c)),
    lambda c: f"'{c}' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)",
)
SHA256 = CellRule(
    "sha256", lambda c: bool(_SHA256.match(c)), lambda c: f"'{c}' is not a sha256 hex digest"
)
BOOLEAN = CellRule(
    "boolean", lambda c: c in ("true", "false"), lambda c: f"'{c}' must be 'true' or 'false'"
)
URL = CellRule(
    "url",
    lambda c: c.startswith(("http://", "https://")),
    lambda c: f"'{c}' is not a web address (http:// or https://)",
)


def one_of(name: str, allowed: tuple[str, ...]) -> CellRule:
    return CellRule(
        name,
        lambda c: c in allowed,
        lambda c: f"unknown {name} '{c}'; allowed: {', '.join(allowed)}",
    )


def _schema(rules: dict[str, list[CellRule]]) -> tuple[pa.DataFrameSchema, dict[str, CellRule]]:
    """A pandera schema over text cells, plus the rule behind each check name for messages."""
    by_name = {}
    columns = {}
    for column, column_rules in rules.items():
        checks = []
        for rule in [*column_rules, CellRule("nfc", _is_nfc, lambda c: "text is not Unicode NFC")]:
            by_name[rule.name] = rule
            checks.append(pa.Check(rule.predicate, element_wise=True, name=rule.name))
        columns[column] = pa.Column(str, checks=checks, nullable=False)
    return pa.DataFrameSchema(columns, strict=False), by_name


def check_cells(frame: pd.DataFrame, path: Path, rules: dict[str, list[CellRule]]) -> list[Problem]:
    """Run the cell rules with pandera (all failures at once) and turn them into Problems."""
    schema, by_name = _schema(rules)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        name = display_path(path)
        problems = []
        for failure in errors.failure_cases.itertuples(index=False):
            rule = by_name.get(str(failure.check))
            row = None if pd.isna(failure.index) else row_number(int(failure.index))
            cell = "" if failure.failure_case is None else str(failure.failure_case)
            message = rule.message(cell) if rule else f"{failure.check}: {cell}"
            problems.append(Problem(name, row, str(failure.column), message))
        return problems
    return []


# --- The dataset --------------------------------------------------------------------------


@dataclass
class CuratedData:
    """The curated and reference tables as read (text cells), with their paths."""

    paths: DataPaths
    manifest: pd.DataFrame
    articles: pd.DataFrame
    references: pd.DataFrame
    citations: pd.DataFrame
    excluded: pd.DataFrame
    indicators: pd.DataFrame
    gazetteer: Gazetteer


@dataclass
class ValidationReport:
    """What was checked and what was found."""

    problems: list[Problem]
    sources: SourceStatus
    checks: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_curated(paths: DataPaths = DATA) -> CuratedData:
    """Read every input file, collecting structural problems (missing/empty/headerless) together."""
    problems: list[Problem] = []
    frames = {}
    specs = {
        "manifest": (paths.manifest, MANIFEST_COLUMNS),
        "articles": (paths.article_observations, ARTICLE_COLUMNS),
        "references": (paths.reference_observations, REFERENCE_COLUMNS),
        "citations": (paths.citations, CITATION_COLUMNS),
        "excluded": (paths.excluded_numbers, EXCLUDED_COLUMNS),
        "indicators": (paths.indicators, INDICATOR_COLUMNS),
    }
    for key, (path, columns) in specs.items():
        try:
            frames[key] = read_csv_strict(path, columns)
        except DataError as error:
            problems.extend(error.problems)
    try:
        gazetteer = Gazetteer.load(paths.provinces)
    except (ValueError, OSError) as error:
        problems.append(Problem(display_path(paths.provinces), None, None, str(error)))
    if problems:
        raise DataError(problems)
    return CuratedData(paths=paths, gazetteer=gazetteer, **frames)


def _decimals(cell: str) -> int:
    return len(cell.split(".")[1]) if "." in cell else 0


def _resolve_province(gazetteer: Gazetteer, name: str) -> str | None:
    try:
        return gazetteer.resolve(name).id
    except UnknownProvinceError:
        return None


def _check_observation_meaning(
    frame: pd.DataFrame, path: Path, data: CuratedData, key_columns: list[str]
) -> list[Problem]:
    """Cross-file and arithmetic checks shared by article and reference observations."""
    name = display_path(path)
    catalog = data.indicators.set_index("indicator")
    problems = []
    seen: dict[tuple, int] = {}
    for index, obs in frame.iterrows():
        row = row_number(index)
        try:
            data.gazetteer.resolve(obs["province"])
        except UnknownProvinceError as error:
            problems.append(Problem(name, row, "province", str(error)))
        if obs["indicator"] not in catalog.index:
            problems.append(
                Problem(
                    name,
                    row,
                    "indicator",
                    f"unknown indicator '{obs['indicator']}' (not in {display_path(data.paths.indicators)})",
                )
            )
            continue
        spec = catalog.loc[obs["indicator"]]
        if obs["unit"] != spec["unit"]:
            problems.append(
                Problem(
                    name,
                    row,
                    "unit",
                    f"unit '{obs['unit']}' differs from the catalog unit '{spec['unit']}' of {obs['indicator']}",
                )
            )
        if not _PLAIN_NUMBER.match(obs["value"]):
            continue  # reported by the cell checks
        value = float(obs["value"])
        if obs["unit"] in WHOLE_NUMBER_UNITS and not value.is_integer():
            hint = obs["value"].replace(".", "")
            problems.append(
                Problem(
                    name,
                    row,
                    "value",
                    f"'{obs['value']}' is not a whole number, which a {obs['unit']} value must be; if the dot groups thousands as in Vietnamese, write {hint}",
                )
            )
        if spec["bounded_0_100"] == "true" and not 0 <= value <= 100:
            problems.append(
                Problem(
                    name,
                    row,
                    "value",
                    f"{value:g}% is outside 0–100, which {obs['indicator']} does not allow",
                )
            )
        if _PLAIN_NUMBER.match(obs["numerator"]) and _PLAIN_NUMBER.match(obs["denominator"]):
            numerator, denominator = float(obs["numerator"]), float(obs["denominator"])
            if denominator <= 0:
                problems.append(Problem(name, row, "denominator", "denominator must be positive"))
            elif numerator > denominator:
                problems.append(
                    Problem(
                        name,
                        row,
                        "numerator",
                        f"numerator {numerator:g} is greater than denominator {denominator:g}",
                    )
                )
            elif obs["unit"] == "percent":
                ratio = 100 * numerator / denominator
                # A printed percentage may be rounded or truncated to its last digit.
                tolerance = 10 ** (-_decimals(obs["value"])) + 1e-9
                if not math.isclose(value, ratio, abs_tol=tolerance):
                    problems.append(
                        Problem(
                            name,
                            row,
                            "value",
                            f"value {value:g} ≠ numerator/denominator = {ratio:.4g}%",
                        )
                    )
        elif obs["unit"] == "percent" and (obs["numerator"] == "") != (obs["denominator"] == ""):
            missing = "denominator" if obs["denominator"] == "" else "numerator"
            problems.append(Problem(name, row, missing, "numerator and denominator come together"))
        key = tuple(obs[c] for c in key_columns)
        if key in seen:
            problems.append(
                Problem(
                    name,
                    row,
                    key_columns[-1],
                    f"duplicate of row {seen[key]} (same {', '.join(key_columns)})",
                )
            )
        else:
            seen[key] = row
    return problems


def _check_provenance(data: CuratedData, status: SourceStatus) -> list[Problem]:
    """Each article row's raw_text is on its line and the extractor reads the same value there.

    Every number the extractor finds in an article must also be accounted for: either an
    observation or an entry of excluded_numbers.csv, so no figure is silently left out.
    """
    from vndigital.numbers import find_quantities

    problems = []
    files = dict(zip(data.manifest["source_id"], data.manifest["file_name"], strict=True))
    lines_of: dict[str, list[str]] = {}
    accounted: dict[tuple[str, int], set[str]] = {}
    checks = [
        (data.articles, data.paths.article_observations, True),
        (data.excluded, data.paths.excluded_numbers, False),
    ]
    for frame, path, compare_value in checks:
        name = display_path(path)
        for index, obs in frame.iterrows():
            row = row_number(index)
            file_name = files.get(obs["source_id"])
            if file_name is None or not _POSITIVE_INT.match(obs["line"]):
                continue  # reported elsewhere
            if file_name not in lines_of:
                lines_of[file_name] = read_source_lines(status.directory, file_name)
            lines = lines_of[file_name]
            line_no = int(obs["line"])
            if line_no > len(lines):
                problems.append(
                    Problem(
                        name,
                        row,
                        "line",
                        f"line {line_no} is past the end of {file_name} ({len(lines)} lines)",
                    )
                )
                continue
            text = lines[line_no - 1]
            if obs["raw_text"] not in text:
                problems.append(
                    Problem(
                        name,
                        row,
                        "raw_text",
                        f"'{obs['raw_text']}' is not on line {line_no} of {file_name}",
                    )
                )
                continue
            accounted.setdefault((obs["source_id"], line_no), set()).add(obs["raw_text"])
            if not compare_value or not _PLAIN_NUMBER.match(obs["value"]):
                continue
            found = [q for q in find_quantities(text) if q.raw_text == obs["raw_text"]]
            if not found:
                problems.append(
                    Problem(
                        name,
                        row,
                        "raw_text",
                        f"the extractor finds no number expression '{obs['raw_text']}' on line {line_no} of {file_name}",
                    )
                )
                continue
            value = float(obs["value"])
            tolerance = 0.5 * 10 ** (-_decimals(obs["value"])) + 1e-9
            if not any(math.isclose(q.value, value, abs_tol=tolerance) for q in found):
                read = ", ".join(f"{q.value:g}" for q in found)
                problems.append(
                    Problem(
                        name,
                        row,
                        "value",
                        f"line {line_no} of {file_name} reads '{obs['raw_text']}' as {read}, not {value:g}",
                    )
                )
            if obs["numerator"]:
                for q in found:
                    accounted[(obs["source_id"], line_no)].add(
                        ("ratio", q.numerator, q.denominator)
                    )
    # Completeness: every candidate number is an observation or a reviewed exclusion.
    for source_id, file_name in files.items():
        if file_name not in lines_of:
            lines_of[file_name] = read_source_lines(status.directory, file_name)
        for line_no, text in enumerate(lines_of[file_name], start=1):
            known = accounted.get((source_id, line_no), set())
            for q in find_quantities(text):
                if q.raw_text in known or any(q.raw_text in k for k in known if isinstance(k, str)):
                    continue
                problems.append(
                    Problem(
                        display_path(data.paths.excluded_numbers),
                        None,
                        "raw_text",
                        f"{file_name} line {line_no}: '{q.raw_text}' is neither an observation nor a "
                        "reviewed exclusion; add it to one of them",
                    )
                )
    return problems


def validate(paths: DataPaths = DATA, sources: Path | None = None) -> ValidationReport:
    """Every check, in order; provenance checks only when the article texts are available."""
    status = source_status(sources)
    try:
        data = read_curated(paths)
    except DataError as error:
        return ValidationReport(error.problems, status, ["files readable with headers"])
    problems: list[Problem] = []
    checks = ["files readable with headers", "cell formats (pandera)", "meaning across files"]
    p = paths
    problems += check_cells(
        data.manifest,
        p.manifest,
        {
            "source_id": [NONEMPTY],
            "file_name": [NONEMPTY],
            "published": [OPTIONAL_DATE],
            "language": [one_of("language", vocab.LANGUAGES)],
            "grade": [one_of("grade", vocab.GRADES)],
            "sha256": [SHA256],
            # Publisher and title as the text shows them: some captures show neither.
            "publisher": [],
            "title": [],
            "focus_province": [NONEMPTY],
        },
    )
    observation_rules = {
        "value": [NUMBER],
        "numerator": [OPTIONAL_NUMBER],
        "denominator": [OPTIONAL_NUMBER],
        "unit": [one_of("unit", vocab.UNITS)],
        "qualifier": [one_of("qualifier", vocab.QUALIFIERS)],
        "admin_level": [one_of("admin_level", vocab.ADMIN_LEVELS)],
        "period": [PERIOD],
        "province": [NONEMPTY],
        "indicator": [NONEMPTY],
        "place": [NONEMPTY],
        "note": [],
    }
    problems += check_cells(
        data.articles,
        p.article_observations,
        {
            "source_id": [NONEMPTY],
            "line": [POSITIVE_INT],
            "raw_text": [NONEMPTY],
            **observation_rules,
        },
    )
    problems += check_cells(
        data.references,
        p.reference_observations,
        {"citation_id": [NONEMPTY], "grade": [one_of("grade", vocab.GRADES)], **observation_rules},
    )
    problems += check_cells(
        data.citations,
        p.citations,
        {
            "citation_id": [NONEMPTY],
            "publisher": [NONEMPTY],
            "title": [],  # some pages could be read only in part; the note says so
            "url": [URL],
            "published": [OPTIONAL_DATE],
            "note": [],
        },
    )
    problems += check_cells(
        data.excluded,
        p.excluded_numbers,
        {
            "source_id": [NONEMPTY],
            "line": [POSITIVE_INT],
            "raw_text": [NONEMPTY],
            "reason_code": [one_of("reason_code", EXCLUSION_REASONS)],
            "reason": [NONEMPTY],
        },
    )
    problems += check_cells(
        data.indicators,
        p.indicators,
        {
            "indicator": [NONEMPTY],
            "label_vi": [NONEMPTY],
            "label_en": [NONEMPTY],
            "unit": [one_of("unit", vocab.UNITS)],
            "kind": [one_of("kind", vocab.KINDS)],
            "direction": [one_of("direction", vocab.DIRECTIONS)],
            "bounded_0_100": [BOOLEAN],
            "compare_across_provinces": [BOOLEAN],
            "definition_en": [NONEMPTY],
            "definition_vi": [NONEMPTY],
            "comparability_en": [NONEMPTY],
            "comparability_vi": [NONEMPTY],
        },
    )
    problems += _check_references_between_files(data)
    problems += _check_observation_meaning(
        data.articles, p.article_observations, data, ["source_id", "line", "raw_text", "indicator"]
    )
    problems += _check_observation_meaning(
        data.references,
        p.reference_observations,
        data,
        ["citation_id", "province", "place", "period", "indicator"],
    )
    if status.available:
        checks.append("source hashes and provenance (raw_text at its line, same value)")
        hash_problems = check_source_files(data.manifest, p.manifest, status.directory)
        problems += hash_problems
        if not hash_problems:
            problems += _check_provenance(data, status)
    counts = {
        "article observations": len(data.articles),
        "reference observations": len(data.references),
        "citations": len(data.citations),
        "reviewed exclusions": len(data.excluded),
        "indicators": len(data.indicators),
        "provinces": len(data.gazetteer),
    }
    return ValidationReport(sorted(set(problems)), status, checks, counts)


def _check_references_between_files(data: CuratedData) -> list[Problem]:
    """Ids used in one file exist in the file that defines them."""
    problems = []
    p = data.paths
    source_ids = set(data.manifest["source_id"])
    citation_ids = set(data.citations["citation_id"])
    for frame, path in (
        (data.articles, p.article_observations),
        (data.excluded, p.excluded_numbers),
    ):
        for index, source_id in frame["source_id"].items():
            if source_id and source_id not in source_ids:
                problems.append(
                    Problem(
                        display_path(path),
                        row_number(index),
                        "source_id",
                        f"unknown source '{source_id}' (not in {display_path(p.manifest)})",
                    )
                )
    for index, citation_id in data.references["citation_id"].items():
        if citation_id and citation_id not in citation_ids:
            problems.append(
                Problem(
                    display_path(p.reference_observations),
                    row_number(index),
                    "citation_id",
                    f"missing citation: '{citation_id}' is not in {display_path(p.citations)}",
                )
            )
    for column, frame, path in (
        ("source_id", data.manifest, p.manifest),
        ("citation_id", data.citations, p.citations),
        ("indicator", data.indicators, p.indicators),
    ):
        duplicated = frame[column].duplicated()
        for index in frame.index[duplicated]:
            problems.append(
                Problem(
                    display_path(path),
                    row_number(index),
                    column,
                    f"duplicate id '{frame.at[index, column]}'",
                )
            )
    for index, name in data.manifest["focus_province"].items():
        if name and _resolve_province(data.gazetteer, name) is None:
            problems.append(
                Problem(
                    display_path(p.manifest),
                    row_number(index),
                    "focus_province",
                    f"unknown province '{name}'",
                )
            )
    used = set(data.articles["indicator"]) | set(data.references["indicator"])
    for index, indicator in data.indicators["indicator"].items():
        if indicator not in used:
            problems.append(
                Problem(
                    display_path(p.indicators),
                    row_number(index),
                    "indicator",
                    f"indicator '{indicator}' is defined but no observation uses it",
                )
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    """`python -m vndigital validate`: print every problem; exit 1 if there are any."""
    report = validate()
    for problem in report.problems:
        print(problem)
    print(report.sources.describe())
    if report.problems:
        print(f"validation failed: {len(report.problems)} problem(s); nothing downstream was run")
        return 1
    counts = ", ".join(f"{n} {what}" for what, n in report.counts.items())
    print(f"validation passed: {counts}")
    return 0
