"""Targets are matched at their level: a district's row never judges a commune of the same name.

Since 2025 Xã Bạch Thông (Dương Phong and Quang Thuận of the former Bạch Thông district, Đồng
Thắng of the former Chợ Đồn) bears the name of a former district that has a row in
data/targets.csv; a commune-level assessment must not take that row.
"""

from __future__ import annotations

import io
import json
import re
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


#: Why Xã Bạch Thông is held to the province's target (it lies in two former districts), in
#: the words of its brief's targets table.
STRADDLES = ("assumption: no published commune target; it lies in former Bạch Thông district and former Chợ Đồn district, "
             "so the former Bắc Kạn province's target applied")


def test_targets_command_on_the_new_division(panel: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Xã Bạch Thông is judged as its brief judges it: against the province's target (assumed,
    and said so), never its namesake district's row. By hand: 30% (6 of 20) in 2021, 15% (3 of
    20) in 2025, a fall of 3.75 pp a year over the four years, above the province's 2–2.5: exceeded."""
    path = tmp_path / "review.csv"
    _review().to_csv(path, index=False)
    assert main(["targets", "--data", str(path), "--division", "new", "--threshold", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    annual = [r for r in out["annual"] if r["scope"] == "Bạch Thông"]
    assert [(r["poor_rate"], r["reduction_pp"], r["status"]) for r in annual] == [(30.0, None, None), (15.0, 3.75, "exceeded")]
    assert {(r["assumed_from"], r["target_note"]) for r in annual} == {("province", STRADDLES)}
    (period,) = [r for r in out["period"] if r["scope"] == "Bạch Thông"]
    assert (period["average_reduction_pp"], period["status"], period["assumed_from"], period["target_note"]) == (3.75, "exceeded", "province", STRADDLES)
    assert f"Bạch Thông: target of province ({STRADDLES})" in out["notes"]
    assert main(["targets", "--data", str(path), "--division", "new", "--threshold", "1", "--format", "csv"]) == 0
    rows = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)
    mine = rows[rows["scope"] == "Bạch Thông"]
    assert mine[["table", "status", "assumed_from", "target_note"]].values.tolist() == [
        ["annual", "", "province", STRADDLES], ["annual", "exceeded", "province", STRADDLES], ["period", "exceeded", "province", STRADDLES]]
    assert main(["targets", "--data", str(path), "--division", "new", "--threshold", "1", "--format", "table"]) == 0
    table = capsys.readouterr().out
    assert re.search(r"Bạch Thông\s+2025\s+15\.00\s+3\.75\s+exceeded\s+province\s+vượt mục tiêu", table)
    assert f"- Bạch Thông: target of province ({STRADDLES})" in table
    assert main(["targets", "--data", str(path), "--threshold", "1"]) == 0  # by former district: its row
    period = {r["scope"]: r for r in json.loads(capsys.readouterr().out)["period"]}
    assert period["Bạch Thông"]["average_reduction_pp"] == 5.0 and period["Bạch Thông"]["assumed_from"] == "province"


def test_workbook_targets_on_the_new_division(panel: pd.DataFrame) -> None:
    """The workbook's targets on the new division judge Xã Bạch Thông as the command does, and its
    targets sheet says whose target it is, in the sheet's language."""
    from analysis.tables.workbook import build_sheets

    annual, period, _ = target_tables(panel, 2025, division="new")
    assert _scope(annual, "Bạch Thông")["status"].tolist() == [None, "exceeded"]
    assert _scope(period, "Bạch Thông")[["status", "assumed_from"]].values.tolist() == [["exceeded", "province"]]
    for lang, said in (("vi", "xã thuộc huyện Bạch Thông cũ và huyện Chợ Đồn cũ nên áp dụng mục tiêu của tỉnh Bắc Kạn cũ"), ("en", STRADDLES)):
        sheet = build_sheets(panel, 2025, level="commune", lang=lang, threshold=1, division="new")[-2]
        scopes, origin = sheet.columns[1].values, sheet.columns[-1].values
        assert str(origin[scopes.index("Bạch Thông")]).endswith(said)
        assert origin[0] == ""  # the province's own target


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


def test_targets_command_judges_the_new_communes_as_their_briefs(bundled_inputs_all, capsys: pytest.CaptureFixture[str]) -> None:
    """``targets --division new`` on both bundled files tells the commune briefs' story: every
    commune's verdicts, period assessment and target (assumed, from where) are its brief's.
    Xã Bằng Thành lies wholly in the former Pác Nặm district (a poor district's 3.5–4 pp);
    Xã Bạch Thông straddles the former Bạch Thông and Chợ Đồn districts (the province's 2–2.5)."""
    from analysis.paths import BUNDLED_ALL

    assert main(["targets", *(arg for p in BUNDLED_ALL for arg in ("--data", str(p))), "--division", "new"]) == 0
    out = json.loads(capsys.readouterr().out)
    briefs = bundled_inputs_all.communes
    communes = list(briefs.units.districts)
    annual = pd.DataFrame(out["annual"]).set_index(["scope", "year"])
    verdicts = briefs.verdicts[briefs.verdicts["scope"].isin(communes)].set_index(["scope", "year"])
    assert len(verdicts) == 5 * len(communes) == 185 and set(verdicts.index) <= set(annual.index)
    shown = annual.loc[verdicts.index]
    judged = shown["status"].notna()
    assert judged.sum() == 4 * len(communes)  # every year after 2021 judged, none hidden (no small commune)
    assert shown.loc[judged, "status"].tolist() == verdicts.loc[judged, "status"].tolist()
    assert shown["assumed_from"].tolist() == verdicts["assumed_from"].tolist() and (shown["assumed_from"] != "").all()
    assert shown["target_note"].tolist() == verdicts["target_note"].tolist()
    period = pd.DataFrame(out["period"]).set_index("scope")
    assert period.loc[communes, "status"].tolist() == briefs.period.set_index("scope").loc[communes, "status"].tolist()
    # The two communes, by hand: the fall of 2025 against its target's band.
    bang_thanh, bach_thong = annual.loc["Bằng Thành"], annual.loc["Bạch Thông"]
    assert set(bang_thanh["assumed_from"]) == {"Pác Nặm"} and set(bach_thong["assumed_from"]) == {"province"}
    fall = round(bang_thanh.at[2024, "poor_rate"] - bang_thanh.at[2025, "poor_rate"], 9)
    assert fall == pytest.approx(bang_thanh.at[2025, "reduction_pp"]) and fall > 4.0  # 38.77% → 33.76%: 5.01 pp > 4
    assert bang_thanh.at[2025, "status"] == "exceeded"
    fall = round(bach_thong.at[2024, "poor_rate"] - bach_thong.at[2025, "poor_rate"], 9)
    assert fall == pytest.approx(bach_thong.at[2025, "reduction_pp"]) and fall < 2.0  # 18.71% → 16.98%: 1.73 pp < 2
    assert bach_thong.at[2025, "status"] == "not_met"
    assert (bang_thanh.at[2025, "poor_rate"], bach_thong.at[2025, "poor_rate"]) == pytest.approx((33.76, 16.98), abs=0.005)
