"""Tests for vndigital.render: offline HTML and A4 PDF reports from executed notebooks."""

import base64
import io
import os
import re
import shutil
import subprocess
import time
import unicodedata
import zlib
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from vndigital.render import VALUES_MIMETYPE, normalize_notebook, render_html, render_pdf

SENTENCE = "Tỷ lệ hồ sơ trực tuyến đạt 90,8% — Điện Biên, Bắc Kạn, Phú Yên, Bình Phước"
HEADER_TEXT = "Chỉ số mẫu"  # only in the 120-row table's header row
HEADING_ID = "sec-ket-qua"
HEADING_TEXT = "Kết quả chính"
SUBHEADING_ID = "sec-bang-so-lieu"
SUBHEADING_TEXT = "Bảng số liệu theo hồ sơ"
LAST_HEADING_ID = "sec-phuong-phap"
LAST_HEADING_TEXT = "Phương pháp"
XSS = "<script>alert(1)</script>"
SCRIPT_FROM_OUTPUT = '<script src="https://cdn.example.org/x.js"></script>'
EXTERNAL_FROM_OUTPUT = (
    '<p>Nguồn: <a href="https://dichvucong.example.org/">Cổng DVC</a>, '
    '<a href="javascript:alert(2)">JS_LINK</a>, <a href="#sec-ket-qua">lên đầu</a></p>'
    "<div style=\"background: url('//cdn.example.org/bg.png')\">BG_DIV</div>"
    '<img src="http://example.org/pixel.gif" alt="">'
    '<link rel="stylesheet" href="https://cdn.example.org/x.css">'
)

HAS_PDFTOTEXT = shutil.which("pdftotext") is not None
needs_pdftotext = pytest.mark.skipif(
    not HAS_PDFTOTEXT, reason="pdftotext (poppler-utils) is not installed"
)


def _png_base64() -> str:
    """A small matplotlib chart as base64 PNG (Agg backend, no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5), dpi=80)
    ax.bar(["Điện Biên", "Bắc Kạn", "Phú Yên", "Bình Phước"], [90.8, 75.2, 83.1, 68.4])
    ax.set_ylabel("Tỷ lệ (%)")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _table_html(rows: int) -> str:
    """A pandas-like dataframe table with a header that appears nowhere else."""
    body = "".join(
        f"<tr><th>{i}</th><td>Hồ sơ {i:03d}</td><td>{i * 1.5:.1f}</td><td>{i * 37:,}</td></tr>"
        for i in range(rows)
    )
    return (
        '<table border="1" class="dataframe"><thead><tr style="text-align: right;">'
        f"<th></th><th>{HEADER_TEXT}</th><th>Tỷ lệ (%)</th><th>Số hồ sơ</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _html_output(fragment: str):
    return new_output("display_data", data={"text/html": fragment, "text/plain": "<HTML>"})


def build_notebook(png_b64: str, *, run: int = 0) -> nbformat.NotebookNode:
    """An executed-looking notebook; `run` only changes timings and cell ids."""
    stamp = f"2026-11-2{run}T10:00:0{run}.000000Z"
    nb = new_notebook()
    nb.metadata["papermill"] = {
        "parameters": {"province": "Điện Biên"},
        "start_time": stamp,
        "end_time": stamp,
        "duration": 4.2 + run,
        "input_path": f"/tmp/run{run}/report.ipynb",
        "output_path": f"/tmp/run{run}/out.ipynb",
        "environment_variables": {"HOME": "/root"},
        "version": "2.7.0",
    }
    setup = new_code_cell("import pandas as pd", execution_count=1)
    setup.metadata["tags"] = ["remove-cell"]
    injected = new_code_cell('province = "\\u0110i\\u1ec7n Bi\\xean"', execution_count=2)
    injected.metadata["tags"] = ["injected-parameters"]
    injected.outputs = [_html_output("<p>INJECTED_OUTPUT</p>")]
    secret = new_code_cell("SECRET_CODE = 1\nprint('ok')", execution_count=3)
    secret.outputs = [new_output("stream", name="stdout", text="Hệ số ước lượng: 0,42\n")]
    figure = (
        f'<figure class="chart"><img src="data:image/png;base64,{png_b64}" '
        'alt="Biểu đồ tỷ lệ hồ sơ trực tuyến"><figcaption>Hình 1. Tỷ lệ hồ sơ trực tuyến '
        "theo tỉnh</figcaption></figure>"
    )
    main = new_code_cell("show_results()", execution_count=4)
    main.metadata["tags"] = ["remove-input"]
    main.outputs = [
        _html_output(f'<h2 id="{HEADING_ID}">{HEADING_TEXT}</h2>'),
        _html_output(f"<p>{SENTENCE}</p>"),
        _html_output(f'<h3 id="{SUBHEADING_ID}">{SUBHEADING_TEXT}</h3>'),
        _html_output(_table_html(120)),
        _html_output(figure),
        _html_output(SCRIPT_FROM_OUTPUT),
        _html_output(EXTERNAL_FROM_OUTPUT),
        new_output(
            "display_data",
            data={VALUES_MIMETYPE: {"share_online": 90.8}, "text/plain": "VALUES_REPR"},
        ),
    ]
    last = new_code_cell("show_method()", execution_count=5)
    last.outputs = [
        _html_output(f'<h2 id="{LAST_HEADING_ID}">{LAST_HEADING_TEXT}</h2>'),
        _html_output("<p>Dữ liệu lấy từ Cổng Dịch vụ công quốc gia.</p>"),
    ]
    note = new_markdown_cell("Ghi chú: số liệu sơ bộ.")
    nb.cells = [setup, injected, secret, main, last, note]
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"{run:x}{index:07x}"  # random-looking ids that differ per run
        if cell.cell_type == "code":
            cell.metadata["execution"] = {"iopub.execute_input": stamp}
            cell.metadata["papermill"] = {"start_time": stamp, "duration": 0.1 * (run + 1)}
    return nb


ABOUT = [
    ("Nguồn dữ liệu", "Cổng Dịch vụ công quốc gia, 2026"),
    ("Tham số", XSS),
    ("Phiên bản", "v1 & bản nháp"),
]


def _render(nb, lang: str) -> str:
    return render_html(
        nb,
        lang=lang,
        title="Chuyển đổi số cấp tỉnh" if lang == "vi" else "Provincial digital transformation",
        subtitle="Điện Biên, Bắc Kạn, Phú Yên, Bình Phước",
        date_label="Tháng 11/2026" if lang == "vi" else "November 2026",
        about=ABOUT,
    )


@pytest.fixture(scope="module")
def png_b64() -> str:
    return _png_base64()


@pytest.fixture(scope="module")
def html_vi(png_b64) -> str:
    return _render(build_notebook(png_b64), "vi")


@pytest.fixture(scope="module")
def html_en(png_b64) -> str:
    return _render(build_notebook(png_b64), "en")


@pytest.fixture(scope="module")
def pdf_vi(html_vi) -> bytes:
    return render_pdf(html_vi)


@pytest.fixture(scope="module")
def pdf_en(html_en) -> bytes:
    return render_pdf(html_en)


def _without_data_uris(text: str) -> str:
    # Base64 payloads can contain any short string ("/work") by chance; they are not paths.
    return re.sub(r"data:[^\"')\s]+", "data:", text)


# --- normalize_notebook ---------------------------------------------------------------------


def test_normalize_makes_runs_identical(png_b64):
    first = normalize_notebook(build_notebook(png_b64, run=1))
    second = normalize_notebook(build_notebook(png_b64, run=2))
    assert nbformat.writes(first) == nbformat.writes(second)


def test_normalize_keeps_parameters_and_drops_run_details(png_b64):
    nb = normalize_notebook(build_notebook(png_b64, run=1))
    assert nb.metadata.papermill == {"parameters": {"province": "Điện Biên"}, "version": "2.7.0"}
    assert [cell.id for cell in nb.cells] == [f"c{i:03d}" for i in range(len(nb.cells))]
    for cell in nb.cells:
        assert "execution" not in cell.metadata
        assert "papermill" not in cell.metadata
    nbformat.validate(nb)


def test_normalize_renumbers_execution_counts(png_b64):
    nb = build_notebook(png_b64)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    for cell, count in zip(code, (7, 9, 12, 30, 31), strict=True):
        cell.execution_count = count
    code[2].outputs.append(new_output("execute_result", data={"text/plain": "1"}))
    code[2].outputs[-1].execution_count = 12
    normalize_notebook(nb)
    assert [cell.execution_count for cell in code] == [1, 2, 3, 4, 5]
    assert code[2].outputs[-1].execution_count == 3


def test_normalize_returns_same_object(png_b64):
    nb = build_notebook(png_b64)
    assert normalize_notebook(nb) is nb


# --- render_html ----------------------------------------------------------------------------


def test_html_is_a_standalone_document(html_vi):
    assert html_vi.startswith("<!DOCTYPE html>")
    assert '<html lang="vi">' in html_vi
    assert '<meta charset="utf-8"/>' in html_vi
    assert 'name="viewport"' in html_vi
    assert "<title>Chuyển đổi số cấp tỉnh</title>" in html_vi


def test_html_never_shows_code_or_removed_cells(html_vi):
    assert "SECRET_CODE" not in html_vi
    assert "show_results" not in html_vi
    assert "import pandas" not in html_vi
    assert "INJECTED_OUTPUT" not in html_vi
    assert "\\u0110i" not in html_vi


def test_html_drops_values_mimetype(html_vi):
    assert "VALUES_REPR" not in html_vi
    assert "share_online" not in html_vi
    assert VALUES_MIMETYPE not in html_vi


def test_html_keeps_content(html_vi):
    assert unicodedata.normalize("NFC", SENTENCE) in html_vi
    assert f'<h2 id="{HEADING_ID}">{HEADING_TEXT}</h2>' in html_vi
    assert html_vi.count("<tr>") >= 120
    assert "data:image/png;base64," in html_vi
    assert "<figcaption>" in html_vi
    assert "Hệ số ước lượng: 0,42" in html_vi  # stdout stays, in the monospace font
    assert "Ghi chú: số liệu sơ bộ." in html_vi  # markdown prose stays


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_html_has_no_script_and_no_external_url(lang, html_vi, html_en):
    page = html_vi if lang == "vi" else html_en
    assert "<script" not in page.lower()
    assert "http://" not in page
    assert "https://" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*//""", page, re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", page, re.IGNORECASE)
    assert "mathjax" not in page.lower()
    assert "require.js" not in page.lower()
    assert "example.org" not in page
    assert "javascript:" not in page


def test_html_keeps_text_and_local_links_of_stripped_elements(html_vi):
    assert "Cổng DVC" in html_vi
    assert "JS_LINK" in html_vi
    assert "BG_DIV" in html_vi
    assert '<a href="#sec-ket-qua">lên đầu</a>' in html_vi


def test_html_toc_vi(html_vi):
    assert "Mục lục" in html_vi
    assert f'<a class="toc-link" href="#{HEADING_ID}">{HEADING_TEXT}</a>' in html_vi
    assert f'<a class="toc-link" href="#{SUBHEADING_ID}">{SUBHEADING_TEXT}</a>' in html_vi
    assert 'class="toc-l3"' in html_vi
    assert "Về báo cáo này" in html_vi
    # Entries follow document order.
    assert html_vi.index(f'href="#{HEADING_ID}"') < html_vi.index(f'href="#{LAST_HEADING_ID}"')


def test_html_toc_en(html_en):
    assert '<html lang="en">' in html_en
    assert "Contents" in html_en
    assert "About this report" in html_en
    assert "Mục lục" not in html_en
    assert f'<a class="toc-link" href="#{HEADING_ID}">' in html_en


def test_html_about_section_is_escaped(html_vi):
    assert XSS not in html_vi
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_vi
    assert "v1 &amp; bản nháp" in html_vi
    assert "Nguồn dữ liệu" in html_vi


def test_html_title_is_escaped(png_b64):
    page = render_html(
        build_notebook(png_b64),
        lang="en",
        title="A <b> & C",
        subtitle="",
        date_label="",
        about=[],
    )
    assert "<title>A &lt;b&gt; &amp; C</title>" in page


def test_html_marks_numeric_cells(html_vi):
    assert re.search(r'<td class="num">\d', html_vi)
    assert '<th class="num">Tỷ lệ (%)</th>' in html_vi
    assert f"<th>{HEADER_TEXT}</th>" in html_vi  # a text column keeps left alignment


def test_html_is_byte_identical(png_b64, html_vi):
    again = _render(build_notebook(png_b64), "vi")
    assert again.encode() == html_vi.encode()


def test_html_ignores_run_details(png_b64):
    # Timings and random cell ids of a fresh run must not reach the HTML.
    one = _render(build_notebook(png_b64, run=1), "vi")
    two = _render(build_notebook(png_b64, run=2), "vi")
    assert one == two


def test_html_does_not_modify_the_notebook(png_b64):
    nb = build_notebook(png_b64, run=1)
    before = nbformat.writes(nb)
    _render(nb, "vi")
    assert nbformat.writes(nb) == before


def test_html_contains_no_local_paths(html_vi, tmp_path):
    page = _without_data_uris(html_vi)
    (tmp_path / "report.html").write_text(html_vi, encoding="utf-8")
    assert str(tmp_path) not in page
    assert os.path.expanduser("~") not in page
    assert "/work" not in page
    assert str(Path(__file__).resolve().parent.parent) not in page
    assert "file:" not in page


def test_html_rejects_unknown_language(png_b64):
    with pytest.raises(ValueError, match="lang"):
        _render(build_notebook(png_b64), "fr")


def test_css_uses_fonts_with_vietnamese_glyphs(html_vi):
    assert '"Noto Sans", "DejaVu Sans", sans-serif' in html_vi
    assert '"Noto Sans Mono", "Liberation Mono", monospace' in html_vi
    families = re.findall(r"font-family:\s*([^;}]+)", html_vi)
    assert families
    assert not [family for family in families if family.lstrip().startswith('"DejaVu Sans Mono"')]


# --- render_pdf -----------------------------------------------------------------------------


def _pdftotext(pdf: bytes, tmp_path: Path, first: int | None = None, last: int | None = None):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-enc", "UTF-8"]
    if first is not None:
        args += ["-f", str(first), "-l", str(last if last is not None else first)]
    result = subprocess.run([*args, str(path), "-"], capture_output=True, check=True)
    return unicodedata.normalize("NFC", result.stdout.decode("utf-8"))


def _page_count(pdf: bytes, tmp_path: Path) -> int:
    return _pdftotext(pdf, tmp_path).count("\f")


def test_pdf_is_a_pdf(pdf_vi):
    assert pdf_vi.startswith(b"%PDF")
    assert pdf_vi.rstrip().endswith(b"%%EOF")


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) is missing")
def test_pdf_is_a4(pdf_vi, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_vi)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout)
    assert match, info.stdout
    width, height = float(match[1]), float(match[2])
    assert width == pytest.approx(595.276, abs=0.5)
    assert height == pytest.approx(841.89, abs=0.5)


@needs_pdftotext
def test_pdf_text_vi(pdf_vi, tmp_path):
    text = _pdftotext(pdf_vi, tmp_path)
    assert unicodedata.normalize("NFC", SENTENCE) in text
    assert "Trang 1 / " in text
    assert "Hệ số ước lượng: 0,42" in text  # monospace output keeps its Vietnamese marks
    assert "SECRET_CODE" not in text


@needs_pdftotext
def test_pdf_footer_en(pdf_en, tmp_path):
    text = _pdftotext(pdf_en, tmp_path)
    assert "Page 1 of " in text
    assert "Trang 1 / " not in text


@needs_pdftotext
def test_pdf_title_page_then_toc_page(pdf_vi, tmp_path):
    title_page = _pdftotext(pdf_vi, tmp_path, 1)
    assert "Chuyển đổi số cấp tỉnh" in title_page
    assert "Mục lục" not in title_page
    toc_page = _pdftotext(pdf_vi, tmp_path, 2)
    assert "Mục lục" in toc_page
    # The TOC lists the heading with dot leaders and the page number it lands on.
    entry = re.search(rf"{HEADING_TEXT}[ .]*?(\d+)\s*$", toc_page, re.MULTILINE)
    assert entry, toc_page
    heading_page = int(entry[1])
    assert heading_page >= 3
    assert HEADING_TEXT in _pdftotext(pdf_vi, tmp_path, heading_page)


@needs_pdftotext
def test_pdf_long_table_repeats_header(pdf_vi, tmp_path):
    pages = _page_count(pdf_vi, tmp_path)
    with_header = [
        number
        for number in range(3, pages + 1)
        if HEADER_TEXT in _pdftotext(pdf_vi, tmp_path, number)
    ]
    assert len(with_header) >= 2, with_header
    # The table starts on the page of its heading, not after an empty page.
    assert SUBHEADING_TEXT in _pdftotext(pdf_vi, tmp_path, with_header[0])


def _pdf_objects(pdf: bytes) -> bytes:
    """The file plus every inflated stream, so objects inside object streams are searchable."""
    inflated = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        try:
            inflated.append(zlib.decompress(match[1]))
        except zlib.error:
            continue
    return b"\n".join(inflated)


def _outline_titles(pdf: bytes) -> set[str]:
    """Titles of the bookmark items (dictionaries with a /Title and a /Parent)."""
    objects = _pdf_objects(pdf)
    titles = set()
    for match in re.finditer(rb"/Title\s*<([0-9a-fA-F]+)>", objects):
        rest = objects[match.end() : objects.find(b">>", match.end())]
        if b"/Parent" in rest:
            titles.add(bytes.fromhex(match[1].decode("ascii")).decode("utf-16"))
    return titles


def test_pdf_has_outline(pdf_vi):
    assert b"/Outlines" in _pdf_objects(pdf_vi)
    # The report's sections only: no bookmark for the title page or the TOC heading.
    assert _outline_titles(pdf_vi) == {
        HEADING_TEXT,
        SUBHEADING_TEXT,
        LAST_HEADING_TEXT,
        "Về báo cáo này",
    }


def test_pdf_does_not_depend_on_source_date_epoch(html_vi, pdf_vi, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert render_pdf(html_vi) == pdf_vi
    assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"


def test_pdf_is_deterministic(html_vi, pdf_vi):
    # Fonts are subset on every render; a time stamp in them would show up here after 1 s.
    time.sleep(1.1)
    assert render_pdf(html_vi) == pdf_vi
