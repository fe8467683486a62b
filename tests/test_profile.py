"""Deprivation profile on a hand-computed frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import UsageError
from analysis.measures.profile import deprivation_profile, dimension_profile
from analysis.review import columns as c

#: Commands without --data read the bundled panel: loaded once for the whole session.
pytestmark = pytest.mark.usefixtures("bundled_once")

D07 = "decree-07-2021"


def frame() -> pd.DataFrame:
    """Five classified households: two poor, one near-poor, two others."""
    deprived = [
        (["water", "sanitation", "telecom"], "poor", "Pác Nặm"),
        (["water", "housing_area", "nutrition"], "poor", "Ngân Sơn"),
        (["water"], "near_poor", "Pác Nặm"),
        (["sanitation"], "average", "Ba Bể"),
        ([], "above_average", "Ba Bể"),
    ]
    rows = [{i: int(i in d) for i in c.ALL_INDICATORS} | {"status": s, "district": dist} for d, s, dist in deprived]
    df = pd.DataFrame(rows)
    return df.assign(household_id=[f"h{j}" for j in range(5)], year=2022, province="Bắc Kạn", commune="x", area="rural", ethnicity="Tày", members=3)


def test_indicator_shares() -> None:
    out = deprivation_profile(frame(), D07).set_index("indicator")
    assert len(out) == 12
    assert out.loc["water", "dimension"] == "water_sanitation"
    assert out.loc["water", "share_all_pct"] == pytest.approx(60.0)
    assert out.loc["water", "share_poor_pct"] == pytest.approx(100.0)
    assert out.loc["water", "share_near_poor_pct"] == pytest.approx(100.0)
    assert out.loc["sanitation", "share_all_pct"] == pytest.approx(40.0)
    assert out.loc["sanitation", "share_poor_pct"] == pytest.approx(50.0)
    assert out.loc["employment", "share_all_pct"] == 0.0


def test_dimension_shares_count_any_indicator() -> None:
    out = dimension_profile(frame(), D07).set_index("dimension")
    assert list(out.index) == ["employment", "health", "education", "housing", "water_sanitation", "information"]
    assert out.loc["water_sanitation", "share_all_pct"] == pytest.approx(80.0)  # 4 of 5, not 5 of 5
    assert out.loc["water_sanitation", "deprived"] == 4
    assert out.loc["housing", "share_poor_pct"] == pytest.approx(50.0)


def test_by_district_and_no_poor() -> None:
    out = deprivation_profile(frame(), D07, by="district")
    assert out["unit"].unique().tolist() == ["Pác Nặm", "Ba Bể", "Ngân Sơn"]
    ba_be = out[out["unit"] == "Ba Bể"]
    assert ba_be["share_poor_pct"].isna().all()
    assert ba_be.set_index("indicator").loc["sanitation", "share_all_pct"] == pytest.approx(50.0)


def test_unclassified_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="classify"):
        deprivation_profile(frame().drop(columns="status"), D07)


def test_decision_59_indicators() -> None:
    out = deprivation_profile(frame(), "decision-59-2015")
    assert out["indicator"].iloc[0] == "health_service_access"
    assert len(out) == 10
    assert np.isfinite(out["share_all_pct"]).all()


def test_cli_profile(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from analysis.cli import main

    assert main(["profile", "--by", "poor_district", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out) == 24
    assert {"unit", "indicator", "dimension", "share_all_pct", "share_poor_pct"} <= set(out[0])
    assert main(["profile", "--dimensions"]) == 0
