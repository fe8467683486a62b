"""A national review briefed one province at a time into one ``--out``: each province's briefs,
index and workbook in a folder of its own (``<out>/<year>/<province-slug>/``), so same-named
communes of two provinces never overwrite each other and no index mixes provinces."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.paths import PROJECT_DIR

EPOCH = "1735689600"
#: A commune name two provinces of the new division share (``xa-le-loi`` in both).
SHARED = "Lê Lợi"
PROVINCES = {"Lai Châu": "lai-chau", "Hưng Yên": "hung-yen"}


def cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONPATH=str(PROJECT_DIR))
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small SYNTHETIC national set (about 54,000 households, 34 provinces)."""
    out = tmp_path_factory.mktemp("national") / "set"
    done = cli("synth", "--scale", "0.002", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_two_provinces_into_one_out_stay_apart(national: Path, tmp_path: Path) -> None:
    """Lai Châu by the process pool, Hưng Yên by a local Dask cluster, into the same ``--out``."""
    out = tmp_path / "reports"
    ways = {"Lai Châu": ("--jobs", "2"), "Hưng Yên": ("--scheduler", "local:1")}
    for province, way in ways.items():
        done = cli("reports", "--data", str(national), "--province", province, "--commune", SHARED, "--formats", "html", "--out", str(out), *way)
        assert done.returncode == 0, done.stderr[-3000:]
    year = out / "2025"
    assert not list(year.glob("*.html")) and not list(year.glob("*.xlsx"))  # nothing of a province's in the shared year folder
    pages = {}
    for province, slug in PROVINCES.items():
        folder = year / slug
        other = next(p for p in PROVINCES if p != province)
        assert sorted(p.name for p in folder.glob("*.html")) == ["index.html", f"tinh-{slug}.html", "xa-le-loi.html"]
        assert sorted(p.name for p in folder.glob("*.xlsx")) == ["bang-tong-hop-2025.xlsx", f"tinh-{slug}.xlsx", "xa-le-loi.xlsx"]
        assert sorted(p.name for p in (folder / "manifests").glob("*.json")) == [f"tinh-{slug}.json", "xa-le-loi.json"]
        brief = (folder / "xa-le-loi.html").read_text(encoding="utf-8")
        assert province in brief and other not in brief
        index = (folder / "index.html").read_text(encoding="utf-8")
        assert sorted(set(re.findall(r'href="([^"#]+\.html)"', index))) == [f"tinh-{slug}.html", "xa-le-loi.html"]
        assert province in index and other not in index
        pages[province] = brief
    assert pages["Lai Châu"] != pages["Hưng Yên"]
    workbooks = [(year / slug / "bang-tong-hop-2025.xlsx").read_bytes() for slug in PROVINCES.values()]
    assert workbooks[0] != workbooks[1]


#: Five provinces of the set, listed in official code order (12, 33, 40, 66, 91): Nghệ An holds
#: the most households, Đắk Lắk sorts last by code point.
CODE_ORDER = ["Lai Châu", "Hưng Yên", "Nghệ An", "Đắk Lắk", "An Giang"]


@pytest.fixture(scope="module")
def five(national: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Five provinces of the national set: a folder partitioned by province (the lean path and the
    columnar engine) and one Parquet file (the pandas path reads a file)."""
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path_factory.mktemp("five")
    parts = []
    for part in sorted(national.glob("province_code=*")):
        table = pq.read_table(next(part.glob("*.parquet")))
        if table["province"][0].as_py() in CODE_ORDER:
            shutil.copytree(part, folder / "set" / part.name)
            parts.append(table)
    assert len(parts) == len(CODE_ORDER)
    pq.write_table(pa.concat_tables(parts), folder / "five.parquet")
    return folder / "set", folder / "five.parquet"


def _units(text: str) -> list[str]:
    import csv
    import io

    return [row["unit"] for row in csv.DictReader(io.StringIO(text))]


def test_summary_by_province_in_code_order_on_every_path(five: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    from analysis.cli import build_parser, main
    from analysis.measures.columnar.engine import ColumnarReview
    from analysis.measures.columnar.lean import lean_summary

    folder, file = five
    args = build_parser().parse_args(["summary", "--data", str(folder), "--by", "province", "--format", "csv"])
    assert lean_summary(args) == 0  # the lean path answers this one
    assert _units(capsys.readouterr().out) == CODE_ORDER
    assert ColumnarReview(folder).poverty_rates("province")["unit"].tolist() == CODE_ORDER
    assert ColumnarReview(file).poverty_rates("province")["unit"].tolist() == CODE_ORDER
    assert main(["summary", "--data", str(file), "--by", "province", "--format", "csv", "--engine", "pandas"]) == 0
    assert _units(capsys.readouterr().out) == CODE_ORDER
