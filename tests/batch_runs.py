"""Running ``python -m analysis reports`` in the background, as an analyst would, for the batch tests."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from analysis.paths import PROJECT_DIR

EPOCH = "1735689600"  # 2025-01-01: the footer date of every brief built in the tests
YEAR = 2024  # the latest year of the bundled 2021–2024 panel: what ``reports`` builds without --data


class Batch:
    """A ``reports`` run in the background whose stderr lines are collected as they come."""

    def __init__(self, out: Path, *args: str, temp: Path | None = None) -> None:
        """``temp``: the batch's own temp folder (``TMPDIR``), so that what it leaves there
        (its kernels' connection files) is its own and nobody else's."""
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONPATH=str(PROJECT_DIR))
        if temp is not None:
            temp.mkdir(parents=True, exist_ok=True)
            env["TMPDIR"] = str(temp)
        self.proc = subprocess.Popen([sys.executable, "-m", "analysis", "reports", "--out", str(out), *args],
                                     cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self.kernels: dict[int, tuple[psutil.Process, str]] = {}
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(re.search(pattern, line) for line in self.lines):
                return
            if self.proc.poll() is not None:
                self._reader.join(5)
                if any(re.search(pattern, line) for line in self.lines):
                    return
                pytest.fail(f"the batch ended ({self.proc.returncode}) before {pattern!r}:\n" + "\n".join(self.lines))
            time.sleep(0.1)
        pytest.fail(f"no {pattern!r} within {timeout} s:\n" + "\n".join(self.lines))

    def descendants(self) -> list[psutil.Process]:
        return psutil.Process(self.proc.pid).children(recursive=True)

    def watch_kernels(self, interval: float = 0.2) -> None:
        """Record, while the batch runs, every kernel its worker processes start (their
        children) in ``kernels``: pid to the process and its connection file."""

        def watch() -> None:
            while self.proc.poll() is None:
                with contextlib.suppress(psutil.Error):
                    for worker in psutil.Process(self.proc.pid).children():
                        for kernel, connection in kernels_of(worker):
                            self.kernels.setdefault(kernel.pid, (kernel, connection))
                time.sleep(interval)

        threading.Thread(target=watch, daemon=True).start()

    def finish(self, timeout: float = 300) -> int:
        code = self.proc.wait(timeout)
        self._reader.join(10)
        return code


def kernels_of(worker: psutil.Process) -> list[tuple[psutil.Process, str]]:
    """A worker process's kernels (``python -m ipykernel_launcher -f FILE``), each with its
    connection file, which the kernel's manager removes when it shuts the kernel down."""
    found = []
    for child in worker.children():
        with contextlib.suppress(psutil.Error, ValueError, IndexError):
            command = child.cmdline()
            if "ipykernel_launcher" in command:
                found.append((child, command[command.index("-f") + 1]))
    return found


def kernel_files(temp: Path, timeout: float = 30) -> list[Path]:
    """The kernels' connection files (jupyter_client's default ``tmp*.json``, or in a batch's
    kernels' folder) still in a batch's own temp folder after waiting up to ``timeout`` seconds,
    and the kernels' folders left."""
    deadline = time.monotonic() + timeout
    while True:
        left = [*temp.glob("tmp*.json"), *temp.glob("analysis-kernels-*")]
        if not left or time.monotonic() > deadline:
            return sorted(left)
        time.sleep(0.2)


def gone(procs: list[psutil.Process], timeout: float = 60) -> list[psutil.Process]:
    """The processes still alive (not zombies) after waiting up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    alive = procs
    while time.monotonic() < deadline:
        alive = [p for p in alive if _running(p)]
        if not alive:
            break
        time.sleep(0.2)
    return alive


def _running(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".batch.lock"}


@pytest.fixture(scope="session")
def bundled_batch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.CompletedProcess, Path]]:
    """``python -m analysis reports --formats html,pdf --jobs 2``: every brief of the bundled
    data, HTML and PDF, by the process pool, as an analyst runs it; the finished run and its
    year folder. Read-only (checked at the session's end): test_batch.py and test_batch_dask.py
    share it (one xdist group, so it is built once) and build their other batches elsewhere."""
    out = tmp_path_factory.mktemp("bundled-batch")
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONPATH=str(PROJECT_DIR))
    done = subprocess.run([sys.executable, "-m", "analysis", "reports", "--formats", "html,pdf", "--jobs", "2", "--out", str(out)],
                          cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=900)
    year = out / str(YEAR)
    before = _snapshot(year) if year.is_dir() else {}
    yield done, year
    assert (_snapshot(year) if year.is_dir() else {}) == before, "a test changed the shared batch's files"
