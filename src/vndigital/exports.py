"""Tables carried by an executed report -> one CSV per table and one XLSX workbook, byte-stable."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile

from vndigital.report import slug

# Spreadsheet sheet names: at most 31 characters, none of []:*?/\
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _fixed_time() -> dt.datetime:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "1700000000"))
    return dt.datetime.fromtimestamp(epoch, dt.UTC).replace(tzinfo=None)


def table_csv(table: dict) -> bytes:
    """UTF-8 with BOM, so spreadsheet programs open Vietnamese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table["columns"])
    for row in table["rows"]:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_name(title: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", title).strip()[:28] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name.lower())
    return name


def workbook(title: str, lang: str, tables: list[dict]) -> bytes:
    """One sheet per table (named from its title), a first sheet listing them with their sources."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    contents = book.active
    contents.title = "Mục lục" if lang == "vi" else "Contents"
    contents.append([title])
    contents["A1"].font = Font(bold=True)
    contents.append(
        [
            "Trang tính" if lang == "vi" else "Sheet",
            "Bảng" if lang == "vi" else "Table",
            "Nguồn" if lang == "vi" else "Source",
        ]
    )
    used = {contents.title.lower()}
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table["title"], used))
        contents.append([sheet.title, table["title"], table.get("source", "")])
        sheet.append(table["columns"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table["rows"]:
            sheet.append(["" if v is None else v for v in row])
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
    book.properties.creator = "vndigital"
    book.properties.created = book.properties.modified = _fixed_time()
    raw = io.BytesIO()
    book.save(raw)
    return _normalize_zip(raw.getvalue())


def _normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry timestamps, so the same workbook gives the same bytes."""
    stamp = _fixed_time().timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time into `modified`; use the fixed time instead.
                fixed_time = _fixed_time().strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + fixed_time, content
                )
            target.writestr(fixed, content)
    return out.getvalue()


def table_files(report_id: str, lang: str, title: str, tables: list[dict]) -> dict[str, bytes]:
    """{relative path: bytes} for every table of one report (CSV each, plus the workbook)."""
    if not tables:
        return {}
    files = {}
    for table in tables:
        files[f"tables/{report_id}/{slug(table['id'])}.csv"] = table_csv(table)
    files[f"tables/{report_id}/{report_id}.xlsx"] = workbook(title, lang, tables)
    return files
