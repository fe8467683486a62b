"""Where analysts edit: JupyterLab from `make lab`, notebooks that fit the screen."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from analysis.paths import NOTEBOOKS_DIR, PROJECT_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_code_cells_fit_90_characters(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    long = [line for cell in nb.cells if cell.cell_type == "code" for line in cell.source.splitlines() if len(line) > 90]
    assert not long, long


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="make lab needs the project's virtual environment")
def test_make_lab_serves_the_notebooks_with_the_batch_venv_as_kernel() -> None:
    """`make lab` (as root here) starts JupyterLab from its own venv; it lists the notebooks and
    its python3 kernel is the batch venv's Python."""
    port, token = _free_port(), "lab-test-token"
    args = f"--no-browser --port={port} --ServerApp.port_retries=0 --IdentityProvider.token={token} --ServerApp.ip=127.0.0.1"
    proc = subprocess.Popen(
        ["make", "-s", "lab", f"VENV={sys.prefix}", "LAB_SETUP=", f"LAB_ARGS={args}"],
        cwd=PROJECT_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 600  # the first run installs JupyterLab into .venv-lab
        contents = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                contents = _get(f"http://127.0.0.1:{port}/api/contents/?token={token}")
                break
            except OSError:
                time.sleep(1)
        assert contents is not None, (proc.stdout.read().decode() if proc.poll() is not None and proc.stdout else "server did not start")
        names = {item["name"] for item in contents["content"]}
        assert {p.name for p in NOTEBOOKS} <= names
        specs = _get(f"http://127.0.0.1:{port}/api/kernelspecs?token={token}")
        argv = specs["kernelspecs"]["python3"]["spec"]["argv"]
        assert Path(argv[0]).parent == Path(sys.prefix) / "bin"
        lab_site = subprocess.run([str(PROJECT_DIR / ".venv-lab" / "bin" / "python"), "-c", "import jupyterlab, sys; print(sys.prefix)"],
                                  capture_output=True, text=True, check=True).stdout.strip()
        assert Path(lab_site).resolve() == (PROJECT_DIR / ".venv-lab").resolve()
        batch = subprocess.run([sys.executable, "-c", "import importlib.util as u; print(u.find_spec('jupyterlab') is None)"],
                               capture_output=True, text=True, check=True).stdout.strip()
        assert batch == "True"  # the batch venv stays without JupyterLab
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_first_cell_line_says_the_year_once_and_carries_the_notebook_styles() -> None:
    from analysis.briefs.render import brief_metadata

    bundle = brief_metadata({"title": "Tổng quan tình hình nghèo tỉnh Bắc Kạn năm 2024", "year": 2024, "lang": "vi",
                             "province": "Bắc Kạn", "unit": "Bắc Kạn"})._repr_mimebundle_()
    assert bundle["text/plain"] == "Brief: Tổng quan tình hình nghèo tỉnh Bắc Kạn năm 2024 (vi)"
    assert "2024 · 2024" not in bundle["text/html"]
    style = bundle["text/html"].split("<style>")[1].split("</style>")[0]
    style = "".join(part.split("*/")[-1] for part in style.split("/*"))  # comments out
    rules = [r.split("{")[0].strip() for r in style.split("}") if "{" in r]
    assert rules and all(s.strip().startswith(".brief-section") for r in rules for s in r.split(",")), rules


def test_section_html_looks_right_without_the_briefs_stylesheet() -> None:
    import pandas as pd

    from analysis.briefs.sections import Section

    page = Section("t", kpis=(("7.331", "Tổng số hộ"),), table=pd.DataFrame({"Xã": ["Bằng Thành"], "Tỷ lệ (%)": ["32,95"]}))._repr_html_()
    assert '<span class="kpi-value" style="display:block">7.331</span><span class="kpi-label" style="display:block">' in page
    assert '<td style="text-align:left">Bằng Thành</td><td style="text-align:right">32,95</td>' in page
    assert '<th style="text-align:left">Xã</th><th style="text-align:right">Tỷ lệ (%)</th>' in page
