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
    """One row per unit and item, units in order, items in the standard's order.

    Built from arrays (units × items, read row by row): a frame per item cost a tenth of a
    second per call, and the release calls it per level and year."""
    n, k = len(sums), len(items)
    out = sums[ids + ["households", "poor", "near_poor"]].take(np.repeat(np.arange(n), k)).reset_index(drop=True)

    def labels(values: list[str]) -> pd.Series:
        return pd.Series(np.tile(np.array(values, dtype=object), n), dtype=pd.Series(values).dtype)

    def counts(prefix: str) -> np.ndarray:
        return np.column_stack([sums[f"{prefix}{item}"].to_numpy() for item in items]) if n else np.zeros((0, k), dtype="int64")

    out[name] = labels(items)
    for col, values in extra.items():
        out[col] = labels([values[item] for item in items])
    deprived, poor_d, near_d = counts("_all_"), counts("_poor_"), counts("_near_")
    households, poor, near = (sums[col].to_numpy()[:, None] for col in ("households", "poor", "near_poor"))
    out["deprived"], out["deprived_poor"], out["deprived_near_poor"] = deprived.ravel(), poor_d.ravel(), near_d.ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_all_pct"] = (deprived / households * 100.0).ravel()
        out["share_poor_pct"] = np.where(poor > 0, poor_d / np.where(poor > 0, poor, 1) * 100.0, np.nan).ravel()
        out["share_near_poor_pct"] = np.where(near > 0, near_d / np.where(near > 0, near, 1) * 100.0, np.nan).ravel()
    return out


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
