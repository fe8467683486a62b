"""A one-year review on the new division with no districts and no earlier year (two communes
of a synthetic national set): the batch builds every brief, leaving out what such data cannot
show (districts ranked, mapped or judged; a trend whose only year is hidden) instead of failing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from analysis.paths import PROJECT_DIR
from analysis.review import columns as c

EPOCH = "1735689600"
#: Bình Lư: its one year's rate is hidden (a count under the threshold), so no trend is drawn;
#: Bản Bo: its rate is shown.
COMMUNES = ("Bình Lư", "Bản Bo")


def cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONPATH=str(PROJECT_DIR))
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600)


def test_one_year_without_districts_builds_every_brief(tmp_path: Path) -> None:
    done = cli("synth", "--scale", "0.002", "--out", str(tmp_path / "nat"))
    assert done.returncode == 0, done.stderr
    frame = pq.read_table(next((tmp_path / "nat" / "province_code=12").glob("*.parquet"))).to_pandas()
    frame = frame[frame[c.COMMUNE].isin(COMMUNES)]
    assert set(frame[c.COMMUNE]) == set(COMMUNES) and set(frame[c.YEAR]) == {2025} and set(frame[c.DISTRICT]) == {""}
    data = tmp_path / "lai-chau.parquet"
    frame.to_parquet(data, index=False)
    done = cli("reports", "--data", str(data), "--formats", "html", "--jobs", "2", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stdout + done.stderr
    folder = tmp_path / "out" / "2025"
    briefs = ["tinh-lai-chau.html", "xa-ban-bo.html", "xa-binh-lu.html"]
    assert sorted(p.name for p in folder.glob("*.html")) == sorted(["index.html", *briefs])
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert sorted(set(re.findall(r'href="([a-z-]+\.html)"', index))) == briefs
    overview = (folder / "tinh-lai-chau.html").read_text(encoding="utf-8")
    # No district sections, and no other province's published rates (Bắc Kạn's) in its trend.
    assert 'id="ranking"' not in overview and 'id="map"' not in overview and 'id="verdicts"' not in overview
    assert "backan" not in overview and "19,93" not in overview
    assert 'id="trend"' not in (folder / "xa-binh-lu.html").read_text(encoding="utf-8")
    assert 'id="trend"' in (folder / "xa-ban-bo.html").read_text(encoding="utf-8")
