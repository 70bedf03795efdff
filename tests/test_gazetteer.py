"""Tests for the province gazetteer: the reviewed CSV, name resolution and 2025 successors."""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from vndigital.gazetteer import (
    COLUMNS,
    DEFAULT_PATH,
    STUDY_PROVINCES,
    Gazetteer,
    Province,
    UnknownProvinceError,
    name_key,
)

# The shared reference tables sit next to the repository; CI clones may not have them.
SHARED_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
needs_shared = pytest.mark.skipif(
    not SHARED_REFERENCE.is_dir(), reason=f"shared reference tables absent ({SHARED_REFERENCE})"
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def read_shared_csv(name: str) -> list[dict[str, str]]:
    """Read a shared reference table, skipping its '#' comment lines."""
    with (SHARED_REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


# --- The file itself -------------------------------------------------------------------------


def test_file_is_utf8_nfc_with_unix_line_endings() -> None:
    raw = DEFAULT_PATH.read_bytes()
    assert b"\r" not in raw
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert text.splitlines()[0].split(",") == list(COLUMNS)


def test_sixty_three_provinces_sorted_by_gso_code(gazetteer: Gazetteer) -> None:
    assert len(gazetteer) == 63
    codes = [p.gso_code for p in gazetteer]
    assert codes == sorted(codes)
    assert codes[0] == "01" and codes[-1] == "96"
    with DEFAULT_PATH.open(encoding="utf-8", newline="") as handle:
        file_ids = [row["id"] for row in csv.DictReader(handle)]
    assert tuple(file_ids) == gazetteer.ids


@pytest.mark.parametrize(
    ("province_id", "gso_code", "name", "region"),
    [
        ("ha-noi", "01", "Hà Nội", "Đồng bằng sông Hồng"),
        ("bac-kan", "06", "Bắc Kạn", "Trung du và miền núi phía Bắc"),
        ("dien-bien", "11", "Điện Biên", "Trung du và miền núi phía Bắc"),
        ("thua-thien-hue", "46", "Thừa Thiên Huế", "Bắc Trung Bộ và duyên hải miền Trung"),
        ("phu-yen", "54", "Phú Yên", "Bắc Trung Bộ và duyên hải miền Trung"),
        ("dak-lak", "66", "Đắk Lắk", "Tây Nguyên"),
        ("binh-phuoc", "70", "Bình Phước", "Đông Nam Bộ"),
        ("ba-ria-vung-tau", "77", "Bà Rịa - Vũng Tàu", "Đông Nam Bộ"),
        ("ho-chi-minh", "79", "Hồ Chí Minh", "Đông Nam Bộ"),
        ("ca-mau", "96", "Cà Mau", "Đồng bằng sông Cửu Long"),
    ],
)
def test_known_rows(
    gazetteer: Gazetteer, province_id: str, gso_code: str, name: str, region: str
) -> None:
    province = gazetteer.get(province_id)
    assert (province.gso_code, province.name, province.region) == (gso_code, name, region)


def test_regions_have_the_gso_sizes(gazetteer: Gazetteer) -> None:
    counts = Counter((p.region, p.region_en) for p in gazetteer)
    assert counts == {
        ("Đồng bằng sông Hồng", "Red River Delta"): 11,
        ("Trung du và miền núi phía Bắc", "Northern Midlands and Mountains"): 14,
        ("Bắc Trung Bộ và duyên hải miền Trung", "North Central and Central Coast"): 14,
        ("Tây Nguyên", "Central Highlands"): 5,
        ("Đông Nam Bộ", "Southeast"): 6,
        ("Đồng bằng sông Cửu Long", "Mekong River Delta"): 13,
    }


def test_ids_and_ascii_names_derive_from_the_name(gazetteer: Gazetteer) -> None:
    for province in gazetteer:
        assert name_key(province.name_ascii) == name_key(province.name)
        assert province.name_ascii.isascii()
        assert province.id == province.name_ascii.lower().replace(" - ", "-").replace(" ", "-")


def test_one_tone_mark_style_with_the_other_as_alias(gazetteer: Gazetteer) -> None:
    for name, alias in [
        ("Hòa Bình", "Hoà Bình"),
        ("Thanh Hóa", "Thanh Hoá"),
        ("Khánh Hòa", "Khánh Hoà"),
    ]:
        province = gazetteer.resolve(name)
        assert province.name == name
        assert alias in province.aliases


# --- Name keys and resolution ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("tỉnh Bắc Kạn", "backan"),
        ("bac-kan", "backan"),
        ("TP. Hồ Chí Minh", "hochiminh"),
        ("Thành phố Hồ Chí Minh", "hochiminh"),
        ("TP.HCM", "hcm"),
        ("TPHCM", "tphcm"),
        ("Đắk Lắk", "daklak"),
        (unicodedata.normalize("NFD", "Đắk Lắk"), "daklak"),
        ("Bà Rịa - Vũng Tàu", "bariavungtau"),
        ("Ho Chi Minh City", "hochiminhcity"),
        ("06", "06"),
        ("tỉnh", ""),
    ],
)
def test_name_key(text: str, key: str) -> None:
    assert name_key(text) == key


@pytest.mark.parametrize(
    "spelling",
    [
        "Bắc Kạn",
        "Bac Kan",
        "bac-kan",
        "tỉnh Bắc Kạn",
        "Tỉnh Bắc Kạn",
        "Bắc Cạn",
        unicodedata.normalize("NFD", "Bắc Kạn"),
        unicodedata.normalize("NFD", "tỉnh Bắc Kạn"),
        "BẮC KẠN",
        "  bac   kan ",
        "06",
    ],
)
def test_resolve_bac_kan_spellings(gazetteer: Gazetteer, spelling: str) -> None:
    assert gazetteer.resolve(spelling).id == "bac-kan"


@pytest.mark.parametrize(
    ("spelling", "province_id"),
    [
        ("Hà Nội", "ha-noi"),
        ("TP. Hà Nội", "ha-noi"),
        ("Hanoi", "ha-noi"),
        ("TP.HCM", "ho-chi-minh"),
        ("TPHCM", "ho-chi-minh"),
        ("Sài Gòn", "ho-chi-minh"),
        ("Ho Chi Minh City", "ho-chi-minh"),
        ("Thừa Thiên - Huế", "thua-thien-hue"),
        ("Huế", "thua-thien-hue"),
        ("Bà Rịa-Vũng Tàu", "ba-ria-vung-tau"),
        ("BR-VT", "ba-ria-vung-tau"),
        ("Daklak", "dak-lak"),
        ("Đắc Lắc", "dak-lak"),
        ("Hoà Bình", "hoa-binh"),
        ("Province Dien Bien", "dien-bien"),
    ],
)
def test_resolve_aliases_and_other_provinces(
    gazetteer: Gazetteer, spelling: str, province_id: str
) -> None:
    assert gazetteer.resolve(spelling).id == province_id


def test_every_spelling_resolves_to_its_own_province(gazetteer: Gazetteer) -> None:
    for province in gazetteer:
        for spelling in province.spellings():
            assert gazetteer.resolve(spelling) is province, spelling
            assert gazetteer.resolve(unicodedata.normalize("NFD", spelling)) is province
            assert gazetteer.resolve(spelling.upper()) is province


def test_no_two_provinces_share_a_key(gazetteer: Gazetteer) -> None:
    owners: dict[str, set[str]] = {}
    for province in gazetteer:
        for spelling in province.spellings():
            owners.setdefault(name_key(spelling), set()).add(province.id)
    shared = {key: ids for key, ids in owners.items() if len(ids) > 1}
    assert not shared


def test_unknown_name_raises_without_guessing(gazetteer: Gazetteer) -> None:
    with pytest.raises(UnknownProvinceError, match="Atlantis") as info:
        gazetteer.resolve("Atlantis")
    assert info.value.name == "Atlantis"
    assert isinstance(info.value, ValueError)


def test_near_miss_is_an_error_with_suggestions(gazetteer: Gazetteer) -> None:
    with pytest.raises(UnknownProvinceError) as info:
        gazetteer.resolve("Bac Kann")
    error = info.value
    assert error.name == "Bac Kann"
    assert "Bắc Kạn" in error.suggestions
    assert len(error.suggestions) <= 3
    assert "did you mean" in str(error) and "Bắc Kạn" in str(error)


@pytest.mark.parametrize("spelling", ["", "tỉnh", "Bắc", "6", "Hà Nội Bắc Kạn"])
def test_partial_or_empty_names_are_unknown(gazetteer: Gazetteer, spelling: str) -> None:
    with pytest.raises(UnknownProvinceError):
        gazetteer.resolve(spelling)


def test_resolve_rejects_non_strings(gazetteer: Gazetteer) -> None:
    with pytest.raises(TypeError):
        gazetteer.resolve(float("nan"))  # type: ignore[arg-type]


def test_get_is_exact_on_id(gazetteer: Gazetteer) -> None:
    assert gazetteer.get("bac-kan").name == "Bắc Kạn"
    with pytest.raises(KeyError):
        gazetteer.get("Bắc Kạn")
    with pytest.raises(UnknownProvinceError) as info:
        gazetteer.get("Bắc Kạn")
    assert info.value.suggestions == ("bac-kan",)
    assert str(info.value).startswith("unknown province id 'Bắc Kạn'")


@needs_shared
def test_every_dti_2022_name_resolves(gazetteer: Gazetteer) -> None:
    rows = read_shared_csv("dti_2022_rank.csv")
    resolved = [gazetteer.resolve(row["province"]) for row in rows]
    assert len(rows) == 63
    assert {p.id for p in resolved} == set(gazetteer.ids)
    study = {p.id for p, row in zip(resolved, rows, strict=True) if row["is_study_province"] == "1"}
    assert study == set(STUDY_PROVINCES)


# --- 2025 successors -------------------------------------------------------------------------


def test_thirty_four_successors(gazetteer: Gazetteer) -> None:
    successors = gazetteer.successors()
    assert list(successors) == list(gazetteer.ids)
    targets = set(successors.values())
    assert len(targets) == 34
    # Every 2025 unit keeps the id of a province that maps to itself.
    assert all(successors[target] == target for target in targets)
    # 11 units were left unchanged; the other 52 provinces merged into 23 units.
    sizes = Counter(successors.values())
    assert sum(1 for size in sizes.values() if size == 1) == 11
    assert sum(size for size in sizes.values() if size > 1) == 52


def test_study_successors(gazetteer: Gazetteer) -> None:
    successors = gazetteer.successors()
    assert {pid: successors[pid] for pid in STUDY_PROVINCES} == {
        "binh-phuoc": "dong-nai",
        "bac-kan": "thai-nguyen",
        "dien-bien": "dien-bien",
        "phu-yen": "dak-lak",
    }
    assert gazetteer.get("bac-kan").successor_2025_name == "Thái Nguyên"
    assert gazetteer.get("thua-thien-hue").successor_2025_name == "Huế"


@needs_shared
def test_successors_match_the_merger_table(gazetteer: Gazetteer) -> None:
    rows = read_shared_csv("merger_2025.csv")
    assert len(rows) == 34
    covered = []
    for row in rows:
        unit = gazetteer.resolve(row["new_unit"])
        for old in row["constituent_old_provinces"].split(" + "):
            province = gazetteer.resolve(old)
            assert province.successor_2025 == unit.id, old
            assert name_key(province.successor_2025_name) == name_key(row["new_unit"])
            covered.append(province.id)
    assert sorted(covered) == sorted(gazetteer.ids)


# --- Study provinces and their figures -------------------------------------------------------


def test_study_provinces_in_report_order(gazetteer: Gazetteer) -> None:
    assert [p.id for p in gazetteer.study_provinces()] == list(STUDY_PROVINCES)


def test_study_figures(gazetteer: Gazetteer) -> None:
    bac_kan = gazetteer.get("bac-kan")
    assert (bac_kan.population, bac_kan.population_year, bac_kan.population_grade) == (
        326504,
        2023,
        "P",
    )
    assert bac_kan.population_citation_id == "backan-portal-2023-09-18"
    assert (bac_kan.area_km2, bac_kan.area_grade) == (4860, "S")
    assert gazetteer.get("dien-bien").area_km2 == pytest.approx(9539.92)
    assert gazetteer.get("binh-phuoc").population == 1030000
    phu_yen = gazetteer.get("phu-yen")
    assert (phu_yen.population, phu_yen.area_km2) == (876620, pytest.approx(5025.96))
    assert phu_yen.area_citation_id == phu_yen.population_citation_id == "aloxekhach-phu-yen"


def test_figures_only_for_study_provinces(gazetteer: Gazetteer) -> None:
    for province in gazetteer:
        has_figures = province.population is not None and province.area_km2 is not None
        assert has_figures == (province.id in STUDY_PROVINCES), province.id
        if not has_figures:
            assert province.population is None and province.population_year is None
            assert province.population_grade == province.population_citation_id == ""
            assert province.area_grade == province.area_citation_id == ""


# --- Broken files ----------------------------------------------------------------------------

Rows = list[dict[str, str]]


def write_variant(
    path: Path, change: Callable[[Rows], None], columns: tuple[str, ...] = COLUMNS
) -> Path:
    """Copy the real gazetteer to ``path`` after applying ``change`` to its rows in place."""
    with DEFAULT_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


# (case, province id of the edited row, field, new value); the error must name that row and field.
BROKEN = [
    ("duplicate-id", "bac-kan", "id", "ha-noi"),
    ("duplicate-gso", "bac-kan", "gso_code", "04"),
    ("bad-gso", "bac-kan", "gso_code", "6"),
    ("ambiguous-alias", "hoa-binh", "aliases", "Bắc Cạn"),
    ("alias-is-other-name", "hoa-binh", "aliases", "Bac Kan"),
    ("non-nfc", "bac-kan", "name", unicodedata.normalize("NFD", "Bắc Kạn")),
    ("missing-name", "bac-kan", "name", ""),
    ("unknown-successor", "bac-kan", "successor_2025", "atlantis"),
    ("successor-not-continuing", "bac-kan", "successor_2025", "ha-giang"),
    ("successor-name-differs", "bac-kan", "successor_2025_name", "Bắc Kạn"),
    ("vietnamese-number", "binh-phuoc", "population", "1.030.000"),
    ("grade-without-figure", "ha-noi", "area_grade", "P"),
]


@pytest.mark.parametrize(
    ("province_id", "field", "value"), [case[1:] for case in BROKEN], ids=[c[0] for c in BROKEN]
)
def test_broken_file_names_file_row_and_field(
    tmp_path: Path, gazetteer: Gazetteer, province_id: str, field: str, value: str
) -> None:
    index = gazetteer.ids.index(province_id)

    def change(rows: Rows) -> None:
        rows[index][field] = value

    path = write_variant(tmp_path / "provinces.csv", change)
    with pytest.raises(ValueError) as info:
        Gazetteer.load(path)
    message = str(info.value)
    assert str(path) in message
    # The header is row 1, so the n-th province (0-based) is row n + 2.
    assert f"row {index + 2}, field {field!r}" in message


def test_missing_column_is_named(tmp_path: Path) -> None:
    columns = tuple(c for c in COLUMNS if c != "region")
    path = write_variant(tmp_path / "provinces.csv", lambda rows: None, columns)
    with pytest.raises(ValueError, match=r"row 1, field 'region': missing column") as info:
        Gazetteer.load(path)
    assert str(path) in str(info.value)


def test_load_accepts_a_path_and_round_trips(tmp_path: Path) -> None:
    path = write_variant(tmp_path / "copy.csv", lambda rows: None)
    copy = Gazetteer.load(path)
    assert list(copy) == list(Gazetteer.load())
    assert isinstance(next(iter(copy)), Province)
