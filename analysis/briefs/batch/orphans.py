"""What a batch on a local Dask cluster leaves if it is killed: swept by a small watcher.

The workers of ``--scheduler local:N`` are children of the cluster's nannies, which are
children of the batch; Dask ends them when the batch goes, but with ``os._exit``: the copy of
the aggregates each worker keeps in its local directory (the system temp folder), the
batch's private folder under ``--out`` and its record as the folder's holder would stay. The
batch starts this watcher (a separate process, run as a script: standard library only, so
it starts at once) with its own pid, the worker processes and those paths; when the batch's
process is gone the watcher kills any worker still alive, removes the paths and the holder
record (only if it is still the batch's), and exits. A batch that ends normally stops it.

The workers' own children, their warm kernels, are the batch's too. A closing worker shuts
its kernel down (:mod:`.worker_plugin`), but a worker that dies with a killed batch cannot:
its kernel ends by itself a moment later (ipykernel's parent poller), or hangs in its exit,
and its connection file stays in the temp folder. So while the batch lives the watcher notes
the workers' children (from ``/proc``, where there is one), and after it kills any still
alive (the same process: its start time checked) and removes the kernels' connection files.
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


def _started(pid: int) -> tuple[int, int] | None:
    """A process's parent and start time (clock ticks since boot), from ``/proc``."""
    with contextlib.suppress(OSError, IndexError, ValueError), open(f"/proc/{pid}/stat", "rb") as stat:
        fields = stat.read().rsplit(b")", 1)[1].split()
        return int(fields[1]), int(fields[19])
    return None


def _connection_file(pid: int) -> str:
    """The connection file a kernel was started with (``ipykernel_launcher -f FILE``), or ''."""
    with contextlib.suppress(OSError, ValueError, IndexError), open(f"/proc/{pid}/cmdline", "rb") as cmdline:
        words = cmdline.read().decode("utf-8", "replace").split("\0")
        if "ipykernel_launcher" in words and words[words.index("-f") + 1].endswith(".json"):
            return words[words.index("-f") + 1]
    return ""


def children(parents: set[int]) -> dict[int, tuple[int, str]]:
    """The processes whose parent is one of ``parents``: pid to (start time, connection file
    if a kernel). Empty where there is no ``/proc``."""
    found: dict[int, tuple[int, str]] = {}
    with contextlib.suppress(OSError):
        for name in os.listdir("/proc"):
            if name.isdigit() and (started := _started(int(name))) is not None and started[0] in parents:
                found[int(name)] = (started[1], _connection_file(int(name)))
    return found


def sweep(batch_pid: int, pids: list[int], paths: list[str], owner: str, host: str,
          kernels: dict[int, tuple[int, str]] | None = None) -> None:
    """After the batch: kill its workers and their children still alive, remove its paths,
    the kernels' connection files and its holder record."""
    kernels = kernels or {}
    for pid in pids:
        with contextlib.suppress(OSError):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    for pid, (start, _) in kernels.items():
        started = _started(pid)
        with contextlib.suppress(OSError):
            if started is not None and started[1] == start and alive(pid):  # not another process since
                os.kill(pid, signal.SIGKILL)
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
    for _, connection in kernels.values():
        with contextlib.suppress(OSError):
            if connection:
                os.unlink(connection)
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        with open(owner, encoding="utf-8") as handle:
            record = json.load(handle)
        if int(record["pid"]) == batch_pid and record["host"] == host:
            os.unlink(owner)


def main(argv: list[str]) -> int:
    """``orphans.py CONFIG_JSON``: {batch_pid, pids, paths, owner, host, interval}."""
    config = json.loads(argv[0])
    batch_pid = int(config["batch_pid"])
    pids = [int(p) for p in config["pids"]]
    workers = set(pids) - {batch_pid, os.getpid()}  # a LocalCluster's nannies are the batch itself
    kernels: dict[int, tuple[int, str]] = {}
    while alive(batch_pid):
        kernels.update(children(workers))
        time.sleep(float(config.get("interval", 0.5)))
    kernels.update(children(workers))
    sweep(batch_pid, pids, list(config["paths"]), str(config["owner"]), str(config["host"]), kernels)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
