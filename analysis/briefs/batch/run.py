"""A whole batch: check the request, load the data once, plan, build in the pool, write the index.

The batch holds its year folder's lock from the moment the year is known until the index is
written; the aggregates cache lives in the batch's private folder under ``--out``; SIGTERM
stops the workers (they kill their kernels), writes the index of the complete briefs and
removes the private folder before the batch exits with status 143.
"""

from __future__ import annotations

import contextlib
import multiprocessing.context as mpc
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import UsageError
from ...measures.disclosure import DEFAULT_THRESHOLD
from ...review.standards import DEFAULT_STANDARD, get_standard
from ...tables.folder import province_of_year, year_folder
from ...tables.workbook import workbook_name
from ...words import (
    check_lang,
)
from .. import brief as br
from .. import inputs as bi
from .deferred import Deferred
from .figures import year_tables_in_parallel
from .folder import FolderLock, check_province, host, kernel_area, sweep_kernel_areas, sweep_work_areas, work_area
from .index import index_html, unit_row
from .journal import Journal
from .manifest import complete_briefs, write_manifest
from .outcome import BatchResult, Outcome
from .plan import Settings, Unit, default_jobs, default_notebooks, plan_units
from .pool import Pool, WorkerConfig
from .tables import SummaryTables, summary_tables

if TYPE_CHECKING:
    from .cluster import ClusterRunner

#: Seconds a kernel may take to start and to answer (``--kernel-timeout``).
DEFAULT_KERNEL_TIMEOUT = 120.0


@dataclass(frozen=True)
class BatchRequest:
    """What to build (the ``reports`` command's options)."""

    data: tuple[str, ...] | None = None
    year: int | None = None
    districts: tuple[str, ...] | None = None
    communes: tuple[str, ...] | None = None
    division: str | None = None
    formats: tuple[str, ...] = ("html", "pdf")
    lang: str = "vi"
    jobs: int | None = None
    out: Path = Path("reports")
    standard: str = DEFAULT_STANDARD
    targets: str | None = None
    sheet: str | None = None
    notebooks: Mapping[str, Path] = field(default_factory=default_notebooks)
    kernel_timeout: float = DEFAULT_KERNEL_TIMEOUT
    #: A Dask scheduler (``tcp://HOST:PORT``) or ``local:N``; None: this machine's process pool.
    scheduler: str | None = None
    #: With a scheduler: workers return the briefs and this process writes them.
    collect: bool = False
    threshold: int = DEFAULT_THRESHOLD  # disclosure control, shared by the briefs and the workbook
    #: ``--province``: only this province's households are read and briefed (data of several provinces need it).
    province: str | None = None


class Stopped(SystemExit):
    """SIGTERM arrived: the batch stops, cleans up and exits with 128 + 15."""


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def check_request(request: BatchRequest) -> tuple[str, ...]:
    """Usage errors found without reading any data; the formats to build."""
    from .. import render

    formats = render.parse_formats(request.formats)
    check_lang(request.lang)
    if request.jobs is not None and request.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {request.jobs}")
    if not request.kernel_timeout > 0:
        raise UsageError(f"--kernel-timeout must be a positive number of seconds, not {request.kernel_timeout}")
    for kind, path in request.notebooks.items():
        if not Path(path).is_file():
            raise UsageError(f"{kind} notebook not found: {path}")
    out = Path(request.out)
    for folder in (out, *out.parents):
        if folder.exists():
            if not folder.is_dir():
                raise UsageError(f"--out {out}: {folder} is not a folder")
            break
    if request.collect and not request.scheduler:
        raise UsageError("--collect needs --scheduler (the local batch always writes here)")
    if request.scheduler:
        from .cluster import parse_scheduler

        parse_scheduler(request.scheduler)
    get_standard(request.standard)
    if request.province:
        from ...measures.columnar.engine import canonical_province

        canonical_province(request.province)  # an unknown name is said before any data is read
    return formats


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """SIGTERM raises :class:`Stopped` in the main thread, so every ``finally`` runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise Stopped(128 + signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@dataclass
class Prepared:
    """The batch once its data are loaded: what to build, and where."""

    inputs: bi.BriefInputs
    year: int
    out_dir: Path
    units: list[Unit]
    settings: Settings
    #: The summary workbook's sheets, built on a thread of their own while the briefs run.
    tables: Deferred[SummaryTables] | None = None
    #: The province the year's households are of (canonical name), recorded in each manifest.
    province: str | None = None


def prepare(request: BatchRequest, formats: tuple[str, ...], cache: Path, helpers: mpc.ForkServerContext | None = None) -> Prepared:
    """Load, validate and classify the data once; plan the units. Writes nothing.

    ``helpers``: a multiprocessing context for a helper process that shares the building of
    the year's tables and the release's figures (:mod:`.figures`); None: all of them here."""
    from .. import render

    inputs = bi.prepare_inputs(list(request.data) if request.data else None, standard=request.standard, targets_path=request.targets, sheet=request.sheet,
                               division=request.division, threshold=request.threshold, province=request.province, one_province=True)
    try:
        year = br.check_year(inputs, request.year)
        for d in request.districts or ():
            br.check_district(inputs, d)
        for m in request.communes or ():
            br.check_commune(br.commune_view(inputs), m)
    except br.BriefParameterError as err:
        raise UsageError(str(err)) from None
    out_dir = year_folder(Path(request.out), year, request.province)  # a province of a national review: a folder of its own
    province = province_of_year(inputs.panel, year)
    check_province(out_dir, province, out=Path(request.out), year=year)  # said before the year's figures are computed
    # Every district's tables in one pass each; the summary workbook's sheets (under the same
    # disclosure protection) are built later, beside the briefs, from the households kept for
    # them only. The briefs get aggregates only.
    inputs = year_tables_in_parallel(inputs, year, helpers)
    panel = inputs.panel
    tables = Deferred(summary_tables, panel, year, request.standard, lang=request.lang, threshold=request.threshold, targets_path=request.targets)
    inputs = inputs.without_households()
    units = plan_units(inputs, year, request.districts, lang=request.lang, data=request.data, targets=request.targets, cache_path=cache,
                       notebooks=request.notebooks, communes=request.communes, division=request.division, threshold=request.threshold)
    # The index, the year's workbook and each brief's own workbook sit beside the briefs.
    beside = (render.INDEX_PAGE, workbook_name(year), "{slug}.xlsx")
    settings = Settings(out_dir=out_dir.absolute(), formats=formats, generated=render.generation_date(), kernel_timeout=request.kernel_timeout,
                        beside=beside)
    return Prepared(inputs, year, out_dir, units, settings, tables, province)


def manifest_record(prepared: Prepared, unit: Unit, outcome: Outcome, lang: str) -> dict[str, Any]:
    """What a complete brief's manifest says: its files and digests, and its index line."""
    return {
        "slug": unit.slug,
        "files": dict(zip(outcome.files, outcome.digests, strict=True)),
        "year": prepared.year,
        "province": prepared.province,
        "lang": lang,
        "generated": prepared.settings.generated.isoformat(),
        "built_by": f"{host()}",
        "row": unit_row(prepared.inputs, unit, year=prepared.year, lang=lang),
    }


def write_index(prepared: Prepared, outcomes: Mapping[str, Outcome], lang: str) -> Path:
    """The year's index: this batch's units (built or failed) and every other complete brief."""
    from .. import render

    index = prepared.out_dir / "index.html"
    others = list(complete_briefs(prepared.out_dir).values())
    units = [u for u in prepared.units if u.slug in outcomes]
    workbook = workbook_name(prepared.year)
    render.write_atomic(index, index_html(prepared.inputs, units, outcomes, year=prepared.year, lang=lang, generated=prepared.settings.generated, others=others,
                                          workbook=workbook if (prepared.out_dir / workbook).is_file() else None))
    return index


def run_batch(request: BatchRequest, *, log: Callable[[str], None] = _say) -> BatchResult:
    """Build the briefs; raises DataError / UsageError before anything is written."""
    started = time.perf_counter()
    formats = check_request(request)
    journal = Journal(log)
    work = work_area(Path(request.out))
    jobs = request.jobs or default_jobs()
    prepared: Prepared | None = None
    lock: FolderLock | None = None
    outcomes: dict[str, Outcome] = {}
    pool: Pool | ClusterRunner | None = None
    clean_exit = False
    try:
        with stop_on_sigterm():
            if request.scheduler:
                from .cluster import ClusterRunner

                pool = ClusterRunner(request.scheduler, collect=request.collect, on_log=journal.worker)
            else:
                sweep_kernel_areas()  # those of batches killed with their workers
                pool = Pool(min(jobs, len(request.districts) + len(request.communes or ())) if request.districts else jobs,
                            WorkerConfig(batch_pid=os.getpid(), work_dir=work, kernel_timeout=request.kernel_timeout, kernel_dir=kernel_area()),
                            on_log=journal.worker)
            prepared = prepare(request, formats, work / "inputs.pkl", helpers=pool.ctx if isinstance(pool, Pool) else None)
            if isinstance(pool, Pool):
                pool.started()  # started on a thread while the data loaded: every worker runs from here on
            out_dir = prepared.out_dir
            out_dir.mkdir(parents=True, exist_ok=True)
            lock = FolderLock(out_dir).acquire()
            try:  # again under the lock: a batch of another province may have ended meanwhile
                check_province(out_dir, prepared.province, out=Path(request.out), year=prepared.year)
            except UsageError:
                lock.release()
                lock = None
                raise
            if lock.stale is not None:
                journal.say(f"the batch that last wrote {out_dir} (pid {lock.stale['pid']}, started {lock.stale['started']}) was killed; "
                            "its half-written files are removed")
            sweep_work_areas(Path(request.out))
            work.mkdir()
            # Aggregates only: kernels never see a household record and load the cache instantly.
            bi.save_inputs(prepared.inputs, work / "inputs.pkl")
            (out_dir / "notebooks").mkdir(exist_ok=True)
            clean_stale(out_dir)
            units = {u.slug: u for u in prepared.units}
            journal.say(f"building {len(units)} brief(s) for {prepared.year} with {pool.describe()} into {out_dir} (data ready at {time.perf_counter() - started:.1f} s)")

            tables = prepared.tables
            if tables is not None:
                # The summary workbook is not on the briefs' path: its sheets are built and
                # written on a thread while the workers start on the briefs.
                tables.start(lambda built: built.write_workbook(out_dir))

            def on_done(outcome: Outcome, done: int, total: int) -> None:
                assert prepared is not None
                if outcome.ok and tables is not None:
                    outcome = tables.result().add_brief_workbook(outcome, units[outcome.slug].district, prepared.out_dir)
                if outcome.ok:
                    write_manifest(prepared.out_dir, outcome.slug, manifest_record(prepared, units[outcome.slug], outcome, request.lang))
                outcomes[outcome.slug] = outcome
                journal.say(progress_line(outcome, done, total, time.perf_counter() - started))

            pool.run(prepared.units, prepared.settings, on_done, cache=work / "inputs.pkl")
            if tables is not None:
                tables.result()  # written, even when no brief was built
            clean_exit = True
    except Stopped:
        journal.say(f"stopped by SIGTERM: {sum(o.ok for o in outcomes.values())} brief(s) built; the index lists the complete ones")
        raise
    finally:
        if pool is not None:
            pool.close(now=not clean_exit)
        shutil.rmtree(work, ignore_errors=True)
        if not clean_exit and prepared is not None and lock is not None:
            try:
                clean_stale(prepared.out_dir)
                write_index(prepared, outcomes, request.lang)
                journal.save(prepared.out_dir / "batch.log")
            finally:
                lock.release()

    assert lock is not None
    try:
        index = write_index(prepared, outcomes, request.lang)
        ordered = tuple(outcomes[u.slug] for u in prepared.units)
        result = BatchResult(prepared.out_dir, ordered, time.perf_counter() - started, index)
        failed = result.failures
        journal.say(f"{len(ordered) - len(failed)} of {len(ordered)} brief(s) built in {result.seconds:.1f} s; index: {index}")
        for outcome in failed:
            notebook = prepared.out_dir / "notebooks" / f"{outcome.slug}.ipynb"
            journal.say(f"failed: {outcome.slug}: {outcome.error}" + (f" (executed notebook: {notebook})" if notebook.is_file() else ""))
        journal.save(prepared.out_dir / "batch.log")
    finally:
        lock.release()
    return result


def progress_line(outcome: Outcome, done: int, total: int, at: float) -> str:
    state = ", ".join(outcome.files) if outcome.ok else f"FAILED: {outcome.error}"
    if outcome.phases:
        state += "  (" + ", ".join(f"{name} {secs:.1f} s" for name, secs in outcome.phases) + ")"
    return f"[{done}/{total}] {outcome.slug}: {outcome.seconds:.1f} s (at {at:.1f} s)  {state}"


def clean_stale(out_dir: Path) -> None:
    """Remove temporary files a killed batch may have left (``.*.tmp``, ``.*.partial.ipynb``)."""
    for pattern in (".*.tmp", "notebooks/.*.partial.ipynb", "manifests/.*.tmp"):
        for path in out_dir.glob(pattern):
            path.unlink(missing_ok=True)
