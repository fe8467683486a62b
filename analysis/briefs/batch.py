"""The batch: every brief of a review year as HTML and PDF, with an index page.

``python -m analysis reports`` runs the district notebook once per district and the
province notebook once, with papermill, in parallel, and renders each in process. Where the
time goes in a naive loop, and what this module does about it:

* **Data**: loading, validating and classifying ~330k household records takes seconds.
  It is done once, here, before anything is written (bad data stop the batch with the
  ``validate`` report), with every district's tables of the year in one grouped pass each;
  those aggregates (no household record) are pickled to a private temporary file that every
  notebook reads through its ``cache_path`` parameter.
* **Kernels**: starting a kernel and importing pandas, matplotlib and ``analysis`` costs
  more than running a brief. Each worker starts one kernel (without input history) while
  the data load, imports everything in it (and draws a chart, so fonts are loaded), and
  hands it to papermill through a small engine (``km=`` plus an already-connected client,
  which nbclient reuses without shutting anything down). Between notebooks the kernel's
  namespace is cleared (modules stay imported); a kernel that died or ran a failing
  notebook is replaced.
* **Rendering**: nbconvert and WeasyPrint are imported once (in the fork server the
  workers come from) and one HTML exporter per worker serves all its briefs; no process
  is started per file.
* **Overlap**: a worker runs notebook N+1 in its kernel while it renders brief N, so
  neither waits for the other and the last brief does not leave a core idle for long.
* **Garbage collection**: workers and kernels freeze what start-up allocated and collect
  young objects less often; with CPython's defaults a sixth of a PDF's time went there.

Measured on the bundled data (9 briefs, HTML and PDF, 2 cores; ``make bench``): about
7 s against about 45 s for the papermill / nbconvert / weasyprint loop, unit after unit.
The batch is CPU-bound, about 11 CPU-seconds in all: per brief ~0.4 s of WeasyPrint (a
quarter of it the charts' text) and ~0.25 s in the kernel (half of it matplotlib); once,
~1.1 s each for the fork server's imports and the parent's data load and tables, ~0.8 s
per kernel start.

Failures are isolated: a notebook that fails leaves its executed copy (with papermill's
error banner) under ``notebooks/``, no HTML or PDF, a line in the summary, and exit code 1;
the other briefs are built. Files are written under a temporary name and renamed, so a
brief is either complete or absent.
"""

from __future__ import annotations

import gc
import html
import multiprocessing as mp
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..paths import NOTEBOOKS_DIR, PROJECT_DIR, TEMPLATES_DIR
from ..review.standards import DEFAULT_STANDARD, get_standard
from . import brief as br
from . import narrative as nv
from .sections import headline_figures

DISTRICT_NOTEBOOK = NOTEBOOKS_DIR / "district_brief.ipynb"
PROVINCE_NOTEBOOK = NOTEBOOKS_DIR / "province_overview.ipynb"
KERNEL_NAME = "python3"
#: A cell running longer than this fails its brief (a brief's cells take well under a second).
CELL_TIMEOUT_S = 600

#: Garbage collection in the long-lived processes (workers and kernels): a brief allocates
#: millions of short-lived objects (WeasyPrint boxes, matplotlib artists) and CPython's default
#: thresholds (700, 10, 10) spent a sixth of a PDF's time re-scanning what start-up imported.
#: That is frozen once warm (collections skip it) and young objects are collected less often.
GC_THRESHOLDS = (10_000, 10, 10)

#: Run in each kernel once it has started, so no brief pays for these imports (and for
#: matplotlib's font loading, which the first chart of a process would otherwise pay).
WARM_UP = (
    "import pandas, numpy, matplotlib\nfrom analysis import brief, sections, render, charts, narrative\n"
    "charts.share_bars(['Bắc Kạn'], [1.0], 'vi', title='', axis_label='')\n"
    f"import gc\ngc.collect()\ngc.freeze()\ngc.set_threshold{GC_THRESHOLDS}\n"
)
#: Run between two notebooks in the same kernel: a clean namespace, modules kept. Like
#: ``%reset -f`` without its full garbage collection (a sixth of a brief's time).
RESET = """
import re as _re
_ip = get_ipython()
for _name in [n for n in _ip.user_ns if (not n.startswith('_') and n not in _ip.user_ns_hidden) or _re.fullmatch(r'_i?[0-9]+', n)]:
    del _ip.user_ns[_name]
_ip.user_ns['Out'].clear()
for _name in ('_', '__', '___'):
    _ip.user_ns[_name] = ''
del _ip, _name, _re
"""


@dataclass(frozen=True)
class Unit:
    """One brief to build: its file slug, display name and notebook parameters."""

    slug: str
    name: str
    notebook: Path
    parameters: Mapping[str, Any]
    district: str | None = None


@dataclass(frozen=True)
class Outcome:
    """How building one brief went."""

    slug: str
    ok: bool
    seconds: float
    files: tuple[str, ...] = ()
    error: str = ""
    phases: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Settings:
    """What a worker needs to know: where to write, which formats, the footer date."""

    out_dir: Path
    formats: tuple[str, ...]
    generated: date
    kernel_name: str = KERNEL_NAME


@dataclass(frozen=True)
class BatchResult:
    """The outcome of a batch: one entry per brief, in index order, and the wall time."""

    out_dir: Path
    outcomes: tuple[Outcome, ...]
    seconds: float
    index: Path | None = None

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


# --- planning ------------------------------------------------------------------------------


def default_jobs() -> int:
    """As many parallel briefs as the machine has cores."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def plan_units(
    inputs: br.BriefInputs,
    year: int,
    districts: Sequence[str] | None,
    *,
    lang: str,
    data: Sequence[str] | None,
    targets: str | None,
    cache_path: Path,
    notebooks: Mapping[str, Path],
) -> list[Unit]:
    """The province overview (when all districts are built) then each district, in GSO order."""
    chosen = [br.check_district(inputs, d) for d in districts] if districts else inputs.districts
    chosen = [d for d in inputs.districts if d in set(chosen)]
    data_path: Any = None if not data else (str(data[0]) if len(data) == 1 else [str(p) for p in data])
    common = {
        "year": year,
        "data_path": data_path,
        "standard": inputs.standard,
        "lang": lang,
        "targets_path": str(targets) if targets else None,
        "cache_path": str(cache_path),
    }
    units = []
    if not districts:
        units.append(Unit(br.province_slug(inputs.units), nv.capitalize(nv.province_name(inputs.province, lang)), notebooks["province"], common))
    for d in chosen:
        brief = br.Brief(inputs, year, lang, d)
        units.append(Unit(brief.slug, d, notebooks["district"], common | {"district": d}, district=d))
    return units


# --- the kernel a worker keeps warm --------------------------------------------------------


class WarmKernel:
    """A started kernel with the briefs' imports done, reused notebook after notebook."""

    def __init__(self, kernel_name: str) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        self.km = AsyncKernelManager(kernel_name=kernel_name)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_DIR), env.get("PYTHONPATH", "")) if p)
        env["MPLBACKEND"] = "Agg"
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        # No input history: nothing reads it, and its SQLite writes cost every cell.
        run_sync(self.km.start_kernel)(cwd=str(PROJECT_DIR), env=env, stderr=subprocess.DEVNULL, extra_arguments=["--HistoryManager.enabled=False"])
        self.client: Any = None
        self.notebook_client: Any = None

    def ready(self) -> WarmKernel:
        """Connect and do the imports. Launching returns at once, so a worker does its own
        start-up work between the two while the kernel boots."""
        if self.client is None:
            self.client = self._blocking_client()
            self.execute(WARM_UP)
            # The client papermill's nbclient talks through, connected once: a fresh client
            # per notebook would wait 0.2 s for stray IOPub messages every time.
            self.notebook_client = self.km.client()
            self.notebook_client.start_channels()
            self._run_sync(self.notebook_client.wait_for_ready)(timeout=60)
        return self

    def _blocking_client(self) -> Any:
        from jupyter_client import BlockingKernelClient

        client = BlockingKernelClient()
        client.load_connection_info(self.km.get_connection_info())
        client.start_channels()
        client.wait_for_ready(timeout=60)
        return client

    def execute(self, code: str) -> bool:
        """Run code outside any notebook (no history); True when it ran without error."""
        reply = self.client.execute_interactive(code, store_history=False, timeout=120, output_hook=lambda msg: None)
        return reply["content"].get("status") == "ok"

    def alive(self) -> bool:
        return bool(self._run_sync(self.km.is_alive)())

    def reset(self) -> bool:
        """A clean namespace for the next notebook; False when the kernel must be replaced."""
        try:
            return self.alive() and self.execute(RESET)
        except Exception:  # a dead or wedged kernel: the caller replaces it
            return False

    def shutdown(self) -> None:
        try:
            for client in (self.client, self.notebook_client):
                if client is not None:
                    client.stop_channels()
            self._run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # already gone
            pass


# --- papermill on a warm kernel --------------------------------------------------------------


def _warm_engine() -> type:
    """A papermill engine that runs notebooks through an already-connected kernel client.

    papermill passes ``km=`` to nbclient, which keeps a kernel it does not own alive; this
    engine also hands nbclient the worker's client (``warm_kc=``), so starting a notebook
    costs no connection handshake.
    """
    from jupyter_core.utils import run_sync
    from nbclient.util import run_hook
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.utils import merge_kwargs, remove_args

    class WarmClient(PapermillNotebookClient):
        def __init__(self, nb_man: Any, warm_kc: Any = None, **kw: Any) -> None:
            super().__init__(nb_man, **kw)
            self.warm_kc = warm_kc

        async def async_start_new_kernel_client(self) -> Any:
            if self.warm_kc is None:
                return await super().async_start_new_kernel_client()
            self.kc = self.warm_kc
            self.kc.allow_stdin = False
            await run_hook(self.on_notebook_start, notebook=self.nb)
            return self.kc

        start_new_kernel_client = run_sync(async_start_new_kernel_client)

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False, stdout_file: Any = None,
                                     stderr_file: Any = None, start_timeout: int = 60, execution_timeout: Any = None, **kwargs: Any) -> Any:
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name,
                                 log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
            return WarmClient(nb_man, **final).execute()

    return WarmEngine


ENGINE_NAME = "brief-warm-kernel"


# --- one brief -----------------------------------------------------------------------------


def _error_text(err: BaseException) -> str:
    name = getattr(err, "ename", "") or type(err).__name__
    value = getattr(err, "evalue", "") or str(err)
    return f"{name}: {value}".strip().splitlines()[0][:300] if value else name


@dataclass(frozen=True)
class Executed:
    """A notebook that ran without error, waiting for its HTML and PDF."""

    unit: Unit
    settings: Settings
    nb: Any
    started: float
    phases: tuple[tuple[str, float], ...]


def execute_unit(unit: Unit, kernel: WarmKernel, settings: Settings) -> Executed | Outcome:
    """Execute one notebook with papermill on a warm kernel: what to render, or the failure.

    The executed notebook is kept under ``notebooks/`` whatever happens (papermill adds its
    error banner on failure).
    """
    import papermill as pm

    started = time.perf_counter()
    nb_dir = settings.out_dir / "notebooks"
    partial = nb_dir / f".{unit.slug}.partial.ipynb"
    try:
        try:
            nb = pm.execute_notebook(
                str(unit.notebook),
                str(partial),
                parameters=dict(unit.parameters),
                kernel_name=settings.kernel_name,
                km=kernel.km,
                warm_kc=kernel.notebook_client,
                engine_name=ENGINE_NAME,
                execution_timeout=CELL_TIMEOUT_S,
                progress_bar=False,
                request_save_on_cell_execute=False,
                cwd=str(PROJECT_DIR),
            )
        finally:
            if partial.exists():
                os.replace(partial, nb_dir / f"{unit.slug}.ipynb")
    except Exception as err:  # papermill raises many types
        return _failed(unit, settings, started, err)
    return Executed(unit, settings, nb, started, (("execute", time.perf_counter() - started),))


def render_unit(done: Executed, exporter: Any) -> Outcome:
    """Write the HTML and PDF of an executed notebook, both or neither."""
    from . import render

    unit, settings, out_dir = done.unit, done.settings, done.settings.out_dir
    phases = list(done.phases)
    try:
        mark = time.perf_counter()
        page = render.notebook_to_html(done.nb, exporter, generated=settings.generated, name=unit.slug)
        phases.append(("html", time.perf_counter() - mark))
        payloads: dict[str, bytes | str] = {}
        if "html" in settings.formats:
            payloads["html"] = page
        if "pdf" in settings.formats:
            mark = time.perf_counter()
            payloads["pdf"] = render.html_to_pdf(page, base_url=out_dir.resolve().as_uri() + "/")
            phases.append(("pdf", time.perf_counter() - mark))
        files = []
        for fmt, data in payloads.items():
            target = out_dir / f"{unit.slug}.{fmt}"
            render.write_atomic(target, data)
            files.append(target.name)
        return Outcome(unit.slug, True, time.perf_counter() - done.started, tuple(files), phases=tuple(phases))
    except Exception as err:  # nbconvert and WeasyPrint raise many types
        return _failed(unit, settings, done.started, err)


def _failed(unit: Unit, settings: Settings, started: float, err: BaseException) -> Outcome:
    for fmt in ("html", "pdf"):
        (settings.out_dir / f"{unit.slug}.{fmt}").unlink(missing_ok=True)  # no stale brief for a failed unit
    return Outcome(unit.slug, False, time.perf_counter() - started, error=_error_text(err))


def _settle_gc() -> None:
    """Freeze what start-up allocated and collect young objects less often (``GC_THRESHOLDS``)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _worker(kernel_name: str, tasks: Any, results: Any) -> None:
    """A worker process: one warm kernel and one exporter, briefs until the queue says stop.

    Two stages overlap: a thread runs notebook N+1 in the kernel while this thread renders
    brief N (the kernel and the renderer would otherwise wait for each other, and the last
    brief of the batch would run on one core). The thread takes a new task only once this
    one has taken its previous notebook, so no worker holds more than two briefs.
    """
    from . import render

    executed: queue.Queue[Executed | Outcome | None] = queue.Queue()
    runner = threading.Thread(target=_run_notebooks, args=(kernel_name, tasks, results, executed), name="notebooks", daemon=True)
    runner.start()  # its kernel boots while the exporter is built and WeasyPrint warms up
    exporter = render.make_html_exporter()
    render.html_to_pdf('<html lang="vi"><body><p>Bắc Kạn</p><table><tr><td>1</td></tr></table></body></html>')  # fonts loaded once
    _settle_gc()
    while (done := executed.get()) is not None:
        executed.task_done()  # lets the runner start the next notebook
        outcome = done if isinstance(done, Outcome) else render_unit(done, exporter)
        results.put(("done", outcome, os.getpid()))
    runner.join()


def _run_notebooks(kernel_name: str, tasks: Any, results: Any, executed: queue.Queue) -> None:
    """The worker's kernel stage: each task's notebook, handed to the rendering stage.

    The kernel is created, used and shut down in this thread only (its client's event
    loop belongs to the thread); it is replaced after a failing notebook.
    """
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, _warm_engine())
    kernel: WarmKernel | None = None
    try:
        kernel = WarmKernel(kernel_name).ready()
        while (task := tasks.get()) is not None:
            unit, settings = task
            results.put(("start", unit.slug, os.getpid()))
            done = execute_unit(unit, kernel, settings)
            executed.put(done)
            executed.join()  # until the renderer took it: one brief ahead at most
            if isinstance(done, Outcome) or not kernel.reset():
                kernel.shutdown()
                kernel = WarmKernel(kernel_name).ready()
    finally:
        if kernel is not None:
            kernel.shutdown()
        executed.put(None)


# --- the pool ------------------------------------------------------------------------------


#: Imported once in the fork server, so workers start with them loaded.
_PRELOAD = ("analysis.briefs.batch", "analysis.briefs.render", "papermill", "nbconvert", "weasyprint", "jupyter_client")


class _Pool:
    """Worker processes, started before the data load so their kernels warm up meanwhile.

    Workers come from a fork server that imported papermill, nbconvert and WeasyPrint once
    (forking the parent itself is unsafe once pyarrow's threads exist).
    """

    def __init__(self, jobs: int, kernel_name: str = KERNEL_NAME) -> None:
        self.ctx = mp.get_context("forkserver")
        self.ctx.set_forkserver_preload(list(_PRELOAD))
        self.tasks = self.ctx.Queue()
        self.results = self.ctx.Queue()
        self.procs = [self.ctx.Process(target=_worker, args=(kernel_name, self.tasks, self.results), daemon=True) for _ in range(jobs)]
        for proc in self.procs:
            proc.start()

    def run(self, units: Sequence[Unit], settings: Settings, on_done: Callable[[Outcome, int, int], None]) -> dict[str, Outcome]:
        for unit in units:
            self.tasks.put((unit, settings))
        for _ in self.procs:
            self.tasks.put(None)
        outcomes: dict[str, Outcome] = {}
        running: dict[int, dict[str, float]] = {}  # per worker: its briefs in progress (two at most)
        pending = {u.slug for u in units}
        while pending:
            try:
                kind, payload, pid = self.results.get(timeout=0.5)
            except queue.Empty:
                self._reap(running, pending, outcomes, on_done, len(units))
                continue
            if kind == "start":
                running.setdefault(pid, {})[payload] = time.perf_counter()
                continue
            running.get(pid, {}).pop(payload.slug, None)
            pending.discard(payload.slug)
            outcomes[payload.slug] = payload
            on_done(payload, len(outcomes), len(units))
        return outcomes

    def _reap(self, running: dict, pending: set, outcomes: dict, on_done: Callable, total: int) -> None:
        """Fail the brief of any worker that died, and everything left if all of them did."""
        for proc in self.procs:
            if proc.is_alive() or proc.pid not in running:
                continue
            for slug, since in sorted(running.pop(proc.pid).items()):
                if slug in pending:
                    pending.discard(slug)
                    outcomes[slug] = Outcome(slug, False, time.perf_counter() - since, error=f"worker process died (exit code {proc.exitcode})")
                    on_done(outcomes[slug], len(outcomes), total)
        if not any(p.is_alive() for p in self.procs):
            for slug in sorted(pending):
                outcomes[slug] = Outcome(slug, False, 0.0, error="no worker left to build it")
                on_done(outcomes[slug], len(outcomes), total)
            pending.clear()

    def close(self) -> None:
        """Stop the workers (they shut their kernels down); idempotent."""
        for _ in self.procs:
            self.tasks.put(None)
        for proc in self.procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)


# --- the index page ------------------------------------------------------------------------


def index_html(
    inputs: br.BriefInputs,
    units: Sequence[Unit],
    outcomes: Mapping[str, Outcome],
    *,
    year: int,
    lang: str,
    generated: date,
) -> str:
    """The index: every brief with its headline figures and verdict, links, source, standard, year."""
    from . import render

    e = html.escape
    std = get_standard(inputs.standard)
    css = (TEMPLATES_DIR / "brief" / "brief.css").read_text(encoding="utf-8")
    title = nv.nfc(f"{nv.label('index_title', lang)} – {nv.province_name(inputs.province, lang)}, {year}")
    head = [
        nv.label("unit", lang), nv.label("households", lang), nv.label("poor_short", lang), nv.label("poor_rate_pct", lang),
        nv.label("change_pp_short", lang), nv.label("verdict", lang), nv.label("links", lang),
    ]
    rows = []
    for unit in units:
        outcome = outcomes.get(unit.slug)
        b = br.Brief(inputs, year, lang, unit.district)
        f = headline_figures(b)
        change = "–" if f["change_pp"] is None else (("+" if round(f["change_pp"], 2) > 0 else "") + nv.fmt_num(f["change_pp"], lang))
        verdict = nv.status_label(f["status"], lang)
        css_class = "ok" if f["status"] in ("met", "exceeded") else "bad" if f["status"] else ""
        if outcome is not None and outcome.ok:
            links = " · ".join(f'<a href="{e(name)}">{e(name.rsplit(".", 1)[1].upper())}</a>' for name in outcome.files)
            name_cell = f'<a href="{e(unit.slug)}.html">{e(unit.name)}</a>' if "html" in [n.rsplit(".", 1)[1] for n in outcome.files] else e(unit.name)
        else:
            links = f'<span class="verdict bad">{e(nv.label("failed", lang))}</span>'
            name_cell = e(unit.name)
        rows.append(
            "<tr>"
            f"<th>{name_cell}</th><td>{e(nv.fmt_int(f['households'], lang))}</td><td>{e(nv.fmt_int(f['poor'], lang))}</td>"
            f"<td>{e(nv.fmt_num(f['poor_rate'], lang))}</td><td>{e(change)}</td>"
            f'<td><span class="verdict {css_class}">{e(verdict)}</span></td><td>{links}</td>'
            "</tr>"
        )
    table = (
        '<table class="brief-table"><thead><tr>' + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr></thead><tbody>"
        + "\n".join(rows) + "</tbody></table>"
    )
    table = render.tidy_tables(table)
    notes = "".join(f"<p>{e(n)}</p>" for n in nv.data_notes(inputs.source, std.title_vi if lang == "vi" else std.title, year, inputs.synthetic, lang))
    badge = f'<p class="badge synthetic">{e(nv.label("synthetic", lang))}</p>' if inputs.synthetic else ""
    when = f"{e(nv.label('generated', lang))}: {e(nv.fmt_date(generated, lang))}"
    return nv.nfc(
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{e(title)}</title>\n'
        f"<style>\n{css}\n</style>\n</head>\n<body>\n"
        f'<header class="masthead"><h1>{e(title)}</h1>{badge}</header>\n<main>\n{table}\n'
        f'<section class="data-notes"><h2>{e(nv.label("notes", lang))}</h2>{notes}</section>\n</main>\n'
        f'<footer class="colophon"><p><span>{e(nv.label("source", lang))}: {e(inputs.source)}</span>'
        f"<span>{e(nv.label('standard', lang))}: {e(std.title_vi if lang == 'vi' else std.title)}</span>"
        f"<span>{e(nv.label('review_year', lang))}: {year}</span><span>{when}</span></p></footer>\n</body>\n</html>\n"
    )


# --- the batch -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchRequest:
    """What to build (the ``reports`` command's options)."""

    data: tuple[str, ...] | None = None
    year: int | None = None
    districts: tuple[str, ...] | None = None
    formats: tuple[str, ...] = ("html", "pdf")
    lang: str = "vi"
    jobs: int | None = None
    out: Path = Path("reports")
    standard: str = DEFAULT_STANDARD
    targets: str | None = None
    sheet: str | None = None
    notebooks: Mapping[str, Path] = field(default_factory=lambda: {"district": DISTRICT_NOTEBOOK, "province": PROVINCE_NOTEBOOK})


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run_batch(request: BatchRequest, *, log: Callable[[str], None] = _say) -> BatchResult:
    """Build the briefs; raises DataError / UsageError before anything is written."""
    from . import render

    started = time.perf_counter()
    formats = render.parse_formats(request.formats)
    if request.lang not in nv.LANGS:
        raise UsageError(f"unknown language {request.lang!r}; choose one of: {', '.join(nv.LANGS)}")
    if request.jobs is not None and request.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {request.jobs}")
    for kind, path in request.notebooks.items():
        if not Path(path).is_file():
            raise UsageError(f"{kind} notebook not found: {path}")
    get_standard(request.standard)

    wanted = len(request.districts) if request.districts else 9  # briefs to build, at most
    pool = _Pool(min(request.jobs or default_jobs(), wanted))
    try:
        inputs = br.prepare_inputs(list(request.data) if request.data else None, standard=request.standard, targets_path=request.targets, sheet=request.sheet)
        try:
            year = br.check_year(inputs, request.year)
            for d in request.districts or ():
                br.check_district(inputs, d)
        except br.BriefParameterError as err:
            raise UsageError(str(err)) from None
        # Every district's tables in one pass each; from here on the batch holds aggregates only.
        inputs = br.with_year_tables(inputs, year).without_households()
        generated = render.generation_date()
        out_dir = Path(request.out) / str(year)
        with tempfile.TemporaryDirectory(prefix="briefs-") as tmp:
            # Aggregates only: kernels never see a household record and load the cache instantly.
            cache = br.save_inputs(inputs, Path(tmp) / "inputs.pkl")
            units = plan_units(inputs, year, request.districts, lang=request.lang, data=request.data, targets=request.targets, cache_path=cache, notebooks=request.notebooks)
            (out_dir / "notebooks").mkdir(parents=True, exist_ok=True)
            clean_stale(out_dir)
            settings = Settings(out_dir=out_dir, formats=formats, generated=generated)
            log(f"building {len(units)} brief(s) for {year} with {len(pool.procs)} worker(s) into {out_dir} (data ready at {time.perf_counter() - started:.1f} s)")

            def on_done(outcome: Outcome, done: int, total: int) -> None:
                state = ", ".join(outcome.files) if outcome.ok else f"FAILED: {outcome.error}"
                if outcome.phases:
                    state += "  (" + ", ".join(f"{name} {secs:.1f} s" for name, secs in outcome.phases) + ")"
                log(f"[{done}/{total}] {outcome.slug}: {outcome.seconds:.1f} s (at {time.perf_counter() - started:.1f} s)  {state}")

            outcomes = pool.run(units, settings, on_done)
    finally:
        pool.close()

    index = out_dir / "index.html"
    render.write_atomic(index, index_html(inputs, units, outcomes, year=year, lang=request.lang, generated=generated))
    ordered = tuple(outcomes[u.slug] for u in units)
    result = BatchResult(out_dir, ordered, time.perf_counter() - started, index)
    failed = result.failures
    log(f"{len(ordered) - len(failed)} of {len(ordered)} brief(s) built in {result.seconds:.1f} s; index: {index}")
    for outcome in failed:
        log(f"failed: {outcome.slug}: {outcome.error} (executed notebook: {out_dir / 'notebooks' / (outcome.slug + '.ipynb')})")
    return result


def run_command(args: Any) -> int:
    """``python -m analysis reports``: 0 when every brief was built, 1 otherwise."""
    from . import render

    request = BatchRequest(
        data=tuple(args.data) if args.data else None,
        year=args.year,
        districts=tuple(args.district) if args.district else None,
        formats=render.parse_formats(args.formats),
        lang=args.lang,
        jobs=args.jobs,
        out=Path(args.out),
        standard=args.standard,
        targets=args.targets,
        sheet=args.sheet,
    )
    result = run_batch(request)
    print(result.index)
    return 1 if result.failures else 0


def clean_stale(out_dir: Path) -> None:
    """Remove temporary files a killed batch may have left (``.*.tmp``, ``.*.partial.ipynb``)."""
    for pattern in (".*.tmp", "notebooks/.*.partial.ipynb"):
        for path in out_dir.glob(pattern):
            path.unlink(missing_ok=True)
