"""The output folder of a batch: one batch at a time per year folder, and a private work area.

* A batch writes ``<out>/<year>/``; with ``--province`` (a review of several provinces, briefed
  one province at a time) ``<out>/<year>/<province-slug>/``, so the provinces' batches into one
  ``--out`` never share a folder: same-named communes of two provinces (``xa-le-loi``), the
  year's workbook and the index stay apart, and each index lists its own province's briefs.
  The rule is :func:`analysis.tables.folder.year_folder`, the ``tables`` command's too.
* Each brief's manifest names its province; a batch (process pool or Dask alike) whose data
  are of another province than the briefs already in its year folder stops before writing
  anything (:func:`check_province`; summary tables written by ``tables`` alone count by their
  record, :data:`analysis.tables.folder.TABLES_OWNER`): two single-province reviews built without ``--province``
  would otherwise share ``<out>/<year>/``, a same-named commune's brief and the workbook
  replaced, the index listing both provinces. Refusing, rather than quietly choosing another
  folder, keeps every output where the command's help says it goes.

* A year folder is locked (``filelock``) while a batch writes it; a second batch on the same
  folder stops at once and names the batch that holds it (pid, host, start time), so two
  batches never interleave their briefs, index and clean-up.
* The aggregates cache lives in a private folder under ``--out`` (``.batch-PID@HOST``),
  removed when the batch ends, whatever the ending; a folder left by a batch killed with
  SIGKILL is removed by its workers as they die and, failing that, by the next batch on
  this machine (its process is gone).
* The connection files of the pool's kernels (ports and the key that signs their messages)
  live in another private folder, in the system temp folder (``analysis-kernels-PID@HOST``,
  mode 0700): the workers start their kernels while the data load, before anything may be
  written under ``--out``. It goes when the batch closes its pool, or with the workers of a
  killed batch, and failing both (the whole family killed) with the next batch on this
  machine: a kernel's file never outlives its batch for long, however the kernel ended.
* The holder's record (``.batch.owner``: pid, host, start time) names the batch in that
  message. A batch killed with its workers (SIGKILL to the whole group, the OOM killer) leaves
  it behind, but the operating system releases its lock: the next batch takes the folder,
  recognises the record of a dead process on this machine (:attr:`FolderLock.stale`, said in
  its log) and replaces it; a record of a dead process is never named as the holder, and a
  dying worker removes only its own batch's record.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import time
from pathlib import Path
from typing import Any

from ...errors import UsageError
from ...tables.folder import tables_province, year_folder
from .lifeline import process_alive
from .manifest import manifest_provinces

LOCK_NAME = ".batch.lock"
OWNER_NAME = ".batch.owner"
WORK_PREFIX = ".batch-"
KERNELS_PREFIX = "analysis-kernels-"

__all__ = ["FolderLock", "check_province", "host", "kernel_area", "sweep_kernel_areas", "sweep_work_areas", "work_area", "year_folder"]


def host() -> str:
    return socket.gethostname() or "localhost"


def check_province(folder: Path, province: str | None, *, out: Path, year: int, what: str = "briefs") -> None:
    """Refuse to write one province's outputs into a folder holding briefs of another.

    Two single-province reviews without ``--province`` both go to ``<out>/<year>/``: the second
    would put its briefs beside the first's, replace a same-named commune's brief and the
    year's workbook, and its index would list both provinces. Nothing is written: the
    message names the folder, the province there and the ways out. Summary tables written by
    the ``tables`` command alone count as well, by their record (:func:`tables_province`).
    Briefs whose manifest names no province (written before manifests did), and tables
    without a record, are not counted."""
    if not province:
        return
    others = {name: count for name, count in manifest_provinces(folder).items() if name != province}
    tables = tables_province(folder)
    held = []
    if others:
        held.append("briefs of " + ", ".join(f"{name} ({count} brief{'s' if count > 1 else ''})" for name, count in sorted(others.items())))
    if tables is not None and tables != province:
        held.append(f"the summary tables of {tables}")
    if held:
        raise UsageError(f"{folder} holds {' and '.join(held)}, and these data are {province}'s: write its {what} into a folder of its own "
                         f"with --province {province!r} ({year_folder(out, year, province)}/) or choose another --out")


def work_area(out: Path, pid: int | None = None) -> Path:
    """The private folder of the batch running as ``pid`` on this machine."""
    return Path(out) / f"{WORK_PREFIX}{pid or os.getpid()}@{host()}"


def sweep_work_areas(out: Path) -> list[Path]:
    """Remove the private folders of batches on this machine whose process is gone."""
    return _sweep(Path(out), WORK_PREFIX)


def kernel_area(pid: int | None = None, temp: Path | None = None) -> Path:
    """The private folder of the connection files of the pool's kernels of the batch running
    as ``pid`` on this machine, in ``temp`` (the system temp folder)."""
    return Path(temp or tempfile.gettempdir()) / f"{KERNELS_PREFIX}{pid or os.getpid()}@{host()}"


def sweep_kernel_areas(temp: Path | None = None) -> list[Path]:
    """Remove the kernels' folders of batches on this machine whose process is gone."""
    return _sweep(Path(temp or tempfile.gettempdir()), KERNELS_PREFIX)


def _sweep(parent: Path, prefix: str) -> list[Path]:
    swept: list[Path] = []
    if not parent.is_dir():
        return swept
    here = host()
    for path in parent.glob(f"{prefix}*@*"):
        pid_text, _, where = path.name[len(prefix):].partition("@")
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
        #: The record a dead batch left (killed with its workers), found on taking the folder.
        self.stale: dict[str, Any] | None = None

    def acquire(self) -> FolderLock:
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            raise UsageError(f"{self.folder} is busy: {describe_owner(self._owner)} is writing it; wait until it ends, or choose another --out") from None
        left = read_owner(self._owner)
        self.stale = left if left is not None and owner_gone(left) else None
        record = {"pid": os.getpid(), "host": host(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
        tmp = self._owner.with_name(f"{OWNER_NAME}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(record) + "\n", encoding="utf-8")
        os.replace(tmp, self._owner)
        return self

    def release(self) -> None:
        if self._lock.is_locked:
            self._owner.unlink(missing_ok=True)
            self._lock.release()


def read_owner(path: Path) -> dict[str, Any] | None:
    """The holder's record (pid, host, started), None when missing or unreadable."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return {"pid": int(record["pid"]), "host": str(record["host"]), "started": str(record["started"])}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def owner_gone(record: dict[str, Any]) -> bool:
    """Whether the record names a batch of this machine whose process is gone (another
    machine's cannot be checked: taken as alive)."""
    return record["host"] == host() and not process_alive(int(record["pid"]))


def remove_owner(folder: Path, pid: int) -> bool:
    """Remove the folder's holder record if it is the batch ``pid``'s (of this machine): a
    dying worker never removes the record of a batch that took the folder after its own."""
    path = Path(folder) / OWNER_NAME
    record = read_owner(path)
    if record is None or record["pid"] != pid or record["host"] != host():
        return False
    path.unlink(missing_ok=True)
    return True


def describe_owner(path: Path) -> str:
    """``another batch (pid 123 on host h, started ...)`` from the holder's owner file (a record
    of a dead batch is not the holder's: the holder has not written its own yet)."""
    record = read_owner(path)
    if record is None or owner_gone(record):
        return "another batch (starting up)"
    return f"another batch (pid {record['pid']} on host {record['host']}, started {record['started']})"
