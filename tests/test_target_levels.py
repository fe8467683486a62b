"""Targets are matched at their level: a district's row never judges a commune of the same name.

Since 2025 Xã Bạch Thông (Dương Phong and Quang Thuận of the former Bạch Thông district, Đồng
Thắng of the former Chợ Đồn) bears the name of a former district that has a row in
data/targets.csv; a commune-level assessment must not take that row.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import deprived, records

from analysis.cli import main
from analysis.errors import DataError
from analysis.measures.classification import classify
from analysis.measures.targets import annual_verdicts, history_from_households, load_targets, period_assessment
from analysis.review import columns as c
from analysis.tables.workbook import target_tables

POOR = {c.INCOME: 1_000_000, **deprived(3)}
NOT_POOR = {c.INCOME: 5_000_000}
OLD_BACH_THONG = {c.YEAR: 2021, c.PROVINCE: "Bắc Kạn", c.DISTRICT: "Bạch Thông", c.COMMUNE: "Dương Phong"}
OLD_CHO_DON = {c.YEAR: 2021, c.PROVINCE: "Bắc Kạn", c.DISTRICT: "Chợ Đồn", c.COMMUNE: "Đồng Thắng"}
NEW_BACH_THONG = {c.YEAR: 2025, c.PROVINCE: "Thái Nguyên", c.DISTRICT: "", c.COMMUNE: "Bạch Thông"}


def _review() -> pd.DataFrame:
    """2021: 10 households of Dương Phong (4 poor) and 10 of Đồng Thắng (2 poor); 2025: the 20 in
    Xã Bạch Thông, 3 poor: 2 of the 10 from Dương Phong (former Bạch Thông district: 40% → 20%)
    and 1 of the 10 from Đồng Thắng."""
    rows = ([{**OLD_BACH_THONG, **(POOR if i < 4 else NOT_POOR)} for i in range(10)]
            + [{**OLD_CHO_DON, **(POOR if i < 2 else NOT_POOR)} for i in range(10)]
            + [{**NEW_BACH_THONG, c.FORMER_COMMUNE: "Dương Phong", **(POOR if i < 2 else NOT_POOR)} for i in range(10)]
            + [{**NEW_BACH_THONG, c.FORMER_COMMUNE: "Đồng Thắng", **(POOR if i < 1 else NOT_POOR)} for i in range(10)])
    frame = records(*rows)
    frame[c.HOUSEHOLD_ID] = [f"H{i}" for i in range(len(frame))]
    frame[c.FORMER_COMMUNE] = frame[c.FORMER_COMMUNE].fillna("")
    return frame


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return classify(_review(), "decree-07-2021")


def _scope(table: pd.DataFrame, scope: str) -> pd.DataFrame:
    return table[table["scope"] == scope]


def test_commune_history_takes_no_district_row(panel: pd.DataFrame) -> None:
    history = history_from_households(panel, division="new")
    assert _scope(history, "Bạch Thông")["poor_rate"].tolist() == [30.0, 15.0]  # the commune: 6 of 20, then 3 of 20
    annual = _scope(annual_verdicts(history, load_targets()), "Bạch Thông")
    assert annual["target_low_pp"].isna().all() and annual["status"].isna().all()
    assert annual["note"].tolist() == ["no target for this scope", "no target for this scope; fall annualised over 4 years"]
    assert "Bạch Thông" not in set(period_assessment(history, load_targets())["scope"])


def test_former_district_keeps_its_row(panel: pd.DataFrame) -> None:
    """On purpose: a new-division year's households counted in their former district meet its target."""
    history = history_from_households(panel)
    period = period_assessment(history, load_targets()).set_index("scope")
    row = period.loc["Bạch Thông"]
    assert (row["baseline_rate"], row["latest_rate"], row["target_low_pp"], row["target_high_pp"]) == (40.0, 20.0, 2.0, 2.5)


def test_targets_command_on_the_new_division(panel: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "review.csv"
    _review().to_csv(path, index=False)
    assert main(["targets", "--data", str(path), "--division", "new", "--threshold", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "Bạch Thông" not in {r["scope"] for r in out["period"]}
    assert [r["status"] for r in out["annual"] if r["scope"] == "Bạch Thông"] == [None, None]
    assert main(["targets", "--data", str(path), "--threshold", "1"]) == 0  # by former district: its row
    assert "Bạch Thông" in {r["scope"] for r in json.loads(capsys.readouterr().out)["period"]}


def test_workbook_targets_on_the_new_division(panel: pd.DataFrame) -> None:
    annual, period, _ = target_tables(panel, 2025, division="new")
    assert _scope(annual, "Bạch Thông")["status"].isna().all()
    assert "Bạch Thông" not in set(period["scope"])


def test_a_commune_row_of_the_targets_file_judges_the_commune_only(panel: pd.DataFrame, tmp_path: Path) -> None:
    """A ``level`` column marks a commune's own target; a row without it is a district's."""
    plan = tmp_path / "targets.csv"
    plan.write_text("scope,level,baseline_year,end_year,reduction_low_pp,reduction_high_pp\n"
                    "Bạch Thông,commune,2021,2025,3,4\nBạch Thông,,2021,2025,1,1.5\n", encoding="utf-8")
    targets = load_targets(plan)
    communes = period_assessment(history_from_households(panel, division="new"), targets).set_index("scope")
    assert (communes.loc["Bạch Thông", "target_low_pp"], communes.loc["Bạch Thông", "average_reduction_pp"]) == (3.0, 3.75)
    districts = period_assessment(history_from_households(panel), targets).set_index("scope")
    assert districts.loc["Bạch Thông", "target_low_pp"] == 1.0
    assert districts.loc["Bạch Thông", "average_reduction_pp"] == 5.0


def test_a_bad_level_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "targets.csv"
    plan.write_text("scope,level,baseline_year,end_year,reduction_low_pp,reduction_high_pp\n"
                    "Bạch Thông,huyện,2021,2025,3,4\nprovince,commune,2021,2025,2,2.5\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_targets(plan)
    found = [(p.row, p.column, p.value) for p in err.value.problems]
    assert found == [(2, "level", "huyện"), (3, "level", "commune")]


def test_commune_briefs_take_their_former_district_not_a_namesake(bundled_inputs_all) -> None:
    """Xã Bạch Thông straddles two former districts: the province's target; Xã Ngân Sơn lies in
    the former Ngân Sơn district: its target, named as the former district's (never the row itself)."""
    targets = bundled_inputs_all.communes.targets.set_index("scope")
    bach_thong = targets.loc["Bạch Thông"]
    assert bach_thong["assumed_from"] == "province"
    assert bach_thong["note_vi"].endswith("xã thuộc huyện Bạch Thông cũ và huyện Chợ Đồn cũ nên áp dụng mục tiêu của tỉnh Bắc Kạn cũ")
    ngan_son = targets.loc["Ngân Sơn"]
    assert (ngan_son["assumed_from"], ngan_son["reduction_low_pp"], ngan_son["reduction_high_pp"]) == ("Ngân Sơn", 3.5, 4.0)
    assert ngan_son["note_vi"].endswith("áp dụng mục tiêu của huyện Ngân Sơn cũ")
    assert not targets["note_vi"].str.contains("cho huyện").any()  # no district's own row at the commune level


def test_workbook_targets_are_the_data_provinces_own() -> None:
    """An Giang also had a Chợ Mới district: its workbook takes none of Bắc Kạn's rows (the
    ``targets`` command and the briefs already keep the data's provinces' rows only)."""
    rows = [{c.YEAR: year, c.PROVINCE: "An Giang", c.DISTRICT: "Chợ Mới", c.COMMUNE: "Kiến An", **(POOR if i < poor else NOT_POOR)}
            for year, poor in ((2021, 5), (2022, 3)) for i in range(20)]
    frame = records(*rows)
    frame[c.HOUSEHOLD_ID] = [f"H{i % 20}" for i in range(len(frame))]
    annual, period, history = target_tables(classify(frame, "decree-07-2021"), 2022)
    assert annual["target_low_pp"].isna().all() and period.empty
    assert "province (published)" not in set(history["scope"])  # Bắc Kạn's published series


def test_a_district_brief_quotes_its_districts_row(tmp_path: Path) -> None:
    """With a commune's row of the same name listed first, a district brief still quotes the
    district's own row (its note, its assumption) beside the verdict it is judged by."""
    from analysis.briefs import brief as br
    from analysis.briefs import inputs as bi
    from analysis.briefs import sections

    plan = tmp_path / "targets.csv"
    plan.write_text("scope,level,baseline_year,end_year,reduction_low_pp,reduction_high_pp,note,assumed_from\n"
                    "province,,2021,2025,2,2.5,,\n"
                    "Bạch Thông,commune,2021,2025,3,4,the commune's own target,\n"
                    "Bạch Thông,,2021,2025,1,1.5,the district's target,province\n", encoding="utf-8")
    rows = [{**OLD_BACH_THONG, c.YEAR: year, **(POOR if i < poor else NOT_POOR)} for year, poor in ((2021, 4), (2022, 3)) for i in range(10)]
    frame = records(*rows)
    frame[c.HOUSEHOLD_ID] = [f"H{i % 10}" for i in range(len(frame))]
    path = tmp_path / "review.csv"
    frame.to_csv(path, index=False)
    inputs = bi.prepare_inputs(path, targets_path=plan, threshold=1)
    b = br.district_brief(inputs, "Bạch Thông", 2022, "en")
    notes = " ".join(sections.data_notes(b).paragraphs)
    assert "the district's target" in notes and "the commune's own target" not in notes
    assert sections.headline_figures(b)["target_low_pp"] == 1.0
    from analysis.briefs.sections.district import scope_words

    assert scope_words(b, "Bạch Thông") == "assumed: the province's target"
