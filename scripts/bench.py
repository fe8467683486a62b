"""Benchmark: the batch against the loop an analyst would otherwise write by hand.

Run with ``make bench``. Both build every brief of the bundled data (the province overview
and the eight districts) as HTML and PDF, in one run, side by side:

* **batch**: ``python -m analysis reports --formats html,pdf`` (default ``--jobs``);
* **hand loop**: for each unit, one after another, the ``papermill`` CLI, then
  ``jupyter nbconvert --to html --no-input``, then the ``weasyprint`` CLI.

Printed: wall time of each, their ratio, the time per brief, and the peak memory of each
(the resident memory of the whole process tree, kernels included, sampled every 100 ms).
Not a test: a script that prints figures. Outputs go to a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil  # installed with ipykernel

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(PROJECT))

from analysis.briefs.brief import province_slug  # noqa: E402
from analysis.review.loading import load_households  # noqa: E402
from analysis.review.units import load_units, slugify  # noqa: E402


@dataclass
class Measure:
    seconds: float
    peak_mb: float
    ok: bool


class PeakMemory:
    """Samples the resident memory of this process's children (and theirs) until stopped."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def env() -> dict[str, str]:
    """The same environment for both: the project importable, a fixed footer date."""
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT), out.get("PYTHONPATH", "")) if p)
    out.setdefault("SOURCE_DATE_EPOCH", "1735689600")
    out["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return out


def run(cmd: list[str], **kw: object) -> bool:
    done = subprocess.run(cmd, cwd=PROJECT, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    if done.returncode:
        print(f"  failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr.decode(errors='replace')[-800:]}", file=sys.stderr)
    return done.returncode == 0


def bench_batch(out: Path, jobs: int | None) -> Measure:
    cmd = [sys.executable, "-m", "analysis", "reports", "--formats", "html,pdf", "--out", str(out)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    with PeakMemory() as mem:
        start = time.perf_counter()
        ok = run(cmd)
        seconds = time.perf_counter() - start
    return Measure(seconds, mem.peak / 2**20, ok)


def bench_hand(out: Path, districts: list[str]) -> Measure:
    out.mkdir(parents=True, exist_ok=True)
    units = [(province_slug(load_units()), "province_overview.ipynb", [])] + [
        (slugify(d), "district_brief.ipynb", ["-p", "district", d]) for d in districts
    ]
    ok = True
    with PeakMemory() as mem:
        start = time.perf_counter()
        for slug, notebook, params in units:
            executed = out / f"{slug}.ipynb"
            ok &= run([str(BIN / "papermill"), f"notebooks/{notebook}", str(executed), *params, "--no-progress-bar"])
            ok &= run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
            ok &= run([str(BIN / "weasyprint"), str(out / f"{slug}.html"), str(out / f"{slug}.pdf")])
        seconds = time.perf_counter() - start
    return Measure(seconds, mem.peak / 2**20, ok)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, help="the batch's --jobs (default: its own default, the cores)")
    args = parser.parse_args()
    households = load_households()
    districts = [d for d in load_units().districts if d in set(households["district"])]
    n = len(districts) + 1
    print(f"{n} briefs (province + {len(districts)} districts), HTML and PDF, bundled data; "
          f"{os.cpu_count()} CPU(s); python {sys.version.split()[0]}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        batch = bench_batch(Path(tmp) / "batch", args.jobs)
        print(f"  batch done in {batch.seconds:.1f} s", flush=True)
        hand = bench_hand(Path(tmp) / "hand", districts)
        print(f"  hand loop done in {hand.seconds:.1f} s", flush=True)
    width = 34
    print()
    print(f"{'':<{width}}{'batch':>12}{'hand loop':>12}")
    print(f"{'wall time (s)':<{width}}{batch.seconds:>12.1f}{hand.seconds:>12.1f}")
    print(f"{'per brief (s)':<{width}}{batch.seconds / n:>12.2f}{hand.seconds / n:>12.2f}")
    print(f"{'peak memory, process tree (MB)':<{width}}{batch.peak_mb:>12.0f}{hand.peak_mb:>12.0f}")
    print(f"{'all outputs built':<{width}}{batch.ok!s:>12}{hand.ok!s:>12}")
    print(f"\nspeed-up: the batch is {hand.seconds / batch.seconds:.1f}x faster than the hand loop (goal: at least 8x)")
    return 0 if batch.ok and hand.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
