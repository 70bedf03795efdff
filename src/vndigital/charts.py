"""House chart style: data and caller-translated labels in, byte-stable PNG figures and HTML out."""

import base64
import functools
import html
import io
import re
import struct
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib import font_manager, patheffects
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.textpath import text_to_path
from matplotlib.ticker import MaxNLocator

__all__ = [
    "FONT_FAMILY",
    "MUTED",
    "PALETTE",
    "PROVINCE_COLOURS",
    "add_source_line",
    "budget_series",
    "check_glyphs",
    "figure_html",
    "grouped_bars",
    "house_style",
    "matrix_heatmap",
    "new_figure",
    "png_bytes",
    "rank_distribution",
    "rank_lines",
    "use_house_style",
]

# Okabe–Ito: distinguishable under the common colour-vision deficiencies and in greyscale print.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)

# A study province keeps its colour in every chart, so readers learn it once.
PROVINCE_COLOURS: dict[str, str] = {
    "binh-phuoc": PALETTE[0],
    "bac-kan": PALETTE[1],
    "dien-bien": PALETTE[2],
    "phu-yen": PALETTE[3],
}

MUTED = "#BBBBBB"

# The copy inside the matplotlib wheel, not a system font: same glyphs and bytes on every machine.
FONT_FAMILY = "DejaVu Sans"
_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_FONT_FILES = {"normal": _FONT_DIR / "DejaVuSans.ttf", "bold": _FONT_DIR / "DejaVuSans-Bold.ttf"}

# Sizes in points. At 7 in wide, 10–11 pt text stays legible when the PNG is shrunk to a phone.
_BASE_SIZE = 11.0
_TICK_SIZE = 10.0
_TITLE_SIZE = 13.0
_VALUE_SIZE = 9.5
_SOURCE_SIZE = 9.0

_TEXT_COLOUR = "#222222"
_SOURCE_COLOUR = "#555555"  # grey, still 7:1 contrast on white
_GRID_COLOUR = "#DDDDDD"
_LEGEND_EDGE = "#555555"
_PLAN_COLOUR = PALETTE[5]  # vermillion: far from the blue of actual spending in every CVD type
_PLAN_FILL = "#F9E7D9"  # 15 % vermillion on white, so the span reads as an area, not a bar
_HATCH = "///"
# A white outline keeps numbers readable where they cross a line.
_HALO = [patheffects.withStroke(linewidth=3, foreground="white")]

_WIDTHS = {"full": 7.0, "half": 3.6}
_HEIGHTS = {"full": 4.4, "half": 3.2}
_MARGIN_IN = 0.08  # left inset of title and source line
_SAVE_DPI = 150
_PAD_IN = 0.1
_SOURCE_GID = "vndigital-source-line"
_FIGURE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Characters that are layout, not glyphs.
_NOT_DRAWN = frozenset("\n")


#
# Style and fonts.
#


def house_style() -> dict:
    """Return the house rcParams.

    Every setting that changes the rendered pixels is pinned here, so a user's matplotlibrc
    cannot change the bytes of a chart. Mathtext is off: a "$" in a label from data is drawn
    as a dollar sign, not parsed as TeX (log-scale tick labels, which rely on mathtext, are
    therefore not part of the house style).

    Returns:
        A dict for ``matplotlib.rc_context`` or ``rcParams.update``.
    """
    return {
        "font.family": [FONT_FAMILY],
        "font.sans-serif": [FONT_FAMILY],
        "font.size": _BASE_SIZE,
        "text.color": _TEXT_COLOUR,
        "text.parse_math": False,
        "text.antialiased": True,
        "text.hinting": "default",
        "axes.titlesize": _TITLE_SIZE,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": _BASE_SIZE,
        "axes.labelcolor": _TEXT_COLOUR,
        "axes.edgecolor": "#444444",
        "axes.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "axes.axisbelow": True,
        "axes.prop_cycle": cycler(color=list(PALETTE)),
        "axes.formatter.use_locale": False,
        "axes.unicode_minus": True,
        "grid.color": _GRID_COLOUR,
        "grid.linewidth": 0.6,
        "xtick.labelsize": _TICK_SIZE,
        "ytick.labelsize": _TICK_SIZE,
        "xtick.color": "#444444",
        "ytick.color": "#444444",
        "xtick.labelcolor": _TEXT_COLOUR,
        "ytick.labelcolor": _TEXT_COLOUR,
        "xtick.minor.visible": False,
        "ytick.minor.visible": False,
        "legend.fontsize": _TICK_SIZE,
        "legend.frameon": False,
        "lines.linewidth": 2.0,
        "lines.markersize": 7.0,
        "hatch.linewidth": 1.0,
        "figure.dpi": _SAVE_DPI,
        "figure.facecolor": "white",
        "figure.constrained_layout.use": True,
        "savefig.dpi": _SAVE_DPI,
        "savefig.facecolor": "white",
        "savefig.format": "png",
        "savefig.bbox": "tight",
        "savefig.pad_inches": _PAD_IN,
        # Fixed salt: SVG element ids are otherwise random on every save.
        "svg.hashsalt": "vndigital-charts",
        "svg.fonttype": "path",
        # Embedded TrueType keeps Vietnamese text selectable and searchable in PDF output.
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
    }


def use_house_style() -> None:
    """Switch to the Agg backend and apply the house style globally.

    Raises:
        RuntimeError: If matplotlib resolves the chart font to a file other than the DejaVu
            Sans bundled in matplotlib's mpl-data directory.
    """
    if (matplotlib.get_backend(auto_select=False) or "").lower() != "agg":
        matplotlib.use("Agg")
    matplotlib.rcParams.update(house_style())
    _ensure_bundled_font()


def _resolved_font_file(weight: str = "normal") -> Path:
    """Return the font file matplotlib picks for the house family at ``weight``."""
    prop = font_manager.FontProperties(family=FONT_FAMILY, weight=weight)
    return Path(font_manager.findfont(prop, fallback_to_default=False))


def _ensure_bundled_font() -> None:
    """Fail if a system copy of DejaVu Sans would be used instead of matplotlib's own."""
    for weight, expected in _FONT_FILES.items():
        found = _resolved_font_file(weight)
        if found.resolve() != expected.resolve():
            raise RuntimeError(
                f"{FONT_FAMILY} ({weight}) resolves to {found}, not to the copy bundled with "
                f"matplotlib ({expected}); rebuild the matplotlib font cache"
            )


@contextmanager
def _styled() -> Iterator[None]:
    """Apply the house style for the duration of a block, whatever the global rcParams are."""
    with matplotlib.rc_context(house_style()):
        _ensure_bundled_font()
        yield


@lru_cache(maxsize=1)
def _drawable_codepoints() -> frozenset[int]:
    """Code points present in both the regular and the bold chart font."""
    charmaps = [set(FT2Font(str(path)).get_charmap()) for path in _FONT_FILES.values()]
    return frozenset(set.intersection(*charmaps))


def check_glyphs(texts: Iterable[str]) -> None:
    """Check that the chart font can draw every character of every text.

    Matplotlib draws a missing glyph as an empty box with only a warning, which is easy to miss
    in a batch build; this turns it into an error before anything is drawn.

    Args:
        texts: Strings that will appear in a chart. A single string is accepted as one text.

    Raises:
        TypeError: If an item is not a string.
        ValueError: Naming each text and its characters (with code points) that the font lacks.
    """
    if isinstance(texts, str):
        texts = [texts]
    drawable = _drawable_codepoints()
    problems = []
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"chart text must be a string, got {type(text).__name__}: {text!r}")
        missing = sorted({ch for ch in text if ch not in _NOT_DRAWN and ord(ch) not in drawable})
        if missing:
            chars = ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in missing)
            problems.append(f"{text!r}: {chars}")
    if problems:
        raise ValueError(f"{FONT_FAMILY} cannot draw these characters: " + "; ".join(problems))


#
# Figures, source line, output.
#


def new_figure(width: str = "full", height: float | None = None) -> tuple[Figure, Axes]:
    """Create a house-style figure with one axes.

    The figure is not registered with pyplot, so building many charts leaks nothing; text added
    later by the caller follows the global rcParams, so call ``use_house_style()`` first.

    Args:
        width: "full" (7.0 in, a page or phone width) or "half" (3.6 in, side by side).
        height: Height in inches; a default suited to the width when None.

    Returns:
        The figure (constrained layout) and its axes.

    Raises:
        ValueError: If ``width`` is not "full" or "half".
    """
    if width not in _WIDTHS:
        raise ValueError(f"width must be one of {sorted(_WIDTHS)}, got {width!r}")
    with _styled():
        return _make_figure(_WIDTHS[width], height if height is not None else _HEIGHTS[width])


def _make_figure(width_in: float, height_in: float) -> tuple[Figure, Axes]:
    """Create the figure and axes; the caller holds the house style context."""
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    return fig, fig.add_subplot()


def _set_title(fig: Figure, title: str) -> None:
    """Put a wrapped, left-aligned title at the top of the figure, flush with the source line."""
    width_pt = fig.get_figwidth() * 72 - 2 * _MARGIN_IN * 72
    wrapped = _wrap(title, width_pt, _TITLE_SIZE, weight="bold")
    fig.suptitle(
        wrapped,
        x=_MARGIN_IN / fig.get_figwidth(),
        ha="left",
        fontsize=_TITLE_SIZE,
        fontweight="bold",
    )


def add_source_line(fig: Figure, text: str) -> None:
    """Add the source line under the chart, growing the figure so the plot keeps its size.

    Args:
        fig: A figure from this module (or any figure; axes are shifted up if it has no layout
            engine).
        text: The full line, prefix included ("Nguồn: …" / "Source: …"); wrapped to the figure
            width.

    Raises:
        ValueError: If the figure already has a source line, or the font lacks a character.
    """
    check_glyphs([text])
    if any(t.get_gid() == _SOURCE_GID for t in fig.texts):
        raise ValueError("the figure already has a source line")
    with _styled():
        width_in, old_h = fig.get_figwidth(), fig.get_figheight()
        wrapped = _wrap(text, (width_in - 2 * _MARGIN_IN) * 72, _SOURCE_SIZE)
        n_lines = wrapped.count("\n") + 1
        # Line height 1.3 em plus a gap above, so it never touches the x-axis label or legend.
        block_in = (n_lines * _SOURCE_SIZE * 1.3 + 8) / 72
        new_h = old_h + block_in
        fig.set_figheight(new_h)
        engine = fig.get_layout_engine()
        if engine is not None and "rect" in engine.get():
            left, bottom, width, height = engine.get()["rect"]
            engine.set(
                rect=(left, (bottom * old_h + block_in) / new_h, width, height * old_h / new_h)
            )
        else:
            for ax in fig.axes:
                pos = ax.get_position()
                ax.set_position(
                    [
                        pos.x0,
                        (pos.y0 * old_h + block_in) / new_h,
                        pos.width,
                        pos.height * old_h / new_h,
                    ]
                )
        # Inches from the bottom-left corner, so later size changes cannot move it into the plot.
        fig.text(
            _MARGIN_IN,
            0.02,
            wrapped,
            transform=fig.dpi_scale_trans,
            ha="left",
            va="bottom",
            fontsize=_SOURCE_SIZE,
            color=_SOURCE_COLOUR,
            linespacing=1.3,
            gid=_SOURCE_GID,
        )


def png_bytes(fig: Figure, dpi: int = _SAVE_DPI) -> bytes:
    """Render a figure to PNG bytes that depend only on the figure, then close it.

    Args:
        fig: The figure.
        dpi: Output resolution.

    Returns:
        The PNG file, without the "Software" (matplotlib version) text chunk.
    """
    buf = io.BytesIO()
    with _styled():
        fig.savefig(
            buf,
            format="png",
            dpi=dpi,
            metadata={"Software": None},
            bbox_inches="tight",
            pad_inches=_PAD_IN,
            facecolor="white",
        )
    plt.close(fig)
    return buf.getvalue()


def _png_size(png: bytes) -> tuple[int, int, float | None]:
    """Return width and height in pixels and the dpi stored in the pHYs chunk (if any)."""
    if not png.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", png[16:24])
    pos, dpi = len(_PNG_SIGNATURE), None
    while pos + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        if kind == b"pHYs":
            ppu_x, _, unit = struct.unpack(">IIB", png[pos + 8 : pos + 17])
            if unit == 1:  # pixels per metre
                dpi = ppu_x * 0.0254
            break
        if kind == b"IDAT":
            break
        pos += 12 + length
    return width, height, dpi


def figure_html(png: bytes, *, alt: str, caption: str, figure_id: str) -> str:
    """Wrap a PNG in a self-contained ``<figure>`` element.

    The image is embedded as a data URI (no external request) and sized in CSS pixels to its
    physical size at 96 px per inch, shrinking to the screen width on phones.

    Args:
        png: PNG bytes from ``png_bytes``.
        alt: Text alternative describing what the chart shows; HTML-escaped.
        caption: Figure caption; HTML-escaped.
        figure_id: Slug for the element id, which becomes ``fig-<figure_id>``.

    Returns:
        One line of HTML.

    Raises:
        ValueError: If ``png`` is not a PNG or ``figure_id`` is not a slug.
    """
    if not _FIGURE_ID.fullmatch(figure_id):
        raise ValueError(f"figure_id must be letters, digits, '-' or '_', got {figure_id!r}")
    width, height, dpi = _png_size(png)
    scale = 96 / dpi if dpi else 1.0
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure class="chart" id="fig-{figure_id}">'
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
        f'width="{round(width * scale)}" height="{round(height * scale)}" '
        f'style="max-width:100%;height:auto">'
        f"<figcaption>{html.escape(caption, quote=True)}</figcaption></figure>"
    )


#
# Text measurement and layout helpers.
#


@functools.lru_cache(maxsize=8192)
def _line_width_pt(line: str, size: float, weight: str) -> float:
    prop = font_manager.FontProperties(family=FONT_FAMILY, size=size, weight=weight)
    return text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0]


def _text_width_pt(text: str, size: float, weight: str = "normal") -> float:
    """Width of the widest line of ``text`` in points, as drawn in the chart font."""
    return max(_line_width_pt(line, size, weight) for line in text.split("\n"))


def _wrap(text: str, width_pt: float, size: float, weight: str = "normal") -> str:
    """Wrap ``text`` at spaces so that no line is wider than ``width_pt`` (greedy, measured).

    A single word wider than the limit (a long URL) is broken between characters.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if not line or _line_width_pt(candidate, size, weight) <= width_pt:
                line = candidate
                continue
            lines.append(line)
            line = word
        lines.append(line)
    wrapped: list[str] = []
    for line in lines:
        while _line_width_pt(line, size, weight) > width_pt and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and _line_width_pt(line[:cut], size, weight) > width_pt:
                cut -= 1
            wrapped.append(line[:cut])
            line = line[cut:]
        wrapped.append(line)
    return "\n".join(wrapped)


def _require_columns(df: pd.DataFrame, columns: Iterable[str | None], name: str = "df") -> None:
    """Raise KeyError naming the columns that ``df`` lacks."""
    missing = [c for c in columns if c is not None and c not in df.columns]
    if missing:
        raise KeyError(f"{name} has no column(s) {missing}; it has {list(df.columns)}")


def _group_order(values: Iterable, group_labels: Mapping[str, str], column: str) -> list[str]:
    """Groups in the caller's label order; every group in the data needs a label."""
    present = list(dict.fromkeys(values))
    unlabelled = [g for g in present if g not in group_labels]
    if unlabelled:
        raise ValueError(f"no label given for {column} value(s) {unlabelled}")
    return [g for g in group_labels if g in present]


def _group_colours(groups: Sequence[str]) -> dict[str, str]:
    """Fixed colours for study provinces; the remaining palette, in order, for other groups."""
    spare = [c for c in PALETTE if c not in PROVINCE_COLOURS.values()]
    colours = {}
    for group in groups:
        if group in PROVINCE_COLOURS:
            colours[group] = PROVINCE_COLOURS[group]
        else:
            colours[group] = spare.pop(0) if spare else MUTED
    return colours


def _flag(df: pd.DataFrame, column: str | None) -> pd.Series:
    """Boolean flag column (missing values count as False); all False when ``column`` is None."""
    if column is None or column not in df.columns:
        return pd.Series(False, index=df.index)
    return df[column].fillna(False).astype(bool)


def _rank_ticks(n_total: int) -> list[int]:
    """Rank ticks 1, 10, 20, … and n_total, dropping a round tick too close to n_total."""
    step = 10 if n_total > 30 else 5
    ticks = [1, *range(step, n_total, step)]
    if n_total - ticks[-1] < step / 2 and len(ticks) > 1:
        ticks.pop()
    return [*ticks, n_total]


def _add_legend(
    ax: Axes, handles: Sequence, labels: Sequence[str], *, above: bool, **kwargs
) -> Legend:
    """Add a legend left-aligned with the axes, above or below it, in as few rows as fit.

    The legend belongs to the axes, so constrained layout makes room for it; the number of
    columns is the largest whose measured width still fits between the axes' left edge and the
    right edge of the figure.
    """
    fig = ax.figure
    fig.draw_without_rendering()
    avail_px = fig.bbox.width - ax.get_window_extent().x0 - _MARGIN_IN * fig.dpi
    options = {
        "loc": "lower left" if above else "upper left",
        "bbox_to_anchor": (0, 1.01) if above else (0, -0.02),
        "borderaxespad": 0.2,
        "handlelength": 2.0,
        "columnspacing": 2.0,
        "frameon": False,
        **kwargs,
    }
    for ncols in range(len(labels), 0, -1):
        legend = ax.legend(handles, labels, ncols=ncols, **options)
        if legend.get_window_extent().width <= avail_px:
            break
    return legend


def _axes_height_px(fig: Figure, ax: Axes) -> float:
    """Axes height in pixels after constrained layout has run."""
    fig.draw_without_rendering()
    return ax.get_window_extent().height


def _value_axis(
    ax: Axes,
    values: Sequence[float],
    label_heights_px: Sequence[float],
    value_format: Callable[[float], str],
) -> None:
    """Set y limits that leave room for the value labels, and ticks labelled by value_format.

    Args:
        ax: The axes (its figure laid out once already).
        values: Bar tops; a label of the matching height sits just above (or below, if
            negative) each one.
        label_heights_px: Height in pixels that each label needs beyond its bar.
        value_format: The caller's number formatter, also used for tick labels.
    """
    lo = min(0.0, *values)
    hi = max(0.0, *values)
    if hi == lo:
        hi = lo + 1.0
    height_px = _axes_height_px(ax.figure, ax)
    # Solve for limits at which every label still fits inside the axes (linear scale).
    need_hi, need_lo = hi, lo
    for v, h in zip(values, label_heights_px, strict=True):
        room = max(height_px - h, 1.0)
        if v >= 0:
            need_hi = max(need_hi, lo + (v - lo) * height_px / room)
        else:
            need_lo = min(need_lo, hi - (hi - v) * height_px / room)
    locator = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10])
    ticks = [t for t in locator.tick_values(need_lo, need_hi) if need_lo <= t <= need_hi]
    ax.set_ylim(need_lo, need_hi)
    labels = [value_format(float(t)) for t in ticks]
    check_glyphs(labels)
    ax.set_yticks(ticks, labels=labels)


def _label_height_px(text: str, fig: Figure, size: float, rotated: bool, gap_pt: float) -> float:
    """Pixels a value label occupies above its bar, including the gap."""
    lines = text.count("\n") + 1
    extent_pt = _text_width_pt(text, size) if rotated else lines * size * 1.25
    return (extent_pt + gap_pt) * fig.dpi / 72


#
# Chart builders.
#


def rank_lines(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    group: str,
    group_labels: dict[str, str],
    title: str,
    xlabel: str,
    ylabel: str,
    n_total: int = 63,
) -> Figure:
    """Ranks over years, one line per province, rank 1 at the top.

    Study provinces take their fixed colour; other groups are drawn thin in ``MUTED`` as
    context. A gap in the years breaks the line rather than bridging it. If ``df`` has a boolean
    ``derived`` column, those points are hollow and the legend explains them with
    ``df.attrs["derived_label"]``.

    Args:
        df: Long table, one row per group and year.
        x: Year column (integers).
        y: Rank column.
        group: Province id column.
        group_labels: Province id -> display name, in legend order.
        title: Chart title.
        xlabel: X-axis label.
        ylabel: Y-axis label.
        n_total: Number of ranked units (the worst possible rank).

    Returns:
        The figure.

    Raises:
        KeyError: If a column is missing.
        ValueError: On an unlabelled group, a duplicated (group, year), a rank outside
            1..n_total, derived points without ``derived_label``, or an undrawable character.
    """
    _require_columns(df, [x, y, group])
    data = df.dropna(subset=[x, y])
    if data.empty:
        raise ValueError("no rows with both a year and a rank")
    groups = _group_order(data[group], group_labels, group)
    if data.duplicated([group, x]).any():
        raise ValueError(f"more than one rank for the same {group} and {x}")
    if not data[y].between(1, n_total).all():
        raise ValueError(f"ranks must lie in 1..{n_total}")
    derived = _flag(data, "derived")
    derived_label = data.attrs.get("derived_label") or df.attrs.get("derived_label")
    if derived.any() and not derived_label:
        raise ValueError('derived points need a legend text in df.attrs["derived_label"]')
    # Every year in the span, so a year without any rank shows as a gap, not a shortcut.
    years = list(range(int(data[x].min()), int(data[x].max()) + 1))
    legend_texts = [group_labels[g] for g in groups]
    if derived.any():
        legend_texts.append(derived_label)
    tick_years = years[:: -(-len(years) // 12)]  # at most 12 year labels
    year_labels = [str(v) for v in tick_years]
    tick_ranks = _rank_ticks(n_total)
    check_glyphs([title, xlabel, ylabel, *legend_texts, *year_labels])

    with _styled():
        fig, ax = _make_figure(_WIDTHS["full"], 4.6)
        handles = []
        for g in groups:
            rows = data[data[group] == g]
            colour = PROVINCE_COLOURS.get(g, MUTED)
            study = g in PROVINCE_COLOURS
            z = 3 if study else 2
            # Reindex on every year so that a missing year leaves a visible gap in the line.
            series = rows.set_index(rows[x].astype(int))[y].reindex(years)
            ax.plot(
                years,
                series.to_numpy(dtype=float, na_value=np.nan),
                color=colour,
                lw=2.2 if study else 1.4,
                zorder=z,
            )
            flags = derived[rows.index]
            for hollow, part in ((False, rows[~flags]), (True, rows[flags])):
                if part.empty:
                    continue
                ax.plot(
                    part[x].astype(int),
                    part[y],
                    ls="none",
                    marker="o",
                    ms=8,
                    mew=2.0,
                    mec=colour,
                    mfc="white" if hollow else colour,
                    zorder=z + 1,
                    clip_on=False,
                )
            handles.append(
                Line2D([], [], color=colour, lw=2.2 if study else 1.4, marker="o", ms=8, mfc=colour)
            )
        if derived.any():
            handles.append(
                Line2D([], [], ls="none", marker="o", ms=8, mew=2.0, mec=_LEGEND_EDGE, mfc="white")
            )
        ax.set_ylim(n_total + 1, 0)
        ax.set_yticks(tick_ranks, labels=[str(t) for t in tick_ranks])
        ax.set_xticks(tick_years, labels=year_labels)
        ax.set_xlim(years[0] - 0.3, years[-1] + 0.3)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        _add_legend(ax, handles, legend_texts, above=True)
        _set_title(fig, title)

        # Print each rank beside its marker; close ranks in one year are pushed apart so that
        # their numbers stay readable.
        units_per_pt = (n_total + 1) / (_axes_height_px(fig, ax) * 72 / fig.dpi)
        min_gap = _VALUE_SIZE * 1.15 * units_per_pt
        for year, points in data.groupby(data[x].astype(int)):
            ranks = sorted(int(r) for r in points[y])
            for rank, pos in zip(ranks, _spread(ranks, min_gap, 0.5, n_total + 0.5), strict=True):
                ax.annotate(
                    str(rank),
                    (year, pos),
                    xytext=(8, 0),
                    textcoords="offset points",
                    ha="left",
                    va="center",
                    fontsize=_VALUE_SIZE,
                    zorder=6,
                    path_effects=_HALO,
                )
    return fig


def _spread(positions: Sequence[float], min_gap: float, lo: float, hi: float) -> list[float]:
    """Move sorted positions apart to at least ``min_gap``, keeping them within lo..hi."""
    out = list(positions)
    for k in range(1, len(out)):
        out[k] = max(out[k], out[k - 1] + min_gap)
    # If the last one was pushed past the end, shift the tail back and re-space upwards.
    if out and out[-1] > hi:
        out[-1] = hi
        for k in range(len(out) - 2, -1, -1):
            out[k] = min(out[k], out[k + 1] - min_gap)
    return [max(lo, v) for v in out]


def rank_distribution(
    ranks: Sequence[int],
    highlight: dict[str, int],
    *,
    labels: dict[str, str],
    title: str,
    xlabel: str,
    n_total: int = 63,
) -> Figure:
    """Where the study provinces stand among all ranked units in one year.

    Every rank is a small muted dot on a 1..n_total axis (rank 1 on the left; tied ranks are
    stacked). Highlighted provinces get a large dot in their colour and a label "name (rank)";
    labels that would overlap are moved to higher rows.

    Args:
        ranks: The rank of every unit (study provinces included).
        highlight: Province id -> rank, for the units to emphasise.
        labels: Province id -> display name.
        title: Chart title.
        xlabel: X-axis label; say there which side is better.
        n_total: Number of ranked units.

    Returns:
        The figure.

    Raises:
        ValueError: On a rank outside 1..n_total, a highlight without a label, or an undrawable
            character.
    """
    all_ranks = [int(r) for r in ranks]
    bad = [r for r in [*all_ranks, *highlight.values()] if not 1 <= r <= n_total]
    if bad:
        raise ValueError(f"ranks must lie in 1..{n_total}, got {sorted(set(bad))}")
    unlabelled = [p for p in highlight if p not in labels]
    if unlabelled:
        raise ValueError(f"no label given for highlighted province(s) {unlabelled}")
    order = sorted(highlight, key=lambda p: (highlight[p], list(highlight).index(p)))
    texts = {p: f"{labels[p]} ({int(highlight[p])})" for p in order}
    tick_ranks = _rank_ticks(n_total)
    check_glyphs([title, xlabel, *texts.values(), *(str(t) for t in tick_ranks)])
    colours = _group_colours(list(highlight))

    with _styled():
        fig, ax = _make_figure(_WIDTHS["full"], 2.8)
        ax.set_xlim(0, n_total + 1)
        ax.set_xticks(tick_ranks, labels=[str(t) for t in tick_ranks])
        ax.set_xlabel(xlabel)
        ax.grid(False)
        ax.yaxis.set_visible(False)
        ax.spines["left"].set_visible(False)
        _set_title(fig, title)

        # Ties are stacked so every unit stays visible.
        dot_step = 0.45
        seen: Counter = Counter()
        xs, ys = [], []
        for r in sorted(all_ranks):
            xs.append(r)
            ys.append(seen[r] * dot_step)
            seen[r] += 1
        ax.scatter(xs, ys, s=22, color=MUTED, zorder=2, clip_on=False, linewidths=0)
        stack_top = (max(seen.values(), default=1) - 1) * dot_step

        # Measure labels in data units once the layout has fixed the axes width.
        width_px = _axes_width_px(fig, ax)
        units_per_pt = (n_total + 1) / (width_px * 72 / fig.dpi)
        widths = {p: _text_width_pt(texts[p], _TICK_SIZE) * units_per_pt for p in highlight}
        rows = _stagger_labels(highlight, widths, (n_total + 1) / 2, gap=6 * units_per_pt)

        # Each label hangs on a vertical leader from its dot, one text row above the last.
        row_gap = 1.0
        first = stack_top + 1.0
        top = first + max(row for row, _ in rows.values()) * row_gap + 0.9
        for p in order:
            r, (row, ha) = highlight[p], rows[p]
            y_text = first + row * row_gap
            ax.plot([r, r], [0, y_text - 0.08], color=colours[p], lw=1.2, zorder=3)
            ax.scatter(
                [r], [0], s=110, color=colours[p], edgecolors="white", linewidths=1.2, zorder=4
            )
            ax.text(r, y_text, texts[p], ha=ha, va="bottom", fontsize=_TICK_SIZE)
        ax.set_ylim(-0.6, top)
        # Give each label row about 0.3 in of axes height, however many rows there are.
        overhead_in = fig.get_figheight() - _axes_height_px(fig, ax) / fig.dpi
        fig.set_figheight(overhead_in + 0.3 * (top + 0.6))
    return fig


def _stagger_labels(
    positions: Mapping[str, float], widths: Mapping[str, float], middle: float, gap: float
) -> dict[str, tuple[int, str]]:
    """Assign each label a row (0 = lowest) and an alignment so that none overlap.

    A label starts at its leader (left-aligned) in the left half and ends at it (right-aligned)
    in the right half, so labels point into the plot. Labels are placed from the edges inwards
    in the lowest row where the label does not overlap another one, its leader does not cut
    through a label in a lower row, and the label does not cover a leader from a higher row.

    Returns:
        Key -> (row, horizontal alignment).
    """
    left = sorted((k for k in positions if positions[k] <= middle), key=lambda k: -positions[k])
    right = sorted((k for k in positions if positions[k] > middle), key=lambda k: positions[k])
    rows: list[list[tuple[float, float]]] = []
    leaders: list[tuple[float, int]] = []
    out: dict[str, tuple[int, str]] = {}
    for key, ha in [*((k, "left") for k in left), *((k, "right") for k in right)]:
        x = positions[key]
        lo, hi = (x, x + widths[key]) if ha == "left" else (x - widths[key], x)

        def fits(k: int, x: float = x, lo: float = lo, hi: float = hi) -> bool:
            if any(lo - gap < b and a < hi + gap for a, b in rows[k]):
                return False
            if any(a < x < b for row in rows[:k] for a, b in row):
                return False
            return not any(lo < lx < hi for lx, lrow in leaders if lrow > k)

        row = next((k for k in range(len(rows)) if fits(k)), None)
        if row is None:
            rows.append([])
            row = len(rows) - 1
        rows[row].append((lo, hi))
        leaders.append((x, row))
        out[key] = (row, ha)
    return out


def _axes_width_px(fig: Figure, ax: Axes) -> float:
    """Axes width in pixels after constrained layout has run."""
    fig.draw_without_rendering()
    return ax.get_window_extent().width


def grouped_bars(
    df: pd.DataFrame,
    *,
    category: str,
    value: str,
    group: str,
    group_labels: dict[str, str],
    title: str,
    ylabel: str,
    value_format: Callable[[float], str],
    hatch_col: str | None = None,
) -> Figure:
    """Side-by-side bars per category, one colour per group, each bar labelled with its value.

    Rows flagged in ``hatch_col`` (targets, approximations) are drawn hatched with a white fill,
    and the legend explains them with ``df.attrs["hatch_label"]``. A missing (category, group)
    pair leaves an empty slot. Value labels turn vertical when the bars are too narrow.

    Args:
        df: Long table, one row per category and group.
        category: Column of already-translated category names (x axis, in order of appearance).
        value: Numeric column.
        group: Group column (province ids take their fixed colours).
        group_labels: Group -> display name, in bar and legend order.
        title: Chart title.
        ylabel: Y-axis label (with the unit).
        value_format: The caller's locale number formatter, for value and tick labels.
        hatch_col: Optional boolean column marking rows to hatch.

    Returns:
        The figure.

    Raises:
        KeyError: If a column is missing.
        ValueError: On an unlabelled group, a duplicated (category, group), hatched rows without
            ``hatch_label``, or an undrawable character.
    """
    _require_columns(df, [category, value, group, hatch_col])
    data = df.dropna(subset=[value])
    if data.empty:
        raise ValueError(f"no values in column {value!r}")
    groups = _group_order(data[group], group_labels, group)
    if data.duplicated([category, group]).any():
        raise ValueError(f"more than one {value} for the same {category} and {group}")
    hatched = _flag(data, hatch_col)
    hatch_label = df.attrs.get("hatch_label")
    if hatched.any() and not hatch_label:
        raise ValueError('hatched bars need a legend text in df.attrs["hatch_label"]')
    categories = list(dict.fromkeys(str(c) for c in data[category]))
    value_texts = {i: value_format(float(v)) for i, v in data[value].items()}
    legend_texts = [group_labels[g] for g in groups]
    if hatched.any():
        legend_texts.append(hatch_label)
    check_glyphs([title, ylabel, *categories, *legend_texts, *value_texts.values()])
    colours = _group_colours(groups)

    with _styled():
        fig, ax = _make_figure(_WIDTHS["full"], 4.6)
        slot = 0.8 / len(groups)
        cat_pos = {c: i for i, c in enumerate(categories)}
        bars, tops = [], []
        for gi, g in enumerate(groups):
            rows = data[data[group] == g]
            for i, row in rows.iterrows():
                xpos = cat_pos[str(row[category])] + (gi - (len(groups) - 1) / 2) * slot
                v = float(row[value])
                hatch = bool(hatched[i])
                ax.bar(
                    xpos,
                    v,
                    width=slot * 0.9,
                    color="white" if hatch else colours[g],
                    edgecolor=colours[g],
                    hatch=_HATCH if hatch else None,
                    linewidth=1.2,
                    zorder=2,
                )
                bars.append((xpos, v, value_texts[i]))
                tops.append(v)
        ax.set_xlim(-0.5, len(categories) - 0.5)
        ax.set_xticks(range(len(categories)), labels=categories)
        ax.tick_params(axis="x", length=0)
        ax.set_ylabel(ylabel)
        if min(tops) < 0:
            ax.axhline(0, color="#444444", lw=0.8, zorder=2)
        handles = [Patch(facecolor=colours[g], edgecolor=colours[g]) for g in groups]
        if hatched.any():
            handles.append(Patch(facecolor="white", edgecolor=_LEGEND_EDGE, hatch=_HATCH))
        _add_legend(ax, handles, legend_texts, above=True)
        _set_title(fig, title)

        # With the layout settled, wrap category names to their slot and turn value labels
        # vertical if they are wider than a bar.
        category_pt = _axes_width_px(fig, ax) * 72 / fig.dpi / len(categories)
        wrapped = [_wrap(c, category_pt * 0.95, _TICK_SIZE) for c in categories]
        ax.set_xticks(range(len(categories)), labels=wrapped)
        widest = max(_text_width_pt(t, _VALUE_SIZE) for t in value_texts.values())
        rotated = widest > category_pt * slot
        heights = []
        for xpos, v, text in bars:
            ax.annotate(
                text,
                (xpos, v),
                xytext=(0, 3 if v >= 0 else -3),
                textcoords="offset points",
                ha="center",
                va="bottom" if v >= 0 else "top",
                rotation=90 if rotated else 0,
                fontsize=_VALUE_SIZE,
                zorder=3,
            )
            heights.append(_label_height_px(text, fig, _VALUE_SIZE, rotated, 4))
        _value_axis(ax, tops, heights, value_format)
    return fig


def budget_series(
    actual: pd.DataFrame,
    plan: pd.DataFrame | None,
    *,
    title: str,
    ylabel: str,
    actual_label: str,
    plan_label: str,
    value_format: Callable[[float], str],
) -> Figure:
    """Yearly actual spending as bars, and each multi-year plan as one hatched span.

    A plan total covers several years, so it is never split, stacked or added to the actual
    bars: it is drawn once, as a hatched outlined area from its first to its last year at the
    height of its total, labelled with that total. Say "total for the period" in ``plan_label``.

    Args:
        actual: Columns ``year`` and ``value``, one row per year.
        plan: Columns ``start_year``, ``end_year`` and ``value`` (the total), or None.
        title: Chart title.
        ylabel: Y-axis label (with the unit).
        actual_label: Legend text for the bars.
        plan_label: Legend text for the span.
        value_format: The caller's locale number formatter, for value and tick labels.

    Returns:
        The figure.

    Raises:
        KeyError: If a column is missing.
        ValueError: If there is nothing to draw, a year repeats, a plan ends before it starts,
            or a character cannot be drawn.
    """
    _require_columns(actual, ["year", "value"], "actual")
    bars = actual.dropna(subset=["year", "value"])
    if bars["year"].duplicated().any():
        raise ValueError("actual has more than one value for a year")
    spans = pd.DataFrame(columns=["start_year", "end_year", "value"])
    if plan is not None:
        _require_columns(plan, ["start_year", "end_year", "value"], "plan")
        spans = plan.dropna(subset=["start_year", "end_year", "value"])
        if (spans["end_year"] < spans["start_year"]).any():
            raise ValueError("a plan ends before it starts")
    if bars.empty and spans.empty:
        raise ValueError("nothing to draw: no actual values and no plan")
    bar_texts = [value_format(float(v)) for v in bars["value"]]
    span_texts = [value_format(float(v)) for v in spans["value"]]
    years = [int(v) for v in bars["year"]]
    years += [int(v) for v in spans["start_year"]] + [int(v) for v in spans["end_year"]]
    all_years = list(range(min(years), max(years) + 1))
    year_labels = [str(v) for v in all_years]
    legend_texts = [actual_label] if not bars.empty else []
    legend_texts += [plan_label] if not spans.empty else []
    check_glyphs([title, ylabel, *legend_texts, *bar_texts, *span_texts, *year_labels])

    with _styled():
        fig, ax = _make_figure(_WIDTHS["full"], 4.4)
        tops, heights, labels = [], [], []
        for (start, end, total), text in zip(
            spans[["start_year", "end_year", "value"]].itertuples(index=False),
            span_texts,
            strict=True,
        ):
            start, end = int(start), int(end)
            ax.add_patch(
                Rectangle(
                    (start - 0.45, 0),
                    end - start + 0.9,
                    float(total),
                    facecolor=_PLAN_FILL,
                    edgecolor=_PLAN_COLOUR,
                    hatch=_HATCH,
                    linewidth=1.5,
                    zorder=1,
                )
            )
            labels.append(((start + end) / 2, float(total), text, "bold"))
        for (year, v), text in zip(
            bars[["year", "value"]].itertuples(index=False), bar_texts, strict=True
        ):
            ax.bar(int(year), float(v), width=0.7, color=PALETTE[0], zorder=2)
            labels.append((int(year), float(v), text, "normal"))
        for xpos, v, text, weight in labels:
            ax.annotate(
                text,
                (xpos, v),
                xytext=(0, 3 if v >= 0 else -3),
                textcoords="offset points",
                ha="center",
                va="bottom" if v >= 0 else "top",
                fontsize=_VALUE_SIZE,
                fontweight=weight,
                zorder=3,
            )
            tops.append(v)
            heights.append(_label_height_px(text, fig, _VALUE_SIZE, False, 4))
        ax.set_xticks(all_years, labels=year_labels)
        ax.tick_params(axis="x", length=0)
        ax.set_xlim(all_years[0] - 0.6, all_years[-1] + 0.6)
        ax.set_ylabel(ylabel)
        handles = []
        if not bars.empty:
            handles.append(Patch(facecolor=PALETTE[0]))
        if not spans.empty:
            handles.append(
                Patch(facecolor=_PLAN_FILL, edgecolor=_PLAN_COLOUR, hatch=_HATCH, linewidth=1.5)
            )
        _add_legend(ax, handles, legend_texts, above=True)
        _set_title(fig, title)
        _value_axis(ax, tops, heights, value_format)
    return fig


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a colour."""
    rgb = np.array(to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def matrix_heatmap(
    matrix: pd.DataFrame,
    *,
    title: str,
    cell_text: pd.DataFrame | None,
    colours: dict[str, str],
    legend_labels: dict[str, str],
) -> Figure:
    """Categorical matrix: one coloured cell per (row, column) code, with optional short text.

    Row labels (the index) are wrapped; column labels sit on top. The figure grows with the
    number of rows and with the longest wrapped row label. Cell text is black or white,
    whichever contrasts more with the cell colour.

    Args:
        matrix: Codes (e.g. "comparable", "not_comparable", "missing"); index and columns are
            the already-translated row and column labels.
        title: Chart title.
        cell_text: Optional frame with the same index and columns; empty or missing cells show
            no text.
        colours: Code -> colour (colour-blind-safe, chosen by the caller), in legend order.
        legend_labels: Code -> legend text.

    Returns:
        The figure.

    Raises:
        ValueError: If the matrix is empty or holds missing values, a code has no colour or no
            legend text, ``cell_text`` does not match the matrix, or a character cannot be
            drawn.
    """
    if matrix.empty:
        raise ValueError("matrix is empty")
    if matrix.isna().any().any():
        raise ValueError("matrix has missing cells; give them an explicit code such as 'missing'")
    codes = set(matrix.to_numpy().ravel().tolist())
    no_colour = sorted(str(c) for c in codes if c not in colours)
    if no_colour:
        raise ValueError(f"no colour given for code(s) {no_colour}")
    no_label = sorted(str(c) for c in codes if c not in legend_labels)
    if no_label:
        raise ValueError(f"no legend text given for code(s) {no_label}")
    texts = None
    if cell_text is not None:
        if not (cell_text.index.equals(matrix.index) and cell_text.columns.equals(matrix.columns)):
            raise ValueError("cell_text must have the same index and columns as matrix")
        texts = cell_text.astype(object).where(cell_text.notna(), "").astype(str)
    row_names = [str(r) for r in matrix.index]
    col_names = [str(c) for c in matrix.columns]
    legend_codes = [c for c in colours if c in codes]
    legend_texts = [legend_labels[c] for c in legend_codes]
    cell_strings = [] if texts is None else texts.to_numpy().ravel().tolist()
    check_glyphs([title, *row_names, *col_names, *legend_texts, *cell_strings])

    n_rows, n_cols = matrix.shape
    width_in = _WIDTHS["full"]
    # Row labels get at most a third of the width; the columns share the rest.
    rows_wrapped = [_wrap(r, width_in * 72 * 0.34, _TICK_SIZE) for r in row_names]
    edges = {c: "#999999" if _luminance(colours[c]) > 0.85 else colours[c] for c in codes}

    with _styled():
        fig, ax = _make_figure(width_in, 1.5 + 0.45 * n_rows)
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xlim(0, n_cols)
        ax.set_ylim(n_rows, 0)
        ax.set_yticks([i + 0.5 for i in range(n_rows)], labels=rows_wrapped)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        ax.set_xticks([j + 0.5 for j in range(n_cols)], labels=col_names)
        _set_title(fig, title)
        handles = [Patch(facecolor=colours[c], edgecolor=edges[c]) for c in legend_codes]
        _add_legend(ax, handles, legend_texts, above=False, handlelength=1.4)

        # Wrap column names and cell text to the measured cell width.
        cell_pt = _axes_width_px(fig, ax) * 72 / fig.dpi / n_cols
        ax.set_xticks(
            [j + 0.5 for j in range(n_cols)],
            labels=[_wrap(c, cell_pt * 0.95, _TICK_SIZE) for c in col_names],
        )
        cells = {}
        if texts is not None:
            for i in range(n_rows):
                for j in range(n_cols):
                    if texts.iat[i, j]:
                        cells[i, j] = _fit_cell_text(texts.iat[i, j], cell_pt * 0.94 - 6)
        # Each row is as tall as its tallest text (at least 0.4 in), so the figure grows with
        # the number of rows and with long labels.
        lines = [r.count("\n") + 1 for r in rows_wrapped]
        for (i, _), (text, _size) in cells.items():
            lines[i] = max(lines[i], text.count("\n") + 1)
        row_in = max(0.4, (max(lines) * _TICK_SIZE * 1.3 + 10) / 72)
        overhead_in = fig.get_figheight() - _axes_height_px(fig, ax) / fig.dpi
        fig.set_figheight(overhead_in + n_rows * row_in)

        for i in range(n_rows):
            for j in range(n_cols):
                face = colours[matrix.iat[i, j]]
                ax.add_patch(
                    Rectangle(
                        (j + 0.03, i + 0.05),
                        0.94,
                        0.9,
                        facecolor=face,
                        edgecolor=edges[matrix.iat[i, j]],
                        linewidth=0.8,
                    )
                )
                if (i, j) in cells:
                    text, size = cells[i, j]
                    ax.text(
                        j + 0.5,
                        i + 0.5,
                        text,
                        ha="center",
                        va="center",
                        fontsize=size,
                        # Black or white, whichever contrasts more with the fill.
                        color="black" if _luminance(face) > 0.18 else "white",
                        linespacing=1.2,
                    )
    return fig


def _fit_cell_text(text: str, width_pt: float) -> tuple[str, float]:
    """Wrap cell text to ``width_pt``; shrink the font (down to 7.5 pt) for a too-long word."""
    size = _VALUE_SIZE
    longest_word = max(_text_width_pt(w, size) for w in text.split())
    if longest_word > width_pt:
        size = max(7.5, size * width_pt / longest_word)
    return _wrap(text, width_pt, size), size
