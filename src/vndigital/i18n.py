"""Report language: labels, sentences and number/date formats for Vietnamese (vi) and English (en).

Both languages come from the same code: notebooks pass computed values into these templates,
so no number in prose is ever typed by hand.
"""

from __future__ import annotations

import math

from vndigital.vocab import AS_OF_PUBLICATION, LANGUAGES, UNDATED


class ParameterError(ValueError):
    """A report parameter that is unknown or has an invalid value."""


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ParameterError(f"unknown lang {lang!r}; valid values: {', '.join(LANGUAGES)}")
    return lang


# --- Numbers ------------------------------------------------------------------------------


def fmt_number(value: float, lang: str, decimals: int | None = None) -> str:
    """Vietnamese "1.458" / "90,8"; English "1,458" / "90.8".

    ``decimals=None`` shows whole numbers without decimals and others with up to two,
    trailing zeros trimmed.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
        text = f"{value:,.{decimals}f}"
        if decimals:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text.replace("-", "−")


def fmt_signed(value: float, lang: str, decimals: int | None = None) -> str:
    sign = "+" if value > 0 else ""
    return sign + fmt_number(value, lang, decimals)


UNIT_SUFFIX = {
    "percent": {"vi": "%", "en": "%"},
    "count": {"vi": "", "en": ""},
    "vnd_billion": {"vi": " tỷ đồng", "en": " billion VND"},
    "persons": {"vi": " người", "en": " people"},
    "km2": {"vi": " km²", "en": " km²"},
    "per_100_inhabitants": {"vi": "/100 dân", "en": " per 100 people"},
    "rank": {"vi": "", "en": ""},
    "points": {"vi": " điểm", "en": " points"},
    "count_per_day": {"vi": "/ngày", "en": " per day"},
}

UNIT_LABEL = {
    "percent": {"vi": "%", "en": "%"},
    "count": {"vi": "số lượng", "en": "count"},
    "vnd_billion": {"vi": "tỷ đồng", "en": "billion VND"},
    "persons": {"vi": "người", "en": "people"},
    "km2": {"vi": "km²", "en": "km²"},
    "per_100_inhabitants": {"vi": "trên 100 dân", "en": "per 100 people"},
    "rank": {"vi": "thứ hạng", "en": "rank"},
    "points": {"vi": "điểm", "en": "points"},
    "count_per_day": {"vi": "mỗi ngày", "en": "per day"},
}

QUALIFIER_PREFIX = {
    "exact": {"vi": "", "en": ""},
    "approx": {"vi": "khoảng ", "en": "about "},
    "lower_bound": {"vi": "hơn ", "en": "more than "},
    "upper_bound": {"vi": "dưới ", "en": "less than "},
    "target": {"vi": "mục tiêu ", "en": "target "},
}

QUALIFIER_LABEL = {
    "exact": {"vi": "chính xác", "en": "exact"},
    "approx": {"vi": "xấp xỉ", "en": "approximate"},
    "lower_bound": {"vi": "cận dưới (hơn/trên)", "en": "lower bound (more than)"},
    "upper_bound": {"vi": "cận trên (dưới)", "en": "upper bound (less than)"},
    "target": {"vi": "mục tiêu, chưa phải kết quả", "en": "target, not an achievement"},
}

ADMIN_LEVEL_LABEL = {
    "province": {"vi": "cấp tỉnh", "en": "province"},
    "district": {"vi": "cấp huyện", "en": "district"},
    "commune": {"vi": "cấp xã", "en": "commune"},
    "village": {"vi": "cấp thôn", "en": "village"},
}

GRADE_LABEL = {
    "P": {"vi": "P (nguồn gốc)", "en": "P (primary)"},
    "S": {"vi": "S (thứ cấp)", "en": "S (secondary)"},
    "D": {"vi": "D (suy ra)", "en": "D (derived)"},
}

TIER_LABEL = {
    "green": {"vi": "xanh", "en": "green"},
    "amber": {"vi": "vàng", "en": "amber"},
    "red": {"vi": "đỏ", "en": "red"},
}

KIND_LABEL = {
    "adoption": {"vi": "Sử dụng dịch vụ số", "en": "Adoption"},
    "infrastructure": {"vi": "Hạ tầng số", "en": "Infrastructure"},
    "capacity": {"vi": "Năng lực chính quyền số", "en": "Government capacity"},
    "budget": {"vi": "Ngân sách", "en": "Budget"},
    "composite_index": {"vi": "Chỉ số tổng hợp", "en": "Composite indices"},
    "context": {"vi": "Bối cảnh", "en": "Context"},
}

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fmt_value(
    value: float, unit: str, lang: str, qualifier: str = "exact", denominator=None
) -> str:
    """A figure as a reader sees it: "hơn 97%", "about 1,200,000", "hạng 12/63", "28 tỷ đồng"."""
    if unit == "rank":
        number = fmt_number(value, lang, 0)
        of = f"/{fmt_number(denominator, lang, 0)}" if denominator else ""
        core = f"hạng {number}{of}" if lang == "vi" else f"rank {number}{of}"
    else:
        core = fmt_number(value, lang) + UNIT_SUFFIX[unit][lang]
    return QUALIFIER_PREFIX[qualifier][lang] + core


def _fmt_date(date: str, lang: str) -> str:
    parts = date.split("-")
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        year, month = parts
        return f"{int(month)}/{year}" if lang == "vi" else f"{MONTHS_EN[int(month) - 1]} {year}"
    year, month, day = parts
    if lang == "vi":
        return f"{int(day)}/{int(month)}/{year}"
    return f"{int(day)} {MONTHS_EN[int(month) - 1]} {year}"


def fmt_date(date: str, lang: str) -> str:
    """ISO date (YYYY, YYYY-MM or YYYY-MM-DD) in the report language; "" stays ""."""
    return _fmt_date(date, lang) if date else ""


def fmt_period(period: str, lang: str, published: str = "") -> str:
    """A reference period: "2023", "6/2023–4/2024", "tại thời điểm đăng bài (10/10/2022)"."""
    if period == UNDATED:
        return "không rõ thời điểm" if lang == "vi" else "undated"
    if period == AS_OF_PUBLICATION:
        when = f" ({fmt_date(published, lang)})" if published else ""
        if lang == "vi":
            return "tại thời điểm đăng bài" + (when or " (ngày đăng không rõ)")
        return "at publication" + (when or " (date not shown)")
    start, _, end = period.partition("/")
    if not end:
        return fmt_date(start, lang)
    return f"{fmt_date(start, lang)}–{fmt_date(end, lang)}"


def label(table: dict, key: str, lang: str) -> str:
    return table[key][lang]


# --- Sentences ----------------------------------------------------------------------------
# One entry per sentence or heading; str.format placeholders take values computed by code.

MESSAGES: dict[str, dict[str, str]] = {
    # shared
    "source": {"vi": "Nguồn", "en": "Source"},
    "sources_heading": {"vi": "Nguồn tham khảo", "en": "Sources"},
    "line": {"vi": "dòng", "en": "line"},
    "n_label": {"vi": "n", "en": "n"},
    "none": {"vi": "không có", "en": "none"},
    "col_indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "col_value": {"vi": "Giá trị", "en": "Value"},
    "col_level": {"vi": "Cấp", "en": "Level"},
    "col_place": {"vi": "Địa bàn", "en": "Place"},
    "col_period": {"vi": "Thời kỳ", "en": "Period"},
    "col_grade": {"vi": "Cấp nguồn", "en": "Source grade"},
    "col_tier": {"vi": "Mức tin cậy", "en": "Quality"},
    "col_source": {"vi": "Nguồn", "en": "Source"},
    "col_province": {"vi": "Tỉnh", "en": "Province"},
    "col_year": {"vi": "Năm", "en": "Year"},
    "col_rank": {"vi": "Hạng DTI", "en": "DTI rank"},
    "col_note": {"vi": "Ghi chú", "en": "Note"},
    "col_reason": {"vi": "Lý do", "en": "Reason"},
    "col_status": {"vi": "Tình trạng", "en": "Status"},
    "col_id": {"vi": "Mã", "en": "Id"},
    "col_publisher": {"vi": "Đơn vị đăng", "en": "Publisher"},
    "col_title": {"vi": "Tiêu đề", "en": "Title"},
    "col_date": {"vi": "Ngày", "en": "Date"},
    "col_file": {"vi": "Tệp / địa chỉ", "en": "File / address"},
    "col_raw": {"vi": "Nguyên văn con số", "en": "Number as printed"},
    "col_count": {"vi": "Số con số", "en": "Figures"},
    "col_method": {"vi": "Phương pháp", "en": "Method"},
    "col_result": {"vi": "Kết quả", "en": "Result"},
    "col_budget": {"vi": "Ngân sách CĐS (tỷ đồng)", "en": "DT budget (billion VND)"},
    "col_population": {"vi": "Dân số", "en": "Population"},
    "col_per_capita": {"vi": "Nghìn đồng/người", "en": "Thousand VND per person"},
    "derived_marker": {
        "vi": "suy ra từ mức thay đổi hạng",
        "en": "derived from a stated rank change",
    },
    "chart_source": {"vi": "Nguồn: {sources}.", "en": "Source: {sources}."},
    "boundary_note": {
        "vi": "Ranh giới hành chính: 63 tỉnh, thành phố trước ngày 1/7/2025.",
        "en": "Boundaries: the 63 provinces before 1 July 2025.",
    },
    "no_rows": {"vi": "Không có số liệu nào.", "en": "No figures."},
    # quality tiers
    "tier_rules": {
        "vi": (
            "Mức tin cậy: xanh = con số chính xác, nguồn gốc (P), cấp tỉnh; vàng = nguồn thứ cấp (S), "
            "suy ra (D) hoặc con số ước lượng/cận; đỏ = số liệu cấp huyện, xã, thôn (không đại diện "
            "cho cả tỉnh) hoặc mục tiêu (chưa phải kết quả)."
        ),
        "en": (
            "Quality: green = exact figure from a primary source (P) at province level; amber = "
            "secondary (S), derived (D) or approximate/bounded; red = a district, commune or "
            "village figure (not the province) or a target (not an achievement)."
        ),
    },
}


def t(key: str, lang: str, **values) -> str:
    """The sentence ``key`` in ``lang`` with computed ``values`` filled in."""
    return MESSAGES[key][lang].format(**values)


STATUS_LABEL = {
    "comparable": {"vi": "so sánh được", "en": "comparable"},
    "different_definition": {"vi": "khác định nghĩa", "en": "definitions differ"},
    "different_year": {"vi": "khác năm", "en": "different year"},
    "sub_provincial": {"vi": "chỉ cấp huyện/xã", "en": "sub-provincial only"},
    "target_only": {"vi": "chỉ có mục tiêu", "en": "target only"},
    "missing": {"vi": "không có", "en": "missing"},
}


# Headers of exported tables (CSV/XLSX) for columns that come straight from the data; the unit is
# in the header wherever a column holds a single unit.
COLUMN_LABELS = {
    "province_name": {"vi": "Tỉnh", "en": "Province"},
    "province": {"vi": "Mã tỉnh", "en": "Province id"},
    "year": {"vi": "Năm", "en": "Year"},
    "rank": {"vi": "Hạng DTI (trên 63)", "en": "DTI rank (of 63)"},
    "grade": {"vi": "Cấp nguồn", "en": "Source grade"},
    "derived": {"vi": "Suy ra từ mức thay đổi", "en": "Derived from a stated change"},
    "source_id": {"vi": "Mã nguồn", "en": "Source id"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "qualifier": {"vi": "Loại giá trị", "en": "Qualifier"},
    "numerator": {"vi": "Tử số", "en": "Numerator"},
    "denominator": {"vi": "Mẫu số", "en": "Denominator"},
    "indicator_id": {"vi": "Mã chỉ tiêu", "en": "Indicator id"},
    "obs_id": {"vi": "Mã con số", "en": "Figure id"},
    "kind": {"vi": "Loại", "en": "Kind"},
    "line": {"vi": "Dòng", "en": "Line"},
    "budget_year": {"vi": "Năm ngân sách", "en": "Budget year"},
    "budget": {"vi": "Ngân sách CĐS (tỷ đồng)", "en": "DT budget (billion VND)"},
    "rank_year": {"vi": "Năm xếp hạng", "en": "Rank year"},
    "rank_grade": {"vi": "Cấp nguồn của hạng", "en": "Rank source grade"},
    "lag": {"vi": "Độ trễ (năm)", "en": "Lag (years)"},
}


def column_label(name: str, lang: str) -> str:
    """Header of a data column in the report language (unknown names are kept)."""
    return COLUMN_LABELS[name][lang] if name in COLUMN_LABELS else name
