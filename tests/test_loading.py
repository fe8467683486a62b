"""Quirky-but-valid files load; every kind of bad input gets a specific problem."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest
from conftest import VALID, one_problem, problems_of

from analysis import DataError, check_files, load_households
from analysis.review import columns as c

# --- valid but quirky ------------------------------------------------------------------


@pytest.mark.parametrize("options", [{}, {"bom": True}, {"crlf": True}, {"bom": True, "crlf": True}, {"sep": ";"}])
def test_csv_forms_load_the_same(write_csv, options):
    loaded = load_households(write_csv(VALID, **options))
    assert loaded[c.DISTRICT].tolist() == ["Pác Nặm", "Ngân Sơn", "Thành phố Bắc Kạn"]
    assert loaded[c.INCOME].tolist() == [1_200_000] * 3
    assert list(loaded.columns[:9]) == list(c.IDENTITY_COLUMNS)


def test_names_in_nfd_with_level_words_and_old_or_new_tone_marks(write_csv):
    quirky = VALID.copy()
    quirky[c.DISTRICT] = ["Huyện Pác Nặm", "huyện ngân sơn", "TP Bắc Kạn"]
    quirky[c.COMMUNE] = ["Xã Nghiên Loan", "Xã Trung Hòa", "Phường Sông Cầu"]
    quirky[c.PROVINCE] = "Tỉnh Bắc Kạn"
    quirky = quirky.map(lambda v: unicodedata.normalize("NFD", v) if isinstance(v, str) else v)
    loaded = load_households(write_csv(quirky))
    assert loaded[c.DISTRICT].tolist() == ["Pác Nặm", "Ngân Sơn", "Thành phố Bắc Kạn"]
    assert loaded[c.COMMUNE].tolist() == ["Nghiên Loan", "Trung Hoà", "Sông Cầu"]
    assert all(unicodedata.is_normalized("NFC", v) for v in loaded[c.ETHNICITY])


def test_vietnamese_area_words_and_grouped_numbers(write_csv):
    quirky = VALID.astype(object).copy()
    quirky[c.AREA] = ["nông thôn", "Nông thôn", "thành thị"]
    quirky[c.INCOME] = ["1.200.000", "1,200,000", "1200000.0"]
    loaded = load_households(write_csv(quirky))
    assert loaded[c.AREA].tolist() == ["rural", "rural", "urban"]
    assert loaded[c.INCOME].tolist() == [1_200_000] * 3


def test_excel_first_sheet_and_named_sheet(tmp_path):
    path = tmp_path / "review.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"note": ["cover sheet"]}).to_excel(writer, sheet_name="Bìa", index=False)
        VALID.to_excel(writer, sheet_name="Hộ gia đình", index=False)
    assert len(load_households(path, sheet="Hộ gia đình")) == 3
    problem = one_problem(path)  # the first sheet is the cover, without the columns
    assert "no header is a column of the data contract" in str(problem) and "'note'" in str(problem)
    missing = problems_of(path, sheet="Không có")
    assert "no sheet named 'Không có'" in str(missing[0]) and "Hộ gia đình" in str(missing[0])


def test_excel_rows_are_numbered_as_in_the_spreadsheet(tmp_path):
    path = tmp_path / "review.xlsx"
    bad = VALID.copy()
    bad.loc[2, c.MEMBERS] = 0
    bad.to_excel(path, index=False)
    assert one_problem(path).row == 4


def _workbooks() -> dict[str, tuple[pd.DataFrame, dict[str, int], bool]]:
    """Workbooks (frame, where it starts, whether its columns can be read straight) of every kind of cell."""
    bad = VALID.astype(object).copy()
    bad.loc[0, "water"], bad.loc[1, c.MEMBERS], bad.loc[2, c.ETHNICITY] = 2, 0, None
    blank_rows = pd.concat([pd.DataFrame([{}]), VALID.iloc[:1], pd.DataFrame([{}]), VALID.iloc[1:]], ignore_index=True)
    blank_rows.loc[4, c.MEMBERS] = 0
    mixed = VALID.astype(object).copy()
    mixed[c.INCOME] = ["800.000", 1_200_000, "1.500.000"]
    numeric_ids = VALID.assign(household_id=[1001, 1002, 1001])
    twice = VALID.copy()
    twice.columns = [*twice.columns[:-1], "water"]
    odd = VALID.assign(income_per_capita=[float("nan"), 1e30, 5.5], ethnicity=["  ", "Dao", None])
    dates = VALID.assign(year=[pd.Timestamp("2024-01-01")] * 3)
    return {
        "bad cells": (bad, {}, True), "blank rows": (blank_rows, {}, True), "numbers and text in a column": (mixed, {}, False),
        "numeric ids": (numeric_ids, {}, True), "a header twice": (twice, {}, True), "empty and absurd cells": (odd, {}, True),
        "dates": (dates, {}, False), "a table below and right of A1": (VALID, {"startrow": 2, "startcol": 1}, False),
    }


@pytest.mark.parametrize("kind", list(_workbooks()))
def test_excel_columns_read_as_the_rows_are(tmp_path, monkeypatch, kind):
    """A workbook read straight into columns (fastexcel) gives the same table and problems as
    its rows read cell by cell (python-calamine); a sheet it cannot serve exactly is left to the rows."""
    from analysis.review import reading

    frame, where, straight = _workbooks()[kind]
    path = tmp_path / "review.xlsx"
    with pd.ExcelWriter(path) as writer:
        frame.to_excel(writer, index=False, **where)
    assert (reading._read_excel_columns(path, None) is not None) == straight
    fast = check_files([path])
    monkeypatch.setattr(reading, "_read_excel_columns", lambda path, sheet: None)
    rows = check_files([path])
    assert [str(p) for p in fast.problems] == [str(p) for p in rows.problems] and fast.total == rows.total
    pd.testing.assert_frame_equal(fast.frame, rows.frame)


def test_parquet(tmp_path):
    path = tmp_path / "review.parquet"
    VALID.to_parquet(path)
    assert len(load_households(path)) == 3


def test_vietnamese_form_headers_through_the_alias_table(write_csv):
    labels = {
        c.HOUSEHOLD_ID: "Mã hộ", c.YEAR: "Năm", c.PROVINCE: "Tỉnh", c.DISTRICT: "Huyện", c.COMMUNE: "Xã",
        c.AREA: "Khu vực", c.ETHNICITY: "Dân tộc", c.MEMBERS: "Số nhân khẩu",
        c.INCOME: "Thu nhập bình quân đầu người", "water": "Nguồn nước sinh hoạt",
    }
    loaded = load_households(write_csv(VALID.rename(columns=labels)))
    assert len(loaded) == 3 and c.INCOME in loaded.columns


def test_users_extend_the_alias_table(write_csv, tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,column\nTN/người/tháng,income_per_capita\n", encoding="utf-8")
    path = write_csv(VALID.rename(columns={c.INCOME: "TN/người/tháng"}))
    assert len(load_households(path, aliases_path=aliases)) == 3


def test_blank_lines_do_not_shift_row_numbers(write_csv, tmp_path):
    path = write_csv(VALID)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",4,", ",0,")  # third line = second household
    path.write_text("\n".join(lines[:2] + [""] + lines[2:]) + "\n", encoding="utf-8")
    assert one_problem(path).row == 4


def test_bundled_data_say_they_are_synthetic():
    loaded = load_households()
    assert loaded.attrs["synthetic"] is True
    assert "synthetic" in loaded.attrs["description"].lower()


# --- every validation error --------------------------------------------------------------


def test_missing_columns_are_named(write_csv):
    problems = problems_of(write_csv(VALID.drop(columns=[c.INCOME, "water"])))
    text = "\n".join(map(str, problems))
    assert "missing column 'income_per_capita'" in text
    assert "missing column 'water' (an indicator of decree-07-2021)" in text


def test_indicators_of_the_other_standard_are_not_needed(write_csv):
    path = write_csv(VALID.drop(columns=[c.HEALTH_SERVICE_ACCESS]))
    assert problems_of(path) == []
    problem = one_problem(path, standard="decision-59-2015")
    assert "health_service_access" in str(problem)


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        (c.INCOME, "abc", "a number (VND per person per month)"),
        (c.INCOME, "-1", "an income of 0 or more"),
        (c.INCOME, "", "a number (VND per person per month)"),
        ("water", "2", "1 (deprived) or 0 (not deprived)"),
        ("water", "có", "1 (deprived) or 0 (not deprived)"),
        (c.MEMBERS, "0", "a whole number of members, at least 1"),
        (c.MEMBERS, "2.5", "a whole number of members, at least 1"),
        (c.AREA, "miền núi", "'rural' or 'urban'"),
        (c.YEAR, "năm 2024", "a review year"),
        (c.HOUSEHOLD_ID, "", "a household identifier"),
        (c.ETHNICITY, "", "the ethnic group"),
    ],
)
def test_bad_cell_names_file_row_column_value_and_expectation(write_csv, column, value, expected):
    bad = VALID.astype(object).copy()
    bad.loc[1, column] = value
    path = write_csv(bad)
    problem = one_problem(path)
    assert (problem.file, problem.row, problem.column) == (str(path), 3, column)
    assert problem.value == value and expected in problem.expected
    assert str(path) in str(problem) and "row 3" in str(problem) and column in str(problem)


@pytest.mark.parametrize("cell", ["0x1", " 1", "01", "1.0", "+1", "true"])
def test_flags_typed_otherwise_are_read_as_any_number(write_csv, cell):
    """A CSV's 0/1 flags are parsed straight into booleans only when every cell is exactly 0, 1
    or empty; a flag written otherwise is read as the Vietnamese reader reads it (never as hex)."""
    plain = load_households(write_csv(VALID, "plain.csv"))
    odd = VALID.astype(object).copy()
    odd.loc[1, "water"] = cell
    if cell in (" 1", "01", "1.0", "+1"):  # read as 1
        expected = plain.copy()
        expected.loc[1, "water"] = 1
        pd.testing.assert_frame_equal(load_households(write_csv(odd, "odd.csv")), expected, check_like=False)
    else:
        problem = one_problem(write_csv(odd, "odd.csv"))
        assert (problem.row, problem.column, problem.value) == (3, "water", cell)


def test_an_empty_flag_is_reported_as_empty(write_csv):
    bad = VALID.astype(object).copy()
    bad.loc[1, "water"] = ""
    problem = one_problem(write_csv(bad))
    assert (problem.row, problem.column, problem.value, problem.expected) == (3, "water", "", "1 (deprived) or 0 (not deprived)")


def test_unknown_district_suggests_the_closest(write_csv):
    bad = VALID.copy()
    bad.loc[0, c.DISTRICT] = "Pac Nam"
    problem = one_problem(write_csv(bad))
    assert problem.column == c.DISTRICT and problem.value == "Pac Nam"
    assert "did you mean 'Pác Nặm'?" in str(problem)


def test_unknown_commune_suggests_the_closest_in_its_district(write_csv):
    bad = VALID.copy()
    bad.loc[0, c.COMMUNE] = "Nghien Loan"
    problem = one_problem(write_csv(bad))
    assert "did you mean 'Nghiên Loan'?" in str(problem)


def test_commune_of_another_district(write_csv):
    bad = VALID.copy()
    bad.loc[0, c.COMMUNE] = "Trung Hoà"
    problem = one_problem(write_csv(bad))
    assert "Trung Hoà is in Ngân Sơn" in str(problem)


def test_duplicate_household_in_a_year_within_and_across_files(write_csv):
    bad = VALID.copy()
    bad.loc[2, c.HOUSEHOLD_ID] = "H1"
    problem = one_problem(write_csv(bad))
    assert (problem.row, problem.column, problem.value) == (4, c.HOUSEHOLD_ID, "H1")
    first = write_csv(VALID, "a.csv")
    second = write_csv(VALID.iloc[:1], "b.csv")
    problems = check_files([first, second]).problems
    assert len(problems) == 1 and problems[0].file == str(second)
    next_year = write_csv(VALID.assign(year=2023), "c.csv")
    assert check_files([first, next_year]).problems == []


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_duplicates_compare_ids_as_the_checks_read_them(tmp_path, suffix):
    """An id with surrounding spaces is the same household; the same id in another year is not."""
    bad = pd.concat([VALID, VALID.assign(year=2023)], ignore_index=True)
    bad.loc[2, c.HOUSEHOLD_ID] = " H1  "  # row 4: H1 again in 2024
    bad.loc[5, c.HOUSEHOLD_ID] = "H2"  # row 7: H2 again in 2023
    path = tmp_path / f"review{suffix}"
    if suffix == ".csv":
        bad.to_csv(path, index=False)
    elif suffix == ".xlsx":
        bad.to_excel(path, index=False)
    else:
        bad.to_parquet(path, index=False)
    problems = problems_of(path)
    first = 2 if suffix != ".parquet" else 1  # the first household's row
    assert [(p.row, p.column, p.value, p.expected) for p in problems] == [
        (first + 2, c.HOUSEHOLD_ID, "H1", "a household_id unique within year 2024"),
        (first + 5, c.HOUSEHOLD_ID, "H2", "a household_id unique within year 2023"),
    ]


def test_a_cell_over_several_lines_is_one_spreadsheet_row(write_csv):
    bad = VALID.copy()
    bad.loc[0, c.ETHNICITY] = "Tày\n(ghi chú)"  # a line break inside a quoted cell
    bad.loc[1, c.MEMBERS] = 0
    problems = problems_of(write_csv(bad))
    assert [(p.row, p.column) for p in problems] == [(3, c.MEMBERS)]


def test_empty_file_and_header_without_rows(tmp_path, write_csv):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "the file is empty" in str(one_problem(empty))
    header_only = write_csv(VALID.iloc[:0], "header.csv")
    assert "header and no rows" in str(one_problem(header_only))


def test_files_that_are_not_what_their_extension_says(tmp_path, write_csv):
    fake_excel = tmp_path / "review.xlsx"
    fake_excel.write_text("household_id,year\n", encoding="utf-8")
    assert "not an Excel file" in str(one_problem(fake_excel))
    fake_parquet = tmp_path / "review.parquet"
    fake_parquet.write_text("household_id,year\n", encoding="utf-8")
    assert "not a Parquet file" in str(one_problem(fake_parquet))
    excel_as_csv = tmp_path / "review.csv"
    VALID.to_excel(tmp_path / "real.xlsx", index=False)
    excel_as_csv.write_bytes((tmp_path / "real.xlsx").read_bytes())
    assert "not CSV text" in str(one_problem(excel_as_csv))


def test_other_file_problems(tmp_path):
    assert "no such file" in str(one_problem(tmp_path / "missing.csv"))
    odd = tmp_path / "review.docx"
    odd.write_text("x", encoding="utf-8")
    assert "unsupported file type '.docx'" in str(one_problem(odd))
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"household_id,district\nH1,P\xe1c N\xe3m\n")
    problem = one_problem(latin)
    assert "UTF-8" in problem.expected and problem.row == 2


def test_every_problem_is_listed_and_counted_beyond_the_cap(write_csv):
    bad = pd.concat([VALID] * 40, ignore_index=True)
    bad[c.HOUSEHOLD_ID] = [f"H{i}" for i in range(len(bad))]
    bad[c.MEMBERS] = 0
    with pytest.raises(DataError) as caught:
        load_households(write_csv(bad))
    assert caught.value.total == 120
    assert len(caught.value.problems) < 120
    assert "... and 100 more problem(s)" in caught.value.report(50)
