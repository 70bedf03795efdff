"""Published reports: current, byte-identical on regeneration, complete, offline, Vietnamese intact."""

from __future__ import annotations

import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from vndigital.dataset import load_observations
from vndigital.paths import DATA, REPO
from vndigital.pipeline import build_report, data_as_of, read_manifest, stale_reports
from vndigital.plan import common_hashes, input_hashes, report_plan

REPORTS = REPO / "reports"
STUDY_NAMES = {
    "binh-phuoc": "Bình Phước",
    "bac-kan": "Bắc Kạn",
    "dien-bien": "Điện Biên",
    "phu-yen": "Phú Yên",
}

pytestmark = pytest.mark.slow


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def processed():
    """The processed table the reports read (built like `make data`)."""
    subprocess.run([sys.executable, "-m", "vndigital", "data"], check=True, capture_output=True)
    return load_observations(DATA.observations)


@pytest.fixture(scope="session")
def regenerated(tmp_path_factory, processed) -> Path:
    """Every report rebuilt from scratch in a scratch folder, through the same command users run."""
    out = tmp_path_factory.mktemp("regenerated") / "reports"
    result = subprocess.run(
        [sys.executable, "-m", "vndigital", "reports", "--out", str(out), "--force"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_committed_reports_are_not_stale(processed):
    specs = report_plan(DATA)
    stale = stale_reports(specs, REPORTS, common_hashes(DATA))
    assert not stale, "stale reports (run `make reports` and commit): " + "; ".join(
        f"{s.report_id}: {why}" for s, why in stale
    )
    published = {r["report_id"] for r in read_manifest(REPORTS)["reports"]}
    assert published == {s.report_id for s in specs}


def test_regeneration_is_byte_identical_to_the_committed_reports(regenerated):
    committed, fresh = files_of(REPORTS), files_of(regenerated)
    assert sorted(committed) == sorted(fresh)
    differing = [name for name in committed if committed[name] != fresh[name]]
    assert not differing, f"differ from a fresh regeneration: {differing[:10]}"


def test_every_profile_and_language_was_executed(regenerated):
    reports = {r["report_id"]: r for r in read_manifest(regenerated)["reports"]}
    for province in STUDY_NAMES:
        for lang in ("vi", "en"):
            entry = reports[f"profile-{province}-{lang}"]
            assert entry["values"]["n_figures"] > 0
    for kind in ("comparison", "investment", "data-methods"):
        assert {f"{kind}-vi", f"{kind}-en"} <= set(reports)


def test_key_values_match_an_independent_computation(regenerated, processed):
    reports = {r["report_id"]: r["values"] for r in read_manifest(regenerated)["reports"]}
    obs = processed
    budget = obs[(obs["indicator"] == "dt_budget") & (obs["province"] == "binh-phuoc")]
    by_year = dict(zip(budget["period"], budget["value"], strict=True))
    growth = round(100 * (by_year["2020"] - by_year["2018"]) / by_year["2018"], 1)
    for lang in ("vi", "en"):
        assert reports[f"investment-{lang}"]["budget_growth_2018_2020_percent"] == growth
        assert reports[f"profile-binh-phuoc-{lang}"]["budget_growth_2018_2020_percent"] == growth
    dti = obs[(obs["indicator"] == "dti_rank") & (obs["province"] == "binh-phuoc")]
    rank = dict(zip(dti["period"], dti["value"], strict=True))
    assert (
        reports["profile-binh-phuoc-vi"]["dti_rank_change_2020_2021"] == rank["2020"] - rank["2021"]
    )
    # Only one province has a budget: the cross-province test must refuse, not compute.
    assert reports["investment-en"]["cross_n"] < 3
    assert reports["investment-en"]["cross_method"] == "not_computed"
    assert reports["investment-en"]["ols_method"] == "not_run"
    assert reports["data-methods-vi"]["validation_problems"] == 0


def test_investment_report_never_shows_a_coefficient_without_n_and_method():
    text = (REPORTS / "html" / "investment-en.html").read_text(encoding="utf-8")
    for match in re.finditer(r"ρ = ", text):
        window = text[match.start() : match.start() + 200]
        assert "n = " in window and "Spearman" in window, window
    assert "Data-needed matrix" in text
    assert "cause" in text  # the report says plainly that co-movement is not cause


class _Attributes(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if (
                name in ("src", "href", "srcset", "data", "poster", "action", "formaction")
                and value
            ):
                self.urls.append(value)
            if name == "style" and value and "url(" in value:
                self.urls.append(value)


def test_no_report_loads_anything_over_the_network():
    pages = [*sorted((REPORTS / "html").glob("*.html")), REPORTS / "index.html"]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        parser = _Attributes()
        parser.feed(text)
        assert parser.scripts == 0, page.name
        external = [u for u in parser.urls if re.match(r"^(https?:|//|ftp:)", u.strip(), re.I)]
        assert not external, f"{page.name} loads {external[:3]}"
        assert not re.search(r"@import|url\(\s*['\"]?(https?:|//)", text), page.name


def test_no_local_paths_user_names_or_environment_in_reports():
    secrets = {str(REPO), str(Path.home()), "/tmp/", "/work/", "/root/"}
    user = os.environ.get("USER") or os.environ.get("LOGNAME")
    if user and len(user) > 3:
        secrets.add(f"/{user}/")
    for name, content in files_of(REPORTS).items():
        if name.endswith((".pdf", ".xlsx")):
            continue  # compressed; their text is checked below and through the HTML they come from
        text = content.decode("utf-8", errors="replace")
        for secret in secrets:
            assert secret not in text, f"{name} contains {secret!r}"
    for pdf in sorted((REPORTS / "pdf").glob("*.pdf")):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        for secret in secrets:
            assert secret not in text, f"{pdf.name} contains {secret!r}"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("pdf", sorted((REPORTS / "pdf").glob("*.pdf")), ids=lambda p: p.stem)
def test_pdf_text_keeps_vietnamese_and_page_labels(pdf):
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    if pdf.stem.startswith("profile-"):
        province = pdf.stem.removeprefix("profile-")[:-3]
        assert STUDY_NAMES[province] in text
    else:
        for name in STUDY_NAMES.values():
            assert name in text, f"{pdf.name} lacks {name}"
    if pdf.stem.endswith("-vi"):
        assert re.search(r"Trang 1 / \d+", text) and "Mục lục" in text
    else:
        assert re.search(r"Page 1 of \d+", text) and "Contents" in text


def test_index_links_every_report_its_tables_and_formats():
    index = (REPORTS / "index.html").read_text(encoding="utf-8")
    manifest = read_manifest(REPORTS)
    for entry in manifest["reports"]:
        for name in entry["outputs"]:
            if name.endswith((".html", ".pdf", ".xlsx", ".csv")):
                assert f'href="{name}"' in index, name
                assert (REPORTS / name).exists()
    assert "Dữ liệu đến ngày" in index and "Data as of" in index


def test_tables_open_with_correct_vietnamese():
    from openpyxl import load_workbook

    csv_path = REPORTS / "tables" / "comparison-vi" / "dti-ranks-wide.csv"
    table = pd.read_csv(csv_path, encoding="utf-8-sig")
    assert set(STUDY_NAMES.values()) <= set(table.iloc[:, 0])
    book = load_workbook(
        REPORTS / "tables" / "comparison-vi" / "comparison-vi.xlsx", read_only=True
    )
    cells = {
        str(c)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if c
    }
    assert {"Bình Phước", "Bắc Kạn", "Điện Biên", "Phú Yên"} <= cells


def test_a_warm_kernel_report_equals_a_fresh_kernel_run(tmp_path, processed):
    """The speed-up (one kernel for many reports) must not change a single byte."""
    spec = next(s for s in report_plan(DATA) if s.report_id == "profile-dien-bien-en")
    built = build_report(
        spec, input_hashes(spec, common_hashes(DATA)), data_as_of(DATA), None, tmp_path, DATA
    )
    for name, content in built.files.items():
        assert content == (REPORTS / name).read_bytes(), name


def test_manifest_records_hashes_not_dates():
    manifest = json.loads((REPORTS / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["reports"][0]
    assert set(entry["inputs"]) == {"data", "notebook", "code", "lock", "parameters"}
    assert all(len(v) == 64 for v in entry["outputs"].values())
    assert not re.search(r"20\d\d-\d\d-\d\dT", json.dumps(manifest))
