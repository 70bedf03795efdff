"""One line of Vietnamese news text in, its numeric quantities (value, unit, qualifier) out.

Rules, applied to the NFC-normalized line:

* Format: ``.`` groups thousands and ``,`` is the decimal mark ("1.458" = 1458, "90,8" = 90.8).
* Units: ``90,8%`` is percent; a ratio ``1.458/1.604`` is percent 100*a/b; ``115 thuê bao/100
  dân`` is per_100_inhabitants; ``xếp thứ 12/63`` and ``hạng 5`` are rank; money keeps its scale
  as the unit (``28 tỷ đồng`` = 28 vnd_billion) while counts are scaled (``1,2 triệu`` = 1.2e6);
  an explicit sign (``-1,2``) or ``tăng/giảm 8 bậc`` is a change.
* Qualifiers: hơn/trên/tối thiểu/ít nhất/... trở lên give lower_bound; gần/khoảng/xấp xỉ/chừng
  give approx; dưới/chưa đến/tối đa/không quá give upper_bound. A range ``70-80%`` gives two
  quantities, range_low (lower_bound) and range_high (upper_bound). A target cue (phấn đấu, mục
  tiêu, chỉ tiêu, kế hoạch ... đến năm 20xx, ...) earlier in the same sentence makes the later
  numbers ``target`` unless a realised marker (đã, đến nay, hiện nay) comes between.
* Not quantities: dates (``7/2024``, ``02/04/2024``), clock times, years after năm/giai đoạn/...,
  periods (``2022-2025``), codes glued to letters (``3G/4G``, ``COVID-19``, ``13-NQ/TU``), names of
  documents and places (``Đề án 06``, ``Quốc lộ 14``), levels (``mức độ 3, 4``), ordinals
  (``lần thứ 52``), numbers with a leading zero (``06``, phone numbers), malformed numbers
  (``4.0``) and numbers that end a quoted name (``“Báo cháy 114”``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

QUALIFIERS = ("exact", "approx", "lower_bound", "upper_bound", "target")
UNITS = (
    "",
    "percent",
    "vnd_billion",
    "vnd_million",
    "vnd",
    "per_100_inhabitants",
    "rank",
    "change",
)


@dataclass(frozen=True)
class Quantity:
    """A numeric expression found in a line; ``line[start:end] == raw_text``."""

    raw_text: str
    start: int
    end: int
    value: float
    unit: str
    qualifier: str
    numerator: float | None = None
    denominator: float | None = None
    part: str = "single"


_NUMBER_RE = re.compile(r"([+\-\u2212]?)([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,([0-9]+))?")


def _to_decimal(text: str) -> Decimal:
    """Exact value of a Vietnamese-formatted number (Decimal keeps 0,651 triệu exact)."""
    match = _NUMBER_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a Vietnamese number: {text!r}")
    sign, integer, fraction = match.groups()
    value = Decimal(integer.replace(".", "") + ("." + fraction if fraction else ""))
    return -value if sign in ("-", "\u2212") else value


def parse_vn_number(text: str) -> float:
    """Parse a number written the Vietnamese way.

    Args:
        text: Digits with ``.`` thousands groups and an optional ``,`` decimal part, optionally
            signed, e.g. "1.458", "90,8", "-1,2".

    Returns:
        The value as a float.

    Raises:
        ValueError: If ``text`` is not such a number (e.g. "4.0", "1.5", "abc").
    """
    return float(_to_decimal(text))


# --- patterns -------------------------------------------------------------------------------
# A "chunk" is a run of word characters and number punctuation: codes such as "13-NQ/TU" or
# "3G/4G" stay in one piece, so a letter anywhere in the chunk marks every number in it as a name.
_CHUNK_RE = re.compile(r"[\w/.,:+\-\u2212\u2013\u2014]+")
_TOKEN_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_DASHES = "-\u2013\u2014"
_SIGNS = "+-\u2212"
_TRAILING_PUNCT = ".,:/+" + _DASHES + "\u2212"
_GLUED_MONEY_RE = re.compile(r"(?<=[0-9])(?:đồng|vnđ|vnd|đ)\Z", re.IGNORECASE)
_OPENING_QUOTES = '“"«‘'
_CLOSING_QUOTES = '”"»’'

_MULTIPLIERS = {
    "nghìn": Decimal(10**3),
    "ngàn": Decimal(10**3),
    "triệu": Decimal(10**6),
    "tỷ": Decimal(10**9),
    "tỉ": Decimal(10**9),
}
# "tỷ lệ" means "rate", and "Triệu" is a family name, so multipliers are lower case and whole.
_MULTIPLIER_RE = re.compile(r"\s+(nghìn|ngàn|triệu|tỷ|tỉ)(?:\s+(tỷ|tỉ))?(?!\w)(?!\s+lệ(?!\w))")
# "đồng" also starts compounds ("đồng bào" = compatriots, "đồng thời" = at the same time).
_MONEY_RE = re.compile(
    r"\s*(?:đồng|vnđ|vnd|đ)(?!\w)"
    r"(?!\s+(?:bào|chí|bộ|thời|hành|lòng|đều|loạt|tâm|ý|minh|nghiệp|ruộng|dạng|hồ|bằng|tình"
    r"|cảm|nhất|đẳng|thuận|hương|hội|ca)(?!\w))",
    re.IGNORECASE,
)
_PERCENT_RE = re.compile(r"\s?%|\s+phần\s+trăm(?!\w)", re.IGNORECASE)
_PER_100_RE = re.compile(r"(?:\s+[^\W\d_]+){0,3}\s*/\s*100\s+(?:người\s+)?dân(?!\w)", re.IGNORECASE)
_DAN_RE = re.compile(r"\s+(?:người\s+)?dân(?!\w)", re.IGNORECASE)


def _left_cue(*phrases: str) -> re.Pattern[str]:
    """A pattern for one of ``phrases`` as whole words right before the number."""
    alternatives = "|".join(sorted(phrases, key=len, reverse=True)).replace(" ", r"\s+")
    return re.compile(rf"(?<!\w)(?:{alternatives})\s+\Z", re.IGNORECASE)


_QUALIFIER_WORDS = {
    "gần": "approx",
    "khoảng": "approx",
    "khoảng chừng": "approx",
    "xấp xỉ": "approx",
    "chừng": "approx",
    "hơn": "lower_bound",
    "trên": "lower_bound",
    "tối thiểu": "lower_bound",
    "ít nhất": "lower_bound",
    "không dưới": "lower_bound",
    "dưới": "upper_bound",
    "chưa đến": "upper_bound",
    "chưa tới": "upper_bound",
    "tối đa": "upper_bound",
    "không quá": "upper_bound",
}
_QUALIFIER_RE = _left_cue(*_QUALIFIER_WORDS)
# "trên" is also "on": "trên 3 trụ cột" = "on 3 pillars", not "more than 3".
_ON_NOUN_RE = re.compile(
    r"\s+(?:trụ\s+cột|lĩnh\s+vực|nền\s+tảng|mặt|phương\s+diện|kênh)(?!\w)", re.IGNORECASE
)
_AT_LEAST_RE = re.compile(r"(?:\s+[^\W\d_]+){0,2}?\s+trở\s+(lên|xuống)(?!\w)", re.IGNORECASE)

_RANK_CUE_RE = _left_cue(
    "xếp thứ hạng", "xếp hạng", "xếp thứ", "đứng thứ", "đứng hạng", "thứ hạng", "hạng"
)
_RANK_OF_RE = re.compile(
    r"\s+(?:trên|trong\s+số|trong)\s+([0-9]+)"
    r"(?=\s+(?:tỉnh|địa\s+phương|quốc\s+gia|nước|đơn\s+vị|huyện|xã|sở|cơ\s+quan)(?!\w))",
    re.IGNORECASE,
)
_CHANGE_CUE_RE = re.compile(r"(?<!\w)(tăng|giảm)\s+\Z", re.IGNORECASE)
_STEP_RE = re.compile(r"\s+(?:bậc|hạng)(?!\w)", re.IGNORECASE)
_YEAR_CUE_RE = _left_cue(
    "năm", "năm học", "giai đoạn", "từ", "đến", "tới", "cuối", "đầu", "trong", "hết", "sau",
    "trước", "vào", "niên độ",
)  # fmt: skip
_DATE_CUE_RE = _left_cue(
    "ngày", "từ", "đến", "tới", "trước", "sau", "vào", "hôm", "kể từ", "sáng", "chiều", "tối"
)
_NAME_CUE_RE = _left_cue(
    "đề án", "chỉ thị", "quyết định", "nghị quyết", "nghị định", "thông tư", "công văn",
    "thông báo", "kết luận", "quốc lộ", "tỉnh lộ", "tổ dân phố", "khu phố", "tổ", "thôn", "ấp",
    "khóa", "khoá", "covid", "tổng đài", "hotline", "đường dây nóng", "phiên bản", "điều",
    "chương", "phòng", "số nhà", "quyết định số", "công văn số", "đề án số",
)  # fmt: skip
_NUMBER_SIGN_RE = re.compile(r"(?<!\w)Số\s+\Z")  # capitalised "Số 778" is a label, "con số 5" not
_ORDINAL_RE = _left_cue("thứ")
_CALENDAR_RE = re.compile(
    r"(?<!\w)(?:(mỗi|hằng|hàng|một|mấy|vài)\s+)?(ngày|tháng|quý)\s+\Z", re.IGNORECASE
)
_CALENDAR_MAX = {"ngày": 31, "tháng": 12, "quý": 4}
_LEVEL_RE = _left_cue("mức độ", "cấp độ", "mức")
_CLOCK_RE = re.compile(
    r"\s+giờ(?:\s+[0-9]+(?:\s+phút)?)?\s+(?:sáng|chiều|tối|trưa|đêm)(?!\w)", re.IGNORECASE
)
_AT_TIME_RE = _left_cue("lúc")
_FROM_RE = _left_cue("từ")
_RANGE_DASH_RE = re.compile(r"\s*[-\u2013\u2014]\s*(?=[0-9])")
_RANGE_TO_RE = re.compile(r"\s+(?:đến|tới)\s+(?=[0-9])", re.IGNORECASE)
_LIST_JOIN_RE = re.compile(r"\s*(?:,|và|hoặc|hay|-|\u2013|\u2014|đến|tới)\s*", re.IGNORECASE)
_PHONE_JOIN_RE = re.compile(r"[\s.]")
_PHONE_CUE_RE = _left_cue("hotline", "tổng đài", "đường dây nóng", "fax", "sđt")

_SENTENCE_END_RE = re.compile(r"[.!?…]+\s+")
_TARGET_CUE_RE = re.compile(
    r"(?<!\w)(?:phấn\s+đấu|mục\s+tiêu|chỉ\s+tiêu|định\s+hướng|tầm\s+nhìn|dự\s+kiến)(?!\w)",
    re.IGNORECASE,
)
_PLAN_RE = re.compile(r"(?<!\w)kế\s+hoạch(?!\w)", re.IGNORECASE)
_BY_YEAR_RE = re.compile(r"(?<!\w)đến\s+năm\s+(?:19|20)[0-9]{2}(?!\w)", re.IGNORECASE)
_GOAL_MODAL_RE = re.compile(
    r"(?<!\w)(?:sẽ|cần|phải|bảo\s+đảm|đảm\s+bảo|hướng\s+tới)(?!\w)", re.IGNORECASE
)
# "vượt chỉ tiêu" / "hoàn thành mục tiêu" report an achievement, not a goal.
_MET_GOAL_RE = re.compile(r"(?<!\w)(?:vượt|hoàn\s+thành|so\s+với)\s+(?:\w+\s+)?\Z", re.IGNORECASE)
# "đã đề ra" only restates that a goal was set; other "đã" report what has been done.
_REALISED_RE = re.compile(
    r"(?<!\w)(?:đã(?!\s+(?:được\s+)?(?:đề\s+ra|đặt\s+ra|xác\s+định|phê\s+duyệt|ban\s+hành))"
    r"|đến\s+nay|hiện\s+nay)(?!\w)",
    re.IGNORECASE,
)


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1900 <= int(token) <= 2100


def _has_leading_zero(token: str) -> bool:
    """Identifiers and phone numbers start with 0 ("06", "0271"); quantities never do."""
    return len(token) > 1 and token[0] == "0" and token[1].isdigit()


def _is_plain_number(token: str) -> bool:
    """Unsigned digits and separators without a leading zero: one side of "a/b" or "a-b"."""
    return bool(_TOKEN_RE.fullmatch(token)) and not _has_leading_zero(token)


def _small_int(token: str, limit: int) -> bool:
    return token.isdigit() and 0 < int(token) <= limit


@dataclass(frozen=True)
class _Unit:
    name: str
    scale: Decimal
    end: int


class _Scanner:
    """Walks the number chunks of one NFC line left to right and collects quantities."""

    def __init__(self, line: str) -> None:
        self.line = line
        self.found: list[Quantity] = []
        self.consumed = 0  # text before this offset already belongs to a quantity
        self.chain: tuple[str, int] | None = None  # (kind, end) of a skipped list or phone number

    def scan(self) -> list[Quantity]:
        for chunk in _CHUNK_RE.finditer(self.line):
            if chunk.start() < self.consumed or not any(ch.isdigit() for ch in chunk.group()):
                continue
            start, end = self._strip(chunk.start(), chunk.end())
            if start >= end:
                continue
            if self._continues_chain(start, end):
                continue
            self.chain = None
            self._chunk(start, end)
        return self.found

    # --- chunk classification ---------------------------------------------------------------

    def _strip(self, start: int, end: int) -> tuple[int, int]:
        """Drop sentence punctuation around a chunk and a glued money suffix ("500.000đ")."""
        line = self.line
        while end > start and line[end - 1] in _TRAILING_PUNCT:
            end -= 1
        while start < end and not (
            line[start].isalnum()
            or (line[start] in _SIGNS and line[start + 1 : start + 2].isdigit())
        ):
            start += 1
        glued = _GLUED_MONEY_RE.search(line, start, end)
        return start, glued.start() if glued else end

    def _continues_chain(self, start: int, end: int) -> bool:
        """Whether this chunk continues a skipped list ("năm 2018, 2019", "mức độ 3, 4", phone)."""
        if self.chain is None:
            return False
        kind, chain_end = self.chain
        join = _PHONE_JOIN_RE if kind == "phone" else _LIST_JOIN_RE
        if not join.fullmatch(self.line, chain_end, start):
            return False
        token = self.line[start:end]
        if kind == "year":
            member = _is_year(token)
        elif kind == "phone":
            member = token.isdigit()
        else:
            member = _small_int(token, 10) and self._unit(end).name == ""
        if member:
            self.chain = (kind, end)
        return member

    def _chunk(self, start: int, end: int) -> None:
        core = self.line[start:end]
        if any(ch.isalpha() or ch == "_" for ch in core) or ":" in core:
            return  # a code ("3G/4G", "COVID-19"), a glued counter, or a clock time
        sign = ""
        if core[0] in _SIGNS:
            sign, core, start = core[0], core[1:], start + 1
        if "/" in core:
            if not sign:
                self._slashed(start, end)
        elif any(dash in core for dash in _DASHES):
            if not sign:
                self._dashed(start, end)
        else:
            self._single(start, end, sign)

    def _slashed(self, start: int, end: int) -> None:
        """A fraction, a rank "12/63", a per-100 figure "115/100 dân", or a date to skip."""
        parts = self.line[start:end].split("/")
        if len(parts) != 2 or not all(_is_plain_number(part) for part in parts):
            return  # "02/04/2024", "18/2023/QĐ" and friends
        first, second = parts
        try:
            numerator, denominator = _to_decimal(first), _to_decimal(second)
        except ValueError:
            return
        if _is_year(second) and (_small_int(first, 12) or _is_year(first)):
            return  # "7/2024", "tháng 6/2023", "2023/2024"
        rank_cue = self._left(_RANK_CUE_RE, start)
        if rank_cue:
            self._rank(rank_cue.start(), start, numerator, denominator, end)
            return
        per_100 = _DAN_RE.match(self.line, end)
        if second == "100" and per_100:
            self._emit_single(
                start, numerator, _Unit("per_100_inhabitants", Decimal(1), per_100.end())
            )
            return
        day_month = _small_int(first, 31) and _small_int(second, 12)
        if day_month and (self._left(_DATE_CUE_RE, start) or numerator > denominator):
            return  # "ngày 9/11", "từ 1/7", "15/8"
        if (first, second) == ("24", "7") or denominator == 0:
            return  # "24/7" is round-the-clock service
        self._emit_ratio(start, end, numerator, denominator)

    def _dashed(self, start: int, end: int) -> None:
        """An unspaced range "70-80%", or a period "2022-2025" to skip."""
        parts = re.split(f"[{_DASHES}]", self.line[start:end])
        if len(parts) != 2 or not all(_is_plain_number(part) for part in parts):
            return
        if all(_is_year(part) for part in parts):
            return
        try:
            low, high = _to_decimal(parts[0]), _to_decimal(parts[1])
        except ValueError:
            return
        high_start = end - len(parts[1])
        self._emit_range(start, start, low, None, high_start, high, self._unit(end))

    def _single(self, start: int, end: int, sign: str) -> None:
        line, token = self.line, self.line[start:end]
        try:
            number = _to_decimal(token)
        except ValueError:
            return  # "4.0", "0271.3883160", "8,345,915"
        if _has_leading_zero(token) or self._left(_PHONE_CUE_RE, start):
            self.chain = ("phone", end)  # the rest of "0912 345 678" belongs to it too
            return
        rank_cue = self._left(_RANK_CUE_RE, start)
        if rank_cue and not sign:
            self._rank(rank_cue.start(), start, number, None, end)
            return
        change_cue = self._left(_CHANGE_CUE_RE, start)
        step = _STEP_RE.match(line, end)
        if change_cue and step and not sign:
            signed = -number if change_cue.group(1).lower() == "giảm" else number
            self._append(change_cue.start(), step.end(), float(signed), "change", "exact")
            return
        if _is_year(token) and not sign and self._left(_YEAR_CUE_RE, start):
            self.chain = ("year", end)
            return
        if self._is_label(start, end, token):
            return
        unit = self._unit(end)
        if unit.name == "" and not sign and self._left(_LEVEL_RE, start):
            self.chain = ("level", end)
            return
        if not sign and self._range_after(start, token, unit):
            return
        if sign:
            value = number * unit.scale if unit.name in ("", "vnd") else number
            raw_start = start - 1
            value = -value if sign in "-\u2212" else value
            self._append(raw_start, unit.end, float(value), "change", "exact")
            return
        self._emit_single(start, number, unit)

    def _is_label(self, start: int, end: int, token: str) -> bool:
        """Numbers that name or date something rather than count it."""
        line = self.line
        if self._left(_NAME_CUE_RE, start) or self._left(_NUMBER_SIGN_RE, start):
            return True  # "Đề án 06", "Quyết định 766", "Quốc lộ 14", "Số 778"
        if self._left(_ORDINAL_RE, start):
            return True  # "lần thứ 52", "thứ 2"
        calendar = self._left(_CALENDAR_RE, start)
        if calendar and not calendar.group(1):
            if _small_int(token, _CALENDAR_MAX[calendar.group(2).lower()]):
                return True  # "tháng 6", "ngày 15", "quý 1"
        if _CLOCK_RE.match(line, end) or self._left(_AT_TIME_RE, start):
            return True  # "8 giờ sáng", "lúc 9"
        if end < len(line) and line[end] in _CLOSING_QUOTES:
            opening = max(line.rfind(quote, 0, start) for quote in _OPENING_QUOTES)
            if opening >= 0 and any(ch.isalpha() for ch in line[opening:start]):
                return True  # “Báo cháy 114”
        return False

    # --- helpers ----------------------------------------------------------------------------

    def _left(self, pattern: re.Pattern[str], position: int) -> re.Match[str] | None:
        """Match ``pattern`` (anchored at its end) against the text just before ``position``."""
        return pattern.search(self.line, max(0, position - 40), position)

    def _unit(self, position: int) -> _Unit:
        """The unit words printed right after a number ending at ``position``."""
        line = self.line
        per_100 = _PER_100_RE.match(line, position)
        if per_100:
            return _Unit("per_100_inhabitants", Decimal(1), per_100.end())
        percent = _PERCENT_RE.match(line, position)
        if percent:
            return _Unit("percent", Decimal(1), percent.end())
        scale, end = Decimal(1), position
        multiplier = _MULTIPLIER_RE.match(line, position)
        if multiplier:
            scale = _MULTIPLIERS[multiplier.group(1)] * _MULTIPLIERS.get(
                multiplier.group(2) or "", Decimal(1)
            )
            end = multiplier.end()
        money = _MONEY_RE.match(line, end)
        if money is None:
            return _Unit("", scale, end)
        # Money keeps the printed scale as its unit: "28 tỷ đồng" is 28 vnd_billion.
        if scale >= 10**9:
            return _Unit("vnd_billion", scale / 10**9, money.end())
        if scale >= 10**6:
            return _Unit("vnd_million", scale / 10**6, money.end())
        return _Unit("vnd", scale, money.end())

    def _qualifier(self, start: int, unit_end: int) -> tuple[int, str]:
        """The raw-text start and qualifier from words before and after the number."""
        cue = self._left(_QUALIFIER_RE, start)
        if cue:
            word = " ".join(cue.group().split()).lower()
            if not (word == "trên" and _ON_NOUN_RE.match(self.line, unit_end)):
                return cue.start(), _QUALIFIER_WORDS[word]
        at_least = _AT_LEAST_RE.match(self.line, unit_end)
        if at_least:
            return start, "lower_bound" if at_least.group(1).lower() == "lên" else "upper_bound"
        return start, "exact"

    def _range_after(self, start: int, low_token: str, low_unit: _Unit) -> bool:
        """Emit a spaced range ("20 – 25%", "từ 20 đến 25%") that starts with this number."""
        line = self.line
        from_cue = self._left(_FROM_RE, start)
        separator = _RANGE_DASH_RE.match(line, low_unit.end)
        if separator is None and from_cue:
            separator = _RANGE_TO_RE.match(line, low_unit.end)
        if separator is None:
            return False
        high_start = separator.end()
        chunk = _CHUNK_RE.match(line, high_start)
        _, high_end = self._strip(chunk.start(), chunk.end())
        high_token = line[high_start:high_end]
        if not _is_plain_number(high_token):
            return False  # "5 - 6G", "2 - 02/04/2024": not a second number
        if _is_year(low_token) and _is_year(high_token):
            self.consumed = high_end  # "2019 – 2024" is a period
            return True
        try:
            low, high = _to_decimal(low_token), _to_decimal(high_token)
        except ValueError:
            return False
        raw_start = from_cue.start() if from_cue and separator.re is _RANGE_TO_RE else start
        unit = low_unit if low_unit.name else None
        return self._emit_range(raw_start, start, low, unit, high_start, high, self._unit(high_end))

    # --- emitting ---------------------------------------------------------------------------

    def _emit_single(self, start: int, number: Decimal, unit: _Unit) -> None:
        raw_start, qualifier = self._qualifier(start, unit.end)
        self._append(raw_start, unit.end, float(number * unit.scale), unit.name, qualifier)

    def _emit_ratio(self, start: int, end: int, numerator: Decimal, denominator: Decimal) -> None:
        raw_start, qualifier = self._qualifier(start, end)
        num, den = float(numerator), float(denominator)
        self._append(raw_start, end, 100 * num / den, "percent", qualifier, num, den)

    def _rank(
        self,
        raw_start: int,
        start: int,
        rank: Decimal,
        denominator: Decimal | None,
        end: int,
    ) -> None:
        rank_of = _RANK_OF_RE.match(self.line, end) if denominator is None else None
        if rank_of:
            denominator, end = Decimal(rank_of.group(1)), rank_of.end()
        den = float(denominator) if denominator is not None else None
        self._append(raw_start, end, float(rank), "rank", "exact", None, den)

    def _emit_range(
        self,
        raw_start: int,
        low_start: int,
        low: Decimal,
        low_unit: _Unit | None,
        high_start: int,
        high: Decimal,
        high_unit: _Unit,
    ) -> bool:
        """Emit both ends of a range; the unit printed at either end applies to both."""
        unit = high_unit if high_unit.name or low_unit is None else low_unit
        low_value, high_value = low * unit.scale, high * unit.scale
        if low_value >= high_value:
            return False
        if raw_start == low_start:
            qualifier_start, _ = self._qualifier(low_start, high_unit.end)
            raw_start = min(raw_start, qualifier_start)
        end = max(high_unit.end, high_start)
        self._append(raw_start, end, float(low_value), unit.name, "lower_bound", part="range_low")
        self._append(raw_start, end, float(high_value), unit.name, "upper_bound", part="range_high")
        return True

    def _append(
        self,
        start: int,
        end: int,
        value: float,
        unit: str,
        qualifier: str,
        numerator: float | None = None,
        denominator: float | None = None,
        part: str = "single",
    ) -> None:
        if self._in_target_sentence(start):
            qualifier = "target"
        raw_text = self.line[start:end]
        self.found.append(
            Quantity(raw_text, start, end, value, unit, qualifier, numerator, denominator, part)
        )
        self.consumed = max(self.consumed, end)

    def _in_target_sentence(self, position: int) -> bool:
        """Whether a target cue earlier in the sentence still governs ``position``."""
        line = self.line
        sentence_start = 0
        for boundary in _SENTENCE_END_RE.finditer(line, 0, position):
            sentence_start = boundary.end()
        sentence_end_match = _SENTENCE_END_RE.search(line, position)
        sentence_end = sentence_end_match.start() if sentence_end_match else len(line)
        cue_end = None
        for cue in _TARGET_CUE_RE.finditer(line, sentence_start, position):
            if not _MET_GOAL_RE.search(line, max(0, cue.start() - 30), cue.start()):
                cue_end = cue.end()
        for plan in _PLAN_RE.finditer(line, sentence_start, position):
            if _BY_YEAR_RE.search(line, plan.end(), sentence_end):
                cue_end = max(cue_end or 0, plan.end())
        if _GOAL_MODAL_RE.search(line, sentence_start, sentence_end):
            for by_year in _BY_YEAR_RE.finditer(line, sentence_start, position):
                cue_end = max(cue_end or 0, by_year.end())
        if cue_end is None:
            return False
        return _REALISED_RE.search(line, cue_end, position) is None


def find_quantities(line: str) -> list[Quantity]:
    """Find the numeric quantities of one line of news text.

    Args:
        line: One line of text; it is NFC-normalized first, so NFD input gives the same result.

    Returns:
        The quantities left to right. Offsets refer to the NFC form of ``line``; a range gives
        two quantities (range_low, range_high) that share raw_text and offsets.
    """
    return _Scanner(unicodedata.normalize("NFC", line)).scan()
