"""Hostile and messy inputs and outputs (issue 8): never a wrong number, a traceback or a guess.

Every hostile file is generated here, in ``tmp_path``. Messages must name the file, the row
as the user sees it, the column, the value and what was expected.
"""

from __future__ import annotations

import decimal
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import VALID, one_problem, problems_of

from analysis import DataError, load_households
from analysis.cli import main
from analysis.errors import UsageError
from analysis.files import check_output_file, check_output_folder
from analysis.measures.targets import load_targets
from analysis.review import columns as c
from analysis.review.numbers import read_numbers
from analysis.review.selection import choose_district
from analysis.review.units import load_units

ROOT = Path(__file__).resolve().parents[1]



def with_cell(column: str, value: object, row: int = 1) -> pd.DataFrame:
    frame = VALID.astype(object).copy()
    frame.loc[row, column] = value
    return frame


def cli(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real command line in a fresh process, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "analysis", *argv], capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- numbers as a Vietnamese reader reads them -------------------------------------------


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["800.000", "1200000"], [800_000, 1_200_000]),  # one dot: thousands
        (["800.000", "1,500,000"], [800_000, 1_500_000]),  # English grouping too
        (["1.500.000,5", "2,5"], [1_500_000.5, 2.5]),  # comma decimal
        (["1,500", "1,500,000"], [1_500, 1_500_000]),  # the column groups with commas
        (["1,500", "12,5"], [1.5, 12.5]),  # the column's comma is decimal
        (["1 500 000", "1\u00a0500", "1\u202f500\u202f000"], [1_500_000, 1_500, 1_500_000]),
        (["1200000.0", "1.200.000", "1,200,000"], [1_200_000] * 3),
        (["-5", "+7", "0", "1e3"], [-5, 7, 0, 1000]),
    ],
)
def test_numbers_read_as_a_vietnamese_reader_reads_them(texts, expected):
    numbers = read_numbers(pd.Series(texts, dtype="str"))
    assert numbers.values.tolist() == expected and not numbers.ambiguous.any()


@pytest.mark.parametrize(
    ("texts", "ambiguous", "readings"),
    [
        (["800.000", "12.5"], "800.000", ("800000", "800")),  # '.' is also a decimal point here
        (["1,500", "1200000"], "1,500", ("1500", "1.5")),  # nothing says what ',' is
        (["1,500", "1,500,000", "12,5"], "1,500", ("1500", "1.5")),  # ',' used both ways
    ],
)
def test_a_truly_ambiguous_number_is_reported_never_guessed(write_csv, texts, ambiguous, readings):
    frame = pd.concat([VALID] * 2, ignore_index=True).iloc[: len(texts)].astype(object)
    frame[c.HOUSEHOLD_ID] = [f"H{i}" for i in range(len(frame))]
    frame[c.INCOME] = texts
    path = write_csv(frame)
    problem = one_problem(path)
    row = texts.index(ambiguous) + 2
    assert (problem.file, problem.row, problem.column, problem.value) == (str(path), row, c.INCOME, ambiguous)
    assert "could be " + readings[0] in problem.expected and readings[1] in problem.expected
    assert "write it without a thousands separator" in problem.expected


def test_decision_59_household_at_800_000_is_not_poor(capsys, write_csv):
    frame = VALID.astype(object).copy()
    frame[c.INCOME] = ["800.000", "650.000", "1.200.000"]
    path = write_csv(frame)
    assert load_households(path)[c.INCOME].tolist() == [800_000, 650_000, 1_200_000]
    code, out, _ = run(capsys, "classify", str(path), "--standard", "decision-59-2015", "--format", "json")
    status = {r["household_id"]: r["status"] for r in json.loads(out)}
    assert code == 0
    assert status["H1"] == "near_poor"  # 700,000 < 800,000 <= 1,000,000 with no deprivation
    assert status["H2"] == "poor"  # under the 700,000 rural line
    assert status["H3"] != "poor"


def test_excel_text_cells_are_read_the_same_way(tmp_path):
    path = tmp_path / "review.xlsx"
    frame = VALID.astype(object).copy()
    frame[c.INCOME] = ["800.000", 1_200_000, "1.500.000"]
    frame.to_excel(path, index=False)
    assert load_households(path)[c.INCOME].tolist() == [800_000, 1_200_000, 1_500_000]


# --- non-finite and absurd values ---------------------------------------------------------


ABSURD = ["inf", "Infinity", "-inf", "NaN", "nan", "1e30", "99999999999999999999", "9" * 400]
EXPECTED = {
    c.YEAR: "a review year such as 2024 (a whole number from 1990 to 2100)",
    c.MEMBERS: "a whole number of members, at least 1 and at most 50",
    "water": "1 (deprived) or 0 (not deprived)",
}


@pytest.mark.parametrize("column", [c.YEAR, c.MEMBERS, "water", c.INCOME])
@pytest.mark.parametrize("value", ABSURD)
def test_non_finite_and_absurd_numbers_are_reported(write_csv, column, value):
    path = write_csv(with_cell(column, value))
    problem = one_problem(path)
    assert (problem.file, problem.row, problem.column, problem.value) == (str(path), 3, column, value)
    if column == c.INCOME:
        huge = value in ("1e30", "99999999999999999999")
        assert problem.expected == ("an income of at most 1.000.000.000 VND per person per month" if huge else "a number (VND per person per month)")
    else:
        assert problem.expected == EXPECTED[column]


@pytest.mark.parametrize(("column", "value", "expected"), [
    (c.MEMBERS, "51", "at most 50"),
    (c.YEAR, "1989", "from 1990 to 2100"),
    (c.INCOME, "1.000.000.001", "at most 1.000.000.000"),
])
def test_plausible_bounds(write_csv, column, value, expected):
    problem = one_problem(write_csv(with_cell(column, value)))
    assert problem.value == value and expected in problem.expected


def test_parquet_infinity_and_huge_numbers(tmp_path):
    path = tmp_path / "review.parquet"
    frame = VALID.astype({c.INCOME: float, c.MEMBERS: float}).copy()
    frame.loc[0, c.INCOME] = float("inf")
    frame.loc[1, c.MEMBERS] = 1e30
    frame.loc[2, c.INCOME] = float("nan")
    frame.to_parquet(path)
    problems = problems_of(path)
    assert [(p.row, p.column) for p in problems] == [(1, c.INCOME), (2, c.MEMBERS), (3, c.INCOME)]
    assert problems[0].value == float("inf") and "a number" in problems[0].expected


# --- odd Parquet types ---------------------------------------------------------------------


def _parquet(tmp_path: Path, replace: dict[str, pa.Array]) -> Path:
    table = pa.Table.from_pandas(VALID, preserve_index=False)
    for name, array in replace.items():
        table = table.set_column(table.schema.get_field_index(name), name, array)
    path = tmp_path / "review.parquet"
    pq.write_table(table, path)
    return path


def test_parquet_decimal_dictionary_and_large_string_columns_load(tmp_path):
    path = _parquet(tmp_path, {
        c.INCOME: pa.array([decimal.Decimal("800000.00")] * 3, pa.decimal128(12, 2)),
        c.DISTRICT: pa.array(VALID[c.DISTRICT].tolist()).dictionary_encode(),
        c.ETHNICITY: pa.array(VALID[c.ETHNICITY].tolist(), pa.large_string()),
        c.MEMBERS: pa.array([4, 4, 4], pa.int8()),
    })
    loaded = load_households(path)
    assert loaded[c.INCOME].tolist() == [800_000] * 3
    assert loaded[c.DISTRICT].tolist() == ["Pác Nặm", "Ngân Sơn", "Thành phố Bắc Kạn"]


@pytest.mark.parametrize(("column", "array", "kind"), [
    ("water", pa.array([[0], [1], [0, 1]], pa.list_(pa.int64())), "list<"),
    (c.YEAR, pa.array([pd.Timestamp("2024-01-01")] * 3), "timestamp"),
    (c.HOUSEHOLD_ID, pa.array([b"H1", b"H2", b"H3"], pa.binary()), "binary"),
])
def test_parquet_columns_of_lists_dates_or_bytes_are_clear_errors(tmp_path, column, array, kind):
    path = _parquet(tmp_path, {column: array})
    problem = one_problem(path)
    assert problem.file == str(path) and problem.column == column
    assert "one number or text per cell" in problem.expected and kind in problem.expected


def test_damaged_parquet(tmp_path):
    path = tmp_path / "review.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 40)
    assert "not a readable Parquet file" in str(one_problem(path))


# --- headers, encodings, control characters -------------------------------------------------


def test_a_duplicated_header_is_named_with_both_positions(write_csv, tmp_path):
    frame = VALID.copy()
    frame.insert(2, "water_again", frame["water"])
    text = frame.to_csv(index=False).replace("water_again", "water", 1)
    path = tmp_path / "dup.csv"
    path.write_text(text, encoding="utf-8")
    problem = one_problem(path)
    position = list(VALID.columns).index("water") + 2
    assert problem.column == "water" and "'water' appears twice" in problem.expected
    assert "columns 3 (C) and " + f"{position} (" in problem.expected
    xlsx = tmp_path / "dup.xlsx"
    pd.read_csv(path, dtype=str).rename(columns={"water.1": "water"}).to_excel(xlsx, index=False)
    assert "appears twice" in str(one_problem(xlsx))


def test_two_spellings_of_one_column(write_csv):
    path = write_csv(VALID.assign(**{"Nguồn nước sinh hoạt": 0}))
    problem = one_problem(path)
    assert "one column for 'water'" in problem.expected and "columns " in problem.expected


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_are_named_as_such(tmp_path, encoding):
    path = tmp_path / "review.csv"
    path.write_bytes(VALID.to_csv(index=False).encode(encoding))
    assert one_problem(path).expected == "this file is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)')"


def test_a_nul_in_an_id_is_rejected_and_shown_escaped(write_csv):
    path = write_csv(with_cell(c.HOUSEHOLD_ID, "H\x002"))
    problem = one_problem(path)
    assert (problem.row, problem.column, problem.value) == (3, c.HOUSEHOLD_ID, "H\x002")
    assert "without NUL" in problem.expected
    assert "\x00" not in str(problem) and "H\\x002" in str(problem)


def test_control_characters_in_values_and_file_names_are_escaped(capsys, tmp_path):
    folder = tmp_path / "a\x1b[31mred\u202e"
    folder.mkdir()
    path = folder / "review.csv"
    path.write_text(with_cell(c.DISTRICT, "Pác\x1b[2JNặm").to_csv(index=False), encoding="utf-8")
    code, _, err = run(capsys, "validate", str(path))
    assert code == 1
    assert "\x1b" not in err and "\u202e" not in err
    assert "a\\x1b[31mred\\u202e" in err and "'Pác\\x1b[2JNặm'" in err


def test_blank_rows_and_crlf_keep_spreadsheet_row_numbers(tmp_path):
    text = VALID.to_csv(index=False, lineterminator="\r\n").splitlines()
    text[2] = text[2].replace(",4,", ",0,")
    path = tmp_path / "review.csv"
    path.write_text("\r\n".join(text[:2] + ["", ",,,"] + text[2:]) + "\r\n", encoding="utf-8")
    problem = one_problem(path)
    assert (problem.row, problem.column) == (5, c.MEMBERS)


def test_excel_blank_rows_keep_their_numbers(tmp_path):
    path = tmp_path / "review.xlsx"
    frame = pd.concat([VALID.iloc[:1], pd.DataFrame([{}]), VALID.iloc[1:]], ignore_index=True)
    frame.loc[3, c.MEMBERS] = 0
    frame.to_excel(path, index=False)
    problem = one_problem(path)
    assert (problem.row, problem.column, problem.value) == (5, c.MEMBERS, 0)


def test_ragged_csv_rows(tmp_path):
    path = tmp_path / "review.csv"
    path.write_text(VALID.to_csv(index=False) + "H9,2024,x,y,z,extra," + ",".join(["0"] * 30) + "\n", encoding="utf-8")
    assert "not a well-formed CSV table" in str(one_problem(path))


# --- reading inputs: every OSError is a message ----------------------------------------------


def test_inputs_that_are_not_files(tmp_path):
    assert one_problem(tmp_path / "missing.csv").expected == "no such file"
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert one_problem(folder).expected == "is a folder; expected a file"
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert one_problem(fifo).expected == "is a named pipe (FIFO); expected a file"  # and no hang
    afile = tmp_path / "file.csv"
    afile.write_text("x", encoding="utf-8")
    assert "a part of the path is a file" in one_problem(afile / "inner.csv").expected
    assert one_problem(Path("/dev/null.csv") if Path("/dev/null.csv").exists() else Path("/dev/zero")).expected.startswith(
        ("is a device", "unsupported file type")
    )


def test_an_input_that_cannot_be_read(write_csv, monkeypatch):
    path = write_csv(VALID)

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr(Path, "open", refuse)
    problem = one_problem(path)
    assert problem.file == str(path) and problem.expected == "cannot be read (Permission denied)"


# --- outputs checked before any work ------------------------------------------------------------


def _bad_outputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    return {
        "existing file": (afile, "is a file"),
        "under a file": (afile / "reports", "is under"),
        "fifo": (fifo, "is a named pipe"),
        "device": (Path("/dev/null"), "is a device"),
        "unwritable": (Path("/proc/no-such-folder/reports"), "cannot write"),
    }


def test_output_folder_checks(tmp_path):
    for path, said in _bad_outputs(tmp_path).values():
        with pytest.raises(UsageError, match=said):
            check_output_folder(path)
    assert check_output_folder(tmp_path / "new" / "deeper") == tmp_path / "new" / "deeper"
    assert not (tmp_path / "new").exists() and list(tmp_path.glob(".write-check-*")) == []
    with pytest.raises(UsageError, match="is a folder"):
        check_output_file(tmp_path)
    with pytest.raises(UsageError, match="is under"):
        check_output_file(tmp_path / "afile" / "x.parquet")


@pytest.mark.parametrize("case", ["existing file", "under a file", "fifo", "device", "unwritable"])
def test_reports_out_is_checked_before_the_data_are_read(capsys, tmp_path, case):
    path, said = _bad_outputs(tmp_path)[case]
    # The data file does not exist: the output error comes first, before any loading.
    with pytest.raises(SystemExit) as exit_:
        main(["reports", "--data", str(tmp_path / "missing.csv"), "--out", str(path)])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and said in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["render", "NOTEBOOK", "--out", "{file}/under"],
    ["synth", "--out", "{file}/under/households.parquet"],
    ["synth", "--out", "{folder}"],
    ["synth", "--scale", "0.001", "--out", "{file}/under"],
])
def test_render_and_synth_outputs_are_checked_first(capsys, tmp_path, argv):
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    argv = [a.format(file=afile, folder=tmp_path) for a in argv]
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's usage error
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2 and ("is under" in err or "is a folder" in err) and "Traceback" not in err


# --- CSV outputs, options, names, targets ---------------------------------------------------------


def test_csv_printed_by_the_cli_is_neutralised(capsys, write_csv):
    frame = VALID.copy()
    frame[c.HOUSEHOLD_ID] = ["=HYPERLINK(\"http://x\")", "+1+2", "@SUM(A1)"]
    code, out, _ = run(capsys, "classify", str(write_csv(frame)))
    lines = out.splitlines()
    assert code == 0
    assert lines[1].startswith("\"'=HYPERLINK") and lines[2].startswith("'+1+2,") and lines[3].startswith("'@SUM(A1),")


def test_negative_limit_is_a_usage_error(capsys, write_csv):
    with pytest.raises(SystemExit) as exit_:
        main(["validate", str(write_csv(VALID)), "--limit", "-1"])
    assert exit_.value.code == 2 and "at least 0" in capsys.readouterr().err


def test_a_district_without_households_is_named_as_such():
    units = load_units()
    present = [d for d in units.districts if d != "Pác Nặm"]
    with pytest.raises(UsageError, match="no households of district 'Pác Nặm' in the data"):
        choose_district(present, units, "huyện Pác Nặm")
    with pytest.raises(UsageError, match="unknown district 'Atlantis'"):
        choose_district(present, units, "Atlantis")


def test_targets_without_a_source_column(capsys, tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text("scope,baseline_year,end_year,reduction_low_pp,reduction_high_pp\nprovince,2021,2025,2,2.5\n", encoding="utf-8")
    targets = load_targets(path)
    assert targets["source"].tolist() == ["source not given"]
    code, out, err = run(capsys, "targets", "--targets", str(path))
    assert code == 0, err
    assert "province: target source not given" in json.loads(out)["notes"]


# --- the real command line: never a traceback -------------------------------------------------------


def test_no_traceback_for_hostile_files_and_paths(tmp_path):
    utf16 = tmp_path / "u16.csv"
    utf16.write_bytes(VALID.to_csv(index=False).encode("utf-16"))
    absurd = tmp_path / "absurd.csv"
    absurd.write_text(with_cell(c.MEMBERS, "1e30").to_csv(index=False), encoding="utf-8")
    listed = _parquet(tmp_path, {"water": pa.array([[0], [1], [0]], pa.list_(pa.int64()))})
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    cases = [
        (["validate", str(utf16), str(absurd), str(listed), str(fifo), str(tmp_path / "gone.csv")], 1, ["UTF-16", "at most 50", "list<", "named pipe", "no such file"]),
        (["summary", "--data", str(absurd)], 1, ["at most 50"]),
        (["reports", "--out", str(afile)], 2, ["is a file"]),
        (["synth", "--out", str(afile / "x.parquet")], 2, ["is under"]),
    ]
    for argv, code, said in cases:
        done = cli(*argv)
        assert done.returncode == code, (argv, done.stderr)
        assert "Traceback" not in done.stderr, done.stderr
        for text in said:
            assert text in done.stderr, (argv, text, done.stderr)


def test_data_error_lists_absurd_values_without_overflow(write_csv):
    with pytest.raises(DataError) as caught:
        load_households(write_csv(with_cell(c.MEMBERS, "99999999999999999999")))
    assert "found '99999999999999999999', expected a whole number of members" in caught.value.report()
