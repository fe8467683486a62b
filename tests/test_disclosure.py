"""Disclosure control across everything one batch publishes: HTML briefs, index and Excel files.

One batch (two districts and the province overview, HTML) on part of the bundled review.
Every output is searched for a small cell that is shown or that sums would give back: the
tables of the briefs against their own totals, the briefs against the workbooks (one
protection: the same cells blank everywhere), and the whole system of sums by the audit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.measures.classification import classify
from analysis.measures.disclosure import DEFAULT_THRESHOLD, recoverable
from analysis.measures.groups import with_groups
from analysis.paths import BUNDLED_HOUSEHOLDS, PROJECT_DIR
from analysis.review import columns as c
from analysis.review.loading import load_households
from analysis.tables.workbook import release

DISTRICTS = ["Thành phố Bắc Kạn", "Pác Nặm"]
YEAR = 2024
T = DEFAULT_THRESHOLD
COUNT_HEADERS = {"Tổng số hộ", "Hộ nghèo", "Hộ cận nghèo", "Số hộ",
                 # the transition matrix (sections/nearpoor.py)
                 "Nghèo", "Cận nghèo", "Ngoài diện nghèo, cận nghèo", "Ra khỏi danh sách", f"Tổng năm {YEAR - 1}"}


class _Tables(HTMLParser):
    """Every <table> of a page as rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.row = []
            self.tables[-1].append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def html_tables(path: Path) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tables


def headed(tables: list[list[list[str]]], first: str) -> list[list[str]]:
    """The table whose first header is ``first`` (sections come and go; tables move)."""
    return next(t for t in tables if t and t[0] and t[0][0] == first)


def count(text: str) -> int | None:
    """A count as a Vietnamese brief prints it (``1.019``), None for ``–``."""
    text = text.strip()
    return None if text in ("–", "") else int(text.replace(".", ""))


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    frame = pd.read_parquet(BUNDLED_HOUSEHOLDS)
    frame = frame[frame[c.YEAR].isin([2023, 2024]) & frame[c.DISTRICT].isin(DISTRICTS)]
    path = tmp_path_factory.mktemp("review") / "review.parquet"
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table.replace_schema_metadata({**(table.schema.metadata or {}), b"synthetic": b"true"}), path)
    return path


@pytest.fixture(scope="module")
def batch(review: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1735689600", PYTHONPATH=str(PROJECT_DIR))
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "reports", "--data", str(review), "--formats", "html", "--jobs", "2", "--out", str(out)],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return out / str(YEAR)


@pytest.fixture(scope="module")
def published(review: Path):  # type: ignore[no-untyped-def]
    panel = with_groups(classify(load_households([review]), "decree-07-2021"))
    return release(panel, YEAR, "decree-07-2021", T)


def workbook_rows(path: Path, sheet: str) -> dict[str, tuple]:
    ws = openpyxl.load_workbook(path)[sheet]
    return {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[1] is not None}


def test_every_output_is_written_and_linked(batch: Path) -> None:
    names = {p.name for p in batch.iterdir()}
    assert {"bang-tong-hop-2024.xlsx", "pac-nam.xlsx", "thanh-pho-bac-kan.xlsx", "tinh-bac-kan.xlsx"} <= names
    index = (batch / "index.html").read_text(encoding="utf-8")
    assert 'href="bang-tong-hop-2024.xlsx"' in index and 'href="pac-nam.xlsx"' in index
    brief = (batch / "pac-nam.html").read_text(encoding="utf-8")
    assert 'href="pac-nam.xlsx"' in brief and 'href="bang-tong-hop-2024.xlsx"' in brief
    assert "bảo vệ thông tin" in brief and "bảo vệ thông tin" in index


def test_no_hidden_cell_can_be_worked_out_from_all_the_sums(published) -> None:  # type: ignore[no-untyped-def]
    assert published.protection.hidden_small, "the test data should have small cells to protect"
    assert recoverable(published.system, published.protection) == []


def test_no_small_count_is_shown_anywhere(batch: Path) -> None:
    for page in sorted(batch.glob("*.html")):
        for table in html_tables(page):
            head = table[0]
            for row in table[1:]:
                for label, text in zip(head, row):
                    if label in COUNT_HEADERS and text.replace(".", "").isdigit():
                        assert not 0 < count(text) < T, (page.name, row)  # type: ignore[operator]
    for book in sorted(batch.glob("*.xlsx")):
        wb = openpyxl.load_workbook(book)
        for sheet in ("Tổng hợp", "Dân tộc", "Thiếu hụt hộ nghèo", "Diễn biến hộ nghèo"):
            ws = wb[sheet]
            labels = [ws.cell(3, j).value or ws.cell(2, j).value for j in range(1, ws.max_column + 1)]
            for row in ws.iter_rows(min_row=4, min_col=3):
                for cell in row:
                    label = labels[cell.column - 1]
                    if label in ("Số hộ", "Hộ nghèo", "Hộ cận nghèo") and isinstance(cell.value, int):
                        assert not 0 < cell.value < T, (book.name, sheet, cell.coordinate)


def test_a_brief_and_its_excel_files_hide_the_same_cells(batch: Path) -> None:
    workbook = workbook_rows(batch / "bang-tong-hop-2024.xlsx", "Tổng hợp")
    own = workbook_rows(batch / "pac-nam.xlsx", "Tổng hợp")
    communes = headed(html_tables(batch / "pac-nam.html"), "Xã, phường, thị trấn")
    assert communes[0][:3] == ["Xã, phường, thị trấn", "Tổng số hộ", "Hộ nghèo"]
    for row in communes[1:]:
        name = "Pác Nặm" if row[0] in ("Tổng", "Total") else row[0]  # the table's total row is the district
        households, poor, near = count(row[1]), count(row[2]), count(row[5])
        for book in (workbook, own):
            assert (book[name][2], book[name][4], book[name][8]) == (households, poor, near), name
        if poor is None:
            assert row[3] == "–" and row[4] == "–"  # its rate and change hidden too


def test_no_total_in_a_brief_gives_back_a_single_hidden_part(batch: Path) -> None:
    """Commune tables against the brief's headline; groups against their totals."""
    for page in ("pac-nam.html", "thanh-pho-bac-kan.html"):
        tables = html_tables(batch / page)
        communes, groups = headed(tables, "Xã, phường, thị trấn"), headed(tables, "Nhóm hộ")
        for column in (1, 2, 5):  # households, poor, near-poor of each commune, against the total row
            assert communes[-1][0] == "Tổng" and count(communes[-1][column]) is not None
            hidden = [r for r in communes[1:-1] if count(r[column]) is None]
            assert len(hidden) != 1, (page, communes[0][column])
        pair, each = groups[1:3], groups[3:]
        for column in (1, 2, 4):
            assert sum(count(r[column]) is None for r in pair) != 1, (page, groups[0][column])
            assert sum(count(r[column]) is None for r in each) != 1, (page, groups[0][column])


def test_the_overview_tables_hide_what_the_workbook_hides(batch: Path, published) -> None:  # type: ignore[no-untyped-def]
    """The province overview's poorest communes and flows under the year's one protection."""
    from analysis.briefs.sections.figures import FLOW_ROWS
    from analysis.words import label

    tables = html_tables(batch / "tinh-bac-kan.html")
    poorest = next(t for t in tables if t[0][:3] == ["#", "Xã, phường, thị trấn", "Huyện, thành phố"])
    workbook = workbook_rows(batch / "bang-tong-hop-2024.xlsx", "Tổng hợp")
    assert len(poorest) > 5
    for row in poorest[1:]:
        households, poor, near = count(row[3]), count(row[4]), count(row[7])
        assert poor is not None and row[5] != "–"  # a commune whose rate is hidden is never ranked
        assert (workbook[row[1]][2], workbook[row[1]][4], workbook[row[1]][8]) == (households, poor, near), row[1]
    flows = next(t for t in tables if t[0] == ["Biến động", "Số hộ"])
    shown = {r[0]: r[1] for r in flows[1:]}
    for key in FLOW_ROWS:
        assert (shown[label(key, "vi")] == "–") == published.protection.hides("*", f"flow:{key}"), key


def test_the_transition_matrix_hides_what_the_movement_sheets_hide(batch: Path) -> None:
    """The matrix's counts are cells of the movement tables: blank in the brief exactly where
    the workbook's movement sheets are blank, equal where shown."""
    for page, name in (("pac-nam.html", "Pác Nặm"), ("thanh-pho-bac-kan.html", "Thành phố Bắc Kạn")):
        matrix = {r[0]: r for r in headed(html_tables(batch / page), f"Năm {YEAR - 1} → năm {YEAR}")}
        for state, row, other in (("nghèo", "Hộ nghèo", 2), ("cận nghèo", "Hộ cận nghèo", 1)):
            sheet = workbook_rows(batch / "bang-tong-hop-2024.xlsx", f"Diễn biến hộ {state}")[name]
            start, to_other, above, left = sheet[2:9:2]  # households (persons beside each)
            shown = matrix[row]
            assert count(shown[5]) == start and count(shown[3]) == above and count(shown[4]) == left, (page, row, sheet)
            assert count(shown[other]) == to_other, (page, row)
            # Who stayed is shown only with every count it is worked out from (or hidden with them).
            if None not in (start, to_other, above, left):
                assert count(shown[1 if state == "nghèo" else 2]) in (None, start - to_other - above - left)
