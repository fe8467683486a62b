"""The output folder of a batch: one batch at a time per year folder, and a private work area.

* A year folder is locked (``filelock``) while a batch writes it; a second batch on the same
  folder stops at once and names the batch that holds it (pid, host, start time), so two
  batches never interleave their briefs, index and clean-up.
* The aggregates cache lives in a private folder under ``--out`` (``.batch-PID@HOST``),
  removed when the batch ends, whatever the ending; a folder left by a batch killed with
  SIGKILL is removed by its workers as they die and, failing that, by the next batch on
  this machine (its process is gone).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from pathlib import Path
from typing import Any

from ...errors import UsageError
from .lifeline import process_alive

LOCK_NAME = ".batch.lock"
OWNER_NAME = ".batch.owner"
WORK_PREFIX = ".batch-"


def host() -> str:
    return socket.gethostname() or "localhost"


def work_area(out: Path, pid: int | None = None) -> Path:
    """The private folder of the batch running as ``pid`` on this machine."""
    return Path(out) / f"{WORK_PREFIX}{pid or os.getpid()}@{host()}"


def sweep_work_areas(out: Path) -> list[Path]:
    """Remove the private folders of batches on this machine whose process is gone."""
    swept: list[Path] = []
    if not Path(out).is_dir():
        return swept
    here = host()
    for path in Path(out).glob(f"{WORK_PREFIX}*@*"):
        pid_text, _, where = path.name[len(WORK_PREFIX):].partition("@")
        if where == here and pid_text.isdigit() and int(pid_text) != os.getpid() and not process_alive(int(pid_text)):
            shutil.rmtree(path, ignore_errors=True)
            swept.append(path)
    return swept


class FolderLock:
    """An exclusive hold on a year folder; ``UsageError`` naming the holder when it is busy."""

    def __init__(self, folder: Path) -> None:
        from filelock import FileLock

        self.folder = Path(folder)
        self._lock = FileLock(str(self.folder / LOCK_NAME), timeout=0, thread_local=False)
        self._owner = self.folder / OWNER_NAME

    def acquire(self) -> FolderLock:
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            raise UsageError(f"{self.folder} is busy: {describe_owner(self._owner)} is writing it; wait until it ends, or choose another --out") from None
        record = {"pid": os.getpid(), "host": host(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
        tmp = self._owner.with_name(f"{OWNER_NAME}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(record) + "\n", encoding="utf-8")
        os.replace(tmp, self._owner)
        return self

    def release(self) -> None:
        if self._lock.is_locked:
            self._owner.unlink(missing_ok=True)
            self._lock.release()


def describe_owner(path: Path) -> str:
    """``another batch (pid 123 on host h, started ...)`` from the holder's owner file."""
    try:
        record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return f"another batch (pid {int(record['pid'])} on host {record['host']}, started {record['started']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another batch (starting up)"
