"""Poverty breakdowns on small hand-computed frames."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import UsageError
from analysis.measures.breakdowns import poverty_rates, rate_changes
from analysis.measures.groups import with_groups
from analysis.measures.levels import parse_by

#: Commands without --data read the bundled panel: loaded once for the whole session.
pytestmark = pytest.mark.usefixtures("bundled_once")

PROVINCE = "Bắc Kạn"


def frame(rows: list[tuple], year: int = 2022) -> pd.DataFrame:
    """Classified households from (id, district, commune, area, ethnicity, members, status)."""
    cols = ["household_id", "district", "commune", "area", "ethnicity", "members", "status"]
    df = pd.DataFrame(rows, columns=cols)
    return df.assign(province=PROVINCE, year=year)


# Pác Nặm and Ngân Sơn are the poor districts; Thành phố Bắc Kạn is not.
ROWS = [
    ("a", "Pác Nặm", "Bằng Thành", "rural", "Mông", 6, "poor"),
    ("b", "Pác Nặm", "Bằng Thành", "rural", "Dao", 4, "poor"),
    ("c", "Pác Nặm", "Nhạn Môn", "rural", "Tày", 2, "near_poor"),
    ("d", "Pác Nặm", "Nhạn Môn", "rural", "Kinh", 3, "average"),
    ("e", "Thành phố Bắc Kạn", "Sông Cầu", "urban", "Kinh", 4, "above_average"),
    ("f", "Thành phố Bắc Kạn", "Sông Cầu", "urban", "Tày", 1, "poor"),
    ("g", "Thành phố Bắc Kạn", "Nguyễn Thị Minh Khai", "urban", "Kinh", 5, "near_poor"),
    ("h", "Thành phố Bắc Kạn", "Nguyễn Thị Minh Khai", "urban", "Kinh", 3, "average"),
]


def test_province_row() -> None:
    out = poverty_rates(frame(ROWS))
    assert len(out) == 1
    row = out.iloc[0]
    assert row["unit"] == PROVINCE
    assert (row["households"], row["poor"], row["near_poor"], row["poor_or_near_poor"]) == (8, 3, 2, 5)
    assert row["poor_rate"] == pytest.approx(37.5)
    assert row["near_poor_rate"] == pytest.approx(25.0)
    assert row["poor_or_near_poor_rate"] == pytest.approx(62.5)


def test_districts_in_gso_order_and_communes_within_district() -> None:
    out = poverty_rates(frame(ROWS), "district")
    assert out["unit"].tolist() == ["Thành phố Bắc Kạn", "Pác Nặm"]
    assert out["poor_rate"].tolist() == pytest.approx([25.0, 50.0])
    communes = poverty_rates(frame(ROWS), "commune")
    assert communes["unit"].tolist() == ["Nguyễn Thị Minh Khai", "Sông Cầu", "Bằng Thành", "Nhạn Môn"]
    assert communes["district"].tolist()[0] == "Thành phố Bắc Kạn"


def test_groups_and_crossing() -> None:
    out = poverty_rates(frame(ROWS), ["poor_district", "ethnic_minority"])
    assert out["unit"].tolist() == [
        "poor districts × ethnic minority households",
        "poor districts × Kinh households",
        "other districts × ethnic minority households",
        "other districts × Kinh households",
    ]
    assert out["households"].tolist() == [3, 1, 1, 3]
    assert out["poor"].tolist() == [2, 0, 1, 0]
    assert out["poor_rate"].tolist() == pytest.approx([200 / 3, 0.0, 100.0, 0.0])
    assert out["poor_district"].tolist() == [True, True, False, False]
    same = poverty_rates(frame(ROWS), "poor_district,ethnic_minority")
    pd.testing.assert_frame_equal(out, same)


def test_groups_add_up_to_province() -> None:
    df = frame(ROWS)
    total = poverty_rates(df).iloc[0]
    for by in ("district", "commune", "area", "ethnicity", "ethnic_minority", ["area", "ethnicity"]):
        out = poverty_rates(df, by)
        for col in ("households", "poor", "near_poor", "poor_or_near_poor"):
            assert out[col].sum() == total[col]


def test_person_weighted() -> None:
    out = poverty_rates(frame(ROWS), weight="persons").iloc[0]
    assert out["households"] == 8
    assert out["persons"] == 28
    assert out["poor_persons"] == 11  # 6 + 4 + 1
    assert out["near_poor_persons"] == 7  # 2 + 5
    assert out["poor_rate"] == pytest.approx(11 / 28 * 100)
    assert "poor" not in out.index


def test_input_not_mutated_and_groups() -> None:
    df = frame(ROWS)
    before = df.copy()
    poverty_rates(df, ["poor_district", "ethnic_minority"])
    pd.testing.assert_frame_equal(df, before)
    grouped = with_groups(df)
    assert grouped["ethnic_minority"].tolist() == [True, True, True, False, False, True, False, False]
    assert grouped["poor_district"].tolist() == [True] * 4 + [False] * 4


def test_panel_needs_a_year() -> None:
    panel = pd.concat([frame(ROWS, 2021), frame(ROWS, 2022)])
    with pytest.raises(UsageError, match="several years"):
        poverty_rates(panel)
    with pytest.raises(UsageError, match="2030"):
        poverty_rates(panel, year=2030)
    by_year = poverty_rates(panel, "year")
    assert by_year["year"].tolist() == [2021, 2022]


def test_unknown_level() -> None:
    with pytest.raises(UsageError, match="unknown grouping level"):
        parse_by("village")
    with pytest.raises(UsageError):
        poverty_rates(frame(ROWS), "village")


def test_rate_changes() -> None:
    later = [r[:-1] + (s,) for r, s in zip(ROWS, ["near_poor", "poor", "average", "average", "above_average", "average", "near_poor", "average"])]
    panel = pd.concat([frame(ROWS, 2021), frame(later, 2023)])
    out = rate_changes(panel)
    row = out.iloc[0]
    assert (row["year"], row["previous_year"]) == (2023, 2021)
    assert row["poor_rate"] == pytest.approx(12.5)
    assert row["poor_rate_previous"] == pytest.approx(37.5)
    assert row["change_pp"] == pytest.approx(-25.0)
    assert row["near_poor_change_pp"] == pytest.approx(0.0)
    by_district = rate_changes(panel, "district", year=2023)
    assert by_district["unit"].tolist() == ["Thành phố Bắc Kạn", "Pác Nặm"]
    assert by_district["change_pp"].tolist() == pytest.approx([-25.0, -25.0])
    with pytest.raises(UsageError, match="before 2021"):
        rate_changes(panel, year=2021)


def test_cli_summary_crossing(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from analysis.cli import main

    assert main(["summary", "--by", "poor_district,ethnic_minority", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["unit"] for r in out][:2] == ["poor districts × ethnic minority households", "poor districts × Kinh households"]
    for row in out:
        assert {"unit", "households", "poor", "near_poor", "poor_rate", "near_poor_rate"} <= set(row)
        assert row["poor_rate"] == pytest.approx(row["poor"] / row["households"] * 100)


def test_ethnic_minority_is_every_known_group_but_kinh() -> None:
    from analysis.measures.groups import is_ethnic_minority

    ethnicity = pd.Series(["Tày", " Kinh ", None, "Kinh", "Dao", "Tày"])
    assert is_ethnic_minority(ethnicity).tolist() == [True, False, False, False, True, True]


def test_status_may_be_categorical_or_text() -> None:
    rows = [(1, "Pác Nặm", "Bằng Thành", "rural", "Tày", 4, "poor"), (2, "Pác Nặm", "Bằng Thành", "rural", "Tày", 3, "average")]
    text = poverty_rates(frame(rows), "district")
    categorical = frame(rows)
    categorical["status"] = pd.Categorical(categorical["status"], categories=["poor", "near_poor", "average", "above_average"], ordered=True)
    assert poverty_rates(categorical, "district").equals(text)
    assert text["poor"].tolist() == [1] and text["poor_rate"].tolist() == [50.0]
