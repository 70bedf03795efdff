"""Tests for the chart house style: fonts, palette, byte-stable PNGs, HTML and chart builders."""

import re
import struct
import zlib
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from vndigital import charts

NAMES = {
    "binh-phuoc": "Bình Phước",
    "bac-kan": "Bắc Kạn",
    "dien-bien": "Điện Biên",
    "phu-yen": "Phú Yên",
}
SOURCE = "Nguồn: Bộ TT&TT, dti.gov.vn"
VIETNAMESE = "ế ộ ữ ặ ẫ ờ ỷ Đ đ Ổ ẵ Xếp hạng DTI Tỷ lệ hồ sơ trực tuyến (%) Đắk Lắk"


def vi_number(value: float) -> str:
    """Vietnamese number format as a report would pass it: "," decimal, "." thousands."""
    text = f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return text.removesuffix(",0")


def png_text_keys(png: bytes) -> list[str]:
    """Keys of the tEXt, iTXt and zTXt chunks of a PNG file."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    keys, pos = [], 8
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        body = png[pos + 8 : pos + 8 + length]
        crc = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])[0]
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        if kind in (b"tEXt", b"iTXt", b"zTXt"):
            keys.append(body.split(b"\0", 1)[0].decode("latin-1"))
        pos += 12 + length
        if kind == b"IEND":
            break
    return keys


#
# Sample data (DTI ranks 2020–2022, a budget series and a plan).
#


def rank_frame() -> pd.DataFrame:
    rows = [
        ("binh-phuoc", 2020, 25, False),
        ("binh-phuoc", 2021, 9, False),
        ("binh-phuoc", 2022, 12, False),
        ("bac-kan", 2020, 59, True),
        ("bac-kan", 2021, 51, False),
        ("bac-kan", 2022, 63, False),
        ("dien-bien", 2021, 37, True),
        ("dien-bien", 2022, 35, False),
        ("phu-yen", 2020, 62, True),
        ("phu-yen", 2021, 50, False),
        ("phu-yen", 2022, 59, False),
    ]
    df = pd.DataFrame(rows, columns=["province", "year", "rank", "derived"])
    df.attrs["derived_label"] = "Suy ra từ mức tăng/giảm bậc được công bố"
    return df


def bars_frame() -> pd.DataFrame:
    rows = [
        ("Hồ sơ trực tuyến toàn trình", "binh-phuoc", 90.8, False),
        ("Hồ sơ trực tuyến toàn trình", "bac-kan", 45.2, False),
        ("Hồ sơ trực tuyến toàn trình", "dien-bien", 30.5, True),
        ("Hồ sơ trực tuyến toàn trình", "phu-yen", 61.0, False),
        ("Thanh toán trực tuyến", "binh-phuoc", 55.3, False),
        ("Thanh toán trực tuyến", "phu-yen", 38.9, False),
    ]
    df = pd.DataFrame(rows, columns=["indicator", "province", "pct", "approx"])
    df.attrs["hatch_label"] = "Gạch chéo: số ước tính"
    return df


def build_rank_lines():
    return charts.rank_lines(
        rank_frame(),
        x="year",
        y="rank",
        group="province",
        group_labels=NAMES,
        title="Xếp hạng DTI, 2020–2022",
        xlabel="Năm",
        ylabel="Xếp hạng DTI",
    )


def build_rank_distribution():
    ranks = list(range(1, 64))
    return charts.rank_distribution(
        ranks,
        {"binh-phuoc": 12, "bac-kan": 63, "dien-bien": 35, "phu-yen": 59, "dak-lak": 47},
        labels={**NAMES, "dak-lak": "Đắk Lắk"},
        title="Xếp hạng DTI 2022",
        xlabel="Xếp hạng DTI 2022 (1 = tốt nhất)",
    )


def build_grouped_bars():
    return charts.grouped_bars(
        bars_frame(),
        category="indicator",
        value="pct",
        group="province",
        group_labels=NAMES,
        title="Tỷ lệ hồ sơ trực tuyến (%)",
        ylabel="Tỷ lệ hồ sơ trực tuyến (%)",
        value_format=vi_number,
        hatch_col="approx",
    )


def build_budget_series():
    return charts.budget_series(
        pd.DataFrame({"year": [2018, 2019, 2020, 2021], "value": [28, 70, 148, 126]}),
        pd.DataFrame({"start_year": [2022], "end_year": [2025], "value": [446]}),
        title="Bình Phước: chi cho chuyển đổi số",
        ylabel="Tỷ đồng",
        actual_label="Thực chi",
        plan_label="Kế hoạch 2022–2025 (tổng)",
        value_format=vi_number,
    )


def build_matrix_heatmap():
    rows = ["Xếp hạng DTI", "Tỷ lệ hồ sơ trực tuyến (%)", "Chi ngân sách cho chuyển đổi số"]
    cols = list(NAMES.values())
    matrix = pd.DataFrame(
        [
            ["comparable"] * 4,
            ["comparable", "not_comparable", "missing", "comparable"],
            ["comparable", "missing", "missing", "missing"],
        ],
        index=rows,
        columns=cols,
    )
    text = pd.DataFrame(
        [["2019–2024"] * 4, ["2022", "ước tính", None, "2022"], ["2018–2021", "", "", ""]],
        index=rows,
        columns=cols,
    )
    return charts.matrix_heatmap(
        matrix,
        title="Dữ liệu theo tỉnh",
        cell_text=text,
        colours={"comparable": "#0072B2", "not_comparable": "#E69F00", "missing": "#FFFFFF"},
        legend_labels={
            "comparable": "So sánh được",
            "not_comparable": "Không so sánh được",
            "missing": "Không có dữ liệu",
        },
    )


BUILDERS = {
    "rank_lines": build_rank_lines,
    "rank_distribution": build_rank_distribution,
    "grouped_bars": build_grouped_bars,
    "budget_series": build_budget_series,
    "matrix_heatmap": build_matrix_heatmap,
}


def render(builder) -> bytes:
    fig = builder()
    charts.add_source_line(fig, SOURCE)
    return charts.png_bytes(fig)


#
# Palette and fonts.
#


def test_province_colours_are_distinct_palette_colours():
    assert set(charts.PROVINCE_COLOURS) == set(NAMES)
    colours = list(charts.PROVINCE_COLOURS.values())
    assert len(set(colours)) == len(colours)
    assert all(c in charts.PALETTE for c in colours)
    assert colours == list(charts.PALETTE[:4])
    assert charts.MUTED not in charts.PALETTE


def test_house_style_font_is_the_copy_bundled_with_matplotlib():
    style = charts.house_style()
    assert style["font.family"] == ["DejaVu Sans"]
    bundled = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    with matplotlib.rc_context(style):
        for weight, name in (("normal", "DejaVuSans.ttf"), ("bold", "DejaVuSans-Bold.ttf")):
            prop = font_manager.FontProperties(
                family=matplotlib.rcParams["font.family"], weight=weight
            )
            found = Path(font_manager.findfont(prop, fallback_to_default=False))
            assert found.resolve() == (bundled / name).resolve()


def test_check_glyphs_accepts_vietnamese():
    charts.check_glyphs([VIETNAMESE, VIETNAMESE.upper(), *NAMES.values(), SOURCE])
    charts.check_glyphs(["hai dòng\nchữ"])  # a line break is layout, not a glyph


@pytest.mark.parametrize("bad", ["漢", "🚀"])
def test_check_glyphs_names_missing_characters(bad):
    with pytest.raises(ValueError, match=re.escape(bad)) as err:
        charts.check_glyphs(["Bình Phước", f"Tỉnh {bad}"])
    assert f"U+{ord(bad):04X}" in str(err.value)
    assert "Tỉnh" in str(err.value)


def test_builders_refuse_undrawable_labels():
    with pytest.raises(ValueError, match="漢"):
        charts.rank_lines(
            rank_frame(),
            x="year",
            y="rank",
            group="province",
            group_labels={**NAMES, "bac-kan": "北"},
            title="漢",
            xlabel="Năm",
            ylabel="Xếp hạng",
        )
    fig, _ = charts.new_figure()
    with pytest.raises(ValueError, match="🚀"):
        charts.add_source_line(fig, "Nguồn: 🚀")


#
# Output: PNG bytes and HTML.
#


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builder_renders_byte_stable_png_without_metadata(name):
    first = render(BUILDERS[name])
    second = render(BUILDERS[name])
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert first == second
    keys = png_text_keys(first)
    assert "Software" not in keys
    assert "Date" not in keys
    assert b"Matplotlib" not in first


def test_bytes_do_not_depend_on_global_rcparams():
    reference = render(build_budget_series)
    with matplotlib.rc_context({"font.size": 20, "font.family": "serif", "lines.linewidth": 5}):
        assert render(build_budget_series) == reference


def test_no_number_is_formatted_with_a_decimal_point():
    for builder in (build_grouped_bars, build_budget_series):
        fig = builder()
        fig.draw_without_rendering()
        texts = [t.get_text() for t in fig.findobj(Text)]
        assert not [t for t in texts if re.search(r"\d\.\d", t)]
        assert "90,8" in texts or "446" in texts


def test_figure_html_escapes_and_embeds():
    png = render(build_budget_series)
    out = charts.figure_html(
        png,
        alt='Chi "thực" <b>2018–2021</b>',
        caption="Hình 1 <script>alert(1)</script> & nguồn",
        figure_id="budget",
    )
    assert out.startswith('<figure class="chart" id="fig-budget">')
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "&amp; nguồn" in out
    assert "&quot;thực&quot;" in out
    assert 'src="data:image/png;base64,' in out
    outside_image = re.sub(r'src="data:image/png;base64,[A-Za-z0-9+/=]+"', "", out)
    assert not re.search(r"https?:|//|src=|href=", outside_image)
    width = int(re.search(r'width="(\d+)"', out).group(1))
    height = int(re.search(r'height="(\d+)"', out).group(1))
    px_w, px_h = struct.unpack(">II", png[16:24])
    # CSS pixels at 96 per inch for a 150 dpi image.
    assert width == round(px_w * 96 / 150)
    assert height == round(px_h * 96 / 150)
    with pytest.raises(ValueError):
        charts.figure_html(png, alt="a", caption="b", figure_id='x" onload="y')


#
# Figure sizes and source line.
#


def test_new_figure_sizes_and_readable_text():
    full, _ = charts.new_figure()
    half, _ = charts.new_figure("half")
    assert full.get_figwidth() == pytest.approx(7.0)
    assert half.get_figwidth() == pytest.approx(3.6)
    assert charts.house_style()["font.size"] >= 10
    assert charts.house_style()["xtick.labelsize"] >= 10
    with pytest.raises(ValueError, match="width"):
        charts.new_figure("quarter")


def test_source_line_wraps_inside_figure_and_keeps_plot_size():
    fig = build_grouped_bars()
    fig.draw_without_rendering()
    ax = fig.axes[0]
    before = ax.get_window_extent().height
    long_source = "Nguồn: " + ", ".join(["Bộ Thông tin và Truyền thông, dti.gov.vn"] * 6)
    charts.add_source_line(fig, long_source)
    fig.draw_without_rendering()
    source = next(t for t in fig.texts if t.get_text().startswith("Nguồn"))
    assert "\n" in source.get_text()
    box = source.get_window_extent()
    assert box.x0 >= 0
    assert box.x1 <= fig.bbox.width
    assert box.y0 >= 0
    assert box.y1 < ax.get_window_extent().y0
    assert ax.get_window_extent().height == pytest.approx(before, rel=0.02)
    with pytest.raises(ValueError, match="already"):
        charts.add_source_line(fig, SOURCE)


#
# Chart builders.
#


def test_rank_lines_axes_and_hollow_derived_markers():
    fig = build_rank_lines()
    ax = fig.axes[0]
    assert ax.yaxis_inverted()
    top, bottom = ax.get_ylim()[1], ax.get_ylim()[0]
    assert top <= 1 and bottom >= 63
    assert {1, 63} <= {int(t) for t in ax.get_yticks()}
    assert list(ax.get_xticks()) == [2020, 2021, 2022]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020", "2021", "2022"]
    hollow = [
        line
        for line in ax.get_lines()
        if line.get_marker() == "o" and line.get_markerfacecolor() == "white"
    ]
    assert sum(len(line.get_xdata()) for line in hollow) == 3
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [*NAMES.values(), "Suy ra từ mức tăng/giảm bậc được công bố"]


def test_rank_lines_break_at_missing_years():
    df = pd.DataFrame(
        {
            "province": ["dien-bien"] * 3 + ["phu-yen"] * 3,
            "year": [2019, 2021, 2022, 2019, 2020, 2021],
            "rank": pd.array([40, 37, 35, 55, None, 50], dtype="Int64"),
        }
    )
    fig = charts.rank_lines(
        df,
        x="year",
        y="rank",
        group="province",
        group_labels={k: NAMES[k] for k in ("dien-bien", "phu-yen")},
        title="t",
        xlabel="Năm",
        ylabel="Xếp hạng",
    )
    ax = fig.axes[0]
    assert list(ax.get_xticks()) == [2019, 2020, 2021, 2022]
    dien_bien_line = next(line for line in ax.get_lines() if len(line.get_xdata()) == 4)
    # No rank for 2020: the line has a gap there instead of bridging it.
    assert pd.isna(dien_bien_line.get_ydata()[1])
    assert charts.png_bytes(fig).startswith(b"\x89PNG")


def test_rank_lines_colours_follow_province():
    ax = build_rank_lines().axes[0]
    colours = {matplotlib.colors.to_hex(line.get_color()).upper() for line in ax.get_lines()}
    assert set(charts.PROVINCE_COLOURS.values()) <= colours


def test_rank_lines_failure_modes():
    df = rank_frame()
    kwargs = {"x": "year", "y": "rank", "group": "province", "title": "t", "xlabel": "x"}
    with pytest.raises(KeyError, match="rank"):
        charts.rank_lines(df.drop(columns="rank"), group_labels=NAMES, ylabel="y", **kwargs)
    unlabelled = dict(NAMES)
    del unlabelled["phu-yen"]
    with pytest.raises(ValueError, match="phu-yen"):
        charts.rank_lines(df, group_labels=unlabelled, ylabel="y", **kwargs)
    df.attrs.clear()
    with pytest.raises(ValueError, match="derived_label"):
        charts.rank_lines(df, group_labels=NAMES, ylabel="y", **kwargs)


@pytest.mark.parametrize(
    "highlight",
    [
        {"binh-phuoc": 12, "bac-kan": 63, "dien-bien": 35, "phu-yen": 59, "dak-lak": 47},
        {"binh-phuoc": 2, "bac-kan": 63, "dien-bien": 61, "phu-yen": 62, "dak-lak": 1},
    ],
)
def test_rank_distribution_labels_and_leaders_do_not_collide(highlight):
    fig = charts.rank_distribution(
        list(range(1, 64)),
        highlight,
        labels={**NAMES, "dak-lak": "Đắk Lắk"},
        title="Xếp hạng DTI 2022",
        xlabel="Xếp hạng DTI 2022 (1 = tốt nhất)",
    )
    fig.draw_without_rendering()
    ax = fig.axes[0]
    labels = {t.get_text(): t for t in ax.texts}
    assert "Bắc Kạn (63)" in labels
    assert len(labels) == 5
    boxes = [t.get_window_extent() for t in labels.values()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)
    # A leader is a vertical line from a dot; it may touch its own label only.
    leaders = [line for line in ax.get_lines() if len(line.get_xdata()) == 2]
    assert len(leaders) == 5
    for line in leaders:
        x_px = ax.transData.transform((line.get_xdata()[0], 0))[0]
        top_px = ax.transData.transform((0, line.get_ydata()[1]))[1]
        crossed = [
            text
            for text, t in labels.items()
            if t.get_window_extent().x0 + 1 < x_px < t.get_window_extent().x1 - 1
            and t.get_window_extent().y0 < top_px - 2
        ]
        assert not crossed
    assert ax.get_xlim()[0] < 1 and ax.get_xlim()[1] > 63
    fig_box = fig.bbox
    assert all(fig_box.x0 <= b.x0 and b.x1 <= fig_box.x1 for b in boxes)


def test_grouped_bars_hatching_and_value_labels():
    fig = build_grouped_bars()
    ax = fig.axes[0]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1
    assert "90,8" in [t.get_text() for t in ax.texts]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[-1] == "Gạch chéo: số ước tính"
    df = bars_frame()
    df.attrs.clear()
    with pytest.raises(ValueError, match="hatch_label"):
        charts.grouped_bars(
            df,
            category="indicator",
            value="pct",
            group="province",
            group_labels=NAMES,
            title="t",
            ylabel="y",
            value_format=vi_number,
            hatch_col="approx",
        )


def test_budget_plan_is_one_span_never_summed():
    ax = build_budget_series().axes[0]
    spans = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_hatch()]
    assert len(spans) == 1
    span = spans[0]
    assert span.get_height() == pytest.approx(446)
    assert span.get_x() < 2022 and span.get_x() + span.get_width() > 2025
    bars = [p for p in ax.patches if not p.get_hatch()]
    assert sorted(round(p.get_height()) for p in bars) == [28, 70, 126, 148]
    # Nothing stands on top of the actual bars or of the plan.
    assert all(p.get_y() == 0 for p in ax.patches)
    labels = [t.get_text() for t in ax.texts]
    assert "446" in labels and "818" not in labels and "892" not in labels
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Thực chi", "Kế hoạch 2022–2025 (tổng)"]


def test_matrix_heatmap_grows_with_rows_and_checks_codes():
    small = build_matrix_heatmap()
    rows = [f"Chỉ số {i}" for i in range(12)]
    big = charts.matrix_heatmap(
        pd.DataFrame("comparable", index=rows, columns=list(NAMES.values())),
        title="Dữ liệu",
        cell_text=None,
        colours={"comparable": "#0072B2"},
        legend_labels={"comparable": "So sánh được"},
    )
    assert big.get_figheight() > small.get_figheight()
    cells = [p for p in small.axes[0].patches if isinstance(p, Rectangle)]
    assert len(cells) == 12
    with pytest.raises(ValueError, match="unknown"):
        charts.matrix_heatmap(
            pd.DataFrame([["unknown"]]),
            title="t",
            cell_text=None,
            colours={"comparable": "#0072B2"},
            legend_labels={"comparable": "So sánh được"},
        )


def test_use_house_style_sets_agg_and_font():
    with matplotlib.rc_context():
        charts.use_house_style()
        assert matplotlib.get_backend().lower() == "agg"
        assert matplotlib.rcParams["font.family"] == ["DejaVu Sans"]
        assert matplotlib.rcParams["svg.hashsalt"]
