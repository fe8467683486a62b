"""Benchmark: reading and validating review files, this code against the code before it.

Run with ``make bench`` (or ``python scripts/bench_validation.py``). In one run, on the same
generated files, side by side:

* **new**: this working copy's ``analysis`` package;
* **old**: commit ``80cd353`` (main before the vectorised reading and validation), taken out
  of git with ``git archive`` into a temporary folder at run time.

Files: a 1,000,000-row CSV and a 300,000-row workbook made from the bundled synthetic data
(repeated, ids made unique; incomes written as a Vietnamese clerk writes them,
``1.234.000``). Each measure runs ``check_files`` (what ``validate`` and every command run) in a fresh
Python process: seconds in all, seconds of it spent reading the file (``read_table``), and
the process's peak resident memory (and its memory after imports, for reference).
Goals (issue 8), judged on wall-clock time and printed PASS or FAIL: validation at least 10x
faster with peak memory at most half; the Excel read at least 10x faster. The processes' CPU
time is printed too, with the machine's load average: on a shared machine the load changes
between the measures (the old Excel read alone takes minutes), which moves wall-clock ratios
from one run to the next, while CPU time moves much less. Not a test: a script that prints
figures. Outputs go to a temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import pandas as pd

PROJECT = Path(__file__).resolve().parent.parent
OLD_COMMIT = "80cd353"

#: Run in a fresh process with the package to measure first on sys.path.
CHILD = r"""
import json, resource, sys, time


def cpu_s():
    # this process's CPU time, all threads: what the work costs, whatever else the machine runs
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def high_water_mb():
    # VmHWM: this process's own peak resident memory (ru_maxrss would carry the parent's over exec)
    with open("/proc/self/status") as f:
        return int(f.read().split("VmHWM:")[1].split("kB")[0]) / 1024


root, path = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
import analysis.review.loading as loading

reading = [0.0, 0.0]
read_table = loading.read_table


def timed_read(*args, **kwargs):  # check_files as users call it, with its read timed apart
    start, cpu = time.perf_counter(), cpu_s()
    try:
        return read_table(*args, **kwargs)
    finally:
        reading[0] += time.perf_counter() - start
        reading[1] += cpu_s() - cpu


loading.read_table = timed_read
loading.load_aliases()  # warm the small reference tables, as a second file would find them
base = high_water_mb()
cpu = cpu_s()
start = time.perf_counter()
checked = loading.check_files([path])
total = time.perf_counter() - start
print(json.dumps({"rows": len(checked.frame), "problems": checked.total, "read_s": reading[0], "read_cpu_s": reading[1],
                  "total_s": total, "cpu_s": cpu_s() - cpu, "peak_mb": high_water_mb(), "base_mb": base}))
"""


def generate(rows: int, excel_rows: int, folder: Path) -> tuple[Path, Path]:
    """The CSV and workbook: the bundled households repeated to ``rows`` (ids unique per year)."""
    sys.path.insert(0, str(PROJECT))
    from analysis.paths import BUNDLED_HOUSEHOLDS

    base = pd.read_parquet(BUNDLED_HOUSEHOLDS)
    copies = -(-rows // len(base))
    frame = pd.concat([base.assign(household_id=base["household_id"] + f"-{k}") for k in range(copies)], ignore_index=True)
    frame = frame.iloc[:rows].copy()
    frame["income_per_capita"] = [f"{v:,}".replace(",", ".") for v in frame["income_per_capita"]]
    csv_path = folder / "review.csv"
    frame.to_csv(csv_path, index=False)
    xlsx_path = folder / "review.xlsx"
    import xlsxwriter

    book = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True})
    sheet = book.add_worksheet("Hộ gia đình")
    sheet.write_row(0, 0, list(frame.columns))
    for r, record in enumerate(frame.iloc[:excel_rows].itertuples(index=False), start=1):
        sheet.write_row(r, 0, record)
    book.close()
    return csv_path, xlsx_path


def old_code(folder: Path) -> Path:
    """The package as it was at OLD_COMMIT, extracted from git (no worktree needed)."""
    archive = subprocess.run(
        ["git", "-C", str(PROJECT), "archive", OLD_COMMIT, "analysis", "data"], check=True, capture_output=True
    ).stdout
    target = folder / "old"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def measure(root: Path, path: Path) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), str(path)], capture_output=True, text=True, env=env, cwd=str(root)
    )
    if done.returncode:
        raise SystemExit(f"measure failed for {root} on {path.name}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the CSV (default 1,000,000)")
    parser.add_argument("--excel-rows", type=int, default=300_000, help="rows of the workbook (default 300,000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-validation-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        csv_path, xlsx_path = generate(args.rows, args.excel_rows, folder)
        print(f"generated {args.rows:,} CSV rows and {args.excel_rows:,} workbook rows in {time.perf_counter() - start:.0f} s; "
              f"old code: {OLD_COMMIT}; {os.cpu_count()} CPU(s)", flush=True)
        old = old_code(folder)
        start_load = f"{os.getloadavg()[0]:.1f}"
        results = {}
        for label, path in (("CSV", csv_path), ("Excel", xlsx_path)):
            for who, root in (("new", PROJECT), ("old", old)):
                results[label, who] = measure(root, path)
                r = results[label, who]
                print(f"  {label} {who}: {r['total_s']:.1f} s (read {r['read_s']:.1f} s), peak {r['peak_mb']:.0f} MB; "
                      f"load average {os.getloadavg()[0]:.1f}", flush=True)
    print()
    width = 40
    rows = (("read_s", "read (s)"), ("total_s", "read + validate (s)"), ("read_cpu_s", "read, CPU time (s)"), ("cpu_s", "read + validate, CPU time (s)"),
            ("peak_mb", "peak RSS (MB)"), ("base_mb", "RSS after imports (MB)"))
    for label in ("CSV", "Excel"):
        new, old_r = results[label, "new"], results[label, "old"]
        print(f"{label} ({new['rows']:,} rows; problems found: new {new['problems']}, old {old_r['problems']})")
        print(f"{'':<{width}}{'new':>10}{'old':>10}{'old/new':>10}")
        for key, name in rows:
            if key in new and key in old_r:
                print(f"{name:<{width}}{new[key]:>10.2f}{old_r[key]:>10.2f}{old_r[key] / new[key]:>10.1f}")
        print()
    csv_new, csv_old = results["CSV", "new"], results["CSV", "old"]
    excel_new, excel_old = results["Excel", "new"], results["Excel", "old"]
    goals = [
        ("validation (CSV, read + validate)", csv_old["total_s"] / csv_new["total_s"], "x faster", ">= 10x", lambda v: v >= 10),
        ("validation (CSV) peak memory", csv_new["peak_mb"] / csv_old["peak_mb"], " of the old", "<= 0.5", lambda v: v <= 0.5),
        ("Excel read", excel_old["read_s"] / excel_new["read_s"], "x faster", ">= 10x", lambda v: v >= 10),
    ]
    print(f"Goals of issue 8 (wall-clock time, this run; load average {start_load} at the start, {os.getloadavg()[0]:.1f} at the end, {os.cpu_count()} CPUs):")
    for name, value, unit, goal, met in goals:
        print(f"  {name}: {value:.2f}{unit} (goal {goal}): {'PASS' if met(value) else 'FAIL'}")
    if (args.rows, args.excel_rows) != (1_000_000, 300_000):
        print("  (the goals are set for the default sizes, 1,000,000 CSV rows and 300,000 workbook rows)")
    print("For reference, CPU time (what the work costs whatever else the machine runs): "
          f"validation {csv_old['cpu_s'] / csv_new['cpu_s']:.1f}x less, Excel read {excel_old['read_cpu_s'] / excel_new['read_cpu_s']:.1f}x less")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
