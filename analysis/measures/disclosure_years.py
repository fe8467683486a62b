"""Disclosure control across review years: one rule for every figure that compares two years.

Each review year has its protection (:mod:`analysis.measures.disclosure`). But briefs and
tables also print what links two years — a rate's change in percentage points, the previous
year's rate, a movement table's start (the previous review's count) — and a value hidden in
one year is given back by the value shown in the other and the change
("3 poor in 2023" hidden, "12 poor in 2024, +9" shown). The rule, for every table that
compares two years (new tables too: use :class:`Comparison`):

1. **A change is shown only where both years show its cells.** A rate change of a row
   needs the row's count and base shown in this year's *and* in the previous year's
   protection; the previous year's rate, the same.
2. **A figure restated from the previous review is hidden where that review hid it.** This
   year's cells that repeat a previous-year figure (the movement start: last year's poor of
   the unit) are *forced*: hidden, and protected by complementary cells like a small cell
   (:attr:`CellSystem.forced`). Where the previous review showed it, it is *fixed*: hiding it
   now would protect nothing, so it is never chosen as a complementary cell.
3. **Protections chain.** A year's protection is computed with its previous year's (as
   published, itself chained), so the releases of consecutive years hide consistent cells
   whichever year is built.

:func:`recoverable_across` is the audit of the pair: both years' cells and sums in one
system, tied by the restated figures, checked for a hidden small cell they determine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .disclosure import Cell, CellSystem, Protection, _determined

#: The prefix that keeps the previous year's cells apart in the joint audit.
BEFORE = "before|"


def same_row(row: str) -> tuple[str, ...]:
    """A unit's row in the previous year: the same row id (the same division)."""
    return (row,)


def rows_before(mapping: Mapping[str, tuple[str, ...]]) -> Callable[[str], Sequence[str]]:
    """Predecessors from a table of the rows that changed (the others: the same row)."""
    return lambda row: mapping.get(row, (row,))


@dataclass(frozen=True)
class Comparison:
    """The protections of the two years a table compares (``before`` None: no previous year).

    ``predecessors`` maps a row of this year to its rows in the previous year's release
    (the same row by default; a new unit to the old units it was made of).
    """

    now: Protection | None
    before: Protection | None
    predecessors: Callable[[str], Sequence[str]] = field(default=same_row)

    def hides_now(self, row: str, *measures: str) -> bool:
        return self.now is not None and self.now.hides(row, *measures)

    def hides_before(self, row: str, *measures: str) -> bool:
        """Whether the previous year's protection hides these cells of the row (of any of its
        predecessors)."""
        if self.before is None:
            return False
        rows = self.predecessors(row)
        if not rows:  # a unit whose previous rows are not known: its change is not shown
            return True
        return any(self.before.hides(r, *measures) for r in rows)

    def hides_change(self, row: str, *measures: str) -> bool:
        """Whether a figure built from both years' cells (a change, the previous value) is hidden."""
        return self.hides_now(row, *measures) or self.hides_before(row, *measures)


@dataclass(frozen=True)
class Link:
    """A cell of this year that restates previous-year cells (their sum)."""

    cell: Cell
    before: tuple[Cell, ...]


def link_cells(system: CellSystem, before_system: CellSystem, before: Protection, links: Iterable[Link]) -> None:
    """Rule 2: force (hide) or fix each restated cell of ``system`` from the previous release.

    A link is kept only where the value is the same figure (equal to the sum of its
    previous-year cells); a cell that differs (households that moved between units) is
    hidden where the previous year hid a part, and otherwise left to this year's rule.
    """
    for link in links:
        if not link.before or link.cell not in system.values or not all(cell in before_system.values for cell in link.before):
            continue
        hidden = any(cell in before.suppressed for cell in link.before)
        if hidden:
            system.forced.add(link.cell)
        elif abs(system.values[link.cell] - sum(before_system.values[cell] for cell in link.before)) < 0.5:
            system.fixed.add(link.cell)


def recoverable_across(
    before_system: CellSystem, before: Protection, system: CellSystem, now: Protection, links: Iterable[Link],
) -> list[Cell]:
    """Hidden small (or forced) cells of either year that the two releases together determine.

    Both years' cells and sums in one system, each restated cell tied to the previous-year
    cells it repeats (only where the figure is the same); previous-year cells come back with
    :data:`BEFORE` before their row id. Should be empty.
    """
    joint = CellSystem()
    tag = _tagged
    joint.values = {**{tag(cell): v for cell, v in before_system.values.items()}, **system.values}
    joint.equations = [[(tag(cell), k) for cell, k in eq] for eq in before_system.equations] + [list(eq) for eq in system.equations]
    for link in links:
        if link.before and link.cell in system.values and all(cell in before_system.values for cell in link.before):
            total = sum(before_system.values[cell] for cell in link.before)
            if abs(system.values[link.cell] - total) < 0.5:
                joint.equations.append([(link.cell, 1)] + [(tag(cell), -1) for cell in link.before])
    unknown = {tag(cell) for cell in before.suppressed | before_system.implicit} | set(now.suppressed) | set(system.implicit)
    guarded = {tag(cell) for cell in before.primary | before.forced} | set(now.primary) | set(now.forced)
    return [cell for cell in _determined(joint, unknown) if cell in guarded]


def _tagged(cell: Cell) -> Cell:
    return (BEFORE + cell[0], cell[1])


def shown_changes(comparison: Comparison, rows: Iterable[str], measures: Sequence[str]) -> Mapping[str, bool]:
    """Row → whether a change built from ``measures`` may be shown (rule 1), for a table's rows."""
    return {row: not comparison.hides_change(row, *measures) for row in rows}
