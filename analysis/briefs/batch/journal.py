"""The batch log: progress lines, worker events and every kernel's stderr, kept in the year folder.

Lines are echoed to the terminal as they come (a kernel's stderr only goes to the file) and
appended to ``<out>/<year>/batch.log`` when the batch ends, under a header naming the run.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .folder import host


class Journal:
    """Lines of one batch, in the order they happened."""

    def __init__(self, echo: Callable[[str], None]) -> None:
        self.echo = echo
        self.lines: list[str] = [f"== batch pid {os.getpid()} on {host()}, started {time.strftime('%Y-%m-%d %H:%M:%S %Z')}"]
        self._lock = threading.Lock()

    def _keep(self, line: str) -> None:
        with self._lock:
            self.lines.append(f"{time.strftime('%H:%M:%S')} {line}")

    def say(self, line: str) -> None:
        """A line for the user and the log."""
        self._keep(line)
        self.echo(line)

    def worker(self, kind: str, line: str) -> None:
        """A worker's event (shown and kept) or a line of a kernel's stderr (kept)."""
        if kind == "kernel":
            self._keep(f"kernel stderr: {line}")
        else:
            self.say(line)

    def save(self, path: Path) -> None:
        """Append this batch's lines to the log file (written once, at the end)."""
        with self._lock:
            text = "\n".join(self.lines) + "\n"
            self.lines = self.lines[:1]
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
