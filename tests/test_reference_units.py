"""The national reference units and the 2025 crosswalk in data/ hold what GSO and the
resolutions say (counts, Bắc Kạn's 108 → 37, a known split), and stay small."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.paths import DATA_DIR

OLD = DATA_DIR / "units_old.csv"
NEW = DATA_DIR / "units_new.csv"
CROSSWALK = DATA_DIR / "crosswalk_2025.csv"


@pytest.fixture(scope="module")
def old() -> pd.DataFrame:
    return pd.read_csv(OLD)


@pytest.fixture(scope="module")
def new() -> pd.DataFrame:
    return pd.read_csv(NEW)


@pytest.fixture(scope="module")
def crosswalk() -> pd.DataFrame:
    return pd.read_csv(CROSSWALK, dtype={"old_commune_code": "Int64"})


def test_counts_are_gsos(old: pd.DataFrame, new: pd.DataFrame) -> None:
    # GSO's 10,047 communes of 1/03/2025, less Xã Đông Khê's stale second code (see data/README.md)
    assert old["level"].value_counts().to_dict() == {"commune": 10046, "district": 696, "province": 63}
    assert new["level"].value_counts().to_dict() == {"commune": 3321, "province": 34}
    types = new.loc[new["level"] == "commune", "division_type"].value_counts().to_dict()
    assert types == {"Xã": 2621, "Phường": 687, "Đặc khu": 13}
    # 617 thị trấn as GSO; xã/phường differ by two (see data/README.md)
    assert (old.loc[old["level"] == "commune", "division_type"] == "Thị trấn").sum() == 617


def test_small_files() -> None:
    for path in (OLD, NEW, CROSSWALK, DATA_DIR / "poor_districts.csv"):
        assert path.stat().st_size < 2_000_000, path


def test_every_old_commune_reaches_a_new_unit(old: pd.DataFrame, new: pd.DataFrame, crosswalk: pd.DataFrame) -> None:
    communes = set(old.loc[old["level"] == "commune", "code"])
    assert set(crosswalk["old_commune_code"].dropna()) == communes
    assert set(crosswalk["new_commune_code"]) == set(new.loc[new["level"] == "commune", "code"])
    per_old = crosswalk.dropna(subset=["old_commune_code"]).groupby("old_commune_code")["change"].agg(["size", "first"])
    assert ((per_old["size"] == 1) == (per_old["first"] == "whole")).all()
    assert (per_old["size"] == 1).sum() == 9586
    assert (per_old["size"] > 1).sum() == 460


def test_a_split_commune() -> None:
    """Phường Cống Vị (Ba Đình, Hà Nội) was divided between Ngọc Hà and Giảng Võ (Resolution 1656)."""
    crosswalk = pd.read_csv(CROSSWALK, dtype={"old_commune_code": "Int64"})
    rows = crosswalk[crosswalk["old_commune_code"] == 7]
    assert rows["old_commune"].unique().tolist() == ["Phường Cống Vị"]
    assert sorted(rows["new_commune"]) == ["Phường Giảng Võ", "Phường Ngọc Hà"]
    assert set(rows["change"]) == {"split"}


def test_bac_kan_108_into_37(old: pd.DataFrame, new: pd.DataFrame, crosswalk: pd.DataFrame) -> None:
    bk = crosswalk[crosswalk["old_province_code"] == 6]
    assert len(bk) == bk["old_commune_code"].nunique() == 108
    assert set(bk["change"]) == {"whole"}
    assert set(bk["new_province_code"]) == {19}
    assert bk["new_commune_code"].nunique() == 37
    units = new[(new["level"] == "commune") & (new["code"].isin(bk["new_commune_code"]))]
    assert units["division_type"].value_counts().to_dict() == {"Xã": 35, "Phường": 2}
    assert sorted(units.loc[units["division_type"] == "Phường", "name"]) == ["Bắc Kạn", "Đức Xuân"]
    assert (new["parent_code"] == 19).sum() == 92  # the new Thái Nguyên
    districts = bk.groupby("new_commune")["old_district_code"].nunique()
    assert sorted(districts[districts > 1].index) == ["Xã Bạch Thông", "Xã Phong Quang", "Xã Đồng Phúc"]


def test_units_csv_is_the_bundled_slice(old: pd.DataFrame) -> None:
    legacy = pd.read_csv(DATA_DIR / "units.csv")
    districts = old[(old["level"] == "district") & (old["parent_code"] == 6)]
    communes = old[(old["level"] == "commune") & old["parent_code"].isin(districts["code"])]
    assert sorted(legacy.loc[legacy["level"] == "commune", "code"]) == sorted(communes["code"])
    assert legacy.loc[legacy["poor_district"] == 1, "name"].tolist() == ["Pác Nặm", "Ngân Sơn"]


def test_poor_districts_have_sources() -> None:
    poor = pd.read_csv(DATA_DIR / "poor_districts.csv")
    assert poor["source"].str.contains("353/QĐ-TTg").all()
    assert poor["district"].tolist() == ["Pác Nặm", "Ngân Sơn"]


def test_no_two_communes_of_a_district_share_name_and_type(old: pd.DataFrame) -> None:
    """The law allows no two units of one name and level in a district ("Thị trấn" and "Xã
    Yên Viên" differ in type). The 1/03/2025 list held Xã Đông Khê of Thành phố Thanh Hóa twice,
    as 16408 and as its pre-2019 code 16387 (see data/README.md): it is one commune, 16408."""
    communes = old[old["level"] == "commune"]
    assert not communes.duplicated(["parent_code", "name", "division_type"]).any()
    dong_khe = communes[(communes["parent_code"] == 380) & communes["name"].str.endswith("Đông Khê")]
    assert dong_khe[["code", "name", "division_type"]].values.tolist() == [[16408, "Đông Khê", "Xã"]]


def test_a_household_of_dong_khe_is_counted_once(tmp_path) -> None:
    """A 2024 household of Đông Khê (Thành phố Thanh Hóa) is one household of Phường Đông Sơn."""
    from conftest import records

    from analysis.measures.classification import classify
    from analysis.measures.rebase import rebase
    from analysis.review import columns as c
    from analysis.review.loading import load_households

    path = tmp_path / "thanh_hoa.csv"
    records({c.YEAR: 2024, c.PROVINCE: "Thanh Hóa", c.DISTRICT: "Thành phố Thanh Hóa", c.COMMUNE: "Đông Khê"}).to_csv(path, index=False)
    households = classify(load_households(path), "decree-07-2021")
    assert households[c.COMMUNE].tolist() == ["Đông Khê"]
    on_new = rebase(households, "new").households
    assert on_new[[c.PROVINCE, c.COMMUNE]].values.tolist() == [["Thanh Hóa", "Đông Sơn"]]
