"""Benchmark: the batch against the loop an analyst would otherwise write by hand.

Run with ``make bench``. Both build every brief of the bundled data (the province overview
and the eight districts) as HTML and PDF, in one run, side by side:

* **batch**: ``python -m analysis reports --formats html,pdf`` (default ``--jobs``);
* **hand loop**: for each unit, one after another, the ``papermill`` CLI, then
  ``jupyter nbconvert --to html --no-input``, then the ``weasyprint`` CLI.

Printed: wall time of each, their ratio, the time per brief, the CPU seconds of each (all
their processes; on a shared machine a steadier figure than wall time) and the peak memory of
each (the resident memory of the whole process tree, kernels included, sampled every 100 ms).

Then the batch's **marginal cost per brief** at about 40 and about 400 briefs (``--marginal``),
which must stay flat (within 15%): a brief reads only its unit's pre-computed aggregates, so
its cost must not grow with the number of briefs. Measured on the bundled units repeated
under distinct slugs (the commune brief and the national set are not used here); the
marginal cost is the steady-state time between two finished briefs, from the 10th
percentile of completions to the last.

Not a test: a script that prints figures. Outputs go to a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
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
    cpu: float = 0.0


def children_cpu() -> float:
    """CPU seconds of every finished child process (and theirs) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class PeakMemory:
    """Samples the resident memory of this process's children (and theirs) until stopped, and
    the CPU seconds of the grandchildren no child waits for (the batch's fork server, its
    workers and their kernels), which ``RUSAGE_CHILDREN`` never sees."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak = 0
        self._cpu: dict[int, float] = {}  # last CPU seconds seen of each grandchild (and below)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            children = {p.pid for p in me.children()}
            for proc in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
                    if proc.pid not in children:
                        times = proc.cpu_times()
                        self._cpu[proc.pid] = times.user + times.system
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def grandchildren_cpu(self) -> float:
        """CPU seconds of the grandchildren sampled (each loses at most its last interval)."""
        return sum(self._cpu.values())

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
        start, cpu = time.perf_counter(), children_cpu()
        ok = run(cmd)
        seconds = time.perf_counter() - start
    # The batch waits for none of its grandchildren (the fork server, its workers, their
    # kernels): their CPU is sampled. The hand loop's are waited for (papermill its kernel).
    return Measure(seconds, mem.peak / 2**20, ok, children_cpu() - cpu + mem.grandchildren_cpu())


def bench_hand(out: Path, districts: list[str]) -> Measure:
    out.mkdir(parents=True, exist_ok=True)
    units = [(province_slug(load_units()), "province_overview.ipynb", [])] + [
        (slugify(d), "district_brief.ipynb", ["-p", "district", d]) for d in districts
    ]
    ok = True
    with PeakMemory() as mem:
        start, cpu = time.perf_counter(), children_cpu()
        for slug, notebook, params in units:
            executed = out / f"{slug}.ipynb"
            ok &= run([str(BIN / "papermill"), f"notebooks/{notebook}", str(executed), *params, "--no-progress-bar"])
            ok &= run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
            ok &= run([str(BIN / "weasyprint"), str(out / f"{slug}.html"), str(out / f"{slug}.pdf")])
        seconds = time.perf_counter() - start
    return Measure(seconds, mem.peak / 2**20, ok, children_cpu() - cpu)


def bench_marginal(out: Path, count: int, formats: str, jobs: int | None) -> tuple[float, float, int]:
    """A batch of ``count`` briefs (the bundled units repeated under distinct slugs), run in a
    child process: (wall seconds, marginal seconds per brief, briefs built)."""
    code = f"""
import dataclasses, itertools, sys, time
from pathlib import Path
from analysis.briefs.batch import run as batch
from analysis.briefs.batch.run import BatchRequest
plan = batch.plan_units
def repeated(*args, **kwargs):
    units = plan(*args, **kwargs)
    return [dataclasses.replace(u, slug=f"{{u.slug}}-{{i // len(units):03d}}") for i, u in zip(range({count}), itertools.cycle(units))]
batch.plan_units = repeated
marks = []
def log(line):
    if line.startswith("["):
        marks.append(time.perf_counter())
start = time.perf_counter()
result = batch.run_batch(BatchRequest(formats=tuple({formats!r}.split(",")), out=Path({str(out)!r}), jobs={jobs!r}), log=log)
first = max(4, len(marks) // 10)
print(time.perf_counter() - start, (marks[-1] - marks[first - 1]) / (len(marks) - first), sum(o.ok for o in result.outcomes))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, env=env(), capture_output=True, text=True)
    if done.returncode:
        print(f"  marginal run of {count} failed:\n{done.stderr[-800:]}", file=sys.stderr)
        return float("nan"), float("nan"), 0
    wall, marginal, built = done.stdout.split()
    return float(wall), float(marginal), int(built)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, help="the batch's --jobs (default: its own default, the cores)")
    parser.add_argument("--marginal", default="40,400", help="batch sizes for the marginal cost per brief (default: 40,400; empty: skip)")
    parser.add_argument("--marginal-formats", default="html,pdf", help="formats of the marginal-cost batches (default: html,pdf)")
    parser.add_argument("--skip-hand-loop", action="store_true", help="only the marginal cost")
    args = parser.parse_args()
    if args.skip_hand_loop:
        return marginal(args)
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
    print(f"{'CPU time, all processes (s)':<{width}}{batch.cpu:>12.1f}{hand.cpu:>12.1f}")
    print(f"{'peak memory, process tree (MB)':<{width}}{batch.peak_mb:>12.0f}{hand.peak_mb:>12.0f}")
    print(f"{'all outputs built':<{width}}{batch.ok!s:>12}{hand.ok!s:>12}")
    print(f"\nspeed-up: the batch is {hand.seconds / batch.seconds:.1f}x faster than the hand loop (goal: at least 8x); "
          f"{hand.cpu / batch.cpu:.1f}x fewer CPU seconds")
    ok = marginal(args) if args.marginal else 0
    return 0 if batch.ok and hand.ok and not ok else 1


def marginal(args: argparse.Namespace) -> int:
    """The marginal cost per brief at each batch size; 1 when it is not flat within 15%."""
    counts = [int(c) for c in args.marginal.split(",") if c.strip()]
    if not counts:
        return 0
    print(f"\nmarginal cost per brief ({args.marginal_formats}; the bundled units repeated under distinct slugs):", flush=True)
    costs = []
    with tempfile.TemporaryDirectory(prefix="bench-marginal-") as tmp:
        for count in counts:
            wall, cost, built = bench_marginal(Path(tmp) / str(count), count, args.marginal_formats, args.jobs)
            costs.append(cost)
            print(f"  {count:>5} briefs: {wall:8.1f} s in all, {built} built; {cost:.3f} s per brief at the margin", flush=True)
    spread = (max(costs) - min(costs)) / min(costs) if all(c == c for c in costs) and min(costs) > 0 else float("inf")
    print(f"  spread {spread:.0%} (goal: flat within 15%)")
    return 0 if spread <= 0.15 else 1


if __name__ == "__main__":
    raise SystemExit(main())
