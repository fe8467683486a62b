"""Counts and rates of poor and near-poor households for any grouping and their changes.

Official rates are household-weighted (share of households), which is the default; a
person-weighted option weights each household by its ``members``. Rates are percent;
changes are percentage points (pp).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..review import columns as c
from ..review.selection import year_and_previous
from ..review.units import Units, units_for
from .levels import (
    By,
    ethnicity_order,
    group_keys,
    parse_by,
    province_label,
    single_year,
    sort_units,
    unit_labels,
    with_keys,
)

Weight = Literal["households", "persons"]

#: The three measures reported for every unit.
MEASURES: tuple[str, ...] = ("poor", "near_poor", "poor_or_near_poor")

#: Counted and rated too, for the review's summary tables (average living standard).
EXTRA_MEASURES: tuple[str, ...] = ("average",)


def _status_flags(households: pd.DataFrame) -> dict[str, np.ndarray]:
    if c.STATUS not in households:
        raise UsageError("households are not classified: call classification.classify(df, standard) first")
    status = households[c.STATUS]  # categorical once classified: compared by code, not as text
    poor = status.eq("poor").to_numpy(dtype=bool)
    near = status.eq("near_poor").to_numpy(dtype=bool)
    average = status.eq("average").to_numpy(dtype=bool)
    return {"poor": poor, "near_poor": near, "poor_or_near_poor": poor | near, "average": average}


def _key_values(column: pd.Series) -> object:
    """A key column's values for the grouping frame. Text stays the column's own string array:
    as a NumPy array of objects it was read back into the same string type, a tenth of a
    second per call on a province's households; other types go as NumPy values, as before."""
    return column.array if column.dtype == pd.StringDtype(na_value=np.nan) else column.to_numpy()


def poverty_rates(
    classified: pd.DataFrame,
    by: By = None,
    *,
    weight: Weight = "households",
    year: int | None = None,
    units: Units | None = None,
) -> pd.DataFrame:
    """Poor, near-poor and poor-or-near-poor counts and rates (percent) per unit.

    ``by`` is None (one row for the province), a level ('province', 'district', 'commune',
    'area', 'ethnicity', 'ethnic_minority', 'poor_district', 'year') or a list of levels /
    ``"a,b"`` for a crossing. Columns: ``unit`` (label), the key columns of the levels,
    ``households``, then

    * ``weight="households"`` (official): ``poor``, ``near_poor``, ``poor_or_near_poor``
      (households), ``average`` (average living standard) and the rates as percent of
      households;
    * ``weight="persons"``: ``persons`` (sum of ``members``) and ``poor_persons``,
      ``near_poor_persons``, ``poor_or_near_poor_persons``, ``average_persons``; rates are percent of persons.

    A panel of several years needs ``year=`` or ``'year'`` among the levels.
    """
    if weight not in ("households", "persons"):
        raise UsageError(f"weight must be 'households' or 'persons', not {weight!r}")
    levels = parse_by(by)
    frame = single_year(classified, year, levels)
    units = units or (units_for(classified) if levels else None)
    frame = with_keys(frame, levels, units)
    keys = group_keys(levels)
    flags = _status_flags(frame)

    if weight == "persons":
        if c.MEMBERS not in frame:
            raise UsageError(f"person weighting needs the {c.MEMBERS!r} column")
        w = pd.to_numeric(frame[c.MEMBERS], errors="coerce").fillna(0).to_numpy(dtype=float)
        total, suffix = "persons", "_persons"
    else:
        w = np.ones(len(frame))
        total, suffix = "households", ""

    data = pd.DataFrame({k: _key_values(frame[k]) for k in keys}, index=frame.index)
    data["households"] = 1
    if weight == "persons":
        data["persons"] = w
    for m in MEASURES + EXTRA_MEASURES:
        data[m + suffix] = flags[m] * w
    counted = ["households"] + (["persons"] if weight == "persons" else []) + [m + suffix for m in MEASURES + EXTRA_MEASURES]

    if keys:
        out = data.groupby(keys, observed=True, dropna=False, sort=False)[counted].sum().reset_index()
    else:
        out = data[counted].sum().to_frame().T
    if weight == "households":
        out[counted] = out[counted].astype("int64")
    else:
        out["households"] = out["households"].astype("int64")
    for m in MEASURES + EXTRA_MEASURES:
        denominator = out[total].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"{m}_rate"] = np.where(denominator > 0, out[m + suffix] / denominator * 100.0, np.nan)

    # The province's name and the ethnic groups' order scan every household: only when shown.
    labelled = any(level != "year" for level in levels)
    out.insert(0, "unit", unit_labels(out, levels, "" if labelled else province_label(frame, units)))
    out = sort_units(out, keys, units, ethnicity_order=ethnicity_order(frame) if c.ETHNICITY in keys else None)
    out.attrs["weight"] = weight
    out.attrs["rate_unit"] = f"% of {total}"
    out.attrs.update({k: v for k, v in classified.attrs.items() if k in ("synthetic", "source")})
    return out


def rate_changes(
    classified_panel: pd.DataFrame,
    by: By = None,
    year: int | None = None,
    *,
    weight: Weight = "households",
    units: Units | None = None,
) -> pd.DataFrame:
    """Rates in ``year`` and in the previous review year, and their change in pp.

    ``year`` defaults to the latest year; the previous year is the latest earlier year in
    the data (``previous_year`` says which). Columns per measure: ``<m>_rate``,
    ``<m>_rate_previous`` and the change, named ``change_pp`` for the poor rate and
    ``near_poor_change_pp`` / ``poor_or_near_poor_change_pp`` for the others (negative =
    fall). Units present in only one of the two years get NaN for the other.
    """
    if c.YEAR not in classified_panel:
        raise UsageError(f"rate changes need a {c.YEAR!r} column")
    years = sorted(int(y) for y in pd.unique(classified_panel[c.YEAR].dropna()))
    year, previous = year_and_previous(years, year, what="changes to compute")
    levels = parse_by(by)
    if "year" in levels:
        raise UsageError("rate changes compare two years; 'year' cannot be a grouping level")
    units = units or units_for(classified_panel)
    now = poverty_rates(classified_panel, levels or None, weight=weight, year=year, units=units)
    before = poverty_rates(classified_panel, levels or None, weight=weight, year=previous, units=units)
    keys = group_keys(levels) or ["unit"]
    rate_cols = [f"{m}_rate" for m in MEASURES]
    before = before[keys + (["unit"] if "unit" not in keys else []) + ["households"] + rate_cols]
    before = before.rename(columns={col: f"{col}_previous" for col in ["households"] + rate_cols})
    if keys == ["unit"]:
        before = before.assign(unit=now["unit"].iloc[0])  # province label may differ by year
    merged = now.merge(before, on=keys, how="outer", suffixes=("", "_before"), sort=False)
    if "unit_before" in merged:
        merged["unit"] = merged["unit"].fillna(merged.pop("unit_before"))
    merged["year"] = year
    merged["previous_year"] = previous
    names = {"poor": "change_pp", "near_poor": "near_poor_change_pp", "poor_or_near_poor": "poor_or_near_poor_change_pp"}
    for m in MEASURES:
        merged[names[m]] = merged[f"{m}_rate"] - merged[f"{m}_rate_previous"]
    first = ["unit"] + [k for k in keys if k != "unit"] + ["year", "previous_year", "households", "households_previous"]
    rest = [col for col in merged.columns if col not in first]
    ordered_rates = []
    for m in MEASURES:
        ordered_rates += [f"{m}_rate", f"{m}_rate_previous", names[m]]
    counts = [col for col in rest if col not in ordered_rates]
    merged = merged[first + counts + ordered_rates]
    if keys != ["unit"]:
        merged = sort_units(merged, keys, units, ethnicity_order=ethnicity_order(classified_panel))
    merged.attrs.update(now.attrs)
    merged.attrs["change_unit"] = "pp"
    return merged.reset_index(drop=True)
