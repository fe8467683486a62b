"""The summary workbook (python -m analysis tables), opened back with openpyxl.

The input is part of the bundled synthetic review (two districts, two years) with one ethnic
group renamed to a formula, so that the workbook must neutralise it.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.cli import main
from analysis.measures.disclosure import DEFAULT_THRESHOLD, CellSystem, protect, recoverable
from analysis.paths import BUNDLED_HOUSEHOLDS
from analysis.review import columns as c

#: Commands without --data read the bundled panel: loaded once for the whole session.
pytestmark = pytest.mark.usefixtures("bundled_once")

SHEETS = ["Tổng hợp", "Diễn biến hộ nghèo", "Diễn biến hộ cận nghèo", "Thiếu hụt hộ nghèo", "Thiếu hụt hộ cận nghèo", "Dân tộc", "Mục tiêu", "Ghi chú"]
FORMULA_GROUP = "=HYPERLINK(\"http://x\",\"Hoa\")"
DISTRICTS = ["Thành phố Bắc Kạn", "Pác Nặm"]
FIRST_ROW = 4  # title, group header, column header


def cli(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue() + err.getvalue() if code else out.getvalue()


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    frame = pd.read_parquet(BUNDLED_HOUSEHOLDS)
    frame = frame[frame[c.YEAR].isin([2023, 2024]) & frame[c.DISTRICT].isin(DISTRICTS)].copy()
    frame[c.ETHNICITY] = frame[c.ETHNICITY].replace({"Hoa": FORMULA_GROUP})
    path = tmp_path_factory.mktemp("review") / "review.parquet"
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table.replace_schema_metadata({**(table.schema.metadata or {}), b"synthetic": b"true"}), path)
    return path


@pytest.fixture(scope="module")
def books(review: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for name, extra in (("default", []), ("again", []), ("open", ["--threshold", "1"])):
        folder = tmp_path_factory.mktemp(name)
        code, text = cli("tables", "--data", str(review), "--out", str(folder), *extra)
        assert code == 0, text
        out[name] = Path(text.strip().splitlines()[-1])
    return out


def as_json(*argv: str) -> Any:
    code, text = cli(*argv)
    assert code == 0, text
    return json.loads(text)


def rows(ws: Any) -> list[tuple[Any, ...]]:
    return list(ws.iter_rows(min_row=FIRST_ROW, values_only=True))


def header(ws: Any) -> list[tuple[str, str]]:
    """(group, label) of every column, merged group cells filled in."""
    groups, labels, current = [], [], None
    for j in range(1, ws.max_column + 1):
        g = ws.cell(2, j).value
        current = g if g is not None else current
        groups.append(current)
        labels.append(ws.cell(3, j).value or "")
    return list(zip(groups, labels))


def table_rows(ws: Any) -> list[tuple[Any, ...]]:
    """Data rows only (footnotes below the table have no name in column B)."""
    return [r for r in rows(ws) if r[1] is not None]


def test_file_name_and_sheets(books: dict[str, Path]) -> None:
    path = books["default"]
    assert path.name == "bang-tong-hop-2024.xlsx" and path.parent.name == "2024"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == SHEETS
    for ws in wb.worksheets:
        assert "DỮ LIỆU MÔ PHỎNG" in ws.cell(1, 1).value  # synthetic mark in every title row
        assert ws.freeze_panes in ("C4", "B4")
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        assert ws.print_title_rows == "$2:$3"
    notes = " ".join(str(v) for r in rows(wb["Ghi chú"]) for v in r if v)
    assert "Thông tư 07/2021/TT-BLĐTBXH" in notes and "đối chiếu" in notes and "mô phỏng" in notes
    assert f"{DEFAULT_THRESHOLD} hộ" in notes


def test_same_inputs_give_the_same_bytes(books: dict[str, Path]) -> None:
    assert books["default"].read_bytes() == books["again"].read_bytes()


def test_summary_sheet_equals_summary_json(books: dict[str, Path], review: Path) -> None:
    ws = openpyxl.load_workbook(books["open"])["Tổng hợp"]
    cols = header(ws)
    data = table_rows(ws)
    by_name = {r[1]: r for r in data}
    expected = {}
    for by in ("commune", "district", "province"):
        for rec in as_json("summary", "--data", str(review), "--by", by, "--format", "json"):
            expected["Toàn tỉnh" if by == "province" else rec["unit"]] = rec
    persons = {rec["unit"]: rec for rec in as_json("summary", "--data", str(review), "--by", "district", "--format", "json")}
    assert set(by_name) == set(expected)
    index = {col: j for j, col in enumerate(cols)}
    for name, rec in expected.items():
        row = by_name[name]
        assert row[index[("Tổng số", "Số hộ")]] == rec["households"]
        for status, group in (("poor", "Hộ nghèo"), ("near_poor", "Hộ cận nghèo"), ("average", "Hộ có mức sống trung bình")):
            assert row[index[(group, "Số hộ")]] == rec[status]
            assert row[index[(group, "Tỷ lệ (%)")]] == pytest.approx(rec[f"{status}_rate"], abs=1e-9)
    assert persons  # the district rows were matched above
    # number cells are numbers, with number formats
    wb = openpyxl.load_workbook(books["default"])
    for sheet in SHEETS[:-1]:
        ws = wb[sheet]
        for row in ws.iter_rows(min_row=FIRST_ROW, min_col=3, max_row=FIRST_ROW + 5):
            for cell in row:
                if cell.value is not None and cell.data_type != "f":
                    if sheet == "Mục tiêu" and isinstance(cell.value, str):
                        continue  # verdict words
                    assert isinstance(cell.value, (int, float)), (sheet, cell.coordinate, cell.value)
                    assert cell.number_format in ("#,##0", "0.00"), cell.number_format


def test_rows_and_subtotals(books: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(books["open"])["Tổng hợp"]
    data = table_rows(ws)
    assert data[0][1] == "Toàn tỉnh"
    names = [r[1] for r in data]
    assert [n for n in names if n in DISTRICTS] == DISTRICTS  # GSO order, each before its communes
    # a district row equals the sum of its communes, the province the sum of districts
    starts = [names.index(d) for d in DISTRICTS] + [len(names)]
    for k in range(len(DISTRICTS)):
        communes = data[starts[k] + 1 : starts[k + 1]]
        assert sum(r[2] for r in communes) == data[starts[k]][2]
    assert sum(data[i][2] for i in starts[:-1]) == data[0][2]


def test_movement_identity_in_every_row(books: dict[str, Path], review: Path) -> None:
    for path in (books["open"], books["default"]):
        wb = openpyxl.load_workbook(path)
        cached = openpyxl.load_workbook(path, data_only=True)
        for sheet in ("Diễn biến hộ nghèo", "Diễn biến hộ cận nghèo"):
            ws, values = wb[sheet], cached[sheet]
            cols = header(ws)
            for weight in ("Số hộ", "Số khẩu"):
                idx = [j for j, (_, label) in enumerate(cols) if label == weight]
                start, *middle, end, check = idx
                decreases, increases = middle[:3], middle[3:]
                for r, row in enumerate(table_rows(ws)):
                    formula = row[check]
                    assert isinstance(formula, str) and formula.startswith("=IF(COUNT("), formula
                    parts = [row[j] for j in [start, *decreases, *increases, end]]
                    result = values.cell(FIRST_ROW + r, check + 1).value
                    if any(p is None for p in parts):
                        assert path == books["default"] and result in (None, "")
                        continue
                    assert row[start] - sum(row[j] for j in decreases) + sum(row[j] for j in increases) == row[end]
                    assert result == 0
    flows = as_json("flows", "--data", str(review), "--format", "json")[0]
    ws = openpyxl.load_workbook(books["open"])["Diễn biến hộ nghèo"]
    province = table_rows(ws)[0]
    hh = [province[j] for j, (_, label) in enumerate(header(ws)) if label == "Số hộ"]
    start, to_near, above, left, from_near, fallen, newly, new_household, end, _check = hh
    assert (start, end) == (flows["poor_previous"], flows["poor"])
    assert to_near == flows["poor_to_near_poor"] and to_near + above == flows["exited_poverty"]
    assert left == flows["left_poor"] and new_household == flows["new_household_poor"]
    assert from_near == flows["near_poor_to_poor"] and from_near + fallen + newly == flows["newly_poor"] + flows["fallen_back_poor"]


def test_deprivation_sheet_equals_profile_json(books: dict[str, Path], review: Path) -> None:
    ws = openpyxl.load_workbook(books["open"])["Thiếu hụt hộ nghèo"]
    profile = as_json("profile", "--data", str(review), "--by", "district", "--format", "json")
    cols = header(ws)
    by_name = {r[1]: r for r in table_rows(ws)}
    counts = [j for j, (g, _) in enumerate(cols) if str(g).startswith("Số hộ thiếu hụt")]
    shares = [j for j, (g, _) in enumerate(cols) if str(g).startswith("Tỷ lệ thiếu hụt")]
    assert len(counts) == len(shares) == 12
    for district in DISTRICTS:
        mine = [p for p in profile if p["unit"] == district]
        row = by_name[district]
        assert row[2] == mine[0]["poor"]
        assert [row[j] for j in counts] == [p["deprived_poor"] for p in mine]
        assert [row[j] for j in shares] == pytest.approx([p["share_poor_pct"] for p in mine])


def test_targets_sheet_equals_targets_json(books: dict[str, Path], review: Path) -> None:
    ws = openpyxl.load_workbook(books["open"])["Mục tiêu"]
    out = as_json("targets", "--data", str(review))
    cols = header(ws)
    data = {r[1]: r for r in table_rows(ws)}
    province = data["Toàn tỉnh"]
    for rec in [a for a in out["annual"] if a["scope"] == "province"]:
        j = cols.index((str(rec["year"]), "Tỷ lệ hộ nghèo (%)"))
        assert province[j] == pytest.approx(rec["poor_rate"])
    period = next(p for p in out["period"] if p["scope"] == "province")
    j = next(j for j, (_, label) in enumerate(cols) if label == "Giảm bình quân (điểm %/năm)")
    assert province[j] == pytest.approx(period["average_reduction_pp"])


def test_ethnic_sheet_neutralises_a_formula_name(books: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(books["default"])
    ws = wb["Dân tộc"]
    groups = {g for g, _ in header(ws)}
    assert "'" + FORMULA_GROUP in groups and FORMULA_GROUP not in groups
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert cell.value.startswith("=IF(COUNT("), (sheet.title, cell.coordinate, cell.value)


def test_suppressed_cells_are_blank_with_a_note(books: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(books["default"])
    blanks_with_note = 0
    for sheet in SHEETS[:6]:
        ws = wb[sheet]
        cols = header(ws)
        for row in ws.iter_rows(min_row=FIRST_ROW, min_col=3):
            for cell in row:
                label = cols[cell.column - 1][1]
                if cell.comment is not None:
                    assert cell.value is None
                    assert "bảo vệ thông tin hộ" in cell.comment.text
                    blanks_with_note += 1
                counted = label in ("Số hộ", "Hộ nghèo", "Hộ cận nghèo") or (sheet.startswith("Thiếu hụt") and cols[cell.column - 1][0].startswith("Số hộ"))
                if counted and isinstance(cell.value, (int, float)) and cell.data_type != "f":
                    assert not 0 < cell.value < DEFAULT_THRESHOLD, (sheet, cell.coordinate, cell.value)
    assert blanks_with_note > 0
    assert any("để trống" in str(r[0]) for r in rows(wb["Tổng hợp"]) if r[0])


def test_csv_format_writes_one_file_per_sheet(review: Path, tmp_path: Path) -> None:
    code, text = cli("tables", "--data", str(review), "--out", str(tmp_path), "--format", "csv", "--level", "district", "--lang", "en")
    assert code == 0, text
    paths = [Path(p) for p in text.split()]
    assert len(paths) == 8 and all(p.suffix == ".csv" and p.name.isascii() for p in paths)
    with paths[0].open(encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert table[1][1] == "Province" and [r[1] for r in table[2:]] == DISTRICTS


@pytest.mark.parametrize("argv", [["--division", "new", "--level", "district"], ["--threshold", "0"], ["--level", "village"]])
def test_usage_errors(argv: list[str], review: Path, tmp_path: Path) -> None:
    code, text = cli("tables", "--data", str(review), "--out", str(tmp_path), *argv) if argv[0] == "--division" else (None, "")
    if argv[0] == "--division":
        assert code == 2 and "--level commune" in text and "no districts" in text and "Traceback" not in text
    else:
        with pytest.raises(SystemExit) as exit_info, contextlib.redirect_stderr(io.StringIO()):
            main(["tables", "--out", str(tmp_path), *argv])
        assert exit_info.value.code == 2


@pytest.mark.parametrize("command", ["mpi", "targets", "flows", "profile"])
def test_measure_commands_write_csv(command: str, review: Path) -> None:
    code, text = cli(command, "--data", str(review), "--format", "csv")
    assert code == 0, text
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) > 1 and len({len(r) for r in table}) == 1


# --- disclosure control on its own ------------------------------------------------------


def test_complementary_suppression_protects_a_small_cell() -> None:
    system = CellSystem()
    for row, values in {"a": {"x": 3, "y": 20}, "b": {"x": 15, "y": 30}, "T": {"x": 18, "y": 50}}.items():
        for m, v in values.items():
            system.add(row, m, v)
        system.add(row, "t", sum(values.values()))
    system.row_sums(["a", "b", "T"], "t", ["x", "y"])
    system.hierarchy({"T": ["a", "b"]})
    protection = protect(system, 10)
    assert ("a", "x") in protection.primary
    assert protection.suppressed == {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")}
    assert recoverable(system, protection) == []
    assert protect(system, 1).suppressed == frozenset()


def test_audit_finds_what_sums_reveal() -> None:
    system = CellSystem()
    for m, v in {"t": 30, "x": 3, "y": 27}.items():
        system.add("r", m, v)
    system.row_sums(["r"], "t", ["x", "y"])
    protection = protect(system, 10)
    assert recoverable(system, protection) == []
    from analysis.measures.disclosure import Protection

    naive = Protection(10, frozenset({("r", "x")}), frozenset({("r", "x")}))
    assert recoverable(system, naive) == [("r", "x")]


# --- the new division (from the end-2025 review: communes, no districts) ----------------------

NEW_2025 = Path(BUNDLED_HOUSEHOLDS).with_name("households_2025.parquet")


def _new_division_rows(path: Path) -> tuple[dict[str, tuple[Any, ...]], dict[tuple[str, str], int]]:
    ws = openpyxl.load_workbook(path)["Tổng hợp"]
    return {r[1]: r for r in table_rows(ws)}, {col: j for j, col in enumerate(header(ws))}


def _assert_equals_summary(path: Path, *data: str) -> None:
    by_name, index = _new_division_rows(path)
    expected = {rec["unit"]: rec for rec in as_json("summary", *data, "--by", "commune", "--format", "json")}
    # the former Bắc Kạn's part of Thái Nguyên: the whole area, not the province
    expected["Toàn khu vực"] = as_json("summary", *data, "--by", "province", "--format", "json")[0]
    assert next(iter(by_name)) == "Toàn khu vực"
    assert set(by_name) == set(expected)
    assert not any(r[0] and not str(r[0]).isdigit() for r in by_name.values())  # no district (roman-numbered) rows
    for name, rec in expected.items():
        row = by_name[name]
        for col, key in ((("Tổng số", "Số hộ"), "households"), (("Hộ nghèo", "Số hộ"), "poor"), (("Hộ cận nghèo", "Số hộ"), "near_poor"),
                         (("Hộ có mức sống trung bình", "Số hộ"), "average")):
            assert row[index[col]] in (rec[key], None), (name, key)  # None: hidden by the disclosure rule
        assert row[index[("Tổng số", "Số hộ")]] == rec["households"]
        rate = row[index[("Hộ nghèo", "Tỷ lệ (%)")]]
        assert rate is None or rate == pytest.approx(rec["poor_rate"], abs=1e-9)


@pytest.fixture(scope="module")
def book_2025(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("new2025")
    code, text = cli("tables", "--data", str(BUNDLED_HOUSEHOLDS), "--data", str(NEW_2025), "--year", "2025", "--out", str(folder))
    assert code == 0, text
    return Path(text.strip().splitlines()[-1])


def test_2025_rows_are_new_communes_equal_to_summary(book_2025: Path) -> None:
    assert book_2025.name == "bang-tong-hop-2025.xlsx"
    by_name, _ = _new_division_rows(book_2025)
    assert len(by_name) == 1 + 37  # the province and the 37 new communes of the former Bắc Kạn part
    _assert_equals_summary(book_2025, "--data", str(BUNDLED_HOUSEHOLDS), "--data", str(NEW_2025), "--year", "2025")


def test_2025_movement_identity_in_every_row(book_2025: Path) -> None:
    wb = openpyxl.load_workbook(book_2025)
    flows = as_json("flows", "--data", str(BUNDLED_HOUSEHOLDS), "--data", str(NEW_2025), "--year", "2025", "--format", "json")[0]
    for sheet in ("Diễn biến hộ nghèo", "Diễn biến hộ cận nghèo"):
        ws = wb[sheet]
        assert "2024" in ws.cell(1, 1).value
        cols = header(ws)
        data = table_rows(ws)
        assert len(data) == 1 + 37
        for weight in ("Số hộ", "Số khẩu"):
            start, *middle, end, check = [j for j, (_, label) in enumerate(cols) if label == weight]
            decreases, increases = middle[:3], middle[3:]
            for row in data:
                assert isinstance(row[check], str) and row[check].startswith("=IF(COUNT("), row[check]
                if any(row[j] is None for j in [start, *middle, end]):
                    continue  # hidden cells: the formula shows blank
                assert row[start] - sum(row[j] for j in decreases) + sum(row[j] for j in increases) == row[end]
            if weight == "Số hộ" and sheet == "Diễn biến hộ nghèo":
                assert (data[0][start], data[0][end]) == (flows["poor_previous"], flows["poor"])


def test_2025_notes_say_division_and_what_the_synthetic_data_assume(book_2025: Path) -> None:
    notes = {r[0]: r[1] for r in openpyxl.load_workbook(book_2025)["Ghi chú"].iter_rows(min_row=FIRST_ROW, values_only=True) if r[0]}
    assert notes["Địa giới hành chính"] == "Từ 1/7/2025 (tỉnh – xã)"
    assert notes["Cấp chi tiết"] == "Xã (dưới dòng toàn khu vực; không có huyện)"
    assert notes["Chi tiết theo dân tộc"].startswith("Từng dân tộc chỉ công bố ở dòng “Toàn khu vực” (không có cấp huyện);")
    assert notes["Dữ liệu mô phỏng"].startswith("Có")
    assert "2.25 pp" in notes["Giả định của dữ liệu mô phỏng"]
    ws = openpyxl.load_workbook(book_2025)["Mục tiêu"]
    scopes = [r[1] for r in table_rows(ws)]
    expected = as_json("targets", "--data", str(BUNDLED_HOUSEHOLDS), "--data", str(NEW_2025), "--format", "json")
    assert "Toàn khu vực" in scopes and "Toàn tỉnh" not in scopes and len(scopes) == len({r["scope"] for r in expected["annual"]} if isinstance(expected, dict) else {r["scope"] for r in expected})


def test_2025_level_district_is_a_usage_error(tmp_path: Path) -> None:
    code, text = cli("tables", "--data", str(BUNDLED_HOUSEHOLDS), "--data", str(NEW_2025), "--year", "2025", "--level", "district", "--out", str(tmp_path))
    assert code == 2 and "--level commune" in text and "Traceback" not in text
    assert not list(tmp_path.iterdir())


def test_division_new_on_2024_equals_summary_division_new(tmp_path: Path) -> None:
    code, text = cli("tables", "--data", str(BUNDLED_HOUSEHOLDS), "--year", "2024", "--division", "new", "--out", str(tmp_path))
    assert code == 0, text
    path = Path(text.strip().splitlines()[-1])
    _assert_equals_summary(path, "--data", str(BUNDLED_HOUSEHOLDS), "--year", "2024", "--division", "new")
    notes = {r[0]: r[1] for r in openpyxl.load_workbook(path)["Ghi chú"].iter_rows(min_row=FIRST_ROW, values_only=True) if r[0]}
    assert notes["Địa giới hành chính"].startswith("Từ 1/7/2025") and "re-based" not in notes["Địa giới hành chính"]
    assert "quy đổi" in notes["Địa giới hành chính"]
