"""Disclosure control of the targets figures: one rule for the workbook's targets sheet and the
``targets`` command (JSON, CSV, table), so both hide the same rates, falls and verdicts.

A scope's rate is a poor count over its households: where a year's protection hides the
scope's cells (:mod:`analysis.measures.disclosure`), its rate of that year is hidden, its fall
and verdict where that or the previous year's is (:mod:`analysis.measures.disclosure_years`),
and its period figures (average fall, projections, pace still required, households to exit)
where any year's is. A scope whose year has no row in that year's protection (a pooled group,
a former district of a review on the new division) is judged on its own counts by the primary
rule: its rate is hidden where it has fewer households, or fewer poor households, than the
threshold (and some).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd

from ..measures.disclosure import DEFAULT_THRESHOLD, Protection
from ..measures.groups import PROVINCE_SCOPE
from ..review import columns as c
from ..words import known
from .figures import PROVINCE_ROW

#: The annual and period columns built from a scope's rates (hidden with them).
ANNUAL_RATE = ("poor_rate",)
ANNUAL_FALL = ("reduction_pp", "status")
PERIOD_FIGURES = ("baseline_rate", "latest_rate", "average_reduction_pp", "status", "projected_rate_low", "projected_rate_high",
                  "projected_rate_observed", "target_rate_low", "required_reduction_pp", "households_basis", "households_to_exit_per_year")


def scope_row(scope: str) -> str:
    """A targets scope's disclosure row: the province's row for the province, else the unit's."""
    return PROVINCE_ROW if scope == PROVINCE_SCOPE else scope


@dataclass(frozen=True)
class TargetsHiding:
    """Which scopes' figures are hidden: rates and falls by year, period figures by scope."""

    rate: Mapping[int, frozenset[str]]
    fall: Mapping[int, frozenset[str]]
    period: frozenset[str]

    def any(self) -> bool:
        return bool(self.period) or any(self.rate.values()) or any(self.fall.values())


def targets_hiding(
    annual: pd.DataFrame,
    protection: Protection | None,
    protections: Mapping[int, Protection] | None = None,
    *,
    rows: Mapping[int, Collection[str]] | None = None,
    history: pd.DataFrame | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> TargetsHiding:
    """The scopes whose figures are hidden (see the module docstring).

    ``protection``: the release year's (it hides a scope's rate in every year shown);
    ``protections``: every year's of the chain; ``rows``: each year's rows of its protection,
    so that a scope outside them is judged on its ``history`` counts (``households``, ``poor``).
    """
    scopes = list(dict.fromkeys(annual["scope"]))
    years = sorted(int(y) for y in annual[c.YEAR].unique())
    now_hidden = {s for s in scopes if protection is not None and protection.hides(s, "poor")}
    chain = dict(protections or {})
    known_rows = {int(y): set(r) for y, r in (rows or {}).items()}
    small = _small_outside(history, known_rows, threshold)
    hidden_in = {y: {s for s in scopes if (y in chain and chain[y].hides(scope_row(s), "poor", "households")) or (s, y) in small} for y in years}
    rate: dict[int, frozenset[str]] = {}
    fall: dict[int, frozenset[str]] = {}
    for i, year in enumerate(years):
        rate[year] = frozenset(now_hidden | hidden_in[year])
        # A fall and its verdict compare the year with the one before: hidden with either.
        fall[year] = frozenset(rate[year] | (hidden_in[years[i - 1]] if i else set()))
    period = frozenset(now_hidden | {s for y in years for s in hidden_in[y]})
    return TargetsHiding(rate, fall, period)


def _small_outside(history: pd.DataFrame | None, rows: Mapping[int, set[str]], threshold: int) -> set[tuple[str, int]]:
    """(scope, year) of scopes outside the year's protection whose own counts are small."""
    if history is None or not {"households", "poor"} <= set(history.columns):
        return set()
    out: set[tuple[str, int]] = set()
    for scope, year, households, poor in zip(history["scope"], history[c.YEAR], history["households"], history["poor"]):
        year = int(year)
        if year in rows and scope_row(str(scope)) in rows[year]:
            continue  # the protection decides
        counts = [known(households), known(poor)]
        if any(n is not None and 0 < n < threshold for n in counts):
            out.add((str(scope), year))
    return out


def hide_targets(annual: pd.DataFrame, period: pd.DataFrame, hiding: TargetsHiding) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The annual and period tables with the hidden figures set to None (null in JSON, blank in CSV)."""
    annual = annual.copy()
    for columns, by_year in ((ANNUAL_RATE, hiding.rate), (ANNUAL_FALL, hiding.fall)):
        gone = pd.Series([str(s) in by_year.get(int(y), ()) for s, y in zip(annual["scope"], annual[c.YEAR])], index=annual.index, dtype=bool)
        for column in columns:
            if column in annual and gone.any():
                annual[column] = annual[column].astype(object).mask(gone, None)
    period = period.copy()
    gone = period["scope"].astype(str).isin(hiding.period) if "scope" in period else pd.Series(False, index=period.index)
    for column in PERIOD_FIGURES:
        if column in period and gone.any():
            period[column] = period[column].astype(object).mask(gone, None)
    return annual, period
