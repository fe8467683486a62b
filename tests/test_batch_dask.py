"""The batch on a Dask cluster: the same briefs, byte for byte, and a worker killed mid-run.

A local batch (the session's, shared with test_batch.py) and a ``--scheduler local:2`` batch
build the bundled briefs (HTML and PDF); a third run goes to a ``LocalCluster`` of two worker
processes started here, with ``--collect``, and one of its workers is killed once the first
brief is done. Each worker's warm kernel lives as long as its worker, no longer: the first
Dask batch's kernels are watched, and the third's are kept between batches until the cluster
here closes.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from batch_runs import Batch, gone, kernels_of

from analysis.briefs.batch import folder
from analysis.briefs.batch.manifest import complete_briefs
from analysis.briefs.batch.worker_plugin import WarmKernelPlugin

YEAR = 2024
DISTRICTS = ("Pác Nặm", "Ba Bể", "Ngân Sơn", "Chợ Mới")
SLUGS = ("pac-nam", "ba-be", "ngan-son", "cho-moi")


def built_files(year: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(year.iterdir()) if p.suffix in (".html", ".pdf")}


@pytest.fixture(scope="module")
def local_run(bundled_batch: tuple[subprocess.CompletedProcess, Path]) -> Path:
    """The bundled briefs by the process pool (``--jobs 2``): the session's batch, which
    test_batch.py checks (batch_runs.bundled_batch)."""
    done, year = bundled_batch
    assert done.returncode == 0, done.stderr
    return year


@pytest.fixture(scope="module")
def dask_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], list[tuple[psutil.Process, str]]]:
    """The bundled briefs on ``--scheduler local:2``: the year folder, the log lines and the
    kernels its workers started (each with its connection file)."""
    out = tmp_path_factory.mktemp("dask")
    batch = Batch(out, "--formats", "html,pdf", "--scheduler", "local:2")
    batch.watch_kernels()
    assert batch.finish(900) == 0, "\n".join(batch.lines)
    return out / str(YEAR), batch.lines, list(batch.kernels.values())


def test_a_dask_batch_builds_the_same_briefs_byte_for_byte(local_run: Path, dask_run: tuple[Path, list[str], list]) -> None:
    year, _, _ = dask_run
    local, remote = built_files(local_run), built_files(year)
    assert len(local) >= 2 * 3 and "index.html" in local
    assert sorted(remote) == sorted(local)
    for name, data in local.items():
        assert remote[name] == data, name
    assert sorted(complete_briefs(year)) == sorted(complete_briefs(local_run))


def test_a_dask_batch_reports_each_brief_as_it_finishes(dask_run: tuple[Path, list[str], list]) -> None:
    year, lines, _ = dask_run
    slugs = sorted(complete_briefs(year))
    assert any(re.match(r"building \d+ brief\(s\) for 2024 with 2 worker\(s\) of a local Dask cluster", line) for line in lines)
    done = [m.group(1) for line in lines if (m := re.match(rf"\[\d+/{len(slugs)}\] ([a-z-]+): ", line))]
    assert sorted(done) == slugs
    assert not list(year.parent.glob(".batch-*"))


def test_a_local_cluster_leaves_no_kernel_behind(dask_run: tuple[Path, list[str], list[tuple[psutil.Process, str]]]) -> None:
    """``--scheduler local:2`` returned: every kernel its workers kept warm was shut down by
    its worker as the cluster closed (WarmKernelPlugin), its process gone and its connection
    file removed by its manager (a kernel left to end by itself, its worker gone, left that
    file in the temp folder, or hung in its exit)."""
    _, _, kernels = dask_run
    assert kernels, "no kernel of a worker seen"
    assert not gone([kernel for kernel, _ in kernels], timeout=30), "a worker's kernel outlived the batch"
    assert [name for _, name in kernels if Path(name).exists()] == [], "a kernel was not shut down by its worker"
    areas = {Path(name).parent for _, name in kernels}  # each worker's kernels' folder, emptied and removed as it closed
    assert all(area.name.startswith(folder.KERNELS_PREFIX) for area in areas) and not any(area.exists() for area in areas)


def test_killing_a_worker_mid_run_builds_every_brief_once(tmp_path: Path, local_run: Path) -> None:
    from distributed import Client, LocalCluster

    out = tmp_path / "reports"
    with LocalCluster(n_workers=2, threads_per_worker=2, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        pids = sorted(client.run(os.getpid).values())
        batch = Batch(out, "--district", *DISTRICTS, "--formats", "html,pdf", "--scheduler", cluster.scheduler_address, "--collect")
        batch.wait_for(r"^\[1/\d+\] ")
        killed = kernels_of(psutil.Process(pids[0]))
        os.kill(pids[0], signal.SIGKILL)
        assert batch.finish(900) == 0, "\n".join(batch.lines)
        # The killed worker's kernel keeps its connection file in the worker's kernels' folder,
        # which the next brief service or batch on this machine sweeps (its process is gone).
        assert killed and all(Path(name).parent == folder.kernel_area(pids[0]) for _, name in killed)
        folder.sweep_kernel_areas()
        assert not folder.kernel_area(pids[0]).exists() and not any(Path(name).exists() for _, name in killed)
        # A cluster that is not the batch's own keeps its workers' kernels warm for the next
        # batch; one goes with its worker when that is retired, the others with the cluster.
        kept = {address: kernels_of(psutil.Process(pid)) for address, pid in client.run(os.getpid).items()}
        client.register_plugin(WarmKernelPlugin())  # as the next batch does: the plugin is there already
        assert any(kept.values()) and all(kernel.is_running() for found in kept.values() for kernel, _ in found)
        retired = next(address for address, found in kept.items() if found)
        client.retire_workers([retired])
        assert not gone([kernel for kernel, _ in kept[retired]], timeout=30), "a retired worker's kernel outlived it"
    kernels = [kernel for found in kept.values() for kernel in found]
    assert not gone([kernel for kernel, _ in kernels], timeout=30), "a worker's kernel outlived its cluster"
    assert [name for _, name in kernels if Path(name).exists()] == [], "a kernel was not shut down by its worker"
    year = out / str(YEAR)
    expected = sorted(slug for slug in complete_briefs(local_run) if slug in SLUGS)
    done = [m.group(1) for line in batch.lines if (m := re.match(rf"\[\d+/{len(expected)}\] ([a-z-]+): ", line))]
    assert sorted(done) == expected  # each brief reported once
    assert sorted(complete_briefs(year)) == expected
    assert not [p for p in year.rglob(".*") if p.name != ".batch.lock"], "half-written files left"
    local = built_files(local_run)
    mine = built_files(year)
    assert sorted(name for name in mine if name != "index.html") == sorted(f"{slug}.{fmt}" for slug in expected for fmt in ("html", "pdf"))
    for name, data in mine.items():
        if name != "index.html":  # this index lists four units, the local one all of them
            assert data == local[name], name
    assert sorted(p.name for p in (year / "notebooks").glob("*.ipynb")) == [f"{slug}.ipynb" for slug in expected]


def test_scheduler_addresses_are_checked_before_any_work(tmp_path: Path) -> None:
    from analysis.cli import main

    assert main(["reports", "--scheduler", "local:0", "--out", str(tmp_path / "a")]) == 2
    assert main(["reports", "--collect", "--out", str(tmp_path / "b")]) == 2
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_killing_the_parent_of_a_local_cluster_leaves_no_process_and_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--scheduler local:N`` killed with SIGKILL mid-batch: Dask ends its nannies and workers
    (and their kernels end with them); the batch's watcher removes the workers' copies of the
    aggregates (in the Dask temporary directory), the private folder and the holder record,
    and the connection files of the kernels it saw (those of a few seconds' standing: it looks
    twice a second), which no worker could shut down."""
    scratch = tmp_path / "dask-tmp"
    monkeypatch.setenv("DASK_TEMPORARY_DIRECTORY", str(scratch))
    out = tmp_path / "reports"
    batch = Batch(out, "--district", *DISTRICTS[:3], "--formats", "html", "--scheduler", "local:2")
    batch.wait_for(r"^\[1/\d+\] ")
    assert list(scratch.rglob("briefs-*/inputs.pkl")) and list(out.glob(".batch-*")), "the caches the kill must not leave"
    family = batch.descendants()
    assert len(family) >= 4  # two nannies, two workers (and their kernels)
    kernels = [name for worker in psutil.Process(batch.proc.pid).children() for kernel, name in kernels_of(worker)
               if time.time() - kernel.create_time() >= 3]
    assert kernels, "no kernel of a worker seen"
    os.kill(batch.proc.pid, signal.SIGKILL)
    assert batch.finish(120) == -signal.SIGKILL
    assert not gone(family), "a Dask process or kernel outlived the batch"
    year = out / str(YEAR)
    leftovers: list[Path] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        leftovers = [*scratch.rglob("briefs-*"), *out.glob(".batch-*"), *year.glob(".batch.owner"), *(Path(k) for k in kernels if Path(k).exists())]
        if not leftovers:
            break
        time.sleep(0.2)
    assert leftovers == [], "the batch's caches, its holder record or its kernels' connection files outlived it"
