"""Shared plumbing of the checks: collect problems per cell, map values once per distinct value.

Review files repeat the same few names and codes over millions of rows, so anything done per
value (a name lookup, a suggestion) is done once per distinct value and spread back.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

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

    def cells(self, mask: pd.Series | np.ndarray, column: str, values: pd.Series, expected: str | Callable[[int], str]) -> None:
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
    """``function`` applied once per distinct value (review files repeat names a lot).

    Text results come back as a text column (NaN where ``function`` gave None), others as objects.
    """
    codes, uniques = distinct(values)
    results = [function(u) for u in uniques] + [function(None)]
    codes = np.where(codes < 0, len(results) - 1, codes)  # a missing cell takes the last result
    if all(r is None or isinstance(r, str) for r in results):
        texts = pa.array(results, type=pa.large_string()).take(pa.array(codes))
        return pd.Series(texts.to_pandas().array, index=values.index)
    return pd.Series(np.array(results, dtype=object)[codes], index=values.index)


def distinct(values: pd.Series) -> tuple[np.ndarray, list[object]]:
    """Codes (-1 for a missing cell) and the distinct values they point to."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), list(values.cat.categories)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, list(uniques)


def blank(values: pd.Series) -> pd.Series:
    """True where a cell is missing or only whitespace."""
    return per_value(values, lambda v: v is None or str(v).strip() == "").astype(bool)


def map_names(values: pd.Series, lookup: Callable[[str], str | None]) -> pd.Series:
    """A name lookup per cell (None where it finds nothing or the cell is empty)."""
    return per_value(values, lambda v: None if v is None else lookup(str(v)))


def as_text(values: pd.Series) -> pd.Series:
    """The cells as text (missing stays missing): a workbook's ``1001.0`` id reads ``1001``."""
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        return values
    if isinstance(values.dtype, pd.CategoricalDtype) and pd.api.types.is_string_dtype(values.cat.categories.dtype):
        return values
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype("str")
    try:
        codes, found = pd.factorize(values, use_na_sentinel=True)
        uniques = np.asarray(found, dtype=object)
    except TypeError:  # unhashable cells
        codes, uniques = np.arange(len(values)), values.to_numpy(dtype=object)
    texts = [_text_of(v) for v in uniques] + [None]
    table = pd.array(texts, dtype="str")
    return pd.Series(table.take(np.where(codes < 0, len(texts) - 1, codes)), index=values.index)


def _text_of(value: object) -> str | None:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if np.isnan(number):
            return None
        return str(int(number)) if number.is_integer() and abs(number) < 1e16 else repr(number)
    return str(value)
