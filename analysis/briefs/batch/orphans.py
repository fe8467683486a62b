"""What a batch on a local Dask cluster leaves if it is killed: swept by a small watcher.

The workers of ``--scheduler local:N`` are children of the cluster's nannies, which are
children of the batch; Dask ends them when the batch goes, but with ``os._exit``: the copy of
the aggregates each worker keeps in its local directory (the system temp folder), the
batch's private folder under ``--out`` and its record as the folder's holder would stay. The
batch starts this watcher (a separate process, run as a script: standard library only, so
it starts at once) with its own pid, the worker processes and those paths; when the batch's
process is gone the watcher kills any worker still alive, removes the paths and the holder
record (only if it is still the batch's), and exits. A batch that ends normally stops it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sys
import time


def alive(pid: int) -> bool:
    """Whether a process with this id exists and is not a zombie, on this machine (a killed
    process nobody has reaped yet is a zombie); the batch's lifeline uses it too."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError, IndexError), open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    return True


def sweep(batch_pid: int, pids: list[int], paths: list[str], owner: str, host: str) -> None:
    """After the batch: kill its workers still alive, remove its paths and its holder record."""
    for pid in pids:
        with contextlib.suppress(OSError):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        with open(owner, encoding="utf-8") as handle:
            record = json.load(handle)
        if int(record["pid"]) == batch_pid and record["host"] == host:
            os.unlink(owner)


def main(argv: list[str]) -> int:
    """``orphans.py CONFIG_JSON``: {batch_pid, pids, paths, owner, host, interval}."""
    config = json.loads(argv[0])
    batch_pid = int(config["batch_pid"])
    while alive(batch_pid):
        time.sleep(float(config.get("interval", 0.5)))
    sweep(batch_pid, [int(p) for p in config["pids"]], list(config["paths"]), str(config["owner"]), str(config["host"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
