"""The synthetic end-2025 review on the new division: regenerated exactly, labelled synthetic,
valid on the new division, continuing the 2021–2024 panel, and hitting its stated assumptions."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis import load_households
from analysis.measures.classification import classify
from analysis.paths import BUNDLED_HOUSEHOLDS, TARGETS_PATH
from analysis.review import columns as c
from analysis.review.units import crosswalk
from analysis.synth import panel
from analysis.synth import review_2025 as r25


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    return r25.read_history(BUNDLED_HOUSEHOLDS)


@pytest.fixture(scope="module")
def frame(history: pd.DataFrame) -> pd.DataFrame:
    return r25.generate_review_2025(history)


def test_committed_file_is_regenerated_exactly(frame: pd.DataFrame, history: pd.DataFrame) -> None:
    committed = pq.read_table(r25.BUNDLED_2025)
    regenerated = panel.households_table(frame, metadata=r25.file_metadata_2025(frame, history, r25.DEFAULT_SEED_2025))
    assert committed.equals(regenerated)
    assert committed.schema.metadata == regenerated.schema.metadata
    assert r25.BUNDLED_2025.stat().st_size < 2_000_000


def test_labelled_synthetic_with_its_assumption() -> None:
    meta = pq.read_schema(r25.BUNDLED_2025).metadata
    assert meta[b"synthetic"] == b"true" and b"pandas" not in meta
    text = meta[b"description"].decode()
    assert text.startswith("SYNTHETIC") and "the former Bắc Kạn part only (37 communes)" in text
    assert "No end-2025 figure is published" in text and "ASSUMES a fall of 2.25 pp" in text
    assert meta[b"assumed_poor_fall_pp"] == b"2.25"


def test_the_assumed_fall_is_the_middle_of_the_province_plan() -> None:
    targets = pd.read_csv(TARGETS_PATH)
    plan = targets[targets["scope"] == "province"].iloc[0]
    assert (plan["reduction_low_pp"] + plan["reduction_high_pp"]) / 2 == r25.ASSUMED_POOR_FALL_PP


def test_valid_on_the_new_division() -> None:
    loaded = load_households(r25.BUNDLED_2025)
    assert loaded.attrs["synthetic"] is True
    assert set(loaded[c.YEAR]) == {2025}
    assert set(loaded[c.PROVINCE]) == {"Thái Nguyên"} and set(loaded[c.DISTRICT]) == {""}
    assert loaded[c.COMMUNE].nunique() == 37 and loaded[c.FORMER_COMMUNE].nunique() == 108
    assert set(loaded.loc[loaded[c.AREA] == c.URBAN, c.COMMUNE]) == {"Đức Xuân", "Bắc Kạn"}
    # each former commune lies in its new unit, as the crosswalk says
    walk = crosswalk()
    walk = walk[walk["old_province_code"] == 6]
    bare = r"^(Xã|Phường|Thị trấn) "
    pairs = set(zip(walk["old_commune"].str.replace(bare, "", regex=True), walk["new_commune"].str.replace(bare, "", regex=True)))
    assert set(zip(loaded[c.FORMER_COMMUNE], loaded[c.COMMUNE])) <= pairs


def test_households_persist_by_id(frame: pd.DataFrame, history: pd.DataFrame) -> None:
    last = history[history[c.YEAR] == 2024]
    assert frame[c.HOUSEHOLD_ID].is_unique and frame[c.HOUSEHOLD_ID].is_monotonic_increasing
    persisting = frame[c.HOUSEHOLD_ID].isin(last[c.HOUSEHOLD_ID])
    assert (~last[c.HOUSEHOLD_ID].isin(frame[c.HOUSEHOLD_ID])).sum() == panel.DISSOLVED_PER_YEAR
    assert (~persisting).sum() == panel.NEW_PER_YEAR
    assert not frame.loc[~persisting, c.HOUSEHOLD_ID].isin(history[c.HOUSEHOLD_ID]).any()  # no id reused
    # a persisting household keeps its ethnicity, and its former commune is its 2024 commune
    joined = frame[persisting].merge(last, on=c.HOUSEHOLD_ID, suffixes=("", "_2024"))
    assert (joined[c.ETHNICITY] == joined[f"{c.ETHNICITY}_2024"]).all()
    assert (joined[c.FORMER_COMMUNE] == joined[f"{c.COMMUNE}_2024"]).all()


def test_rates_hit_the_stated_assumptions(frame: pd.DataFrame, history: pd.DataFrame) -> None:
    status = classify(frame, "decree-07-2021")[c.STATUS]
    before = classify(history[history[c.YEAR] == 2024], "decree-07-2021")[c.STATUS]
    rate_2024 = 100 * float((before == "poor").mean())
    assert round(rate_2024, 2) == 19.46  # the published 2024 rate the panel reproduces
    poor = int((status == "poor").sum())
    assert poor == round(len(frame) * (rate_2024 - r25.ASSUMED_POOR_FALL_PP) / 100)
    assert round(100 * poor / len(frame), 2) == 17.21
    assert round(100 * float((status == "near_poor").mean()), 2) == r25.ASSUMED_NEAR_POOR_RATE


def test_waste_disposal_is_there_for_decree_351(frame: pd.DataFrame) -> None:
    assert set(frame[c.WASTE_DISPOSAL].unique()) == {0, 1}
    statuses = set(classify(frame, "decree-351-2025")[c.STATUS].astype(str))
    assert statuses == {"poor", "near_poor", "above_line"}


def test_panel_and_2025_load_together() -> None:
    both = load_households([BUNDLED_HOUSEHOLDS, r25.BUNDLED_2025])
    assert sorted(both[c.YEAR].unique()) == [2021, 2022, 2023, 2024, 2025]
    assert set(both.loc[both[c.YEAR] == 2024, c.PROVINCE]) == {"Bắc Kạn"}
    assert set(both.loc[both[c.YEAR] == 2025, c.PROVINCE]) == {"Thái Nguyên"}
