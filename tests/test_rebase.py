"""One geography for a trend: old years re-based onto the new units, former districts rebuilt."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import deprived, records

from analysis.measures.breakdowns import poverty_rates
from analysis.measures.classification import classify
from analysis.measures.predecessors import predecessors
from analysis.measures.rebase import EXACT_UNIT, FORMER_COMMUNE, FORMER_DISTRICT, rebase, with_former_geography
from analysis.review import columns as c
from analysis.review.loading import load_households

STANDARD = "decree-07-2021"


@pytest.fixture(scope="module")
def bundled() -> pd.DataFrame:
    return classify(load_households(None), STANDARD)


@pytest.fixture(scope="module")
def on_new(bundled: pd.DataFrame):
    return rebase(bundled, "new")


def test_new_geography_totals_of_an_old_year_equal_its_totals(bundled, on_new):
    own = poverty_rates(bundled, "year")[["year", "households", "poor", "near_poor"]]
    new = poverty_rates(on_new.households, "year")[["year", "households", "poor", "near_poor"]]
    pd.testing.assert_frame_equal(own, new)
    assert on_new.inexact.empty  # in Bắc Kạn every old commune went whole into one new unit
    assert set(on_new.households[c.PROVINCE]) == {"Thái Nguyên"}
    assert set(on_new.households[c.DISTRICT]) == {""}


def test_every_new_unit_is_the_sum_of_its_old_communes(bundled, on_new):
    walk = predecessors()
    walk = walk[walk["old_province"] == "Bắc Kạn"]
    old = poverty_rates(bundled, ["year", "commune"])[["year", c.DISTRICT, c.COMMUNE, "households", "poor", "near_poor"]]
    old = old.merge(walk, left_on=[c.DISTRICT, c.COMMUNE], right_on=["old_district", "old_commune"], how="left")
    assert old["new_commune"].notna().all()
    summed = old.groupby(["year", "new_commune"], as_index=False)[["households", "poor", "near_poor"]].sum()
    new = poverty_rates(on_new.households, ["year", "commune"])[["year", c.COMMUNE, "households", "poor", "near_poor"]]
    merged = new.merge(summed, left_on=["year", c.COMMUNE], right_on=["year", "new_commune"], suffixes=("", "_old"))
    assert len(merged) == len(new) == 4 * 37
    for col in ("households", "poor", "near_poor"):
        assert (merged[col] == merged[f"{col}_old"]).all()
    # A hand check: Xã Bằng Thành = Bằng Thành + Nhạn Môn + Bộc Bố + Giáo Hiệu (Pác Nặm), 2021.
    parts = old[(old["year"] == 2021) & old[c.COMMUNE].isin(["Bằng Thành", "Nhạn Môn", "Bộc Bố", "Giáo Hiệu"]) & (old[c.DISTRICT] == "Pác Nặm")]
    row = new[(new["year"] == 2021) & (new[c.COMMUNE] == "Bằng Thành")]
    assert len(parts) == 4 and int(row["households"].iloc[0]) == int(parts["households"].sum())


def test_rebased_old_years_keep_their_former_district_and_poor_flag(bundled, on_new):
    h = on_new.households
    assert (h[FORMER_DISTRICT] == bundled[c.DISTRICT]).all()
    assert (h[FORMER_COMMUNE] == bundled[c.COMMUNE]).all()
    assert set(h.loc[h["poor_district"], FORMER_DISTRICT]) == {"Pác Nặm", "Ngân Sơn"}


# --- a split commune (Hà Nội: Cống Vị went partly to Ngọc Hà, partly to Giảng Võ) ----------

def _hanoi(*rows: dict) -> pd.DataFrame:
    base = {c.PROVINCE: "Hà Nội", c.DISTRICT: "Ba Đình", c.AREA: "urban", c.INCOME: 1_800_000}
    return classify(records(*[base | r for r in rows]), STANDARD)


def test_split_commune_without_household_geography_is_left_out_and_named():
    frame = _hanoi(
        {c.YEAR: 2024, c.COMMUNE: "Cống Vị", **deprived(3)},   # split: cannot be placed
        {c.YEAR: 2024, c.COMMUNE: "Vĩnh Phúc"},                 # whole, into Ngọc Hà
        {c.YEAR: 2024, c.COMMUNE: "Giảng Võ", **deprived(3)},   # whole, into Giảng Võ
        {c.YEAR: 2024, c.COMMUNE: "Liễu Giai"},                 # whole, into Ngọc Hà
    )
    result = rebase(frame, "new")
    inexact = result.inexact
    assert sorted(inexact[c.COMMUNE]) == ["Giảng Võ", "Ngọc Hà"]
    assert (inexact["households"] == 1).all()
    assert all("Cống Vị" in r and "split between" in r for r in inexact["reason"])
    assert any("Ngọc Hà" in line and "left out" in line for line in result.notes())
    # Unit figures leave both receiving units out; the province total keeps every household.
    assert result.exact().empty
    total = poverty_rates(result.households, None)
    assert int(total["households"].iloc[0]) == 4 and int(total["poor"].iloc[0]) == 2


def test_split_commune_placed_by_the_households_later_review():
    frame = _hanoi(
        {c.HOUSEHOLD_ID: "A", c.YEAR: 2024, c.COMMUNE: "Cống Vị", **deprived(3)},
        {c.HOUSEHOLD_ID: "B", c.YEAR: 2024, c.COMMUNE: "Cống Vị"},
        {c.HOUSEHOLD_ID: "A", c.YEAR: 2025, c.DISTRICT: "", c.COMMUNE: "Giảng Võ", **deprived(3)},
        {c.HOUSEHOLD_ID: "B", c.YEAR: 2025, c.DISTRICT: "", c.COMMUNE: "Ngọc Hà"},
    )
    result = rebase(frame, "new")
    assert result.inexact.empty
    old = result.households[result.households[c.YEAR] == 2024].set_index(c.HOUSEHOLD_ID)
    assert old.loc["A", c.COMMUNE] == "Giảng Võ" and old.loc["B", c.COMMUNE] == "Ngọc Hà"
    assert old[EXACT_UNIT].all()
    rates = poverty_rates(result.households, ["year", "commune"]).set_index(["year", c.COMMUNE])
    assert rates.loc[(2024, "Giảng Võ"), "poor"] == 1 and rates.loc[(2024, "Ngọc Hà"), "households"] == 1


# --- former districts of the new division -------------------------------------------------

def _bac_kan_2025(*rows: dict) -> pd.DataFrame:
    base = {c.YEAR: 2025, c.PROVINCE: "Thái Nguyên", c.DISTRICT: "", c.AREA: "rural"}
    return classify(records(*[base | r for r in rows]), STANDARD)


def test_straddling_communes_need_former_commune():
    frame = _bac_kan_2025(
        {c.COMMUNE: "Phong Quang", FORMER_COMMUNE: "Dương Quang"},    # Thành phố Bắc Kạn
        {c.COMMUNE: "Phong Quang", FORMER_COMMUNE: "Xã Đôn Phong"},  # Bạch Thông (level word)
        {c.COMMUNE: "Phong Quang", FORMER_COMMUNE: ""},              # cannot be placed
        {c.COMMUNE: "Đồng Phúc"},                                      # cannot be placed
        {c.COMMUNE: "Bằng Thành", FORMER_COMMUNE: ""},               # wholly in Pác Nặm
        {c.COMMUNE: "Bạch Thông", FORMER_COMMUNE: "Nà Phặc"},        # names no old commune of it
    )
    geo = with_former_geography(frame)
    assert geo.households[FORMER_DISTRICT].tolist()[:2] == ["Thành phố Bắc Kạn", "Bạch Thông"]
    assert geo.households[FORMER_DISTRICT].isna().tolist() == [False, False, True, True, False, True]
    assert geo.households[FORMER_DISTRICT].iloc[4] == "Pác Nặm"
    assert geo.households["poor_district"].tolist() == [False, False, False, False, True, False]
    unplaced = geo.unplaced.set_index(c.COMMUNE)
    assert sorted(unplaced.index) == ["Bạch Thông", "Phong Quang", "Đồng Phúc"]
    assert unplaced.loc["Phong Quang", "household_ids"] == "H3"
    assert unplaced.loc["Phong Quang", "former_districts"] == "Bạch Thông, Thành phố Bắc Kạn"
    assert unplaced.loc["Đồng Phúc", "reason"] == "no former_commune"
    assert "names no old commune" in unplaced.loc["Bạch Thông", "reason"]
    by_district = poverty_rates(geo.households[geo.households[FORMER_DISTRICT].notna()], "former_district")
    assert by_district.set_index("unit")["households"].to_dict() == {"Thành phố Bắc Kạn": 1, "Pác Nặm": 1, "Bạch Thông": 1}


def test_a_former_commune_is_matched_as_validation_matches_it():
    """Two old communes of one new unit share a name: the level word tells Thị trấn from Xã
    Yên Viên (Phù Đổng, Hà Nội) and Phường from Xã Long Xuyên (Kinh Môn, Hải Phòng; of two
    former districts), each keeping its own; a bare Long Xuyên names neither: the household is
    not placed (validation refuses such a value; re-basing never settles it by the crosswalk's order)."""
    base = {c.YEAR: 2025, c.DISTRICT: "", c.AREA: "urban"}
    kinh_mon = {**base, c.PROVINCE: "Hải Phòng", c.COMMUNE: "Kinh Môn"}
    frame = classify(records(
        {**base, c.PROVINCE: "Hà Nội", c.COMMUNE: "Phù Đổng", FORMER_COMMUNE: "Xã Yên Viên"},
        {**base, c.PROVINCE: "Hà Nội", c.COMMUNE: "Phù Đổng", FORMER_COMMUNE: "Thị trấn Yên Viên"},
        {**kinh_mon, FORMER_COMMUNE: "Phường Long Xuyên"}, {**kinh_mon, FORMER_COMMUNE: "Xã Long Xuyên"},
        {**kinh_mon, FORMER_COMMUNE: "Long Xuyên"},
    ), STANDARD)
    geo = with_former_geography(frame)
    households = geo.households
    assert households[FORMER_COMMUNE].tolist() == ["Xã Yên Viên", "Thị trấn Yên Viên", "Phường Long Xuyên", "Xã Long Xuyên", "Long Xuyên"]
    assert households[FORMER_DISTRICT].tolist()[:4] == ["Gia Lâm", "Gia Lâm", "Thị xã Kinh Môn", "Bình Giang"]
    assert pd.isna(households[FORMER_DISTRICT].iloc[4])
    assert geo.unplaced[c.COMMUNE].tolist() == ["Kinh Môn"] and geo.unplaced["household_ids"].iloc[0] == "H5"
    old = rebase(frame, "old").households
    assert old[[c.DISTRICT, c.COMMUNE]].values.tolist() == [
        ["Gia Lâm", "Xã Yên Viên"], ["Gia Lâm", "Thị trấn Yên Viên"], ["Thị xã Kinh Môn", "Long Xuyên"], ["Bình Giang", "Long Xuyên"], ["", ""]]
    assert old[EXACT_UNIT].tolist() == [True, True, True, True, False]


def test_old_division_from_former_commune():
    frame = _bac_kan_2025(
        {c.COMMUNE: "Phong Quang", FORMER_COMMUNE: "Dương Quang"},
        {c.COMMUNE: "Đồng Phúc"},
    )
    result = rebase(frame, "old")
    h = result.households
    assert h.loc[0, [c.PROVINCE, c.DISTRICT, c.COMMUNE]].tolist() == ["Bắc Kạn", "Thành phố Bắc Kạn", "Dương Quang"]
    assert not h.loc[1, EXACT_UNIT]
    assert result.inexact[c.COMMUNE].tolist() == ["Đồng Phúc"]


# --- the commands ---------------------------------------------------------------------------

def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    from analysis.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def two_districts(tmp_path_factory, bundled) -> str:
    """Pác Nặm and Thành phố Bắc Kạn, 2021 and 2024, as a review file (small, quick to load)."""
    part = load_households(None)
    part = part[part[c.DISTRICT].isin(["Pác Nặm", "Thành phố Bắc Kạn"]) & part[c.YEAR].isin([2021, 2024])]
    path = tmp_path_factory.mktemp("division") / "two.parquet"
    part.to_parquet(path, index=False)
    return str(path)


def test_summary_on_the_new_division(capsys, two_districts, bundled):
    import json

    code, out, err = _cli(capsys, "summary", "--data", two_districts, "--year", "2021", "--division", "new", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    # Pác Nặm's 10 communes became 3 units; the city's 8 became 3 (Phong Quang also takes Bạch Thông's Đôn Phong).
    assert [r["unit"] for r in rows] == ["Đức Xuân", "Bắc Kạn", "Phong Quang", "Bằng Thành", "Cao Minh", "Nghiên Loan"]  # GSO order
    year = bundled[(bundled[c.YEAR] == 2021) & bundled[c.DISTRICT].isin(["Pác Nặm", "Thành phố Bắc Kạn"])]
    assert sum(r["households"] for r in rows) == len(year)
    assert sum(r["poor"] for r in rows) == int((year[c.STATUS] == "poor").sum())
    code, _, err = _cli(capsys, "summary", "--data", two_districts, "--division", "new", "--by", "district")
    assert code == 2 and "without districts" in err and "--by former_district" in err


def test_flows_mpi_profile_take_the_division(capsys, two_districts):
    import json

    code, out, _ = _cli(capsys, "flows", "--data", two_districts, "--division", "new", "--by", "commune", "--format", "json")
    flows = json.loads(out)
    code2, out2, _ = _cli(capsys, "flows", "--data", two_districts, "--format", "json")
    province = json.loads(out2)[0]
    assert code == code2 == 0 and len(flows) == 6
    for key in ("exited_poverty", "newly_poor", "stayed_poor"):
        assert sum(r[key] for r in flows) == province[key]
    code, out, _ = _cli(capsys, "mpi", "--data", two_districts, "--division", "new", "--by", "commune", "--year", "2021")
    assert code == 0 and len(json.loads(out)) == 6
    code, out, _ = _cli(capsys, "profile", "--data", two_districts, "--division", "new", "--by", "former_district", "--format", "json")
    assert code == 0 and {r["unit"] for r in json.loads(out)} == {"Thành phố Bắc Kạn", "Pác Nặm"}
