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
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from .build import Executed, execute_unit, render_unit
from .engine import register_engine
from .kernel import WarmKernel, settle_gc
from .outcome import Outcome
from .plan import KERNEL_NAME, Settings, Unit

#: Imported once in the fork server, so workers start with them loaded.
_PRELOAD = ("analysis.briefs.batch.pool", "analysis.briefs.render", "papermill", "nbconvert", "weasyprint", "jupyter_client")


def _worker(kernel_name: str, tasks: Any, results: Any) -> None:
    """A worker process: one warm kernel and one exporter, briefs until the queue says stop.

    The notebook thread takes a new task only once this thread has taken its previous
    notebook, so no worker holds more than two briefs.
    """
    from .. import render

    executed: queue.Queue[Executed | Outcome | None] = queue.Queue()
    runner = threading.Thread(target=_run_notebooks, args=(kernel_name, tasks, results, executed), name="notebooks", daemon=True)
    runner.start()  # its kernel boots while the exporter is built and WeasyPrint warms up
    exporter = render.make_html_exporter()
    render.html_to_pdf('<html lang="vi"><body><p>Bắc Kạn</p><table><tr><td>1</td></tr></table></body></html>')  # fonts loaded once
    settle_gc()
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
    register_engine()
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


class Pool:
    """Worker processes, started before the data load so their kernels warm up meanwhile."""

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
