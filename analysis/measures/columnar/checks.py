"""Validation of a columnar review with the pandas path's own rules and messages.

Two passes, neither of which builds a frame of the households:

1. the text columns (year, names, area, ethnicity) are checked once per *distinct* value
   combination by :func:`analysis.review.validation.check_households` itself, which also
   gives the canonical spelling of every name; the numbers, identifiers and duplicates are
   counted in SQL with the same rules;
2. only when a problem is found, the files are read again in chunks and each chunk goes
   through ``check_households`` (and duplicates through SQL), so the report names the same
   files, rows, columns, values and expectations as the pandas path does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ...errors import DataError, Problem
from ...review import columns as c
from ...review.loading import load_aliases, rename_columns
from ...review.standards import Standard
from ...review.units import Units
from ...review.validation import EXAMPLES_PER_CHECK, check_households
from .records import NAME_COLUMNS, Tally, household_id, number
from .source import Source, quote
from .sql import SORTED_CHECK_ROWS, needs_exact_id_check, ranges_apart

#: Records per chunk when a file with problems is read again for the report.
CHUNK_ROWS = 250_000

#: Columns checked per row in SQL (the others are checked per distinct value).
_PER_ROW = (c.HOUSEHOLD_ID, c.MEMBERS, c.INCOME, *c.INDICATOR_COLUMNS)


@dataclass
class Validated:
    """What validation found: records, review years, and (when clean) the name lookup."""

    rows: int
    years: list[int]
    problems: list[Problem] = field(default_factory=list)
    total: int = 0
    names_table: str | None = None
    #: Each distinct combination of the text columns with its households (``_n``) and canonical values (``_<column>``).
    distinct: pd.DataFrame = field(default_factory=pd.DataFrame)


def validate(source: Source, std: Standard, units: Units | None = None, tally: Tally | None = None) -> Validated:
    """Check every record of the source; the problems as the pandas path reports them.

    ``tally`` is counted per distinct combination of the text columns in the same pass (its
    sums become columns of ``distinct``), so measures by the units the combinations name
    need no second pass over the files.
    """
    distinct, names_total, years = _check_values(source, std, units, tally or Tally())
    if names_total == 0 and not _row_problems(source):
        return Validated(int(distinct["_n"].sum()), years, names_table=_register_names(source, distinct), distinct=distinct)
    problems, total = detailed_problems(source, std, units)
    rows = source.rows
    if total == 0:  # a hash collision, or an extreme value that is fine: the exact check found nothing
        return Validated(rows, years, names_table=_register_names(source, distinct), distinct=distinct)
    return Validated(rows, years, problems, total)


def require_valid(source: Source, std: Standard, units: Units | None = None, tally: Tally | None = None) -> Validated:
    """:func:`validate`, raising :class:`DataError` listing the problems."""
    checked = validate(source, std, units, tally)
    if checked.total:
        raise DataError(checked.problems, total=checked.total)
    return checked


def _distinct_columns(source: Source) -> list[str]:
    return [col for col in source.columns if col not in _PER_ROW]


#: Numeric columns whose every distinct value is checked (few values); the others by their extremes.
_FEW_VALUES = (c.MEMBERS, *c.INDICATOR_COLUMNS)
#: Placeholders that pass validation, for the cells of the rows that test another column.
_VALID = {c.MEMBERS: 1, c.INCOME: 0}


def _check_values(source: Source, std: Standard, units: Units | None, tally: Tally) -> tuple[pd.DataFrame, int, list[int]]:
    """``check_households`` itself on every distinct combination of the text columns, and on
    the values of the numbers worth checking (every whole number between an integer column's
    extremes when they are close, else the extremes; any missing value).

    The combinations are few (a few per commune and year) and the extremes come from the
    Parquet statistics, so the check costs the same whatever the number of households.
    Numbers in Parquet are typed, so each value's validity does not depend on the others.
    A problem found here only says that the files need the exact report.
    """
    cols = _distinct_columns(source)
    numeric = [col for col in source.columns if col in _PER_ROW and col != c.HOUSEHOLD_ID]
    listed = ", ".join(quote(col) for col in cols)
    group = " GROUP BY ALL ORDER BY ALL" if cols else ""
    counted = "".join(f", {expr} AS {quote(name)}" for name, expr in tally.sums.items())
    records = source.scan(cols + [col for col in tally.columns if col not in cols])
    if tally.derived:
        records = f"SELECT *, {', '.join(f'{expr} AS {quote(name)}' for name, expr in tally.derived.items())} FROM ({records})"
    distinct = source.query(f"SELECT {listed}{', ' if listed else ''}count(*) AS _n{counted} FROM ({records}){group}")
    stats = ", ".join(
        f"min({quote(col)}) AS _lo{i}, max({quote(col)}) AS _hi{i}, count(*) - count({quote(col)}) AS _na{i}" for i, col in enumerate(numeric)
    )
    found = source.query(f"SELECT {stats} FROM ({source.scan(numeric)})").iloc[0] if numeric else pd.Series(dtype=object)
    raw = distinct[cols].copy()
    for col in numeric:
        raw[col] = _VALID.get(col, 0)
    tests = [raw]
    if len(raw):
        for i, col in enumerate(numeric):
            values = _values_to_test(source, col, found, i)
            if len(values):
                extra = raw.iloc[[0] * len(values)].copy()
                extra[col] = pd.Series(values, index=extra.index, dtype=object)
                tests.append(extra)
    frame = pd.concat(tests, ignore_index=True)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    if c.HOUSEHOLD_ID in source.columns:
        frame[c.HOUSEHOLD_ID] = [f"_{i}" for i in range(len(frame))]
    checked = check_households(frame, str(source.files[0]), std, units)
    if checked.total or checked.frame.empty:
        return distinct, checked.total or 1, []
    out = distinct[cols + ["_n", *tally.sums]].copy()
    for col in (*NAME_COLUMNS, c.YEAR):
        if col in checked.frame:
            out["_" + col] = checked.frame[col].to_numpy()[: len(distinct)]
    years = sorted(int(y) for y in pd.unique(out["_" + c.YEAR])) if "_" + c.YEAR in out else []
    return out, 0, years


def _values_to_test(source: Source, col: str, found: pd.Series, i: int) -> list[object]:
    """The values of a numeric column worth checking: every whole number between the extremes of
    an integer column when they are close (a superset of its values), else the extremes (all
    distinct values for a fractional column of few values); a missing cell as None."""
    lo, hi, missing = found[f"_lo{i}"], found[f"_hi{i}"], int(found[f"_na{i}"])
    tail: list[object] = [None] if missing else []
    if pd.isna(lo) or pd.isna(hi):
        return tail
    if pa.types.is_integer(source.types[col]):
        if int(hi) - int(lo) <= 1000:
            return list(range(int(lo), int(hi) + 1)) + tail
        return [int(lo), int(hi)] + tail
    if col in _FEW_VALUES:
        few = source.query(f"SELECT DISTINCT {quote(col)} AS v FROM ({source.scan([col])}) LIMIT 1001")["v"].tolist()
        if len(few) <= 1000:
            return [None if pd.isna(v) else v for v in few]
    odd = source.query(f"SELECT count_if(NOT isfinite(CAST({quote(col)} AS DOUBLE))) FROM ({source.scan([col])})").iloc[0, 0]
    return [lo, hi] + tail + ([float("nan")] if odd else [])




def _row_problems(source: Source) -> int:
    """Identifiers that are blank, hold NUL or need trimming, and repeated (year, household_id),
    counted in SQL on the raw identifiers (trimming every one costs more than the rest of the
    check). Repeats: none when each file's identifiers only ever increase and the files' ranges
    do not overlap (a review is usually written sorted by id: checked with ``lag`` a file at a
    time, in far less memory and time than a hash of every identifier); otherwise by hash (a
    collision only sends the files to the exact report)."""
    if c.HOUSEHOLD_ID not in source.columns:
        return 0
    raw = quote(c.HOUSEHOLD_ID)
    hid = f"CAST({raw} AS VARCHAR)"
    bad = f"{raw} IS NULL OR {needs_exact_id_check(hid)}"
    # Strictly increasing raw values are distinct, so are their texts, trimmed or not (any that
    # need trimming are counted as problems above and go to the exact report).
    ranges: list[tuple[Any, Any]] = []
    bad_ids, ordered = 0, max(m.num_rows for m in source.metadata) <= SORTED_CHECK_ROWS
    for path in source.files if ordered else []:
        one = Source([path], source.aliases_path, source.province_codes, source.con)
        scan = f"SELECT {raw}, lag({raw}) OVER () AS _previous FROM ({one.scan([c.HOUSEHOLD_ID])})"
        found = one.query(f"SELECT count_if({bad}) AS bad, count_if(NOT ({raw} > _previous)) AS unordered, min({raw}) AS lo, max({raw}) AS hi FROM ({scan})")
        bad_ids += int(found["bad"].iloc[0])
        ordered = ordered and not int(found["unordered"].iloc[0])
        ranges.append((found["lo"].iloc[0], found["hi"].iloc[0]))
    if bad_ids:
        return bad_ids
    if ordered and ranges_apart(ranges):
        return 0
    types = source.types
    year = f"CAST(trunc(coalesce({number(c.YEAR, types.get(c.YEAR))}, 0)) AS BIGINT)"
    scan = source.scan([c.YEAR, c.HOUSEHOLD_ID])
    found = source.query(
        f"SELECT (SELECT count_if({bad}) FROM ({scan})) AS bad, "
        f"(SELECT count(*) FROM (SELECT hash({year}, {hid}) AS h FROM ({scan}) GROUP BY h HAVING count(*) > 1)) AS repeats"
    )
    return int(found["bad"].iloc[0]) + int(found["repeats"].iloc[0])


def _register_names(source: Source, distinct: pd.DataFrame) -> str | None:
    """A DuckDB table mapping raw names to canonical ones; None when every name is already canonical."""
    cols = [col for col in NAME_COLUMNS if col in distinct and "_" + col in distinct]
    lookup = distinct[cols + ["_" + col for col in cols]].drop_duplicates(cols)
    if all((lookup[col].astype(object) == lookup["_" + col].astype(object)).all() for col in cols):
        return None
    source.con.register("_names_lookup", lookup)
    source.con.execute("CREATE OR REPLACE TEMP TABLE names_map AS SELECT * FROM _names_lookup")
    source.con.unregister("_names_lookup")
    return "names_map"


def detailed_problems(source: Source, std: Standard, units: Units | None) -> tuple[list[Problem], int]:
    """The exact report: each file in chunks through ``check_households``, then duplicates."""
    aliases = load_aliases(source.aliases_path)
    problems: list[Problem] = []
    total = 0
    for path in source.files:
        found: list[Problem] = []
        offset = 1
        try:
            batches = pq.ParquetFile(path).iter_batches(batch_size=CHUNK_ROWS)
            for batch in batches:
                table = batch.to_pandas()
                table.index = pd.RangeIndex(offset, offset + len(table))
                offset += len(table)
                renamed, renaming = rename_columns(table, str(path), aliases)
                checked = check_households(renamed, str(path), std, units)
                found += renaming + checked.problems
                total += len(renaming) + checked.total
                if checked.frame.empty:  # missing columns: said once for the file
                    break
        except DataError:
            raise
        except Exception as err:  # a damaged page: name the file
            raise DataError([Problem(str(path), f"not a readable Parquet file ({type(err).__name__} at record {offset})")]) from None
        problems += sorted(found, key=lambda p: p.row or 0)
    if c.YEAR in source.columns and c.HOUSEHOLD_ID in source.columns:
        dup, dup_total = _duplicates(source)
        problems += dup
        total += dup_total
    return problems, total


def _duplicates(source: Source) -> tuple[list[Problem], int]:
    """Each repeated (year, household_id) after its first occurrence, as validation.duplicate_problems says it."""
    types = source.types
    year = f"CAST(trunc(coalesce({number(c.YEAR, types.get(c.YEAR))}, 0)) AS BIGINT)"
    numbered = (
        f"SELECT _file, _row, {year} AS y, {household_id(types.get(c.HOUSEHOLD_ID))} AS h, "
        f"row_number() OVER (PARTITION BY {year}, {household_id(types.get(c.HOUSEHOLD_ID))} ORDER BY _file, _row) AS n "
        f"FROM ({source.scan([c.YEAR, c.HOUSEHOLD_ID])})"
    )
    sql = f"SELECT _file, _row, y, h, count(*) OVER () AS total FROM ({numbered}) WHERE n > 1 ORDER BY _file, _row LIMIT {EXAMPLES_PER_CHECK}"
    rows = source.query(sql)
    if rows.empty:
        return [], 0
    problems = [
        Problem(str(source.files[int(f)]), f"a household_id unique within year {int(y)}", int(row), c.HOUSEHOLD_ID, str(h))
        for f, row, y, h in zip(rows["_file"].tolist(), rows["_row"].tolist(), rows["y"].tolist(), rows["h"].tolist())
    ]
    return problems, int(rows["total"].sum() // len(rows))
