"""The words of the briefs of a synthetic national set are true: a hidden figure is never read
as zero (nor a share of 0 named as a common deprivation), every unit is called by its own type
(phường, đặc khu, Thành phố Hồ Chí Minh), the overview's headings fit data without districts,
the synthetic-data note says what the national set assumes, and a commune's notes are about it.

Three units of Hồ Chí Minh in ``synth --scale 0.002`` (threshold 3, so that a near-poor count
is shown while its shares are hidden), through ``reports --formats html``, and one brief in English.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.briefs import brief
from analysis.measures.classification import classify
from analysis.paths import PROJECT_DIR
from analysis.review import columns as c
from analysis.words import catalogue, label

EPOCH = "1735689600"
#: Côn Đảo (đặc khu): 1 poor and 2 near-poor households of 15, both hidden; Đông Thạnh (xã):
#: 8 poor and 3 near-poor shown, the near-poor's deprivation shares hidden or 0; Bảy Hiền
#: (phường): no poor or near-poor household at all.
CON_DAO, DONG_THANH, BAY_HIEN = "Côn Đảo", "Đông Thạnh", "Bảy Hiền"
THRESHOLD = "3"


def _cli(*args: str) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONPATH=str(PROJECT_DIR))
    done = subprocess.run([sys.executable, "-m", "analysis", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("national-words")
    _cli("synth", "--scale", "0.002", "--out", str(folder / "nat"))
    return next((folder / "nat" / "province_code=79").glob("*.parquet"))  # the file keeps the set's metadata


@pytest.fixture(scope="module")
def batch(review: Path) -> Path:
    out = review.parents[2] / "out"
    _cli("reports", "--data", str(review), "--commune", CON_DAO, DONG_THANH, BAY_HIEN, "--threshold", THRESHOLD,
         "--formats", "html", "--jobs", "2", "--out", str(out))
    return out / "2025"


def _page(batch: Path, slug: str) -> str:
    return (batch / f"{slug}.html").read_text(encoding="utf-8")


def _section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start:page.index("</section>", start)]


def _says(key: str, lang: str = "vi", **fields: object) -> str:
    return catalogue(lang).text(key, **fields)


def test_the_units_are_as_the_fixture_says(review: Path) -> None:
    counts = classify(pd.read_parquet(review), "decree-07-2021").groupby(c.COMMUNE, observed=True)[c.STATUS].value_counts().unstack(fill_value=0)
    assert (counts.loc[CON_DAO, "poor"], counts.loc[CON_DAO, "near_poor"]) == (1, 2)
    assert (counts.loc[DONG_THANH, "poor"], counts.loc[DONG_THANH, "near_poor"]) == (8, 3)
    assert (counts.loc[BAY_HIEN, "poor"], counts.loc[BAY_HIEN, "near_poor"]) == (0, 0)


def test_a_hidden_count_is_never_read_as_none(batch: Path) -> None:
    con_dao = _page(batch, "dac-khu-con-dao")
    assert _says("profile_none") not in con_dao and _says("near_profile_none") not in con_dao
    assert _says("profile_hidden") in _section(con_dao, "deprivation")
    assert _says("near_profile_hidden") in _section(con_dao, "near-poor-deprivation")
    # Shown but with every share hidden or 0: nothing is named as the most common.
    near = _section(_page(batch, "xa-dong-thanh"), "near-poor-deprivation")
    assert "phổ biến nhất" not in near and "(0,0%)" not in near
    assert _says("near_profile_shares_hidden", near_poor="3") in near
    # A true zero still says so.
    bay_hien = _page(batch, "phuong-bay-hien")
    assert _says("profile_none") in _section(bay_hien, "deprivation") and _says("near_profile_none") in bay_hien


def test_every_unit_is_called_by_its_own_type(batch: Path) -> None:
    assert "Tóm tắt tình hình nghèo đặc khu Côn Đảo năm 2025" in _page(batch, "dac-khu-con-dao")
    headline = _section(_page(batch, "phuong-bay-hien"), "headline")
    assert "Tỷ lệ hộ nghèo của phường đứng thứ " in headline and "xã, phường, đặc khu có số liệu" in headline
    assert "của xã" not in headline
    assert "Tỷ lệ hộ nghèo của xã đứng thứ 2/" in _section(_page(batch, "xa-dong-thanh"), "headline")
    overview = _page(batch, "thanh-pho-ho-chi-minh")
    assert "Tổng quan tình hình nghèo Thành phố Hồ Chí Minh năm 2025" in overview
    for path in batch.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "tỉnh Hồ Chí Minh" not in text and "huyện Côn Đảo" not in text, path.name


def test_english_names_read_naturally(review: Path) -> None:
    ward = brief.start(commune=BAY_HIEN, data_path=str(review), lang="en", threshold=int(THRESHOLD))
    assert ward.title == "Poverty brief: Bảy Hiền ward, 2025"
    assert brief.province_name(ward.inputs, "en") == "Ho Chi Minh City"
    assert brief.start(commune=CON_DAO, data_path=str(review), lang="en").unit == "Côn Đảo special zone"


def test_the_overview_heading_fits_data_without_districts(batch: Path) -> None:
    overview = _page(batch, "thanh-pho-ho-chi-minh")
    assert label("poor_districts", "vi") not in overview
    assert f">{label('ethnic', 'vi')}<" in _section(overview, "poor-districts")


def test_the_synthetic_note_says_what_the_national_set_assumes(batch: Path) -> None:
    national = _says("notes_synthetic_national", scale="0,002")
    for slug in ("thanh-pho-ho-chi-minh", "dac-khu-con-dao", "index"):
        page = _page(batch, slug)
        assert national in page and _says("notes_synthetic") not in page, slug
        assert "khớp với số liệu công bố" not in page, slug


def test_briefs_of_a_set_without_districts_speak_of_no_district(batch: Path) -> None:
    """The national set has no districts (nor former communes) and the poor-district table
    lists none of its provinces' districts: no note about district figures no brief shows,
    and nothing said of poor districts either way."""
    for path in batch.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "không xác định được huyện cũ" not in text and "không còn cấp huyện" not in text, path.name
        assert "huyện nghèo" not in text, path.name
    headline = _section(_page(batch, "phuong-bay-hien"), "headline")
    assert label("in_poor_district", "vi") not in headline and re.search(r"\(thứ 1 là cao nhất\)\.</p>", headline)


def test_a_centrally_run_city_is_called_a_city_in_its_briefs_index_and_workbook(batch: Path) -> None:
    """Hồ Chí Minh is a 'thành phố trực thuộc trung ương' (its level word in data/units_new.csv):
    its overview, index and workbook say 'toàn thành phố', never 'toàn tỉnh' or 'của tỉnh'."""
    from openpyxl import load_workbook

    overview = _page(batch, "thanh-pho-ho-chi-minh")
    # Hồ Chí Minh has a special zone (Côn Đảo): the kinds of its units say so; the title names
    # those of the ten it lists, all communes
    assert "Các xã có tỷ lệ hộ nghèo cao nhất toàn thành phố" in overview
    assert re.search(r"Trong [\d.]+ xã, phường, đặc khu của thành phố, tỷ lệ hộ nghèo cao nhất", overview)
    assert "Xu hướng toàn thành phố so với số liệu công bố và mục tiêu" in overview
    assert "Bảng tổng hợp toàn thành phố (Excel)" in _page(batch, "phuong-bay-hien")
    for slug in ("thanh-pho-ho-chi-minh", "phuong-bay-hien", "index"):
        text = _page(batch, slug).lower()
        assert "toàn tỉnh" not in text and not re.search(r"của tỉnh(?!, xã nào)", text), slug  # the note's "of no province or commune" aside
    assert "<th colspan=\"7\">Toàn thành phố</th>" in _page(batch, "index") or ">Toàn thành phố<" in _page(batch, "index")
    sheet = load_workbook(batch / "bang-tong-hop-2025.xlsx", read_only=True)["Tổng hợp"]
    units = [row[1] for row in sheet.iter_rows(values_only=True) if row and len(row) > 1]
    assert "Toàn thành phố" in units and "Toàn tỉnh" not in units
