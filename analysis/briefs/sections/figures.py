"""The raw numbers of a brief (headline, period, flows, the district table): unrounded, read
by the sections and the batch's index page."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ...measures.groups import PROVINCE_SCOPE
from ...measures.targets import COMMUNE_LEVEL, DISTRICT_LEVEL, PROGRAMME_SCOPES, PUBLISHED_PROVINCE_SCOPE, period_assessment, scope_levels
from ...review import columns as c
from ...tables.figures import row_id
from ..brief import Brief
from ..inputs import BriefInputs
from .disclosure import RATE_CELLS, RATE_COLUMNS, hides, hides_change, unit_row
from .display import num

#: The headline's figures of this year and the cells each is built from (a count: its own
#: cell; a rate: its count and the households).
HEADLINE_CELLS: dict[str, tuple[str, ...]] = {k: v for k, v in RATE_COLUMNS.items() if k != "change_pp"}


def headline_figures(brief: Brief) -> dict[str, Any]:
    """The headline numbers of a brief (also the index page's row): raw, unrounded, None where
    the year's protection hides them (``hidden`` names those figures).

    A unit is ranked among the units whose rate is shown: a hidden unit has no rank, and the
    others' ranks do not say where its rate lies.
    """
    inputs, year = brief.inputs, brief.year
    prev = brief.previous_year
    if brief.district is None:
        rates = inputs.province_rates
        now = rates[rates[c.YEAR] == year].iloc[0]
        before = rates[rates[c.YEAR] == prev].iloc[0] if prev is not None else None
        scope, rank, of = PROVINCE_SCOPE, None, None
    else:
        rates = inputs.district_rates
        this_year = rates[rates[c.YEAR] == year].reset_index(drop=True)
        pos = this_year.index[this_year[c.DISTRICT] == brief.district][0]
        now = this_year.loc[pos]
        ranked = this_year[[not hides(brief, row_id(d), *RATE_CELLS) for d in this_year[c.DISTRICT]]]
        ranks = ranked["poor_rate"].rank(ascending=False, method="min")
        rank, of = (int(ranks[pos]) if pos in ranks.index else None), len(ranked)
        before_rows = rates[(rates[c.YEAR] == prev) & (rates[c.DISTRICT] == brief.district)] if prev is not None else rates.iloc[0:0]
        before = before_rows.iloc[0] if len(before_rows) else None
        scope = brief.district
    row = unit_row(brief)
    hidden = [key for key, cells in HEADLINE_CELLS.items() if hides(brief, row, *cells)]
    # A change (and the previous rate) only where both years show the unit's cells.
    change_hidden = before is not None and hides_change(brief, row)
    verdict_row = inputs.verdicts[(inputs.verdicts["scope"] == scope) & (inputs.verdicts["year"] == year)]
    verdict = verdict_row.iloc[0] if len(verdict_row) else None

    def shown(key: str, value: float) -> float | None:
        return None if key in hidden else value

    return {
        "year": year,
        "previous_year": prev if before is not None else None,
        "households": shown("households", int(now["households"])),
        "poor": shown("poor", int(now["poor"])),
        "poor_rate": shown("poor_rate", float(now["poor_rate"])),
        "near_poor": shown("near_poor", int(now["near_poor"])),
        "near_poor_rate": shown("near_poor_rate", float(now["near_poor_rate"])),
        "hidden": tuple(hidden),
        "previous_poor_rate": float(before["poor_rate"]) if before is not None and not change_hidden else None,
        "change_pp": float(now["poor_rate"] - before["poor_rate"]) if before is not None and not change_hidden else None,
        "change_hidden": change_hidden,
        "rank": rank,
        "of": of,
        "poor_district": brief.district is not None and inputs.units.is_poor_district(brief.district),
        "scope": scope,
        "target_low_pp": num(verdict["target_low_pp"]) if verdict is not None else None,
        "target_high_pp": num(verdict["target_high_pp"]) if verdict is not None else None,
        # The year's verdict bounds its change: hidden with it.
        "reduction_pp": num(verdict["reduction_pp"]) if verdict is not None and not change_hidden else None,
        "status": (verdict["status"] or None) if verdict is not None and not change_hidden else None,
    }


def target_rows(inputs: BriefInputs, scope: str) -> pd.DataFrame:
    """The targets table's row of ``scope`` at the level the inputs brief (a district's row never
    stands for a commune of its name, nor a commune's for a district); the programme's scopes have none."""
    targets = inputs.targets
    level = "" if scope in PROGRAMME_SCOPES else COMMUNE_LEVEL if inputs.level == "commune" else DISTRICT_LEVEL
    return targets[(targets["scope"] == scope) & (scope_levels(targets) == level)]


def period_figures(inputs: BriefInputs, scope: str, year: int) -> pd.Series | None:
    """The period assessment of a scope as it stood in ``year`` (None without a target or data)."""
    history = inputs.history if scope != PUBLISHED_PROVINCE_SCOPE else inputs.published
    history = history[(history["scope"] == scope) & (history[c.YEAR] <= year)]
    if history.empty:
        return None
    rows = period_assessment(history, inputs.targets)
    if rows.empty or pd.isna(rows.iloc[0].get("latest_year")):
        return None
    return rows.iloc[0]


FLOW_ROWS = ("exited_poverty", "newly_poor", "fallen_back_poor", "exited_near_poor", "newly_near_poor", "fallen_back_near_poor")


def flow_figures(brief: Brief) -> dict[str, int] | None:
    """This year's flows for the brief's unit (None in the first year of the data)."""
    prev = brief.previous_year
    if prev is None:
        return None
    table = brief.own_if_any("flows")  # the province's: households followed over the province, not summed
    if table is None or table.empty:
        return None
    row = table.iloc[0]
    keys = FLOW_ROWS + ("new_household_poor", "left_poor", "poor_previous", "poor")
    return {k: int(row[k]) for k in keys} | {"previous_year": int(row["previous_year"])}


def district_table(inputs: BriefInputs, year: int) -> pd.DataFrame:
    """Every district's headline figures in a year, ranked (raw numbers): the districts with
    figures that year (a new unit a re-based year leaves out has none)."""
    rates = inputs.district_rates
    present = set(rates.loc[rates[c.YEAR] == year, c.DISTRICT].astype(str))
    rows = [headline_figures(Brief(inputs, year, "en", d)) | {"district": d} for d in inputs.districts if d in present]
    return pd.DataFrame(rows)
