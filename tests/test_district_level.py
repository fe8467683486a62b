"""``--by district`` where the data have no districts (from the end-2025 review) is a usage
error that points to former_district, not one unnamed row, in both engines and every command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import records

from analysis.review import columns as c

NEW = {c.YEAR: 2025, c.PROVINCE: "Thái Nguyên", c.DISTRICT: "", c.COMMUNE: "Đức Xuân", c.FORMER_COMMUNE: "Đức Xuân"}
OLD = {c.YEAR: 2024, c.FORMER_COMMUNE: ""}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("districts")
    new_only = records(NEW, {**NEW, c.HOUSEHOLD_ID: "H2"})
    mixed = records(OLD, {**OLD, c.HOUSEHOLD_ID: "H2"}, NEW, {**NEW, c.HOUSEHOLD_ID: "H2"})
    out = {"new": folder / "new.parquet", "mixed": folder / "mixed.parquet"}
    new_only.to_parquet(out["new"], index=False)
    mixed.to_parquet(out["mixed"], index=False)
    return out


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, check=False)


def error_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in done.stderr.splitlines() if not line.startswith("note:")]
    assert done.returncode == 2 and len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


@pytest.mark.parametrize("engine", ["pandas", "columnar"])
@pytest.mark.parametrize("command", ["summary", "profile", "mpi"])
def test_new_division_file_by_district(files: dict[str, Path], engine: str, command: str) -> None:
    line = error_line(run(command, "--data", str(files["new"]), "--by", "district", "--engine", engine))
    assert "there are no districts in the 2025 review: the district level does not exist from the end-2025 review" in line
    assert "--by former_district" in line and "the data have districts" not in line


@pytest.mark.parametrize("engine", ["pandas", "columnar"])
@pytest.mark.parametrize("command", ["summary", "flows"])
def test_mixed_file_says_which_years_have_districts(files: dict[str, Path], engine: str, command: str) -> None:
    line = error_line(run(command, "--data", str(files["mixed"]), "--by", "district", "--engine", engine))
    assert "no districts in the 2025 review" in line and line.endswith("the data have districts for 2024 (choose one with --year)")
    done = run("summary", "--data", str(files["mixed"]), "--by", "district", "--year", "2024", "--format", "csv", "--engine", engine)
    assert done.returncode == 0 and done.stdout.splitlines()[1].startswith("Pác Nặm,2,"), done.stderr


def test_columnar_reads_a_file_with_former_commune(files: dict[str, Path]) -> None:
    """The columnar engine once failed on any file holding former_commune (the bundled 2025 file)."""
    done = run("summary", "--data", str(files["new"]), "--by", "commune", "--format", "csv", "--engine", "columnar")
    assert done.returncode == 0 and done.stdout.splitlines()[1].startswith("Đức Xuân,,2,"), done.stderr
