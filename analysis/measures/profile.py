"""Deprivation profile: which indicators households, and poor households, are deprived in.

Shares are *uncensored* (every household deprived in an indicator counts, whatever its
status), over all households and over poor households, in percent. They say where support
is needed; the Alkire-Foster censored ratios are in :mod:`analysis.mpi`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..review import columns as c
from ..review.standards import Standard, get_standard
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


def _deprived_by(
    classified: pd.DataFrame,
    items: dict[str, list[str]],
    by: By,
    year: int | None,
    units: Units | None,
) -> tuple[pd.DataFrame, list[str]]:
    """Per unit: households, poor and near-poor counts and, per item, how many are deprived
    (a household is deprived in an item when deprived in any of its indicators)."""
    if c.STATUS not in classified:
        raise UsageError("households are not classified: call classification.classify(df, standard) first")
    levels = parse_by(by)
    frame = single_year(classified, year, levels)
    units = units or (units_for(classified) if levels else None)
    frame = with_keys(frame, levels, units)
    needed = sorted({i for group in items.values() for i in group})
    missing = [i for i in needed if i not in frame]
    if missing:
        raise UsageError(f"the data has no indicator column(s) {', '.join(missing)}")
    keys = group_keys(levels)
    status = frame[c.STATUS].astype("string").to_numpy()
    poor = status == "poor"
    near = status == "near_poor"
    ind = frame[needed].fillna(False).astype(bool)
    values: dict[str, np.ndarray] = {"households": np.ones(len(frame), dtype="int64"), "poor": poor.astype("int64"), "near_poor": near.astype("int64")}
    for name, group in items.items():
        deprived = ind[group].any(axis=1).to_numpy()
        values[f"_all_{name}"] = deprived.astype("int64")
        values[f"_poor_{name}"] = (deprived & poor).astype("int64")
        values[f"_near_{name}"] = (deprived & near).astype("int64")
    data = pd.DataFrame(values, index=frame.index)
    if keys:
        data = pd.concat([frame[keys], data], axis=1)
        sums = data.groupby(keys, observed=True, dropna=False, sort=False).sum().reset_index()
    else:
        sums = data.sum().to_frame().T
    sums.insert(0, "unit", unit_labels(sums, levels, province_label(frame, units)))
    if keys:
        sums = sort_units(sums, keys, units, ethnicity_order=ethnicity_order(frame))
    return sums, ["unit"] + keys


def _long(sums: pd.DataFrame, ids: list[str], items: list[str], name: str, extra: dict[str, dict[str, str]]) -> pd.DataFrame:
    """One row per unit and item, units in order, items in the standard's order."""
    parts = []
    for j, item in enumerate(items):
        with np.errstate(divide="ignore", invalid="ignore"):
            part = sums[ids + ["households", "poor", "near_poor"]].assign(
                **{name: item},
                **{col: values[item] for col, values in extra.items()},
                deprived=sums[f"_all_{item}"],
                deprived_poor=sums[f"_poor_{item}"],
                deprived_near_poor=sums[f"_near_{item}"],
                share_all_pct=sums[f"_all_{item}"] / sums["households"] * 100.0,
                share_poor_pct=np.where(sums["poor"] > 0, sums[f"_poor_{item}"] / sums["poor"].where(sums["poor"] > 0, 1) * 100.0, np.nan),
                share_near_poor_pct=np.where(sums["near_poor"] > 0, sums[f"_near_{item}"] / sums["near_poor"].where(sums["near_poor"] > 0, 1) * 100.0, np.nan),
            )
        parts.append(part.assign(_item=j, _row=np.arange(len(part))))
    out = pd.concat(parts, ignore_index=True).sort_values(["_row", "_item"], kind="mergesort")
    return out.drop(columns=["_item", "_row"]).reset_index(drop=True)


def deprivation_profile(
    classified: pd.DataFrame,
    standard: str | Standard,
    by: By = None,
    *,
    year: int | None = None,
    units: Units | None = None,
) -> pd.DataFrame:
    """Per unit and indicator: ``share_all_pct`` (of all households, deprived) and
    ``share_poor_pct`` (of poor households, deprived), plus ``share_near_poor_pct`` and the
    counts behind them (``households``, ``poor``, ``near_poor``, ``deprived``, ``deprived_poor``,
    ``deprived_near_poor``).

    Shares of poor households are NaN where a unit has no poor household.
    """
    std = get_standard(standard)
    items = {i: [i] for i in std.indicators}
    sums, ids = _deprived_by(classified, items, by, year, units)
    out = _long(sums, ids, list(std.indicators), "indicator", {"dimension": std.indicator_dimension})
    cols = ids + ["indicator", "dimension"] + [col for col in out.columns if col not in ids + ["indicator", "dimension"]]
    return out[cols]


def dimension_profile(
    classified: pd.DataFrame,
    standard: str | Standard,
    by: By = None,
    *,
    year: int | None = None,
    units: Units | None = None,
) -> pd.DataFrame:
    """Per unit and dimension: the shares deprived in the dimension, where a household is
    deprived in a dimension when it is deprived in at least one of its indicators."""
    std = get_standard(standard)
    items = {d: list(group) for d, group in std.dimensions.items()}
    sums, ids = _deprived_by(classified, items, by, year, units)
    indicators = {d: ", ".join(group) for d, group in std.dimensions.items()}
    out = _long(sums, ids, list(std.dimensions), "dimension", {"indicators": indicators})
    cols = ids + ["dimension", "indicators"] + [col for col in out.columns if col not in ids + ["dimension", "indicators"]]
    return out[cols]
