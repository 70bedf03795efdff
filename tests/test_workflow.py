"""Adding an article end to end: extract → review → add rows → validate → reports, on a fixture article."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from vndigital.dataset import build_observations, to_csv_text
from vndigital.paths import REPO, DataPaths, sources_dir
from vndigital.validate import validate

pytestmark = pytest.mark.slow

# Written for this test (not from any publication): one ratio with its percentage, a bound, a
# target, a date and a view counter.
FIXTURE = """Chuyển đổi số ở huyện Sông Hinh
Thứ Hai, 04/03/2024
Năm 2023, toàn huyện tiếp nhận 2.150/2.500 hồ sơ trực tuyến, đạt tỉ lệ 86%.
Đến nay đã có hơn 1.200 tài khoản dịch vụ công được tạo. Huyện phấn đấu đến năm 2025 đạt 95% hồ sơ trực tuyến.
Lượt xem: 512
"""


def append_rows(path: Path, rows: list[dict]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, header, lineterminator="\n").writerows(rows)


def test_add_an_article_end_to_end(tmp_path):
    if not sources_dir().is_dir():
        pytest.skip("source articles not available")
    sources = tmp_path / "sources"
    shutil.copytree(sources_dir(), sources)
    article = sources / "900_fixture.txt"
    article.write_text(FIXTURE, encoding="utf-8")
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("processed"))
    paths = DataPaths(data)

    # 1. The manifest row.
    append_rows(
        paths.manifest,
        [
            {
                "source_id": "py-fixture",
                "file_name": article.name,
                "publisher": "Báo Mẫu",
                "title": "Chuyển đổi số ở huyện Sông Hinh",
                "published": "2024-03-04",
                "date_note": "fixture written for a test",
                "author": "",
                "focus_province": "Phú Yên",
                "language": "vi",
                "grade": "S",
                "sha256": hashlib.sha256(article.read_bytes()).hexdigest(),
            }
        ],
    )

    # 2. Extract candidates, through the same make target a researcher uses.
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "extract", f"SOURCE={article}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    candidates = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
    found = {(int(r.line), r.raw_text): r for r in candidates.itertuples()}
    assert set(found) == {(3, "2.150/2.500"), (3, "86%"), (4, "hơn 1.200"), (4, "95%"), (5, "512")}
    assert found[(4, "95%")].qualifier == "target"
    assert found[(4, "hơn 1.200")].qualifier == "lower_bound"

    # 3. Review: keep the facts, exclude the rest with a reason.
    base = {
        "province": "Phú Yên",
        "admin_level": "district",
        "place": "huyện Sông Hinh",
        "note": "",
    }
    append_rows(
        paths.article_observations,
        [
            {**base, "source_id": "py-fixture", "line": "3", "raw_text": "86%", "value": found[(3, "86%")].value,
             "unit": "percent", "numerator": "2150", "denominator": "2500", "qualifier": "exact",
             "period": "2023", "indicator": "online_dossier_rate"},
            {**base, "source_id": "py-fixture", "line": "4", "raw_text": "hơn 1.200", "value": found[(4, "hơn 1.200")].value,
             "unit": "count", "numerator": "", "denominator": "", "qualifier": "lower_bound",
             "period": "as-of-publication", "indicator": "dvc_accounts"},
            {**base, "source_id": "py-fixture", "line": "4", "raw_text": "95%", "value": found[(4, "95%")].value,
             "unit": "percent", "numerator": "", "denominator": "", "qualifier": "target",
             "period": "2025", "indicator": "online_dossier_rate"},
        ],
    )  # fmt: skip
    append_rows(
        paths.excluded_numbers,
        [
            {"source_id": "py-fixture", "line": "3", "raw_text": "2.150/2.500", "reason_code": "part_of_observation", "reason": "numerator and denominator of the 86% row"},
            {"source_id": "py-fixture", "line": "5", "raw_text": "512", "reason_code": "page_furniture", "reason": "view counter"},
        ],
    )  # fmt: skip

    # 4. Validate, with provenance against the new text.
    report = validate(paths, sources)
    assert report.problems == [], "\n".join(map(str, report.problems))

    # 5. Data and reports.
    paths.observations.parent.mkdir(parents=True)
    paths.observations.write_text(to_csv_text(build_observations(paths)), encoding="utf-8")
    out = tmp_path / "reports"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "vndigital",
            "reports",
            "--out",
            str(out),
            "--only",
            "profile",
            "--lang",
            "vi",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "VNDIGITAL_DATA": str(data), "VNDIGITAL_SOURCES": str(sources)},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    page = (out / "html" / "profile-phu-yen-vi.html").read_text(encoding="utf-8")
    assert "huyện Sông Hinh" in page and "py-fixture, dòng 3" in page
    assert "mục tiêu 95%" in page  # the target stays a target
