"""Files written whole or not at all, and output paths checked before any work.

Every file the package writes goes through :func:`replacing`: the content is written to a
hidden temporary file in the same folder (``.<name>.<random>.tmp``), flushed, then renamed
over the target. A failure removes the temporary file and leaves the old file as it was.

A command that writes must also know at once that it can: an output folder that is in fact
a file, lies under a file, is a named pipe or a device, or sits where nothing can be written
is a usage error (:func:`check_output_folder`, :func:`check_output_file`), said in one line
before a single household is read, never a traceback after minutes of work.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UsageError, printable


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path to write ``path``'s new content to; renamed over ``path`` on success."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    try:
        yield tmp
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``path`` so that readers see the old file or the whole new one, never a part."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with replacing(Path(path)) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies, unlike mkstemp's 0600
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)


# --- output paths checked before any work -----------------------------------------------


def _what(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a folder"


def _mode(path: Path) -> int | None:
    """The path's file mode, or None when nothing is there."""
    try:
        return path.stat().st_mode
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise UsageError(f"{printable(str(path))} is under a file, not a folder; choose a folder") from None
    except (OSError, ValueError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else "the name cannot be used"
        raise UsageError(f"cannot use {printable(str(path))} ({reason})") from None


def check_output_folder(path: Path | str) -> Path:
    """``path`` as an output folder that exists or can be made, and can be written to.

    Nothing is created; the nearest existing folder gets a probe file, removed at once.
    """
    folder = Path(path)
    shown = printable(str(folder))
    mode = _mode(folder)
    if mode is not None and not stat.S_ISDIR(mode):
        raise UsageError(f"output folder {shown} is {_what(mode)}; choose a folder (existing or new)")
    existing = folder
    while _mode(existing) is None:
        if existing.parent == existing:
            break
        existing = existing.parent
    parent_mode = _mode(existing)
    if parent_mode is not None and not stat.S_ISDIR(parent_mode):
        raise UsageError(f"output folder {shown} is under {printable(str(existing))}, which is {_what(parent_mode)}; choose a folder")
    _probe(existing, shown)
    return folder


def check_output_file(path: Path | str) -> Path:
    """``path`` as an output file: not a folder, pipe or device, in a folder that can be written."""
    target = Path(path)
    shown = printable(str(target))
    mode = _mode(target)
    if mode is not None and not stat.S_ISREG(mode):
        what = "a folder" if stat.S_ISDIR(mode) else _what(mode)
        raise UsageError(f"output file {shown} is {what}; choose a file name")
    check_output_folder(target.parent)
    return target


def _probe(folder: Path, shown: str) -> None:
    """Write and remove a tiny file: the only sure test of a writable folder (root, read-only mounts)."""
    try:
        handle, name = tempfile.mkstemp(prefix=".write-check-", dir=folder)
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise UsageError(f"cannot write in {printable(str(folder))} for output {shown} ({reason.lower()})") from None
    os.close(handle)
    Path(name).unlink(missing_ok=True)
