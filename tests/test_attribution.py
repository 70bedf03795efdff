"""data/ATTRIBUTION.md is generated from the data and kept current."""

from vndigital.attribution import ATTRIBUTION, attribution_markdown
from vndigital.paths import DATA


def test_attribution_note_is_current():
    expected = attribution_markdown(DATA)
    assert ATTRIBUTION.read_text(encoding="utf-8") == expected, "run `make attribution` and commit"


def test_attribution_names_every_source_and_citation():
    text = ATTRIBUTION.read_text(encoding="utf-8")
    for source_id in (
        "bp-thoson",
        "py-dongxuan",
        "bk-songcau",
        "bp-budop",
        "db-nhanthuc",
        "dti-gov-2022",
    ):
        assert f"| {source_id} |" in text
    assert "Báo Điện Biên Phủ" in text and "https://dti.gov.vn/xep-hang-2022" in text
