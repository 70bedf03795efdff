"""Notebook-side report building: headings, sentences, tables and figures as escaped HTML outputs.

Every table and chart table is also attached (as output metadata) to the executed notebook, so the
pipeline can export it as CSV/XLSX without the notebook writing files. Key computed values are
recorded the same way, for tests and the next run to compare.
"""

from __future__ import annotations

import html
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping

import pandas as pd

from vndigital import charts
from vndigital.i18n import UNIT_LABEL, check_lang, column_label

METADATA_KEY = "vndigital"
VALUES_MIMETYPE = "application/vnd.vndigital.values+json"


def slug(text: str) -> str:
    """ASCII anchor id from any text (đ -> d, diacritics dropped)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "section"


def _jsonable(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _jsonable(value.item())
    if value is pd.NA:
        return None
    return value


def _display(html_text: str, metadata: Mapping | None = None) -> None:
    from IPython.display import display

    display({"text/html": html_text}, raw=True, metadata=dict(metadata or {}))


class Report:
    """Builds one report in one language; methods display outputs in the running notebook."""

    def __init__(self, lang: str):
        self.lang = check_lang(lang)
        self.values: dict[str, object] = {}
        self._ids: set[str] = set()

    def pick(self, vi: str, en: str) -> str:
        return vi if self.lang == "vi" else en

    def _unique(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self._ids:
            candidate, n = f"{base}-{n}", n + 1
        self._ids.add(candidate)
        return candidate

    def heading(self, vi: str, en: str, level: int = 2, anchor: str | None = None) -> None:
        """A section heading; the id is the slug of the English text, so it is the same in both languages."""
        section = self._unique("sec-" + slug(anchor or en))
        text = html.escape(self.pick(vi, en))
        _display(f'<h{level} id="{section}">{text}</h{level}>')

    def text(self, vi: str, en: str, **values: object) -> str:
        """The sentence in this report's language with computed values filled in (unescaped)."""
        return self.pick(vi, en).format(**values)

    def say(self, vi: str, en: str, css_class: str = "", **values: object) -> None:
        """A paragraph; template and values are escaped (values may come from data)."""
        template = html.escape(self.pick(vi, en))
        filled = template.format(**{k: html.escape(str(v)) for k, v in values.items()})
        attribute = f' class="{css_class}"' if css_class else ""
        _display(f"<p{attribute}>{filled}</p>")

    def note(self, vi: str, en: str, **values: object) -> None:
        self.say(vi, en, css_class="note", **values)

    def bullets(self, items: Iterable[str]) -> None:
        body = "".join(f"<li>{html.escape(str(item))}</li>" for item in items)
        _display(f"<ul>{body}</ul>")

    def table(
        self,
        frame: pd.DataFrame,
        *,
        table_id: str,
        caption: str,
        source: str = "",
        export: pd.DataFrame | None = None,
        numeric: Iterable[str] = (),
    ) -> None:
        """A table (escaped), its caption and source line; `export` is the version for CSV/XLSX."""
        numeric = set(numeric)
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
        body = []
        for row in frame.itertuples(index=False):
            cells = []
            for column, value in zip(frame.columns, row, strict=True):
                css = ' class="num"' if column in numeric else ""
                shown = (
                    ""
                    if value is None or (isinstance(value, float) and math.isnan(value))
                    else value
                )
                cells.append(f"<td{css}>{html.escape(str(shown))}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        caption_html = f"<caption>{html.escape(caption)}</caption>"
        source_html = f'<p class="table-source">{html.escape(source)}</p>' if source else ""
        markup = (
            f'<div class="table-wrap" id="tab-{table_id}"><table class="dataframe">{caption_html}'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{source_html}</div>"
        )
        _display(
            markup,
            {
                METADATA_KEY: {
                    "table": self._export_record(
                        table_id, caption, source, export if export is not None else frame
                    )
                }
            },
        )

    def _export_record(self, table_id: str, title: str, source: str, frame: pd.DataFrame) -> dict:
        """A table for CSV/XLSX: headers in the report language, unit codes as words."""
        rows = []
        for row in frame.itertuples(index=False):
            cells = []
            for column, value in zip(frame.columns, row, strict=True):
                if column == "unit" and value in UNIT_LABEL:
                    value = UNIT_LABEL[value][self.lang]
                cells.append(_jsonable(value))
            rows.append(cells)
        return {
            "id": table_id,
            "title": title,
            "source": source,
            "columns": [column_label(str(c), self.lang) for c in frame.columns],
            "rows": rows,
        }

    def figure(
        self,
        fig,
        *,
        figure_id: str,
        caption: str,
        alt: str,
        source: str,
        table: pd.DataFrame | None = None,
    ) -> None:
        """A chart with its source line under it, caption, alt text and the table behind it."""
        charts.add_source_line(fig, source)
        png = charts.png_bytes(fig)
        markup = charts.figure_html(png, alt=alt, caption=caption, figure_id=figure_id)
        metadata = {}
        if table is not None:
            metadata = {
                METADATA_KEY: {"table": self._export_record(figure_id, caption, source, table)}
            }
        _display(markup, metadata)

    def record(self, **values: object) -> None:
        """Key computed values, kept in the executed notebook for tests and comparisons."""
        for key, value in values.items():
            self.values[key] = _jsonable(value)

    def finish(self) -> None:
        """Emit the recorded values (in a cell tagged remove-cell, so readers never see it)."""
        from IPython.display import display

        payload = json.loads(json.dumps(self.values, sort_keys=True, default=str))
        display({VALUES_MIMETYPE: payload, "text/plain": ""}, raw=True)
