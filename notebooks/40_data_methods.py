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
# # Data and methods
# For researchers and reviewers: coverage (province × indicator), provenance of every figure,
# validation results, a quality grade per figure, the sources, and the rules the analyses follow.

# %% tags=["parameters"]
lang: str = "vi"  # report language: "vi" (Vietnamese) or "en" (English)

# %% tags=["remove-cell"]
import pandas as pd

from vndigital import analysis, charts, i18n, stats, validate, views
from vndigital.report import Report

lang = i18n.check_lang(lang)
ev = analysis.load_evidence()
rep = Report(lang)
charts.use_house_style()
obs = ev.observations
study = ev.study
names = {p: ev.name(p) for p in study}
mine = obs[obs["province"].isin(study)]

# %% tags=["remove-input"]
rep.heading("Bộ dữ liệu", "The dataset")
articles = obs[obs["source_file"] != ""]
rep.say(
    "Bảng observations.csv có {n} con số: {n_art} từ {n_files} bài báo (mỗi con số kèm tệp, dòng và "
    "nguyên văn) và {n_ref} số liệu tham chiếu công khai (mỗi số liệu kèm đơn vị công bố, địa chỉ, "
    "ngày và cấp nguồn). {n_study} con số thuộc {k} tỉnh nghiên cứu; phần còn lại là thứ hạng DTI 2022 "
    "của các tỉnh khác, dùng làm bối cảnh.",
    "observations.csv holds {n} figures: {n_art} from {n_files} news articles (each with file, line "
    "and the number as printed) and {n_ref} public reference figures (each with publisher, address, "
    "date and grade). {n_study} belong to the {k} study provinces; the rest are other provinces' DTI "
    "2022 ranks, used as context.",
    n=len(obs),
    n_art=len(articles),
    n_files=articles["source_file"].nunique(),
    n_ref=len(obs) - len(articles),
    n_study=len(mine),
    k=len(study),
)
rep.record(n_observations=len(obs), n_article_observations=len(articles))

# %% tags=["remove-input"]
rep.heading("Độ phủ: tỉnh × chỉ tiêu", "Coverage: province × indicator")
coverage = analysis.coverage_matrix(ev, study)
# The chart sums figures by kind (six rows, readable on a phone); the table below has every indicator.
by_kind = coverage.groupby(ev.catalog.loc[coverage.index, "kind"]).sum()
by_kind = by_kind.reindex([k for k in i18n.KIND_LABEL if k in by_kind.index])
codes = by_kind.map(lambda n: "comparable" if n else "missing")
codes.index = [i18n.KIND_LABEL[k][lang] for k in by_kind.index]
codes.columns = [names[p] for p in study]
text = by_kind.astype(str).where(by_kind > 0, "")
text.index, text.columns = codes.index, codes.columns
fig = charts.matrix_heatmap(
    codes,
    title=rep.pick(
        "Số con số theo nhóm chỉ tiêu và tỉnh (mọi cấp)",
        "Figures per kind of indicator and province (all levels)",
    ),
    cell_text=text,
    colours={"comparable": "#56B4E9", "missing": "#EEEEEE"},
    legend_labels={
        "comparable": rep.pick("có số liệu", "has figures"),
        "missing": rep.pick("không có", "none"),
    },
)
export = by_kind.copy()
export.index, export.columns = codes.index, codes.columns
rep.figure(
    fig,
    figure_id="coverage-by-kind",
    caption=rep.text(
        "Hình 1. Độ phủ số liệu theo nhóm chỉ tiêu; số trong ô là số con số (mọi cấp, mọi năm).",
        "Figure 1. Data coverage by kind of indicator; numbers count figures (all levels, all years).",
    ),
    alt=rep.text("Ma trận độ phủ số liệu", "Coverage matrix"),
    source=rep.text(
        "Nguồn: tổng hợp từ observations.csv.", "Source: computed from observations.csv."
    ),
    table=export.reset_index(names=rep.pick("Nhóm", "Kind")),
)
full_coverage = coverage.copy()
full_coverage.index = [views.indicator_label(ev, i, lang) for i in coverage.index]
full_coverage.columns = [names[p] for p in study]
full_coverage = full_coverage.reset_index(names=i18n.t("col_indicator", lang))
rep.table(
    full_coverage,
    table_id="coverage-by-indicator",
    caption=rep.text("Số con số theo chỉ tiêu và tỉnh", "Figures per indicator and province"),
    numeric=full_coverage.columns[1:],
)
empty = int((coverage == 0).to_numpy().sum())
rep.say(
    "{empty} trong {cells} ô (chỉ tiêu × tỉnh) không có số liệu nào.",
    "{empty} of {cells} cells (indicator × province) have no figure at all.",
    empty=empty,
    cells=coverage.size,
)
rep.record(coverage_empty_cells=empty, coverage_cells=int(coverage.size))

# %% tags=["remove-input"]
rep.heading("Mức tin cậy của từng con số", "Quality grade of every figure")
rep.say(i18n.t("tier_rules", lang), i18n.t("tier_rules", lang))
tiers = pd.crosstab(mine["province"], mine["tier"]).reindex(
    index=study, columns=["green", "amber", "red"], fill_value=0
)
tier_table = pd.DataFrame({i18n.t("col_province", lang): [names[p] for p in study]})
for tier in tiers.columns:
    tier_table[i18n.TIER_LABEL[tier][lang]] = tiers[tier].tolist()
rep.table(
    tier_table,
    table_id="quality-by-province",
    caption=rep.text("Số con số theo mức tin cậy", "Figures by quality grade"),
    numeric=tier_table.columns[1:],
)
rep.record(**{f"tier_{k}": int(tiers[k].sum()) for k in tiers.columns})

# %% tags=["remove-input"]
rep.heading("Nguồn gốc từng con số", "Provenance of every figure")
rep.say(
    "Mỗi dòng dưới đây là một con số của {k} tỉnh nghiên cứu, với nguồn (bài báo và dòng, hoặc trích dẫn) "
    "và nguyên văn khi lấy từ bài báo. Thứ hạng DTI 2022 của {others} tỉnh khác có trong bảng CSV kèm theo.",
    "Each row is one figure for the {k} study provinces, with its source (article and line, or "
    "citation) and the number as printed where it comes from an article. The DTI 2022 ranks of the "
    "other {others} provinces are in the accompanying CSV table.",
    k=len(study),
    others=obs.loc[~obs["province"].isin(study), "province"].nunique(),
)
ordered = mine.assign(_p=mine["province"].map({p: i for i, p in enumerate(study)})).sort_values(
    ["_p", "kind", "indicator"], kind="stable"
)
provenance = pd.DataFrame(
    {
        i18n.t("col_id", lang): ordered["obs_id"],
        i18n.t("col_province", lang): ordered["province_name"],
        i18n.t("col_indicator", lang): [
            views.indicator_label(ev, i, lang) for i in ordered["indicator"]
        ],
        i18n.t("col_value", lang): [views.display_value(r, lang) for _, r in ordered.iterrows()],
        i18n.t("col_raw", lang): ordered["raw_text"],
        i18n.t("col_source", lang): [
            f"{r['source_file']}, {i18n.t('line', lang)} {r['line']}"
            if r["source_file"]
            else f"{r['citation_publisher']}, {r['citation_url']}"
            for _, r in ordered.iterrows()
        ],
        i18n.t("col_tier", lang): [
            f"{i18n.TIER_LABEL[x][lang]} · {g}"
            for x, g in zip(ordered["tier"], ordered["grade"], strict=True)
        ],
    }
)
full = obs.drop(columns=["year"]).copy()
rep.table(
    provenance,
    table_id="provenance",
    caption=rep.text("Nguồn gốc của {n} con số", "Provenance of {n} figures", n=len(provenance)),
    export=full,
)

# %% tags=["remove-input"]
rep.heading("Kết quả kiểm tra dữ liệu", "Validation results")
report = validate.validate()
rep.say(
    "Kiểm tra đã chạy: {checks}. Số vấn đề phát hiện: {n}.",
    "Checks run: {checks}. Problems found: {n}.",
    checks="; ".join(report.checks),
    n=len(report.problems),
)
if report.sources.available:
    rep.say(
        "Nguồn gốc đã được kiểm tra: mã băm sha256 của từng bài báo khớp với danh mục, mỗi con số nằm đúng "
        "dòng được trích và bộ trích xuất đọc ra cùng giá trị; mọi con số trong bài đều đã được ghi nhận "
        "hoặc loại trừ có lý do.",
        "Provenance was checked: every article's sha256 matches the manifest, every figure sits on its "
        "cited line and the extractor reads the same value there; every number in the articles is either "
        "an observation or a reviewed exclusion.",
    )
else:
    rep.say(
        "Không kiểm tra được nguồn gốc: {reason}.",
        "Provenance checks were skipped: {reason}.",
        reason=report.sources.reason,
    )
counts = pd.DataFrame(
    {
        rep.pick("Bảng", "Table"): list(report.counts),
        rep.pick("Số dòng", "Rows"): list(report.counts.values()),
    }
)
rep.table(
    counts,
    table_id="validation-counts",
    caption=rep.text("Các bảng đã kiểm tra", "Tables checked"),
    numeric=[rep.pick("Số dòng", "Rows")],
)
rep.record(validation_problems=len(report.problems), provenance_checked=report.sources.available)

# %% tags=["remove-input"]
rep.heading("Quy tắc phân tích", "Analysis rules")
rep.bullets(
    [
        rep.pick(
            "Chỉ số liệu cấp tỉnh mới đại diện cho tỉnh; số liệu cấp huyện, xã, thôn được trình bày đúng cấp của nó và không bao giờ so sánh với số liệu cấp tỉnh.",
            "Only province-level figures stand for a province; district, commune and village figures are shown as such and never compared with provincial ones.",
        ),
        rep.pick(
            "Mục tiêu không phải kết quả; kế hoạch nhiều năm không bao giờ được cộng với số đã bố trí.",
            "A target is not an achievement; a multi-year plan is never added to actual allocations.",
        ),
        rep.pick(
            "Hai tỉnh chỉ được so sánh trên cùng một chỉ tiêu, cùng cấp tỉnh và cùng năm.",
            "Two provinces are compared only on the same indicator, at province level, in the same year.",
        ),
        rep.pick(
            f"Mỗi hệ số được in kèm n và phương pháp; dưới n = {stats.MIN_N_CORRELATION} không tính tương quan; OLS (sai số HC3) chỉ khi n ≥ {stats.MIN_N_OLS}; với n nhỏ dùng tương quan hạng Spearman với p hoán vị chính xác.",
            f"Every coefficient is printed with n and method; no correlation below n = {stats.MIN_N_CORRELATION}; OLS (HC3 errors) only when n ≥ {stats.MIN_N_OLS}; small n uses Spearman rank correlation with an exact permutation p-value.",
        ),
        rep.pick(
            "Con số in theo kiểu Việt Nam được đọc như sau: dấu chấm tách hàng nghìn, dấu phẩy là dấu thập phân; “hơn/trên” là cận dưới, “gần/khoảng” là xấp xỉ, “phấn đấu … đến năm 2025” là mục tiêu.",
            "Vietnamese numbers are read as printed: '.' groups thousands, ',' is the decimal mark; 'hơn/trên' is a lower bound, 'gần/khoảng' approximate, 'phấn đấu … đến năm 2025' a target.",
        ),
        i18n.t("boundary_note", lang),
    ]
)

# %% tags=["remove-input"]
rep.heading("Các bài báo nguồn", "Source articles")
manifest = ev.manifest
rep.table(
    pd.DataFrame(
        {
            i18n.t("col_id", lang): manifest["source_id"],
            i18n.t("col_file", lang): manifest["file_name"],
            i18n.t("col_publisher", lang): manifest["publisher"].replace(
                "", rep.pick("không ghi", "not shown")
            ),
            i18n.t("col_title", lang): manifest["title"],
            i18n.t("col_date", lang): [
                i18n.fmt_date(d, lang) or rep.pick("không ghi", "not shown")
                for d in manifest["published"]
            ],
            i18n.t("col_grade", lang): manifest["grade"],
            "sha256": manifest["sha256"].str[:12] + "…",
        }
    ),
    table_id="source-articles",
    caption=rep.text(
        "Các bài báo (văn bản có bản quyền, không lưu trong kho mã; chỉ lưu danh mục và mã băm)",
        "Articles (copyrighted texts are not stored in the repository; only the manifest and hashes)",
    ),
)
rep.heading("Số liệu tham chiếu", "Reference citations")
cited = ev.citations
rep.table(
    pd.DataFrame(
        {
            i18n.t("col_id", lang): cited["citation_id"],
            i18n.t("col_publisher", lang): cited["publisher"],
            i18n.t("col_title", lang): cited["title"],
            i18n.t("col_date", lang): [i18n.fmt_date(d, lang) for d in cited["published"]],
            i18n.t("col_file", lang): cited["url"],
        }
    ),
    table_id="citations",
    caption=rep.text("Trích dẫn của các số liệu tham chiếu", "Citations of the reference figures"),
)

# %% tags=["remove-cell"]
rep.finish()
