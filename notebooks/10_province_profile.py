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
# # Province profile
# One province's digital-transformation figures: DTI ranks, adoption, infrastructure, capacity
# and budget, with qualifiers, levels, periods and sources; how it stands against the other study
# provinces where figures are comparable; its data gaps and its 2025 successor province.
# All prose is produced by the code below in the report language (`lang`).

# %% tags=["parameters"]
province: str = "Bình Phước"  # any spelling the gazetteer knows: "Bắc Kạn", "Bac Kan", "bac-kan"
lang: str = "vi"  # report language: "vi" (Vietnamese) or "en" (English)

# %% tags=["remove-cell"]
from vndigital import analysis, charts, i18n, views
from vndigital.report import Report

lang = i18n.check_lang(lang)
ev = analysis.load_evidence()
place = analysis.resolve_study_province(ev, province)
pid = place.id
others = [p for p in ev.study if p != pid]
rep = Report(lang)
charts.use_house_style()
obs = ev.observations
mine = obs[obs["province"] == pid]
n_levels = mine["admin_level"].value_counts()

# %% tags=["remove-input"]
rep.heading("Tóm tắt", "Summary")
rep.say(
    "Báo cáo này tập hợp {n} con số về chuyển đổi số của tỉnh {name} từ {n_sources} nguồn: "
    "{n_prov} con số cấp tỉnh và {n_sub} con số cấp huyện, xã hoặc thôn. Số liệu cấp huyện, "
    "xã, thôn chỉ mô tả địa bàn đó, không đại diện cho cả tỉnh.",
    "This report brings together {n} digital-transformation figures for {name} from {n_sources} "
    "sources: {n_prov} at province level and {n_sub} at district, commune or village level. "
    "Sub-provincial figures describe only that place, not the whole province.",
    n=len(mine),
    name=place.name,
    n_sources=mine["source_id"].nunique(),
    n_prov=int(n_levels.get("province", 0)),
    n_sub=int(len(mine) - n_levels.get("province", 0)),
)
rep.note(i18n.t("tier_rules", lang), i18n.t("tier_rules", lang))
rep.record(n_figures=len(mine), n_province_level=int(n_levels.get("province", 0)))

# %% [markdown] tags=["remove-cell"]
# ## DTI ranks
# The DTI (provincial digital transformation index, Bộ TT&TT) is the one series every study
# province has. Ranks are out of 63; the method changed in 2021, so year-to-year moves are
# indicative only. Ranks derived from a stated change ("tăng 8 bậc") are marked.

# %% tags=["remove-input"]
# Up to six study provinces are drawn together; with more, the chart keeps to this province.
LIST_LIMIT = 6  # provinces named one by one in charts and sentences; more are counted
peers = ev.study if len(ev.study) <= LIST_LIMIT else [pid]
ranks = analysis.dti_ranks(ev, peers)
own = ranks[ranks["province"] == pid]
rep.heading("Xếp hạng chuyển đổi số (DTI)", "Digital transformation index (DTI) ranks")
latest = own.iloc[-1] if not own.empty else None
if latest is not None:
    better, total = analysis.rank_position(analysis.dti_ranks(ev), pid, int(latest["year"]))
    rep.say(
        "Năm {year}, {name} xếp hạng {rank}/{of} về chỉ số DTI ({grade}); {better} tỉnh, thành phố "
        "xếp trên (trong {total} đơn vị có hạng năm đó).",
        "In {year}, {name} ranked {rank} of {of} on the DTI (grade {grade}); {better} provinces "
        "ranked higher (of {total} ranked that year).",
        year=int(latest["year"]),
        name=place.name,
        rank=int(latest["rank"]),
        of=int(latest["of"]),
        grade=latest["grade"],
        better=better,
        total=total,
    )
    rep.record(latest_dti_year=int(latest["year"]), latest_dti_rank=int(latest["rank"]))
    first = own.iloc[0]
    change = analysis.rank_change(ranks, pid, int(first["year"]), int(latest["year"]))
    if change is not None and int(first["year"]) != int(latest["year"]):
        direction = rep.pick("tăng" if change > 0 else "giảm", "up" if change > 0 else "down")
        rep.say(
            "Từ {y0} đến {y1}, thứ hạng {direction} {places} bậc (hạng {r0} → hạng {r1}; số hạng nhỏ "
            "hơn là tốt hơn). Phương pháp DTI thay đổi năm 2021 nên mức thay đổi chỉ mang tính tham khảo.",
            "From {y0} to {y1} the rank moved {direction} {places} places ({r0} → {r1}; a lower "
            "number is better). The DTI method changed in 2021, so the move is indicative only.",
            y0=int(first["year"]),
            y1=int(latest["year"]),
            direction=direction,
            places=abs(change),
            r0=int(first["rank"]),
            r1=int(latest["rank"]),
        )
        rep.record(dti_rank_change_first_to_latest=change)
    for y0, y1 in ((2020, 2021), (2021, 2022)):
        step = analysis.rank_change(ranks, pid, y0, y1)
        if step is not None:
            rep.record(**{f"dti_rank_change_{y0}_{y1}": step})
else:
    rep.say(
        "Không có thứ hạng DTI nào cho tỉnh này.", "No DTI rank is available for this province."
    )

rank_table = ranks.assign(
    label=ranks["province"].map(ev.name),
)
plot_data = rank_table.rename(columns={"label": "province_label"})
plot_data.attrs["derived_label"] = i18n.t("derived_marker", lang)
fig = charts.rank_lines(
    plot_data,
    x="year",
    y="rank",
    group="province",
    group_labels={p: ev.name(p) for p in peers},
    title=rep.pick("Xếp hạng DTI 2020–2022 (hạng 1 là tốt nhất)", "DTI rank 2020–2022 (1 = best)"),
    xlabel=i18n.t("col_year", lang),
    ylabel=i18n.t("col_rank", lang),
)
dti_rows = obs[(obs["indicator"] == "dti_rank") & obs["province"].isin(ev.study)]
rep.figure(
    fig,
    figure_id="dti-ranks",
    caption=rep.text(
        "Hình 1. Thứ hạng DTI của {name} và {k} tỉnh nghiên cứu khác. Điểm rỗng: hạng suy ra.",
        "Figure 1. DTI rank of {name} and {k} other study provinces. Hollow markers: derived ranks.",
        name=place.name,
        k=len(peers) - 1,
    ),
    alt=rep.text("Biểu đồ đường thứ hạng DTI theo năm", "Line chart of DTI ranks by year"),
    source=views.chart_source_line(ev, dti_rows, lang) + " " + i18n.t("boundary_note", lang),
    table=ranks[["province_name", "year", "rank", "grade", "derived", "source_id"]],
)

# %% tags=["remove-input"]
all_2022 = views.show_dti_distribution(
    rep,
    ev,
    peers,
    "Hình 2. Thứ hạng DTI 2022 của cả {n} tỉnh, thành phố; {k} tỉnh nghiên cứu được tô màu.",
    "Figure 2. DTI 2022 ranks of all {n} provinces; {k} study provinces highlighted.",
)
rep.record(dti_2022_n_provinces=len(all_2022))

# %% [markdown] tags=["remove-cell"]
# ## Figures by theme
# Every figure for the province, grouped by kind. Sub-provincial figures are listed as such.

# %% tags=["remove-input"]
kinds = ["adoption", "infrastructure", "capacity", "budget", "composite_index", "context"]
for kind in kinds:
    in_series = (mine["indicator"] == "dti_rank") & mine["year"].isin(analysis.DTI_SERIES_YEARS)
    rows = mine[(mine["kind"] == kind) & ~in_series]
    rep.heading(i18n.KIND_LABEL[kind]["vi"], i18n.KIND_LABEL[kind]["en"], anchor=f"kind {kind}")
    if rows.empty:
        rep.say(
            "Chưa có con số nào thuộc nhóm này cho {name}.",
            "No figure of this kind is available for {name}.",
            name=place.name,
        )
        continue
    rows = rows.assign(
        _level=rows["admin_level"].map({"province": 0, "district": 1, "commune": 2, "village": 3})
    )
    rows = rows.sort_values(["_level", "indicator", "period_end"], kind="stable")
    shown, exported = views.observations_table(ev, rows, lang)
    rep.table(
        shown,
        table_id=f"{kind}-figures",
        caption=rep.text(
            "{kind}: {n} con số",
            "{kind}: {n} figures",
            kind=i18n.KIND_LABEL[kind][lang],
            n=len(rows),
        ),
        export=exported,
    )
    if kind == "budget":
        actual = analysis.budget_actuals(ev, pid)
        if len(actual) >= 2:
            y0, y1 = int(actual["year"].iloc[0]), int(actual["year"].iloc[-1])
            rep.say(
                "Ngân sách chuyển đổi số hằng năm: {v0} tỷ đồng năm {y0} và {v1} tỷ đồng năm {y1}. "
                "Kế hoạch nhiều năm là mục tiêu, không cộng với số đã bố trí.",
                "Annual digital-transformation budget: {v0} billion VND in {y0} and {v1} billion VND "
                "in {y1}. Multi-year plans are targets and are not added to allocations.",
                v0=i18n.fmt_number(actual["value"].iloc[0], lang),
                y0=y0,
                v1=i18n.fmt_number(actual["value"].iloc[-1], lang),
                y1=y1,
            )
            growth = analysis.growth_percent(actual, 2018, 2020)
            if growth is not None:
                rep.record(budget_growth_2018_2020_percent=round(growth, 1))

# %% [markdown] tags=["remove-cell"]
# ## Against the other study provinces
# Only like-for-like figures: same indicator, province level, same year, not targets.

# %% tags=["remove-input"]
rep.heading("So với các tỉnh nghiên cứu khác", "Against the other study provinces")
sets = analysis.comparable_sets(ev, ev.study)
sets_mine = sets[sets["indicator"].isin(set(sets.loc[sets["province"] == pid, "indicator"]))]
if sets_mine.empty:
    rep.say("Không có chỉ tiêu nào so sánh được.", "No indicator is comparable.")
for (indicator, year), group in sets_mine.groupby(["indicator", "year"], sort=True):
    direction = ev.catalog.loc[indicator, "direction"]
    # Context figures (population, area) and neutral ones are not something to stand "against".
    if (
        pid not in set(group["province"])
        or direction == "neutral"
        or ev.catalog.loc[indicator, "kind"] == "context"
    ):
        continue
    ordered = group.sort_values("value", ascending=direction == "lower_is_better", kind="stable")
    position = list(ordered["province"]).index(pid) + 1
    rep.say(
        "{indicator} {year}: {name} đứng thứ {pos} trong {n} tỉnh nghiên cứu có số liệu ({values}).",
        "{indicator} {year}: {name} is {pos} of the {n} study provinces with a figure ({values}).",
        indicator=views.indicator_label(ev, indicator, lang),
        year=int(year),
        name=place.name,
        pos=position,
        n=len(group),
        # Every value when few provinces are compared; beyond that, just the province's own.
        values="; ".join(
            f"{r['province_name']} {views.display_value(r, lang)}"
            for _, r in ordered.iterrows()
            if len(ordered) <= LIST_LIMIT or r["province"] == pid
        ),
    )
rep.note(
    "Các chỉ tiêu khác không so sánh được vì khác cấp (huyện, xã), khác năm hoặc là mục tiêu; "
    "xem báo cáo So sánh các tỉnh.",
    "Other indicators are not comparable (different level, different year, or a target); see the "
    "provincial comparison report.",
)

# %% [markdown] tags=["remove-cell"]
# ## Data gaps and successor province

# %% tags=["remove-input"]
rep.heading("Khoảng trống dữ liệu", "Data gaps")
gaps = analysis.data_gaps(ev, pid, others)
if gaps.empty:
    rep.say(
        "Không có khoảng trống so với các tỉnh khác.", "No gaps relative to the other provinces."
    )
else:
    rep.say(
        "{n} chỉ tiêu có số liệu cấp tỉnh ở tỉnh khác nhưng chưa có cho {name}:",
        "{n} indicators have a provincial figure elsewhere but none for {name}:",
        n=len(gaps),
        name=place.name,
    )
    rep.bullets(
        f"{views.indicator_label(ev, g.indicator, lang)} ("
        + (
            ", ".join(ev.name(p) for p in g.provinces)
            if len(g.provinces) <= LIST_LIMIT
            else rep.text("{n} tỉnh", "{n} provinces", n=len(g.provinces))
        )
        + ")"
        for g in gaps.itertuples()
    )
missing_kinds = [k for k in kinds if mine[mine["kind"] == k].empty]
if missing_kinds:
    rep.say(
        "Không có con số nào về: {kinds}.",
        "No figure at all on: {kinds}.",
        kinds=", ".join(i18n.KIND_LABEL[k][lang].lower() for k in missing_kinds),
    )
rep.record(n_gaps=len(gaps))

rep.heading("Tỉnh kế thừa sau sáp nhập 2025", "Successor province after the 2025 merger")
if place.successor_2025 == place.id:
    rep.say(
        "{name} không sáp nhập trong đợt sắp xếp đơn vị hành chính cấp tỉnh năm 2025 (Nghị quyết "
        "202/2025/QH15; nguồn thứ cấp, nq-202-2025-qh15-secondary).",
        "{name} was not merged in the 2025 reorganisation of provinces (Resolution 202/2025/QH15; "
        "secondary source, nq-202-2025-qh15-secondary).",
        name=place.name,
    )
else:
    rep.say(
        "Từ ngày 1/7/2025, {name} thuộc tỉnh {successor} (Nghị quyết 202/2025/QH15; nguồn thứ cấp, "
        "nq-202-2025-qh15-secondary). Các số liệu trong báo cáo này là của tỉnh {name} trước sáp nhập.",
        "From 1 July 2025, {name} is part of {successor} province (Resolution 202/2025/QH15; "
        "secondary source, nq-202-2025-qh15-secondary). All figures here are for {name} before the merger.",
        name=place.name,
        successor=place.successor_2025_name,
    )
rep.record(successor_2025=place.successor_2025)

# %% tags=["remove-input"]
rep.heading("Nguồn tham khảo", "Sources")
used = list(mine["source_id"]) + list(dti_rows["source_id"]) + ["nq-202-2025-qh15-secondary"]
rep.table(
    views.sources_table(ev, used, lang), table_id="sources", caption=i18n.t("sources_heading", lang)
)

# %% tags=["remove-cell"]
rep.finish()
