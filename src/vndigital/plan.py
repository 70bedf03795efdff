"""Which reports exist (notebook × parameters), their titles, and the input hashes that make them stale."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from vndigital.gazetteer import STUDY_PROVINCES, Gazetteer
from vndigital.i18n import check_lang
from vndigital.paths import REPO, DataPaths
from vndigital.vocab import LANGUAGES

# $VNDIGITAL_NOTEBOOKS runs another notebook collection (tests use a deliberately broken copy).
NOTEBOOKS = Path(os.environ.get("VNDIGITAL_NOTEBOOKS", REPO / "notebooks"))
PACKAGE = REPO / "src" / "vndigital"
LOCK = REPO / "requirements.txt"

PROFILE = "10_province_profile.py"
COMPARISON = "20_province_comparison.py"
INVESTMENT = "30_investment_outcomes.py"
DATA_METHODS = "40_data_methods.py"
KINDS = ("profile", "comparison", "investment", "data-methods")


@dataclass(frozen=True)
class ReportSpec:
    """One published report: a notebook run with literal parameters, in one language."""

    report_id: str
    kind: str
    notebook: str
    parameters: dict = field(hash=False)
    lang: str
    title: str
    subtitle: str

    def describe(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.parameters.items())
        return f"{self.report_id} (notebooks/{self.notebook}, parameters {params})"

    def to_json(self) -> dict:
        return asdict(self)


def study_provinces(paths: DataPaths) -> list[str]:
    """Provinces covered by at least one source article, in report order."""
    gazetteer = Gazetteer.load(paths.provinces)
    manifest = pd.read_csv(paths.manifest, dtype=str, keep_default_na=False)
    focus = {gazetteer.resolve(name).id for name in manifest["focus_province"]}
    order = {pid: i for i, pid in enumerate(STUDY_PROVINCES)}
    return sorted(focus, key=lambda p: (order.get(p, len(order)), gazetteer.get(p).gso_code))


def report_plan(
    paths: DataPaths, kinds: tuple[str, ...] = KINDS, langs: tuple[str, ...] = LANGUAGES
) -> list[ReportSpec]:
    """Every report: a profile per study province and language, then the cross-province reports."""
    for lang in langs:
        check_lang(lang)
    gazetteer = Gazetteer.load(paths.provinces)
    study = study_provinces(paths)
    names = " · ".join(gazetteer.get(p).name for p in study)
    specs = []
    if "profile" in kinds:
        for pid in study:
            name = gazetteer.get(pid).name
            for lang in langs:
                specs.append(
                    ReportSpec(
                        f"profile-{pid}-{lang}",
                        "profile",
                        PROFILE,
                        {"province": pid, "lang": lang},
                        lang,
                        f"Chuyển đổi số tỉnh {name}: hồ sơ tỉnh"
                        if lang == "vi"
                        else f"Digital transformation in {name}: province profile",
                        _subtitle(lang),
                    )
                )
    titles = {
        "comparison": (
            COMPARISON,
            "So sánh chuyển đổi số giữa các tỉnh nghiên cứu",
            "Digital transformation: comparing the study provinces",
        ),
        "investment": (
            INVESTMENT,
            "Đầu tư và kết quả chuyển đổi số: dữ liệu nói được gì",
            "Investment and outcomes: what the data can and cannot say",
        ),
        "data-methods": (DATA_METHODS, "Dữ liệu và phương pháp", "Data and methods"),
    }
    for kind, (notebook, title_vi, title_en) in titles.items():
        if kind not in kinds:
            continue
        for lang in langs:
            specs.append(
                ReportSpec(
                    f"{kind}-{lang}",
                    kind,
                    notebook,
                    {"lang": lang},
                    lang,
                    title_vi if lang == "vi" else title_en,
                    names,
                )
            )
    return specs


def _subtitle(lang: str) -> str:
    return (
        "Chỉ số DTI, sử dụng dịch vụ số, hạ tầng, năng lực và ngân sách"
        if lang == "vi"
        else "DTI ranks, adoption, infrastructure, capacity and budget"
    )


# --- Input hashes ---------------------------------------------------------------------------


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def tree_hash(files: list[tuple[str, Path]]) -> str:
    """One hash over (name, content hash) pairs, so renames and edits both change it."""
    listing = "\n".join(f"{name}\t{sha256_file(path)}" for name, path in sorted(files))
    return sha256_bytes(listing.encode("utf-8"))


def data_hash(paths: DataPaths) -> str:
    return tree_hash([(p.relative_to(paths.data).as_posix(), p) for p in paths.inputs()])


def code_hash() -> str:
    files = [
        (p.relative_to(PACKAGE).as_posix(), p)
        for p in PACKAGE.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.suffix in (".py", ".j2", ".css", ".json")
    ]
    return tree_hash(files)


def common_hashes(paths: DataPaths) -> dict[str, str]:
    """Hashes shared by every report of a run (computed once)."""
    return {"data": data_hash(paths), "code": code_hash(), "lock": sha256_file(LOCK)}


def input_hashes(spec: ReportSpec, common: dict[str, str]) -> dict[str, str]:
    """Everything a report's bytes depend on, as recorded in reports/manifest.json."""
    return {
        **common,
        "notebook": sha256_file(NOTEBOOKS / spec.notebook),
        "parameters": sha256_bytes(json.dumps(spec.parameters, sort_keys=True).encode()),
    }
