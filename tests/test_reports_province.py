"""``reports --province``: a review of several provinces (a national set) is briefed one
province at a time, as ``tables`` and ``summary`` take one; without it the batch stops with
a usage error before anything is written."""

from __future__ import annotations

import csv
import html
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis import words
from analysis.cli import main
from analysis.measures.columnar.choice import load_review
from analysis.paths import BUNDLED_2025, BUNDLED_ALL, PROJECT_DIR
from analysis.review import columns as c

EPOCH = "1735689600"


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled end-2025 review (Thái Nguyên) and ten households of Hà Nội in one file."""
    frame = pq.read_table(BUNDLED_2025).to_pandas()
    other = frame.head(10).copy()
    other[c.HOUSEHOLD_ID] = [f"HN-{i}" for i in range(len(other))]
    other[c.PROVINCE], other[c.COMMUNE], other[c.FORMER_COMMUNE] = "Hà Nội", "Hoàn Kiếm", ""
    path = tmp_path_factory.mktemp("two") / "two.parquet"
    pq.write_table(pa.Table.from_pandas(pd.concat([frame, other], ignore_index=True), preserve_index=False), path)
    return path


def cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONPATH=str(PROJECT_DIR))
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600)


def test_several_provinces_need_one(two: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["reports", "--data", str(two), "--formats", "html", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("error: the data hold 2 provinces and the briefs are one province's: choose one with --province (such as 'Hà Nội')")
    assert "\n" not in err and not out.exists()
    assert main(["reports", "--data", str(two), "--province", "Thái Ngyên", "--out", str(out)]) == 2
    assert capsys.readouterr().err.strip().endswith("error: unknown province 'Thái Ngyên' (did you mean 'Thái Nguyên'?)")
    assert not out.exists()


def test_one_province_data_need_no_choice() -> None:
    """The bundled data (Bắc Kạn to 2024, Thái Nguyên from 2025): one province a year, as before."""
    frame = load_review([str(p) for p in BUNDLED_ALL], standard="decree-07-2021", one_province="the briefs")
    assert set(frame[c.PROVINCE]) == {"Bắc Kạn", "Thái Nguyên"}


@pytest.mark.parametrize("engine", ["pandas", "columnar"])
def test_province_reads_its_households_only(two: Path, engine: str) -> None:
    frame = load_review(two, standard="decree-07-2021", engine=engine, province="thái nguyên", one_province="the briefs")
    assert set(frame[c.PROVINCE]) == {"Thái Nguyên"} and len(frame) == pq.read_metadata(BUNDLED_2025).num_rows


def test_reports_of_one_province_equal_its_summary(two: Path, tmp_path: Path) -> None:
    done = cli("reports", "--data", str(two), "--province", "Thái Nguyên", "--commune", "Bằng Thành", "--formats", "html",
               "--jobs", "1", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "2025" / "thai-nguyen"  # a province of a review of several: its own folder
    assert sorted(p.name for p in folder.glob("*.html")) == ["bac-kan-cu-thai-nguyen.html", "index.html", "xa-bang-thanh.html"]
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "Hà Nội" not in page and "Hoàn Kiếm" not in page
    shown = {}
    for name, cells in re.findall(r"<tr>\s*<th[^>]*><a href=\"[^\"]+\">([^<]+)</a></th>(.*?)</tr>", page, re.S):
        shown[name] = [html.unescape(re.sub(r"<[^>]+>", "", td)).strip() for td in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)][:3]

    def summary(*by: str) -> dict[str, dict[str, str]]:
        text = cli("summary", "--data", str(two), "--province", "Thái Nguyên", "--format", "csv", *by).stdout
        return {r["unit"]: r for r in csv.DictReader(io.StringIO(text))}

    def figures(r: dict[str, str]) -> list[str]:
        return [words.fmt_int(int(r["households"]), "vi"), words.fmt_int(int(r["poor"]), "vi"), words.fmt_num(float(r["poor_rate"]), "vi")]

    province = summary("--by", "province")["Thái Nguyên"]
    # the data hold only the former Bắc Kạn's 37 communes of Thái Nguyên: the overview says so
    assert shown["Khu vực tỉnh Bắc Kạn cũ (nay thuộc tỉnh Thái Nguyên)"] == figures(province)
    assert int(province["households"]) == pq.read_metadata(BUNDLED_2025).num_rows  # no household of Hà Nội
    assert shown["Xã Bằng Thành"] == figures(summary("--by", "commune")["Bằng Thành"])
