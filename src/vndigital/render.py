"""Render executed notebooks into offline HTML and A4 PDF reports with the vnreport template."""

import copy
import os
import re
import threading
from html import escape
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

__all__ = ["VALUES_MIMETYPE", "normalize_notebook", "render_html", "render_pdf"]

# Machine-readable numbers a notebook hands to the pipeline; never part of the report.
VALUES_MIMETYPE = "application/vnd.vndigital.values+json"

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "vnreport"

_PAPERMILL_RUN_KEYS = (
    "start_time",
    "end_time",
    "duration",
    "input_path",
    "output_path",
    "environment_variables",
)

_LABELS = {
    "vi": {"toc": "Mục lục", "about": "Về báo cáo này"},
    "en": {"toc": "Contents", "about": "About this report"},
}

# Fixed id of the closing section; prefixed so it cannot clash with the notebooks' "sec-" ids.
_ABOUT_ID = "vnr-about"

# Elements that load or run something from elsewhere; an offline report has no use for them.
_DROP_ELEMENTS = ("script", "link", "iframe", "frame", "object", "embed", "base", "noscript")
_URL_ATTRIBUTES = ("src", "href", "poster", "data", "action", "formaction", "xlink:href")
# Candidate lists can't be checked one URL at a time (data: URIs contain commas); src suffices.
_DROP_ATTRIBUTES = ("srcset", "imagesrcset", "ping")
_URL_SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_LOCAL_SCHEMES = ("data", "mailto", "tel")
_CSS_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:)?//[^)]*\)", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import[^;]*;?", re.IGNORECASE)

# A table cell holding one number: "1.234", "90,8", "-3,5%", "(12)", "1 234,5", "−0.2", "1e-05".
_NUMBER = re.compile(
    r"^[+\-\u2212]?\(?[+\-\u2212]?\d[\d.,\u00a0\u202f ]*(?:[eE][+\-]?\d+)?\)?\s?%?$"
)
# Missing-value markers sit in numeric columns without making them text columns.
_MISSING = frozenset({"", "nan", "NaN", "<NA>", "NaT", "None", "-", "\u2013", "\u2014"})

# Without libharfbuzz-subset WeasyPrint subsets fonts with fontTools, which stamps each font's
# head.modified with the current time unless SOURCE_DATE_EPOCH is set. A fixed value (not the
# caller's) keeps identical HTML giving identical bytes whatever the environment says.
_FONT_EPOCH = "0"
_ENV_LOCK = threading.Lock()

_REMOVE_CELL_TAGS = ("remove-cell", "injected-parameters")
_REMOVE_INPUT_TAGS = ("remove-input",)


def normalize_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Make an executed notebook byte-stable across runs, in place.

    Drops papermill's run timing, paths and environment (keeping its parameters), each
    cell's execution and papermill metadata, sets cell ids to "c000", "c001", … and
    renumbers execution counts 1..k over the executed code cells.

    Args:
        nb: An nbformat v4 notebook, typically straight from papermill.

    Returns:
        The same notebook object, for chaining.
    """
    papermill = nb.metadata.get("papermill")
    if isinstance(papermill, dict):
        for key in _PAPERMILL_RUN_KEYS:
            papermill.pop(key, None)
    # Cell ids exist from nbformat 4.5 on; older notebooks would fail validation with them.
    if nb.get("nbformat", 4) == 4 and nb.get("nbformat_minor", 0) < 5:
        nb.nbformat_minor = 5
    count = 0
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        cell["id"] = f"c{index:03d}"
        if cell.cell_type != "code":
            continue
        if cell.get("execution_count") is None:
            new_count = None
        else:
            count += 1
            new_count = count
        cell.execution_count = new_count
        for output in cell.get("outputs", []):
            if output.get("output_type") == "execute_result":
                output.execution_count = new_count
    return nb


class _ReportPreprocessor(Preprocessor):
    """Drops outputs the report must not show and collects h2/h3 headings for the TOC."""

    def preprocess(self, nb, resources):
        """Filter every cell, then store the TOC entries in resources["vnreport"]["toc"].

        Args:
            nb: Notebook after tag removal.
            resources: Exporter resources; must hold a "vnreport" dict.

        Returns:
            The notebook and resources.
        """
        toc = []
        kept = []
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [out for out in map(_clean_output, cell.outputs) if out is not None]
                # A code cell without outputs would leave empty wrappers (and print margins).
                if not cell.outputs:
                    continue
                for output in cell.outputs:
                    if "text/html" in output.get("data", {}):
                        toc.extend(_headings(_as_text(output.data["text/html"])))
            kept.append(cell)
        nb.cells = kept
        resources["vnreport"]["toc"] = toc
        return nb, resources


def _as_text(value) -> str:
    """Join a multiline nbformat string (str or list of str) into one str."""
    return "".join(value) if isinstance(value, list) else value


def _clean_output(output):
    """Return the output without the values mimetype, or None when nothing is left to show.

    Also marks numeric table cells in HTML outputs so they can be right-aligned.
    """
    data = output.get("data")
    if not data:
        return output
    if VALUES_MIMETYPE in data:
        del data[VALUES_MIMETYPE]
        # What remains is at most the repr fallback of the values bundle: not report content.
        if not set(data) - {"text/plain"}:
            return None
    if "text/html" in data:
        data["text/html"] = _mark_numeric_cells(_as_text(data["text/html"]))
    return output


def _headings(fragment: str) -> list[dict]:
    """Find h2/h3 elements that carry an id in an HTML fragment.

    Args:
        fragment: HTML emitted by a notebook output.

    Returns:
        TOC entries {"level", "id", "text"} in document order; id and text are HTML-escaped.
    """
    if "<h2" not in fragment and "<h3" not in fragment:
        return []
    soup = BeautifulSoup(fragment, "html.parser")
    entries = []
    for heading in soup.find_all(["h2", "h3"]):
        anchor = heading.get("id")
        text = " ".join(heading.get_text(" ").split())
        if anchor and text:
            entries.append(
                {
                    "level": int(heading.name[1]),
                    "id": escape(anchor),
                    "text": escape(text, quote=False),
                }
            )
    return entries


def _mark_numeric_cells(fragment: str) -> str:
    """Add class "num" to table cells that hold a single number, and to their column headers.

    Args:
        fragment: HTML emitted by a notebook output.

    Returns:
        The fragment, re-serialized only when it contains a table.
    """
    if "<table" not in fragment:
        return fragment
    soup = BeautifulSoup(fragment, "html.parser")
    for table in soup.find_all("table"):
        numeric_columns = None
        spans = table.find(["td", "th"], attrs={"colspan": True}) or table.find(
            ["td", "th"], attrs={"rowspan": True}
        )
        for row in table.find_all("tr"):
            if row.find_parent("thead") is not None:
                continue
            row_numeric = set()
            for position, cell in enumerate(row.find_all(["td", "th"], recursive=False)):
                text = cell.get_text().strip()
                if cell.name == "td" and (text in _MISSING or _NUMBER.match(text)):
                    cell["class"] = [*cell.get("class", []), "num"]
                    row_numeric.add(position)
            if row.find("td") is not None:
                numeric_columns = (
                    row_numeric if numeric_columns is None else numeric_columns & row_numeric
                )
        # Header alignment follows its column, but only where positions map one to one.
        thead = table.find("thead")
        if thead is None or spans is not None or not numeric_columns:
            continue
        for row in thead.find_all("tr"):
            for position, cell in enumerate(row.find_all(["td", "th"], recursive=False)):
                if position in numeric_columns:
                    cell["class"] = [*cell.get("class", []), "num"]
    return str(soup)


def _is_local_url(url: str) -> bool:
    """Tell whether a URL works offline and runs nothing: "#…", relative, data:, mailto:, tel:."""
    if url.strip().startswith("//"):
        return False
    scheme = _URL_SCHEME.match(url)
    return scheme is None or scheme[1].lower() in _LOCAL_SCHEMES


def _strip_external(document: str) -> str:
    """Remove scripts, external resources and external URLs from a full HTML document.

    Args:
        document: The exported HTML page.

    Returns:
        The page with no <script>, no URL with a scheme other than data:, mailto: or tel:
        (so no http(s)://, file:// or javascript:) and no protocol-relative URL in attributes
        or CSS; data: URIs and in-page "#" links stay. Link text stays when its href goes.
    """
    soup = BeautifulSoup(document, "html.parser")
    for element in soup.find_all(_DROP_ELEMENTS):
        element.decompose()
    for element in soup.find_all(True):
        for attribute in _DROP_ATTRIBUTES:
            element.attrs.pop(attribute, None)
        for attribute in _URL_ATTRIBUTES:
            value = element.get(attribute)
            if isinstance(value, str) and not _is_local_url(value):
                del element[attribute]
        style = element.get("style")
        if style and "//" in style:
            element["style"] = _CSS_EXTERNAL_URL.sub("none", style)
        if element.name == "style" and element.string:
            css = _CSS_IMPORT.sub("", element.string)
            element.string = _CSS_EXTERNAL_URL.sub("none", css)
    return str(soup)


def render_html(
    nb: nbformat.NotebookNode,
    *,
    lang: str,
    title: str,
    subtitle: str,
    date_label: str,
    about: list[tuple[str, str]],
) -> str:
    """Render an executed notebook as a standalone, offline HTML report.

    Code never shows; cells tagged remove-cell or injected-parameters disappear; outputs of
    the values mimetype are dropped. The page gets a title block (the PDF's title page), a
    table of contents built from the h2/h3 ids in the outputs, and a closing "about" section.
    The result depends only on the arguments (no dates, random ids or paths).

    Args:
        nb: Executed notebook; it is not modified.
        lang: "vi" or "en"; sets <html lang>, the TOC and about headings and the PDF footer.
        title: Report title (plain text), also the page <title>.
        subtitle: Line under the title (plain text; may be empty).
        date_label: Date or period as it should read, e.g. "Tháng 11/2026" (plain text).
        about: (label, value) pairs for the closing section (plain text, escaped here).

    Returns:
        The HTML document as a str.

    Raises:
        ValueError: If lang is not "vi" or "en".
    """
    if lang not in _LABELS:
        raise ValueError(f"lang must be one of {sorted(_LABELS)}, got {lang!r}")
    # Work on a normalized copy: the caller's notebook stays as it is, and random cell ids
    # or counts from a fresh run cannot reach the HTML.
    work = normalize_notebook(copy.deepcopy(nb))

    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        language_code=lang,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(
            remove_cell_tags=set(_REMOVE_CELL_TAGS),
            remove_input_tags=set(_REMOVE_INPUT_TAGS),
        ),
        enabled=True,
    )
    exporter.register_preprocessor(_ReportPreprocessor(), enabled=True)

    labels = _LABELS[lang]
    resources = {
        # A fixed name keeps any file-name fallback in nbconvert independent of the input path.
        "metadata": {"name": "report"},
        "vnreport": {
            "lang": lang,
            "title": escape(title),
            "subtitle": escape(subtitle),
            "date_label": escape(date_label),
            "about": [(escape(str(label)), escape(str(value))) for label, value in about],
            "about_id": _ABOUT_ID,
            "labels": {key: escape(text) for key, text in labels.items()},
            "toc": [],
        },
    }
    body, _ = exporter.from_notebook_node(work, resources=resources)
    return _strip_external(body)


def render_pdf(html: str) -> bytes:
    """Render the HTML from render_html as an A4 PDF with WeasyPrint.

    The same stylesheet drives both outputs; its print rules give the title page, the TOC
    with page numbers, the "Trang x / y" or "Page x of y" footer (from <html lang>) and the
    PDF outline from h1 to h3. Identical HTML gives identical bytes: WeasyPrint writes no
    date, and the time stamp fontTools would put into subset fonts is pinned.

    Args:
        html: A document produced by render_html.

    Returns:
        The PDF file as bytes.
    """
    # Imported here: WeasyPrint needs pango and is only required for PDF output.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only data: URIs resolve, so the PDF never depends on the network or the disk.
    fetcher = URLFetcher(allowed_protocols=("data",))
    with _ENV_LOCK:
        saved = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = _FONT_EPOCH
        try:
            return HTML(string=html, url_fetcher=fetcher).write_pdf()
        finally:
            if saved is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = saved
