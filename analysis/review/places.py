"""Checks of unit names: province, district and commune must name known units.

Each row is checked against the division in force for its review year: up to the end-2024
review the old one (province, district, commune), from the end-2025 review the new one
(province, commune; no district), so one file may hold years of both. Any province of
Vietnam is accepted, against its own units. Each name is matched once per distinct spelling;
an unknown name gets the closest known one as a suggestion, a commune named under the wrong
district says where it really is, and a name that belongs to the other division says so.
The optional ``former_commune`` (the household's commune before 1 July 2025) is checked
against the crosswalk for new-division years.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import Problem
from . import columns as c
from .cells import Collector, blank, distinct, map_names
from .reference import FormerCommune, former_communes, named_former
from .units import (
    NEW,
    NEW_DIVISION_FROM_YEAR,
    OLD,
    Units,
    clean_text,
    closest,
    crosswalk,
    find_province,
    full_key,
    name_key,
    national_units,
    province_names,
    province_units,
)

_WORDS = {OLD: "old", NEW: "new"}


def check_places(raw: pd.DataFrame, frame: pd.DataFrame, out: Collector, units: Units | None = None) -> None:
    """Canonical province, district, commune (and former commune) names into ``frame``.

    ``frame`` already holds the parsed ``year``; ``units``, when given, is used for its own
    province and division (callers with a custom units table), the national tables otherwise.
    The checks run once per distinct combination of year and place cells (a review file repeats
    a few thousand of them over millions of rows); names and problems are spread back to rows.
    """
    places = [col for col in (c.PROVINCE, c.DISTRICT, c.COMMUNE, c.FORMER_COMMUNE) if col in raw.columns]
    first, inverse = _combinations([frame[c.YEAR], *(raw[col] for col in places)])
    checks = _Checks(out.file, len(first))
    names = _check_distinct(raw.iloc[first], frame[c.YEAR].iloc[first].to_numpy(), checks, units)
    for problem in checks.problems:
        out.add(problem)
    for column, mask, expected in checks.cells:
        rows = mask[inverse]
        if rows.any():
            out.cells(rows, column, raw[column], lambda i, expected=expected: expected(int(inverse[i])))  # type: ignore[misc]
    for column, values in names.items():
        frame[column] = pd.Series(values[inverse], index=raw.index, dtype=object)


class _Checks:
    """The problems of the distinct combinations, kept to be spread over the rows that hold them:
    per check (in the order they ran) its column, which combinations fail and what was expected."""

    def __init__(self, file: str, size: int) -> None:
        self.file = file
        self.size = size
        self.problems: list[Problem] = []
        self.cells: list[tuple[str, np.ndarray, Callable[[int], str]]] = []

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)


def _combinations(columns: list[pd.Series]) -> tuple[np.ndarray, np.ndarray]:
    """Position of the first row of each distinct combination of the columns' values (missing
    is a value of its own) and each row's combination, numbered in order of first appearance."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    size = 1  # the number of values ``key`` can take
    for col in columns:
        codes, uniques = distinct(col)
        if size * (len(uniques) + 1) >= 2**62:  # renumbered so that the product stays within int64
            key, found = pd.factorize(key)
            size = len(found)
        key = key * (len(uniques) + 1) + np.where(codes < 0, len(uniques), codes)
        size *= len(uniques) + 1
    key, _ = pd.factorize(key)  # numbered in order of first appearance
    first = np.flatnonzero(np.diff(np.maximum.accumulate(key), prepend=-1) > 0)  # where a new number first appears
    return first, key


def _check_distinct(raw: pd.DataFrame, years: np.ndarray, out: _Checks, units: Units | None) -> dict[str, np.ndarray]:
    """The place checks on one row per distinct combination: canonical names per column."""
    division = np.where(years >= NEW_DIVISION_FROM_YEAR, NEW, OLD)
    has_district = c.DISTRICT in raw.columns
    if not has_district and (division == OLD).any():
        first = int(years[division == OLD].min()) if (division == OLD).any() else 0
        out.add(Problem(out.file, f"missing column '{c.DISTRICT}' (review years up to {NEW_DIVISION_FROM_YEAR - 1}, such as {first}, use the old division, which has districts; see the data contract in README.md)"))
    district_raw = raw[c.DISTRICT] if has_district else pd.Series([None] * len(raw), index=raw.index, dtype=object)
    year = pd.Series(years, index=raw.index)

    province = pd.Series([None] * len(raw), index=raw.index, dtype=object)
    district = pd.Series([None] * len(raw), index=raw.index, dtype=object)
    commune = pd.Series([None] * len(raw), index=raw.index, dtype=object)
    former = pd.Series([None] * len(raw), index=raw.index, dtype=object)
    for div in (OLD, NEW):
        rows = division == div
        if not rows.any():
            continue
        at = np.flatnonzero(rows)
        sub = raw.iloc[at]
        year_of = year.iloc[at]
        found = _provinces(sub[c.PROVINCE], div, units, out, year_of, at)
        province.iloc[at] = found.names()
        if div == OLD and has_district:
            dist, com = _old_names(sub, district_raw.iloc[at], found, out, year_of, at)
            district.iloc[at] = dist.to_numpy()
            commune.iloc[at] = com.to_numpy()
        elif div == NEW:
            if has_district:
                _no_district(out, at, district_raw.iloc[at], year_of)
            district.iloc[at] = ""
            com = _new_names(sub, found, out, year_of, at)
            commune.iloc[at] = com.to_numpy()
            if c.FORMER_COMMUNE in raw.columns:
                former.iloc[at] = _former(sub, com, found, out, at).tolist()
    if c.FORMER_COMMUNE in raw.columns and (division == OLD).any():
        at = np.flatnonzero(division == OLD)
        given = raw[c.FORMER_COMMUNE].iloc[at]
        differs = ~blank(given) & (map_names(given, name_key) != map_names(raw[c.COMMUNE].iloc[at], name_key))
        _cells(out, at, differs, c.FORMER_COMMUNE, given, lambda i: (
            f"an empty cell or the commune itself: '{c.FORMER_COMMUNE}' is for review years from {NEW_DIVISION_FROM_YEAR}"
        ))

    names = {c.PROVINCE: province, c.DISTRICT: district, c.COMMUNE: commune}
    if c.FORMER_COMMUNE in raw.columns or (division == NEW).any():
        names[c.FORMER_COMMUNE] = former
    return {column: values.fillna("").to_numpy(dtype=object) for column, values in names.items()}


def _cells(out: _Checks, at: np.ndarray, mask: pd.Series, column: str, values: pd.Series, expected: Callable[[int], str]) -> None:
    """Keep a check of a subset of the combinations (positions ``at``) for all rows; ``expected``
    takes a position within ``at``. ``values`` is the checked column (the rows give their own cells)."""
    bad = np.asarray(mask, dtype=bool)
    if not bad.any():
        return
    fails = np.zeros(out.size, dtype=bool)
    fails[at] = bad
    within = np.full(out.size, -1, dtype=np.int64)
    within[at] = np.arange(len(at))
    out.cells.append((column, fails, lambda j: expected(int(within[j]))))


def _provinces(values: pd.Series, division: str, units: Units | None, out: _Checks, years: pd.Series, at: np.ndarray) -> _Found:
    """The units of each row's province in ``division`` (None where the name is unknown)."""

    def resolve(value: str | None) -> Units | None:
        if value is None or value.strip() == "":
            return None
        if units is not None and units.division == division and units.canonical("province", value):
            return units
        name = find_province(value, division)
        return province_units(name, division) if name else None

    per_row = _per_combination(resolve, values)
    distinct: dict[int, Units] = {id(u): u for u in per_row if u is not None}
    found = _Found.of(per_row, list(distinct.values()))
    missing = pd.Series(found.codes < 0, index=values.index)

    def expected(i: int) -> str:
        year = int(years.iloc[i])
        name = str(values.iloc[i])
        other = NEW if division == OLD else OLD
        if find_province(name, other):
            return (
                f"a province of the {_WORDS[division]} division: {clean_text(name)} is a province of the {_WORDS[other]} division; "
                f"the {year} review uses the {_WORDS[division]} one"
            )
        if units is not None and units.division == division:
            return f"the province {units.province!r}"
        hint = closest(name, province_names(division))
        text = f"a province of Vietnam in the {_WORDS[division]} division (the {year} review)"
        return f"{text} (did you mean {hint!r}?)" if hint else text

    _cells(out, at, missing, c.PROVINCE, values, expected)
    return found


class _Found:
    """Each row's province units: a code per row (-1 where the province is unknown)."""

    def __init__(self, codes: np.ndarray, units: list[Units]) -> None:
        self.codes = codes
        self.units = units

    @classmethod
    def of(cls, per_row: np.ndarray, units: list[Units]) -> _Found:
        index = {id(u): n for n, u in enumerate(units)}
        lookup = np.vectorize(lambda u: -1 if u is None else index[id(u)], otypes=[np.int64])
        return cls(lookup(per_row) if len(per_row) else np.zeros(0, dtype=np.int64), units)

    def __getitem__(self, i: int) -> Units | None:
        code = int(self.codes[i])
        return None if code < 0 else self.units[code]

    def names(self) -> list[str | None]:
        labels = np.array([u.province for u in self.units] + [None], dtype=object)
        return labels[self.codes].tolist()  # code -1 takes the last


def _by_province(found: _Found) -> tuple[np.ndarray, dict[str, Units]]:
    """A key per row for ``_per_combination`` (None where unknown) and the units of each key."""
    keys = found.codes.astype(object)
    keys[found.codes < 0] = None
    return keys, {str(n): u for n, u in enumerate(found.units)}


def _old_names(sub: pd.DataFrame, district_raw: pd.Series, found: _Found, out: _Checks, years: pd.Series, at: np.ndarray) -> tuple[pd.Series, pd.Series]:
    """District and commune names of old-division rows, each within its province."""
    names, table = _by_province(found)

    def canon_district(province: str | None, value: str | None) -> str | None:
        if province is None or value is None or value.strip() == "":
            return None
        return table[province].canonical("district", value)

    district = pd.Series(_per_combination(canon_district, names, district_raw), index=sub.index, dtype=object)
    unknown = pd.Series(found.codes >= 0, index=sub.index) & district.isna()
    _cells(out, at, unknown, c.DISTRICT, district_raw, lambda i: _district_expected(found[i], str(district_raw.iloc[i])))

    values = sub[c.COMMUNE]

    def canon_commune(province: str | None, value: str | None, dist: str | None) -> tuple[str | None, str | None]:
        """(the commune within its district, the commune anywhere in the province)."""
        if province is None or dist is None or value is None or value.strip() == "":
            return None, None
        units = table[province]
        return units.canonical_commune(value, dist), units.canonical_commune(value)

    pairs = _per_combination(canon_commune, names, values, district)
    commune = pd.Series([p[0] for p in pairs], index=sub.index, dtype=object)
    anywhere = pd.Series([p[1] for p in pairs], index=sub.index, dtype=object)
    unknown = commune.isna() & district.notna() & anywhere.isna()

    def commune_hint(i: int) -> str:
        u, name, dist, year = found[i], str(values.iloc[i]), str(district.iloc[i]), int(years.iloc[i])
        assert u is not None
        other = _other_division_commune(u, name, year)
        if other:
            return f"a commune of {dist}: {other}"
        return _expect(f"a commune of {dist}", u.suggest("commune", name, dist))

    _cells(out, at, unknown, c.COMMUNE, values, commune_hint)
    elsewhere = commune.isna() & district.notna() & anywhere.notna()

    def where(i: int) -> str:
        u = found[i]
        assert u is not None
        homes = [d for d, coms in u.communes_by_district.items() if anywhere.iloc[i] in coms]
        return f"a commune of {district.iloc[i]}; {anywhere.iloc[i]} is in {' and '.join(homes)}"

    _cells(out, at, elsewhere, c.COMMUNE, values, where)
    return district, commune


def _new_names(sub: pd.DataFrame, found: _Found, out: _Checks, years: pd.Series, at: np.ndarray) -> pd.Series:
    """Commune names of new-division rows, within their (new) province."""
    names, table = _by_province(found)
    values = sub[c.COMMUNE]

    def canon(province: str | None, value: str | None) -> str | None:
        if province is None or value is None or value.strip() == "":
            return None
        return table[province].canonical("commune", value)

    commune = pd.Series(_per_combination(canon, names, values), index=sub.index, dtype=object)
    unknown = pd.Series(found.codes >= 0, index=sub.index) & commune.isna()

    def hint(i: int) -> str:
        u, name, year = found[i], str(values.iloc[i]), int(years.iloc[i])
        assert u is not None
        other = _other_division_commune(u, name, year)
        if other:
            return f"a commune of {u.province}: {other}"
        return _expect(f"a commune of {u.province}", u.suggest("commune", name))

    _cells(out, at, unknown, c.COMMUNE, values, hint)
    return commune


def _former(sub: pd.DataFrame, commune: pd.Series, found: _Found, out: _Checks, at: np.ndarray) -> pd.Series:
    """``former_commune`` of new-division rows: an old commune the crosswalk sends to the row's commune."""
    names, table = _by_province(found)
    given = sub[c.FORMER_COMMUNE]

    def check(province: str | None, com: str | None, value: str | None) -> tuple[str, str | None]:
        """(canonical former commune or '', what was expected when it is wrong)."""
        if province is None or com is None or value is None or value.strip() == "":
            return "", None
        units = table[province]
        former = former_communes(units.province_code, units.commune_codes[com])
        named = named_former(former, value)
        if len(named) == 1:
            return named[0].label(former), None
        if named:  # two old communes of this name went into the unit: never pick one
            return "", _ambiguous(com, value, named)
        sources = [f.name for f in former]
        listed = _listed(former)
        others = _match_old(_province_sources(units.province_code), value)
        if others is not None:
            went = _destinations(units.province_code, others)
            return "", f"a former commune of {com} (one of: {listed}); {others} went to {' and '.join(went)}"
        hint = closest(value, sources)
        return "", _expect(f"a commune of before 1 July 2025 that became part of {com} (one of: {listed})", hint)

    results = _per_combination(check, names, commune, given)
    wrong = pd.Series([r[1] is not None for r in results], index=sub.index)
    _cells(out, at, wrong, c.FORMER_COMMUNE, given, lambda i: str(results[i][1]))
    return pd.Series([r[0] for r in results], index=sub.index, dtype=object)


def _ambiguous(commune: str, value: str, named: list[FormerCommune]) -> str:
    """What a former commune naming two (or more) old communes of a unit should be instead."""
    if len({full_key(f.full) for f in named}) == len(named):  # of two kinds: the level word tells them apart
        return f"the full name of one former commune of {commune} ({' or '.join(f.full for f in named)}): {value!r} names {_count(named)} of them"
    districts = ", ".join(f"one of {f.where(named)}" for f in named)
    return (f"a name of one former commune of {commune}: {_count(named)} of them are named {named[0].name} ({districts}), and a row of "
            f"the new division has no district to tell them apart (leave the cell empty rather than name one of them)")


def _count(items: list[FormerCommune]) -> str:
    return {2: "two", 3: "three"}.get(len(items), str(len(items)))


def _listed(former: list[FormerCommune]) -> str:
    """The old communes of a unit as a message lists them: a name two of them share, with its district."""
    labels = [f.label(former) for f in former]
    shared = {full_key(x) for x in labels if sum(full_key(y) == full_key(x) for y in labels) > 1}
    return ", ".join(f"{x} (of {f.where(former)})" if full_key(x) in shared else x for x, f in zip(labels, former))


@lru_cache(maxsize=2)
def _names(division: str) -> dict[int, str]:
    """Commune code → name as the units table of ``division`` writes it."""
    table = national_units(division)
    rows = table[table["level"] == "commune"]
    return dict(zip(rows["code"].astype(int), rows["name"]))


def _old_name(row_code: object, fallback: str) -> str:
    return fallback if pd.isna(row_code) else _names(OLD).get(int(row_code), fallback)  # type: ignore[call-overload]


def _province_sources(province_code: int) -> list[str]:
    table = crosswalk()
    rows = table[table["new_province_code"] == province_code].drop_duplicates("old_commune_code")
    return [_old_name(k, n) for k, n in zip(rows["old_commune_code"], rows["old_commune"])]


def _destinations(province_code: int, old_commune: str) -> list[str]:
    """Where an old commune went ("Bắc Kạn"); where two old communes of that name went to
    different units, each with its former district ("Bắc Kạn (from Thành phố Bắc Kạn)")."""
    table = crosswalk()
    rows = table[table["new_province_code"] == province_code]
    names = [_old_name(k, n) for k, n in zip(rows["old_commune_code"], rows["old_commune"])]
    hits = rows[[n == old_commune for n in names]]
    districts = _district_names()
    went = [(districts.get(int(d), ""), _names(NEW)[int(code)]) for d, code in zip(hits["old_district_code"], hits["new_commune_code"])]
    if len({d for d, _ in went}) > 1:
        return [f"{unit} (from {d})" for d, unit in went]
    return list(dict.fromkeys(unit for _, unit in went))


@lru_cache(maxsize=1)
def _district_names() -> dict[int, str]:
    table = national_units(OLD)
    rows = table[table["level"] == "district"]
    return dict(zip(rows["code"].astype(int), rows["name"]))


def _match_old(names: list[str], value: str) -> str | None:
    """The one name of ``names`` that ``value`` spells (None if none, or if two share it)."""
    hits = {n for n in names if full_key(n) == full_key(value)}
    if len(hits) != 1:
        hits = {n for n in names if name_key(n) == name_key(value)}
    return next(iter(hits)) if len(hits) == 1 else None


def _other_division_commune(units: Units, name: str, year: int) -> str | None:
    """'X is a commune of the new division; the 2024 review uses the old one' (or the reverse)."""
    this = units.division
    other = NEW if this == OLD else OLD
    table = crosswalk()
    if this == OLD:
        rows = table[table["old_province_code"] == units.province_code]
        candidates = sorted({_names(NEW)[int(k)] for k in rows["new_commune_code"]})
    else:
        rows = table[table["new_province_code"] == units.province_code]
        candidates = sorted(set(_province_sources(units.province_code)))
    hit = _match_old(candidates, name)
    if hit is None:
        return None
    now = ""
    if this == NEW:
        now = f" ({hit} is now part of {' and '.join(_destinations(units.province_code, hit))})"
    return f"{hit} is a commune of the {_WORDS[other]} division; the {year} review uses the {_WORDS[this]} one{now}"


def _per_combination(function: Callable[..., object], *columns: pd.Series | np.ndarray) -> np.ndarray:
    """``function(*values)`` once per distinct combination of the columns' values (missing
    values arrive as None): review files repeat the same few names over many rows."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for col in columns:
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        key = key * (len(uniques) + 1) + np.where(codes < 0, len(uniques), codes)
    combos, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    results = np.empty(len(combos), dtype=object)
    for j, row in enumerate(first):
        results[j] = function(*(_text(col.iloc[row] if isinstance(col, pd.Series) else col[row]) for col in columns))
    return results[inverse.reshape(-1)]


def _text(value: object) -> str | None:
    """A cell as text, None when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return str(value)


def _no_district(out: _Checks, at: np.ndarray, values: pd.Series, years: pd.Series) -> None:
    """New-division rows have no district: the cell must be empty."""
    _cells(out, at, ~blank(values), c.DISTRICT, values, lambda i: (
        f"an empty cell: the {int(years.iloc[i])} review uses the new division, which has no districts "
        f"(put the household's commune before 1 July 2025 in '{c.FORMER_COMMUNE}')"
    ))


def _district_expected(units: Units | None, name: str) -> str:
    assert units is not None
    return _expect(f"a district of {units.province}", units.suggest("district", name))


def _expect(expected: str, hint: str | None) -> str:
    return f"{expected} (did you mean {hint!r}?)" if hint else expected
