"""A unit is never merged with another because they share a name.

Old-division names repeat: Tân Lập is a commune of Mộc Hóa and of Tân Thạnh, both districts of
Long An; Châu Thành is a district of Long An and of Tiền Giang (and of eight more provinces).
A unit's identity is (province, district, commune); a name that repeats in an output is told
apart with its district (within one province) or its province (``Châu Thành (Long An)``).

The crafted review below has two years (2023, 2024) of eleven households in four units; every
figure every command prints for them is checked against the hand count in :data:`UNITS`.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import deprived, records

from analysis.cli import main
from analysis.review import columns as c

POOR = {c.INCOME: 500_000, **deprived(3)}  # poor: income under the line and 3 of the 12 indicators (score 3/12)
#: The indicator every poor household (and no other) is deprived in.
FIRST = c.DECREE_07_INDICATORS[3]

PLACES = {
    "A": {c.PROVINCE: "Long An", c.DISTRICT: "Mộc Hóa", c.COMMUNE: "Tân Lập"},
    "B": {c.PROVINCE: "Long An", c.DISTRICT: "Tân Thạnh", c.COMMUNE: "Tân Lập"},
    "L": {c.PROVINCE: "Long An", c.DISTRICT: "Châu Thành", c.COMMUNE: "Tầm Vu"},
    "T": {c.PROVINCE: "Tiền Giang", c.DISTRICT: "Châu Thành", c.COMMUNE: "Tân Hiệp"},
}
#: Each household: its unit, poor in 2024, poor in 2023 (every other household is near-poor).
HOUSEHOLDS = [
    ("A", 1, 1), ("A", 0, 1), ("A", 0, 0),
    ("B", 1, 0), ("B", 1, 1),
    ("L", 1, 1), ("L", 0, 0), ("L", 0, 0), ("L", 0, 1),
    ("T", 1, 0), ("T", 0, 0),
]
#: By hand from HOUSEHOLDS: 2024 households and poor, 2023 poor; flows into 2024: exited
#: poverty (poor in 2023, not in 2024), newly poor (poor in 2024, not in 2023, no year before).
UNITS = {
    "A": {"households": 3, "poor": 1, "poor_2023": 2, "exited_poverty": 1, "newly_poor": 0},
    "B": {"households": 2, "poor": 2, "poor_2023": 1, "exited_poverty": 0, "newly_poor": 1},
    "L": {"households": 4, "poor": 1, "poor_2023": 2, "exited_poverty": 1, "newly_poor": 0},
    "T": {"households": 2, "poor": 1, "poor_2023": 0, "exited_poverty": 0, "newly_poor": 1},
}
LABELS = {
    "commune": {"A": "Tân Lập (Mộc Hóa)", "B": "Tân Lập (Tân Thạnh)", "L": "Tầm Vu", "T": "Tân Hiệp"},
    "district": {"A": "Mộc Hóa", "B": "Tân Thạnh", "L": "Châu Thành (Long An)", "T": "Châu Thành (Tiền Giang)"},
}
ENGINES = ("pandas", "columnar")


def test_the_hand_count_is_the_households() -> None:
    for key, unit in UNITS.items():
        mine = [h for h in HOUSEHOLDS if h[0] == key]
        assert (len(mine), sum(h[1] for h in mine), sum(h[2] for h in mine)) == (unit["households"], unit["poor"], unit["poor_2023"])
        assert unit["exited_poverty"] == sum(1 for h in mine if h[2] and not h[1])
        assert unit["newly_poor"] == sum(1 for h in mine if h[1] and not h[2])


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = []
    for n, (key, poor_2024, poor_2023) in enumerate(HOUSEHOLDS):
        for year, poor in ((2023, poor_2023), (2024, poor_2024)):
            rows.append({**PLACES[key], c.HOUSEHOLD_ID: f"H{n}", c.YEAR: year, c.ETHNICITY: "Kinh", **(POOR if poor else {})})
    path = tmp_path_factory.mktemp("names") / "review.parquet"
    records(*rows).to_parquet(path, index=False)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def by_label(rows: list[dict], level: str) -> dict[str, dict]:
    """The rows of a JSON output by unit key (each label once)."""
    labels = [r["unit"] for r in rows]
    assert len(labels) == len(set(labels)), labels
    keys = {label: key for key, label in LABELS[level].items()}
    assert set(labels) == set(keys), labels
    return {keys[r["unit"]]: r for r in rows}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("level", ["commune", "district"])
def test_summary(review: Path, capsys: pytest.CaptureFixture[str], engine: str, level: str) -> None:
    rows = by_label(json.loads(run(capsys, "summary", "--data", str(review), "--year", "2024", "--by", level, "--engine", engine, "--format", "json")), level)
    for key, unit in UNITS.items():
        assert (rows[key]["households"], rows[key]["poor"]) == (unit["households"], unit["poor"]), key
        assert rows[key]["poor_rate"] == pytest.approx(100 * unit["poor"] / unit["households"])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("level", ["commune", "district"])
def test_summary_by_year(review: Path, capsys: pytest.CaptureFixture[str], engine: str, level: str) -> None:
    """Each year's rows apart: one row per unit and year."""
    out = json.loads(run(capsys, "summary", "--data", str(review), "--by", f"year,{level}", "--engine", engine, "--format", "json"))
    for year, column in ((2023, "poor_2023"), (2024, "poor")):
        rows = by_label([r for r in out if r["year"] == year], level)
        assert {k: r["poor"] for k, r in rows.items()} == {k: u[column] for k, u in UNITS.items()}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("level", ["commune", "district"])
def test_mpi(review: Path, capsys: pytest.CaptureFixture[str], engine: str, level: str) -> None:
    """H is the poor share (only the poor are deprived, in 3 of 12 indicators: A = 3/12), and
    each unit's indicators are its own (uncensored share of FIRST = H)."""
    args = ["mpi", "--data", str(review), "--year", "2024", "--by", level, "--engine", engine]
    rows = by_label(json.loads(run(capsys, *args, "--format", "json")), level)
    for key, unit in UNITS.items():
        h = unit["poor"] / unit["households"]
        assert rows[key]["H"] == pytest.approx(h) and rows[key]["A"] == pytest.approx(0.25) and rows[key]["M0"] == pytest.approx(h / 4)
        assert len(rows[key]["indicators"]) == 12
        assert rows[key]["indicators"][FIRST]["uncensored"] == pytest.approx(h), key
    table = list(csv.DictReader(run(capsys, *args, "--format", "csv").splitlines()))
    assert len(table) == 12 * len(UNITS)
    for key, unit in UNITS.items():
        mine = [r for r in table if r["unit"] == LABELS[level][key]]
        assert len(mine) == 12 and {r["indicator"] for r in mine} == set(c.DECREE_07_INDICATORS)
        first = next(r for r in mine if r["indicator"] == FIRST)
        assert float(first["H"]) == pytest.approx(unit["poor"] / unit["households"]) == pytest.approx(float(first["uncensored"]))
    lines = run(capsys, *args, "--format", "table").splitlines()
    for key, unit in UNITS.items():
        (line,) = [ln for ln in lines if ln.strip().startswith(LABELS[level][key] + " ")]
        assert f" {unit['households']} " in line and f"{unit['poor'] / unit['households']:.3f}" in line, line


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("level", ["commune", "district"])
def test_profile(review: Path, capsys: pytest.CaptureFixture[str], engine: str, level: str) -> None:
    out = json.loads(run(capsys, "profile", "--data", str(review), "--year", "2024", "--by", level, "--engine", engine, "--format", "json"))
    rows = by_label([r for r in out if r["indicator"] == FIRST], level)
    assert len(out) == 12 * len(UNITS)
    for key, unit in UNITS.items():
        assert (rows[key]["households"], rows[key]["poor"], rows[key]["deprived"]) == (unit["households"], unit["poor"], unit["poor"]), key
        assert rows[key]["share_all_pct"] == pytest.approx(100 * unit["poor"] / unit["households"])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("level", ["commune", "district"])
def test_flows(review: Path, capsys: pytest.CaptureFixture[str], engine: str, level: str) -> None:
    rows = by_label(json.loads(run(capsys, "flows", "--data", str(review), "--year", "2024", "--by", level, "--engine", engine, "--format", "json")), level)
    for key, unit in UNITS.items():
        got = {k: rows[key][k] for k in ("households", "poor", "exited_poverty", "newly_poor")}
        assert got == {k: unit[k] for k in ("households", "poor", "exited_poverty", "newly_poor")}, key
        assert rows[key]["poor_previous"] == unit["poor_2023"]


def summary_sheet(folder: Path) -> dict[str, list[str]]:
    """The 2024 summary sheet's rows (CSV): unit name → the row's cells."""
    path = next((folder / "2024").glob("*tong-hop.csv"))
    table = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    names = [row[1] for row in table[1:]]
    assert len(names) == len(set(names)), names
    return {row[1]: row for row in table[1:]}


def test_tables_of_two_provinces(review: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The workbook's rows: each district (a repeated name with its province) with its own
    communes, a commune name repeated in a province with its district."""
    run(capsys, "tables", "--data", str(review), "--format", "csv", "--threshold", "1", "--out", str(tmp_path), "--engine", "pandas")
    rows = summary_sheet(tmp_path)
    for level in ("district", "commune"):
        for key, unit in UNITS.items():
            row = rows[LABELS[level][key]]
            assert (int(row[2]), int(row[4])) == (unit["households"], unit["poor"]), (level, key)
    order = list(rows)
    assert order.index("Châu Thành (Long An)") + 1 == order.index("Tầm Vu")
    assert order.index("Châu Thành (Tiền Giang)") + 1 == order.index("Tân Hiệp")


@pytest.mark.parametrize("engine", ENGINES)
def test_workbook_of_one_province(review: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, engine: str) -> None:
    """Long An's workbook (Excel, opened back): its two Tân Lập apart, under their districts."""
    from openpyxl import load_workbook

    run(capsys, "tables", "--data", str(review), "--province", "Long An", "--threshold", "1", "--out", str(tmp_path), "--engine", engine)
    book = load_workbook(next((tmp_path / "2024" / "long-an").glob("*.xlsx")), read_only=True)  # the province's own folder
    sheet = book.worksheets[0]
    cells = {str(row[1]): row for row in sheet.iter_rows(values_only=True) if row[1] is not None}
    for key in ("A", "B", "L"):
        for level in ("district", "commune"):
            name = LABELS[level][key].replace(" (Long An)", "")  # one province: no district name repeats
            assert (cells[name][2], cells[name][4]) == (UNITS[key]["households"], UNITS[key]["poor"]), name
    assert "Tân Hiệp" not in cells


def test_province_brief_ranks_each_commune(review: Path) -> None:
    """Long An's overview: its poorest communes are its units, each with its own rate."""
    from analysis.briefs import brief as br
    from analysis.briefs import inputs as bi
    from analysis.briefs.sections.poorest import poorest, poorest_communes, province_communes

    inputs = bi.with_year_tables(bi.prepare_inputs(str(review), province="Long An", threshold=1), 2024)
    overview = br.province_brief(inputs, 2024, "en")
    top = poorest(province_communes(overview))
    got = {(name, place): (int(n), float(rate)) for name, place, n, rate in zip(top["_name"], top["_place"], top["households"], top["poor_rate"])}
    assert got == {(PLACES[k][c.COMMUNE], PLACES[k][c.DISTRICT]): (UNITS[k]["households"], pytest.approx(100 * UNITS[k]["poor"] / UNITS[k]["households"])) for k in "ABL"}
    section = poorest_communes(overview)
    assert section.table is not None and len(section.table) == 3


def test_commune_units_are_pairs() -> None:
    """A commune brief's units: the (province, commune) pairs of the data, not every commune of
    its provinces that bears one of its names (Tây Ninh has a Tân Lập too)."""
    from analysis.briefs.communes import commune_units

    panel = pd.DataFrame({c.PROVINCE: ["Lâm Đồng", "Tây Ninh"], c.COMMUNE: ["Tân Lập", "Tân Biên"]})
    units = commune_units(panel)
    body = units.table[units.table["level"] == "district"]
    assert sorted(body["name"]) == ["Tân Biên", "Tân Lập"]
    assert len(units.table[units.table["level"] == "province"]) == 2


def test_labels_through_the_catalogues() -> None:
    from analysis.measures.levels import DISTRICT_PROVINCE, unit_labels

    frame = pd.DataFrame({c.DISTRICT: ["Mộc Hóa", "Tân Thạnh", "Châu Thành", "Châu Thành"], c.COMMUNE: ["Tân Lập", "Tân Lập", "Tân Lập", "Tân Hiệp"],
                          DISTRICT_PROVINCE: ["Long An", "Long An", "Tiền Giang", "Tiền Giang"]})
    assert unit_labels(frame, ["commune"], "", "vi").tolist() == [
        "Tân Lập (Mộc Hóa, Long An)", "Tân Lập (Tân Thạnh, Long An)", "Tân Lập (Tiền Giang)", "Tân Hiệp"]
    assert unit_labels(frame, ["district"], "", "en").tolist() == ["Mộc Hóa", "Tân Thạnh", "Châu Thành", "Châu Thành"]
    assert unit_labels(frame.iloc[[0, 2]], ["commune"], "").tolist() == ["Tân Lập (Long An)", "Tân Lập (Tiền Giang)"]
    assert unit_labels(frame, ["district", "commune"], "").tolist() == [
        "Mộc Hóa × Tân Lập (Long An)", "Tân Thạnh × Tân Lập (Long An)", "Châu Thành × Tân Lập (Tiền Giang)", "Châu Thành × Tân Hiệp"]


# --- former districts (new-division years counted in the old districts) ----------------------

#: Tầm Vu and Tân Hương, new communes since 1 July 2025 of Tây Ninh and Đồng Tháp, lie wholly in
#: the former Châu Thành of Long An and of Tiền Giang; in 2024 they were communes of those.
FORMER = {
    "L": ({c.PROVINCE: "Long An", c.DISTRICT: "Châu Thành", c.COMMUNE: "Tầm Vu"}, {c.PROVINCE: "Tây Ninh", c.DISTRICT: "", c.COMMUNE: "Tầm Vu"}),
    "T": ({c.PROVINCE: "Tiền Giang", c.DISTRICT: "Châu Thành", c.COMMUNE: "Tân Hương"}, {c.PROVINCE: "Đồng Tháp", c.DISTRICT: "", c.COMMUNE: "Tân Hương"}),
}
#: Each household: its former district, poor in 2025, poor in 2024.
FORMER_HOUSEHOLDS = [("L", 1, 1), ("L", 0, 1), ("L", 0, 0), ("T", 1, 0), ("T", 1, 1)]
FORMER_UNITS = {  # by hand from FORMER_HOUSEHOLDS
    "Châu Thành (Long An)": {"households": 3, "poor": 1, "exited_poverty": 1, "newly_poor": 0},
    "Châu Thành (Tiền Giang)": {"households": 2, "poor": 2, "exited_poverty": 0, "newly_poor": 1},
}


@pytest.fixture(scope="module")
def former(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = []
    for n, (key, poor_2025, poor_2024) in enumerate(FORMER_HOUSEHOLDS):
        old, new = FORMER[key]
        rows.append({**old, c.HOUSEHOLD_ID: f"H{n}", c.YEAR: 2024, c.ETHNICITY: "Kinh", **(POOR if poor_2024 else {})})
        rows.append({**new, c.HOUSEHOLD_ID: f"H{n}", c.YEAR: 2025, c.ETHNICITY: "Kinh", **(POOR if poor_2025 else {})})
    path = tmp_path_factory.mktemp("former") / "review.parquet"
    records(*rows).to_parquet(path, index=False)
    return path


def test_former_districts_of_two_provinces(former: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--data", str(former), "--year", "2025", "--by", "former_district", "--format", "json"]
    summary = {r["unit"]: r for r in json.loads(run(capsys, "summary", *base))}
    flows = {r["unit"]: r for r in json.loads(run(capsys, "flows", *base))}
    mpi = {r["unit"]: r for r in json.loads(run(capsys, "mpi", *base))}
    assert set(summary) == set(flows) == set(mpi) == set(FORMER_UNITS)
    for name, unit in FORMER_UNITS.items():
        assert (summary[name]["households"], summary[name]["poor"]) == (unit["households"], unit["poor"]), name
        assert (flows[name]["exited_poverty"], flows[name]["newly_poor"]) == (unit["exited_poverty"], unit["newly_poor"]), name
        assert mpi[name]["H"] == pytest.approx(unit["poor"] / unit["households"])


# --- poor districts: a district of the reference province, not a name --------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_poor_district_is_the_provinces_own(review: Path, engine: str) -> None:
    """Were Long An's Châu Thành a poor district, Tiền Giang's Châu Thành would still not be one:
    the poor-district group of the crafted review is L alone (4 households, 1 poor)."""
    from dataclasses import replace

    from analysis.measures.breakdowns import poverty_rates
    from analysis.measures.classification import classify
    from analysis.measures.columnar import ColumnarReview
    from analysis.review.loading import load_households
    from analysis.review.units import OLD, province_units

    units = province_units("Long An", OLD)
    table = units.table.assign(poor_district=((units.table["level"] == "district") & (units.table["name"] == "Châu Thành")).astype(int))
    mine = replace(units, table=table)
    assert mine.poor_districts == ["Châu Thành"]
    if engine == "pandas":
        out = poverty_rates(classify(load_households(review), "decree-07-2021"), "poor_district", year=2024, units=mine)
    else:
        columnar = ColumnarReview(review)
        columnar.__dict__["units"] = mine  # the reference units, as units_for would pick them for such a list
        out = columnar.poverty_rates("poor_district", year=2024)
    got = {bool(k): (int(n), int(p)) for k, n, p in zip(out["poor_district"], out["households"], out["poor"])}
    others = [k for k in UNITS if k != "L"]
    assert got == {True: (UNITS["L"]["households"], UNITS["L"]["poor"]),
                   False: (sum(UNITS[k]["households"] for k in others), sum(UNITS[k]["poor"] for k in others))}


def test_new_communes_follow_their_own_old_communes(former: Path) -> None:
    """The first year on the new division restates the previous review as published: each new
    commune's predecessors are the old communes of its own province, whose row ids name their
    district's province (Châu Thành is a district of both)."""
    from analysis.measures.classification import classify
    from analysis.measures.rebase import rebase
    from analysis.review.loading import load_households
    from analysis.review.units import units_for
    from analysis.tables.workbook import release

    panel = classify(load_households(former), "decree-07-2021")
    rebased = rebase(panel, "new")
    before = release(panel, 2024, "decree-07-2021", 1, units_for(panel))
    assert [r.id for r in before.figures.rows] == ["*", "Châu Thành@Long An", "Châu Thành@Long An/Tầm Vu", "Châu Thành@Tiền Giang", "Châu Thành@Tiền Giang/Tân Hương"]
    now = release(rebased.households, 2025, "decree-07-2021", 1, division="new", inexact=rebased.inexact, previous=before)
    assert now.predecessors == {"/Tầm Vu": ("Châu Thành@Long An/Tầm Vu",), "/Tân Hương": ("Châu Thành@Tiền Giang/Tân Hương",)}
    start = now.figures.movements[("poor", "households")]["start"]
    assert (int(start["/Tầm Vu"]), int(start["/Tân Hương"])) == (2, 1)  # poor in 2024, by hand from FORMER_HOUSEHOLDS
