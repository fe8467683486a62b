"""Decree 351/2025 (provisional): lines, indicators and statuses checked by hand, and one file
classified under two standards side by side."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import records

from analysis.cli import main
from analysis.measures.classification import classify
from analysis.review import columns as c
from analysis.review.standards import get_standard, parse_standards

#: Commands without --data read the bundled panel: loaded once for the whole session.
pytestmark = pytest.mark.usefixtures("bundled_once")

D351 = "decree-351-2025"


def test_the_registry_entry() -> None:
    std = get_standard(D351)
    assert std.provisional and "provisional" in std.title and "tạm thời" in std.title_vi
    assert dict(std.income_line) == {"rural": 2_200_000, "urban": 2_800_000}
    assert std.average_line is None and std.extreme_line is None and std.deprivation_cutoff == 3
    assert len(std.indicators) == 12
    assert set(std.indicators) == (set(c.DECREE_07_INDICATORS) - {"information_access"}) | {"waste_disposal"}
    assert std.indicator_dimension["waste_disposal"] == "water_sanitation"
    assert not get_standard("decree-07-2021").provisional
    assert [s.id for s in parse_standards("decree-07-2021, decree-351-2025")] == ["decree-07-2021", D351]


def households() -> pd.DataFrame:
    """Six households whose statuses are worked out by hand below."""
    three_351 = {"employment": 1, "water": 1, "waste_disposal": 1}
    frame = records(
        # 351: at the rural line, 3 deprived: poor.      07: 1.5M < 2.2M ≤ 2.25M, average (2 of its own)
        {c.INCOME: 2_200_000, **three_351},
        # 351: at the line, 2 deprived: near-poor.       07: average
        {c.INCOME: 2_200_000, "employment": 1, "waste_disposal": 1},
        # 351: 1 VND above the line: above_line (5).     07: average (4)
        {c.INCOME: 2_200_001, **three_351, "telecom": 1, "nutrition": 1},
        # 351: urban line, information_access no longer counts: 2, near-poor.   07: 2M < 2.8M ≤ 3M, average (3)
        {c.AREA: "urban", c.INCOME: 2_800_000, "employment": 1, "water": 1, "information_access": 1},
        # 351: below the urban line, 0 deprived: near-poor.                     07: average
        {c.AREA: "urban", c.INCOME: 2_500_000},
        # 351: 2 deprived, near-poor.                    07: 3 deprived, poor
        {c.INCOME: 1_000_000, "employment": 1, "water": 1, "information_access": 1},
    )
    return frame.fillna({"waste_disposal": 0}).astype({"waste_disposal": "int64"})


def test_classification_by_hand() -> None:
    frame = households()
    d351 = classify(frame, D351)
    assert d351[c.DEPRIVATIONS].tolist() == [3, 2, 5, 2, 0, 2]
    assert d351[c.STATUS].astype(str).tolist() == ["poor", "near_poor", "above_line", "near_poor", "near_poor", "near_poor"]
    d07 = classify(frame.drop(columns=["waste_disposal"]), "decree-07-2021")
    assert d07[c.DEPRIVATIONS].tolist() == [2, 1, 4, 3, 0, 3]
    assert d07[c.STATUS].astype(str).tolist() == ["average", "average", "average", "average", "average", "poor"]


def test_classify_and_summary_side_by_side(capsys, write_csv) -> None:
    path = write_csv(households(), "review.csv")
    assert main(["classify", str(path), "--standard", f"decree-07-2021,{D351}", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    rows = json.loads(out)
    assert list(rows[0]) == [c.HOUSEHOLD_ID, c.YEAR, "deprivations:decree-07-2021", "status:decree-07-2021", f"deprivations:{D351}", f"status:{D351}"]
    assert [r[f"status:{D351}"] for r in rows] == ["poor", "near_poor", "above_line", "near_poor", "near_poor", "near_poor"]
    assert [r["status:decree-07-2021"] for r in rows][-1] == "poor"
    assert "decree-351-2025 is provisional" in err

    assert main(["summary", "--data", str(path), "--by", "province", "--standard", f"decree-07-2021,{D351}", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    (row,) = json.loads(out)
    assert row["households"] == 6
    assert (row["poor:decree-07-2021"], row["near_poor:decree-07-2021"]) == (1, 0)
    assert (row[f"poor:{D351}"], row[f"near_poor:{D351}"]) == (1, 4)
    assert abs(row[f"poor_or_near_poor_rate:{D351}"] - 500 / 6) < 1e-9
    assert "provisional" in err


def test_both_2021_standards_side_by_side_give_the_published_counts(capsys) -> None:
    """The end-2021 review counted under Decree 07 and Decision 59 (21,946 and 13,867 poor)."""
    assert main(["summary", "--by", "province", "--year", "2021", "--standard", "decree-07-2021,decision-59-2015", "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["poor:decree-07-2021"], row["near_poor:decree-07-2021"]) == (21946, 7935)
    assert (row["poor:decision-59-2015"], row["near_poor:decision-59-2015"]) == (13867, 8239)


def test_missing_indicator_and_unknown_standard(capsys, write_csv) -> None:
    path = write_csv(households().drop(columns=["waste_disposal"]), "old.csv")
    assert main(["classify", str(path), "--standard", f"decree-07-2021,{D351}"]) == 1
    assert "missing column 'waste_disposal', an indicator of decree-351-2025" in capsys.readouterr().err
    assert main(["summary", "--standard", "decree-07-2021,decree-999"]) == 2
    assert "unknown standard 'decree-999'" in capsys.readouterr().err
