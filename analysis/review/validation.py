"""Check a household review table against the data contract and normalise it.

Checks are vectorised; each failing cell becomes a :class:`Problem` naming the file, the
row as the user sees it, the column, the value and what was expected. At most
``EXAMPLES_PER_CHECK`` problems are kept per check, but all are counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import Problem
from . import columns as c
from .cells import EXAMPLES_PER_CHECK, Collector, blank, map_names, per_value
from .places import check_places
from .standards import Standard
from .units import Units, name_key, nfc

AREA_WORDS: dict[str, str] = {
    name_key(word): code
    for word, code in {
        "rural": c.RURAL,
        "urban": c.URBAN,
        "nông thôn": c.RURAL,
        "thành thị": c.URBAN,
    }.items()
}

#: Spellings of ethnic groups normalised to one (others are kept as written, in NFC).
ETHNIC_SPELLINGS: dict[str, str] = {
    name_key(k): v
    for k, v in {
        "kinh": "Kinh", "tày": "Tày", "dao": "Dao", "nùng": "Nùng", "mông": "Mông",
        "h'mông": "Mông", "hmông": "Mông", "hmong": "Mông", "sán chay": "Sán Chay",
        "sán chỉ": "Sán Chay", "cao lan": "Sán Chay", "hoa": "Hoa", "thái": "Thái",
        "mường": "Mường", "sán dìu": "Sán Dìu", "khác": "Khác",
    }.items()
}

_GROUPED_NUMBER = re.compile(r"^\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})+$")


@dataclass
class Checked:
    """A normalised table with the problems found on the way."""

    frame: pd.DataFrame
    problems: list[Problem]
    total: int


def to_number(values: pd.Series) -> pd.Series:
    """Numbers from cells that may be text: ``1500000``, ``1.500.000``, ``1,500,000``."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype(float)
    text = values.astype("string").str.strip()
    grouped = text.str.fullmatch(_GROUPED_NUMBER.pattern).fillna(False).astype(bool)
    text = text.where(~grouped, text.str.replace(r"[.,\s]", "", regex=True))
    return pd.to_numeric(text, errors="coerce").astype(float)


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

    frame = pd.DataFrame(index=raw.index)
    out.cells(blank(raw[c.HOUSEHOLD_ID]), c.HOUSEHOLD_ID, raw[c.HOUSEHOLD_ID], "a household identifier")
    frame[c.HOUSEHOLD_ID] = per_value(raw[c.HOUSEHOLD_ID], lambda v: "" if v is None else str(v).strip()).astype(str)

    year = to_number(raw[c.YEAR])
    bad_year = year.isna() | (year % 1 != 0) | (year < 1990) | (year > 2100)
    out.cells(bad_year, c.YEAR, raw[c.YEAR], "a review year such as 2024")
    frame[c.YEAR] = year.fillna(0).astype("int64")

    check_places(raw, frame, out, units)

    area = map_names(raw[c.AREA], lambda v: AREA_WORDS.get(name_key(v)))
    out.cells(area.isna(), c.AREA, raw[c.AREA], "'rural' or 'urban' (or 'nông thôn' / 'thành thị')")
    frame[c.AREA] = area.fillna("")

    ethnicity = map_names(raw[c.ETHNICITY], lambda v: ETHNIC_SPELLINGS.get(name_key(v), nfc(v)))
    out.cells(blank(raw[c.ETHNICITY]), c.ETHNICITY, raw[c.ETHNICITY], "the ethnic group of the household head")
    frame[c.ETHNICITY] = ethnicity

    members = to_number(raw[c.MEMBERS])
    out.cells(members.isna() | (members < 1) | (members % 1 != 0), c.MEMBERS, raw[c.MEMBERS], "a whole number of members, at least 1")
    frame[c.MEMBERS] = members.fillna(0).round().astype("int64")

    income = to_number(raw[c.INCOME])
    out.cells(income.isna(), c.INCOME, raw[c.INCOME], "a number (VND per person per month)")
    out.cells(income < 0, c.INCOME, raw[c.INCOME], "an income of 0 or more")
    frame[c.INCOME] = income.fillna(0.0)

    for col in [i for i in c.INDICATOR_COLUMNS if i in raw.columns]:
        flag = to_number(raw[col])
        out.cells(~((flag == 0) | (flag == 1)), col, raw[col], "1 (deprived) or 0 (not deprived)")
        frame[col] = flag.fillna(0).astype("int8")

    if c.FORMER_COMMUNE in frame.columns:  # after the contract's columns, as before
        frame[c.FORMER_COMMUNE] = frame.pop(c.FORMER_COMMUNE)
    return Checked(frame.reset_index(drop=True), out.problems, out.total)


def duplicate_problems(frame: pd.DataFrame, files: pd.Series, rows: pd.Series) -> tuple[list[Problem], int]:
    """Each repeated (year, household_id) after its first occurrence, across all files."""
    repeated = frame.duplicated([c.YEAR, c.HOUSEHOLD_ID], keep="first").to_numpy()
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
