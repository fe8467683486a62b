"""The kernel a worker keeps warm: started once, imports done, reused notebook after notebook.

Starting a kernel and importing pandas, matplotlib and ``analysis`` costs more than running
a brief, so each worker starts one kernel (without input history), imports everything in it
(and draws a chart, so fonts are loaded) and clears its namespace between notebooks.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ...paths import PROJECT_DIR

#: Garbage collection in the long-lived processes (workers and kernels): a brief allocates
#: millions of short-lived objects (WeasyPrint boxes, matplotlib artists) and CPython's default
#: thresholds (700, 10, 10) spent a sixth of a PDF's time re-scanning what start-up imported.
#: That is frozen once warm (collections skip it) and young objects are collected less often.
GC_THRESHOLDS = (10_000, 10, 10)

#: Run in each kernel once it has started, so no brief pays for these imports (and for
#: matplotlib's font loading, which the first chart of a process would otherwise pay).
WARM_UP = (
    "import pandas, numpy, matplotlib\nfrom analysis.briefs import brief, inputs, sections, render, charts, narrative\n"
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


def settle_gc() -> None:
    """Freeze what start-up allocated and collect young objects less often (``GC_THRESHOLDS``)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


class KernelStartError(RuntimeError):
    """A kernel that did not start (or answer) in time, after every retry."""


class WarmKernel:
    """A started kernel with the briefs' imports done, reused notebook after notebook.

    Its client is the kernel manager's own (it checks the kernel's process, not heartbeats,
    so a kernel slowed down by a busy machine is not declared dead), and every wait has the
    batch's ``kernel_timeout``. The kernel's stderr is read line by line and handed to
    ``on_stderr`` (the batch log), so the cause of a kernel's death is visible.

    Its connection file (ports and the key that signs every message) is jupyter_client's,
    in ``runtime_dir`` when given (the batch's private folder for its kernels, see
    :func:`.folder.kernel_area`), else in the system temp folder. The manager removes it on
    a clean shutdown; a kernel that is killed, or that fails to start, has it removed here.
    """

    def __init__(self, kernel_name: str, *, timeout: float = 120.0, on_stderr: Callable[[str], None] | None = None,
                 runtime_dir: Path | None = None) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        self.timeout = timeout
        self.km = AsyncKernelManager(kernel_name=kernel_name)
        self.km.shutdown_wait_time = 2.0
        if runtime_dir is not None:
            self.km.connection_file = str(Path(runtime_dir) / f"kernel-{uuid.uuid4()}.json")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_DIR), env.get("PYTHONPATH", "")) if p)
        env["MPLBACKEND"] = "Agg"
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        self.notebook_client: Any = None
        # No input history: nothing reads it, and its SQLite writes cost every cell. Its
        # stdout is not the batch's: outputs come over its channels, and a kernel that hangs
        # while it exits must not hold the pipe of whoever reads the batch's output open.
        try:
            run_sync(self.km.start_kernel)(
                cwd=str(PROJECT_DIR), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE if on_stderr else subprocess.DEVNULL,
                extra_arguments=["--HistoryManager.enabled=False"],
            )
        except BaseException:  # the connection file is written before the launch: not left behind
            self._discard()
            raise
        process = getattr(self.km.provisioner, "process", None)
        self.pid: int | None = getattr(process, "pid", None)
        if on_stderr is not None and process is not None and process.stderr is not None:
            threading.Thread(target=_forward_lines, args=(process.stderr, on_stderr), name="kernel-stderr", daemon=True).start()

    def ready(self) -> WarmKernel:
        """Connect, wait until the kernel answers and do the imports; raises on failure."""
        if self.notebook_client is None:
            # The client papermill's nbclient talks through, connected once: a fresh client
            # per notebook would wait 0.2 s for stray IOPub messages every time.
            client = self.km.client()
            client.start_channels()
            self.notebook_client = client
            self._run_sync(client.wait_for_ready)(timeout=self.timeout)
            if not self.execute(WARM_UP):
                raise KernelStartError("the kernel could not import the briefs' modules")
        return self

    def execute(self, code: str) -> bool:
        """Run code outside any notebook (no history); True when it ran without error."""
        reply = self._run_sync(self.notebook_client.execute_interactive)(
            code, store_history=False, timeout=self.timeout, output_hook=lambda msg: None, allow_stdin=False,
        )
        return reply["content"].get("status") == "ok"

    def alive(self) -> bool:
        return bool(self._run_sync(self.km.is_alive)())

    def reset(self) -> bool:
        """A clean namespace for the next notebook; False when the kernel must be replaced."""
        try:
            return self.alive() and self.execute(RESET)
        except Exception:  # a dead or wedged kernel: the caller replaces it
            return False

    def kill(self) -> None:
        """Kill the kernel's process at once and remove its connection file (from a signal
        handler: no event loop needed; the manager's own clean-up never runs after a kill)."""
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            self.km.cleanup_connection_file()

    def _discard(self) -> None:
        """After a failed start: end whatever was launched and remove the connection file."""
        with contextlib.suppress(Exception):
            if self.km.has_kernel:
                self._run_sync(self.km.shutdown_kernel)(now=True)
            else:
                self._run_sync(self.km.cleanup_resources)()
        with contextlib.suppress(Exception):
            self.km.cleanup_connection_file()

    def shutdown(self) -> None:
        try:
            if self.notebook_client is not None:
                self.notebook_client.stop_channels()
            self._run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # already gone
            self.kill()


def _forward_lines(stream: Any, sink: Callable[[str], None]) -> None:
    with contextlib.suppress(OSError, ValueError):
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip()
            if line:
                sink(line)


#: Waits between attempts to start a kernel: a start that failed on a busy machine is retried.
BACKOFF_S = (1.0, 3.0, 9.0)


def start_kernel(
    kernel_name: str,
    *,
    timeout: float = 120.0,
    on_stderr: Callable[[str], None] | None = None,
    log: Callable[[str], None] = lambda text: None,
    backoff: Sequence[float] = BACKOFF_S,
    runtime_dir: Path | None = None,
) -> WarmKernel:
    """A warm kernel, retried with growing waits; ``KernelStartError`` once every attempt
    failed. No attempt leaves its kernel or its connection file behind."""
    attempts = len(backoff) + 1
    for attempt in range(1, attempts + 1):
        kernel: WarmKernel | None = None
        try:
            kernel = WarmKernel(kernel_name, timeout=timeout, on_stderr=on_stderr, runtime_dir=runtime_dir)
            return kernel.ready()
        except Exception as err:  # jupyter_client raises RuntimeError, TimeoutError, zmq errors...
            if kernel is not None:
                kernel.shutdown()
            reason = f"{type(err).__name__}: {err}".splitlines()[0]
            if attempt == attempts:
                raise KernelStartError(f"kernel did not start after {attempts} attempts ({reason})") from err
            wait = backoff[attempt - 1]
            log(f"kernel start failed (attempt {attempt} of {attempts}: {reason}); retrying in {wait:.0f} s")
            time.sleep(wait)
    raise AssertionError("unreachable")
