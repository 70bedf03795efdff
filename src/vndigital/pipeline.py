"""Report plan -> executed notebooks -> HTML, PDF, CSV/XLSX tables, index and manifest, published atomically.

Speed comes from reuse, not shortcuts: each of two worker processes keeps one warm kernel and runs
its reports one after another in it (namespace reset between reports), rendering HTML and PDF
in-process. Outputs are byte-identical to a run in a fresh kernel (tests check this).
Only reports whose inputs changed are rebuilt. Everything is built in a staging folder and swapped
into place only when every report succeeded, so `reports/` is never half-written.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import ctypes
import functools
import html
import json
import multiprocessing
import os
import shutil
import signal
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import nbformat

from vndigital import exports
from vndigital.i18n import ParameterError, check_lang, fmt_date
from vndigital.paths import REPO, DataPaths, data_paths
from vndigital.plan import (
    KINDS,
    NOTEBOOKS,
    ReportSpec,
    common_hashes,
    input_hashes,
    report_plan,
    sha256_bytes,
    study_provinces,
)
from vndigital.report import METADATA_KEY, VALUES_MIMETYPE, slug

KERNEL_NAME = "vndigital"
BUILD = REPO / "build"
EXECUTION_TIMEOUT = 600
MANIFEST = "manifest.json"
VERSIONED_PACKAGES = (
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "statsmodels",
    "scipy",
    "papermill",
    "nbconvert",
    "nbclient",
    "jupytext",
    "pandera",
    "weasyprint",
    "openpyxl",
)


class ReportFailed(RuntimeError):
    """A report notebook failed; names the report, its parameters and the failing cell."""


# --- Parameters -------------------------------------------------------------------------------


def notebook_node(notebook: str) -> nbformat.NotebookNode:
    """The text notebook (jupytext percent format) as an executable notebook."""
    import jupytext

    return jupytext.read(NOTEBOOKS / notebook, fmt="py:percent")


def declared_parameters(nb: nbformat.NotebookNode) -> dict[str, object]:
    """Names and defaults of the single `parameters` cell (literals only)."""
    import ast

    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ParameterError(f"expected exactly one 'parameters' cell, found {len(cells)}")
    names = {}
    for statement in ast.parse(cells[0].source).body:
        if isinstance(statement, ast.AnnAssign | ast.Assign):
            target = (
                statement.target if isinstance(statement, ast.AnnAssign) else statement.targets[0]
            )
            names[target.id] = ast.literal_eval(statement.value)
        else:
            raise ParameterError("the parameters cell may only assign literals")
    return names


@functools.lru_cache(maxsize=32)
def _declared(notebook: str, mtime_ns: int) -> dict:
    """Declared parameters of a notebook (cached per file version: a build checks many reports)."""
    return declared_parameters(notebook_node(notebook))


@functools.lru_cache(maxsize=8)
def _provinces(paths: DataPaths, stamp: tuple) -> tuple:
    """Gazetteer and study provinces of a dataset (cached per file version)."""
    from vndigital.gazetteer import Gazetteer

    return Gazetteer.load(paths.provinces), tuple(study_provinces(paths))


def check_parameters(notebook: str, parameters: dict, paths: DataPaths) -> dict:
    """Fail before any analysis on an unknown parameter name or an invalid value.

    papermill only warns about unknown names and would run on the defaults; this does not.
    """
    declared = _declared(notebook, (NOTEBOOKS / notebook).stat().st_mtime_ns)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {', '.join(map(repr, unknown))} for notebooks/{notebook}; "
            f"valid parameters: {', '.join(declared)}"
        )
    merged = {**declared, **parameters}
    if "lang" in merged:
        check_lang(merged["lang"])
    for key in ("province", "budget_province"):
        if key in merged:
            from vndigital.gazetteer import UnknownProvinceError

            stamp = (paths.provinces.stat().st_mtime_ns, paths.manifest.stat().st_mtime_ns)
            gazetteer, study = _provinces(paths, stamp)
            valid = ", ".join(f"{gazetteer.get(p).name} ({p})" for p in study)
            try:
                province = gazetteer.resolve(str(merged[key]))
            except (UnknownProvinceError, TypeError) as error:
                raise ParameterError(
                    f"unknown {key} {merged[key]!r}; valid provinces: {valid}"
                ) from error
            if province.id not in study:
                raise ParameterError(
                    f"{key} {merged[key]!r} ({province.name}) is not a study province; valid provinces: {valid}"
                )
    return merged


# --- Warm kernel execution ---------------------------------------------------------------------


def kernel_environment(paths: DataPaths) -> dict[str, str]:
    """What the kernel inherits: fixed hash seed and dates, the dataset in use, no display."""
    env = dict(os.environ)
    env.update(
        {
            "PYTHONHASHSEED": "0",
            "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1700000000"),
            "MPLBACKEND": "Agg",
            "VNDIGITAL_DATA": str(paths.data),
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
    )
    return env


class WarmKernel:
    """One kernel reused for many notebooks; a first cell resets its namespace before each one."""

    RESET_TAG = "vndigital-reset"
    # Every name the previous notebook defined goes (what %reset does, without its slow gc pass),
    # and every figure is closed, so each report starts from the same state as in a fresh kernel.
    RESET = (
        "import matplotlib.pyplot as _plt\n_plt.close('all')\n"
        "for _vnd in [n for n in get_ipython().user_ns if n not in get_ipython().user_ns_hidden]:\n"
        "    get_ipython().user_ns.pop(_vnd, None)\n"
        "get_ipython().user_ns.pop('_vnd', None);"
    )

    def __init__(self, paths: DataPaths):
        from jupyter_client import KernelManager

        BUILD.mkdir(exist_ok=True)
        # Local IPC sockets: no network ports, and no "unencrypted TCP" warning.
        self.km = KernelManager(
            kernel_name=KERNEL_NAME, transport="ipc", ip=str(BUILD / f"kernel-{os.getpid()}")
        )
        self.km.start_kernel(cwd=str(NOTEBOOKS), env=kernel_environment(paths))
        # One client for the kernel's whole life: starting one per notebook costs ~0.2 s each.
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)

    def prepare(self, nb: nbformat.NotebookNode) -> None:
        cell = nbformat.v4.new_code_cell(self.RESET, metadata={"tags": [self.RESET_TAG]})
        nb.cells.insert(0, cell)

    @classmethod
    def strip(cls, nb: nbformat.NotebookNode) -> None:
        nb.cells = [
            c for c in nb.cells if cls.RESET_TAG not in c.get("metadata", {}).get("tags", [])
        ]

    def shutdown(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        self.km.cleanup_resources()


def execute(
    spec: ReportSpec, kernel: WarmKernel | None, work: Path, paths: DataPaths
) -> nbformat.NotebookNode:
    """Run one report notebook with papermill, in the given warm kernel or in a fresh one."""
    import papermill

    from vndigital.render import normalize_notebook

    _register_engine()
    work.mkdir(parents=True, exist_ok=True)
    source = work / f"{spec.report_id}.input.ipynb"
    nb_in = notebook_node(spec.notebook)
    fresh = kernel is None
    kernel = kernel or WarmKernel(paths)
    if not fresh:
        kernel.prepare(nb_in)
    nbformat.write(nb_in, source)
    executed = work / f"{spec.report_id}.ipynb"
    try:
        nb = papermill.execute_notebook(
            str(source),
            str(executed),
            parameters=spec.parameters,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            request_save_on_cell_execute=False,
            execution_timeout=EXECUTION_TIMEOUT,
            engine_name=WARM_ENGINE,
            km=kernel.km,
            kc=kernel.kc,
        )
    except papermill.PapermillExecutionError as error:
        raise _failure(spec, error, executed, offset=0 if fresh else 1) from None
    finally:
        if fresh:
            kernel.shutdown()
    WarmKernel.strip(nb)
    nb = normalize_notebook(nb)
    nbformat.write(nb, executed)
    return nb


def _failure(spec: ReportSpec, error, executed: Path, offset: int) -> ReportFailed:
    """Name the report, its parameters and the failing cell (position and first line)."""
    failed = BUILD / "failed"
    failed.mkdir(parents=True, exist_ok=True)
    kept = failed / f"{spec.report_id}.ipynb"
    if executed.exists():
        nb = nbformat.read(executed, as_version=4)
        WarmKernel.strip(nb)
        nbformat.write(nb, kept)
    nb_source = notebook_node(spec.notebook)
    # papermill inserts the injected-parameters cell after the parameters cell.
    index = error.cell_index - offset
    injected = next(
        (i for i, c in enumerate(nb_source.cells) if "parameters" in c.metadata.get("tags", [])), -1
    )
    source_index = index - 1 if injected >= 0 and index > injected else index
    first_line = ""
    if 0 <= source_index < len(nb_source.cells):
        first_line = nb_source.cells[source_index].source.strip().splitlines()[0][:80]
    where = kept.relative_to(REPO) if kept.is_relative_to(REPO) else kept.name
    return ReportFailed(
        f"report {spec.describe()} failed in cell {source_index + 1} of the notebook "
        f"({first_line!r}): {error.ename}: {error.evalue}; the executed copy is kept at {where}"
    )


WARM_ENGINE = "vndigital-warm"


def _register_engine() -> None:
    """A papermill engine that runs in an already-started kernel and closes its client afterwards."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import Engine, papermill_engines
    from papermill.log import logger

    class WarmKernelEngine(Engine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            km=None,
            kc=None,
            execution_timeout=None,
            start_timeout=60,
            **kwargs,
        ):
            client = PapermillNotebookClient(
                nb_man,
                km=km,
                kernel_name=kernel_name,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                log=logger,
                log_output=False,
            )
            client.kc = (
                kc  # reuse the warm kernel's client (nbclient then neither starts nor stops one)
            )
            return client.execute()

    papermill_engines.register(WARM_ENGINE, WarmKernelEngine)


# --- Rendering one report -----------------------------------------------------------------------


@dataclass
class BuiltReport:
    spec: ReportSpec
    files: dict[str, bytes]  # path relative to the output folder -> bytes
    values: dict
    tables: list[dict]
    timings: dict = field(default_factory=dict)  # seconds per step, for the build log only


def about_pairs(spec: ReportSpec, inputs: dict[str, str], data_date: str) -> list[tuple[str, str]]:
    """The closing 'about this report' section: parameters, hashes, versions (no dates, no paths)."""
    vi = spec.lang == "vi"
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in VERSIONED_PACKAGES)
    params = ", ".join(f"{k} = {v!r}" for k, v in spec.parameters.items())
    return [
        ("Sổ tay (notebook)" if vi else "Notebook", f"notebooks/{spec.notebook}"),
        ("Tham số" if vi else "Parameters", params),
        ("Dữ liệu đến ngày" if vi else "Data as of", data_date),
        ("Mã băm dữ liệu (sha256)" if vi else "Data hash (sha256)", inputs["data"]),
        ("Mã băm sổ tay" if vi else "Notebook hash", inputs["notebook"]),
        (
            "Mã băm mã nguồn (thay cho commit)" if vi else "Code hash (stands in for the commit)",
            inputs["code"],
        ),
        ("Mã băm tệp khóa môi trường" if vi else "Environment lock hash", inputs["lock"]),
        ("Python", sys.version.split()[0]),
        ("Phiên bản gói" if vi else "Package versions", versions),
        (
            "Ranh giới hành chính" if vi else "Boundaries",
            "63 tỉnh trước 1/7/2025" if vi else "63 provinces before 1 July 2025",
        ),
    ]


def collect(nb: nbformat.NotebookNode) -> tuple[dict, list[dict]]:
    """Recorded values and exported tables carried in the executed notebook's outputs."""
    values, tables = {}, []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if VALUES_MIMETYPE in data:
                values.update(data[VALUES_MIMETYPE])
            table = output.get("metadata", {}).get(METADATA_KEY, {}).get("table")
            if table:
                tables.append(table)
    return values, tables


def build_report(
    spec: ReportSpec,
    inputs: dict,
    data_date: str,
    kernel: WarmKernel | None,
    work: Path,
    paths: DataPaths,
) -> BuiltReport:
    from vndigital.render import render_html, render_pdf

    started = time.monotonic()
    nb = execute(spec, kernel, work, paths)
    executed_at = time.monotonic()
    values, tables = collect(nb)
    date_label = ("Dữ liệu đến ngày " if spec.lang == "vi" else "Data as of ") + fmt_date(
        data_date, spec.lang
    )
    page = render_html(
        nb,
        lang=spec.lang,
        title=spec.title,
        subtitle=spec.subtitle,
        date_label=date_label,
        about=about_pairs(spec, inputs, data_date),
    )
    rendered_at = time.monotonic()
    files = {
        f"html/{spec.report_id}.html": page.encode("utf-8"),
        f"pdf/{spec.report_id}.pdf": render_pdf(page),
    }
    pdf_at = time.monotonic()
    files.update(exports.table_files(spec.report_id, spec.lang, spec.title, tables))
    timings = {
        "execute": executed_at - started,
        "html": rendered_at - executed_at,
        "pdf": pdf_at - rendered_at,
        "tables": time.monotonic() - pdf_at,
    }
    return BuiltReport(spec, files, values, tables, timings)


# --- Worker processes ------------------------------------------------------------------------------

_KERNEL: WarmKernel | None = None


def _worker_init(data_dir: str) -> None:
    global _KERNEL

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it terminates us
    _KERNEL = WarmKernel(DataPaths(Path(data_dir)))
    # Pool workers leave through os._exit, which skips atexit; multiprocessing finalizers do run.
    from multiprocessing.util import Finalize

    Finalize(_KERNEL, _KERNEL.shutdown, exitpriority=10)


def _worker_build(
    spec: ReportSpec, inputs: dict, data_date: str, work: str, data_dir: str
) -> BuiltReport:
    return build_report(spec, inputs, data_date, _KERNEL, Path(work), DataPaths(Path(data_dir)))


# --- Publication -------------------------------------------------------------------------------------


def read_manifest(out: Path) -> dict:
    path = out / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"reports": []}


def stale_reports(specs: list[ReportSpec], out: Path, common: dict) -> list[tuple[ReportSpec, str]]:
    """Reports whose recorded inputs differ from the current ones, or whose outputs changed, with why."""
    recorded = {r["report_id"]: r for r in read_manifest(out).get("reports", [])}
    stale = []
    for spec in specs:
        entry = recorded.get(spec.report_id)
        if entry is None:
            stale.append((spec, "not built yet"))
            continue
        current = input_hashes(spec, common)
        changed = [k for k, v in current.items() if entry["inputs"].get(k) != v]
        if changed:
            stale.append((spec, "changed: " + ", ".join(changed)))
            continue
        for name, digest in entry["outputs"].items():
            path = out / name
            if not path.exists() or sha256_bytes(path.read_bytes()) != digest:
                stale.append((spec, f"output {name} missing or modified"))
                break
    return stale


def data_as_of(paths: DataPaths) -> str:
    """The latest publication date among the sources and citations (ISO), the report's 'data date'."""
    import pandas as pd

    dates = list(pd.read_csv(paths.manifest, dtype=str, keep_default_na=False)["published"])
    dates += list(pd.read_csv(paths.citations, dtype=str, keep_default_na=False)["published"])
    full = sorted(d for d in dates if len(d) == 10)
    return full[-1] if full else ""


def _swap_directories(new: Path, target: Path) -> None:
    """Replace `target` by `new` in one step where the OS allows it (Linux renameat2 exchange)."""
    with _signals_blocked():
        if not target.exists():
            os.rename(new, target)
            return
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = getattr(libc, "renameat2", None)
        at_fdcwd, rename_exchange = -100, 2
        if (
            renameat2 is not None
            and renameat2(at_fdcwd, bytes(new), at_fdcwd, bytes(target), rename_exchange) == 0
        ):
            shutil.rmtree(new)  # now holds the previous version
            return
        previous = target.with_name(target.name + ".previous")
        shutil.rmtree(previous, ignore_errors=True)
        os.rename(target, previous)
        os.rename(new, target)
        shutil.rmtree(previous)


class _signals_blocked:
    def __enter__(self):
        self.old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})

    def __exit__(self, *exc):
        signal.pthread_sigmask(signal.SIG_SETMASK, self.old)


def publish(
    out: Path,
    built: list[BuiltReport],
    specs: list[ReportSpec],
    common: dict,
    data_date: str,
    prune: bool = True,
) -> None:
    """Copy the current outputs aside, replace the rebuilt reports, write index and manifest, swap."""
    out = out.resolve()
    stage = out.with_name(f".{out.name}.staging-{os.getpid()}")
    shutil.rmtree(stage, ignore_errors=True)
    try:
        if out.exists():
            shutil.copytree(out, stage)
        else:
            stage.mkdir(parents=True)
        previous = {r["report_id"]: r for r in read_manifest(stage).get("reports", [])}
        rebuilt = {b.spec.report_id: b for b in built}
        planned = {s.report_id for s in specs}
        for report_id, entry in previous.items():
            if report_id in rebuilt or (prune and report_id not in planned):
                for name in entry["outputs"]:
                    (stage / name).unlink(missing_ok=True)
        entries = []
        if not prune:
            # A partial run (some kinds or languages) keeps every other published report as it is.
            kept = [previous[r] for r in previous if r not in planned]
            specs = specs + [
                ReportSpec(**{k: e[k] for k in ReportSpec.__dataclass_fields__}) for e in kept
            ]
        for spec in specs:
            if spec.report_id in rebuilt:
                report = rebuilt[spec.report_id]
                outputs = {}
                for name, content in sorted(report.files.items()):
                    path = stage / name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(content)
                    outputs[name] = sha256_bytes(content)
                entries.append(
                    {
                        **spec.to_json(),
                        "inputs": input_hashes(spec, common),
                        "outputs": outputs,
                        "tables": [{"id": t["id"], "title": t["title"]} for t in report.tables],
                        "values": report.values,
                        "data_date": data_date,
                    }
                )
            else:
                entries.append(previous[spec.report_id])
        # One canonical order, whatever subset was rebuilt, so the manifest bytes depend only on content.
        entries.sort(key=lambda e: (KINDS.index(e["kind"]), e["lang"] != "vi", e["report_id"]))
        for folder in sorted(stage.rglob("*"), reverse=True):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        manifest = {
            "about": "Reports of the vndigital project: parameters, input hashes and output sha256 per report.",
            "lock": common["lock"],
            "python": sys.version.split()[0],
            "packages": {name: metadata.version(name) for name in VERSIONED_PACKAGES},
            "reports": entries,
        }
        (stage / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        (stage / "index.html").write_text(index_page(entries), encoding="utf-8")
        _swap_directories(stage, out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


# --- Index page -----------------------------------------------------------------------------------------

INDEX_CSS = """
body{font-family:"Noto Sans","DejaVu Sans",sans-serif;max-width:860px;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
ul.reports{list-style:none;padding:0}ul.reports>li{margin:0 0 1.2rem 0;padding:.8rem;border:1px solid #ddd;border-radius:6px}
.meta{color:#555;font-size:.9rem}a{color:#0058a3}a:visited{color:#6b3e8a}
.links a{display:inline-block;margin:.2rem .6rem .2rem 0;padding:.3rem .6rem;border:1px solid #0058a3;border-radius:4px;text-decoration:none}
details{margin-top:.4rem}summary{cursor:pointer}
"""


def index_page(entries: list[dict]) -> str:
    """reports/index.html: every report with language, data date and links (all relative, offline)."""
    groups = {"vi": "Báo cáo tiếng Việt", "en": "Reports in English"}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Chuyển đổi số cấp tỉnh – báo cáo / Provincial digital transformation – reports</title>",
        f"<style>{INDEX_CSS}</style></head><body>",
        "<h1>Chuyển đổi số cấp tỉnh: báo cáo<br><small>Provincial digital transformation: reports</small></h1>",
        "<p>Mỗi báo cáo có bản HTML (đọc trên điện thoại), PDF (in A4) và các bảng số liệu (CSV, XLSX). "
        "Each report comes as HTML (phone), PDF (A4 print) and its data tables (CSV, XLSX).</p>",
    ]
    for lang, heading in groups.items():
        parts.append(f'<h2 lang="{lang}">{html.escape(heading)}</h2><ul class="reports">')
        for entry in (e for e in entries if e["lang"] == lang):
            rid = entry["report_id"]
            outputs = entry["outputs"]
            date = fmt_date(entry.get("data_date", ""), lang)
            label_date = "Dữ liệu đến ngày" if lang == "vi" else "Data as of"
            label_lang = "Tiếng Việt" if lang == "vi" else "English"
            links = [f'<a href="html/{rid}.html">HTML</a>', f'<a href="pdf/{rid}.pdf">PDF</a>']
            xlsx = f"tables/{rid}/{rid}.xlsx"
            if xlsx in outputs:
                links.append(f'<a href="{xlsx}">XLSX</a>')
            csvs = [
                name
                for name in outputs
                if name.startswith(f"tables/{rid}/") and name.endswith(".csv")
            ]
            titles = {
                f"tables/{rid}/{slug(t['id'])}.csv": t["title"] for t in entry.get("tables", [])
            }
            csv_items = "".join(
                f'<li><a href="{html.escape(name)}">{html.escape(titles.get(name, name.rsplit("/", 1)[-1]))}</a></li>'
                for name in sorted(csvs)
            )
            summary = "Bảng số liệu (CSV)" if lang == "vi" else "Data tables (CSV)"
            parts.append(
                f'<li lang="{lang}"><strong>{html.escape(entry["title"])}</strong>'
                f'<div class="meta">{label_lang} · {label_date} {html.escape(date)} · {html.escape(rid)}</div>'
                f'<div class="links">{"".join(links)}</div>'
                f"<details><summary>{summary}</summary><ul>{csv_items}</ul></details></li>"
            )
        parts.append("</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


# --- Orchestration ---------------------------------------------------------------------------------------


def build(
    out: Path,
    paths: DataPaths | None = None,
    kinds: tuple[str, ...] = KINDS,
    langs: tuple[str, ...] = ("vi", "en"),
    force: bool = False,
    workers: int = 2,
    log=print,
) -> list[ReportSpec]:
    """Rebuild what is stale and publish atomically. Returns the specs that were rebuilt."""
    paths = paths or data_paths()
    specs = report_plan(paths, kinds, langs)
    for spec in specs:
        check_parameters(spec.notebook, spec.parameters, paths)
    common = common_hashes(paths)
    todo = [(s, "forced") for s in specs] if force else stale_reports(specs, out, common)
    planned_ids = {s.report_id for s in specs}
    complete = set(kinds) == set(KINDS) and set(langs) == {"vi", "en"}
    extra = (
        [r for r in read_manifest(out).get("reports", []) if r["report_id"] not in planned_ids]
        if complete
        else []
    )
    if not todo and not extra:
        log(f"reports up to date ({len(specs)} reports in {out.name}/)")
        return []
    for spec, why in todo:
        log(f"building {spec.report_id} ({why})")
    data_date = data_as_of(paths)
    work = BUILD / "executed"
    built = _run_all([s for s, _ in todo], common, data_date, work, paths, workers, log)
    publish(out, built, specs, common, data_date, prune=complete)
    log(f"published {len(built)} report(s) to {out.name}/")
    return [b.spec for b in built]


def _run_all(specs, common, data_date, work, paths, workers, log=print) -> list[BuiltReport]:
    import weasyprint  # noqa: F401  (imported before forking so workers share it)

    import vndigital.render  # noqa: F401

    if workers <= 1 or len(specs) == 1:
        kernel = WarmKernel(paths)
        try:
            return [
                build_report(s, input_hashes(s, common), data_date, kernel, work, paths)
                for s in specs
            ]
        finally:
            kernel.shutdown()
    context = multiprocessing.get_context("fork")
    executor = concurrent.futures.ProcessPoolExecutor(
        max_workers=min(workers, len(specs)),
        mp_context=context,
        initializer=_worker_init,
        initargs=(str(paths.data),),
    )
    futures = {}
    try:
        # Longest first (the data-methods and comparison reports) keeps both workers busy to the end.
        order = sorted(specs, key=lambda s: s.kind == "profile")
        for spec in order:
            futures[
                executor.submit(
                    _worker_build,
                    spec,
                    input_hashes(spec, common),
                    data_date,
                    str(work),
                    str(paths.data),
                )
            ] = spec
        results = {}
        for future in concurrent.futures.as_completed(futures):
            built = future.result()
            results[built.spec.report_id] = built
            steps = ", ".join(f"{k} {v:.1f} s" for k, v in built.timings.items())
            log(f"built {built.spec.report_id} ({steps})")
        executor.shutdown(wait=True)
        return [results[s.report_id] for s in specs]
    except BaseException:
        for future in futures:
            future.cancel()
        for process in list(getattr(executor, "_processes", {}).values()):
            process.terminate()
        executor.shutdown(wait=True, cancel_futures=True)
        raise


def _terminate_on_sigterm() -> None:
    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> int:
    """`python -m vndigital reports [--out DIR] [--force] [--only KIND] [--lang vi]`."""
    parser = argparse.ArgumentParser(
        prog="python -m vndigital reports", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--out", type=Path, default=REPO / "reports", help="output folder (default: reports/)"
    )
    parser.add_argument("--force", action="store_true", help="rebuild every report, stale or not")
    parser.add_argument(
        "--only", action="append", choices=KINDS, help="report kinds to build (repeatable)"
    )
    parser.add_argument(
        "--lang", action="append", choices=("vi", "en"), help="languages (repeatable)"
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    _terminate_on_sigterm()
    started = time.monotonic()
    try:
        build(
            args.out,
            kinds=tuple(args.only or KINDS),
            langs=tuple(args.lang or ("vi", "en")),
            force=args.force,
            workers=args.workers,
        )
    except (ReportFailed, ParameterError) as error:
        print(f"error: {error}", file=sys.stderr)
        print(f"nothing was published; {args.out.name}/ is unchanged", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"interrupted; nothing was published; {args.out.name}/ is unchanged", file=sys.stderr)
        return 130
    print(f"done in {time.monotonic() - started:.1f} s")
    return 0


def run_main(argv: list[str] | None = None) -> int:
    """`python -m vndigital run NOTEBOOK -p NAME VALUE ...`: one notebook, checked parameters, fresh kernel.

    Writes the executed notebook and its HTML under build/run/; for researchers and for checking
    parameters (an unknown province, language or parameter name fails before anything runs).
    """
    parser = argparse.ArgumentParser(prog="python -m vndigital run")
    parser.add_argument("notebook", help="e.g. notebooks/10_province_profile.py")
    parser.add_argument(
        "-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE")
    )
    args = parser.parse_args(argv)
    paths = data_paths()
    name = Path(args.notebook).name
    parameters = dict(args.parameter)
    try:
        if not (NOTEBOOKS / name).exists():
            raise ParameterError(
                f"unknown notebook {args.notebook!r}; notebooks: {', '.join(sorted(p.name for p in NOTEBOOKS.glob('*.py')))}"
            )
        merged = check_parameters(name, parameters, paths)
        spec = ReportSpec(
            f"run-{Path(name).stem}",
            "run",
            name,
            parameters,
            merged.get("lang", "vi"),
            Path(name).stem,
            "",
        )
        from vndigital.render import render_html

        work = BUILD / "run"
        nb = execute(spec, None, work, paths)
        page = render_html(
            nb, lang=spec.lang, title=spec.title, subtitle="", date_label="", about=[]
        )
        (work / f"{spec.report_id}.html").write_text(page, encoding="utf-8")
    except (ParameterError, ReportFailed) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote build/run/{spec.report_id}.ipynb and .html")
    return 0
