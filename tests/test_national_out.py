"""A national review briefed one province at a time into one ``--out``: each province's briefs,
index and workbook in a folder of its own (``<out>/<year>/<province-slug>/``), so same-named
communes of two provinces never overwrite each other and no index mixes provinces."""

from __future__ import annotations

import json
import os
import re
import shutil
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


@pytest.fixture(scope="module")
def two_built(national: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Lai Châu by the process pool, Hưng Yên by a local Dask cluster, into the same ``--out``."""
    out = tmp_path_factory.mktemp("two") / "reports"
    ways = {"Lai Châu": ("--jobs", "2"), "Hưng Yên": ("--scheduler", "local:1")}
    for province, way in ways.items():
        done = cli("reports", "--data", str(national), "--province", province, "--commune", SHARED, "--formats", "html", "--out", str(out), *way)
        assert done.returncode == 0, done.stderr[-3000:]
    return out


def test_two_provinces_into_one_out_stay_apart(two_built: Path) -> None:
    year = two_built / "2025"
    assert not list(year.glob("*.html")) and not list(year.glob("*.xlsx"))  # nothing of a province's in the shared year folder
    pages = {}
    for province, slug in PROVINCES.items():
        folder = year / slug
        other = next(p for p in PROVINCES if p != province)
        assert sorted(p.name for p in folder.glob("*.html")) == ["index.html", f"tinh-{slug}.html", "xa-le-loi.html"]
        assert sorted(p.name for p in folder.glob("*.xlsx")) == ["bang-tong-hop-2025.xlsx", f"tinh-{slug}.xlsx", "xa-le-loi.xlsx"]
        assert sorted(p.name for p in (folder / "manifests").glob("*.json")) == [f"tinh-{slug}.json", "xa-le-loi.json"]
        for manifest in (folder / "manifests").glob("*.json"):  # each brief says whose it is
            assert json.loads(manifest.read_text(encoding="utf-8"))["province"] == province
        brief = (folder / "xa-le-loi.html").read_text(encoding="utf-8")
        assert province in brief and other not in brief
        index = (folder / "index.html").read_text(encoding="utf-8")
        assert sorted(set(re.findall(r'href="([^"#]+\.html)"', index))) == [f"tinh-{slug}.html", "xa-le-loi.html"]
        assert province in index and other not in index
        pages[province] = brief
    assert pages["Lai Châu"] != pages["Hưng Yên"]
    workbooks = [(year / slug / "bang-tong-hop-2025.xlsx").read_bytes() for slug in PROVINCES.values()]
    assert workbooks[0] != workbooks[1]


def test_tables_of_a_province_go_to_its_own_folder(national: Path, tmp_path: Path) -> None:
    """``tables --province`` writes where ``reports --province`` does, whatever the spelling."""
    from analysis.cli import main

    for spelling in ("Lai Châu", "LAI CHÂU"):
        assert main(["tables", "--data", str(national), "--province", spelling, "--out", str(tmp_path)]) == 0
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == ["2025/lai-chau/.tables.owner", "2025/lai-chau/bang-tong-hop-2025.xlsx"]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".batch.lock"}


def test_a_year_folder_of_another_province_is_refused(national: Path, two_built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two single-province reviews without ``--province`` both go to ``OUT/<year>/``: the second
    (briefs by the process pool or by Dask, or its tables) stops before writing anything, naming
    the folder, the province there and the ways out."""
    from analysis.cli import main

    out = tmp_path / "out"
    shutil.copytree(two_built / "2025" / "lai-chau", out / "2025")  # Lai Châu's briefs, as a review of Lai Châu alone leaves them
    hung_yen = tmp_path / "hung-yen.parquet"  # a review of Hưng Yên alone
    shutil.copy(next((national / "province_code=33").glob("*.parquet")), hung_yen)
    before = _snapshot(out)
    said = (f"error: {out / '2025'} holds briefs of Lai Châu (2 briefs), and these data are Hưng Yên's: write its {{}} into a folder of its own "
            f"with --province 'Hưng Yên' ({out / '2025' / 'hung-yen'}/) or choose another --out")
    for command in (["reports", "--commune", SHARED, "--formats", "html", "--jobs", "1"], ["tables"]):
        assert main([*command, "--data", str(hung_yen), "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip()  # one line, after the data's notes
        assert err.splitlines()[-1].endswith(said.format("briefs" if command[0] == "reports" else "tables")) and "Traceback" not in err
    done = cli("reports", "--data", str(hung_yen), "--commune", SHARED, "--formats", "html", "--out", str(out), "--scheduler", "local:1")
    assert done.returncode == 2 and done.stderr.strip().splitlines()[-1].endswith(said.format("briefs")), done.stderr[-3000:]
    assert _snapshot(out) == before and sorted(p.name for p in out.iterdir()) == ["2025"]  # nothing written, not even a work area
    # Lai Châu's own review into its folder is no other province's: it goes ahead (its tables here).
    assert main(["tables", "--data", str(national), "--province", "Lai Châu", "--out", str(tmp_path / "again")]) == 0


def test_tables_never_replace_another_provinces_tables(national: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two single-province reviews tabled without ``--province`` both go to ``OUT/<year>/``: the
    second province's workbook does not replace the first's (no briefs there, only the
    tables' record says whose they are); the same province's is replaced as before."""
    from analysis.cli import main

    out = tmp_path / "out"
    reviews = {}
    for province, code in (("Lai Châu", "12"), ("Hưng Yên", "33")):  # a review of each province alone
        reviews[province] = tmp_path / f"{code}.parquet"
        shutil.copy(next((national / f"province_code={code}").glob("*.parquet")), reviews[province])
    assert main(["tables", "--data", str(reviews["Lai Châu"]), "--out", str(out)]) == 0
    capsys.readouterr()
    workbook = out / "2025" / "bang-tong-hop-2025.xlsx"
    before = _snapshot(out)
    for fmt in ("xlsx", "csv"):
        assert main(["tables", "--data", str(reviews["Hưng Yên"]), "--out", str(out), "--format", fmt]) == 2
        err = capsys.readouterr().err.strip()
        assert err.splitlines()[-1] == (f"python -m analysis tables: error: {out / '2025'} holds the summary tables of Lai Châu, and these data are Hưng Yên's: "
                                        f"write its tables into a folder of its own with --province 'Hưng Yên' ({out / '2025' / 'hung-yen'}/) or choose another --out")
        assert "Traceback" not in err
    assert _snapshot(out) == before  # Lai Châu's workbook as it was, nothing of Hưng Yên's beside it
    assert json.loads((out / "2025" / ".tables.owner").read_text(encoding="utf-8")) == {"province": "Lai Châu", "files": [workbook.name]}
    # Lai Châu's own tables again: replaced as before (its CSV files join the record).
    workbook.write_bytes(b"stale")
    assert main(["tables", "--data", str(reviews["Lai Châu"]), "--out", str(out)]) == 0
    assert workbook.read_bytes() == before["2025/bang-tong-hop-2025.xlsx"]
    assert main(["tables", "--data", str(reviews["Lai Châu"]), "--out", str(out), "--format", "csv"]) == 0
    record = json.loads((out / "2025" / ".tables.owner").read_text(encoding="utf-8"))
    assert record["province"] == "Lai Châu" and workbook.name in record["files"] and len(record["files"]) == 9
    # Tables removed by hand leave a record that holds nothing: Hưng Yên's may go there now.
    for path in (out / "2025").glob("bang-tong-hop-*"):
        path.unlink()
    assert main(["tables", "--data", str(reviews["Hưng Yên"]), "--out", str(out)]) == 0
    assert json.loads((out / "2025" / ".tables.owner").read_text(encoding="utf-8"))["province"] == "Hưng Yên"


def test_manifests_without_a_province_still_count(two_built: Path, tmp_path: Path) -> None:
    """A folder written before manifests named their province: its briefs are still complete
    and listed, and refuse no batch (their province is not known)."""
    from analysis.briefs.batch.folder import check_province
    from analysis.briefs.batch.manifest import complete_briefs

    folder = tmp_path / "2025"
    shutil.copytree(two_built / "2025" / "lai-chau", folder)
    for manifest in (folder / "manifests").glob("*.json"):
        record = json.loads(manifest.read_text(encoding="utf-8"))
        del record["province"]
        manifest.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert sorted(complete_briefs(folder)) == ["tinh-lai-chau", "xa-le-loi"]
    check_province(folder, "Hưng Yên", out=tmp_path, year=2025)


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
