# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python (vndigital)
#     language: python
#     name: vndigital
# ---

# %% [markdown] tags=["remove-cell"]
# # Comparison of the study provinces
# Adoption rates and budget spend side by side. Charts show only like-for-like figures (same
# indicator, province level, same year, no targets); everything else is in the comparability
# matrix, which says why it is not compared. Per-capita normalisation where population is known.

# %% tags=["parameters"]
lang: str = "vi"  # report language: "vi" (Vietnamese) or "en" (English)

# %% tags=["remove-cell"]
import pandas as pd

from vndigital import analysis, charts, i18n, views
from vndigital.report import Report

lang = i18n.check_lang(lang)
ev = analysis.load_evidence()
rep = Report(lang)
charts.use_house_style()
obs = ev.observations
study = ev.study
names = {p: ev.name(p) for p in study}
mine = obs[obs["province"].isin(study)]
MAX_BARS = 12  # more bars than this become unreadable on a phone

# %% tags=["remove-input"]
rep.heading("Tóm tắt", "Summary")
sets = analysis.comparable_sets(ev, study)
pairs = sets[["indicator", "year"]].drop_duplicates()
rep.say(
    "{k} tỉnh nghiên cứu có tổng cộng {n} con số; chỉ {n_prov} con số là cấp tỉnh. Chỉ có {n_sets} "
    "cặp chỉ tiêu–năm mà ít nhất hai tỉnh có số liệu cùng cấp, cùng năm ({which}).",
    "The {k} study provinces have {n} figures in all; only {n_prov} are at province level. Just "
    "{n_sets} indicator-years have a like-for-like figure for at least two provinces ({which}).",
    k=len(study),
    n=len(mine),
    n_prov=int((mine["admin_level"] == "province").sum()),
    n_sets=len(pairs),
    which="; ".join(
        f"{views.indicator_label(ev, r.indicator, lang)} {int(r.year)}" for r in pairs.itertuples()
    )
    or i18n.t("none", lang),
)
levels = pd.crosstab(mine["province"], mine["admin_level"]).reindex(index=study, fill_value=0)
levels = levels.reindex(
    columns=[lv for lv in ("province", "district", "commune", "village")], fill_value=0
)
shown = pd.DataFrame({i18n.t("col_province", lang): [names[p] for p in study]})
for level in levels.columns:
    shown[i18n.ADMIN_LEVEL_LABEL[level][lang]] = levels[level].tolist()
rep.table(
    shown,
    table_id="figures-by-level",
    caption=rep.text(
        "Số con số theo tỉnh và cấp hành chính", "Figures by province and administrative level"
    ),
    numeric=shown.columns[1:],
)
rep.record(n_figures=len(mine), n_comparable_indicator_years=len(pairs))

# %% tags=["remove-input"]
rep.heading("Xếp hạng DTI 2020–2022", "DTI ranks 2020–2022")
ranks = analysis.dti_ranks(ev, study)
ranks_plot = ranks.copy()
ranks_plot.attrs["derived_label"] = i18n.t("derived_marker", lang)
dti_rows = mine[mine["indicator"] == "dti_rank"]
fig = charts.rank_lines(
    ranks_plot,
    x="year",
    y="rank",
    group="province",
    group_labels=names,
    title=rep.pick("Xếp hạng DTI (hạng 1 là tốt nhất)", "DTI rank (1 = best)"),
    xlabel=i18n.t("col_year", lang),
    ylabel=i18n.t("col_rank", lang),
)
rep.figure(
    fig,
    figure_id="dti-ranks",
    caption=rep.text(
        "Hình 1. Thứ hạng DTI của {k} tỉnh. Điểm rỗng: hạng suy ra từ mức thay đổi được công bố.",
        "Figure 1. DTI ranks of the {k} provinces. Hollow markers: ranks derived from a stated change.",
        k=len(study),
    ),
    alt=rep.text("Biểu đồ đường thứ hạng DTI", "Line chart of DTI ranks"),
    source=views.chart_source_line(ev, dti_rows, lang) + " " + i18n.t("boundary_note", lang),
    table=ranks[["province_name", "year", "rank", "grade", "derived", "source_id"]],
)
wide = ranks.pivot(index="province", columns="year", values="rank").reindex(study)
table = pd.DataFrame({i18n.t("col_province", lang): [names[p] for p in study]})
for year in wide.columns:
    grades = ranks[ranks["year"] == year].set_index("province")["grade"]
    table[str(year)] = [
        "" if pd.isna(wide.loc[p, year]) else f"{int(wide.loc[p, year])} ({grades.get(p, '')})"
        for p in study
    ]
rep.table(
    table,
    table_id="dti-ranks-wide",
    caption=rep.text("Hạng DTI (cấp nguồn trong ngoặc)", "DTI rank (source grade in brackets)"),
)
for pid in study:
    change = analysis.rank_change(ranks, pid, 2020, 2022)
    if change is not None:
        rep.record(**{f"dti_change_2020_2022_{pid}": change})
rep.note(
    "Phương pháp DTI thay đổi năm 2021 (9 rồi 8 chỉ số chính thay cho 3 trụ cột), nên so sánh giữa các "
    "năm chỉ mang tính tham khảo; so sánh giữa các tỉnh trong cùng một năm thì hợp lệ.",
    "The DTI method changed in 2021 (9, then 8 main indices instead of 3 pillars), so moves between "
    "years are indicative only; comparing provinces within one year is valid.",
)

# %% tags=["remove-input"]
all_2022 = views.show_dti_distribution(
    rep,
    ev,
    study,
    "Hình 2. {k} tỉnh nghiên cứu trong bảng xếp hạng DTI 2022 của {n} tỉnh, thành phố.",
    "Figure 2. The {k} study provinces in the DTI 2022 ranking of all {n} provinces.",
)
median_rank = float(all_2022["rank"].median())
below = [
    names[p]
    for p in study
    if p in set(all_2022["province"])
    and int(all_2022.loc[all_2022["province"] == p, "rank"].iloc[0]) > median_rank
]
rep.say(
    "Năm 2022, {k} trong {n} tỉnh nghiên cứu xếp dưới trung vị ({median}) của {total} tỉnh, thành phố: {which}.",
    "In 2022, {k} of the {n} study provinces ranked below the median ({median}) of all {total}: {which}.",
    k=len(below),
    n=len(study),
    median=i18n.fmt_number(median_rank, lang),
    total=len(all_2022),
    which=", ".join(below) or i18n.t("none", lang),
)
rep.record(dti_2022_median_rank=median_rank, n_study_below_median_2022=len(below))

# %% tags=["remove-input"]
rep.heading(
    "Sử dụng dịch vụ số, ngân sách và các chỉ tiêu khác", "Adoption, budget and other indicators"
)
other_sets = sets[(sets["indicator"] != "dti_rank") & (sets["kind"] != "context")]
if other_sets.empty:
    rep.say(
        "Ngoài DTI, không có chỉ tiêu nào mà hai tỉnh trở lên có số liệu cấp tỉnh của cùng một năm.",
        "Apart from the DTI, no indicator has a provincial figure for the same year in two or more provinces.",
    )
else:
    rep.say(
        "Ngoài DTI, chỉ {n} chỉ tiêu–năm có số liệu cấp tỉnh cùng năm cho ít nhất hai tỉnh: {which}. "
        "Không có chỉ tiêu sử dụng dịch vụ công trực tuyến hay ngân sách nào trong số đó.",
        "Apart from the DTI, only {n} indicator-years have a same-year provincial figure for at least "
        "two provinces: {which}. None of them is an online-service adoption or budget indicator.",
        n=len(other_sets[["indicator", "year"]].drop_duplicates()),
        which="; ".join(
            f"{views.indicator_label(ev, i, lang)} {int(y)}"
            for i, y in other_sets[["indicator", "year"]].drop_duplicates().itertuples(index=False)
        ),
    )
    for figure_number, ((indicator, year), group) in enumerate(
        other_sets.groupby(["indicator", "year"], sort=True), start=3
    ):
        data = group.assign(
            category=group["province"].map(names),
            flagged=group["qualifier"] != "exact",
        )
        data.attrs["hatch_label"] = rep.pick(
            "ước lượng hoặc cận (hơn/khoảng)", "approximate or bound (more than/about)"
        )
        label = views.indicator_label(ev, indicator, lang)
        if len(group) > MAX_BARS:
            # Too many provinces for readable bars: the sorted table says the same thing.
            shown, exported = views.observations_table(
                ev, group.sort_values("value", ascending=False), lang, with_province=True
            )
            rep.table(
                shown,
                table_id=f"compare-{indicator}-{int(year)}",
                caption=f"{label}, {int(year)}",
                export=exported,
            )
            continue
        fig = charts.grouped_bars(
            data,
            category="category",
            value="value",
            group="province",
            group_labels=names,
            title=f"{label}, {int(year)}",
            ylabel=i18n.UNIT_LABEL[ev.catalog.loc[indicator, "unit"]][lang],
            value_format=lambda v: i18n.fmt_number(v, lang),
            hatch_col="flagged",
        )
        rep.figure(
            fig,
            figure_id=f"compare-{indicator}-{int(year)}",
            caption=rep.text(
                "Hình {k}. {label}, {year}.",
                "Figure {k}. {label}, {year}.",
                k=figure_number,
                label=label,
                year=int(year),
            ),
            alt=label,
            source=views.chart_source_line(ev, group, lang),
            table=group[["province_name", "value", "unit", "qualifier", "grade", "source_id"]],
        )
adoption = mine[(mine["kind"].isin(["adoption", "budget"])) & (mine["admin_level"] == "province")]
adoption = adoption.sort_values(["indicator", "province", "period_end"], kind="stable")
shown, exported = views.observations_table(ev, adoption, lang, with_province=True)
rep.table(
    shown,
    table_id="provincial-adoption-budget",
    caption=rep.text(
        "Các con số cấp tỉnh về sử dụng dịch vụ số và ngân sách (không so sánh trực tiếp được)",
        "Provincial adoption and budget figures (not directly comparable)",
    ),
    export=exported,
)
budget_provinces = analysis.provinces_with_budget_allocations(ev, study)
rep.say(
    "Số liệu ngân sách chuyển đổi số đã bố trí chỉ có cho {k} trong {n} tỉnh ({which}); cam kết và "
    "kế hoạch không phải chi tiêu, nên không thể so sánh chi tiêu giữa các tỉnh.",
    "Digital-transformation budget allocations exist for {k} of the {n} provinces ({which}); "
    "commitments and plans are not spending, so spending cannot be compared across provinces.",
    k=len(budget_provinces),
    n=len(study),
    which=", ".join(names[p] for p in budget_provinces) or i18n.t("none", lang),
)
rep.record(n_provinces_with_budget=len(budget_provinces))

# %% tags=["remove-input"]
rep.heading("Ma trận khả năng so sánh", "Comparability matrix")
matrix = analysis.comparability_matrix(ev, study)
codes, cell_text, readable = views.comparability_tables(ev, matrix, study, lang)
# The chart keeps the indicators at least two provinces have any figure on; the table has all.
shared = (matrix[study] != "missing").sum(axis=1).to_numpy() >= 2
fig = charts.matrix_heatmap(
    codes[shared],
    title=rep.pick("Chỉ tiêu nào so sánh được giữa các tỉnh?", "Which indicators can be compared?"),
    cell_text=cell_text[shared],
    colours=views.STATUS_COLOURS,
    legend_labels={k: v[lang] for k, v in i18n.STATUS_LABEL.items()},
)
rep.figure(
    fig,
    figure_id="comparability-matrix",
    caption=rep.text(
        "Ma trận khả năng so sánh: các chỉ tiêu có số liệu ở ít nhất hai tỉnh ({n} trong {total}); số trong ô là "
        "năm có số liệu cấp tỉnh. Bảng dưới liệt kê đủ mọi chỉ tiêu.",
        "Comparability matrix: indicators with figures in at least two provinces ({n} of {total}); numbers "
        "in cells are years with a provincial figure. The table below lists every indicator.",
        n=int(shared.sum()),
        total=len(matrix),
    ),
    alt=rep.text("Ma trận màu về khả năng so sánh", "Colour matrix of comparability"),
    source=rep.text(
        "Nguồn: tổng hợp từ observations.csv (mọi nguồn trong báo cáo).",
        "Source: computed from observations.csv (all sources in this report).",
    ),
    table=readable,
)
rep.table(
    readable,
    table_id="comparability-reasons",
    caption=rep.text(
        "Lý do so sánh hoặc không so sánh (năm có số liệu cấp tỉnh trong ngoặc)",
        "Why each indicator is or is not compared (years with a provincial figure in brackets)",
    ),
)
counts = {s: int((matrix[study] == s).to_numpy().sum()) for s in analysis.STATUS_ORDER}
rep.record(**{f"matrix_{k}": v for k, v in counts.items()}, matrix_indicators=len(matrix))

# %% tags=["remove-input"]
rep.heading("Chuẩn hóa theo dân số", "Per-capita normalisation")
pop_rows = []
for pid in study:
    nearest = analysis.population_nearest(ev, pid, 2022)
    if nearest is not None:
        pop_rows.append(nearest)
pop = pd.DataFrame(pop_rows)
shown, exported = views.observations_table(ev, pop, lang, with_province=True)
rep.table(
    shown,
    table_id="population",
    caption=rep.text(
        "Dân số dùng để chuẩn hóa (gần năm 2022 nhất)",
        "Population used for normalisation (closest to 2022)",
    ),
    export=exported,
)
per_capita_rows = []
for pid in study:
    pc = analysis.budget_per_capita(ev, pid)
    for r in pc.itertuples():
        per_capita_rows.append(
            {
                i18n.t("col_province", lang): names[pid],
                i18n.t("col_year", lang): r.year,
                i18n.t("col_budget", lang): i18n.fmt_number(r.budget, lang),
                i18n.t(
                    "col_population", lang
                ): f"{i18n.fmt_value(r.population, 'persons', lang, r.population_qualifier)} ({r.population_year}, {r.population_source})",
                i18n.t("col_per_capita", lang): i18n.fmt_number(r.per_capita_thousand_vnd, lang, 1),
            }
        )
if per_capita_rows:
    rep.table(
        pd.DataFrame(per_capita_rows),
        table_id="budget-per-capita",
        caption=rep.text(
            "Ngân sách chuyển đổi số bình quân đầu người",
            "Digital-transformation budget per person",
        ),
    )
rep.note(
    "Dân số của các tỉnh lấy ở các năm và cấp nguồn khác nhau (xem cột Mức tin cậy); chỉ số bình quân "
    "đầu người vì thế chỉ là gần đúng. Ngân sách chỉ có cho một tỉnh nên không có so sánh bình quân đầu "
    "người giữa các tỉnh.",
    "Population figures come from different years and source grades (see the Quality column), so "
    "per-capita values are approximate. Budget exists for one province only, so there is no per-capita "
    "comparison across provinces.",
)

# %% tags=["remove-input"]
rep.heading("Nguồn tham khảo", "Sources")
used = (
    list(dti_rows["source_id"])
    + list(adoption["source_id"])
    + list(pop["source_id"] if not pop.empty else [])
)
rep.table(
    views.sources_table(ev, used, lang), table_id="sources", caption=i18n.t("sources_heading", lang)
)

# %% tags=["remove-cell"]
rep.finish()
