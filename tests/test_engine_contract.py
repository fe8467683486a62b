"""The papermill / nbclient / nbconvert internals the batch subclasses or mirrors, fingerprinted.

analysis/briefs/batch/engine.py subclasses papermill's ``PapermillNotebookClient`` and
``NBClientEngine`` and overrides nbclient's ``async_start_new_kernel_client``;
analysis/briefs/render/exporter.py mirrors ``HTMLExporter.from_notebook_node``. An upgrade
that changes any of them fails here, loudly, naming what to re-read, before a batch quietly
runs notebooks differently. When it fails: read the new source, adapt the batch's code, then
update the fingerprint below.
"""

from __future__ import annotations

import hashlib
import inspect
from pathlib import Path

import nbformat
import pytest

papermill = pytest.importorskip("papermill")

#: sha256 (first 16 hex) of each relied-upon function's source, at the versions tested.
FINGERPRINTS = {
    "papermill.clientwrap.PapermillNotebookClient.__init__": "9f19c4fcfd3bf77e",
    "papermill.engines.NBClientEngine.execute_managed_notebook": "5db3562c458aeaaa",
    "nbclient.NotebookClient.async_start_new_kernel_client": "0034f6fd2447b05f",
    "nbconvert.HTMLExporter.from_notebook_node": "3dccafff45cc4e74",
    "nbconvert.exporters.templateexporter.TemplateExporter.from_notebook_node": "d0a4e852e577c747",
}
TESTED_WITH = {"papermill": "2.7.0", "nbclient": "0.11.0", "nbconvert": "7.17.2"}
WHO_USES = {
    "papermill": "analysis/briefs/batch/engine.py (WarmClient, WarmEngine)",
    "nbclient": "analysis/briefs/batch/engine.py (async_start_new_kernel_client)",
    "nbconvert": "analysis/briefs/render/exporter.py (BriefExporter.from_notebook_node)",
}


def _resolve(dotted: str) -> object:
    import importlib

    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(dotted)


@pytest.mark.parametrize("dotted", sorted(FINGERPRINTS))
def test_relied_upon_internals_are_unchanged(dotted: str) -> None:
    try:
        source = inspect.getsource(_resolve(dotted))  # type: ignore[arg-type]
    except (ImportError, AttributeError) as err:
        pytest.fail(f"{dotted} is gone ({err}); the batch relies on it: see {WHO_USES[dotted.split('.')[0]]}")
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    package = dotted.split(".")[0]
    assert digest == FINGERPRINTS[dotted], (
        f"{dotted} changed (tested with {package} {TESTED_WITH[package]}): re-read it against {WHO_USES[package]}, "
        "adapt the code, then update FINGERPRINTS in this test"
    )


def test_the_signatures_the_batch_calls_with() -> None:
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.utils import merge_kwargs, remove_args

    execute = inspect.signature(papermill.execute_notebook).parameters
    for name in ("engine_name", "kernel_name", "progress_bar", "request_save_on_cell_execute", "cwd", "engine_kwargs"):
        assert name in execute, name
    assert list(inspect.signature(PapermillNotebookClient.__init__).parameters)[:3] == ["self", "nb_man", "km"]
    assert merge_kwargs({"a": 1}, b=2) == {"a": 1, "b": 2} and remove_args(["x"], x=1, y=2) == {"y": 2}


def test_the_warm_engine_runs_a_notebook_on_a_warm_kernel(tmp_path: Path) -> None:
    """The engine end to end: a notebook executed through the worker's already-connected client."""
    from analysis.briefs.batch.engine import ENGINE_NAME, register_engine
    from analysis.briefs.batch.kernel import WarmKernel

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 6 * 7\nprint(x)")]
    source, out = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    nbformat.write(nb, source)
    register_engine()
    kernel = WarmKernel("python3").ready()
    try:
        done = papermill.execute_notebook(str(source), str(out), engine_name=ENGINE_NAME, kernel_name="python3",
                                          km=kernel.km, warm_kc=kernel.notebook_client, progress_bar=False)
        assert done.cells[0].outputs[0]["text"].strip() == "42"
        assert kernel.alive()  # nbclient kept the kernel it does not own
    finally:
        kernel.shutdown()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads a process's open files from /proc (Linux)")
def test_a_kernel_holds_no_pipe_of_the_batchs_output() -> None:
    """A kernel that hung while exiting (a Dask worker's, its worker gone) kept the batch's
    stdout open, so whoever read the batch's output (``subprocess.run(..., capture_output=True)``)
    waited for ever after the batch had exited. Its stdout is /dev/null, its stderr the batch's log pipe."""
    import os

    from analysis.briefs.batch.kernel import WarmKernel

    kernel = WarmKernel("python3", on_stderr=lambda line: None)
    try:
        assert kernel.pid is not None
        assert os.readlink(f"/proc/{kernel.pid}/fd/1") == os.devnull
        assert os.readlink(f"/proc/{kernel.pid}/fd/2") != os.readlink("/proc/self/fd/2")
    finally:
        kernel.shutdown()


def test_a_killed_kernel_or_one_that_failed_to_start_leaves_no_connection_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A connection file holds the key that signs a kernel's messages. jupyter_client removes
    it on a clean shutdown only: a kernel the batch kills (a worker's last rites), and one
    whose start failed after the file was written (the launch itself), have it removed here."""
    import json
    import tempfile

    from analysis.briefs.batch.kernel import KernelStartError, WarmKernel, start_kernel

    kernel = WarmKernel("python3", runtime_dir=tmp_path)  # the batch's kernels' folder
    try:
        connection = Path(kernel.km.connection_file)
        assert connection.parent == tmp_path and connection.is_file()
        kernel.kill()
        assert not connection.exists()
    finally:
        kernel.shutdown()  # reaps the killed process
    spec = tmp_path / "jupyter" / "kernels" / "broken" / "kernel.json"
    spec.parent.mkdir(parents=True)
    spec.write_text(json.dumps({"argv": [str(tmp_path / "no-such-python"), "-f", "{connection_file}"], "display_name": "broken", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(spec.parents[2]))
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # jupyter_client's default place
    with pytest.raises(KernelStartError, match="no-such-python"):
        start_kernel("broken", backoff=(0.0,))
    assert list(temp.iterdir()) == []
