"""Shared plumbing of the checks: collect problems per cell, map values once per distinct value.

Review files repeat the same few names and codes over millions of rows, so anything done per
value (a name lookup, a suggestion) is done once per distinct value and spread back.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..errors import Problem

EXAMPLES_PER_CHECK = 20


class Collector:
    """Keeps a few examples per check and counts them all."""

    def __init__(self, file: str, row_numbers: np.ndarray) -> None:
        self.file = file
        self.rows = row_numbers
        self.problems: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.total += 1

    def cells(self, mask: pd.Series, column: str, values: pd.Series, expected: str | Callable[[int], str]) -> None:
        """One problem per True in ``mask``; ``expected`` may depend on the row position."""
        bad = np.flatnonzero(np.asarray(mask, dtype=bool))
        self.total += len(bad)
        for i in bad[:EXAMPLES_PER_CHECK]:
            text = expected(i) if callable(expected) else expected
            self.problems.append(Problem(self.file, text, int(self.rows[i]), column, plain(values.iloc[i])))


def plain(value: object) -> object:
    """A cell value as a plain Python value for a message ('' for a missing cell)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


def per_value(values: pd.Series, function: Callable[[object], object]) -> pd.Series:
    """``function`` applied once per distinct value (review files repeat names a lot)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results = np.array([function(u) for u in uniques] + [function(None)], dtype=object)
    return pd.Series(results[codes], index=values.index)  # code -1 (missing) takes the last


def blank(values: pd.Series) -> pd.Series:
    """True where a cell is missing or only whitespace."""
    return per_value(values, lambda v: v is None or str(v).strip() == "").astype(bool)


def map_names(values: pd.Series, lookup: Callable[[str], str | None]) -> pd.Series:
    """A name lookup per cell (None where it finds nothing or the cell is empty)."""
    return per_value(values, lambda v: None if v is None else lookup(str(v)))
