"""A non-editable install works: the wheel carries the templates, fonts and catalogues, and
finds the project's data through ANALYSIS_PROJECT_DIR (or says, in one line, to set it)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The project built as a wheel and installed (no dependencies) into a folder of its own."""
    base = tmp_path_factory.mktemp("install")
    wheels, target = base / "wheels", base / "site"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "--wheel-dir", str(wheels), str(ROOT)],
        capture_output=True, text=True, cwd=base, timeout=600,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(wheels.glob("*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)], check=True, timeout=600)
    return wheel, target


def _run(target: Path, cwd: Path, *args: str, project: Path | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ANALYSIS_PROJECT_DIR")}
    env["PYTHONPATH"] = str(target)  # the installed copy, not the checkout
    if project is not None:
        env["ANALYSIS_PROJECT_DIR"] = str(project)
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def test_the_wheel_carries_package_data_and_the_console_script(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("analysis/words/vi.toml", "analysis/words/en.toml", "analysis/briefs/templates/brief/index.html.j2"):
        assert needed in names, needed
    assert any(n.startswith("analysis/briefs/fonts/") for n in names)
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "poverty-briefs = analysis.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()
    assert not any(n.startswith(("data/", "tests/")) for n in names)


def test_installed_package_runs_on_the_named_project(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, target = installed
    done = _run(target, tmp_path, "summary", "--year", "2024", project=ROOT)
    assert done.returncode == 0, done.stderr
    assert "Pác Nặm" in done.stdout
    where = subprocess.run([sys.executable, "-c", "import analysis; print(analysis.__file__)"], capture_output=True, text=True,
                           cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(target)}, timeout=60)
    assert where.stdout.strip().startswith(str(target))


def test_installed_package_without_a_project_says_how_to_name_it(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, target = installed
    done = _run(target, tmp_path, "summary", project=None)
    assert done.returncode == 2
    assert "ANALYSIS_PROJECT_DIR" in done.stderr and "Traceback" not in done.stderr
