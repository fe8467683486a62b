"""Disclosure control across review years: a change never gives back a cell hidden in one year.

A review is crafted from one district of the bundled data in which one commune has 3 poor
households in 2023 and 40 in 2024, and another 35 in 2023 and 2 in 2024. The 2023 tables and
the 2024 batch (briefs, index, Excel files, executed notebooks, manifests) and the 2024
tables are built as an analyst builds them; then every figure a reader could take from any
of them (shown counts, movement starts, rates with their change, CSV, XLSX, HTML and JSON)
is gathered, and no small count of either year may be found or worked out from the totals.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_disclosure import html_tables

from analysis.measures.disclosure import CellSystem, Protection, protect
from analysis.measures.disclosure_years import Comparison, Link, link_cells, recoverable_across
from analysis.paths import BUNDLED_HOUSEHOLDS, PROJECT_DIR
from analysis.review import columns as c

DISTRICT = "Thành phố Bắc Kạn"
SMALL_THEN = "Huyền Tụng"  # 3 poor households in 2023, 40 in 2024
SMALL_NOW = "Sông Cầu"  # 35 in 2023, 2 in 2024
POOR = {(SMALL_THEN, 2023): 3, (SMALL_THEN, 2024): 40, (SMALL_NOW, 2023): 35, (SMALL_NOW, 2024): 2}
T = 10


# --- the rule on a toy system -------------------------------------------------------------------


def _sums(values: dict[str, float], measure: str) -> CellSystem:
    system = CellSystem()
    for row, value in values.items():
        system.add(row, measure, value)
    system.hierarchy({"P": [r for r in values if r != "P"]})
    return system


def test_the_joint_audit_finds_a_cell_given_back_by_the_next_year() -> None:
    """2023 hides r1 (3) and r2 (its complement); 2024 restates both as movement starts. Hiding
    r3 instead of r2 in 2024 would give r2 back, and r1 from the 2023 total."""
    before = _sums({"r1": 3, "r2": 30, "r3": 40, "P": 73}, "poor")
    hidden_before = protect(before, T)
    assert hidden_before.suppressed == {("r1", "poor"), ("r2", "poor")}
    now = _sums({"r1": 3, "r2": 30, "r3": 40, "P": 73}, "start")
    links = [Link((r, "start"), ((r, "poor"),)) for r in ("r1", "r2", "r3", "P")]
    naive = Protection(T, frozenset({("r1", "start")}), frozenset({("r1", "start"), ("r3", "start")}))
    assert ("before|r1", "poor") in recoverable_across(before, hidden_before, now, naive, links)

    link_cells(now, before, hidden_before, links)
    assert now.forced == {("r1", "start"), ("r2", "start")}
    assert ("r3", "start") in now.fixed  # shown in 2023: hiding it now would protect nothing
    linked = protect(now, T)
    assert linked.suppressed == {("r1", "start"), ("r2", "start")}
    assert recoverable_across(before, hidden_before, now, linked, links) == []


def test_a_change_is_shown_only_where_both_years_show_its_cells() -> None:
    before = Protection(T, frozenset({("a", "poor")}), frozenset({("a", "poor")}))
    now = Protection(T, frozenset({("b", "poor")}), frozenset({("b", "poor")}))
    rule = Comparison(now, before)
    assert rule.hides_change("a", "poor", "households") and rule.hides_change("b", "poor", "households")
    assert not rule.hides_change("c", "poor", "households")
    merged = Comparison(now, before, predecessors=lambda row: ("a", "c") if row == "new" else (row,))
    assert merged.hides_change("new", "poor")  # a new unit made of a hidden old one
    assert not Comparison(now, None).hides_before("a", "poor")


# --- a crafted review, every output searched ----------------------------------------------------


def _craft(path: Path) -> Path:
    frame = pd.read_parquet(BUNDLED_HOUSEHOLDS)
    frame = frame[frame[c.YEAR].isin([2023, 2024]) & (frame[c.DISTRICT] == DISTRICT)].copy()
    for (commune, year), n in POOR.items():
        rows = frame.index[(frame[c.COMMUNE] == commune) & (frame[c.YEAR] == year)]
        frame.loc[rows, "income_per_capita"] = 9_000_000  # above every line
        frame.loc[rows[:n], "income_per_capita"] = 1_000_000
        for indicator in ("water", "sanitation", "telecom"):  # three deprivations: poor
            frame.loc[rows[:n], indicator] = 1
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table.replace_schema_metadata({**(table.schema.metadata or {}), b"synthetic": b"true"}), path)
    return path


def _run(*args: str) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1735689600", PYTHONPATH=str(PROJECT_DIR))
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run([sys.executable, "-m", "analysis", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("years")
    review = _craft(tmp / "review.parquet")
    _run("tables", "--data", str(review), "--year", "2023", "--format", "csv", "--out", str(tmp / "tables"))
    _run("tables", "--data", str(review), "--year", "2024", "--format", "csv", "--out", str(tmp / "tables"))
    _run("reports", "--data", str(review), "--year", "2024", "--formats", "html", "--jobs", "2", "--out", str(tmp / "reports"))
    return {"review": review, "t23": tmp / "tables" / "2023", "t24": tmp / "tables" / "2024", "batch": tmp / "reports" / "2024"}


def _number(text: object) -> float | None:
    """A number as a Vietnamese brief or a CSV prints it; None for a blank or ``–``."""
    if text is None or isinstance(text, int | float):
        return None if text is None else float(text)
    text = str(text).strip().replace("−", "-").replace("+", "")
    if text in ("", "–", "-"):
        return None
    if "," in text or text.count(".") > 1:  # Vietnamese: . groups thousands, , marks decimals
        text = text.replace(".", "").replace(",", ".")
    elif "." in text and len(text.split(".")[1]) == 3 and "e" not in text:
        text = text.replace(".", "")
    return float(text)


def _csv(folder: Path, sheet: str) -> dict[str, dict[str, str]]:
    path = next(folder.glob(f"*-{sheet}.csv"))
    with path.open(encoding="utf-8") as handle:
        return {row["Đơn vị"]: row for row in csv.DictReader(handle) if row.get("Đơn vị")}


def _xlsx(path: Path, sheet: str) -> dict[str, dict[str, object]]:
    """Rows of a workbook sheet by unit name, cells keyed ``group – label`` like the CSV."""
    ws = openpyxl.load_workbook(path)[sheet]
    groups, labels, out = [], [], {}
    group = ""
    for cell, sub in zip(ws[2], ws[3]):
        group = cell.value or group
        groups.append(group)
        labels.append(f"{group} – {sub.value}" if sub.value else str(group))
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[1] is not None:
            out[str(row[1])] = dict(zip(labels, row))
    return out


def _html_commune_tables(batch: Path) -> Iterable[list[list[str]]]:
    """The commune tables of every brief, and the same tables in the executed notebooks and manifests."""
    pages = list(batch.glob("*.html"))
    for notebook in (batch / "notebooks").glob("*.ipynb"):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        html = "".join("".join(o.get("data", {}).get("text/html", "")) for cell in cells for o in cell.get("outputs", []))
        page = notebook.with_suffix(".html.txt")
        page.write_text(html, encoding="utf-8")
        pages.append(page)
    for page in pages:
        for table in html_tables(page):
            if table and table[0] and table[0][0] == "Xã, phường, thị trấn":
                yield table


def _known(outputs: dict[str, Path], year: int) -> dict[str, set[int]]:
    """Every value of each commune's poor count in ``year`` that some output gives a reader."""
    other = 2023 if year == 2024 else 2024
    folders = {2023: outputs["t23"], 2024: outputs["t24"]}
    summary = {y: _csv(folders[y], "tong-hop") for y in (2023, 2024)}
    known: dict[str, set[int]] = {}

    def add(commune: str, value: float | None) -> None:
        if value is not None:
            known.setdefault(commune, set()).add(int(round(value)))

    for name, row in summary[year].items():  # the year's own tables
        add(name, _number(row["Hộ nghèo – Số hộ"]))
    movement = [_csv(outputs["t24"], "dien-bien-ho-ngheo")]
    movement += [_xlsx(book, "Diễn biến hộ nghèo") for book in outputs["batch"].glob("*.xlsx")]
    column = "Đầu kỳ – Số hộ" if year == 2023 else "Cuối kỳ – Số hộ"
    for table in movement:  # 2024's movement restates 2023's poor as its start
        for name, row in table.items():
            add(name, _number(row.get(column)))
    for book in outputs["batch"].glob("*.xlsx"):
        if year == 2024:
            for name, row in _xlsx(book, "Tổng hợp").items():
                add(name, _number(row.get("Hộ nghèo – Số hộ")))
    for table in _html_commune_tables(outputs["batch"]):  # 2024 briefs: counts, rates and changes
        for row in table[1:]:
            name, rate, change = row[0], _number(row[3]), _number(row[4])
            if year == 2024:
                add(name, _number(row[2]))
            if name not in summary[other] or change is None:
                continue
            # the other year's rate (shown there, or here with the change) gives this year's
            then_rate = rate - change if year == 2023 and rate is not None else None
            if year == 2024 and (r := _number(summary[2023][name]["Hộ nghèo – Tỷ lệ (%)"])) is not None:
                then_rate = r + change
            households = _number(summary[year][name]["Tổng số – Số hộ"]) if name in summary[year] else None
            if then_rate is not None and households:
                add(name, then_rate * households / 100)
    return known


@pytest.mark.parametrize("year", [2023, 2024])
def test_no_small_cell_of_either_year_can_be_worked_out_from_all_outputs(outputs: dict[str, Path], year: int) -> None:
    small = SMALL_THEN if year == 2023 else SMALL_NOW
    known = _known(outputs, year)
    summary = _csv(outputs["t23" if year == 2023 else "t24"], "tong-hop")
    truth = {name: int(_number(row["Hộ nghèo – Số hộ"]) or 0) for name, row in summary.items()}
    assert POOR[(small, year)] < T
    assert small not in known, (small, known.get(small))
    for name, values in known.items():  # the reader's figures are right: a test that can fail
        assert len(values) == 1 or name not in truth, (name, values)
    communes = [name for name in summary if name not in ("Toàn tỉnh", DISTRICT)]
    assert DISTRICT in known  # the district's total is published
    unknown = [name for name in communes if name not in known]
    assert len(unknown) != 1, f"{unknown[0]} = the district's total minus the other communes"


def test_the_brief_says_why_a_change_is_missing(outputs: dict[str, Path]) -> None:
    tables = list(_html_commune_tables(outputs["batch"]))
    assert tables
    for table in tables:
        rows = {row[0]: row for row in table[1:]}
        assert rows[SMALL_THEN][3] != "–" and rows[SMALL_THEN][4] == "–"  # 2024 shown, the change not
    page = (outputs["batch"] / "thanh-pho-bac-kan.html").read_text(encoding="utf-8")
    assert "Thay đổi so với năm trước chỉ được nêu khi số liệu của cả hai năm đều được công bố" in page


def test_the_joint_audit_of_the_crafted_years_is_clean(outputs: dict[str, Path]) -> None:
    from analysis.measures.classification import classify
    from analysis.measures.groups import with_groups
    from analysis.review.loading import load_households
    from analysis.tables.protection import restated
    from analysis.tables.workbook import release

    panel = with_groups(classify(load_households([outputs["review"]]), "decree-07-2021"))
    now = release(panel, 2024, "decree-07-2021", T)
    assert now.previous is not None and now.previous.figures.year == 2023
    before = now.previous
    row = f"{DISTRICT}/{SMALL_THEN}"
    assert before.protection.hides(row, "poor") and not now.protection.hides(row, "poor")
    assert now.protection.hides(row, "mov:poor:start")  # the restated 2023 count
    assert recoverable_across(before.system, before.protection, now.system, now.protection, restated(now.figures)) == []


# --- the year the division changed ----------------------------------------------------------------


@pytest.fixture(scope="module")
def transition(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Thành phố Bắc Kạn's 2024 review (Xuất Hóa with 3 poor households) and the end-2025 review
    of the new units it went into (Bắc Kạn = Sông Cầu + Phùng Chí Kiên + Nông Thượng + Xuất Hóa)."""
    from analysis.paths import BUNDLED_ALL

    tmp = tmp_path_factory.mktemp("transition")
    old = pd.read_parquet(BUNDLED_ALL[0])
    old = old[(old[c.YEAR] == 2024) & (old[c.DISTRICT] == DISTRICT)].copy()
    rows = old.index[old[c.COMMUNE] == "Xuất Hóa"]
    old.loc[rows, "income_per_capita"] = 9_000_000
    old.loc[rows[:3], "income_per_capita"] = 1_000_000
    for indicator in ("water", "sanitation", "telecom"):
        old.loc[rows[:3], indicator] = 1
    new = pd.read_parquet(BUNDLED_ALL[1])
    new = new[new["former_commune"].isin(set(old[c.COMMUNE]))]
    paths = []
    for name, frame in (("review_2024.parquet", old), ("review_2025.parquet", new)):
        table = pa.Table.from_pandas(frame, preserve_index=False)
        pq.write_table(table.replace_schema_metadata({**(table.schema.metadata or {}), b"synthetic": b"true"}), tmp / name)
        paths.append(tmp / name)
    return paths


def test_a_new_unit_never_gives_back_an_old_commune_hidden_the_year_before(transition: list[Path]) -> None:
    """The 2025 tables and brief compare each new unit with the old communes it was made of:
    its movement start and its change are hidden where 2024 hid one of them."""
    from analysis.briefs import brief as br
    from analysis.briefs import inputs as bi
    from analysis.briefs import sections
    from analysis.measures.classification import classify
    from analysis.measures.disclosure_years import rows_before
    from analysis.review.loading import load_households
    from analysis.tables.protection import restated
    from analysis.tables.workbook import _RELEASES, build_sheets

    panel = classify(load_households([str(p) for p in transition]), "decree-07-2021")
    others = {id(r) for _, r in _RELEASES.values()}  # releases of other tests' data in this process
    sheets = build_sheets(panel, 2025, "decree-07-2021", level="commune")
    movement = next(s for s in sheets if s.name == "Diễn biến hộ nghèo")
    start = dict(zip(movement.columns[1].values, movement.columns[2].values))
    assert start["Bắc Kạn"] is None and start["Đức Xuân"] is not None
    rel = next(r for _, r in _RELEASES.values()
               if id(r) not in others and r.figures.year == 2025 and r.previous is not None and r.previous.figures.year == 2024)
    assert rel.previous.protection.hides(f"{DISTRICT}/Xuất Hóa", "poor")
    assert set(rel.predecessors[next(k for k in rel.predecessors if k.endswith("Bắc Kạn"))]) == {
        f"{DISTRICT}/{m}" for m in ("Sông Cầu", "Phùng Chí Kiên", "Nông Thượng", "Xuất Hóa")}
    assert recoverable_across(rel.previous.system, rel.previous.protection, rel.system, rel.protection,
                              restated(rel.figures, rows_before(rel.predecessors))) == []

    inputs = bi.with_year_tables(bi.prepare_inputs([str(p) for p in transition]), 2025)
    table = sections.communes(br.district_brief(inputs, DISTRICT, 2025, "vi")).table
    rows = {r[0]: r for r in table.itertuples(index=False)}
    assert rows["Bắc Kạn"][3] != "–" and rows["Bắc Kạn"][4] == "–"  # the 2025 rate shown, the change not
