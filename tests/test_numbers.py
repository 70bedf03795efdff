"""Tests for the Vietnamese number parser: number format, units, qualifiers, ranges and traps."""

from __future__ import annotations

import unicodedata

import pytest

from vndigital.numbers import QUALIFIERS, UNITS, Quantity, find_quantities, parse_vn_number

# --- parse_vn_number ------------------------------------------------------------------------

PARSED = [
    ("1.458", 1458.0),
    ("90,8", 90.8),
    ("875.900", 875900.0),
    ("1.000.000", 1_000_000.0),
    ("-1,2", -1.2),
    ("0,651", 0.651),
    ("+5", 5.0),
    ("115", 115.0),
    ("1666", 1666.0),
]
NOT_NUMBERS = ["4.0", "1.5", "abc", "", "1.45", "1,2,3", "0271.3883160", "8,345,915", "12a"]


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_parse_vn_number(text: str, expected: float) -> None:
    assert parse_vn_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_parse_vn_number_rejects_other_formats(text: str) -> None:
    with pytest.raises(ValueError):
        parse_vn_number(text)


# --- quantities -----------------------------------------------------------------------------
# Each case: a sentence and the (raw_text, value, unit, qualifier) of every quantity in it.

FOUND = [
    ("Tỷ lệ hồ sơ trực tuyến đạt 90,8%.", [("90,8%", 90.8, "percent", "exact")]),
    ("Toàn tỉnh đã có 100% thôn có internet.", [("100%", 100, "percent", "exact")]),
    ("Tỉ lệ đạt 90 % trong năm.", [("90 %", 90, "percent", "exact")]),
    ("Có 50 phần trăm hộ dùng ví điện tử.", [("50 phần trăm", 50, "percent", "exact")]),
    ("Trên 90% văn bản được ký số.", [("Trên 90%", 90, "percent", "lower_bound")]),
    ("Xã cấp mã QR cho hơn 1.000 hộ.", [("hơn 1.000", 1000, "", "lower_bound")]),
    ("Có tối thiểu 50% giao dịch số.", [("tối thiểu 50%", 50, "percent", "lower_bound")]),
    ("Đã tập huấn ít nhất 3 lớp.", [("ít nhất 3", 3, "", "lower_bound")]),
    ("Đã có không dưới 20 xã.", [("không dưới 20", 20, "", "lower_bound")]),
    ("Gần 400 người dân có tài khoản.", [("Gần 400", 400, "", "approx")]),
    ("Mỗi ngày nhận khoảng 20 hồ sơ giấy.", [("khoảng 20", 20, "", "approx")]),
    ("Số tài khoản xấp xỉ 1.000.", [("xấp xỉ 1.000", 1000, "", "approx")]),
    ("Huyện có chừng 30 điểm wifi.", [("chừng 30", 30, "", "approx")]),
    ("Tỷ lệ lỗi dưới 10%.", [("dưới 10%", 10, "percent", "upper_bound")]),
    ("Thời gian xử lý chưa đến 5 ngày.", [("chưa đến 5", 5, "", "upper_bound")]),
    ("Mỗi hồ sơ xử lý tối đa 3 ngày.", [("tối đa 3", 3, "", "upper_bound")]),
    ("Người từ 15 tuổi trở lên có tài khoản.", [("15", 15, "", "lower_bound")]),
    ("Tỉnh có 875.900 thuê bao internet.", [("875.900", 875900, "", "exact")]),
    ("Tỉnh có gần 1,2 triệu thuê bao.", [("gần 1,2 triệu", 1_200_000, "", "approx")]),
    ("Dân số gần 1 triệu người.", [("gần 1 triệu", 1_000_000, "", "approx")]),
    ("Có 2 nghìn doanh nghiệp số.", [("2 nghìn", 2000, "", "exact")]),
    ("Có 3 ngàn hộ kinh doanh.", [("3 ngàn", 3000, "", "exact")]),
    ("Dự án dùng 28 tỷ đồng.", [("28 tỷ đồng", 28, "vnd_billion", "exact")]),
    ("Kinh phí 5 triệu đồng mỗi xã.", [("5 triệu đồng", 5, "vnd_million", "exact")]),
    ("Phí 500.000 đồng mỗi tháng.", [("500.000 đồng", 500000, "vnd", "exact")]),
    ("Phí 500.000đ mỗi tháng.", [("500.000đ", 500000, "vnd", "exact")]),
    ("Vốn 1,5 nghìn tỷ đồng.", [("1,5 nghìn tỷ đồng", 1500, "vnd_billion", "exact")]),
    ("Hỗ trợ 1,2 triệu đồng bào.", [("1,2 triệu", 1_200_000, "", "exact")]),  # not money
    (
        "Đạt gần 115 thuê bao/100 dân.",
        [("gần 115 thuê bao/100 dân", 115, "per_100_inhabitants", "approx")],
    ),
    (
        "Có 40 máy tính/100 người dân.",
        [("40 máy tính/100 người dân", 40, "per_100_inhabitants", "exact")],
    ),
    ("Mật độ 115/100 dân.", [("115/100 dân", 115, "per_100_inhabitants", "exact")]),
    (
        "Phát sinh 1.458/1.604 hồ sơ trực tuyến.",
        [("1.458/1.604", 100 * 1458 / 1604, "percent", "exact")],
    ),
    ("Đã có 9/11 nhà văn hóa lắp wifi.", [("9/11", 100 * 9 / 11, "percent", "exact")]),
    ("Có 11/11 thôn lập tổ công nghệ số.", [("11/11", 100.0, "percent", "exact")]),
    ("Tỉnh xếp thứ 12/63 cả nước.", [("xếp thứ 12/63", 12, "rank", "exact")]),
    ("Tỉnh đứng thứ 9/63.", [("đứng thứ 9/63", 9, "rank", "exact")]),
    ("Tỉnh xếp hạng 48/63 về chỉ số.", [("xếp hạng 48/63", 48, "rank", "exact")]),
    ("Tỉnh đạt hạng 5 toàn quốc.", [("hạng 5", 5, "rank", "exact")]),
    ("Tỉnh xếp thứ 20 trên 63 tỉnh, thành.", [("xếp thứ 20 trên 63", 20, "rank", "exact")]),
    ("Chỉ số tăng 8 bậc so với năm trước.", [("tăng 8 bậc", 8, "change", "exact")]),
    ("Chỉ số giảm 3 bậc.", [("giảm 3 bậc", -3, "change", "exact")]),
    ("Điểm số thay đổi -1,2 điểm.", [("-1,2", -1.2, "change", "exact")]),
    ("Điểm số thay đổi (+5) điểm.", [("+5", 5, "change", "exact")]),
    ("Mức độ hài lòng ở mức 90%.", [("90%", 90, "percent", "exact")]),  # "mức" before a unit
    ("Triển khai trên 3 trụ cột.", [("3", 3, "", "exact")]),  # "trên" = "on" here
    ("Tỉnh bố trí 1% ngân sách.", [("1%", 1, "percent", "exact")]),
    (
        "Năm 2018 là 28 tỷ đồng, năm 2019 là 70 tỷ đồng.",
        [("28 tỷ đồng", 28, "vnd_billion", "exact"), ("70 tỷ đồng", 70, "vnd_billion", "exact")],
    ),
    ("Vốn giai đoạn 2022-2025 là 446 tỷ đồng.", [("446 tỷ đồng", 446, "vnd_billion", "exact")]),
    ("Năm 2023, 100% xã có wifi.", [("100%", 100, "percent", "exact")]),
    (
        "Tỷ lệ đạt 70%.Tỷ lệ khác đạt 80%.",
        [("70%", 70, "percent", "exact"), ("80%", 80, "percent", "exact")],
    ),
    ("Xã có 2 hợp tác xã và 10 mắt camera.", [("2", 2, "", "exact"), ("10", 10, "", "exact")]),
    ("Từ 8 giờ sáng đã có 50 người chờ.", [("50", 50, "", "exact")]),
    ("Mỗi ngày 20 hồ sơ được nộp.", [("20", 20, "", "exact")]),
]


def _summary(quantity: Quantity) -> tuple[str, float, str, str]:
    return (quantity.raw_text, quantity.value, quantity.unit, quantity.qualifier)


@pytest.mark.parametrize(("line", "expected"), FOUND)
def test_find_quantities(line: str, expected: list[tuple[str, float, str, str]]) -> None:
    found = [_summary(quantity) for quantity in find_quantities(line)]
    assert [(raw, unit, qualifier) for raw, _, unit, qualifier in found] == [
        (raw, unit, qualifier) for raw, _, unit, qualifier in expected
    ]
    assert [value for _, value, _, _ in found] == pytest.approx(
        [value for _, value, _, _ in expected]
    )


# --- traps: dates, times, years, codes and names that only look numeric ----------------------

NOT_QUANTITIES = [
    "Từ tháng 7/2024, xã thí điểm.",
    "Từ tháng 6/2023, tỉnh triển khai.",
    "Ngày đăng 02/04/2024",
    "Thứ tư - 24/11/2021 20:23",
    "Ngày 9/11 xã tổ chức hội nghị.",
    "Áp dụng từ 1/7 tới.",
    "Trong quý I/2024, thị trấn chuyển đổi.",
    "Cập nhật lúc 21:17",
    "07:41 - Thứ Hai",
    "Kết quả năm 2023 rất khả quan.",
    "Kế hoạch đến năm 2025 và định hướng năm 2030.",
    "Vốn đầu tư công giai đoạn 2022-2025.",
    "Chặng đường 2019–2024 nhiều đổi mới.",
    "Các năm 2018, 2019 và 2020 đều tăng.",
    "Giai đoạn 2021 - 2025 có nhiều đổi mới.",
    "Thực hiện Đề án 06 về dân cư.",
    "Theo Nghị định 06/CP của Chính phủ.",
    "Nghị quyết 13-NQ/TU của Tỉnh ủy.",
    "Văn bản 18/2023/QĐ-UBND",
    "Số 2021/KL-SVHTTDL",
    "Mạng di động 3G/4G phủ sóng.",
    "Sóng 4G và 5G đã phủ.",
    "Dịch vụ công mức độ 3, 4 đã triển khai.",
    "Cung cấp dịch vụ mức độ 4.",
    "Định danh điện tử mức 2.",
    "Mô hình chợ 4.0 đang mở rộng.",
    "Cách mạng Công nghiệp 4.0",
    "Phòng, chống dịch COVID-19.",
    "Thực hiện Chỉ thị 02 của Thủ tướng.",
    "Theo Quyết định 766 của Thủ tướng.",
    "Phone/fax: 0271.3883160",
    "Hotline 1900 1234",
    "Cài ứng dụng “Báo cháy 114” trên điện thoại.",
    "Thứ Hai, Thứ Ba",
    "Cuộc thi lần thứ 52 năm nay.",
    "Dân phố tổ 5 phường Sông Cầu.",
    "Địa chỉ Số 778, Quốc lộ 14",
    "Hôm nay23,258",
    "Tổng lượt truy cập8,345,915",
    "banner 300x150 PA2",
    "Dịch vụ hoạt động 24/7.",
    "Họp vào tháng 6 vừa qua.",
]


@pytest.mark.parametrize("line", NOT_QUANTITIES)
def test_traps_are_not_quantities(line: str) -> None:
    assert find_quantities(line) == []


# --- ratios, ranks, ranges, targets ----------------------------------------------------------


def test_ratio_keeps_numerator_and_denominator() -> None:
    ratio, percent = find_quantities("Năm 2023, huyện có 1.458/1.604 hồ sơ, đạt tỉ lệ 90,8%")
    assert (percent.numerator, percent.denominator) == (None, None)
    assert (ratio.numerator, ratio.denominator) == (1458.0, 1604.0)
    assert ratio.value == 100 * 1458 / 1604
    assert ratio.part == "single"


def test_rank_has_denominator_but_no_numerator() -> None:
    (rank,) = find_quantities("Năm nay tỉnh xếp thứ 12/63.")
    assert (rank.value, rank.numerator, rank.denominator, rank.unit) == (12.0, None, 63.0, "rank")
    (plain,) = find_quantities("Tỉnh đạt hạng 5.")
    assert plain.denominator is None


RANGES = [
    ("Tỷ lệ đạt 70-80%.", "70-80%", 70, 80, "percent"),
    ("Tỷ lệ đạt 20 – 25%.", "20 – 25%", 20, 25, "percent"),
    ("Tỷ lệ đạt 20—25%.", "20—25%", 20, 25, "percent"),
    ("Chi 20 - 25 tỷ đồng.", "20 - 25 tỷ đồng", 20, 25, "vnd_billion"),
    ("Tỷ lệ đạt 70%-80%.", "70%-80%", 70, 80, "percent"),
    ("Tỷ lệ đạt từ 20 đến 25%.", "từ 20 đến 25%", 20, 25, "percent"),
    ("Có 1-2 triệu lượt truy cập.", "1-2 triệu", 1e6, 2e6, ""),
    ("Khoảng 70-80% hộ dùng smartphone.", "Khoảng 70-80%", 70, 80, "percent"),
]


@pytest.mark.parametrize(("line", "raw", "low", "high", "unit"), RANGES)
def test_range_gives_two_ends(line: str, raw: str, low: float, high: float, unit: str) -> None:
    ends = find_quantities(line)
    assert [(q.raw_text, q.part, q.qualifier, q.unit) for q in ends] == [
        (raw, "range_low", "lower_bound", unit),
        (raw, "range_high", "upper_bound", unit),
    ]
    assert [q.value for q in ends] == pytest.approx([low, high])
    assert ends[0].start == ends[1].start and ends[0].end == ends[1].end


TARGETS = [
    # A cue earlier in the sentence covers every later number, through "a; b; c" lists.
    (
        "Một số mục tiêu cụ thể đến năm 2025 như: cung cấp 80% dịch vụ công mức độ 4; "
        "kinh tế số chiếm 10% GRDP; cáp quang phủ trên 80% hộ gia đình...",
        ["target", "target", "target"],
    ),
    ("Tỉnh phấn đấu 100% xã có wifi. Hiện có 60% xã có wifi.", ["target", "exact"]),
    ("Chỉ tiêu năm nay là 500 tài khoản.", ["target"]),
    ("Kế hoạch chuyển đổi số đến năm 2025 đặt ra 90% hồ sơ trực tuyến.", ["target"]),
    ("Đến năm 2025, tỉnh sẽ có 500 điểm wifi.", ["target"]),
    ("Có 80% hộ dùng ví; mục tiêu là 90%.", ["exact", "target"]),  # the cue comes later
    ("Đến năm 2023, tỉnh có 500 điểm wifi.", ["exact"]),  # a past year states a result
    ("Với mục tiêu số hóa, phường đã cấp mã QR cho gần 400 người.", ["approx"]),
    ("Huyện vượt chỉ tiêu, đạt 95% hồ sơ trực tuyến.", ["exact"]),
    ("Tỉnh phấn đấu đạt 70-80% hộ có cáp quang.", ["target", "target"]),
]


@pytest.mark.parametrize(("line", "qualifiers"), TARGETS)
def test_target_cues(line: str, qualifiers: list[str]) -> None:
    assert [q.qualifier for q in find_quantities(line)] == qualifiers


# --- invariants over every case ---------------------------------------------------------------

ALL_LINES = (
    [line for line, _ in FOUND]
    + NOT_QUANTITIES
    + [line for line, *_ in RANGES]
    + [line for line, _ in TARGETS]
)


@pytest.mark.parametrize("line", ALL_LINES)
def test_offsets_vocabulary_and_nfd_input(line: str) -> None:
    found = find_quantities(line)
    for quantity in found:
        assert line[quantity.start : quantity.end] == quantity.raw_text
        assert quantity.unit in UNITS
        assert quantity.qualifier in QUALIFIERS
        assert quantity.part in ("single", "range_low", "range_high")
    assert find_quantities(unicodedata.normalize("NFD", line)) == found


def test_quantities_come_left_to_right() -> None:
    line = "Có 493 tài khoản, 501 hộp thư và 100% văn bản ký số; gần 300 cuộc họp trực tuyến."
    starts = [quantity.start for quantity in find_quantities(line)]
    assert starts == sorted(starts) and len(starts) == 4
