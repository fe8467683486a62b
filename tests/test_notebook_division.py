"""``division`` in the province overview and the district brief, run with papermill: the
overview's commune ranking on the new units is ``summary --division new --by commune``."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import papermill as pm
import pytest
from test_notebooks import DISTRICT_NB, PROVINCE_NB, YEAR, execute, rows, section

from analysis import words
from analysis.paths import PROJECT_DIR


def summary_by_new_commune(year: int) -> dict[str, dict[str, str]]:
    """The ``summary`` command's figures by new commune (earlier years re-based), as a user gets them."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT_DIR))
    out = subprocess.run(
        [sys.executable, "-m", "analysis", "summary", "--division", "new", "--by", "commune", "--year", str(year), "--format", "csv"],
        capture_output=True, text=True, check=True, cwd=PROJECT_DIR, env=env,
    ).stdout
    return {r["unit"]: r for r in csv.DictReader(io.StringIO(out))}


def test_province_overview_on_the_new_division_ranks_the_new_units(tmp_path: Path) -> None:
    nb = execute(PROVINCE_NB, tmp_path / "province.ipynb", lang="en", division="new")
    shown = {r[1]: r for r in rows(section(nb, "commune-ranking"))}
    expected = summary_by_new_commune(YEAR)  # the bundled 2021–2024 panel, 2024 re-based
    assert set(shown) == set(expected) and "Bằng Thành" in shown and "Pác Nặm" not in shown
    for name, e in expected.items():
        assert shown[name][2:4] == [words.fmt_int(int(e["households"]), "en"), words.fmt_int(int(e["poor"]), "en")], name


def test_district_brief_on_the_new_division_says_what_is_possible(tmp_path: Path) -> None:
    with pytest.raises(pm.PapermillExecutionError) as failure:
        execute(DISTRICT_NB, tmp_path / "district.ipynb", district="Pác Nặm", division="new")
    assert failure.value.ename == "BriefParameterError"
    # one line in the brief's language (Vietnamese by default), naming where the new units are
    text = words.catalogue("vi").text("error_district_new")
    assert failure.value.evalue == text and "\n" not in text and 'division="new"' in text and "commune=" in text


def test_province_overview_of_2025_by_former_district_ranks_whole_communes(tmp_path: Path) -> None:
    """``division="old"`` on the end-2025 review: its new communes sit under their former
    districts, three of them straddling two; the poorest communes are whole communes (as
    ``summary --by commune`` counts them), never a straddling commune's pieces."""
    from analysis.paths import BUNDLED_2025, BUNDLED_HOUSEHOLDS

    data = [str(BUNDLED_HOUSEHOLDS), str(BUNDLED_2025)]
    nb = execute(PROVINCE_NB, tmp_path / "province.ipynb", data_path=data, year=2025, division="old")
    page = section(nb, "poorest-communes")
    shown = rows(page)
    env = dict(os.environ, PYTHONPATH=str(PROJECT_DIR))
    out = subprocess.run([sys.executable, "-m", "analysis", "summary", *[a for p in data for a in ("--data", p)], "--year", "2025",
                          "--by", "commune", "--format", "csv"], capture_output=True, text=True, check=True, cwd=PROJECT_DIR, env=env).stdout
    summary = {r["unit"]: r for r in csv.DictReader(io.StringIO(out))}
    assert len(summary) == 37
    ranked = sorted(summary.values(), key=lambda r: (-int(r["poor"]) / int(r["households"]), r["unit"]))
    assert [r[1] for r in shown] == [r["unit"] for r in ranked[:10]]
    for r in shown:
        e = summary[r[1]]
        assert r[3:5] == [words.fmt_int(int(e["households"]), "vi"), words.fmt_int(int(e["poor"]), "vi")], r
    # 37 communes ranked (not 40 pieces), each named once, with its former district(s).
    assert "Trong 37 xã, phường của khu vực" in page and "Huyện cũ" in page
    assert len({r[1] for r in shown}) == len(shown) == 10
