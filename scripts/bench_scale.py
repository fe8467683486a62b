"""Benchmark: national-size data on one machine, side by side in one run.

Run with ``make bench`` (or ``python scripts/bench_scale.py``). Each measurement is one
``python -m analysis …`` process; printed: records, wall seconds, CPU seconds (user + system,
all threads: on a shared machine the wall time grows with the load, the CPU time much less)
and the process's own peak resident memory (VmHWM, read by the process itself at exit,
DuckDB's threads included).

1. A generated 1M-household file (the bundled 2024 review resampled, fresh ids; valid for
   both code paths): ``summary --by commune`` by **today's code path** (the pandas path at
   commit 80cd353, extracted at run time with ``git archive`` into a temporary folder and run
   from there) and by the **columnar engine** of this checkout. Goal: at least 20x faster,
   peak memory at most a quarter. Their tables are compared figure by figure. Both trees are
   byte-compiled first (as an install does), so neither pays for compiling its modules per run.
2. 5M households (the same, resampled): the columnar engine only (today's path would need
   about 6 GB), so the growth is visible.
3. The synthetic national set, about 26.9M households (``synth --scale national``, generated
   once into a temporary folder unless ``--national PATH`` names one): ``summary --by
   province`` and ``mpi --by province``. Goal: peak RSS at most 4 GiB. ``--skip-national``
   leaves it out (generating 27M records takes minutes).

Not a test: a script that prints figures. Generated files go to a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

PROJECT = Path(__file__).resolve().parent.parent
TODAY = "80cd353"  # the pandas path before this work: the baseline the goals are measured against
GIB = 2**30

#: Runs the CLI in this process, then reports the process's own peak resident memory.
WRAPPER = """
import atexit, runpy, sys
def _peak():
    with open('/proc/self/status') as f:
        kb = int(f.read().split('VmHWM:')[1].split('kB')[0])
    sys.stderr.write(f'\\n@@PEAK_KB {kb}\\n')
atexit.register(_peak)
sys.argv = ['analysis'] + sys.argv[1:]
runpy.run_module('analysis', run_name='__main__', alter_sys=True)
"""


@dataclass
class Run:
    label: str
    rows: int
    seconds: float
    cpu: float  # user + system seconds, every thread
    peak: int  # bytes
    stdout: str
    ok: bool


def run(label: str, root: Path, rows: int, args: list[str]) -> Run:
    env = dict(os.environ, PYTHONPATH=str(root))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WRAPPER, *args], cwd=root, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = next((int(line.split()[1]) * 1024 for line in done.stderr.splitlines() if line.startswith("@@PEAK_KB")), 0)
    if done.returncode:
        print(f"  {label}: failed ({done.returncode})\n{done.stderr[-1500:]}", file=sys.stderr)
    print(f"  {label}: {seconds:.1f} s ({cpu:.1f} s CPU), {peak / 2**20:,.0f} MB", flush=True)
    return Run(label, rows, seconds, cpu, peak, done.stdout, done.returncode == 0)


def resampled(out: Path, rows: int, seed: int = 12) -> Path:
    """``rows`` households drawn from the bundled 2024 review, each with a fresh id, written in chunks."""
    bundled = pq.read_table(PROJECT / "data" / "households.parquet")
    latest = bundled.filter(pa.compute.equal(bundled["year"], max(bundled["year"].to_pylist())))
    rng = np.random.default_rng(seed)
    with pq.ParquetWriter(out, latest.schema) as writer:
        done = 0
        while done < rows:
            n = min(500_000, rows - done)
            part = latest.take(pa.array(rng.integers(0, latest.num_rows, n)))
            ids = pa.array([f"R{i:09d}" for i in range(done, done + n)])
            part = part.set_column(part.schema.get_field_index("household_id"), "household_id", ids)
            writer.write_table(part)
            done += n
    return out


def today_checkout(into: Path) -> Path:
    """The project at TODAY, extracted with ``git archive`` (no worktree left behind)."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(PROJECT), "archive", TODAY], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def same_figures(a: str, b: str) -> bool:
    """Both summaries hold the same units, counts and rates (columns both have)."""
    left, right = pd.read_csv(io.StringIO(a)), pd.read_csv(io.StringIO(b))
    common = [col for col in left.columns if col in right.columns]
    return len(left) == len(right) > 0 and left[common].round(9).equals(right[common].round(9))


def row(run: Run) -> str:
    return f"{run.label:<44}{run.rows:>12,}{run.seconds:>10.1f}{run.cpu:>10.1f}{run.peak / 2**20:>12,.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", type=Path, help="an existing national set (synth --scale national) instead of generating one")
    parser.add_argument("--skip-national", action="store_true", help="leave out the 27M-household national set")
    args = parser.parse_args()
    print(f"national scale on one machine: {os.cpu_count()} CPU(s), python {sys.version.split()[0]}", flush=True)
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(tmp)
        print("generating 1M and 5M households …", flush=True)
        one = resampled(work / "households-1m.parquet", 1_000_000)
        five = resampled(work / "households-5m.parquet", 5_000_000)
        old = today_checkout(work / "today")
        for root in (old, PROJECT):  # as an install does: neither run pays for compiling the project's modules
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "analysis")], capture_output=True, check=False)
        summary = ["summary", "--by", "commune", "--format", "csv"]
        today_start = run(f"start-up only (--help), today ({TODAY})", old, 0, ["--help"])
        columnar_start = run("start-up only (--help), this checkout", PROJECT, 0, ["--help"])
        today = run(f"1M summary --by commune, today ({TODAY})", old, 1_000_000, [*summary, "--data", str(one)])
        columnar = run("1M summary --by commune, columnar", PROJECT, 1_000_000, [*summary, "--data", str(one)])
        runs += [today_start, columnar_start, today, columnar]
        for label, data, rows in [("5M", five, 5_000_000)]:
            runs.append(run(f"{label} summary --by commune, columnar", PROJECT, rows, [*summary, "--data", str(data)]))
        for label, data, rows in [("1M", one, 1_000_000), ("5M", five, 5_000_000)]:
            runs.append(run(f"{label} summary --by province, columnar", PROJECT, rows, ["summary", "--by", "province", "--data", str(data)]))
            runs.append(run(f"{label} mpi --by province, columnar", PROJECT, rows, ["mpi", "--by", "province", "--data", str(data)]))
        national_runs: list[Run] = []
        if not args.skip_national:
            nat = args.national
            if nat is None:
                print("generating the national set (about 26.9M households) …", flush=True)
                start = time.perf_counter()
                made = subprocess.run(
                    [sys.executable, "-m", "analysis", "synth", "--scale", "national", "--out", str(work / "national")],
                    cwd=PROJECT, env=dict(os.environ, PYTHONPATH=str(PROJECT)), capture_output=True, text=True, check=False,
                )
                print(f"  {made.stdout.strip() or made.stderr[-800:]} ({time.perf_counter() - start:.0f} s)", flush=True)
                nat = work / "national"
            rows = sum(pq.read_metadata(p).num_rows for p in nat.rglob("*.parquet"))
            national_runs.append(run("27M summary --by province, columnar", PROJECT, rows, ["summary", "--by", "province", "--data", str(nat)]))
            national_runs.append(run("27M mpi --by province, columnar", PROJECT, rows, ["mpi", "--by", "province", "--data", str(nat)]))
            runs += national_runs

    print()
    print(f"{'':<44}{'records':>12}{'seconds':>10}{'CPU s':>10}{'peak MB':>12}")
    for r in runs:
        print(row(r))
    print()
    ok = all(r.ok for r in runs)
    speed, memory = today.seconds / columnar.seconds, columnar.peak / max(today.peak, 1)
    agree = same_figures(today.stdout, columnar.stdout) if today.ok and columnar.ok else False
    working = (columnar.peak - columnar_start.peak) / max(today.peak - today_start.peak, 1)
    marginal = (today.seconds - today_start.seconds) / max(columnar.seconds - columnar_start.seconds, 1e-9)
    print(f"1M summary --by commune: the columnar engine is {speed:.1f}x faster (goal: at least 20x) "
          f"with {memory:.2f} of today's peak memory (goal: at most 0.25); same figures: {agree}")
    print(f"  beyond start-up (each path's own --help run subtracted): {marginal:.1f}x faster, "
          f"{working:.2f} of today's working memory ({(columnar.peak - columnar_start.peak) / 1e6 / 1:.0f} MB against "
          f"{(today.peak - today_start.peak) / 1e6:.0f} MB, i.e. {(columnar.peak - columnar_start.peak) / 1e6:.0f} and "
          f"{(today.peak - today_start.peak) / 1e6:.0f} bytes per household)")
    print(f"  in CPU time (user + system, every thread; less sensitive to the machine's load): "
          f"{today.cpu / max(columnar.cpu, 1e-9):.1f}x ({today.cpu:.2f} s against {columnar.cpu:.2f} s; start-up alone "
          f"{today_start.cpu:.2f} s and {columnar_start.cpu:.2f} s)")
    if national_runs:
        worst = max(r.peak for r in national_runs)
        print(f"27M national set: peak RSS {worst / GIB:.2f} GiB (goal: at most 4 GiB)")
        ok &= worst <= 4 * GIB
    ok &= agree and speed >= 20 and memory <= 0.25
    print("all goals met" if ok else "GOALS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
