"""Alkire-Foster multidimensional poverty measures (the method of OPHI's ``mpitb``).

Identification is by deprivations alone: a household is *multidimensionally poor* when its
weighted deprivation score is at least ``k``. Income plays no part, so the AF headcount
``H`` is not the official poor-household rate (which also needs income at or below the
line). Weights are the standard's equal nested weights (each dimension equal, split equally
among its indicators): 1/12 each under Decree 07, 1/10 under Decision 59. The default ``k``
is the official cut-off of 3 indicators, i.e. 3/12 and 3/10.

All measures are fractions in [0, 1] except ``contribution_pct`` (percent).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from ..errors import DataError, Problem, UsageError
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

Weight = Literal["households", "persons"]

#: Tolerance for comparing sums of weights with ``k`` (3 × 1/12 is not exactly 0.25).
_EPS = 1e-9


def default_k(standard: str | Standard) -> float:
    """The official cut-off as a share of the weights: ``deprivation_cutoff / indicators``."""
    std = get_standard(standard)
    return std.deprivation_cutoff / len(std.indicators)


def parse_k(text: str, standard: str | Standard) -> float:
    """A cut-off from the command line: ``3/12``, ``0.25``, or a whole number of indicators (``3``)."""
    std = get_standard(standard)
    try:
        if "/" in text:
            num, den = text.split("/", 1)
            value = float(num) / float(den)
        else:
            value = float(text)
            if value >= 1 and value.is_integer():
                value = value / len(std.indicators)
    except (ValueError, ZeroDivisionError):
        raise UsageError(f"cannot read k={text!r}: give a fraction (0.25 or 3/12) or a number of indicators (3)") from None
    return _check_k(value)


def _check_k(k: float) -> float:
    if not 0 < k <= 1:
        raise UsageError(f"k must be in (0, 1], not {k}")
    return float(k)


def _prepare(
    households: pd.DataFrame,
    standard: str | Standard,
    k: float | None,
    by: By,
    year: int | None,
    weight: Weight,
    units: Units | None,
) -> tuple[pd.DataFrame, Standard, float, list[str], list[str], np.ndarray, Units | None]:
    """Select the year, add group keys, check the indicators; return what every measure needs."""
    std = get_standard(standard)
    k = default_k(std) if k is None else _check_k(k)
    levels = parse_by(by)
    frame = single_year(households, year, levels)
    units = units or (units_for(households) if levels else None)
    frame = with_keys(frame, levels, units)
    missing = [i for i in std.indicators if i not in frame]
    if missing:
        raise UsageError(f"the data has no indicator column(s) {', '.join(missing)} of {std.id}")
    empty = frame[list(std.indicators)].isna().sum()
    if empty.any():
        raise DataError(
            [Problem("households", "no missing values (AF measures need every indicator)", column=str(i), value=f"{n} missing")
             for i, n in empty[empty > 0].items()]
        )
    if weight == "persons":
        w = pd.to_numeric(frame[c.MEMBERS], errors="coerce").fillna(0).to_numpy(dtype=float)
    elif weight == "households":
        w = np.ones(len(frame))
    else:
        raise UsageError(f"weight must be 'households' or 'persons', not {weight!r}")
    return frame, std, k, levels, group_keys(levels), w, units


def _matrix(frame: pd.DataFrame, std: Standard, k: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Deprivation matrix g0, score c, and identification (score ≥ k)."""
    weights = std.weights()
    g0 = frame[list(std.indicators)].astype(float).to_numpy() > 0
    score = g0 @ np.array([weights[i] for i in std.indicators])
    poor = score >= k - _EPS
    return g0, score, poor


def _grouped(frame: pd.DataFrame, keys: list[str], values: pd.DataFrame) -> pd.DataFrame:
    """Sums of ``values`` per group (one row when there are no keys)."""
    if not keys:
        return values.sum().to_frame().T
    data = pd.concat([frame[keys].reset_index(drop=True), values.reset_index(drop=True)], axis=1)
    return data.groupby(keys, observed=True, dropna=False, sort=False)[list(values.columns)].sum().reset_index()


def _finish(out: pd.DataFrame, frame: pd.DataFrame, levels: list[str], keys: list[str], units: Units | None) -> pd.DataFrame:
    """Label the units and put them in reporting order."""
    out.insert(0, "unit", unit_labels(out, levels, province_label(frame, units)))
    if keys:
        out = sort_units(out, keys, units, ethnicity_order=ethnicity_order(frame))
    return out.reset_index(drop=True)


def af_measures(
    households: pd.DataFrame,
    standard: str | Standard,
    k: float | None = None,
    by: By = None,
    *,
    year: int | None = None,
    weight: Weight = "households",
    units: Units | None = None,
) -> pd.DataFrame:
    """``H`` (share with score ≥ k), ``A`` (average score of those), ``M0 = H × A`` per unit.

    Also ``households`` (count) and ``k``. ``A`` is NaN where nobody is poor by k.
    """
    frame, std, k, levels, keys, w, units = _prepare(households, standard, k, by, year, weight, units)
    _, score, poor = _matrix(frame, std, k)
    values = pd.DataFrame({"households": np.ones(len(frame)), "_w": w, "_q": w * poor, "_cs": w * score * poor})
    out = measures_from_sums(_grouped(frame, keys, values), k)
    return _finish(out, frame, levels, keys, units)


def measures_from_sums(out: pd.DataFrame, k: float) -> pd.DataFrame:
    """H, A and M0 from a unit's sums: ``households``, weights ``_w``, poor ``_q``, their scores ``_cs``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out["H"] = out["_q"] / out["_w"]
        out["A"] = np.where(out["_q"] > 0, out["_cs"] / out["_q"], np.nan)
        out["M0"] = out["_cs"] / out["_w"]
    out["households"] = out["households"].astype("int64")
    out["k"] = k
    return out.drop(columns=["_w", "_q", "_cs"])


def af_indicators(
    households: pd.DataFrame,
    standard: str | Standard,
    k: float | None = None,
    by: By = None,
    *,
    year: int | None = None,
    weight: Weight = "households",
    units: Units | None = None,
) -> pd.DataFrame:
    """Per unit and indicator: ``uncensored`` and ``censored`` headcount ratios and ``contribution_pct``.

    Uncensored: share deprived. Censored: share poor by k *and* deprived (over all
    households). Contribution: ``weight × censored / M0 × 100``, summing to 100 in each unit
    (NaN where M0 is 0). Rows: units in order, indicators in the standard's order.
    """
    frame, std, k, levels, keys, w, units = _prepare(households, standard, k, by, year, weight, units)
    g0, score, poor = _matrix(frame, std, k)
    names = list(std.indicators)
    values = pd.DataFrame(
        {"_w": w, "_cs": w * score * poor}
        | {f"_u_{i}": w * g0[:, j] for j, i in enumerate(names)}
        | {f"_c_{i}": w * (g0[:, j] & poor) for j, i in enumerate(names)}
    )
    sums = _finish(_grouped(frame, keys, values), frame, levels, keys, units)
    return indicators_from_sums(sums, std, keys, k)


def indicators_from_sums(sums: pd.DataFrame, std: Standard, keys: list[str], k: float) -> pd.DataFrame:
    """The long indicator table from each unit's sums (``_w``, ``_cs``, ``_u_<i>``, ``_c_<i>``), units in order."""
    names = list(std.indicators)
    weights = std.weights()
    dims = std.indicator_dimension
    parts = []
    for i in names:
        with np.errstate(divide="ignore", invalid="ignore"):
            censored = sums[f"_c_{i}"] / sums["_w"]
            m0 = sums["_cs"] / sums["_w"]
            contribution = np.where(m0 > 0, weights[i] * censored / m0 * 100.0, np.nan)
        parts.append(
            sums[["unit"] + keys].assign(
                indicator=i,
                dimension=dims[i],
                weight=weights[i],
                uncensored=sums[f"_u_{i}"] / sums["_w"],
                censored=censored,
                contribution_pct=contribution,
            )
        )
    out = pd.concat(parts, keys=range(len(parts)), names=["_i", "_row"]).reset_index()
    out = out.sort_values(["_row", "_i"], kind="mergesort").drop(columns=["_i", "_row"])
    out["k"] = k
    return out.reset_index(drop=True)


def af_dimensions(
    households: pd.DataFrame,
    standard: str | Standard,
    k: float | None = None,
    by: By = None,
    *,
    year: int | None = None,
    weight: Weight = "households",
    units: Units | None = None,
) -> pd.DataFrame:
    """The indicator measures summed by dimension.

    ``weight`` is the dimension's weight; ``censored`` is the weighted censored headcount of
    the dimension divided by its weight (the dimension's average censored ratio), so that
    ``M0 = Σ weight × censored``; ``uncensored`` likewise; ``contribution_pct`` is the sum of
    its indicators' contributions.
    """
    return dimensions_from_indicators(af_indicators(households, standard, k, by, year=year, weight=weight, units=units))


def dimensions_from_indicators(ind: pd.DataFrame) -> pd.DataFrame:
    """The indicator table (:func:`af_indicators`) summed by dimension."""
    keys = [col for col in ind.columns if col not in ("indicator", "dimension", "weight", "uncensored", "censored", "contribution_pct", "k")]
    ind = ind.assign(_wu=ind["weight"] * ind["uncensored"], _wc=ind["weight"] * ind["censored"], _unit_order=ind.groupby(keys, sort=False, dropna=False).ngroup())
    out = (
        ind.groupby(["_unit_order"] + keys + ["dimension"], sort=False, dropna=False)
        .agg(weight=("weight", "sum"), _wu=("_wu", "sum"), _wc=("_wc", "sum"), contribution_pct=("contribution_pct", lambda s: s.sum(min_count=1)), k=("k", "first"))
        .reset_index()
    )
    out["uncensored"] = out.pop("_wu") / out["weight"]
    out["censored"] = out.pop("_wc") / out["weight"]
    out = out[keys + ["dimension", "weight", "uncensored", "censored", "contribution_pct", "k"]]
    return out.reset_index(drop=True)


def af_decomposition(
    households: pd.DataFrame,
    standard: str | Standard,
    by: By,
    k: float | None = None,
    *,
    year: int | None = None,
    weight: Weight = "households",
    units: Units | None = None,
) -> pd.DataFrame:
    """Subgroup decomposition of ``M0``: ``population_share``, group ``H``, ``A``, ``M0`` and
    ``contribution_pct`` (= share × group M0 / total M0 × 100).

    The share-weighted sum of group M0 is the total M0, so contributions add up to 100.
    The total is in ``attrs['M0_total']``.
    """
    if not parse_by(by):
        raise UsageError("a decomposition needs a grouping (by=…)")
    groups = af_measures(households, standard, k, by, year=year, weight=weight, units=units)
    total = af_measures(households, standard, k, None, year=year, weight=weight, units=units).iloc[0]
    if weight == "persons":
        levels = parse_by(by)
        frame = with_keys(single_year(households, year, levels), levels, units)
        people = _grouped(frame, group_keys(levels), pd.DataFrame({"_p": pd.to_numeric(frame[c.MEMBERS]).to_numpy(dtype=float)}))
        share = groups.merge(people, on=group_keys(levels), how="left")["_p"] / people["_p"].sum()
    else:
        share = groups["households"] / groups["households"].sum()
    groups.insert(list(groups.columns).index("households") + 1, "population_share", share.to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        groups["contribution_pct"] = np.where(total["M0"] > 0, groups["population_share"] * groups["M0"] / total["M0"] * 100.0, np.nan)
    groups.attrs["M0_total"] = float(total["M0"])
    groups.attrs["H_total"] = float(total["H"])
    groups.attrs["A_total"] = float(total["A"])
    return groups
