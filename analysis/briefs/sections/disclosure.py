"""Disclosure control of the briefs: the review year's one protection, applied to each table.

The protection (:mod:`analysis.measures.disclosure`, cells of :mod:`analysis.tables.protection`)
is computed once for everything published about the year — the summary workbook, every
brief, the index — so a brief and its Excel files hide the same cells: small counts with
their rates, and the complementary cells that keep them from being worked out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ...measures.disclosure import Protection, sentence
from ...measures.disclosure_years import Comparison, rows_before
from ...tables.figures import row_id
from ...tables.protection import deprived_measure
from ...words import known
from ..brief import Brief
from ..inputs import year_predecessors, year_protections


def hides(brief: Brief, row: str, *measures: str) -> bool:
    """Whether a figure built from these cells of a row (see :func:`row_id`) is hidden."""
    protection = year_protection(brief)
    return protection is not None and protection.hides(row, *measures)


def year_protection(brief: Brief) -> Protection | None:
    """The protection of the brief's year: its tables' when they are built, else the year's
    release (the same protection, without building the brief's tables — the headline of
    every unit is read for the rankings and the index)."""
    if "tables" in brief.__dict__ or brief.inputs.tables is not None:
        return brief.tables.protection
    return protections(brief).get(brief.year)


def protections(brief: Brief) -> Mapping[int, Protection]:
    """Every year's protection up to the brief's year (the chain its release was computed on)."""
    if "tables" in brief.__dict__:  # already computed for this brief
        return brief.tables.protections
    return year_protections(brief.inputs, brief.year)


def comparison(brief: Brief, year: int | None = None) -> Comparison:
    """The protections of ``year`` (the brief's by default) and the review before it."""
    year = brief.year if year is None else year
    chain = protections(brief)
    years = sorted(y for y in chain if y < year)
    rows: Mapping[str, tuple[str, ...]] = {}
    if year == brief.year:  # the year the division changed: a new unit's old communes
        rows = brief.tables.predecessors if "tables" in brief.__dict__ else year_predecessors(brief.inputs, year)
    return Comparison(chain.get(year), chain[years[-1]] if years else None, rows_before(rows))


#: The cells a poor-household rate is built from.
RATE_CELLS = ("poor", "households")


def hides_change(brief: Brief, row: str, *measures: str, year: int | None = None) -> bool:
    """Whether a figure comparing ``year`` with the review before it (a rate change, the
    previous rate) is hidden: either year's protection hides its cells (rule 1 of
    :mod:`analysis.measures.disclosure_years`)."""
    return comparison(brief, year).hides_change(row, *(measures or RATE_CELLS))


def mask_changes(brief: Brief, frame: pd.DataFrame, rows: Sequence[str], column: str = "change_pp", *measures: str) -> tuple[pd.DataFrame, bool]:
    """The frame with ``column`` (a change from the previous review) set to NaN where either
    year's protection hides the row's cells, and whether any shown change was hidden. Use it
    on every table that prints a change (after :func:`mask`, which hides this year's cells)."""
    if column not in frame:
        return frame, False
    crossed = [hides_change(brief, row, *measures) and pd.notna(x) for row, x in zip(rows, frame[column])]
    if not any(crossed):
        return frame, False
    out = frame.copy()
    out[column] = pd.to_numeric(out[column], errors="coerce").astype(float).mask(pd.Series(crossed, index=out.index))
    return out, True


def hidden_years(brief: Brief, row: str, *measures: str) -> set[int]:
    """The years up to the brief's whose protection hides these cells of the row."""
    return {y for y, p in protections(brief).items() if y <= brief.year and p.hides(row, *(measures or RATE_CELLS))}


def unit_row(brief: Brief) -> str:
    """The row id of the brief's own unit."""
    return row_id(brief.district)


def mask(brief: Brief, frame: pd.DataFrame, rows: Sequence[str], columns: Mapping[str, Sequence[str]]) -> tuple[pd.DataFrame, bool]:
    """The frame with hidden cells set to None, and whether any was hidden."""
    protection = brief.tables.protection
    if protection is None:
        return frame, False
    out = protection.mask(frame.reset_index(drop=True), list(rows), columns)
    hidden = any(protection.hides(r, *m) for r in rows for m in columns.values())
    return out, hidden


#: A table of counts and rates: which cells each column is built from.
RATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "households": ("households",),
    "poor": ("poor",),
    "poor_rate": ("poor", "households"),
    "change_pp": ("poor", "households"),
    "near_poor": ("near_poor",),
    "near_poor_rate": ("near_poor", "households"),
}


def group_columns(prefix: str) -> dict[str, tuple[str, ...]]:
    """:data:`RATE_COLUMNS` for the cells of a group (``em:`` or ``eth:<group>:``)."""
    return {col: tuple(prefix + m for m in measures) for col, measures in RATE_COLUMNS.items()}


def shown_share(brief: Brief, row: str, status: str, indicator: str, value: object) -> float | None:
    """A share (percent) of a status's households (``poor``, ``near_poor`` or all
    ``households``) deprived in an indicator, None where the protection hides its count
    (the deprived households) or its base (the status's households)."""
    return None if hides(brief, row, deprived_measure(status, indicator), status) else known(value)


def suppressed_note(brief: Brief) -> str:
    """What was done, in the brief's language (the workbook's Ghi chú says the same)."""
    protection = brief.tables.protection
    if protection is None:
        return ""
    return sentence(protection, brief.lang)
