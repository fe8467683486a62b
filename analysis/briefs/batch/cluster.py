"""The batch on a Dask cluster: the same briefs, each one a task, on any number of machines.

``reports --scheduler tcp://HOST:PORT`` sends the batch to an existing ``dask.distributed``
cluster; ``--scheduler local:N`` starts a ``LocalCluster`` of N worker processes. The client
(this process) loads and checks the data and computes the aggregates once, as the local
batch does, and scatters them (pickled, aggregates only) to every worker once; each brief is
then a task. A worker keeps one warm kernel on a thread of its own (:class:`NotebookRunner`)
as long as it lives, between batches too, and shuts it down when it closes (the plugin of
:mod:`.worker_plugin`, which the client registers); it writes the aggregates to its local
directory once per batch. Outputs are written
atomically either by the workers into the output folder, which all of them must see at the
same path (the default), or, with ``--collect``, returned to the client, which writes them.

Failures are isolated as in the local batch: a failing notebook fails its brief only, and a
worker that dies has its tasks run again elsewhere by the scheduler (each brief is reported,
and listed, once); a task lost for good (``KilledWorker``) fails its brief.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ...errors import UsageError
from ...files import write_atomic
from .build import Executed, render_payloads, render_unit
from .builder import NotebookRunner
from .manifest import digest, publish, withdraw
from .outcome import Outcome, error_text
from .plan import Settings, Unit


@dataclass(frozen=True)
class TaskResult:
    """What a brief's task sends back: its outcome, the worker's log lines and, with
    ``--collect``, the brief's files and executed notebook."""

    outcome: Outcome
    log: tuple[str, ...] = ()
    payloads: dict[str, bytes | str] | None = None
    notebook: str | None = None


# --- on a worker -----------------------------------------------------------------------------


class _Service:
    """A Dask worker's brief service: notebooks run on one thread that owns the kernel;
    rendering runs in the task's own thread, with one HTML exporter per thread. It lives as
    long as its worker: :class:`.worker_plugin.WarmKernelPlugin` closes it (and its kernel)
    when the worker closes."""

    def __init__(self, kernel_timeout: float) -> None:
        self.jobs: queue.Queue[tuple[Unit, Settings, Path | None, queue.Queue] | None] = queue.Queue()
        self.lines: list[str] = []
        self.kernel_timeout = kernel_timeout
        self.local = threading.local()
        self.runner: NotebookRunner | None = None
        self.lock = threading.Lock()
        self.closed = False
        self.busy = False
        self.thread = threading.Thread(target=self._loop, name="brief-notebooks", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        from .folder import kernel_area, sweep_kernel_areas

        # The kernels' connection files in a folder of this worker's, on its machine: a
        # worker killed with its kernel (the scheduler runs its briefs elsewhere) leaves it
        # to the next service or batch there, which sweeps those of processes that are gone.
        sweep_kernel_areas()
        area = kernel_area()
        with contextlib.suppress(OSError):
            area.mkdir(mode=0o700, exist_ok=True)
        self.runner = NotebookRunner(kernel_timeout=self.kernel_timeout, log=self.lines.append, runtime_dir=area if area.is_dir() else None,
                                     kernel_stderr=lambda line: self.lines.append(f"kernel stderr: {line}"))
        while (job := self.jobs.get()) is not None:
            unit, settings, nb_dir, reply = job
            try:
                done = self.runner.run(unit, settings, nb_dir=nb_dir)
                self.runner.after(done)
            except BaseException as err:  # never leave a task waiting
                done = Outcome(unit.slug, False, 0.0, error=error_text(err))
            with self.lock:
                self.busy = not self.jobs.empty()
            reply.put((done, self._take_lines()))
        self.runner.close()  # on this thread: the kernel's client belongs to its event loop
        with contextlib.suppress(OSError):
            area.rmdir()  # empty once its kernel is shut down (unless a later service of the worker uses it)

    def _take_lines(self) -> tuple[str, ...]:
        lines, self.lines[:] = tuple(self.lines), []
        return lines

    def execute(self, unit: Unit, settings: Settings, nb_dir: Path | None) -> tuple[Executed | Outcome, tuple[str, ...]]:
        reply: queue.Queue = queue.Queue()
        with self.lock:
            if self.closed:
                return Outcome(unit.slug, False, 0.0, error="the Dask worker is closing"), ()
            self.busy = True
            self.jobs.put((unit, settings, nb_dir, reply))
        result: tuple[Executed | Outcome, tuple[str, ...]] = reply.get()
        return result

    def close(self, timeout: float = 5.0) -> None:
        """End the kernel, its process gone, before the worker's own goes. The notebooks'
        thread shuts it down once the notebooks given to it are done; a notebook still
        running (the worker is closing mid-brief, which the scheduler runs again elsewhere)
        has its kernel killed, and no other is started."""
        with self.lock:
            self.closed = True
            self.jobs.put(None)
            busy = self.busy
        if busy and self.runner is not None:
            self.runner.stop()
        self.thread.join(timeout)
        if self.thread.is_alive() and self.runner is not None:
            self.runner.stop()
            self.thread.join(timeout)

    def exporter(self) -> Any:
        if getattr(self.local, "exporter", None) is None:
            from .. import render

            self.local.exporter = render.make_html_exporter()
        return self.local.exporter


_SERVICE: _Service | None = None
_SERVICE_LOCK = threading.Lock()
_FILES_LOCK = threading.Lock()


def _service(kernel_timeout: float) -> _Service:
    global _SERVICE
    with _SERVICE_LOCK:
        if _SERVICE is None:
            _SERVICE = _Service(kernel_timeout)
        return _SERVICE


def close_service() -> None:
    """The worker is closing: its brief service and warm kernel go (a later task, if any,
    starts a fresh one)."""
    global _SERVICE
    with _SERVICE_LOCK:
        service, _SERVICE = _SERVICE, None
    if service is not None:
        service.close()


def _local_file(folder: Path, name: str, data: bytes | str) -> Path:
    """A file in the worker's own directory, written once per batch (tasks share it)."""
    path = folder / name
    with _FILES_LOCK:
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
    return path


def build_brief(unit: Unit, settings: Settings, shared: dict[str, Any], token: str) -> TaskResult:
    """A Dask task: one brief, built on this worker (see the module's docstring)."""
    from distributed import get_worker

    started = time.perf_counter()
    local = Path(get_worker().local_directory) / f"briefs-{token}"
    cache = _local_file(local, "inputs.pkl", shared["cache"])
    notebook = _local_file(local, f"{unit.notebook.stem}.ipynb", shared["notebooks"][str(unit.notebook)])
    unit = replace(unit, notebook=notebook, parameters={**unit.parameters, "cache_path": str(cache)})
    service = _service(settings.kernel_timeout)
    nb_dir = None if settings.publish else local / "executed"
    if nb_dir is not None:
        nb_dir.mkdir(exist_ok=True)
    done, lines = service.execute(unit, settings, nb_dir)
    executed = nb_dir / f"{unit.slug}.ipynb" if nb_dir is not None else None
    notebook_text = executed.read_text(encoding="utf-8") if executed is not None and executed.exists() else None
    if isinstance(done, Outcome):
        return TaskResult(done, lines, None, notebook_text)
    if settings.publish:
        return TaskResult(render_unit(done, service.exporter()), lines)
    try:
        payloads, phases = render_payloads(done, service.exporter())
    except Exception as err:  # nbconvert and WeasyPrint raise many types
        return TaskResult(Outcome(unit.slug, False, time.perf_counter() - started, error=error_text(err)), lines, None, notebook_text)
    files = tuple(f"{unit.slug}.{fmt}" for fmt in payloads)
    outcome = Outcome(unit.slug, True, time.perf_counter() - started, files, phases=tuple(phases), digests=tuple(digest(d) for d in payloads.values()))
    return TaskResult(outcome, lines, payloads, notebook_text)


def _local_directory(dask_worker: Any = None) -> str:
    """On each worker: its local directory (where :func:`build_brief` keeps the aggregates)."""
    return str(dask_worker.local_directory) if dask_worker is not None else ""


def forget_batch(token: str, dask_worker: Any = None) -> None:
    """On each worker once the batch is over: its copy of the aggregates goes."""
    import shutil

    if dask_worker is not None:
        shutil.rmtree(Path(dask_worker.local_directory) / f"briefs-{token}", ignore_errors=True)


# --- on the client ---------------------------------------------------------------------------


def parse_scheduler(text: str) -> tuple[str, int | None]:
    """``tcp://host:port`` (an address) or ``local:N`` (a LocalCluster of N processes)."""
    if text.startswith("local:"):
        count = text.partition(":")[2]
        if not count.isdigit() or int(count) < 1:
            raise UsageError(f"--scheduler {text!r}: local:N needs a number of worker processes, at least 1 (e.g. local:2)")
        return "local", int(count)
    if "://" not in text and not text.count(":") == 1:
        raise UsageError(f"--scheduler {text!r}: expected a scheduler address such as tcp://10.0.0.5:8786, or local:N")
    return text, None


class ClusterRunner:
    """The batch's side of a Dask run: connect (or start a LocalCluster), submit, collect."""

    def __init__(self, scheduler: str, *, collect: bool, on_log: Callable[[str, str], None]) -> None:
        from distributed import Client, LocalCluster

        address, count = parse_scheduler(scheduler)
        self.collect = collect
        self.on_log = on_log
        self.cluster: Any = None
        self.address = address
        try:
            if count is not None:
                self.cluster = LocalCluster(n_workers=count, threads_per_worker=2, processes=True, dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
            else:
                self.client = Client(address, timeout="30s")
        except OSError as err:  # no scheduler there, or it does not answer
            self.close()
            raise UsageError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({err})") from None
        self.workers = len(self.client.scheduler_info().get("workers", {}))
        self._keep_kernels()
        self.token = ""
        self.watcher: subprocess.Popen | None = None

    def _keep_kernels(self) -> None:
        """Register :class:`.worker_plugin.WarmKernelPlugin`: each worker's warm kernel is
        shut down when the worker closes (kept while it lives, between batches too)."""
        from .worker_plugin import WarmKernelPlugin

        try:
            self.client.register_plugin(WarmKernelPlugin())
        except Exception as err:  # a worker that cannot load it: its kernel ends with it, uncleanly
            self.on_log("log", f"the workers' kernels will not be shut down with them ({error_text(err)})")

    def describe(self) -> str:
        where = "a local Dask cluster" if self.cluster is not None else f"the Dask cluster at {self.address}"
        return f"{self.workers} worker(s) of {where}" + (" (files collected here)" if self.collect else "")

    def run(self, units: Sequence[Unit], settings: Settings, on_done: Callable[[Outcome, int, int], None], *, cache: Path) -> dict[str, Outcome]:
        from distributed import as_completed

        settings = replace(settings, publish=not self.collect)
        data = cache.read_bytes()
        self.token = hashlib.sha256(data + str(os.getpid()).encode() + str(time.time()).encode()).hexdigest()[:16]
        notebooks = {str(u.notebook): Path(u.notebook).read_text(encoding="utf-8") for u in units}
        # The aggregates and notebooks once to every worker, not once per brief.
        payload = {"cache": data, "notebooks": notebooks}
        [shared] = self.client.scatter([payload], broadcast=True, hash=False)
        if self.cluster is not None:  # a local cluster: nothing of it may outlive a killed batch
            self._watch(settings.out_dir, cache.parent)

        def submit(unit: Unit, attempt: int) -> Any:
            key = f"brief-{unit.slug}-{self.token}" + (f"-again{attempt}" if attempt else "")
            return self.client.submit(build_brief, unit, settings, shared, self.token, key=key, pure=False, retries=0)

        futures = {submit(unit, 0): unit for unit in units}
        attempts: dict[str, int] = {}
        outcomes: dict[str, Outcome] = {}
        pending = as_completed(list(futures))
        for future in pending:
            unit = futures.pop(future)
            try:
                result: TaskResult = future.result()
            except Exception as err:  # KilledWorker, data lost with a worker, a lost connection
                # A brief's own failure comes back as a TaskResult; an exception here is the
                # cluster's. Run the brief once more, scattering the aggregates again if the
                # worker that held them is gone (a worker that joined later has no copy).
                if attempts.get(unit.slug, 0) < 1:
                    attempts[unit.slug] = 1
                    if shared.status != "finished":
                        [shared] = self.client.scatter([payload], broadcast=True, hash=False)
                    self.on_log("log", f"{unit.slug}: lost to the cluster ({error_text(err)}); running it again")
                    again = submit(unit, 1)
                    futures[again] = unit
                    pending.add(again)
                    continue
                result = TaskResult(Outcome(unit.slug, False, 0.0, error=error_text(err)))
            for line in result.log:
                self.on_log("kernel" if line.startswith("kernel stderr: ") else "log", f"{unit.slug}: {line}")
            outcome = self._land(result, settings)
            outcomes[unit.slug] = outcome
            on_done(outcome, len(outcomes), len(units))
        return outcomes

    def _watch(self, out_dir: Path, work_dir: Path) -> None:
        """Start the watcher that sweeps what a killed batch leaves of its local cluster
        (:mod:`.orphans`): worker processes and their kernels, their copies of the aggregates,
        the private folder and the holder record."""
        from .folder import OWNER_NAME, host, kernel_area

        with contextlib.suppress(Exception):  # a watcher that cannot start costs nothing but the sweep
            local = self.client.run(_local_directory)
            workers = list(self.client.run(os.getpid).values())
            pids = [*workers, *self.client.run(os.getpid, nanny=True).values()]
            config = {"batch_pid": os.getpid(), "pids": pids, "owner": str(Path(out_dir) / OWNER_NAME), "host": host(),
                      "paths": [str(Path(d) / f"briefs-{self.token}") for d in local.values() if d] + [str(work_dir)]
                      + [str(kernel_area(pid)) for pid in workers if pid != os.getpid()]}
            self.watcher = subprocess.Popen([sys.executable, str(Path(__file__).with_name("orphans.py")), json.dumps(config)],
                                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                            start_new_session=True)

    def _land(self, result: TaskResult, settings: Settings) -> Outcome:
        """With ``--collect``: write what the worker sent back (the local batch's way)."""
        outcome = result.outcome
        if not self.collect:
            return outcome
        if result.notebook is not None:
            write_atomic(settings.out_dir / "notebooks" / f"{outcome.slug}.ipynb", result.notebook)
        if not outcome.ok or result.payloads is None:
            withdraw(settings.out_dir, outcome.slug)
            return outcome
        files = publish(settings.out_dir, outcome.slug, result.payloads)
        return replace(outcome, files=tuple(files), digests=tuple(files.values()))

    def close(self, *, now: bool = False) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            if self.token:
                with contextlib.suppress(Exception):
                    client.run(forget_batch, self.token)
            with contextlib.suppress(Exception):
                client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()
        watcher = getattr(self, "watcher", None)
        if watcher is not None:  # the batch ends as planned: nothing to sweep
            watcher.kill()
            watcher.wait()
            self.watcher = None
