"""Flows into and out of poverty, from households followed by ``household_id`` across years.

These are the movements review reports publish: households that exited poverty (thoát
nghèo), newly poor (phát sinh mới), fallen back into poverty after exiting (tái nghèo), and
the same for near-poor (thoát cận nghèo, cận nghèo phát sinh mới, tái cận nghèo).

For a review ``year`` and the review before it (``previous_year``, the latest earlier year in
the data, normally ``year - 1``), and a status S (poor or near-poor):

* ``stayed_S``: S in both years.
* ``exited_S`` (``exited_poverty`` for poor): S in the previous year, present in ``year``
  and not S. A poor household that became near-poor has exited poverty (and is also counted
  in ``poor_to_near_poor``).
* ``newly_S``: S in ``year``, present and not S in the previous year, and never S in any
  earlier year of the data.
* ``fallen_back_S``: S in ``year``, present and not S in the previous year, and S in some
  year before that.
* ``new_household_S``: S in ``year`` and absent from the previous review (new or split
  households, arrivals): reported separately, not as newly S.
* ``left_S``: S in the previous year and absent in ``year`` (moved, merged, dissolved):
  reported separately, not as exits.

So ``S = S_previous − exited_S − left_S + newly_S + fallen_back_S + new_household_S``.
"Never before" can only look as far back as the data goes: with a panel starting in 2021,
2022's newly poor include households that were poor before 2021.

A household is counted in the group of its ``year`` record (its previous record if it left).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError, Problem, UsageError
from ..review import columns as c
from ..review.units import Units, load_units
from .levels import By, ethnicity_order, group_keys, parse_by, province_label, sort_units, unit_labels, with_keys

#: The statuses followed, and the prefix of their columns.
FLOW_STATES: dict[str, str] = {"poor": "poor", "near_poor": "near_poor"}

#: Count columns per status, in output order.
FLOW_KINDS: tuple[str, ...] = ("stayed", "exited", "newly", "fallen_back", "new_household", "left")


def flow_columns(state: str) -> list[str]:
    """Output column names for one status (``exited_poverty`` for the poor)."""
    names = [f"{kind}_{state}" for kind in FLOW_KINDS]
    if state == "poor":
        names[1] = "exited_poverty"
    return names


def _years(panel: pd.DataFrame, year: int) -> tuple[int, list[int]]:
    if c.YEAR not in panel or c.HOUSEHOLD_ID not in panel:
        raise UsageError(f"flows need {c.HOUSEHOLD_ID!r} and {c.YEAR!r} columns")
    years = sorted(pd.unique(panel[c.YEAR].dropna()).tolist())
    if year not in years:
        raise UsageError(f"no households for year {year}; years in the data: {', '.join(map(str, years))}")
    earlier = [y for y in years if y < year]
    if not earlier:
        raise UsageError(f"no review year before {year} in the data, so there are no flows to count (years: {', '.join(map(str, years))})")
    return earlier[-1], earlier[:-1]


def poverty_flows(
    classified_panel: pd.DataFrame,
    year: int,
    by: By = None,
    *,
    units: Units | None = None,
) -> pd.DataFrame:
    """Counts of households moving into and out of poverty and near-poverty in ``year``.

    Columns: ``unit``, key columns, ``year``, ``previous_year``, ``households``,
    ``households_previous``, then for the poor ``poor_previous``, ``poor``, ``stayed_poor``,
    ``exited_poverty``, ``newly_poor``, ``fallen_back_poor``, ``new_household_poor``,
    ``left_poor``, the same for ``near_poor``, and the transitions ``poor_to_near_poor`` and
    ``near_poor_to_poor``. Definitions in the module docstring. Counts are households.
    """
    if c.STATUS not in classified_panel:
        raise UsageError("households are not classified: call classification.classify(df, standard) first")
    previous, before = _years(classified_panel, year)
    levels = parse_by(by)
    if "year" in levels:
        raise UsageError("flows are counted for one year; 'year' cannot be a grouping level")
    units = units or (load_units() if levels else None)
    panel = classified_panel[classified_panel[c.YEAR] <= year]
    dup = panel.duplicated([c.HOUSEHOLD_ID, c.YEAR], keep=False)
    if dup.any():
        ids = panel.loc[dup, c.HOUSEHOLD_ID].astype(str).unique()[:5].tolist()
        raise DataError([Problem("households", "one record per household and year", column=c.HOUSEHOLD_ID, value=", ".join(ids))])

    status = panel.pivot(index=c.HOUSEHOLD_ID, columns=c.YEAR, values=c.STATUS).astype("string")
    now, prev = status[year], status[previous]
    earlier = status[before] if before else pd.DataFrame(index=status.index)
    present_now, present_prev = now.notna().to_numpy(), prev.notna().to_numpy()

    # Group attributes: this year's record, the previous one for households that left.
    keys = group_keys(levels)
    recent = panel[panel[c.YEAR].isin([year, previous])].sort_values(c.YEAR, ascending=False, kind="mergesort")
    recent = recent.drop_duplicates(c.HOUSEHOLD_ID).set_index(c.HOUSEHOLD_ID)
    recent = with_keys(recent, levels, units).reindex(status.index)
    in_two = present_now | present_prev

    counts: dict[str, np.ndarray] = {
        "households": present_now,
        "households_previous": present_prev,
    }
    for state in FLOW_STATES:
        is_now = (now == state).fillna(False).to_numpy(dtype=bool)
        was = (prev == state).fillna(False).to_numpy(dtype=bool)
        ever = (earlier == state).fillna(False).any(axis=1).to_numpy(dtype=bool) if before else np.zeros(len(status), bool)
        arrived = is_now & present_prev & ~was
        stayed, exited, newly, fallen, new_hh, left = flow_columns(state)
        counts[f"{state}_previous"] = was
        counts[state] = is_now
        counts[stayed] = is_now & was
        counts[exited] = was & present_now & ~is_now
        counts[newly] = arrived & ~ever
        counts[fallen] = arrived & ever
        counts[new_hh] = is_now & ~present_prev
        counts[left] = was & ~present_now
    counts["poor_to_near_poor"] = (prev == "poor").fillna(False).to_numpy(bool) & (now == "near_poor").fillna(False).to_numpy(bool)
    counts["near_poor_to_poor"] = (prev == "near_poor").fillna(False).to_numpy(bool) & (now == "poor").fillna(False).to_numpy(bool)

    data = pd.DataFrame({k: v.astype("int64") for k, v in counts.items()}, index=status.index)[in_two]
    if keys:
        data = pd.concat([recent.loc[in_two, keys], data], axis=1)
        out = data.groupby(keys, observed=True, dropna=False, sort=False).sum().reset_index()
    else:
        out = data.sum().to_frame().T.astype("int64")
    labelled = any(level != "year" for level in levels)  # else every row is the province
    out.insert(0, "unit", unit_labels(out, levels, "" if labelled else province_label(recent, units)))
    out.insert(1 + len(keys), "year", year)
    out.insert(2 + len(keys), "previous_year", previous)
    if keys:
        out = sort_units(out, keys, units, ethnicity_order=ethnicity_order(recent) if c.ETHNICITY in keys else None)
    out.attrs.update({k: v for k, v in classified_panel.attrs.items() if k in ("synthetic", "source")})
    out.attrs["count_unit"] = "households"
    return out.reset_index(drop=True)
