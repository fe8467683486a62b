"""Targets: verdicts, annualised gaps, projections, near-zero impossibility, tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataError, UsageError
from analysis.measures.targets import (
    EXCEEDED,
    MET,
    NOT_MET,
    UNATTAINABLE,
    annual_verdicts,
    history_from_households,
    load_history,
    load_targets,
    period_assessment,
    published_history,
    verdict,
)
from analysis.words import status_label

#: Commands without --data read the bundled panel: loaded once for the whole session.
pytestmark = pytest.mark.usefixtures("bundled_once")


def targets(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["scope", "baseline_year", "end_year", "reduction_low_pp", "reduction_high_pp"]).assign(source="test")


PLAN = targets([("province", 2021, 2025, 2.0, 2.5), ("minority", 2021, 2025, 3.0, np.nan), ("city", 2021, 2025, 2.0, 2.5)])


def history(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["scope", "year", "poor_rate"])


def test_verdict_words() -> None:
    assert verdict([2.6, 2.5, 2.0, 1.99], 2.0, 2.5).tolist() == [EXCEEDED, MET, MET, NOT_MET]
    assert verdict([3.01, 3.0, 2.0], 3.0, np.nan).tolist() == [MET, NOT_MET, NOT_MET]
    assert verdict([np.nan], 2.0, 2.5).tolist() == [None]
    assert {s: status_label(s, "vi") for s in (EXCEEDED, MET, NOT_MET, UNATTAINABLE)} == {
        EXCEEDED: "vượt mục tiêu", MET: "đạt", NOT_MET: "không đạt", UNATTAINABLE: "mục tiêu không khả thi"}
    assert status_label(EXCEEDED, "en") == "exceeded"
    assert status_label(None, "vi", empty="") == "" and status_label(float("nan"), "en") == "–"


def test_published_2022_fall_exceeded() -> None:
    """From the programme baseline 27.37% (2021) to 24.71% (2022): 2.66 pp against 2–2.5, exceeded."""
    plan = load_targets()
    published = published_history()
    annual = annual_verdicts(published, plan).set_index("year")
    assert annual.loc[2021, "poor_rate"] == 27.37
    assert annual.loc[2022, "reduction_pp"] == pytest.approx(2.66)
    assert annual.loc[2022, "status"] == EXCEEDED
    assert annual.loc[2022, "target_low_pp"] == 2.0 and annual.loc[2022, "target_high_pp"] == 2.5
    # 2024: 7.91 pp below 27.37, an average of 2.63 pp a year (as published, truncated).
    period = period_assessment(published, plan).iloc[0]
    assert period["latest_rate"] - period["baseline_rate"] == pytest.approx(-7.91)
    assert period["average_reduction_pp"] == pytest.approx(7.91 / 3)


def test_review_baseline_is_available() -> None:
    review = published_history("review")
    assert review.loc[review["year"] == 2021, "poor_rate"].item() == 26.93
    assert review.loc[review["year"] == 2021, "poor"].item() == 21946
    with pytest.raises(UsageError):
        published_history("other")


def test_annualised_gap() -> None:
    h = history([("province", 2021, 27.0), ("province", 2023, 22.0), ("province", 2024, 20.5)])
    out = annual_verdicts(h, PLAN)
    assert out["reduction_pp"].tolist()[1:] == pytest.approx([2.5, 1.5])
    assert out["years"].tolist()[1:] == [2, 1]
    assert out["status"].tolist() == [None, MET, NOT_MET]
    assert "annualised over 2 years" in out["note"].iloc[1]


def test_no_high_end_and_no_target() -> None:
    h = history([("minority", 2021, 30.0), ("minority", 2022, 26.5), ("other", 2021, 10.0), ("other", 2022, 9.0)])
    out = annual_verdicts(h, PLAN).set_index(["scope", "year"])
    assert out.loc[("minority", 2022), "status"] == MET
    assert out.loc[("other", 2022), "status"] is None
    assert out.loc[("other", 2022), "note"] == "no target for this scope"


def test_period_projection_by_hand() -> None:
    h = history([("province", 2021, 27.0), ("province", 2022, 25.0), ("province", 2023, 23.0)]).assign(households=[80_000, 81_000, 82_000])
    row = period_assessment(h, PLAN).iloc[0]
    assert (row["baseline_year"], row["latest_year"], row["end_year"]) == (2021, 2023, 2025)
    assert row["average_reduction_pp"] == pytest.approx(2.0)
    assert row["status"] == MET
    assert row["projected_rate_low"] == pytest.approx(19.0)
    assert row["projected_rate_high"] == pytest.approx(18.0)
    assert row["projected_rate_observed"] == pytest.approx(19.0)
    assert row["target_rate_low"] == pytest.approx(19.0)  # 27 - 2 × 4
    assert row["required_reduction_pp"] == pytest.approx(2.0)  # (23 - 19) / 2
    assert row["households_basis"] == 82_000
    assert row["households_to_exit_per_year"] == pytest.approx(1640.0)
    assert "2023 count" in row["households_assumption"]
    given = period_assessment(h, PLAN, households={"province": 100_000}).iloc[0]
    assert given["households_to_exit_per_year"] == pytest.approx(2000.0)
    assert period_assessment(h, PLAN, households=50_000).iloc[0]["households_to_exit_per_year"] == pytest.approx(1000.0)


def test_near_zero_is_impossible_and_rates_stay_non_negative() -> None:
    h = history([("city", 2021, 2.8), ("city", 2022, 2.4), ("city", 2023, 1.9)])
    annual = annual_verdicts(h, PLAN)
    # 2 pp a year for four years is 8 pp, more than the 2.8% the city starts from.
    assert annual["status"].iloc[2] == UNATTAINABLE
    assert annual["note"].iloc[2] == ""  # from 2.4% a 2 pp fall was still possible
    later = annual_verdicts(pd.concat([h, history([("city", 2024, 1.0)])]), PLAN)
    assert later["status"].iloc[3] == UNATTAINABLE
    assert "impossible" in later["note"].iloc[3]  # from 1.9% a 2 pp fall goes below zero
    row = period_assessment(h, PLAN).iloc[0]
    assert row["status"] == UNATTAINABLE
    assert row["projected_rate_low"] == 0.0 and row["projected_rate_high"] == 0.0
    assert row["target_rate_low"] == 0.0
    assert row["required_reduction_pp"] == pytest.approx(1.9 / 2)  # reach zero
    assert "impossible" in row["note"]
    assert np.isnan(row["households_to_exit_per_year"])
    assert "unknown" in row["households_assumption"]


def test_unattainable_only_replaces_a_miss() -> None:
    """A fall that meets an unattainable target still counts; one that misses is never "not met"."""
    h = history([("city", 2021, 5.0), ("city", 2022, 2.5), ("city", 2023, 2.0), ("province", 2021, 30.0), ("province", 2022, 29.0)])
    annual = annual_verdicts(h, PLAN).set_index(["scope", "year"])["status"]
    assert annual[("city", 2022)] == MET  # 5.0 < 2 x 4: unattainable over the period, yet 2.5 pp fell
    assert annual[("city", 2023)] == UNATTAINABLE  # 0.5 pp
    assert annual[("province", 2022)] == NOT_MET  # 30% leaves room for 8 pp: a plain miss
    period = period_assessment(h, PLAN).set_index("scope")["status"]
    assert period["city"] == UNATTAINABLE and period["province"] == NOT_MET  # city: 1.5 pp a year on average


def test_bundled_city_is_never_judged_a_failure(capsys: pytest.CaptureFixture[str]) -> None:
    """Thành phố Bắc Kạn starts at 2.83% against 2–2.5 pp a year: unattainable in `targets` JSON."""
    import json

    from analysis.cli import main

    assert main(["targets"]) == 0
    out = json.loads(capsys.readouterr().out)
    annual = [r["status"] for r in out["annual"] if r["scope"] == "Thành phố Bắc Kạn" and r["status"]]
    period = [r["status"] for r in out["period"] if r["scope"] == "Thành phố Bắc Kạn"]
    assert annual and set(annual) == {UNATTAINABLE} and period == [UNATTAINABLE]


def test_already_reached_and_end_year() -> None:
    h = history([("province", 2021, 20.0), ("province", 2023, 8.0)])
    row = period_assessment(h, PLAN).iloc[0]
    assert row["status"] == EXCEEDED
    assert row["required_reduction_pp"] == 0.0
    assert "already" in row["note"]
    h = history([("province", 2021, 20.0), ("province", 2025, 10.0)])
    row = period_assessment(h, PLAN).iloc[0]
    assert np.isnan(row["required_reduction_pp"])


def test_missing_baseline() -> None:
    row = period_assessment(history([("province", 2022, 20.0), ("province", 2023, 18.0)]), PLAN).iloc[0]
    assert pd.isna(row["status"])
    assert "baseline" in row["note"]


def test_bundled_targets_table() -> None:
    plan = load_targets().set_index("scope")
    assert plan.loc["province", ["reduction_low_pp", "reduction_high_pp"]].tolist() == [2.0, 2.5]
    assert plan.loc["poor districts", ["reduction_low_pp", "reduction_high_pp"]].tolist() == [3.5, 4.0]
    assert plan.loc["ethnic minority households", "reduction_low_pp"] == 3.0
    assert np.isnan(plan.loc["ethnic minority households", "reduction_high_pp"])
    assert plan.loc["Pác Nặm", "reduction_low_pp"] == 3.5 and plan.loc["Na Rì", "reduction_low_pp"] == 2.0
    assert (plan["baseline_year"] == 2021).all() and (plan["end_year"] == 2025).all()
    assert plan["source"].str.len().gt(0).all()


def test_bad_targets_file(tmp_path: Path) -> None:
    path = tmp_path / "targets.csv"
    path.write_text(
        "scope,baseline_year,end_year,reduction_low_pp,reduction_high_pp,source\n"
        "province,2021,2025,2,2.5,x\n"
        "province,2021,2020,abc,1,x\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_targets(path)
    text = str(err.value)
    assert "row 3, column 'reduction_low_pp'" in text
    assert "row 3, column 'end_year'" in text
    assert "one row per scope" in text


def test_history_csv(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text("scope,year,poor_rate,households\nprovince,2021,\"27,37\",81488\nprovince,2022,24.71,\n", encoding="utf-8-sig")
    h = load_history(path)
    assert h["poor_rate"].tolist() == [27.37, 24.71]
    assert h["households"].iloc[0] == 81488
    bad = tmp_path / "bad.csv"
    bad.write_text("scope,year,poor_rate,poor,households\nprovince,2021,127,5,4\nprovince,2021,20,,\n,20x,1,,\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_history(bad)
    text = str(err.value)
    for expected in ("row 2, column 'poor_rate'", "row 2, column 'poor'", "row 3, column 'year'", "row 4, column 'scope'", "row 4, column 'year'"):
        assert expected in text
    with pytest.raises(DataError, match="poor_rate"):
        (tmp_path / "cols.csv").write_text("scope,year,rate\n", encoding="utf-8")
        load_history(tmp_path / "cols.csv")


def test_history_from_households() -> None:
    rows = []
    for year, poor_flags in ((2021, [1, 1, 0, 0]), (2022, [1, 0, 0, 0])):
        for i, (district, ethnicity) in enumerate([("Pác Nặm", "Mông"), ("Ba Bể", "Tày"), ("Ba Bể", "Kinh"), ("Pác Nặm", "Kinh")]):
            rows.append({"household_id": f"h{i}", "year": year, "province": "Bắc Kạn", "district": district, "ethnicity": ethnicity, "status": "poor" if poor_flags[i] else "average"})
    h = history_from_households(pd.DataFrame(rows)).set_index(["scope", "year"])
    assert h.loc[("province", 2021), "poor_rate"] == 50.0
    assert h.loc[("province", 2022), "poor_rate"] == 25.0
    assert h.loc[("poor districts", 2021), "poor_rate"] == 50.0
    assert h.loc[("ethnic minority households", 2022), "poor_rate"] == 50.0
    assert h.loc[("Ba Bể", 2021), "households"] == 2
    scopes = list(dict.fromkeys(h.index.get_level_values(0)))
    assert scopes == ["province", "poor districts", "ethnic minority households", "Pác Nặm", "Ba Bể"]


def test_cli_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from analysis.cli import main

    assert main(["targets"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"annual", "period"} <= set(out)
    origin = {"assumed_from", "target_note"}  # where the target comes from (added beside the keys of old)
    for row in out["annual"]:
        assert set(row) == {"scope", "year", "poor_rate", "reduction_pp", "status"} | origin
    for row in out["period"]:
        assert set(row) == {
            "scope", "baseline_year", "latest_year", "average_reduction_pp", "status", "projected_rate_low",
            "projected_rate_high", "projected_rate_observed", "required_reduction_pp", "households_to_exit_per_year",
        } | origin
    assert {r["scope"]: r["assumed_from"] for r in out["period"]}["Pác Nặm"] == "poor districts"  # targets.csv: assumed
    published = {(r["scope"], r["year"]): r for r in out["annual"]}[("province (published)", 2022)]
    assert published["reduction_pp"] == pytest.approx(2.66) and published["status"] == "exceeded"
    scopes = {r["scope"] for r in out["period"]}
    assert {"province", "poor districts", "ethnic minority households", "Pác Nặm", "province (published)"} <= scopes
    assert out["units"]["reduction_pp"] == "pp a year"


def test_cli_csv_writes_years_as_years(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import io

    from analysis.cli import main

    path = tmp_path / "history.csv"
    path.write_text("scope,year,poor_rate\nprovince,2021,27.37\nprovince,2022,24.71\n", encoding="utf-8")
    assert main(["targets", "--history", str(path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["table"], r["year"]) for r in rows if r["table"] == "annual"] == [("annual", "2021"), ("annual", "2022")]
    period = next(r for r in rows if r["table"] == "period")
    assert (period["year"], period["baseline_year"], period["latest_year"]) == ("", "2021", "2022")


def test_cli_history_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from analysis.cli import main

    path = tmp_path / "history.csv"
    path.write_text("scope,year,poor_rate\nprovince,2021,27.37\nprovince,2022,24.71\n", encoding="utf-8")
    assert main(["targets", "--history", str(path), "--format", "table"]) == 0
    text = capsys.readouterr().out
    assert "vượt mục tiêu" in text and "(pp/yr)" in text and "(%)" in text
    path.write_text("scope,year,poor_rate\nprovince,2021,abc\n", encoding="utf-8")
    assert main(["targets", "--history", str(path)]) == 1
    assert "row 2, column 'poor_rate'" in capsys.readouterr().err
