"""Classify households under a standard: deprivation count and one status each."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import DataError, Problem
from ..review import columns as c
from ..review.standards import STATUSES, Standard, get_standard

STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES), ordered=True)


def deprivation_count(households: pd.DataFrame, standard: str | Standard) -> pd.Series:
    """Number of the standard's indicators in which each household is deprived."""
    std = get_standard(standard)
    missing = [i for i in std.indicators if i not in households.columns]
    if missing:
        source = str(households.attrs.get("source") or "the data")
        raise DataError([Problem(source, f"missing column '{i}', an indicator of {std.id}") for i in missing])
    return households[list(std.indicators)].sum(axis=1).astype("int64").rename(c.DEPRIVATIONS)


def _line(households: pd.DataFrame, line: Mapping[str, int] | None) -> np.ndarray:
    if line is None:
        return np.full(len(households), -1.0)
    return households[c.AREA].map(dict(line)).to_numpy(dtype=float)


def household_status(households: pd.DataFrame, standard: str | Standard) -> pd.Series:
    """Poor, near-poor, average or above-average living standard (lines inclusive);
    ``above_line`` above the income line of a standard with no published average band."""
    std = get_standard(standard)
    income = households[c.INCOME].to_numpy(dtype=float)
    deprived = deprivation_count(households, std).to_numpy() >= std.deprivation_cutoff
    below_line = income <= _line(households, std.income_line)
    code = STATUSES.index
    codes = np.select(
        [
            income <= _line(households, std.extreme_line),
            below_line & deprived,
            below_line,
            income <= _line(households, std.average_line),
        ],
        [code("poor"), code("poor"), code("near_poor"), code("average")],
        default=code("above_average" if std.average_line is not None else "above_line"),
    )
    return pd.Series(pd.Categorical.from_codes(codes, dtype=STATUS_DTYPE), index=households.index, name=c.STATUS)


def classify(households: pd.DataFrame, standard: str | Standard) -> pd.DataFrame:
    """A copy of the households with ``deprivations`` and ``status`` added."""
    std = get_standard(standard)
    return households.assign(
        **{
            c.DEPRIVATIONS: deprivation_count(households, std),
            c.STATUS: household_status(households, std),
        }
    )
