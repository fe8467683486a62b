"""A unit's own headline under disclosure control: a brief, the index and its manifests never
print the counts or rates the year's protection hides for the unit itself, and the ``targets``
command hides the rates of small scopes as the workbook's targets sheet does.

A one-year review on the new division of four communes: Cao Minh cut to 7 households (3 poor,
2 near-poor: every figure of it hidden) and Chợ Mới to 61 (3 poor, 12 near-poor: its poor count
hidden). Their former districts (Pác Nặm, Chợ Mới) hold only them, so their briefs are as
small. The batch builds every brief as an analyst does; every output is searched for the
hidden figures (their rates are unlike any other number of the outputs), and the places that
print a unit's own figures (headline, key messages, index, manifests) show the hidden-cell mark.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_disclosure import html_tables

from analysis.briefs import narrative as nv
from analysis.paths import BUNDLED_ALL, PROJECT_DIR

INDICATORS = ("employment", "dependants", "nutrition", "health_insurance", "adult_education", "child_schooling",
              "housing_quality", "housing_area", "water", "sanitation", "telecom", "information_access",
              "health_service_access", "waste_disposal")
#: commune → (households, poor, near-poor) kept; None: the commune as bundled.
COMMUNES: dict[str, tuple[int, int, int] | None] = {"Bằng Vân": None, "Côn Minh": None, "Cao Minh": (7, 3, 2), "Chợ Mới": (61, 3, 12)}
#: The hidden figures as a brief prints them: Cao Minh's rates 3/7, 2/7 and its H (3/7),
#: Chợ Mới's poor rate 3/61.
HIDDEN_TEXT = ("42,86", "28,57", "42,9%", "4,92")
#: Their raw values, as a JSON or a workbook could hold them.
HIDDEN_RAW = ("42.857", "28.571", "4.918", "0.42857", "0.04918")
HIDDEN_MARK = "–"
PROTECTED = "không được nêu để bảo vệ thông tin các nhóm nhỏ"
#: Briefs (slug, index name) whose own poor count is hidden.
SMALL = {"xa-cao-minh": "Xã Cao Minh", "xa-cho-moi": "Xã Chợ Mới", "pac-nam": "Pác Nặm", "cho-moi": "Chợ Mới"}


def _craft(path: Path, communes: dict[str, tuple[int, int, int] | None] = COMMUNES) -> Path:
    """The bundled end-2025 review cut to ``communes`` (see :data:`COMMUNES`), as a Parquet file."""
    frame = pd.read_parquet(BUNDLED_ALL[1])
    parts = []
    for name, kept in communes.items():
        rows = frame[frame["commune"] == name].copy()
        if kept is not None:
            households, poor, near = kept
            rows = rows.iloc[:households].copy()
            rows["income_per_capita"] = 9_000_000  # above every line
            rows[list(INDICATORS)] = 0
            rows.loc[rows.index[: poor + near], "income_per_capita"] = 1_000_000
            rows.loc[rows.index[:poor], ["water", "sanitation", "telecom"]] = 1  # three deprivations: poor
        parts.append(rows)
    table = pa.Table.from_pandas(pd.concat(parts, ignore_index=True), preserve_index=False)
    pq.write_table(table.replace_schema_metadata({**(table.schema.metadata or {}), b"synthetic": b"true"}), path)
    return path


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1735689600", PYTHONPATH=str(PROJECT_DIR))
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run([sys.executable, "-m", "analysis", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _craft(tmp_path_factory.mktemp("headline") / "review.parquet")


@pytest.fixture(scope="module")
def batch(review: Path) -> Path:
    _cli("reports", "--data", str(review), "--formats", "html", "--jobs", "2", "--out", str(review.parent / "out"))
    return review.parent / "out" / "2025"


def _texts(folder: Path) -> Iterator[tuple[str, str]]:
    """(name, text) of every output a reader gets: pages, executed notebooks' outputs,
    manifests, workbook cells."""
    for path in sorted(folder.glob("*.html")):
        yield path.name, path.read_text(encoding="utf-8")
    for path in sorted((folder / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        yield path.name, json.dumps([cell.get("outputs", []) for cell in cells], ensure_ascii=False)
    for path in sorted((folder / "manifests").glob("*.json")):
        yield path.name, path.read_text(encoding="utf-8")
    for path in sorted(folder.glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        for sheet in book:
            yield f"{path.name}/{sheet.title}", "\n".join(repr(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)


def _found(text: str, number: str) -> bool:
    return re.search(rf"(?<![\d.,]){re.escape(number)}", text) is not None


def _kpis(page: str, section: str) -> dict[str, str]:
    start = page.index(f'id="{section}"')
    part = page[start:page.index("</section>", start)]
    pairs = re.findall(r'class="kpi-value"[^>]*>([^<]*)</span><span class="kpi-label"[^>]*>([^<]*)</span>', part)
    return {name: value for value, name in pairs}


def test_no_hidden_figure_of_a_small_unit_is_printed_anywhere(batch: Path) -> None:
    texts = dict(_texts(batch))
    assert {"index.html", "xa-cao-minh.html", "pac-nam.html", "xa-cao-minh.json", "bang-tong-hop-2025.xlsx/Tổng hợp", "bang-tong-hop-2025.xlsx/Mục tiêu"} <= set(texts)
    leaks = [(name, number) for name, text in texts.items() for number in HIDDEN_TEXT + HIDDEN_RAW if _found(text, number)]
    assert leaks == []


def test_the_headline_shows_the_mark_and_says_why(batch: Path) -> None:
    for slug in SMALL:
        page = (batch / f"{slug}.html").read_text(encoding="utf-8")
        kpis = _kpis(page, "headline")
        assert kpis["Hộ nghèo"] == HIDDEN_MARK and kpis["Tỷ lệ hộ nghèo"] == HIDDEN_MARK, (slug, kpis)
        assert kpis["Xếp hạng (1 = tỷ lệ nghèo cao nhất)"] == HIDDEN_MARK, slug  # a hidden rate is not ranked
        assert _kpis(page, "alkire-foster")["H"] == HIDDEN_MARK, slug
        headline = page[page.index('id="headline"'):]
        sentence = re.search(r"<p>(Năm 2025,[^<]*)</p>", headline)
        assert sentence is not None and PROTECTED in sentence.group(1), slug
        assert not re.search(r"\b3 hộ nghèo|\b7 hộ\b|\b61 hộ\b", sentence.group(1)), sentence.group(1)
        messages = page[page.index('class="key-messages"'):]
        assert PROTECTED in messages[:messages.index("</ul>")], slug
    # The others' ranks leave the hidden units out (ranked among the rates shown).
    shown = _kpis((batch / "xa-bang-van.html").read_text(encoding="utf-8"), "headline")
    assert shown["Xếp hạng (1 = tỷ lệ nghèo cao nhất)"] == "1/2" and shown["Hộ nghèo"] != HIDDEN_MARK


def test_the_index_and_the_manifests_show_the_mark(batch: Path) -> None:
    index = {row[0]: row for row in html_tables(batch / "index.html")[0][1:] if row}
    for slug, name in SMALL.items():
        assert index[name][2:4] == [HIDDEN_MARK, HIDDEN_MARK], index[name]  # poor, rate
        figures = json.loads((batch / "manifests" / f"{slug}.json").read_text(encoding="utf-8"))["row"]["figures"]
        assert figures[1:3] == [HIDDEN_MARK, HIDDEN_MARK], (slug, figures)
    assert index["Xã Bằng Vân"][2] not in ("", HIDDEN_MARK)  # a test that can fail: shown figures stay


def test_the_headline_sentence_names_what_is_hidden() -> None:
    unit = "xã X"
    vi = nv.headline_sentence(unit, 2025, 61, None, None, 12, 19.67, None, None, None, "vi")
    assert vi == ("Năm 2025, xã X có 61 hộ và 12 hộ cận nghèo (19,67%); số hộ nghèo và tỷ lệ hộ nghèo "
                  "không được nêu để bảo vệ thông tin các nhóm nhỏ.")
    en = nv.headline_sentence("X commune", 2025, 61, None, None, 1, 1.64, None, 2024, None, "en")
    assert en == ("In 2025, X commune had 61 households and 1 near-poor household (1.64%); the number of poor households, "
                  "the poor-household rate and the change from 2024 are not shown, to protect small groups.")
    kept = nv.headline_sentence("X district", 2025, 500, 40, 8.0, None, None, -1.5, 2024, 9.5, "en")
    assert kept.startswith("In 2025, X district had 500 households and 40 poor households (8.00%), down 1.50 percentage points from 2024")
    assert kept.endswith("; the number of near-poor households and the near-poor rate are not shown, to protect small groups.")
    every = nv.headline_sentence(unit, 2025, None, None, None, None, None, None, None, None, "vi")
    assert every == ("Năm 2025, tổng số hộ, số hộ nghèo, tỷ lệ hộ nghèo, số hộ cận nghèo và tỷ lệ hộ cận nghèo của xã X "
                     "không được nêu để bảo vệ thông tin các nhóm nhỏ.")
    # Nothing hidden: the sentence as before.
    assert nv.headline_sentence(unit, 2025, 100, 10, 10.0, 5, 5.0, None, None, None, "vi").startswith("Năm 2025, xã X còn 10 hộ nghèo")


#: The targets scopes of the two small former districts (each holds one small commune).
SMALL_SCOPES = ("Pác Nặm", "Chợ Mới")


def test_targets_hide_what_the_targets_sheet_hides(review: Path, batch: Path) -> None:
    data = json.loads(_cli("targets", "--data", str(review), "--format", "json").stdout)
    rates = {row["scope"]: row["poor_rate"] for row in data["annual"] if row["year"] == 2025}
    assert all(rates[scope] is None for scope in SMALL_SCOPES), rates
    assert rates["Ngân Sơn"] is not None and rates["province"] is not None  # shown figures stay
    assert any("disclosure control" in line for line in data["notes"])
    csv_text = _cli("targets", "--data", str(review), "--format", "csv").stdout
    table_text = _cli("targets", "--data", str(review), "--format", "table").stdout
    for text in (json.dumps(data), csv_text, table_text):
        assert not [n for n in HIDDEN_RAW + ("42.86", "4.92") if _found(text, n)], text
    sheet = openpyxl.load_workbook(batch / "bang-tong-hop-2025.xlsx")["Mục tiêu"]
    in_sheet = {row[1]: row[14] for row in sheet.iter_rows(min_row=4, values_only=True) if row[1] is not None}
    hidden = sorted(name for name, rate in in_sheet.items() if rate is None and name in rates)
    assert hidden == sorted(scope for scope, rate in rates.items() if rate is None and scope in in_sheet)
