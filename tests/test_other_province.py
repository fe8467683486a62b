"""A file of another province gets its own units, and targets and published figures only
where data/targets.csv (or --targets) and data/published.csv have them for it."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import records

from analysis import load_households
from analysis.cli import main
from analysis.measures.breakdowns import poverty_rates
from analysis.measures.classification import classify
from analysis.measures.targets import load_targets, published_history, targets_for
from analysis.paths import TARGETS_PATH
from analysis.review import columns as c
from analysis.review.units import OLD, load_units, provinces_of, units_for
from analysis.synth.review_2025 import BUNDLED_2025


def ha_giang(seed: int = 3) -> pd.DataFrame:
    """Two review years of 300 households spread over Hà Giang's districts and communes."""
    rng = np.random.default_rng(seed)
    units = load_units(province="Hà Giang", division=OLD)
    homes = [(d, str(rng.choice(units.communes_by_district[d]))) for d in rng.choice(units.districts, 300)]
    rows = []
    for year in (2023, 2024):
        for n, (district, commune) in enumerate(homes):
            rows.append({
                c.HOUSEHOLD_ID: f"HG-{n}", c.YEAR: year, c.PROVINCE: "Tỉnh Hà Giang", c.DISTRICT: district,
                c.COMMUNE: commune, c.INCOME: int(rng.integers(500, 4000)) * 1000,
                **{i: int(rng.random() < 0.3) for i in c.ALL_INDICATORS},
            })
    return records(*rows)


@pytest.fixture
def ha_giang_file(write_csv):
    return write_csv(ha_giang(), "ha_giang.csv")


def test_its_own_units(ha_giang_file) -> None:
    households = load_households(ha_giang_file)
    units = units_for(households)
    assert units.province == "Hà Giang" and units.poor_districts == []  # none in data/poor_districts.csv
    table = poverty_rates(classify(households, "decree-07-2021"), "district", year=2024)
    present = [d for d in units.districts if d in set(households[c.DISTRICT])]
    assert table["unit"].tolist() == present  # GSO order of Hà Giang's own districts
    assert int(table["households"].sum()) == 300


def test_no_bac_kan_targets_or_history(capsys, ha_giang_file) -> None:
    assert main(["targets", "--data", str(ha_giang_file), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {r["status"] for r in out["annual"]} == {None} and out["period"] == []
    assert "province (published)" not in {r["scope"] for r in out["annual"]}
    assert any("targets of Bắc Kạn in data/targets.csv do not apply to Hà Giang" in n for n in out["notes"])
    assert published_history(provinces={"Hà Giang"}).empty


def test_targets_given_for_it(capsys, tmp_path, ha_giang_file) -> None:
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "scope,baseline_year,end_year,reduction_low_pp,reduction_high_pp,source,province\n"
        "province,2023,2025,2,2.5,a plan,Hà Giang\n"
        "province,2021,2025,2,2.5,Bắc Kạn's plan,Bắc Kạn\n",
        encoding="utf-8",
    )
    assert main(["targets", "--data", str(ha_giang_file), "--targets", str(targets), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (row,) = [r for r in out["annual"] if r["scope"] == "province" and r["year"] == 2024]
    households = classify(load_households(ha_giang_file), "decree-07-2021")
    rates = (households[c.STATUS] == "poor").groupby(households[c.YEAR]).mean() * 100
    assert row["reduction_pp"] == pytest.approx(rates[2023] - rates[2024])
    assert row["status"] is not None
    # a targets file without a province column applies to any province's data
    generic = tmp_path / "generic.csv"
    generic.write_text("scope,baseline_year,end_year,reduction_low_pp,reduction_high_pp\nprovince,2023,2025,1,1.5\n", encoding="utf-8")
    assert len(targets_for(load_targets(generic), {"Hà Giang"})) == 1


def test_the_bundled_province_keeps_its_targets() -> None:
    targets = load_targets(TARGETS_PATH)
    assert set(targets["province"]) == {"Bắc Kạn"}
    assert len(targets_for(targets, {"Bắc Kạn"})) == len(targets)
    assert targets_for(targets, {"Hà Giang"}).empty
    assert published_history(provinces={"Bắc Kạn"})["year"].tolist() == [2021, 2022, 2023, 2024]


def test_the_former_bac_kan_part_of_thai_nguyen() -> None:
    """New-division data whose former communes all lie in Bắc Kạn: its former districts' units
    and Bắc Kạn's targets; the province column says Thái Nguyên."""
    households = load_households(BUNDLED_2025)
    assert provinces_of(households) == {"Thái Nguyên", "Bắc Kạn"}
    units = units_for(households)
    assert (units.province, units.division, units.poor_districts) == ("Bắc Kạn", OLD, ["Pác Nặm", "Ngân Sơn"])
    # without former_commune nothing says which part it is: Thái Nguyên's new units
    bare = households.drop(columns=[c.FORMER_COMMUNE])
    assert provinces_of(bare) == {"Thái Nguyên"} and units_for(bare).province == "Thái Nguyên"
