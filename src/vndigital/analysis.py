"""Observations -> the comparisons the reports make: ranks, like-for-like sets, gaps, quality, budgets.

Rules that keep comparisons honest (each is applied here, once, for every report):
- only province-level figures stand for a province; district, commune and village figures are shown
  as what they are and never compared with provincial ones;
- a target is never treated as an achievement, and a plan is never summed with actual spending;
- two provinces are compared on an indicator only for the same reference year;
- every figure keeps its qualifier (exact, approximate, bound), grade and source.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vndigital.dataset import load_observations
from vndigital.gazetteer import Gazetteer, Province, UnknownProvinceError
from vndigital.i18n import ParameterError
from vndigital.paths import DATA, DataPaths
from vndigital.plan import study_provinces
from vndigital.sources import load_manifest

DTI_INDICATOR = "dti_rank"
# Editions ranked on one 63-province scale for all study provinces; other DTI figures (an ambiguous
# "2024" label, the 34-unit 2024 edition) are listed as figures, not drawn in the series.
DTI_SERIES_YEARS = (2020, 2021, 2022)
BUDGET_INDICATOR = "dt_budget"
BUDGET_PLAN_INDICATOR = "dt_budget_plan"
POPULATION_INDICATOR = "population"


@dataclass
class Evidence:
    """Everything a report reads: the processed observations and their metadata."""

    observations: pd.DataFrame
    catalog: pd.DataFrame  # indexed by indicator id
    gazetteer: Gazetteer
    manifest: pd.DataFrame
    citations: pd.DataFrame
    study: list[str]  # province ids with at least one article, in report order

    def province(self, province_id: str) -> Province:
        return self.gazetteer.get(province_id)

    def name(self, province_id: str) -> str:
        return self.gazetteer.get(province_id).name


def load_evidence(paths: DataPaths = DATA) -> Evidence:
    """Read the processed table (built by `make data`) and the metadata it refers to."""
    observations = load_observations(paths.observations)
    catalog = pd.read_csv(paths.indicators, dtype=str, keep_default_na=False).set_index("indicator")
    gazetteer = Gazetteer.load(paths.provinces)
    manifest = load_manifest(paths.manifest)
    citations = pd.read_csv(paths.citations, dtype=str, keep_default_na=False)
    study = study_provinces(paths)
    observations = observations.assign(year=observations["period_end"].str[:4])
    observations["year"] = pd.to_numeric(observations["year"].replace("", None)).astype("Int64")
    observations["tier"] = observations.apply(quality_tier, axis=1)
    return Evidence(observations, catalog, gazetteer, manifest, citations, study)


def resolve_study_province(evidence: Evidence, name: str) -> Province:
    """A province parameter in any spelling the gazetteer knows, limited to the study provinces."""
    valid = ", ".join(f"{evidence.name(pid)} ({pid})" for pid in evidence.study)
    try:
        province = evidence.gazetteer.resolve(name)
    except (UnknownProvinceError, TypeError) as error:
        raise ParameterError(f"unknown province {name!r}; valid provinces: {valid}") from error
    if province.id not in evidence.study:
        raise ParameterError(
            f"{province.name} is a known province but not a study province (no source article "
            f"covers it); valid provinces: {valid}"
        )
    return province


# --- Quality ------------------------------------------------------------------------------


def quality_tier(obs: pd.Series) -> str:
    """green / amber / red, by the rules stated in every report (see i18n 'tier_rules')."""
    if obs["qualifier"] == "target" or obs["admin_level"] != "province":
        return "red"
    if obs["grade"] in ("S", "D") or obs["qualifier"] != "exact" or not obs["period_end"]:
        return "amber"
    return "green"


def source_reference(obs: pd.Series, lang: str) -> str:
    """Short pointer to where a figure comes from: "bk-songcau, dòng 26" or "dti-gov-2022 (P)"."""
    if obs["source_file"]:
        word = "dòng" if lang == "vi" else "line"
        return f"{obs['source_id']}, {word} {obs['line']}"
    return f"{obs['source_id']} ({obs['grade']})"


# --- DTI ranks ----------------------------------------------------------------------------


def dti_ranks(
    evidence: Evidence,
    provinces: list[str] | None = None,
    years: tuple[int, ...] = DTI_SERIES_YEARS,
) -> pd.DataFrame:
    """Overall DTI ranks (of 63) by province and year; `derived` marks ranks computed from a change."""
    obs = evidence.observations
    rows = obs[(obs["indicator"] == DTI_INDICATOR) & obs["year"].isin(years)]
    if provinces is not None:
        rows = rows[rows["province"].isin(provinces)]
    table = pd.DataFrame(
        {
            "province": rows["province"],
            "province_name": rows["province_name"],
            "year": rows["year"].astype(int),
            "rank": rows["value"].astype(int),
            "of": rows["denominator"],
            "grade": rows["grade"],
            "derived": rows["grade"] == "D",
            "period": rows["period"],
            "obs_id": rows["obs_id"],
            "source_id": rows["source_id"],
        }
    )
    return table.sort_values(["province", "year"], kind="stable").reset_index(drop=True)


def rank_change(ranks: pd.DataFrame, province: str, year_from: int, year_to: int) -> int | None:
    """Places gained (positive = moved up) between two editions, or None if either is missing."""
    mine = ranks[ranks["province"] == province].set_index("year")["rank"]
    if year_from not in mine.index or year_to not in mine.index:
        return None
    return int(mine[year_from] - mine[year_to])


def rank_position(ranks: pd.DataFrame, province: str, year: int) -> tuple[int, int] | None:
    """(how many provinces ranked better, of how many) in that edition."""
    edition = ranks[ranks["year"] == year]
    mine = edition[edition["province"] == province]
    if mine.empty:
        return None
    return int((edition["rank"] < mine["rank"].iloc[0]).sum()), len(edition)


# --- Like-for-like comparison --------------------------------------------------------------


def provincial_achievements(evidence: Evidence, provinces: list[str]) -> pd.DataFrame:
    """Province-level, non-target figures for the given provinces, with a known year."""
    obs = evidence.observations
    return obs[
        obs["province"].isin(provinces)
        & (obs["admin_level"] == "province")
        & (obs["qualifier"] != "target")
        & obs["year"].notna()
    ]


def comparable_sets(evidence: Evidence, provinces: list[str]) -> pd.DataFrame:
    """Indicator-years on which at least two of the provinces have a like-for-like figure.

    One row per (indicator, year, province); multi-year periods are not compared.
    """
    rows = provincial_achievements(evidence, provinces)
    rows = rows[rows["period_start"].str[:4] == rows["period_end"].str[:4]]
    comparable_definition = evidence.catalog["compare_across_provinces"] == "true"
    rows = rows[rows["indicator"].map(comparable_definition)]
    counts = rows.groupby(["indicator", "year"])["province"].nunique()
    keep = counts[counts >= 2].index
    indexed = rows.set_index(["indicator", "year"])
    result = indexed[indexed.index.isin(keep)].reset_index()
    return result.sort_values(["indicator", "year", "province"], kind="stable").reset_index(
        drop=True
    )


STATUS_ORDER = (
    "comparable",
    "different_definition",
    "different_year",
    "sub_provincial",
    "target_only",
    "missing",
)


def comparability_matrix(evidence: Evidence, provinces: list[str]) -> pd.DataFrame:
    """Indicator × province status, for every indicator any of the provinces has a figure on.

    Status codes (STATUS_ORDER): comparable (in a like-for-like set), different_definition (the
    catalog says the figure is defined differently by each province), different_year (province
    figures exist but no other province has the same year), sub_provincial (only district/commune/
    village figures), target_only (only targets), missing (nothing). Columns `years_<id>` list the
    years of the province's provincial figures.
    """
    obs = evidence.observations
    mine = obs[obs["province"].isin(provinces)]
    comparable = comparable_sets(evidence, provinces)
    compared = set(zip(comparable["indicator"], comparable["province"], strict=True))
    indicators = [i for i in evidence.catalog.index if i in set(mine["indicator"])]
    records = []
    for indicator in indicators:
        record = {"indicator": indicator}
        for pid in provinces:
            rows = mine[(mine["indicator"] == indicator) & (mine["province"] == pid)]
            provincial = rows[(rows["admin_level"] == "province") & (rows["qualifier"] != "target")]
            if (indicator, pid) in compared:
                status = "comparable"
            elif (
                not provincial.empty
                and evidence.catalog.loc[indicator, "compare_across_provinces"] != "true"
            ):
                status = "different_definition"
            elif not provincial.empty:
                status = "different_year"
            elif (rows["admin_level"] != "province").any():
                status = "sub_provincial"
            elif not rows.empty:
                status = "target_only"
            else:
                status = "missing"
            record[pid] = status
            years = sorted({int(y) for y in provincial["year"].dropna()})
            record[f"years_{pid}"] = years
        records.append(record)
    return pd.DataFrame(records)


def data_gaps(evidence: Evidence, province: str, others: list[str]) -> pd.DataFrame:
    """Indicators that another study province has at province level but this one does not."""
    provincial = provincial_achievements(evidence, [province, *others])
    have = set(provincial.loc[provincial["province"] == province, "indicator"])
    elsewhere = provincial[provincial["province"] != province]
    rows = []
    for indicator, group in elsewhere.groupby("indicator", sort=False):
        if indicator in have:
            continue
        rows.append({"indicator": indicator, "provinces": sorted(set(group["province"]))})
    order = {i: n for n, i in enumerate(evidence.catalog.index)}
    return pd.DataFrame(rows, columns=["indicator", "provinces"]).sort_values(
        "indicator", key=lambda s: s.map(order)
    )


def coverage_matrix(evidence: Evidence, provinces: list[str]) -> pd.DataFrame:
    """Number of figures per indicator (rows) and province (columns), all levels."""
    obs = evidence.observations
    mine = obs[obs["province"].isin(provinces)]
    table = pd.crosstab(mine["indicator"], mine["province"]).reindex(
        columns=provinces, fill_value=0
    )
    order = [i for i in evidence.catalog.index if i in table.index]
    return table.reindex(order)


# --- Budget and normalisation ---------------------------------------------------------------


ALLOCATION_INDICATORS = (BUDGET_INDICATOR, "dt_budget_cumulative")


def provinces_with_budget_allocations(evidence: Evidence, provinces: list[str]) -> list[str]:
    """Provinces with an actual budget allocation figure (not a plan, target or commitment)."""
    obs = evidence.observations
    rows = obs[
        obs["province"].isin(provinces)
        & obs["indicator"].isin(ALLOCATION_INDICATORS)
        & (obs["qualifier"] != "target")
    ]
    return [p for p in provinces if p in set(rows["province"])]


def budget_actuals(evidence: Evidence, province: str) -> pd.DataFrame:
    """Annual DT budget allocations (not plans) of a province: year, value (tỷ đồng), source."""
    obs = evidence.observations
    rows = obs[
        (obs["indicator"] == BUDGET_INDICATOR)
        & (obs["province"] == province)
        & (obs["qualifier"] != "target")
        & (obs["period_start"].str[:4] == obs["period_end"].str[:4])
    ]
    return (
        rows.assign(year=rows["year"].astype(int))[
            ["year", "value", "qualifier", "grade", "obs_id", "source_id", "source_file", "line"]
        ]
        .sort_values("year")
        .reset_index(drop=True)
    )


def budget_plans(evidence: Evidence, province: str) -> pd.DataFrame:
    """Multi-year budget plans (targets): start_year, end_year, value — never summed with actuals."""
    obs = evidence.observations
    rows = obs[(obs["indicator"] == BUDGET_PLAN_INDICATOR) & (obs["province"] == province)]
    return pd.DataFrame(
        {
            "start_year": rows["period_start"].str[:4].astype(int),
            "end_year": rows["period_end"].str[:4].astype(int),
            "value": rows["value"],
            "obs_id": rows["obs_id"],
            "source_id": rows["source_id"],
            "line": rows["line"],
        }
    ).reset_index(drop=True)


def growth_percent(series: pd.DataFrame, year_from: int, year_to: int) -> float | None:
    """Percentage change of `value` between two years of a (year, value) table."""
    values = series.set_index("year")["value"]
    if year_from not in values.index or year_to not in values.index or values[year_from] == 0:
        return None
    return float(100 * (values[year_to] - values[year_from]) / values[year_from])


def population_nearest(evidence: Evidence, province: str, year: int) -> pd.Series | None:
    """The population figure closest in time to `year` (ties: the earlier, then the better grade)."""
    obs = evidence.observations
    rows = obs[
        (obs["indicator"] == POPULATION_INDICATOR)
        & (obs["province"] == province)
        & (obs["admin_level"] == "province")
        & obs["year"].notna()
    ]
    if rows.empty:
        return None
    ranked = rows.assign(
        _distance=(rows["year"].astype(int) - year).abs(),
        _grade=rows["grade"].map({"P": 0, "S": 1, "D": 2}),
    ).sort_values(["_distance", "year", "_grade"], kind="stable")
    return ranked.iloc[0]


def budget_per_capita(evidence: Evidence, province: str) -> pd.DataFrame:
    """Annual DT budget per person (thousand đồng), using the population figure nearest each year."""
    rows = []
    for budget in budget_actuals(evidence, province).itertuples():
        population = population_nearest(evidence, province, budget.year)
        if population is None:
            continue
        rows.append(
            {
                "year": budget.year,
                "budget": budget.value,
                "population": population["value"],
                "population_year": int(population["year"]),
                "population_qualifier": population["qualifier"],
                "population_source": population["source_id"],
                # tỷ đồng = 1e9 đồng; shown in thousand đồng per person
                "per_capita_thousand_vnd": budget.value * 1e9 / population["value"] / 1e3,
            }
        )
    return pd.DataFrame(rows)


# --- Investment and outcomes -----------------------------------------------------------------


def budget_rank_pairs(evidence: Evidence, province: str, lag: int) -> pd.DataFrame:
    """Pairs (budget of year t, DTI rank of year t + lag) within one province."""
    budget = budget_actuals(evidence, province)
    ranks = dti_ranks(evidence, [province]).set_index("year")
    rows = []
    for item in budget.itertuples():
        outcome_year = item.year + lag
        if outcome_year in ranks.index:
            rows.append(
                {
                    "budget_year": item.year,
                    "budget": item.value,
                    "rank_year": outcome_year,
                    "rank": int(ranks.loc[outcome_year, "rank"]),
                    "rank_grade": ranks.loc[outcome_year, "grade"],
                }
            )
    return pd.DataFrame(rows, columns=["budget_year", "budget", "rank_year", "rank", "rank_grade"])


def cross_province_pairs(evidence: Evidence, provinces: list[str], year: int) -> pd.DataFrame:
    """Budget per capita and DTI rank in the same year, for provinces that have both."""
    ranks = dti_ranks(evidence, provinces)
    rows = []
    for pid in provinces:
        per_capita = budget_per_capita(evidence, pid)
        rank = ranks[(ranks["province"] == pid) & (ranks["year"] == year)]
        if per_capita.empty or rank.empty or year not in set(per_capita["year"]):
            continue
        value = per_capita.set_index("year").loc[year, "per_capita_thousand_vnd"]
        rows.append({"province": pid, "per_capita": value, "rank": int(rank["rank"].iloc[0])})
    return pd.DataFrame(rows, columns=["province", "per_capita", "rank"])


NEEDED_FIGURES = (
    # (indicator, years, why it is needed)
    (BUDGET_INDICATOR, (2020, 2021, 2022), "investment"),
    (DTI_INDICATOR, (2020, 2021, 2022), "outcome"),
    ("online_dossier_rate", (2022, 2023, 2024), "outcome"),
    (POPULATION_INDICATOR, (2020, 2021, 2022), "normalisation"),
)


def data_needed(evidence: Evidence, provinces: list[str]) -> pd.DataFrame:
    """For each figure the investment question needs: which years each province has, at province level."""
    provincial = provincial_achievements(evidence, provinces)
    records = []
    for indicator, years, role in NEEDED_FIGURES:
        record = {"indicator": indicator, "role": role, "years": years}
        for pid in provinces:
            have = set(
                provincial.loc[
                    (provincial["indicator"] == indicator) & (provincial["province"] == pid), "year"
                ].astype(int)
            )
            record[pid] = sorted(have & set(years))
        records.append(record)
    return pd.DataFrame(records)
