"""Check a household review table's values against the data contract and normalise them.

Checks work on whole columns (numbers through :mod:`.numbers`, read as a Vietnamese reader
reads them; names once per distinct value); each failing cell becomes a :class:`Problem`
naming the file, the row as the user sees it, the column, the value and what was expected.
At most ``EXAMPLES_PER_CHECK`` problems are kept per check, but all are counted. Numbers
must be finite and plausible (:data:`BOUNDS`), so that nothing absurd overflows later.
Unit names are checked in :mod:`.places`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import Problem
from . import columns as c
from .cells import EXAMPLES_PER_CHECK, Collector, as_text, blank, map_names
from .numbers import Numbers, read_numbers
from .places import check_places
from .spellings import AREA_WORDS, ETHNIC_SPELLINGS
from .standards import Standard
from .units import Units, clean_text, name_key

#: Columns of names and codes, compared as text whatever the file stored them as.
_TEXT_COLUMNS = (c.HOUSEHOLD_ID, c.PROVINCE, c.DISTRICT, c.COMMUNE, c.FORMER_COMMUNE, c.AREA, c.ETHNICITY)

#: Plausible values: (lowest, highest, what the column holds).
BOUNDS: dict[str, tuple[float, float]] = {
    c.YEAR: (1990, 2100),
    c.MEMBERS: (1, 50),
    c.INCOME: (0, 1_000_000_000),  # VND per person per month
}


@dataclass
class Checked:
    """A normalised table with the problems found on the way."""

    frame: pd.DataFrame
    problems: list[Problem]
    total: int
    #: per row, a number shared by the rows of one (year, household_id) and no other (None: not known)
    households: np.ndarray | None = None


def to_number(values: pd.Series) -> pd.Series:
    """Numbers from cells that may be text (``1500000``, ``1.500.000``, ``800.000``, ``1,500,000``).

    NaN where a cell is not a finite number or its column cannot decide how to read it.
    """
    return pd.Series(read_numbers(values).values, index=values.index)


def _household_ids(values: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray]:
    """Identifiers without surrounding whitespace ('' where missing), where one is empty, where
    one holds a NUL character, and a code per row shared by the rows of the same identifier.

    Each distinct cell is stripped and checked once (a review repeats ids over its years).
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, uniques = values.cat.codes.to_numpy(), pd.Index(values.cat.categories)
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        uniques = pd.Index(uniques)
    texts = pa.array(uniques.astype("str"), type=pa.large_string())
    trimmed = pc.utf8_trim_whitespace(texts)
    stripped = pa.concat_arrays([trimmed, pa.array([""], type=pa.large_string())])  # last: missing cells
    at = np.where(codes < 0, len(texts), codes)
    is_empty = np.asarray(pc.equal(stripped, ""))
    empty = is_empty[at]
    nul = np.asarray(pc.match_substring(stripped, "\x00"))[at]
    if trimmed.equals(texts):  # nothing to strip: distinct cells are distinct ids, but a missing cell is ''
        same = np.where(empty, np.argmax(is_empty), at)
    else:
        same = np.asarray(pc.dictionary_encode(stripped).indices)[at]
    ids = pd.Series(stripped.take(pa.array(at)).to_pandas().array, index=values.index)
    return ids, empty, nul, same


def _numbers(raw: pd.DataFrame, column: str, out: Collector) -> Numbers:
    """The column read as numbers; a cell its column cannot decide how to read is reported here."""
    numbers = read_numbers(raw[column])
    out.cells(numbers.ambiguous, column, raw[column], numbers.why)
    return numbers


def _whole_numbers(raw: pd.DataFrame, column: str, out: Collector, expected: str, low: float, high: float) -> np.ndarray:
    """Whole numbers within [low, high] (0 where a cell is reported)."""
    numbers = _numbers(raw, column, out)
    values = numbers.values
    with np.errstate(invalid="ignore"):
        good = (values >= low) & (values <= high) & (values % 1 == 0)
    out.cells(~good & ~numbers.ambiguous, column, raw[column], expected)
    return np.where(good, values, 0).astype("int64")


def missing_columns(columns: Iterable[str], standard: Standard) -> list[str]:
    """Contract columns (and the standard's indicators) absent from ``columns``.

    ``district`` is left to the place checks: only old-division review years need it.
    """
    present = set(columns)
    needed = [col for col in c.IDENTITY_COLUMNS if col != c.DISTRICT] + list(standard.indicators)
    return [col for col in needed if col not in present]


def check_households(raw: pd.DataFrame, file: str, standard: Standard, units: Units | None = None) -> Checked:
    """Validate one file's table and normalise it.

    ``raw`` has contract column names and is indexed by row number as the user sees it.
    Places are checked against any province's units in the division of each row's year;
    ``units``, when given, serves its own province and division.
    """
    out = Collector(file, raw.index.to_numpy())
    absent = missing_columns(raw.columns, standard)
    for col in absent:
        expected = f"missing column '{col}'" + (
            f" (an indicator of {standard.id})" if col in standard.indicators else " (see the data contract in README.md)"
        )
        out.add(Problem(file, expected))
    if absent:
        return Checked(pd.DataFrame(), out.problems, out.total)

    raw = raw.assign(**{col: as_text(raw[col]) for col in _TEXT_COLUMNS if col in raw.columns})
    frame = pd.DataFrame(index=raw.index)
    ids, empty, nul, same_id = _household_ids(raw[c.HOUSEHOLD_ID])
    out.cells(empty, c.HOUSEHOLD_ID, raw[c.HOUSEHOLD_ID], "a household identifier")
    out.cells(nul, c.HOUSEHOLD_ID, raw[c.HOUSEHOLD_ID], "a household identifier without NUL characters (\\x00)")
    frame[c.HOUSEHOLD_ID] = ids

    lo, hi = BOUNDS[c.YEAR]
    frame[c.YEAR] = _whole_numbers(raw, c.YEAR, out, f"a review year such as 2024 (a whole number from {lo:.0f} to {hi:.0f})", lo, hi)

    check_places(raw, frame, out, units)

    area = map_names(raw[c.AREA], lambda v: AREA_WORDS.get(name_key(v)))
    out.cells(area.isna(), c.AREA, raw[c.AREA], "'rural' or 'urban' (or 'nông thôn' / 'thành thị')")
    frame[c.AREA] = area.fillna("")

    ethnicity = map_names(raw[c.ETHNICITY], lambda v: ETHNIC_SPELLINGS.get(name_key(v), clean_text(v)))
    out.cells(blank(raw[c.ETHNICITY]), c.ETHNICITY, raw[c.ETHNICITY], "the ethnic group of the household head")
    frame[c.ETHNICITY] = ethnicity

    lo, hi = BOUNDS[c.MEMBERS]
    frame[c.MEMBERS] = _whole_numbers(raw, c.MEMBERS, out, f"a whole number of members, at least {lo:.0f} and at most {hi:.0f}", lo, hi)

    income = _numbers(raw, c.INCOME, out)
    lo, hi = BOUNDS[c.INCOME]
    out.cells(np.isnan(income.values) & ~income.ambiguous, c.INCOME, raw[c.INCOME], "a number (VND per person per month)")
    out.cells(income.values < lo, c.INCOME, raw[c.INCOME], "an income of 0 or more")
    out.cells(income.values > hi, c.INCOME, raw[c.INCOME], f"an income of at most {hi:,.0f} VND per person per month".replace(",", "."))
    frame[c.INCOME] = np.nan_to_num(income.values, nan=0.0)

    for col in [i for i in c.INDICATOR_COLUMNS if i in raw.columns]:
        if raw[col].dtype == np.dtype(bool):  # 0/1 already, every cell (a CSV's flags, a Parquet boolean)
            frame[col] = raw[col].to_numpy().astype("int8")
            continue
        flag = _numbers(raw, col, out)
        out.cells(~((flag.values == 0) | (flag.values == 1)) & ~flag.ambiguous, col, raw[col], "1 (deprived) or 0 (not deprived)")
        frame[col] = np.where(flag.values == 1, 1, 0).astype("int8")

    if c.FORMER_COMMUNE in frame.columns:  # after the contract's columns, as before
        frame[c.FORMER_COMMUNE] = frame.pop(c.FORMER_COMMUNE)
    households = frame[c.YEAR].to_numpy() * (int(same_id.max(initial=0)) + 1) + same_id  # years are 0 or plausible
    return Checked(frame.reset_index(drop=True), out.problems, out.total, households)


def duplicate_problems(
    frame: pd.DataFrame, files: pd.Series, rows: pd.Series, households: np.ndarray | None = None
) -> tuple[list[Problem], int]:
    """Each repeated (year, household_id) after its first occurrence, across all files.

    ``households`` (a number per row, one per (year, household_id)) spares hashing the ids again.
    """
    if households is None:
        repeated = frame.duplicated([c.YEAR, c.HOUSEHOLD_ID], keep="first").to_numpy()
    else:
        repeated = pd.Series(households).duplicated(keep="first").to_numpy()
    positions = np.flatnonzero(repeated)
    problems = [
        Problem(
            str(files.iloc[i]),
            f"a household_id unique within year {frame[c.YEAR].iloc[i]}",
            int(rows.iloc[i]),
            c.HOUSEHOLD_ID,
            frame[c.HOUSEHOLD_ID].iloc[i],
        )
        for i in positions[:EXAMPLES_PER_CHECK]
    ]
    return problems, len(positions)
