"""The local process pool: worker processes, each with a warm kernel and an HTML exporter.

Workers come from a fork server that imported papermill, nbconvert and WeasyPrint once
(forking the parent itself is unsafe once pyarrow's threads exist), and are started before
the data load so their kernels warm up meanwhile. In a worker two stages overlap: a thread
runs notebook N+1 in the kernel while the main thread renders brief N, so neither waits for
the other and the last brief does not leave a core idle for long.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .build import Executed, font_config, render_unit
from .builder import NotebookRunner
from .folder import remove_owner
from .kernel import BACKOFF_S, settle_gc
from .lifeline import die_with
from .outcome import Outcome
from .plan import KERNEL_NAME, Settings, Unit

#: Imported once in the fork server, so workers start with them loaded.
_PRELOAD = ("analysis.briefs.batch.pool", "analysis.briefs.render", "papermill", "nbconvert", "weasyprint", "jupyter_client")


@dataclass(frozen=True)
class WorkerConfig:
    """What every worker of a batch shares: its kernel, timeouts and the batch to die with."""

    batch_pid: int
    work_dir: Path
    kernel_name: str = KERNEL_NAME
    kernel_timeout: float = 120.0
    backoff: tuple[float, ...] = BACKOFF_S
    #: The private folder of the kernels' connection files (:func:`.folder.kernel_area`), made
    #: by the pool and removed with it; None: jupyter_client's default (the temp folder). The
    #: workers' own temporary files go there too: WeasyPrint's copies of the brief's fonts, a
    #: folder per worker that its font configuration, kept for the worker's life, never removes.
    kernel_dir: Path | None = None


class _Kernels:
    """The worker's current kernel and output folder, reachable from its last rites."""

    current: NotebookRunner | None = None
    out_dir: Path | None = None


def _worker(config: WorkerConfig, tasks: Any, results: Any) -> None:
    """A worker process: one warm kernel and one exporter, briefs until the queue says stop.

    The notebook thread takes a new task only once this thread has taken its previous
    notebook, so no worker holds more than two briefs.
    """
    from .. import render

    def last_rites(orphaned: bool) -> None:
        if _Kernels.current is not None:
            _Kernels.current.kill()
        if orphaned:  # nobody else will remove the batch's cache, kernels' files and half-written files
            shutil.rmtree(config.work_dir, ignore_errors=True)
            if config.kernel_dir is not None:  # a kernel being started or replaced as the batch died
                shutil.rmtree(config.kernel_dir, ignore_errors=True)
            if _Kernels.out_dir is not None:
                for pattern in (".*.tmp", "notebooks/.*.partial.ipynb", "manifests/.*.tmp"):
                    for path in _Kernels.out_dir.glob(pattern):
                        path.unlink(missing_ok=True)
                remove_owner(_Kernels.out_dir, config.batch_pid)  # its own batch's record only

    die_with(config.batch_pid, last_rites)
    if config.kernel_dir is not None:
        tempfile.tempdir = str(config.kernel_dir)  # removed with the pool, however the batch ends
    executed: queue.Queue[Executed | Outcome | None] = queue.Queue()
    runner = threading.Thread(target=_run_notebooks, args=(config, tasks, results, executed), name="notebooks", daemon=True)
    runner.start()  # its kernel boots while the exporter is built and WeasyPrint warms up
    exporter = render.make_html_exporter()
    render.html_to_pdf('<html lang="vi"><body><p>Bắc Kạn</p><table><tr><td>1</td></tr></table></body></html>', font_config=font_config())  # fonts loaded once
    settle_gc()
    while (done := executed.get()) is not None:
        executed.task_done()  # lets the runner start the next notebook
        outcome = done if isinstance(done, Outcome) else render_unit(done, exporter)
        results.put(("done", outcome, os.getpid()))
    runner.join()


def _run_notebooks(config: WorkerConfig, tasks: Any, results: Any, executed: queue.Queue) -> None:
    """The worker's kernel stage: each task's notebook, handed to the rendering stage."""
    pid = os.getpid()
    runner = NotebookRunner(
        kernel_name=config.kernel_name, kernel_timeout=config.kernel_timeout, backoff=config.backoff,
        log=lambda text: results.put(("log", text, pid)), kernel_stderr=lambda line: results.put(("kernel", line, pid)),
        runtime_dir=config.kernel_dir,
    )
    _Kernels.current = runner
    try:
        while (task := tasks.get()) is not None:
            unit, settings = task
            _Kernels.out_dir = settings.out_dir
            results.put(("start", unit.slug, pid))
            done = runner.run(unit, settings)
            executed.put(done)
            executed.join()  # until the renderer took it: one brief ahead at most
            runner.after(done)
    finally:
        runner.close()
        _Kernels.current = None
        executed.put(None)


class Pool:
    """Worker processes, started before the data load so their kernels warm up meanwhile."""

    def __init__(self, jobs: int, config: WorkerConfig, *, on_log: Callable[[str, str], None] = lambda kind, text: None) -> None:
        self.config = config
        if config.kernel_dir is not None:
            config.kernel_dir.mkdir(mode=0o700, exist_ok=True)
        self.ctx = mp.get_context("forkserver")
        self.ctx.set_forkserver_preload(list(_PRELOAD))
        self.tasks = self.ctx.Queue()
        self.results = self.ctx.Queue()
        self.on_log = on_log
        self.procs = [self.ctx.Process(target=_worker, args=(config, self.tasks, self.results), daemon=True) for _ in range(jobs)]
        # The first start waits for the fork server's imports (a core's second or more): on a
        # thread, so that this process loads the data meanwhile instead of waiting.
        self._start_error: BaseException | None = None
        self._starter = threading.Thread(target=self._start_workers, name="pool-start", daemon=True)
        self._starter.start()

    def _start_workers(self) -> None:
        try:
            for proc in self.procs:
                proc.start()
        except BaseException as err:  # raised where the briefs are handed out (run)
            self._start_error = err

    def started(self) -> list[Any]:
        """Wait until the workers are started; those that did start (see ``_start_error``)."""
        self._starter.join()
        return [proc for proc in self.procs if proc.pid is not None]

    def describe(self) -> str:
        return f"{len(self.procs)} worker(s)"

    def run(self, units: Sequence[Unit], settings: Settings, on_done: Callable[[Outcome, int, int], None], *, cache: Path | None = None) -> dict[str, Outcome]:
        """Build every unit; ``on_done`` as each brief ends. (The workers read ``cache``
        through each unit's parameters.)"""
        self.started()
        if self._start_error is not None:
            raise self._start_error
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
            if kind in ("log", "kernel"):
                self.on_log(kind, f"worker {pid}: {payload}")
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

    def close(self, *, now: bool = False) -> None:
        """Stop the workers (they shut their kernels down); ``now``: without waiting for
        their briefs (SIGTERM: a worker kills its kernel and exits). Then the kernels'
        folder goes, with the file of any kernel no worker could end (one being started,
        a worker that had to be killed). Idempotent."""
        procs = self.started()
        if not now:
            for _ in self.procs:
                self.tasks.put(None)
            for proc in procs:
                proc.join(timeout=30)
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        for proc in procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=5)
        for q in (self.tasks, self.results):
            q.cancel_join_thread()
            q.close()
        if self.config.kernel_dir is not None:
            shutil.rmtree(self.config.kernel_dir, ignore_errors=True)
