"""The batch on a real machine: busy cores, a killed or stopped parent, two batches on one
folder, and a rebuild into a folder that already holds every brief.

Each test runs ``python -m analysis reports`` as an analyst would, in a subprocess.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from batch_runs import Batch, gone, kernel_files

from analysis.briefs.batch import folder, lifeline

YEAR = 2024


@pytest.fixture
def temp() -> Iterator[Path]:
    """A batch's own temp folder, where its kernels' connection files go; a short path (the
    fork server's socket lives there too, and a socket's path may not be long)."""
    path = Path(tempfile.mkdtemp(prefix="batch-temp-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def busy_cores() -> Iterator[None]:
    """Both cores busy with other work (one CPU burner per core, and one more)."""
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range((os.cpu_count() or 2) + 1)]
    try:
        yield
    finally:
        for proc in burners:
            proc.kill()
            proc.wait()


def test_the_batch_succeeds_with_both_cores_busy(tmp_path: Path, temp: Path, busy_cores: None) -> None:
    out = tmp_path / "reports"
    batch = Batch(out, "--district", "Pác Nặm", "Ba Bể", "--formats", "html,pdf", "--jobs", "2", temp=temp)
    code = batch.finish(600)
    assert code == 0, "\n".join(batch.lines)
    # nothing of its workers' is left in the temp folder: no kernel's file, no copy of the fonts
    # (WeasyPrint's folder of a kept font configuration had stayed, one a batch)
    assert kernel_files(temp, timeout=0) == [] and list(temp.glob("weasyprint-*")) == []
    year = out / str(YEAR)
    for name in ("pac-nam.html", "pac-nam.pdf", "ba-be.html", "ba-be.pdf", "index.html", "batch.log"):
        assert (year / name).is_file(), name
    assert not list(out.glob(".batch-*")), "the private folder outlived the batch"


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killing_the_parent_leaves_no_worker_and_no_cache(tmp_path: Path, temp: Path, signum: int) -> None:
    """And no kernel's connection file (it holds the key that signs the kernel's messages):
    the workers killed their kernels, which a manager's clean-up never follows."""
    out = tmp_path / "reports"
    batch = Batch(out, "--formats", "html,pdf", "--jobs", "2", temp=temp)
    batch.wait_for(r"^\[1/\d+\] ")  # the cache exists and workers are mid-brief
    assert list(out.glob(".batch-*/inputs.pkl")), "the cache lives under --out while the batch runs"
    assert list(folder.kernel_area(batch.proc.pid, temp).glob("kernel-*.json")), "the kernels' files live in the batch's kernels' folder"
    family = batch.descendants()
    assert len(family) >= 4  # fork server, two workers, their kernels
    os.kill(batch.proc.pid, signum)
    code = batch.finish(120)
    assert code == (-signal.SIGKILL if signum == signal.SIGKILL else 128 + signal.SIGTERM)
    assert not gone(family), "a worker or kernel outlived the batch"
    deadline = time.monotonic() + 30
    while list(out.glob(".batch-*")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not list(out.glob(".batch-*")), "the cache outlived the batch"
    assert kernel_files(temp) == [], "a kernel's connection file outlived the batch"
    assert list(temp.glob("weasyprint-*")) == [], "a worker's copy of the fonts outlived the batch"
    year = out / str(YEAR)
    assert not [p for p in year.rglob(".*") if p.name not in (folder.LOCK_NAME,)], "temporary files left"
    if signum == signal.SIGTERM:
        assert any("stopped by SIGTERM" in line for line in batch.lines)
        index = (year / "index.html").read_text(encoding="utf-8")
        built = sorted(p.stem for p in (year / "manifests").glob("*.json"))
        assert built, "the brief finished before SIGTERM is complete"
        for slug in built:
            assert f'href="{slug}.html"' in index and (year / f"{slug}.pdf").is_file()


@pytest.fixture(scope="module")
def held_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Batch, Batch, int]:
    """Every bundled brief in HTML (``--jobs 2``) into a fresh folder, and a second batch
    started on that folder while the first holds it (stopped, so it holds it as long as the
    second needs): the folder, both batches and the second's exit code. The second-batch test
    checks the two; the rebuild test rebuilds a copy of the folder, which then holds every brief.
    """
    out = tmp_path_factory.mktemp("held") / "reports"
    first = Batch(out, "--formats", "html", "--jobs", "2")
    try:
        first.wait_for(r"^building ")
        os.kill(first.proc.pid, signal.SIGSTOP)  # the first batch holds the folder as long as the second needs
        try:
            second = Batch(out, "--district", "Pác Nặm", "--formats", "html", "--jobs", "1", temp=out.parent / "second-temp")
            refused = second.finish(300)
        finally:
            os.kill(first.proc.pid, signal.SIGCONT)
        first.finish(600)
    finally:
        if first.proc.poll() is None:
            first.proc.kill()
    return out, first, second, refused


def test_a_second_batch_on_the_same_folder_stops_at_once_naming_the_first(held_folder: tuple[Path, Batch, Batch, int]) -> None:
    out, first, second, refused = held_folder
    assert refused == 2
    message = "\n".join(second.lines)
    assert f"{out / str(YEAR)} is busy: another batch (pid {first.proc.pid} on host {socket.gethostname()}" in message
    assert first.proc.returncode == 0, "\n".join(first.lines)
    year = out / str(YEAR)
    index = (year / "index.html").read_text(encoding="utf-8")
    for slug in ("pac-nam", "ba-be", "ngan-son"):
        assert f'href="{slug}.html"' in index
    assert "Lỗi" not in index  # the second batch marked nothing as failed
    # The second batch left no trace: no private folder, no kernel's file, one run in the log.
    assert not list(out.glob(".batch-*"))
    assert kernel_files(out.parent / "second-temp") == [], "the refused batch's kernel left its connection file"
    assert (year / "batch.log").read_text(encoding="utf-8").count("== batch pid") == 1


def test_a_rebuild_keeps_every_complete_brief_in_the_index(held_folder: tuple[Path, Batch, Batch, int], tmp_path: Path) -> None:
    built, full, _, _ = held_folder
    assert full.proc.returncode == 0, "\n".join(full.lines)
    out = tmp_path / "reports"
    shutil.copytree(built, out)  # the shared folder stays as its batches left it
    year = out / str(YEAR)
    before = (year / "index.html").read_text(encoding="utf-8")
    slugs = re.findall(r'<th><a href="([a-z-]+)\.html">', before)
    assert len(slugs) == len(list((year / "manifests").glob("*.json"))) > 2
    untouched = {slug: (year / f"{slug}.html").read_bytes() for slug in slugs}
    (year / "cho-moi.pdf").write_bytes(b"%PDF stale, from another run")

    again = Batch(out, "--district", "Pác Nặm", "Chợ Mới", "--formats", "html", "--jobs", "1")
    assert again.finish(300) == 0, "\n".join(again.lines)
    after = (year / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<th><a href="([a-z-]+)\.html">', after) == slugs  # every brief, in the same order
    assert after == before  # same data, same figures: the very same page
    assert not (year / "cho-moi.pdf").exists(), "a PDF from another run beside the new HTML"
    for slug, page in untouched.items():
        assert (year / f"{slug}.html").read_bytes() == page
        record = json.loads((year / "manifests" / f"{slug}.json").read_text(encoding="utf-8"))
        assert [name for name in record["files"] if not name.endswith(".xlsx")] == [f"{slug}.html"]  # and its Excel tables


def test_a_brief_whose_files_do_not_match_its_manifest_is_not_listed(tmp_path: Path) -> None:
    from analysis.briefs.batch import manifest

    year = tmp_path / str(YEAR)
    year.mkdir()
    files = manifest.publish(year, "ba-be", {"html": "<p>new</p>", "pdf": b"%PDF-1.7 new"})
    manifest.write_manifest(year, "ba-be", {"slug": "ba-be", "files": files, "row": {}})
    assert list(manifest.complete_briefs(year)) == ["ba-be"]
    (year / "ba-be.pdf").write_bytes(b"%PDF-1.7 from an interrupted run")
    assert manifest.complete_briefs(year) == {}


def test_private_folders_of_dead_batches_are_swept(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    stale = folder.work_area(tmp_path, int(dead.stdout))
    mine = folder.work_area(tmp_path)
    elsewhere = tmp_path / f"{folder.WORK_PREFIX}{dead.stdout.strip()}@another-host"
    for path in (stale, mine, elsewhere):
        (path / "inputs.pkl").parent.mkdir(parents=True)
        (path / "inputs.pkl").write_bytes(b"aggregates")
    assert not lifeline.process_alive(int(dead.stdout))
    assert folder.sweep_work_areas(tmp_path) == [stale]
    assert mine.exists() and elsewhere.exists()


def test_a_batch_killed_with_its_workers_leaves_an_owner_record_the_next_one_recognises(tmp_path: Path, temp: Path) -> None:
    """SIGKILL to the whole family (the OOM killer, ``kill -9 -PGID``): no worker is left to
    remove the holder's record. The lock goes with the processes; the next batch takes the
    folder, knows the record for a dead batch's, and never names it as the folder's holder."""
    out = tmp_path / "reports"
    batch = Batch(out, "--district", "Pác Nặm", "--formats", "html", "--jobs", "1", temp=temp)
    batch.wait_for(r"^building ")  # the folder is taken
    family = batch.descendants()
    for proc in family:  # the workers first: none may run its last rites
        with contextlib.suppress(psutil.Error):
            proc.kill()
    os.kill(batch.proc.pid, signal.SIGKILL)
    assert batch.finish(120) == -signal.SIGKILL
    assert not gone(family)
    # Its kernel's connection file stays, in the batch's kernels' folder: the next batch on
    # this machine sweeps it (its process is gone), as it sweeps the private folders.
    kernels = folder.kernel_area(batch.proc.pid, temp)
    assert kernels.is_dir() and not list(temp.glob("tmp*.json")), "the kernels' files are in the batch's kernels' folder"
    assert folder.sweep_kernel_areas(temp) == [kernels] and kernel_files(temp, timeout=0) == []
    year = out / str(YEAR)
    owner = year / folder.OWNER_NAME
    left = folder.read_owner(owner)
    assert left is not None and left["pid"] == batch.proc.pid, "the killed batch's record is left"
    assert folder.describe_owner(owner) == "another batch (starting up)"  # a dead batch is not named as the holder
    assert not folder.remove_owner(year, batch.proc.pid + 1)  # a worker of another batch leaves it alone

    lock = folder.FolderLock(year).acquire()  # what the next batch does first
    try:
        assert lock.stale is not None and lock.stale["pid"] == batch.proc.pid
        now = folder.read_owner(owner)
        assert now is not None and now["pid"] == os.getpid() and now["host"] == folder.host()
        assert str(os.getpid()) in folder.describe_owner(owner)
    finally:
        lock.release()
    assert not owner.exists()
    assert folder.remove_owner(year, 1) is False
