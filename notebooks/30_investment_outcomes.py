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
# # Investment and outcomes: what the data can and cannot say
# Within Bình Phước (the only province with a budget series): budget 2018–2021 and the 2022–2025
# plan (a target, never summed with actuals) against its outcomes over time. Across provinces:
# investment against outcomes wherever both exist. Every coefficient is printed with n and method;
# below n = 3 nothing is computed. No causal language: association at most.

# %% tags=["parameters"]
lang: str = "vi"  # report language: "vi" (Vietnamese) or "en" (English)
budget_province: str = "Bình Phước"  # the province whose budget series is analysed

# %% tags=["remove-cell"]
import pandas as pd

from vndigital import analysis, charts, i18n, stats, views
from vndigital.report import Report

lang = i18n.check_lang(lang)
ev = analysis.load_evidence()
place = analysis.resolve_study_province(ev, budget_province)
pid = place.id
rep = Report(lang)
charts.use_house_style()
obs = ev.observations
study = ev.study
names = {p: ev.name(p) for p in study}
fmt = lambda v: i18n.fmt_number(v, lang)  # noqa: E731


def result_row(spec: str, result) -> dict:
    """One line of the results table: what was tested, n, method and the coefficient, together."""
    return {
        rep.pick("Phép kiểm định", "Test"): spec,
        i18n.t("n_label", lang): result.n,
        i18n.t("col_method", lang): result.method,
        i18n.t("col_result", lang): result.label(lang),
    }


# %% tags=["remove-input"]
rep.heading("Câu hỏi và giới hạn của dữ liệu", "The question and the limits of the data")
budget_provinces = analysis.provinces_with_budget_allocations(ev, study)

rep.say(
    "Đầu tư cho chuyển đổi số có đi cùng kết quả tốt hơn không? Số tỉnh nghiên cứu có số liệu ngân sách "
    "đã bố trí: {k} trên {n} ({which}). Mọi hệ số dưới đây chỉ mô tả mức độ cùng biến động, không "
    "phải quan hệ nhân quả.",
    "Does investment in digital transformation go together with better outcomes? Study provinces "
    "with budget allocation figures: {k} of {n} ({which}). Every coefficient below describes "
    "co-movement, not cause.",
    n=len(study),
    k=len(budget_provinces),
    which=", ".join(names[p] for p in budget_provinces) or i18n.t("none", lang),
)
if len(budget_provinces) < stats.MIN_N_CORRELATION:
    rep.say(
        "Cần ít nhất {min_n} tỉnh để so sánh giữa các tỉnh, nên báo cáo chủ yếu xem xét diễn biến theo "
        "thời gian trong tỉnh {name}.",
        "At least {min_n} provinces are needed to compare across provinces, so the report looks mainly "
        "at change over time within {name}.",
        min_n=stats.MIN_N_CORRELATION,
        name=place.name,
    )
rep.record(n_provinces_with_budget=len(budget_provinces))

# %% tags=["remove-input"]
rep.heading(
    f"Ngân sách của {place.name}",
    f"{place.name}'s budget",
    anchor="budget series",
)
actual = analysis.budget_actuals(ev, pid)
plans = analysis.budget_plans(ev, pid)
budget_rows = obs[(obs["province"] == pid) & obs["indicator"].isin(["dt_budget", "dt_budget_plan"])]
plan_period = (
    "–".join(str(plans[c].iloc[0]) for c in ("start_year", "end_year")) if not plans.empty else "–"
)
fig = charts.budget_series(
    actual[["year", "value"]],
    plans[["start_year", "end_year", "value"]] if not plans.empty else None,
    title=rep.pick(
        f"Ngân sách chuyển đổi số, {place.name}", f"Digital-transformation budget, {place.name}"
    ),
    ylabel=rep.pick("tỷ đồng", "billion VND"),
    actual_label=rep.pick("Đã bố trí (theo năm)", "Allocated (per year)"),
    plan_label=rep.text(
        "Kế hoạch vốn đầu tư công {period} (tổng, mục tiêu)",
        "Public investment plan {period} (total, target)",
        period=plan_period,
    ),
    value_format=fmt,
)
rep.figure(
    fig,
    figure_id="budget-series",
    caption=rep.text(
        "Hình 1. Ngân sách chuyển đổi số hằng năm và kế hoạch {period} (tổng nhiều năm, là mục tiêu, không cộng với số đã bố trí).",
        "Figure 1. Annual digital-transformation budget and the {period} plan (a multi-year total and a target, not added to allocations).",
        period=plan_period,
    ),
    alt=rep.text("Biểu đồ cột ngân sách theo năm", "Bar chart of the budget by year"),
    source=views.chart_source_line(ev, budget_rows, lang),
    table=pd.concat(
        [
            actual.assign(kind="actual")[["kind", "year", "value", "source_id", "line"]],
            plans.assign(
                kind="plan_target",
                year=plans["start_year"].astype(str) + "–" + plans["end_year"].astype(str),
            )[["kind", "year", "value", "source_id", "line"]],
        ]
    ),
)
growth = (
    analysis.growth_percent(actual, int(actual["year"].min()), 2020) if not actual.empty else None
)
if growth is not None:
    rep.say(
        "Ngân sách tăng từ {v0} tỷ đồng ({y0}) lên {v1} tỷ đồng (2020), tức {growth}%; năm 2021 là {v2} tỷ đồng. "
        "Kế hoạch {plan_period} là {plan} tỷ đồng cho cả giai đoạn (mục tiêu).",
        "The budget rose from {v0} billion VND ({y0}) to {v1} billion VND (2020), i.e. {growth}%; "
        "2021 was {v2} billion VND. The {plan_period} plan is {plan} billion VND for the whole period (a target).",
        v0=fmt(actual["value"].iloc[0]),
        y0=int(actual["year"].iloc[0]),
        v1=fmt(actual.set_index("year").loc[2020, "value"]),
        growth=i18n.fmt_signed(round(growth, 1), lang, 1),
        v2=fmt(actual.set_index("year")["value"].get(2021, float("nan"))),
        plan=fmt(plans["value"].iloc[0]) if not plans.empty else "–",
        plan_period=plan_period,
    )
    rep.record(budget_growth_2018_2020_percent=round(growth, 1))
rep.record(
    budget_years=[int(y) for y in actual["year"]],
    budget_plan_total=float(plans["value"].sum()) if not plans.empty else None,
)

# %% tags=["remove-input"]
rep.heading(
    "Ngân sách và thứ hạng DTI trong cùng một tỉnh", "Budget and DTI rank within the province"
)
ranks = analysis.dti_ranks(ev, [pid])
rep.say(
    "Thứ hạng DTI của {name}: {ranks}. Số tiền và thứ hạng chỉ trùng nhau ở ít năm, nên số cặp (n) rất nhỏ.",
    "{name}'s DTI ranks: {ranks}. Budget and rank overlap in few years, so the number of pairs (n) is tiny.",
    name=place.name,
    ranks="; ".join(f"{int(r.year)}: {int(r.rank)} ({r.grade})" for r in ranks.itertuples())
    or i18n.t("none", lang),
)
results = []
specs = [
    (0, rep.pick("Ngân sách năm t và hạng DTI năm t", "Budget in year t vs DTI rank in year t")),
    (
        1,
        rep.pick("Ngân sách năm t và hạng DTI năm t+1", "Budget in year t vs DTI rank in year t+1"),
    ),
]
pair_tables = []
for lag, spec in specs:
    pairs = analysis.budget_rank_pairs(ev, pid, lag)
    result = stats.spearman_exact(pairs["budget"], pairs["rank"])
    results.append(result_row(spec, result))
    pair_tables.append(pairs.assign(lag=lag))
    rep.record(
        **{
            f"spearman_lag{lag}_n": result.n,
            f"spearman_lag{lag}_rho": result.coefficient,
            f"spearman_lag{lag}_p": result.p_value,
        }
    )
results_table = pd.DataFrame(results)
rep.table(
    results_table,
    table_id="within-province-tests",
    caption=rep.text(
        "Tương quan hạng Spearman với giá trị p hoán vị chính xác",
        "Spearman rank correlation with exact permutation p-values",
    ),
    numeric=[i18n.t("n_label", lang)],
)
all_pairs = pd.concat(pair_tables)
rep.table(
    all_pairs.rename(
        columns={
            "budget_year": i18n.t("col_year", lang),
            "budget": i18n.t("col_budget", lang),
            "rank_year": rep.pick("Năm xếp hạng", "Rank year"),
            "rank": i18n.t("col_rank", lang),
            "rank_grade": i18n.t("col_grade", lang),
        }
    ),
    table_id="within-province-pairs",
    caption=rep.text("Các cặp số liệu dùng trong kiểm định", "The pairs used in the tests"),
)
lag1 = stats.spearman_exact(
    *[analysis.budget_rank_pairs(ev, pid, 1)[c] for c in ("budget", "rank")]
)
if lag1.coefficient is not None:
    rep.say(
        "Với n = {n}, ngay cả khi thứ tự khớp hoàn toàn, giá trị p nhỏ nhất có thể đạt là {pmin}; kết quả "
        "này không phân biệt được với ngẫu nhiên. Hạng thấp hơn là tốt hơn, nên hệ số âm nghĩa là năm "
        "chi nhiều đi cùng hạng tốt hơn năm sau, trong {n} năm này, không hơn.",
        "With n = {n}, even a perfect ordering can reach a p-value no lower than {pmin}; this result "
        "cannot be told apart from chance. A lower rank is better, so a negative coefficient means years "
        "of higher spending went with a better rank the following year, in these {n} years, nothing more.",
        n=lag1.n,
        pmin=i18n.fmt_number(stats.min_exact_p_value(lag1.n), lang, 2),
    )

# %% tags=["remove-input"]
rep.heading("So sánh giữa các tỉnh", "Across provinces")
cross = analysis.cross_province_pairs(ev, study, 2021)
cross_result = (
    stats.spearman_exact(cross["per_capita"], cross["rank"])
    if len(cross)
    else stats.spearman_exact([], [])
)
rep.table(
    pd.DataFrame(
        [
            result_row(
                rep.pick(
                    "Ngân sách bình quân đầu người và hạng DTI 2021, các tỉnh",
                    "Budget per person vs DTI rank 2021, across provinces",
                ),
                cross_result,
            )
        ]
    ),
    table_id="cross-province-test",
    caption=rep.text("Kiểm định giữa các tỉnh", "Cross-province test"),
    numeric=[i18n.t("n_label", lang)],
)
rep.say(
    "Chỉ {n} tỉnh có cả ngân sách và thứ hạng cùng năm, nên không thể tính tương quan giữa các tỉnh "
    "(cần ít nhất {min_n}). Hồi quy OLS (sai số chuẩn vững HC3) chỉ chạy khi n ≥ {min_ols}.",
    "Only {n} province has both a budget and a rank for the same year, so no cross-province "
    "correlation can be computed (at least {min_n} are needed). OLS (HC3 robust errors) runs only "
    "when n ≥ {min_ols}.",
    n=len(cross),
    min_n=stats.MIN_N_CORRELATION,
    min_ols=stats.MIN_N_OLS,
)
ols_result = stats.ols(cross["per_capita"], cross["rank"])
rep.say("{label}", "{label}", label=ols_result.label(lang))
rep.record(cross_n=len(cross), cross_method=cross_result.method, ols_method=ols_result.method)

# %% tags=["remove-input"]
rep.heading("Cần bao nhiêu dữ liệu?", "How much data would be needed?")
n_all = len(ev.gazetteer)  # every province of the country (63 before the 2025 merger)
sizes = [n for n in sorted({lag1.n, len(study), n_all}) if n]
power_rows = []
for n in sizes:
    critical = stats.critical_correlation(n)
    detectable = stats.min_detectable_correlation(n)
    p_min = stats.min_exact_p_value(n) if n <= stats.MAX_N_EXACT else None
    power_rows.append(
        {
            i18n.t("n_label", lang): n,
            rep.pick(
                "p nhỏ nhất có thể (Spearman chính xác)", "Smallest possible p (exact Spearman)"
            ): "–" if p_min is None else i18n.fmt_number(p_min, lang, 3),
            rep.pick("|r| tối thiểu để p < 0,05", "Smallest |r| with p < 0.05"): "–"
            if critical is None
            else i18n.fmt_number(critical, lang, 2),
            rep.pick(
                "|r| phát hiện được với lực 80%", "Smallest |r| detectable with 80% power"
            ): "–" if detectable is None else i18n.fmt_number(detectable, lang, 2),
        }
    )
rep.table(
    pd.DataFrame(power_rows),
    table_id="detectable-correlation",
    caption=rep.text(
        "Tương quan nhỏ nhất phát hiện được theo n (α = 0,05, hai phía)",
        "Smallest detectable correlation by n (α = 0.05, two-sided)",
    ),
    numeric=[i18n.t("n_label", lang)],
)
rep.say(
    "Với n = {n_study}, không tương quan nào đạt p < 0,05 trong kiểm định hoán vị chính xác (p nhỏ nhất {p4}). "
    "Với đủ {n_all} tỉnh, có thể phát hiện tương quan từ khoảng {r63} trở lên.",
    "At n = {n_study} no correlation can reach p < 0.05 in an exact permutation test (smallest p {p4}). With "
    "all {n_all} provinces, correlations of about {r63} or more become detectable.",
    n_study=len(study),
    n_all=n_all,
    p4=i18n.fmt_number(stats.min_exact_p_value(len(study)), lang, 3),
    r63=i18n.fmt_number(stats.min_detectable_correlation(n_all), lang, 2),
)
rep.record(
    min_detectable_r_63=round(stats.min_detectable_correlation(63), 3),
    min_exact_p_4=stats.min_exact_p_value(4),
)

# %% tags=["remove-input"]
rep.heading("Dữ liệu cần có", "Data needed")
needed = analysis.data_needed(ev, study)
role_label = {
    "investment": rep.pick("đầu tư", "investment"),
    "outcome": rep.pick("kết quả", "outcome"),
    "normalisation": rep.pick("chuẩn hóa", "normalisation"),
}
needed_table = pd.DataFrame(
    {
        rep.pick("Số liệu cần (cấp tỉnh)", "Figure needed (province level)"): [
            f"{views.indicator_label(ev, r.indicator, lang)}, {r.years[0]}–{r.years[-1]}"
            for r in needed.itertuples()
        ],
        rep.pick("Vai trò", "Role"): [role_label[r] for r in needed["role"]],
    }
)
for p in study:
    needed_table[names[p]] = [
        (
            rep.pick("có", "have") + f" {len(h)}/{len(r.years)}"
            if h
            else rep.pick("thiếu", "missing")
        )
        for h, r in zip(needed[p], needed.itertuples(), strict=True)
    ]
rep.table(
    needed_table,
    table_id="data-needed",
    caption=rep.text(
        "Ma trận dữ liệu cần có để trả lời câu hỏi đầu tư – kết quả",
        "Data-needed matrix for the investment–outcome question",
    ),
)
missing_cells = int(
    sum(len(h) < len(y) for p in study for h, y in zip(needed[p], needed["years"], strict=True))
)
rep.say(
    "{m} trong {total} ô còn thiếu. Nguồn có khả năng bổ sung: các đề án chuyển đổi số cấp tỉnh (dự toán "
    "kinh phí), báo cáo DTI đầy đủ (điểm số 0–1) và bộ chỉ số phục vụ người dân, doanh nghiệp (tỷ lệ hồ "
    "sơ trực tuyến theo tháng).",
    "{m} of {total} cells are incomplete. Likely sources: the provincial digital-transformation plans "
    "(budget estimates), the full DTI reports (scores 0–1) and the national service index for citizens "
    "and businesses (monthly online-dossier rates).",
    m=missing_cells,
    total=len(needed) * len(study),
)
rep.record(data_needed_missing_cells=missing_cells)

# %% tags=["remove-input"]
rep.heading("Nguồn tham khảo", "Sources")
used = list(budget_rows["source_id"]) + list(
    obs.loc[(obs["indicator"] == "dti_rank") & (obs["province"] == pid), "source_id"]
)
rep.table(
    views.sources_table(ev, used, lang), table_id="sources", caption=i18n.t("sources_heading", lang)
)

# %% tags=["remove-cell"]
rep.finish()
