"""A worker's notebook runner: one warm kernel, briefs one after another, kernels replaced as needed.

Used by the local pool's workers and by Dask workers alike. All its calls come from one
thread (the kernel's client belongs to the thread's event loop). A kernel that ran a failing
notebook, or whose namespace cannot be reset, is replaced; a brief whose kernel died is run
once more on a fresh kernel, so one transient failure never fails a brief; a kernel that
cannot start after its retries fails the briefs given to it, and the next brief tries again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from .build import Executed, execute_unit, failed
from .engine import register_engine
from .kernel import BACKOFF_S, KernelStartError, WarmKernel, start_kernel
from .outcome import Outcome
from .plan import KERNEL_NAME, Settings, Unit


class NotebookRunner:
    """Runs notebooks on a kept-warm kernel."""

    def __init__(
        self,
        *,
        kernel_name: str = KERNEL_NAME,
        kernel_timeout: float = 120.0,
        backoff: tuple[float, ...] = BACKOFF_S,
        log: Callable[[str], None] = lambda text: None,
        kernel_stderr: Callable[[str], None] | None = None,
        runtime_dir: Path | None = None,
    ) -> None:
        register_engine()
        self.kernel_name, self.kernel_timeout, self.backoff = kernel_name, kernel_timeout, backoff
        self.runtime_dir = runtime_dir  # where its kernels' connection files go (None: the temp folder)
        self.log, self.kernel_stderr = log, kernel_stderr
        self.kernel: WarmKernel | None = None
        self.start_error = ""
        self.stopped = False
        self._fresh()

    def _fresh(self) -> None:
        if self.kernel is not None:
            self.kernel.shutdown()
            self.kernel = None
        if self.stopped:  # its worker is closing: no new kernel to outlive it
            self.start_error = "the worker is closing"
            return
        try:
            self.kernel = start_kernel(self.kernel_name, timeout=self.kernel_timeout, on_stderr=self.kernel_stderr, log=self.log, backoff=self.backoff,
                                       runtime_dir=self.runtime_dir)
        except KernelStartError as err:
            self.start_error = str(err)
            self.log(self.start_error)

    def run(self, unit: Unit, settings: Settings, *, nb_dir: Path | None = None) -> Executed | Outcome:
        """Execute one unit's notebook: what to render, or the failure."""
        if self.kernel is None:
            self._fresh()
        if self.kernel is None:
            return failed(unit, settings, time.perf_counter(), KernelStartError(self.start_error))
        done = execute_unit(unit, self.kernel, settings, nb_dir=nb_dir)
        if isinstance(done, Outcome) and not self.kernel.alive():
            self.log(f"{unit.slug}: the kernel died ({done.error}); running it again on a fresh kernel")
            self._fresh()
            if self.kernel is None:
                return done
            done = execute_unit(unit, self.kernel, settings, nb_dir=nb_dir)
        return done

    def after(self, done: Executed | Outcome) -> None:
        """Ready the kernel for the next notebook (replaced after a failure)."""
        if self.kernel is not None and (isinstance(done, Outcome) or not self.kernel.reset()):
            self._fresh()

    def kill(self) -> None:
        if self.kernel is not None:
            self.kernel.kill()

    def stop(self) -> None:
        """From another thread, while a notebook runs: kill the kernel and start no other
        (the worker is closing); :meth:`close`, on the runner's thread, then cleans up."""
        self.stopped = True
        self.kill()

    def close(self) -> None:
        if self.kernel is not None:
            self.kernel.shutdown()
            self.kernel = None
