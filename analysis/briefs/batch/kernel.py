"""The kernel a worker keeps warm: started once, imports done, reused notebook after notebook.

Starting a kernel and importing pandas, matplotlib and ``analysis`` costs more than running
a brief, so each worker starts one kernel (without input history), imports everything in it
(and draws a chart, so fonts are loaded) and clears its namespace between notebooks.
"""

from __future__ import annotations

import gc
import os
import subprocess
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
    "import pandas, numpy, matplotlib\nfrom analysis.briefs import brief, sections, render, charts, narrative\n"
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
