"""Worker processes die with the batch: no brief is built, and no kernel runs, for a dead parent.

A worker's parent is the fork server, not the batch, so each worker watches the batch's own
process: on Linux the kernel signals it when its parent goes (``PR_SET_PDEATHSIG``), and a
watchdog thread checks every half second that the batch is still there (any platform, and a
batch killed with SIGKILL). Either way the worker runs its last rites (kill its kernel, sweep
the batch's private folder) and exits at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable

from .orphans import alive as process_alive  # one test of a live process (the watcher script's)

_PR_SET_PDEATHSIG = 1


def set_parent_death_signal(signum: int = signal.SIGTERM) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent dies; False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def die_with(batch_pid: int, last_rites: Callable[[bool], None], *, interval: float = 0.5) -> None:
    """Exit this process when ``batch_pid`` goes away or SIGTERM arrives.

    ``last_rites(orphaned)`` runs first; ``orphaned`` tells whether the batch is gone (then
    nobody else will clean up after it) or merely asked this worker to stop.
    """
    done = threading.Lock()

    def finish(code: int) -> None:
        if done.acquire(blocking=False):
            with contextlib.suppress(BaseException):
                last_rites(not process_alive(batch_pid))
            os._exit(code)

    def on_term(signum: int, frame: object) -> None:
        finish(128 + signal.SIGTERM)

    signal.signal(signal.SIGTERM, on_term)
    set_parent_death_signal(signal.SIGTERM)
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(interval):
            if not process_alive(batch_pid) or os.getppid() == 1:
                finish(1)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()
    if not process_alive(batch_pid):  # gone before the signal was armed
        finish(1)
