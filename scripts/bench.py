"""Benchmark: the batch against the loop an analyst would otherwise write by hand.

Run with ``make bench``. Both build every brief of the bundled data (the province overview
and the eight districts) as HTML and PDF, in one run, side by side:

* **batch**: ``python -m analysis reports --formats html,pdf`` (default ``--jobs``);
* **hand loop**: for each unit, one after another, the ``papermill`` CLI, then
  ``jupyter nbconvert --to html --no-input``, then the ``weasyprint`` CLI.

Printed: wall time of each, their ratio, the time per brief, the CPU seconds of each (all
their processes; on a shared machine a steadier figure than wall time) and the peak memory of
each (the resident memory of the whole process tree, kernels included, sampled every 100 ms).

Then the batch's **marginal cost per brief** at about 40 and about 400 **commune briefs of a
synthetic national set** (``--marginal``), which must stay flat (within 15%): a brief reads only
its unit's pre-computed aggregates, so its cost must not grow with the number of briefs. The set
is generated once (``python -m analysis synth --scale S``, default 0.1, about 2.7M households;
``--national PATH`` reuses one). No province has 400 communes (the most, 168), so the briefs come
from the fewest provinces that hold enough (the largest first: Hồ Chí Minh, Thanh Hóa, Phú Thọ),
one ``reports --province P --commune …`` batch per province, all into one output folder; each
province's communes are picked evenly along its list. Every batch also builds its province
overview, so a point of ``n`` commune briefs runs the same ``k`` batches whatever ``n``:

* **marginal cost per brief** between two points = the difference of their costs divided by the
  difference of their numbers of commune briefs: at 40, ``(cost(40) - cost(k)) / (40 - k)``, where
  the base point ``k`` is one commune per province; at 400, ``(cost(400) - cost(40)) / 360``. The
  fixed costs (data load and aggregates, kernel starts, the overviews, the summary workbook) are
  the same in both points and cancel. Measured in **CPU seconds** of the whole process tree (the
  batch, its workers and kernels; each process's own user + system time sampled every 100 ms), the
  figure the 15% goal is judged on, and in wall seconds (noisy on a shared machine);
* for reference, each commune brief's own build time as the batch reports it (mean of the
  progress lines' seconds: wall time in its worker, so it grows with the machine's load). The
  progress lines themselves are no clock of the briefs: they wait for the summary workbook, built
  on a thread beside the first briefs, and come in a burst when it is done.

Formats ``--marginal-formats`` (default ``html``: the PDF's cost is measured by the first part).

Not a test: a script that prints figures. Outputs go to a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil  # installed with ipykernel
import pyarrow.parquet as pq

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(PROJECT))

from analysis.briefs.brief import province_slug  # noqa: E402
from analysis.review import columns as c  # noqa: E402
from analysis.review.loading import load_households  # noqa: E402
from analysis.review.units import load_units, slugify  # noqa: E402


@dataclass
class Measure:
    seconds: float
    peak_mb: float
    ok: bool
    cpu: float = 0.0
    #: CPU seconds by part, and of how many processes: the batch's by role, the hand loop's by command.
    parts: dict[str, tuple[float, int]] = field(default_factory=dict)


def children_cpu() -> float:
    """CPU seconds of every finished child process (and theirs) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


#: What a process of the batch is, by its command line: the batch itself (this script's child),
#: a notebook's kernel, or the fork server and what it forks (the workers and the set-up helper).
ROLES = ("batch process", "fork server, workers and set-up helper", "kernels", "other")


def role(cmdline: str, direct_child: bool) -> str:
    if direct_child:
        return ROLES[0]
    if "ipykernel" in cmdline:
        return ROLES[2]
    return ROLES[1] if "forkserver" in cmdline else ROLES[3]


class ProcessTree:
    """Samples, until stopped, the resident memory of every process under this one (its peak)
    and the own CPU seconds (user + system) of each, the last value seen, each process once.
    Unlike ``RUSAGE_CHILDREN`` it sees the processes nobody here waits for (the batch's fork
    server, its workers and their kernels). A process loses at most its last interval."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak = 0
        self._cpu: dict[tuple[int, float], tuple[float, bool]] = {}  # (pid, start) -> (CPU s, a direct child)
        self._roles: dict[tuple[int, float], str] = {}  # (pid, start) -> what the process is (ROLES)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    times = proc.cpu_times()
                    key = (proc.pid, proc.create_time())
                    direct = proc.ppid() == me.pid  # not a second listing: a process started between two would pass for another's
                    self._cpu[key] = (times.user + times.system, direct)
                    if key not in self._roles:
                        self._roles[key] = role(" ".join(proc.cmdline()), direct)
                    total += proc.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    @property
    def cpu(self) -> float:
        """CPU seconds of every process sampled."""
        return sum(seconds for seconds, _ in self._cpu.values())

    def cpu_by_role(self) -> dict[str, tuple[float, int]]:
        """CPU seconds of the processes of each role (:data:`ROLES`), and how many there were."""
        out: dict[str, tuple[float, int]] = {}
        for key, (seconds, _) in self._cpu.items():
            total, count = out.get(self._roles[key], (0.0, 0))
            out[self._roles[key]] = (total + seconds, count + 1)
        return out

    def grandchildren_cpu(self) -> float:
        """CPU seconds of the processes below the direct children (which ``RUSAGE_CHILDREN`` counts once waited for)."""
        return sum(seconds for seconds, child in self._cpu.values() if not child)

    def __enter__(self) -> ProcessTree:
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
    with ProcessTree() as mem:
        start, cpu = time.perf_counter(), children_cpu()
        ok = run(cmd)
        seconds = time.perf_counter() - start
    # The batch waits for none of its grandchildren (the fork server, its workers, their
    # kernels): their CPU is sampled. The hand loop's are waited for (papermill its kernel).
    return Measure(seconds, mem.peak / 2**20, ok, children_cpu() - cpu + mem.grandchildren_cpu(), mem.cpu_by_role())


def bench_hand(out: Path, districts: list[str]) -> Measure:
    out.mkdir(parents=True, exist_ok=True)
    units = [(province_slug(load_units()), "province_overview.ipynb", [])] + [
        (slugify(d), "district_brief.ipynb", ["-p", "district", d]) for d in districts
    ]
    ok = True
    parts: dict[str, tuple[float, int]] = dict.fromkeys(HAND_STEPS, (0.0, 0))

    def step(name: str, cmd: list[str]) -> bool:
        before = children_cpu()
        done = run(cmd)
        total, count = parts[name]
        parts[name] = (total + children_cpu() - before, count + 1)  # papermill's kernel is its child: counted with it
        return done

    with ProcessTree() as mem:
        start, cpu = time.perf_counter(), children_cpu()
        for slug, notebook, params in units:
            executed = out / f"{slug}.ipynb"
            ok &= step(HAND_STEPS[0], [str(BIN / "papermill"), f"notebooks/{notebook}", str(executed), *params, "--no-progress-bar"])
            ok &= step(HAND_STEPS[1], [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
            ok &= step(HAND_STEPS[2], [str(BIN / "weasyprint"), str(out / f"{slug}.html"), str(out / f"{slug}.pdf")])
        seconds = time.perf_counter() - start
    return Measure(seconds, mem.peak / 2**20, ok, children_cpu() - cpu, parts)


#: The hand loop's commands, one after another for each unit.
HAND_STEPS = ("papermill (with its kernel)", "nbconvert", "weasyprint")


PROGRESS = re.compile(r"^\[(\d+)/(\d+)\] (\S+): ([\d.]+) s \(at ([\d.]+) s\)")


#: A commune brief's file name starts with its level word (the overview's with tinh- or thanh-pho-).
COMMUNE_SLUGS = ("xa-", "phuong-", "dac-khu-")


@dataclass
class Point:
    """One point of the marginal cost: ``communes`` commune briefs in one batch per province."""

    communes: int
    seconds: float = 0.0
    cpu: float = 0.0
    peak_mb: float = 0.0
    built: int = 0
    failed: int = 0
    brief_seconds: list[float] = field(default_factory=list)  # each commune brief's own time (progress lines)
    slugs: list[str] = field(default_factory=list)  # every brief's file name (each province writes its own folder)
    #: (CPU, wall) seconds per commune brief since the previous point.
    margin: tuple[float, float] = (float("nan"), float("nan"))


def national_set(tmp: Path, given: Path | None, scale: str) -> Path:
    if given is not None:
        return given
    out = tmp / f"national-{scale}"
    cmd = [sys.executable, "-m", "analysis", "synth", "--scale", scale, "--out", str(out)]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=PROJECT, env=env(), capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"synth failed: {done.stderr[-800:]}")
    print(f"  {done.stdout.strip()} ({time.perf_counter() - start:.0f} s)", flush=True)
    return out


def communes_by_province(national: Path) -> list[tuple[str, list[str]]]:
    """Each province of the set with its communes (in the data's order of first appearance),
    the provinces with the most communes first."""
    found = []
    for part in sorted(national.glob("province_code=*")):
        table = pq.read_table(part, columns=[c.PROVINCE, c.COMMUNE])
        provinces = table[c.PROVINCE].unique().to_pylist()
        communes = list(dict.fromkeys(table[c.COMMUNE].to_pylist()))
        found.append((str(provinces[0]), communes))
    return sorted(found, key=lambda pc: -len(pc[1]))


def evenly(names: list[str], count: int) -> list[str]:
    """``count`` names spread evenly along ``names``."""
    return [names[i * len(names) // count] for i in range(count)]


def bench_point(out: Path, national: Path, plan: list[tuple[str, list[str]]], communes: int, formats: str, jobs: int | None) -> Point:
    """``communes`` commune briefs, split evenly across the provinces of ``plan``: one ``reports``
    batch per province (its overview and its share of communes), one after another, into ``out``."""
    point = Point(communes)
    shares = [communes // len(plan) + (i < communes % len(plan)) for i in range(len(plan))]
    for (province, names), share in zip(plan, shares, strict=True):
        cmd = [sys.executable, "-m", "analysis", "reports", "--data", str(national), "--province", province, "--formats", formats,
               "--out", str(out), "--commune", *evenly(names, share)]
        if jobs:
            cmd += ["--jobs", str(jobs)]
        with ProcessTree() as tree:
            start = time.perf_counter()
            done = subprocess.run(cmd, cwd=PROJECT, env=env(), capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - start
        lines = [m for m in map(PROGRESS.match, done.stderr.splitlines()) if m]  # progress lines go to stderr
        if done.returncode:
            print(f"  {province}: reports failed ({done.returncode}):\n{(done.stdout + done.stderr)[-1200:]}", file=sys.stderr)
        point.seconds += seconds
        point.cpu += tree.cpu
        point.peak_mb = max(point.peak_mb, tree.peak / 2**20)
        point.built += sum(1 for m in lines if "FAILED" not in m.string)
        point.failed += sum(1 for m in lines if "FAILED" in m.string) + (not lines)
        point.brief_seconds += [float(m[4]) for m in lines if m[3].startswith(COMMUNE_SLUGS)]
        point.slugs += [m[3] for m in lines]
        print(f"    {province}: {share} commune(s) + overview in {seconds:.1f} s, {tree.cpu:.1f} CPU s, "
              f"{len(lines)} progress line(s), exit {done.returncode}", flush=True)
    return point


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, help="the batch's --jobs (default: its own default, the cores)")
    parser.add_argument("--marginal", default="40,400", help="numbers of commune briefs for the marginal cost per brief (default: 40,400; empty: skip)")
    parser.add_argument("--marginal-formats", default="html", help="formats of the marginal-cost briefs (default: html)")
    parser.add_argument("--national", type=Path, help="an existing synthetic national set (synth --scale) for the marginal cost, instead of generating one")
    parser.add_argument("--national-scale", default="0.1", help="scale of the national set generated for the marginal cost (default: 0.1, about 2.7M households)")
    parser.add_argument("--marginal-out", type=Path, help="keep the marginal-cost briefs in this folder (out-N/ per point; default: a temporary folder, removed)")
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
    print_parts(batch, hand)
    ok = marginal(args) if args.marginal else 0
    return 0 if batch.ok and hand.ok and not ok else 1


def print_parts(batch: Measure, hand: Measure) -> None:
    """Where the CPU seconds went: the batch's by process role, the hand loop's by command.

    On this machine's cores the batch takes at least its CPU seconds divided by the cores;
    what it shares with the hand loop (the kernels' charts, the PDF layout) shrinks both."""
    print("\nCPU seconds by part:")
    shown = [(name, *batch.parts[name]) for name in ROLES if name in batch.parts and batch.parts[name][0] >= 0.05]
    print("  batch: " + ", ".join(f"{name} {cpu:.1f} ({count} process{'es' if count > 1 else ''})" for name, cpu, count in shown))
    cores = os.cpu_count() or 1
    print(f"  batch: its CPU seconds over {cores} core(s): {batch.cpu / cores:.1f} s, the least its wall time can be "
          f"(it took {batch.seconds:.1f} s)")
    print("  hand loop, per brief: " + ", ".join(f"{name} {total / max(count, 1):.2f}" for name, (total, count) in hand.parts.items()))


def marginal(args: argparse.Namespace) -> int:
    """The marginal cost per commune brief at each batch size; 1 when it is not flat within 15%."""
    counts = sorted(int(n) for n in args.marginal.split(",") if n.strip())
    if not counts:
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-marginal-") as tmp:
        outputs = args.marginal_out or Path(tmp)
        print(f"\nmarginal cost per commune brief ({args.marginal_formats}) on a SYNTHETIC national set; "
              f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}:", flush=True)
        national = national_set(Path(tmp), args.national, args.national_scale)
        provinces = communes_by_province(national)
        plan: list[tuple[str, list[str]]] = []
        for province, names in provinces:
            if sum(len(n) for _, n in plan) >= counts[-1]:
                break
            plan.append((province, names))
        print(f"  {len(plan)} province(s): " + ", ".join(f"{p} ({len(n)} communes)" for p, n in plan), flush=True)
        points = []
        for communes in [len(plan), *(n for n in counts if n > len(plan))]:
            print(f"  {communes} commune briefs:", flush=True)
            points.append(bench_point(outputs / f"out-{communes}", national, plan, communes, args.marginal_formats, args.jobs))
        print(f"  load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"\n{'commune briefs':<16}{'batches':>8}{'built':>7}{'failed':>7}{'wall s':>9}{'CPU s':>9}{'peak MB':>9}"
          f"{'brief s':>9}{'marginal CPU s':>16}{'marginal wall s':>17}")
    for before, point in zip([None, *points], points):
        mean_brief = sum(point.brief_seconds) / max(len(point.brief_seconds), 1)
        cpu = wall = float("nan")
        if before is not None:
            cpu = (point.cpu - before.cpu) / (point.communes - before.communes)
            wall = (point.seconds - before.seconds) / (point.communes - before.communes)
        point.margin = (cpu, wall)
        print(f"{point.communes:<16}{len(plan):>8}{point.built:>7}{point.failed:>7}{point.seconds:>9.1f}{point.cpu:>9.1f}{point.peak_mb:>9.0f}"
              f"{mean_brief:>9.2f}{cpu:>16.2f}{wall:>17.2f}")
    for point in points:
        same = sorted({s for s in point.slugs if point.slugs.count(s) > 1})
        if same:
            print(f"  note: at {point.communes}, {len(same)} file name(s) were built by two provinces (same-named communes), each in "
                  f"its province's own folder (out-N/<year>/<province-slug>/), none replacing another: {', '.join(same)}")
    if len(points) < 2:
        return 0 if all(not p.failed for p in points) else 1
    low, high, first, last = points[1].margin, points[-1].margin, points[1].communes, points[-1].communes
    ratio = high[0] / low[0]
    print(f"\nmarginal CPU seconds per commune brief: {low[0]:.2f} at {first}, {high[0]:.2f} at {last}: "
          f"ratio {ratio:.2f} (goal: flat within 15%, 0.87-1.15); wall {low[1]:.2f} and {high[1]:.2f} s (ratio {high[1] / low[1]:.2f})")
    ok = abs(ratio - 1) <= 0.15 and all(not p.failed for p in points)
    print("marginal cost flat" if ok else "MARGINAL COST NOT FLAT (or a brief failed)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
