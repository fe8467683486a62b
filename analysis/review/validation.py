"""Check a household review table against the data contract and normalise it.

Checks are vectorised; each failing cell becomes a :class:`Problem` naming the file, the
row as the user sees it, the column, the value and what was expected. At most
``EXAMPLES_PER_CHECK`` problems are kept per check, but all are counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import Problem
from . import columns as c
from .standards import Standard
from .units import Units, name_key, nfc

EXAMPLES_PER_CHECK = 20

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


class _Collector:
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
        bad = np.flatnonzero(mask.to_numpy())
        self.total += len(bad)
        for i in bad[:EXAMPLES_PER_CHECK]:
            text = expected(i) if callable(expected) else expected
            self.problems.append(Problem(self.file, text, int(self.rows[i]), column, _plain(values.iloc[i])))


def _plain(value: object) -> object:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


def _per_value(values: pd.Series, function: Callable[[object], object]) -> pd.Series:
    """``function`` applied once per distinct value (review files repeat names a lot)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results = np.array([function(u) for u in uniques] + [function(None)], dtype=object)
    return pd.Series(results[codes], index=values.index)  # code -1 (missing) takes the last


def _blank(values: pd.Series) -> pd.Series:
    return _per_value(values, lambda v: v is None or str(v).strip() == "").astype(bool)


def to_number(values: pd.Series) -> pd.Series:
    """Numbers from cells that may be text: ``1500000``, ``1.500.000``, ``1,500,000``."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype(float)
    text = values.astype("string").str.strip()
    grouped = text.str.fullmatch(_GROUPED_NUMBER.pattern).fillna(False).astype(bool)
    text = text.where(~grouped, text.str.replace(r"[.,\s]", "", regex=True))
    return pd.to_numeric(text, errors="coerce").astype(float)


def _map_names(values: pd.Series, lookup: Callable[[str], str | None]) -> pd.Series:
    """A name lookup per cell (None where it finds nothing or the cell is empty)."""
    return _per_value(values, lambda v: None if v is None else lookup(str(v)))


def missing_columns(columns: Iterable[str], standard: Standard) -> list[str]:
    """Contract columns (and the standard's indicators) absent from ``columns``."""
    present = set(columns)
    needed = list(c.IDENTITY_COLUMNS) + list(standard.indicators)
    return [col for col in needed if col not in present]


def check_households(raw: pd.DataFrame, file: str, standard: Standard, units: Units) -> Checked:
    """Validate one file's table and normalise it.

    ``raw`` has contract column names and is indexed by row number as the user sees it.
    """
    out = _Collector(file, raw.index.to_numpy())
    absent = missing_columns(raw.columns, standard)
    for col in absent:
        expected = f"missing column '{col}'" + (
            f" (an indicator of {standard.id})" if col in standard.indicators else " (see the data contract in README.md)"
        )
        out.add(Problem(file, expected))
    if absent:
        return Checked(pd.DataFrame(), out.problems, out.total)

    frame = pd.DataFrame(index=raw.index)
    out.cells(_blank(raw[c.HOUSEHOLD_ID]), c.HOUSEHOLD_ID, raw[c.HOUSEHOLD_ID], "a household identifier")
    frame[c.HOUSEHOLD_ID] = _per_value(raw[c.HOUSEHOLD_ID], lambda v: "" if v is None else str(v).strip()).astype(str)

    year = to_number(raw[c.YEAR])
    bad_year = year.isna() | (year % 1 != 0) | (year < 1990) | (year > 2100)
    out.cells(bad_year, c.YEAR, raw[c.YEAR], "a review year such as 2024")
    frame[c.YEAR] = year.fillna(0).astype("int64")

    _check_names(raw, frame, out, units)

    area = _map_names(raw[c.AREA], lambda v: AREA_WORDS.get(name_key(v)))
    out.cells(area.isna(), c.AREA, raw[c.AREA], "'rural' or 'urban' (or 'nông thôn' / 'thành thị')")
    frame[c.AREA] = area.fillna("")

    ethnicity = _map_names(raw[c.ETHNICITY], lambda v: ETHNIC_SPELLINGS.get(name_key(v), nfc(v)))
    out.cells(_blank(raw[c.ETHNICITY]), c.ETHNICITY, raw[c.ETHNICITY], "the ethnic group of the household head")
    frame[c.ETHNICITY] = ethnicity

    members = to_number(raw[c.MEMBERS])
    out.cells(members.isna() | (members < 1) | (members % 1 != 0), c.MEMBERS, raw[c.MEMBERS], "a whole number of members, at least 1")
    frame[c.MEMBERS] = members.fillna(0).round().astype("int64")

    income = to_number(raw[c.INCOME])
    out.cells(income.isna(), c.INCOME, raw[c.INCOME], "a number (VND per person per month)")
    out.cells(income < 0, c.INCOME, raw[c.INCOME], "an income of 0 or more")
    frame[c.INCOME] = income.fillna(0.0)

    for col in [i for i in c.ALL_INDICATORS if i in raw.columns]:
        flag = to_number(raw[col])
        out.cells(~((flag == 0) | (flag == 1)), col, raw[col], "1 (deprived) or 0 (not deprived)")
        frame[col] = flag.fillna(0).astype("int8")

    return Checked(frame.reset_index(drop=True), out.problems, out.total)


def _check_names(raw: pd.DataFrame, frame: pd.DataFrame, out: _Collector, units: Units) -> None:
    """Province, district and commune must name known units; suggest the closest."""
    province = _map_names(raw[c.PROVINCE], lambda v: units.canonical("province", v))
    out.cells(province.isna(), c.PROVINCE, raw[c.PROVINCE], f"the province {units.province!r}")
    frame[c.PROVINCE] = province.fillna("")

    district = _map_names(raw[c.DISTRICT], lambda v: units.canonical("district", v))
    hint = _hints(raw[c.DISTRICT], district, lambda v: units.suggest("district", v))
    out.cells(district.isna(), c.DISTRICT, raw[c.DISTRICT], lambda i: _expect(f"a district of {units.province}", hint(i)))
    frame[c.DISTRICT] = district.fillna("")

    commune = _map_names(raw[c.COMMUNE], lambda v: units.canonical("commune", v))
    unknown = commune.isna() & district.notna()

    def commune_hint(i: int) -> str:
        name = str(raw[c.COMMUNE].iloc[i])
        return _expect(f"a commune of {district.iloc[i]}", units.suggest("commune", name, district.iloc[i]))

    out.cells(unknown, c.COMMUNE, raw[c.COMMUNE], commune_hint)
    home = commune.map(units.commune_district)
    elsewhere = commune.notna() & district.notna() & (home != district)
    out.cells(
        elsewhere, c.COMMUNE, raw[c.COMMUNE],
        lambda i: f"a commune of {district.iloc[i]}; {commune.iloc[i]} is in {home.iloc[i]}",
    )
    frame[c.COMMUNE] = commune.fillna("")


def _hints(values: pd.Series, canonical: pd.Series, suggest: Callable[[str], str | None]) -> Callable[[int], str | None]:
    """A suggestion per unknown value, computed once per distinct value."""
    unknown = pd.unique(values[canonical.isna()].astype(str))
    table = {v: suggest(v) for v in unknown}
    return lambda i: table.get(str(values.iloc[i]))


def _expect(expected: str, hint: str | None) -> str:
    return f"{expected} (did you mean {hint!r}?)" if hint else expected


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
