"""CSV and XLSX exports: Vietnamese intact, byte-stable, sheet names valid."""

from __future__ import annotations

import io
import time

from openpyxl import load_workbook

from vndigital.exports import table_csv, table_files, workbook

TABLE = {
    "id": "dti-ranks",
    "title": "Hạng DTI: Bình Phước, Bắc Kạn, Điện Biên, Phú Yên [2020/2022]",
    "source": "Nguồn: Bộ TT&TT",
    "columns": ["Tỉnh", "Năm", "Hạng DTI"],
    "rows": [["Bắc Kạn", 2022, 63], ["Điện Biên", 2022, None]],
}


def test_csv_has_a_bom_and_keeps_vietnamese():
    data = table_csv(TABLE)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "Bắc Kạn,2022,63" in text and "Điện Biên,2022," in text


def test_workbook_is_byte_stable_and_readable():
    first = workbook("Báo cáo", "vi", [TABLE])
    time.sleep(1.1)  # a save-time stamp would show up now
    assert workbook("Báo cáo", "vi", [TABLE]) == first
    book = load_workbook(io.BytesIO(first))
    assert book.sheetnames[0] == "Mục lục"
    sheet = book.worksheets[1]
    assert len(sheet.title) <= 31 and "[" not in sheet.title and "/" not in sheet.title
    assert [c.value for c in sheet[1]] == TABLE["columns"]
    assert sheet["A2"].value == "Bắc Kạn"


def test_table_files_names_one_csv_per_table_and_one_workbook():
    files = table_files("comparison-vi", "vi", "So sánh", [TABLE])
    assert sorted(files) == [
        "tables/comparison-vi/comparison-vi.xlsx",
        "tables/comparison-vi/dti-ranks.csv",
    ]
