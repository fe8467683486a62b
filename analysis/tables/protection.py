"""One disclosure protection for everything published about a review year.

The cells are every household count the summary workbook and the briefs show, at every
level (communes, their districts, the province), with the sums that tie them: statuses add
up to households, ethnic groups to their unit and to the ethnic-minority total, communes to
their district, the period's movement to the end count. :func:`protect_figures` hides the
same cells wherever they appear (see :mod:`analysis.measures.disclosure`).

Measure names (the second half of a cell's key):

* ``households``, ``poor``, ``near_poor``, ``average`` and ``above`` (implicit);
* ``em:households``, ``em:poor``, ``em:near_poor`` (ethnic-minority households), ``em:rest``;
* ``eth:<group>:households`` / ``:poor`` / ``:near_poor`` / ``:rest``;
* ``mov:<status>:<column>`` for the movement table (``end`` is the status itself; the
  transitions between poor and near-poor are ``flow:poor_to_near_poor`` and
  ``flow:near_poor_to_poor``, shared by both tables);
* ``flow:exited_poverty``, ``flow:newly_poor``, ``flow:fallen_back_poor`` and the same for
  the near-poor (the flows the briefs show): not in the sums, hidden by :func:`_flow_cells`;
* ``dep:<status>:<indicator>``, deprived households of a status (``dep:all:…`` of all).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from ..measures.disclosure import DEFAULT_THRESHOLD, Cell, CellSystem, DuplicateRowError, Protection, protect
from ..measures.disclosure_years import Link, link_cells, same_row
from ..measures.flows import MOVEMENT_DECREASES, MOVEMENT_INCREASES
from ..review import columns as c
from .figures import PROVINCE_ROW, STATES, Figures, row_id

STATUS_MEASURES = ("poor", "near_poor", "average")
GROUP_MEASURES = ("households", "poor", "near_poor")


def movement_measure(state: str, column: str) -> str:
    """The cell measure of a movement-table column (shared where two tables show one count)."""
    if column == "end":
        return state
    if (state, column) in (("poor", "decrease_to_other"), ("near_poor", "increase_from_other")):
        return "flow:poor_to_near_poor"
    if (state, column) in (("near_poor", "decrease_to_other"), ("poor", "increase_from_other")):
        return "flow:near_poor_to_poor"
    return f"mov:{state}:{column}"


def deprived_measure(state: str, indicator: str) -> str:
    """Households of a status (or all ``households``) deprived in an indicator."""
    return f"dep:{'all' if state == 'households' else state}:{indicator}"


def ethnic_measure(group: str, measure: str) -> str:
    return f"eth:{group}:{measure}"


def ethnic_detail_rows(figures: Figures) -> list[str]:
    """Rows that show each ethnic group: the province and districts. In a commune most groups
    are a handful of households, so communes show Kinh and all minorities only (small groups
    merged, the issue's alternative to suppressing nearly every cell)."""
    return [r.id for r in figures.rows if r.kind != "commune"]


def _number(value: Any) -> float:
    return float(value)


def _records(frame: pd.DataFrame, columns: Sequence[str], *, unique: bool = False) -> dict[str, dict[str, Any]]:
    """Row id → the row's values of ``columns`` (the first row of an id; ``unique``: an id of
    several rows is a bug), read once: the cells are many, and a frame lookup per cell was
    most of the system's cost."""
    twice = frame.index.duplicated()
    if twice.any():
        if unique:
            raise DuplicateRowError(f"internal error: row ids {sorted(map(str, set(frame.index[twice])))[:5]} name more than one row "
                                    f"of a table of cells ({', '.join(columns)}); row ids of a cell system must be unique")
        frame = frame[~twice]
    values = {col: frame[col].tolist() for col in columns}
    return {str(row): {col: values[col][i] for col in columns} for i, row in enumerate(frame.index)}


def _kinh_counts(figures: Figures) -> dict[str, dict[str, float]]:
    """Row id → the Kinh (majority) households' counts (first row of each id, as before)."""
    kinh = figures.minority[~figures.minority["ethnic_minority"].astype(bool)]
    return {row: {m: _number(v) for m, v in got.items()} for row, got in _records(kinh, GROUP_MEASURES).items()}


def cell_system(figures: Figures) -> CellSystem:
    """The cells and sums of a review year's published tables."""
    system = CellSystem()
    ids = [r.id for r in figures.rows]
    hh = figures.households
    twice = sorted({i for i, n in Counter(ids).items() if n > 1} | set(map(str, hh.index[hh.index.duplicated()])))
    if twice:
        raise DuplicateRowError(f"internal error: row ids {twice[:5]} name more than one unit of the {figures.year} tables; "
                                "row ids of the disclosure cells must be unique")
    households = _records(hh, ("households", *STATUS_MEASURES))
    for row in ids:
        got = {m: _number(v) for m, v in households[row].items()}
        system.add(row, "households", got["households"])
        for m in STATUS_MEASURES:
            system.add(row, m, got[m], "households")
        system.add(row, "above", got["households"] - sum(got[m] for m in STATUS_MEASURES), "households", shown=False)
    system.row_sums(ids, "households", [*STATUS_MEASURES, "above"])

    minority = _records(figures.minority[figures.minority["ethnic_minority"].astype(bool)], GROUP_MEASURES)
    group_rows = ethnic_detail_rows(figures)
    detailed = set(group_rows)
    ethnic = figures.ethnic
    ethnic = ethnic[ethnic.index.isin(detailed)]
    by_group: dict[tuple[str, Any], dict[str, Any]] = {}
    for i, (row, group) in enumerate(zip(map(str, ethnic.index), ethnic[c.ETHNICITY].tolist())):
        by_group.setdefault((row, group), {m: ethnic[m].iat[i] for m in GROUP_MEASURES})
    for row in ids:
        em = minority.get(row)
        em_values = {m: float(em[m]) if em is not None else 0.0 for m in GROUP_MEASURES}
        for m in GROUP_MEASURES:
            system.add(row, f"em:{m}", em_values[m], None if m == "households" else "em:households")
        system.add(row, "em:rest", em_values["households"] - em_values["poor"] - em_values["near_poor"], "em:households", shown=False)
        if row not in detailed:
            continue
        for group in figures.ethnic_groups:
            found = by_group.get((row, group))
            got = {m: _number(found[m]) if found is not None else 0.0 for m in GROUP_MEASURES}
            for m in GROUP_MEASURES:
                system.add(row, ethnic_measure(group, m), got[m], None if m == "households" else ethnic_measure(group, "households"))
            system.add(row, ethnic_measure(group, "rest"), got["households"] - got["poor"] - got["near_poor"], ethnic_measure(group, "households"), shown=False)
    system.row_sums(ids, "em:households", ["em:poor", "em:near_poor", "em:rest"])
    for group in figures.ethnic_groups:
        system.row_sums(group_rows, ethnic_measure(group, "households"), [ethnic_measure(group, m) for m in ("poor", "near_poor", "rest")])
    minorities = [g for g in figures.ethnic_groups if g != c.MAJORITY_ETHNICITY]
    for m in GROUP_MEASURES:
        system.row_sums(group_rows, m, [ethnic_measure(g, m) for g in figures.ethnic_groups])
        system.row_sums(group_rows, f"em:{m}", [ethnic_measure(g, m) for g in minorities])
    # Kinh beside all minorities at every level (communes too): households = Kinh + minorities.
    kinh = c.MAJORITY_ETHNICITY
    kinh_counts = _kinh_counts(figures)
    for row in ids:
        for m in GROUP_MEASURES:
            if not system.has(row, ethnic_measure(kinh, m)):
                system.add(row, ethnic_measure(kinh, m), kinh_counts.get(row, {}).get(m, 0.0), None if m == "households" else ethnic_measure(kinh, "households"))
        if not system.has(row, ethnic_measure(kinh, "rest")):
            got = {m: system.values[(row, ethnic_measure(kinh, m))] for m in GROUP_MEASURES}
            system.add(row, ethnic_measure(kinh, "rest"), got["households"] - got["poor"] - got["near_poor"], ethnic_measure(kinh, "households"), shown=False)
    system.row_sums([r for r in ids if r not in detailed], ethnic_measure(kinh, "households"), [ethnic_measure(kinh, m) for m in ("poor", "near_poor", "rest")])
    for m in GROUP_MEASURES:
        system.row_sums(ids, m, [ethnic_measure(kinh, m), f"em:{m}"])

    columns = ("start", *MOVEMENT_DECREASES, *MOVEMENT_INCREASES)
    for state in STATES:
        table = figures.movements.get((state, "households"))
        if table is None:
            continue
        counts = _records(table, columns, unique=True)
        for row in ids:
            mine = counts.get(row)
            for column in columns:
                measure = movement_measure(state, column)
                if not system.has(row, measure):
                    system.add(row, measure, mine[column] if mine is not None else 0.0)
        parts = [(movement_measure(state, col), 1) for col in MOVEMENT_DECREASES]
        parts += [(movement_measure(state, col), -1) for col in MOVEMENT_INCREASES]
        system.row_sums(ids, movement_measure(state, "start"), [*parts, (state, 1)])

    for state, table in figures.deprived.items():
        deprived = _records(table, figures.standard.indicators, unique=True)
        for row in ids:
            if row not in deprived:
                continue
            for indicator in figures.standard.indicators:
                system.add(row, deprived_measure(state, indicator), deprived[row][indicator], state)
    system.hierarchy(figures.children)
    # The headline counts are what every brief leads with: hidden only when they must be.
    system.keep.update(cell for cell in system.values if cell[1] in ("households", *STATUS_MEASURES))
    return system


def transition_rows(figures: Figures, before: Figures) -> dict[str, tuple[str, ...]]:
    """Rows of a year on the new division → their rows in the previous review's release on the
    old one (the old communes each new unit was made of, within the row's former district);
    empty when both years are on one division. A commune whose old communes are not among the
    previous release's rows maps to none (its change is then hidden)."""
    from ..measures.predecessors import division_of_year, predecessors

    if division_of_year(figures.year) == division_of_year(before.year):
        return {}
    known = {r.id for r in before.rows}
    pred = predecessors()
    parents = {r.id: r for r in figures.rows}
    mapping: dict[str, tuple[str, ...]] = {}
    for r in figures.rows:
        if r.kind != "commune":
            continue
        olds = pred[pred["new_commune"] == r.name]  # a name: of its own province only (names repeat across provinces)
        parent = parents.get(r.parent) if r.parent not in (None, PROVINCE_ROW) else None
        if parent is None and r.home:
            olds = olds[olds["new_province"] == r.home]
        if parent is not None:  # a former district's part of the new unit
            olds = olds[olds["old_district"] == parent.name]
            if parent.home:
                olds = olds[olds["old_province"] == parent.home]
        # An old commune's row id names its district's province where that district's name repeats in the data.
        ids = [(row_id(d, m), row_id(d, m, district_province=p)) for d, m, p in zip(olds["old_district"], olds["old_commune"], olds["old_province"])]
        found = tuple(dict.fromkeys(i for pair in ids for i in pair if i in known))
        if found or r.id not in known:  # else the same unit: a previous year re-based onto the new units
            mapping[r.id] = found
    return mapping


def restated(figures: Figures, predecessors: Callable[[str], Sequence[str]] = same_row) -> list[Link]:
    """The cells of a year that repeat the previous review's figures: each movement table's
    start is the previous year's count of that status in the unit (its predecessors' sum)."""
    links = []
    for state in STATES:
        if (state, "households") not in figures.movements:
            continue
        for row in (r.id for r in figures.rows):
            links.append(Link((row, movement_measure(state, "start")), tuple((before, state) for before in predecessors(row))))
    return links


def protect_figures(
    figures: Figures, threshold: int = DEFAULT_THRESHOLD, previous: tuple[CellSystem, Protection] | None = None,
    predecessors: Callable[[str], Sequence[str]] = same_row,
) -> tuple[Protection, CellSystem]:
    """The protection of a review year's tables, and the cell system it was computed on.

    ``previous``: the previous review's cells and protection, as published; the cells of this
    year that restate them are hidden where it hid them (:mod:`analysis.measures.disclosure_years`).
    """
    system = cell_system(figures)
    if previous is not None:
        link_cells(system, previous[0], previous[1], restated(figures, predecessors))
    protection = protect(system, threshold)
    extra = _flow_cells(figures, protection)
    return replace(protection, suppressed=protection.suppressed | extra), system


def _flow_cells(figures: Figures, protection: Protection) -> frozenset[Cell]:
    """The flows the briefs show (``flow:exited_poverty``, ``flow:newly_poor``,
    ``flow:fallen_back_poor`` and the near-poor ones), hidden where they would give back a
    hidden cell of the movement table or a small split of it.

    Exited = the two exit columns, so it is hidden with either. Newly + fallen back = the
    three arrival columns, so both are hidden with any of them; shown, they also tell how
    many of the arrivals from the other status were newly and how many fell back, so both
    are hidden when either of those is small.
    """
    flows = figures.flows
    hidden: set[Cell] = set()
    if flows is None:
        return frozenset()
    t = protection.threshold
    for state, exited in (("poor", "exited_poverty"), ("near_poor", "exited_near_poor")):
        table = figures.movements.get((state, "households"))
        if table is None:
            continue
        for row in (r.id for r in figures.rows):
            if row not in flows.index or row not in table.index:
                continue
            if protection.hides(row, movement_measure(state, "decrease_to_other"), movement_measure(state, "decrease_above")):
                hidden.add((row, f"flow:{exited}"))
            arrivals = [movement_measure(state, col) for col in MOVEMENT_INCREASES[:3]]
            newly_split = _number(flows.at[row, f"newly_{state}"]) - _number(table.at[row, "increase_newly"])
            fallen_split = _number(flows.at[row, f"fallen_back_{state}"]) - _number(table.at[row, "increase_fallen_back"])
            if protection.hides(row, *arrivals) or 0 < newly_split < t or 0 < fallen_split < t:
                hidden |= {(row, f"flow:newly_{state}"), (row, f"flow:fallen_back_{state}")}
    return frozenset(hidden)
