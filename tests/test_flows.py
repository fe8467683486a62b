"""Poverty flows on a hand-made three-year panel."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import DataError, UsageError
from analysis.measures.flows import flow_columns, poverty_flows

#: Commands without --data read the bundled panel: loaded once for the whole session.
pytestmark = pytest.mark.usefixtures("bundled_once")

# household: (status 2021, 2022, 2023); None = absent that year.
HISTORY = {
    "A": ("poor", "near_poor", "poor", "Pác Nặm"),  # fallen back poor; exited near-poor
    "B": ("poor", "average", "average", "Pác Nặm"),  # exited 2022
    "C": ("average", "average", "poor", "Pác Nặm"),  # newly poor
    "D": (None, None, "poor", "Ngân Sơn"),  # new household, poor
    "E": ("poor", "poor", None, "Ngân Sơn"),  # left the register
    "F": ("near_poor", "poor", "near_poor", "Pác Nặm"),  # exited poverty; fallen back near-poor
    "G": ("average", "near_poor", "near_poor", "Pác Nặm"),  # stayed near-poor
    "H": ("poor", "poor", "poor", "Pác Nặm"),  # stayed poor
    "J": ("poor", None, "poor", "Pác Nặm"),  # absent in 2022: a new household in 2023
}


def panel() -> pd.DataFrame:
    rows = []
    for hid, (*statuses, district) in HISTORY.items():
        for year, status in zip((2021, 2022, 2023), statuses):
            if status is not None:
                rows.append({"household_id": hid, "year": year, "status": status, "district": district, "province": "Bắc Kạn", "ethnicity": "Tày"})
    return pd.DataFrame(rows)


def test_hand_counted_flows() -> None:
    row = poverty_flows(panel(), 2023).iloc[0]
    assert row["unit"] == "Bắc Kạn"
    assert (row["year"], row["previous_year"]) == (2023, 2022)
    assert (row["households"], row["households_previous"]) == (8, 7)
    expected_poor = {"poor_previous": 3, "poor": 5, "stayed_poor": 1, "exited_poverty": 1, "newly_poor": 1, "fallen_back_poor": 1, "new_household_poor": 2, "left_poor": 1}
    assert {k: row[k] for k in expected_poor} == expected_poor
    expected_near = {"near_poor_previous": 2, "near_poor": 2, "stayed_near_poor": 1, "exited_near_poor": 1, "newly_near_poor": 0, "fallen_back_near_poor": 1, "new_household_near_poor": 0, "left_near_poor": 0}
    assert {k: row[k] for k in expected_near} == expected_near
    assert (row["poor_to_near_poor"], row["near_poor_to_poor"]) == (1, 1)


@pytest.mark.parametrize("by", [None, "district", "poor_district"])
def test_stock_identity(by: str | None) -> None:
    out = poverty_flows(panel(), 2023, by)
    for state in ("poor", "near_poor"):
        _stayed, exited, newly, fallen, new_hh, left = flow_columns(state)
        rebuilt = out[f"{state}_previous"] - out[exited] - out[left] + out[newly] + out[fallen] + out[new_hh]
        assert (rebuilt == out[state]).all()


def test_first_flow_year_has_no_fallen_back() -> None:
    row = poverty_flows(panel(), 2022).iloc[0]
    assert row["exited_poverty"] == 2  # A (to near-poor) and B; E and H stayed
    assert row["newly_poor"] == 1  # F
    assert row["fallen_back_poor"] == 0
    assert row["left_poor"] == 1  # J


def test_by_district_uses_last_record() -> None:
    out = poverty_flows(panel(), 2023, "district").set_index("unit")
    assert list(out.index) == ["Pác Nặm", "Ngân Sơn"]
    assert out.loc["Ngân Sơn", "new_household_poor"] == 1
    assert out.loc["Ngân Sơn", "left_poor"] == 1
    assert out.loc["Ngân Sơn", "households"] == 1


def test_bad_years_and_duplicates() -> None:
    with pytest.raises(UsageError, match="before 2021"):
        poverty_flows(panel(), 2021)
    with pytest.raises(UsageError, match="2030"):
        poverty_flows(panel(), 2030)
    doubled = pd.concat([panel(), panel().head(1)])
    with pytest.raises(DataError, match="one record per household"):
        poverty_flows(doubled, 2023)


def test_cli_flows(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from analysis.cli import main

    assert main(["flows", "--year", "2023", "--by", "poor_district,ethnic_minority", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out) == 4
    for row in out:
        assert (row["year"], row["previous_year"]) == (2023, 2022)
        for key in ("exited_poverty", "newly_poor", "fallen_back_poor", "exited_near_poor", "newly_near_poor", "fallen_back_near_poor", "new_household_poor", "left_poor"):
            assert isinstance(row[key], int)
        assert row["poor"] == row["poor_previous"] - row["exited_poverty"] - row["left_poor"] + row["newly_poor"] + row["fallen_back_poor"] + row["new_household_poor"]
    assert main(["flows", "--year", "2021"]) == 2
