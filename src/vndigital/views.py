"""Analysis results -> tables and source lines in the report's language (display and export versions)."""

from __future__ import annotations

import pandas as pd

from vndigital.analysis import Evidence, source_reference
from vndigital.i18n import (
    ADMIN_LEVEL_LABEL,
    GRADE_LABEL,
    QUALIFIER_LABEL,
    TIER_LABEL,
    UNIT_LABEL,
    column_label,
    fmt_date,
    fmt_period,
    fmt_value,
    t,
)


def indicator_label(evidence: Evidence, indicator: str, lang: str) -> str:
    return evidence.catalog.loc[indicator, f"label_{lang}"]


def published_date(evidence: Evidence, source_id: str) -> str:
    match = evidence.manifest.loc[evidence.manifest["source_id"] == source_id, "published"]
    return match.iloc[0] if not match.empty else ""


def display_value(obs: pd.Series, lang: str) -> str:
    return fmt_value(obs["value"], obs["unit"], lang, obs["qualifier"], obs["denominator"])


def observations_table(
    evidence: Evidence, rows: pd.DataFrame, lang: str, with_province: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(display, export) tables of figures: indicator, value, level/place, period, quality, source."""
    display_rows, export_rows = [], []
    for obs in rows.to_dict("records"):
        obs = pd.Series(obs)
        period = fmt_period(obs["period"], lang, published_date(evidence, obs["source_id"]))
        label = indicator_label(evidence, obs["indicator"], lang)
        shown = {
            t("col_indicator", lang): label,
            t("col_value", lang): display_value(obs, lang),
            t("col_place", lang): f"{obs['place']} ({ADMIN_LEVEL_LABEL[obs['admin_level']][lang]})",
            t("col_period", lang): period,
            t("col_tier", lang): f"{TIER_LABEL[obs['tier']][lang]} · {obs['grade']}",
            t("col_source", lang): source_reference(obs, lang),
        }
        exported = {
            t("col_indicator", lang): label,
            column_label("indicator_id", lang): obs["indicator"],
            t("col_value", lang): obs["value"],
            column_label("unit", lang): UNIT_LABEL[obs["unit"]][lang],
            column_label("qualifier", lang): QUALIFIER_LABEL[obs["qualifier"]][lang],
            column_label("numerator", lang): obs["numerator"],
            column_label("denominator", lang): obs["denominator"],
            t("col_level", lang): ADMIN_LEVEL_LABEL[obs["admin_level"]][lang],
            t("col_place", lang): obs["place"],
            t("col_period", lang): period,
            t("col_grade", lang): GRADE_LABEL[obs["grade"]][lang],
            t("col_tier", lang): TIER_LABEL[obs["tier"]][lang],
            t("col_source", lang): source_reference(obs, lang),
            column_label("obs_id", lang): obs["obs_id"],
        }
        if with_province:
            shown = {t("col_province", lang): obs["province_name"], **shown}
            exported = {t("col_province", lang): obs["province_name"], **exported}
        display_rows.append(shown)
        export_rows.append(exported)
    return pd.DataFrame(display_rows), pd.DataFrame(export_rows)


def source_citation(evidence: Evidence, source_id: str, lang: str) -> str:
    """One line per source: publisher, title, date, grade; articles also name their file."""
    article = evidence.manifest[evidence.manifest["source_id"] == source_id]
    if not article.empty:
        a = article.iloc[0]
        date = fmt_date(a["published"], lang) or (
            "ngày đăng không rõ" if lang == "vi" else "date not shown"
        )
        publisher = a["publisher"] or (
            "đơn vị đăng không rõ" if lang == "vi" else "publisher not shown"
        )
        return f"{publisher}, “{a['title']}”, {date}, {a['file_name']} ({a['grade']})"
    citation = evidence.citations[evidence.citations["citation_id"] == source_id].iloc[0]
    grades = evidence.observations.loc[evidence.observations["source_id"] == source_id, "grade"]
    grade = "/".join(sorted(set(grades)))
    date = fmt_date(citation["published"], lang) if citation["published"] else "n.d."
    return f"{citation['publisher']}, “{citation['title']}”, {date}, {citation['url']} ({grade})"


def sources_table(evidence: Evidence, source_ids: list[str], lang: str) -> pd.DataFrame:
    """The full reference for every source id used in a report, in first-use order."""
    seen = list(dict.fromkeys(source_ids))
    return pd.DataFrame(
        {
            t("col_id", lang): seen,
            t("source", lang): [source_citation(evidence, sid, lang) for sid in seen],
        }
    )


def chart_source_line(evidence: Evidence, rows: pd.DataFrame, lang: str) -> str:
    """ "Nguồn: …" under a chart: publishers and dates of the rows drawn, with grades."""
    parts = []
    for source_id in dict.fromkeys(rows["source_id"]):
        sample = rows[rows["source_id"] == source_id].iloc[0]
        date = sample["citation_date"]
        grades = "/".join(sorted(set(rows.loc[rows["source_id"] == source_id, "grade"])))
        where = f"{sample['citation_publisher'] or source_id}"
        if sample["source_file"]:
            lines = ", ".join(
                str(x)
                for x in sorted(set(rows.loc[rows["source_id"] == source_id, "line"].dropna()))
            )
            where += f" ({sample['source_file']}, {t('line', lang)} {lines})"
        parts.append(f"{where}, {fmt_date(date, lang) or 'n.d.'}, {grades}")
    return t("chart_source", lang, sources="; ".join(parts))


# Colour-blind-safe (Okabe–Ito) colours for the comparability statuses.
STATUS_COLOURS = {
    "comparable": "#009E73",
    "different_definition": "#D55E00",
    "different_year": "#E69F00",
    "sub_provincial": "#56B4E9",
    "target_only": "#CC79A7",
    "missing": "#EEEEEE",
}


def comparability_tables(
    evidence: Evidence, matrix: pd.DataFrame, provinces: list[str], lang: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(status codes for the heatmap, short cell text, readable table with reasons)."""
    from vndigital.i18n import STATUS_LABEL

    labels = [indicator_label(evidence, i, lang) for i in matrix["indicator"]]
    codes = matrix[provinces].copy()
    codes.index = labels
    codes.columns = [evidence.name(p) for p in provinces]
    cell_text = matrix[provinces].copy()
    for pid in provinces:
        cell_text[pid] = [
            ", ".join(str(y) for y in years) if years else "" for years in matrix[f"years_{pid}"]
        ]
    cell_text.index = labels
    cell_text.columns = codes.columns
    readable = pd.DataFrame({t("col_indicator", lang): labels})
    for pid in provinces:
        readable[evidence.name(pid)] = [
            STATUS_LABEL[status][lang] + (f" ({', '.join(str(y) for y in years)})" if years else "")
            for status, years in zip(matrix[pid], matrix[f"years_{pid}"], strict=True)
        ]
    return codes, cell_text, readable


def show_dti_distribution(
    rep,
    evidence: Evidence,
    highlight: list[str],
    caption_vi: str,
    caption_en: str,
    year: int = 2022,
) -> pd.DataFrame:
    """Strip chart of one DTI edition (all ranked provinces), `highlight` in colour; returns the edition.

    Captions may use {n} (provinces ranked) and {k} (provinces highlighted).
    """
    from vndigital import analysis, charts

    edition = analysis.dti_ranks(evidence)
    edition = edition[edition["year"] == year]
    ranked = dict(zip(edition["province"], edition["rank"].astype(int), strict=True))
    shown = {p: ranked[p] for p in highlight if p in ranked}
    if not shown:
        return edition
    fig = charts.rank_distribution(
        edition["rank"].tolist(),
        shown,
        labels={p: evidence.name(p) for p in shown},
        title=rep.text(
            "DTI {year}: vị trí trong {n} tỉnh, thành phố",
            "DTI {year}: position among all {n} provinces",
            year=year,
            n=len(edition),
        ),
        xlabel=rep.text(
            "Hạng DTI {year} (1 = tốt nhất, bên trái)",
            "DTI {year} rank (1 = best, left)",
            year=year,
        ),
    )
    obs = evidence.observations
    rep.figure(
        fig,
        figure_id=f"dti-{year}-distribution",
        caption=rep.text(caption_vi, caption_en, n=len(edition), k=len(shown)),
        alt=rep.text(
            "Biểu đồ phân bố thứ hạng DTI {year}", "Strip chart of DTI {year} ranks", year=year
        ),
        source=chart_source_line(
            evidence, obs[(obs["indicator"] == "dti_rank") & (obs["year"] == year)], rep.lang
        ),
        table=edition[["province_name", "rank", "grade", "source_id"]],
    )
    return edition
