"""`make bench`: time and peak memory of (a) the full build, (b) a naive build, (c) a no-op, (d) synthetic N.

(a) every report rebuilt by the pipeline (warm kernels, in-process rendering, 2 workers);
(b) the same reports done naively, one at a time: jupytext CLI, papermill CLI, nbconvert CLI (stock
    lab template), then the WeasyPrint CLI for the PDF;
(c) `make reports` when nothing changed;
(d) SYNTHETIC datasets of N = 4, 16 and 63 generated provinces (profiles in one language plus the
    comparison), written under build/bench/, never in reports/.
Peak memory is the largest sum of resident memory over the whole process tree (all kernels and
workers together), sampled every 50 ms.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from vndigital.paths import DATA, REPO
from vndigital.plan import NOTEBOOKS, report_plan

OUT = REPO / "build" / "bench"
PYTHON = sys.executable
BIN = Path(sys.executable).parent


def _tree_rss(root: int) -> int:
    """Resident memory (bytes) of `root` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            pid, ppid = int(entry), int(fields[1])
            rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            children.setdefault(ppid, []).append(pid)
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def measure(command: list[str], env: dict | None = None, cwd: Path = REPO) -> tuple[float, int]:
    """(seconds, peak tree RSS in bytes) of one command; raises if it fails."""
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{output[-3000:]}")
    return time.monotonic() - started, peak


def full_build() -> tuple[float, int]:
    return measure([PYTHON, "-m", "vndigital", "reports", "--force", "--out", str(OUT / "full")])


def naive_build() -> tuple[float, int, int]:
    """Each report through the three command-line tools, one after another."""
    folder = OUT / "naive"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    peak, started, count = 0, time.monotonic(), 0
    for spec in report_plan(DATA):
        ipynb = folder / f"{spec.report_id}.source.ipynb"
        executed = folder / f"{spec.report_id}.ipynb"
        steps = [
            [str(BIN / "jupytext"), "--quiet", "--to", "ipynb", str(NOTEBOOKS / spec.notebook), "-o", str(ipynb)],
            [str(BIN / "papermill"), "--no-progress-bar", "-k", "vndigital", "--cwd", str(NOTEBOOKS), str(ipynb), str(executed)]
            + [arg for name, value in spec.parameters.items() for arg in ("-p", name, str(value))],
            # The stock lab template: the project template needs the title/TOC resources that only
            # the in-process renderer provides.
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "--template", "lab",
             str(executed), "--output-dir", str(folder)],
            [str(BIN / "weasyprint"), "-q", str(folder / f"{spec.report_id}.html"), str(folder / f"{spec.report_id}.pdf")],
        ]  # fmt: skip
        for step in steps:
            _, step_peak = measure(step)
            peak = max(peak, step_peak)
        count += 1
    return time.monotonic() - started, peak, count


def noop_build() -> float:
    """`make reports` with everything current (best of three)."""
    subprocess.run(
        ["make", "--no-print-directory", "reports"], cwd=REPO, check=True, capture_output=True
    )
    times = []
    for _ in range(3):
        seconds, _ = measure(["make", "--no-print-directory", "reports"])
        times.append(seconds)
    return min(times)


def synthetic_build(n: int) -> tuple[float, int, int]:
    from vndigital.synthetic import generate

    folder = OUT / f"synthetic-{n}"
    paths = generate(folder, n)
    env = {"VNDIGITAL_DATA": str(paths.data), "VNDIGITAL_SOURCES": str(folder / "no-sources")}
    command = [PYTHON, "-m", "vndigital", "reports", "--force", "--out", str(folder / "reports")]
    command += ["--only", "profile", "--only", "comparison", "--lang", "vi"]
    seconds, peak = measure(command, env=env)
    return seconds, peak, n + 1


def main(argv: list[str] | None = None) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    mib = 1024 * 1024
    results: dict = {
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    print(f"machine: {results['machine']}")
    seconds, peak = full_build()
    n_reports = len(report_plan(DATA))
    results["full"] = {
        "seconds": round(seconds, 1),
        "peak_mib": round(peak / mib),
        "reports": n_reports,
    }
    print(f"(a) full build, {n_reports} reports: {seconds:.1f} s, peak {peak / mib:.0f} MiB")
    naive_seconds, naive_peak, count = naive_build()
    results["naive"] = {
        "seconds": round(naive_seconds, 1),
        "peak_mib": round(naive_peak / mib),
        "reports": count,
    }
    ratio = naive_seconds / seconds
    results["speedup_naive_over_full"] = round(ratio, 2)
    print(
        f"(b) naive build (papermill, nbconvert, weasyprint CLIs), {count} reports: {naive_seconds:.1f} s; (a) is {ratio:.1f}x faster"
    )
    noop = noop_build()
    results["noop_seconds"] = round(noop, 3)
    print(f"(c) no-op `make reports`: {noop:.3f} s")
    results["synthetic"] = {}
    for n in (4, 16, 63):
        seconds, peak, count = synthetic_build(n)
        results["synthetic"][n] = {
            "seconds": round(seconds, 1),
            "peak_mib": round(peak / mib),
            "reports": count,
        }
        print(
            f"(d) SYNTHETIC N = {n}: {count} reports in {seconds:.1f} s, peak {peak / mib:.0f} MiB"
        )
    targets = {
        "(a) ≥ 5x faster than (b)": ratio >= 5,
        "(c) no-op ≤ 1 s": noop <= 1,
        "(d) N = 63 ≤ 90 s": results["synthetic"][63]["seconds"] <= 90,
        "(d) N = 63 peak ≤ 2 GiB": results["synthetic"][63]["peak_mib"] <= 2048,
    }
    results["targets_met"] = targets
    for name, met in targets.items():
        print(f"target {name}: {'met' if met else 'NOT met'}")
    (OUT / "results.json").write_text(
        json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"written: {(OUT / 'results.json').relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
