"""Flows into and out of poverty (:mod:`analysis.measures.flows`) as one SQL query.

The year's records and the previous review's are joined on ``household_id`` (a full outer
join: arrivals and departures count apart), with whether each household was ever in a
status in the reviews before; the counts are summed per unit. Definitions as in the
pandas module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ...errors import UsageError
from ...review import columns as c
from ..flows import FLOW_STATES, flow_columns
from ..levels import group_keys, province_label, sort_units, unit_labels
from .records import key_expressions
from .source import quote

if TYPE_CHECKING:
    from .engine import ColumnarReview


def flows(review: ColumnarReview, year: int, levels: list[str]) -> pd.DataFrame:
    """Counts of households moving into and out of poverty and near-poverty in ``year``."""
    if "year" in levels:
        raise UsageError("flows are counted for one year; 'year' cannot be a grouping level")
    earlier = [y for y in review.years if y < year]
    if not earlier:
        raise UsageError(f"no review year before {year} in the data, so there are no flows to count (years: {', '.join(map(str, review.years))})")
    previous = earlier[-1]
    review.require_districts(levels, [year])
    keys = key_expressions(levels, review.units.poor_districts, review.units.province)
    hid, status, yr = quote(c.HOUSEHOLD_ID), quote(c.STATUS), quote(c.YEAR)
    attrs = sorted({c.PROVINCE, c.ETHNICITY, *[k for k in (c.PROVINCE, c.DISTRICT, c.COMMUNE, c.AREA, c.ETHNICITY, c.YEAR) if k in group_keys(levels)]} | {c.DISTRICT})
    cols = ", ".join(quote(a) for a in attrs)
    panel = review.records(f"{yr} <= {year}")
    now = f"SELECT {hid}, {status}, {cols} FROM ({panel}) p WHERE {yr} = {year}"
    prev = f"SELECT {hid}, {status}, {cols} FROM ({panel}) p WHERE {yr} = {previous}"
    ever = (
        f"SELECT {hid}, bool_or({status} = 'poor') AS ever_poor, bool_or({status} = 'near_poor') AS ever_near_poor "
        f"FROM ({panel}) p WHERE {yr} < {previous} GROUP BY {hid}"
    )
    # Group attributes: this year's record, the previous one for households that left.
    chosen = ", ".join(f"CASE WHEN n.{hid} IS NOT NULL THEN n.{quote(a)} ELSE b.{quote(a)} END AS {quote(a)}" for a in attrs)
    joined = (
        f"SELECT {chosen}, n.{status} AS now, b.{status} AS prev, n.{hid} IS NOT NULL AS present_now, b.{hid} IS NOT NULL AS present_prev, "
        f"coalesce(e.ever_poor, false) AS ever_poor, coalesce(e.ever_near_poor, false) AS ever_near_poor "
        f"FROM ({now}) n FULL OUTER JOIN ({prev}) b ON n.{hid} = b.{hid} LEFT JOIN ({ever}) e ON coalesce(n.{hid}, b.{hid}) = e.{hid}"
    )
    counts: dict[str, str] = {"households": "present_now", "households_previous": "present_prev"}
    for state in FLOW_STATES:
        is_now, was = f"coalesce(now = '{state}', false)", f"coalesce(prev = '{state}', false)"
        ever_s = f"ever_{state}"
        arrived = f"{is_now} AND present_prev AND NOT {was}"
        stayed, exited, newly, fallen, new_hh, left = flow_columns(state)
        counts |= {
            f"{state}_previous": was,
            state: is_now,
            stayed: f"{is_now} AND {was}",
            exited: f"{was} AND present_now AND NOT {is_now}",
            newly: f"{arrived} AND NOT {ever_s}",
            fallen: f"{arrived} AND {ever_s}",
            new_hh: f"{is_now} AND NOT present_prev",
            left: f"{was} AND NOT present_now",
        }
    counts["poor_to_near_poor"] = "coalesce(prev = 'poor', false) AND coalesce(now = 'near_poor', false)"
    counts["near_poor_to_poor"] = "coalesce(prev = 'near_poor', false) AND coalesce(now = 'poor', false)"
    # "Neither": listed in both reviews, neither poor nor near-poor in the one named.
    neither_now = "present_now AND NOT coalesce(now IN ('poor', 'near_poor'), false)"
    neither_prev = "present_prev AND NOT coalesce(prev IN ('poor', 'near_poor'), false)"
    for state in FLOW_STATES:
        counts[f"{state}_to_neither"] = f"coalesce(prev = '{state}', false) AND {neither_now}"
        counts[f"neither_to_{state}"] = f"{neither_prev} AND coalesce(now = '{state}', false)"
    select = [f"{expr} AS {quote(k)}" for k, expr in keys.items()] + [f"count_if({expr}) AS {quote(name)}" for name, expr in counts.items()]
    group = " GROUP BY ALL" if keys else ""
    con = review.source
    out = con.query(f"SELECT {', '.join(select)} FROM ({joined}) j{group}")
    out[list(counts)] = out[list(counts)].astype("int64")
    for key in keys:
        out[key] = out[key].astype(bool) if key in ("ethnic_minority", "poor_district") else out[key].astype(object)
    labels = con.query(f"SELECT {quote(c.PROVINCE)} AS p, {quote(c.ETHNICITY)} AS e, count(*) AS n FROM ({joined}) j GROUP BY ALL")
    labelled = any(level != "year" for level in levels)
    provinces = pd.unique(labels["p"].dropna())
    whole = f"{len(provinces)} provinces" if len(provinces) > 1 else province_label(pd.DataFrame({c.PROVINCE: labels["p"].astype(object)}), review.units)
    default = "" if labelled else whole
    out.insert(0, "unit", unit_labels(out, levels, default))
    key_cols = group_keys(levels)
    out.insert(1 + len(key_cols), "year", year)
    out.insert(2 + len(key_cols), "previous_year", previous)
    if key_cols:
        by_group = labels.groupby("e", sort=False)["n"].sum()
        order = sorted(by_group.index, key=lambda e: (-by_group[e], str(e))) if c.ETHNICITY in key_cols else None
        out = sort_units(out, key_cols, review.units, ethnicity_order=order)
    out.attrs.update({k: v for k, v in review.attrs.items() if k in ("synthetic", "source")})
    out.attrs["count_unit"] = "households"
    return out.reset_index(drop=True)
