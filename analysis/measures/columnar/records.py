"""The household records as SQL over a :class:`Source`: normalised as the pandas path
normalises them, classified under a standard, with the grouping keys of every measure.

Numbers are read as :func:`analysis.review.validation.to_number` reads them (``1.500.000``
is 1,500,000); names are mapped to their canonical spelling by a lookup built once per
distinct name (see :mod:`.checks`), so no per-household Python runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from ...review import columns as c
from ...review.standards import Standard
from ..groups import ETHNIC_MINORITY, POOR_DISTRICT
from ..levels import COMMUNE_PROVINCE, DISTRICT_PROVINCE, group_keys
from .source import Source
from .sql import TRIMMED, literal, quote, status

#: Text columns whose values are names, mapped to canonical spellings.
NAME_COLUMNS: tuple[str, ...] = (c.PROVINCE, c.DISTRICT, c.COMMUNE, c.AREA, c.ETHNICITY, c.FORMER_COMMUNE)


def number(column: str, kind: pa.DataType | None) -> str:
    """SQL for a numeric column as a DOUBLE (text columns never get here: see :func:`text_numbers`)."""
    return f"CAST({quote(column)} AS DOUBLE)"


def text_numbers(source: Source) -> list[str]:
    """Numeric contract columns the files hold as text (read by the pandas path only, whose
    reading of ``800.000`` or ``1,500`` depends on the whole column)."""
    numeric = (c.YEAR, c.MEMBERS, c.INCOME, *c.INDICATOR_COLUMNS)
    return [
        col for col in numeric
        if col in source.types and not (pa.types.is_integer(source.types[col]) or pa.types.is_floating(source.types[col]) or pa.types.is_decimal(source.types[col]))
    ]


def household_id(kind: pa.DataType | None) -> str:
    """The identifier as text, trimmed as the pandas path trims it (Unicode spaces too)."""
    return f"trim(CAST({quote(c.HOUSEHOLD_ID)} AS VARCHAR), {literal(''.join(TRIMMED))})"


#: Statuses counted per distinct combination by :func:`status_counts` (the rest is above average).
COUNTED_STATUSES: tuple[str, ...] = ("poor", "near_poor", "average")


@dataclass(frozen=True)
class Tally:
    """Aggregates validation counts per distinct combination of the text columns, in its one
    pass over the files: the ``columns`` it reads beside them, SQL computed per record
    (``derived``) and aggregates over the records and those (``sums``)."""

    columns: tuple[str, ...] = ()
    derived: Mapping[str, str] = field(default_factory=dict)
    sums: Mapping[str, str] = field(default_factory=dict)


def status_areas(std: Standard) -> list[str]:
    """The areas the standard draws lines for."""
    lines = (std.extreme_line, std.income_line, std.average_line)
    return sorted({area for mapping in lines if mapping for area in mapping})


def status_count(name: str, area: str) -> str:
    """The column of :func:`status_counts` holding households of status ``name`` under ``area``'s lines."""
    return f"_{name}@{area}"


def status_counts(std: Standard, columns: Sequence[str]) -> Tally:
    """Households of each counted status under each area's lines, for validation to count per
    distinct combination of the text columns (a combination's area is canonical only once
    validated; any other area has no line, so its households are above average, as in
    classification). Meaningful on valid records only: there incomes are numbers and
    indicators 0 or 1. Each area's status is a small code per record, counted once per code."""
    indicators = [i for i in std.indicators if i in columns]
    income = f"CAST({quote(c.INCOME)} AS DOUBLE)"
    deprivations = "(" + (" + ".join(f"CAST({quote(i)} = 1 AS INTEGER)" for i in indicators) or "0") + ")"
    derived: dict[str, str] = {}
    sums: dict[str, str] = {}
    for n, area in enumerate(status_areas(std)):
        code = f"_status{n}"
        derived[code] = status(std, area=literal(area), income=income, deprivations=deprivations, labels=("0", "1", "2", "3"))
        for value, name in enumerate(COUNTED_STATUSES):
            sums[status_count(name, area)] = f"count_if({code} = {value})"
    return Tally((c.INCOME, *indicators), derived, sums)


def key_expressions(levels: Sequence[str], poor_districts: Sequence[str], province: str | None = None) -> dict[str, str]:
    """SQL for each key column of the levels (groups derived as :mod:`analysis.measures.groups`
    derives them; ``province``: the one the ``poor_districts`` are districts of)."""
    out: dict[str, str] = {}
    for key in group_keys(list(levels)):
        if key == ETHNIC_MINORITY:
            out[key] = f"coalesce(trim({quote(c.ETHNICITY)}) <> {literal(c.MAJORITY_ETHNICITY)}, false)"
        elif key == COMMUNE_PROVINCE:  # as :func:`analysis.measures.levels.commune_province`
            out[key] = f"CASE WHEN coalesce(trim({quote(c.DISTRICT)}), '') = '' THEN {quote(c.PROVINCE)} ELSE '' END"
        elif key == DISTRICT_PROVINCE:  # as :func:`analysis.measures.levels.district_province`
            out[key] = f"CASE WHEN coalesce(trim({quote(c.DISTRICT)}), '') = '' THEN '' ELSE {quote(c.PROVINCE)} END"
        elif key == POOR_DISTRICT:
            listed = ", ".join(literal(d) for d in poor_districts) or "NULL"
            mine = "" if province is None else f" AND {quote(c.PROVINCE)} = {literal(province)}"
            out[key] = f"coalesce({quote(c.DISTRICT)} IN ({listed}){mine}, false)"
        else:
            out[key] = quote(key)
    return out


def normalised(source: Source, std: Standard, names_table: str | None, where: str = "TRUE") -> str:
    """SQL of the validated records, normalised and classified: the contract columns, ``deprivations``,
    ``status``, ``_file`` and ``_row``; ``names_table`` maps raw names to canonical ones (None: already canonical)."""
    types = source.types
    indicators = [i for i in c.INDICATOR_COLUMNS if i in source.columns]
    raw = source.scan([*c.IDENTITY_COLUMNS, c.FORMER_COMMUNE, *indicators])  # columns absent from the files are left out
    present = [n for n in NAME_COLUMNS if n in source.columns]
    absent = [f"'' AS {quote(n)}" for n in NAME_COLUMNS if n not in source.columns]  # district, from 2025
    if names_table is None:
        names = ", ".join([f"r.{quote(n)}" for n in present] + absent)
        joined = f"({raw}) r"
    else:
        names = ", ".join([f"m.{quote('_' + n)} AS {quote(n)}" for n in present] + absent)
        on = " AND ".join(f"r.{quote(n)} IS NOT DISTINCT FROM m.{quote(n)}" for n in present)
        joined = f"({raw}) r JOIN {names_table} m ON {on}"
    flags = ", ".join(f"CAST({number(i, types.get(i))} AS TINYINT) AS {quote(i)}" for i in indicators)
    base = (
        f"SELECT {household_id(types.get(c.HOUSEHOLD_ID))} AS {quote(c.HOUSEHOLD_ID)}, "
        f"CAST({number(c.YEAR, types.get(c.YEAR))} AS BIGINT) AS {quote(c.YEAR)}, {names}, "
        f"CAST({number(c.MEMBERS, types.get(c.MEMBERS))} AS BIGINT) AS {quote(c.MEMBERS)}, "
        f"{number(c.INCOME, types.get(c.INCOME))} AS {quote(c.INCOME)}, {flags}, r._file, r._row FROM {joined}"
    )
    deprivations = " + ".join(f"CAST({quote(i)} AS BIGINT)" for i in std.indicators)
    counted = f"SELECT *, {deprivations} AS {quote(c.DEPRIVATIONS)} FROM ({base}) b WHERE {where}"
    return f"SELECT *, {status(std)} AS {quote(c.STATUS)} FROM ({counted}) d"
