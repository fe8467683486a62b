"""The lean ``summary``: ``python -m analysis summary`` on a large Parquet review without
pandas or pyarrow, whose import alone costs more than counting a million records.

It answers the common case only: clean records whose names are already spelled as the
reference units spell them, numbers stored as numbers, a level whose units are named
without ambiguity. For anything else :func:`lean_summary` gives way (returns None, having
printed nothing) and the columnar engine (:mod:`.engine`) answers as before, with the same
checks, errors and messages. What it prints is the engine's table, figure for figure and
character for character (``tests/test_summary_lean.py`` compares them).

The work is three DuckDB queries, whose results are small: the numbers' extremes and missing
cells (from the Parquet statistics), the households by status per distinct combination of the
text columns (one pass over the files), and the identifiers' check (blank or repeated; as
:func:`.checks._row_problems`); the last two run side by side, each on a thread of its own,
while the reference names are read. Each combination is then checked in plain Python by the rules
of :func:`analysis.review.validation.check_households`, and the table grouped, labelled and
ordered as :meth:`.engine.ColumnarReview.poverty_rates` does.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

try:  # DuckDB's C++ extension alone: the ``duckdb`` package's Python layer (its relational
    # API, a version lookup through importlib.metadata) takes longer to import (about 40 ms,
    # a seventh of this command) than counting the records; it re-exports this module.
    import _duckdb as duckdb
except ImportError:  # a DuckDB whose extension has another name (older releases: duckdb.duckdb)
    import duckdb  # type: ignore[no-redef]

from ...paths import ALIASES_PATH, BUNDLED_HOUSEHOLDS
from ...review import columns as c
from ...review.reference import (
    DIVISIONS,
    NEW,
    NEW_DIVISION_FROM_YEAR,
    OLD,
    ProvinceNames,
    former_communes,
    named_former,
    province_index,
    province_names,
    province_order,
)
from ...review.spellings import AREA_WORDS, ETHNIC_SPELLINGS, clean_text, find_name, name_index, name_key
from ...review.standards import Standard
from ...review.suffixes import PARQUET_SUFFIXES
from ...spreadsheet import neutralise
from ..scopes import ETHNIC_MINORITY, GROUP_LABELS, POOR_DISTRICT
from .sql import SORTED_CHECK_ROWS, literal, needs_exact_id_check, quote, ranges_apart, status

#: From this many records ``--engine auto`` is columnar (:mod:`.choice` reads it here).
COLUMNAR_ROWS = 500_000

#: The levels taken here, with their key columns (the engine's keys no output shows are
#: constant here: see :func:`_unambiguous`).
KEYS: dict[str, tuple[str, ...]] = {
    "province": (c.PROVINCE,),
    "district": (c.DISTRICT,),
    "commune": (c.DISTRICT, c.COMMUNE),
    "area": (c.AREA,),
    "ethnicity": (c.ETHNICITY,),
    ETHNIC_MINORITY: (ETHNIC_MINORITY,),
    POOR_DISTRICT: (POOR_DISTRICT,),
    "year": (c.YEAR,),
}
#: The counts of :func:`analysis.measures.breakdowns.poverty_rates` and the measures given as rates.
COUNTS: tuple[str, ...] = ("households", "poor", "near_poor", "poor_or_near_poor", "average")
RATES: tuple[str, ...] = ("poor", "near_poor", "poor_or_near_poor", "average")

_INTEGERS = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"})
_FLOATS = frozenset({"FLOAT", "DOUBLE"})
_TEXT_COLUMNS = (c.YEAR, c.PROVINCE, c.DISTRICT, c.COMMUNE, c.AREA, c.ETHNICITY, c.FORMER_COMMUNE)


class GiveWay(Exception):
    """The lean path does not take this input: the columnar engine answers."""


@dataclass(frozen=True)
class Combination:
    """One distinct combination of the text columns with its households by status (canonical names)."""

    year: int
    province: str
    district: str
    commune: str
    area: str
    ethnicity: str
    former: str  # the former commune of a new-division record ('' where none is given)
    households: int
    poor: int
    near_poor: int
    average: int


def lean_summary(args: Any) -> int | None:
    """Print ``summary``'s table for ``args`` and return the exit code, or None (nothing
    printed) when the columnar engine should answer."""
    try:
        levels = _levels(args)
        files = _files(args.data or [BUNDLED_HOUSEHOLDS])
        table, synthetic = _summary(files, args, levels)
        text = _render(table, args.format)
    except (GiveWay, duckdb.Error, OSError, ValueError, KeyError):
        return None
    if synthetic:
        print(c.SYNTHETIC_NOTE, file=sys.stderr)
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0


def _levels(args: Any) -> list[str]:
    """The levels of ``--by`` this path takes (the same command the engine runs otherwise)."""
    if getattr(args, "division", None) or getattr(args, "persons", False) or getattr(args, "province", None):
        raise GiveWay
    if getattr(args, "engine", "auto") == "pandas" or "," in str(getattr(args, "standard", "")):
        raise GiveWay
    if args.by is None:
        return []
    levels = [level.strip() for level in str(args.by).split(",") if level.strip()]
    if not levels or len(set(levels)) != len(levels) or any(level not in KEYS for level in levels):
        raise GiveWay
    return levels


def _files(paths: Sequence[str | Path]) -> tuple[list[Path], bool]:
    """The Parquet files of ``paths`` (as :func:`.source.parquet_files` lists them) and whether a folder was named."""
    files: list[Path] = []
    folder = False
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PARQUET_SUFFIXES)
            if not found:
                raise GiveWay
            files.extend(found)
            folder = True
        elif path.is_file() and path.suffix.lower() in PARQUET_SUFFIXES:
            files.append(path)
        else:
            raise GiveWay
    return files, folder


def connect() -> duckdb.DuckDBPyConnection:
    """DuckDB as :func:`.source.connect` opens it (memory limit, threads, spill folder)."""
    memory = os.environ.get("ANALYSIS_DUCKDB_MEMORY", "1GB")
    threads = int(os.environ.get("ANALYSIS_DUCKDB_THREADS", "0") or 0) or min(os.cpu_count() or 1, 4)
    con = duckdb.connect(config={"threads": threads, "memory_limit": memory})
    con.execute("SET enable_progress_bar = false")
    con.execute("SET temp_directory = ?", [tempfile.gettempdir() + "/analysis-duckdb"])
    con.execute("SET preserve_insertion_order = true")  # the identifiers' order check reads the files in order
    return con


# --- the files ------------------------------------------------------------------------


@dataclass
class Files:
    paths: list[Path]
    columns: dict[str, str]  # contract name -> the files' column
    types: dict[str, str]  # contract name -> DuckDB type
    con: duckdb.DuckDBPyConnection

    def scan(self, paths: Sequence[Path] | None = None) -> str:
        listed = ", ".join(literal(str(p)) for p in (paths or self.paths))
        return f"read_parquet([{listed}], hive_partitioning = false)"

    def col(self, name: str) -> str:
        return quote(self.columns[name])

    def cursor(self) -> Files:
        """The same files on a cursor of their own, for a query on another thread."""
        return replace(self, con=self.con.cursor())


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    """As :func:`analysis.review.loading.load_aliases` (the bundled aliases)."""
    aliases = {name_key(col): col for col in c.IDENTITY_COLUMNS + c.OPTIONAL_COLUMNS + c.INDICATOR_COLUMNS}
    with Path(ALIASES_PATH).open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if not row.get("alias") or not row.get("column"):
                raise GiveWay
            aliases[name_key(row["alias"])] = row["column"]
    return aliases


def _open(listed: tuple[list[Path], bool], engine: str, con: duckdb.DuckDBPyConnection) -> Files:
    paths, folder = listed
    names = ", ".join(literal(str(p)) for p in paths)
    rows = dict(con.execute(f"SELECT file_name, num_rows FROM parquet_file_metadata([{names}])").fetchall())
    if len(rows) != len(paths) or any(n == 0 for n in rows.values()):
        raise GiveWay
    if engine == "auto" and not folder and sum(rows.values()) < COLUMNAR_ROWS:
        raise GiveWay  # the pandas path's
    schema: list[tuple[str, str]] | None = None
    for path in paths:
        described = [(str(r[0]), str(r[1])) for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({literal(str(path))}, hive_partitioning = false)").fetchall()]
        if schema is not None and described != schema:
            raise GiveWay
        schema = described
    columns: dict[str, str] = {}
    types: dict[str, str] = {}
    aliases = _aliases()
    for name, kind in schema or []:
        target = aliases.get(name_key(name))
        if target is None or name == "__index_level_0__":
            continue
        if target in columns:
            raise GiveWay  # a column given twice: the engine says so
        columns[target] = name
        types[target] = kind
    return Files(paths, columns, types, con)


def _synthetic(files: Files) -> bool:
    """Whether the first or last file's metadata says the data are synthetic (as :class:`.source.Source`)."""
    ends = [files.paths[0], files.paths[-1]]
    listed = ", ".join(literal(str(p)) for p in dict.fromkeys(ends))
    rows = files.con.execute(f"SELECT decode(key), decode(value) FROM parquet_kv_metadata([{listed}])").fetchall()
    return any(k == "synthetic" and v == "true" for k, v in rows)


# --- checks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Statistics:
    """What the Parquet statistics say before any pass: the years' range, and the province
    when every record names the same one (else None)."""

    years: tuple[int, int]
    province: str | None


def _check_numbers(files: Files, std: Standard) -> Statistics:
    """Year, members, income and every indicator: stored as numbers, none missing, within
    the contract's bounds (:data:`analysis.review.validation.BOUNDS`), flags 0 or 1. From
    the Parquet statistics: before any pass over the records."""
    needed = [col for col in c.IDENTITY_COLUMNS if col != c.DISTRICT] + list(std.indicators)
    if any(col not in files.columns for col in needed):
        raise GiveWay
    types = files.types
    if any(types.get(col) not in ("VARCHAR",) for col in (c.PROVINCE, c.COMMUNE, c.AREA, c.ETHNICITY)):
        raise GiveWay
    if any(col in types and types[col] != "VARCHAR" for col in (c.DISTRICT, c.FORMER_COMMUNE)):
        raise GiveWay
    if types[c.HOUSEHOLD_ID] != "VARCHAR" and types[c.HOUSEHOLD_ID] not in _INTEGERS:
        raise GiveWay
    indicators = [i for i in c.INDICATOR_COLUMNS if i in files.columns]
    bounds = {c.YEAR: (1990, 2100), c.MEMBERS: (1, 50), c.INCOME: (0, 1_000_000_000)} | dict.fromkeys(indicators, (0, 1))
    for col in bounds:
        if types[col] not in _INTEGERS and not (col == c.INCOME and types[col] in _FLOATS):
            raise GiveWay
    parts = [f"min({files.col(col)}), max({files.col(col)}), count(*) - count({files.col(col)})" for col in bounds]
    parts.append(f"min({files.col(c.PROVINCE)}), max({files.col(c.PROVINCE)})")
    parts.append(f"count_if(NOT isfinite({files.col(c.INCOME)}))" if types[c.INCOME] in _FLOATS else "0")
    found = files.con.execute(f"SELECT {', '.join(parts)} FROM {files.scan()}").fetchone()
    if found is None or found[-1]:
        raise GiveWay
    for n, (low, high) in enumerate(bounds.values()):
        lo, hi, missing = found[3 * n: 3 * n + 3]
        if missing or lo is None or hi is None or lo < low or hi > high:
            raise GiveWay
    first, last = found[-3:-1]
    return Statistics((int(found[0]), int(found[1])), first if first == last else None)


def _check_ids(files: Files) -> None:
    """No identifier missing, none repeated in a year (the rules of
    :func:`.checks._row_problems`, more strictly: any doubt gives way); blank ones and ones
    needing trimming are counted in the combinations' pass (:func:`_combination_rows`).
    Missing ones are seen in the Parquet statistics; then one pass per file checks that its
    identifiers only increase, and the files' ranges must be apart, else a hash of every
    (year, household_id)."""
    raw = files.col(c.HOUSEHOLD_ID)
    text = files.types[c.HOUSEHOLD_ID] == "VARCHAR"
    found = files.con.execute(f"SELECT count(*) - count({raw}), min({raw}) FROM {files.scan()}").fetchone()
    if found is None or found[0] or (text and not found[1] >= "!"):
        raise GiveWay
    sizes = files.con.execute(f"SELECT max(num_rows) FROM parquet_file_metadata([{', '.join(literal(str(p)) for p in files.paths)}])").fetchone()
    ordered = sizes is not None and sizes[0] <= SORTED_CHECK_ROWS
    ranges: list[tuple[Any, Any]] = []
    for path in files.paths if ordered else []:
        scan = f"SELECT {raw}, lag({raw}) OVER () AS _previous FROM {files.scan([path])}"
        found = files.con.execute(f"SELECT count_if(NOT ({raw} > _previous)) FROM ({scan})").fetchone()
        extremes = files.con.execute(f"SELECT min({raw}), max({raw}) FROM {files.scan([path])}").fetchone()
        if found is None or found[0] or extremes is None:
            ordered = False
            break
        ranges.append(extremes)
    if ordered and ranges_apart(ranges):
        return
    year = f"CAST({files.col(c.YEAR)} AS BIGINT)"
    found = files.con.execute(
        f"SELECT count(*) FROM (SELECT hash({year}, CAST({raw} AS VARCHAR)) AS h FROM {files.scan()} GROUP BY h HAVING count(*) > 1)"
    ).fetchone()
    if found is None or found[0]:
        raise GiveWay


def _blank(value: object) -> bool:
    return value is None or str(value).strip() == ""


@lru_cache(maxsize=65536)
def _canonical_former(value: str, province: str, commune: str) -> bool:
    """Whether ``value`` is already the canonical name of exactly one old commune the
    crosswalk sends into the (new) commune, as ``places._former`` matches it
    (:func:`analysis.review.reference.named_former`); a name two old communes share gives way,
    and the engine reports it."""
    units = province_names(province, NEW)
    sources = former_communes(units.code, units.commune_codes[commune])
    hits = named_former(sources, value)
    return len(hits) == 1 and hits[0].label(sources) == value


@lru_cache(maxsize=4096)
def _canonical_group(area: object, ethnicity: object) -> bool:
    """Whether the area is 'rural' or 'urban' and the ethnic group is spelled as validation
    writes it (:data:`.spellings.ETHNIC_SPELLINGS`, else as written in NFC, trimmed)."""
    if not isinstance(area, str) or AREA_WORDS.get(name_key(area)) != area:
        return False
    if not isinstance(ethnicity, str) or _blank(ethnicity):
        return False
    return ETHNIC_SPELLINGS.get(name_key(ethnicity), clean_text(ethnicity)) == ethnicity


@lru_cache(maxsize=65536)
def _canonical(value: object, division: str, province: str | None = None, district: str | None = None, *, communes: bool = False) -> bool:
    """Whether ``value`` is already the canonical name it spells (as the place checks look it
    up): a province of ``division``, a district of ``province``, or with ``communes`` a
    commune of ``district`` (of ``province`` in the new division). Once per distinct name."""
    if not isinstance(value, str) or value.strip() == "":
        return False
    return find_name(_index(division, province, district, communes), value) == value


@lru_cache(maxsize=4096)
def _index(division: str, province: str | None, district: str | None, communes: bool) -> dict[str, str]:
    if province is None:
        return province_index(division)
    units = province_names(province, division)
    return name_index(units.districts if not communes else units.communes_by_district[district] if district is not None else units.communes)


def _combination_rows(files: Files, std: Standard) -> list[tuple[Any, ...]]:
    """Households by status per distinct combination of the text columns (one pass): the
    text columns present (:data:`_TEXT_COLUMNS` order), then households, poor, near-poor,
    average, and the identifiers that are blank or may need trimming
    (:func:`.sql.needs_exact_id_check`: any gives way)."""
    present = [col for col in _TEXT_COLUMNS if col in files.columns]
    bad = needs_exact_id_check(quote(c.HOUSEHOLD_ID)) if files.types[c.HOUSEHOLD_ID] == "VARCHAR" else "false"
    renamed = ", ".join(f"{files.col(col)} AS {quote(col)}" for col in [*present, c.HOUSEHOLD_ID, c.INCOME, *std.indicators])
    deprivations = "(" + " + ".join(quote(i) for i in std.indicators) + ")"
    # Each record's status under its own area's lines; a combination whose area is not
    # exactly 'rural' or 'urban' gives way below, so the lines can be arithmetic on a flag.
    code = status(std, area=quote(c.AREA), income=quote(c.INCOME), deprivations=deprivations, labels=("0", "1", "2", "3"), urban="_urban")
    keys = ", ".join(quote(col) for col in present)
    sql = (
        f"SELECT {keys}, count(*), count_if(_s = 0), count_if(_s = 1), count_if(_s = 2), count_if({bad}) FROM (SELECT *, {code} AS _s "
        f"FROM (SELECT *, CAST({quote(c.AREA)} = {literal(c.URBAN)} AS INTEGER) AS _urban FROM (SELECT {renamed} FROM {files.scan()}))) GROUP BY ALL"
    )
    return files.con.execute(sql).fetchall()


def _combinations(files: Files, rows: list[tuple[Any, ...]]) -> list[Combination]:
    """The combinations of :func:`_combination_rows`, each checked as
    :func:`analysis.review.validation.check_households` checks its cells; a name not already
    canonical, or any problem, gives way (the engine reports it)."""
    present = [col for col in _TEXT_COLUMNS if col in files.columns]
    out = []
    for row in rows:
        cells = dict(zip(present, row))
        n, poor, near_poor, average, bad_ids = row[len(present):]
        if bad_ids:
            raise GiveWay
        out.append(_checked(cells, c.DISTRICT in files.columns, c.FORMER_COMMUNE in files.columns, (n, poor, near_poor, average)))
    return out


def _counted_and_checked(files: Files, std: Standard) -> list[Combination]:
    """:func:`_check_numbers`, then :func:`_combinations`, with the identifiers' check
    (:func:`_check_ids`) beside them: each pass on a cursor of its own thread (DuckDB
    releases the GIL) while this thread reads the reference names the combinations are
    checked against, so the passes share the cores. Any GiveWay or DuckDB error is raised
    here, once both threads are done."""
    ids = _Background(_check_ids, files.cursor())
    rows: _Background | None = None
    try:
        stats = _check_numbers(files, std)
        rows = _Background(_combination_rows, files.cursor(), std)
        _read_references(stats)
        return _combinations(files, rows.result())
    finally:
        if rows is not None:
            rows.wait()
        ids.result()


class _Background:
    """A call run on a thread of its own: :meth:`result` waits for it and raises its error."""

    def __init__(self, call: Callable[..., Any], *args: Any) -> None:
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(call, args), name="lean", daemon=True)
        self._thread.start()

    def _run(self, call: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            self._value = call(*args)
        except BaseException as err:  # handed to the caller by result()
            self._error = err

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> Any:
        self.wait()
        if self._error is not None:
            raise self._error
        return self._value


def _read_references(stats: Statistics) -> None:
    """Read, ahead of the checks that need them, the units of the province every record names
    (when the statistics say one does) in the divisions of the years they give (cached)."""
    low, high = stats.years
    divisions = {OLD if year < NEW_DIVISION_FROM_YEAR else NEW for year in (low, high)}
    for division in sorted(divisions):
        province = stats.province
        if province is None or find_name(province_index(division), province) != province:
            continue
        if division == OLD:
            _index(division, province, None, False)
            for district in province_names(province, division).districts:
                _index(division, province, district, True)
        else:
            _index(division, province, None, True)


def _checked(cells: dict[str, Any], has_district: bool, has_former: bool, counts: tuple[int, int, int, int]) -> Combination:
    year = cells[c.YEAR]
    division = NEW if year >= NEW_DIVISION_FROM_YEAR else OLD
    province, commune = cells[c.PROVINCE], cells[c.COMMUNE]
    if not _canonical(province, division):
        raise GiveWay
    district: str = ""
    if division == OLD:
        district = cells.get(c.DISTRICT) or ""  # not a name: fails the check below
        if not has_district or not _canonical(district, division, province):
            raise GiveWay
        if not _canonical(commune, division, province, district, communes=True):
            raise GiveWay
        former = cells.get(c.FORMER_COMMUNE)
        if has_former and not _blank(former) and name_key(str(former)) != name_key(commune):
            raise GiveWay
    former = ""
    if division == NEW:
        if has_district and not _blank(cells.get(c.DISTRICT)):
            raise GiveWay
        if not _canonical(commune, division, province, communes=True):
            raise GiveWay
        given = cells.get(c.FORMER_COMMUNE)
        if has_former and not _blank(given):
            if not _canonical_former(given, province, commune):
                raise GiveWay
            former = str(given)
    area, ethnicity = cells[c.AREA], cells[c.ETHNICITY]
    if not _canonical_group(area, ethnicity):
        raise GiveWay
    n, poor, near_poor, average = (int(v) for v in counts)
    return Combination(int(year), province, district, commune, area, ethnicity, former, n, poor, near_poor, average)


# --- the table --------------------------------------------------------------------------


def _reference(combos: list[Combination]) -> ProvinceNames:
    """The units :func:`analysis.review.units.units_for` picks from the combinations (as
    :attr:`.engine.ColumnarReview.units` weighs them): the province of most households'
    weight among old-division years, else among all; a tie gives way."""
    counts: dict[tuple[int, str, str], int] = {}
    for combo in combos:
        key = (combo.year, combo.province, combo.former)
        counts[key] = counts.get(key, 0) + combo.households
    total = max(sum(counts.values()), 1)
    old = {k: v for k, v in counts.items() if k[0] < NEW_DIVISION_FROM_YEAR}
    chosen = old or counts
    weights: dict[str, int] = {}
    for (_, province, _), n in chosen.items():
        weights[province] = weights.get(province, 0) + 1 + n * 1000 // total
    ranked = sorted(weights.values(), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0] == ranked[1]):
        raise GiveWay
    province = next(p for p, w in weights.items() if w == ranked[0])
    return province_names(province, OLD if old else NEW)


def _unambiguous(combos: list[Combination], levels: list[str]) -> None:
    """Districts and communes only where every name is one unit: one province, and no
    commune name under two districts (the engine then labels them by name alone, and its
    keys no output shows are the same on every row)."""
    if not {"district", "commune"} & set(levels):
        return
    if len({k.province for k in combos}) > 1 or any(k.year >= NEW_DIVISION_FROM_YEAR for k in combos):
        raise GiveWay
    homes: dict[str, str] = {}
    for k in combos:
        if homes.setdefault(k.commune, k.district) != k.district:
            raise GiveWay


def _key(combo: Combination, key: str, poor_districts: list[str], province: str) -> Any:
    if key == ETHNIC_MINORITY:
        return combo.ethnicity.strip(" ") != c.MAJORITY_ETHNICITY
    if key == POOR_DISTRICT:
        return combo.district in poor_districts and combo.province == province  # a same-named district of another province is not
    return getattr(combo, key)


def _rank(values: list[Any], order: list[Any]) -> dict[Any, int]:
    """As :func:`analysis.measures.levels._rank`: position in ``order``, others after, alphabetically."""
    position = {v: i for i, v in enumerate(order)}
    extra = sorted({v for v in values if v not in position}, key=str)
    position.update({v: len(order) + i for i, v in enumerate(extra)})
    return position


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Any]]


def _summary(listed: tuple[list[Path], bool], args: Any, levels: list[str]) -> tuple[Table, bool]:
    from ...review.standards import get_standard

    std = get_standard(args.standard)
    connecting = _Background(connect)
    for division in DIVISIONS:  # the provinces' names, read while DuckDB starts
        _index(division, None, None, False)
    files = _open(listed, getattr(args, "engine", "auto"), connecting.result())
    synthetic = _Background(_synthetic, files.cursor())
    combos = _counted_and_checked(files, std)
    if not combos:
        raise GiveWay
    years = sorted({k.year for k in combos})
    if args.year is None:
        chosen = None if "year" in levels else years[-1]
    elif int(args.year) in years:
        chosen = int(args.year)
    else:
        raise GiveWay  # the engine says which years there are
    if args.by is None and chosen is not None:  # the command's default: district, or commune for a year on the new division
        levels = ["commune" if chosen >= NEW_DIVISION_FROM_YEAR else "district"]
    units = _reference(combos)
    shown = [k for k in combos if chosen is None or k.year == chosen]
    _unambiguous(shown, levels)
    keys = list(dict.fromkeys(key for level in levels for key in KEYS[level]))
    groups: dict[tuple[Any, ...], list[int]] = {}
    for k in shown:
        sums = groups.setdefault(tuple(_key(k, key, units.poor_districts, units.province) for key in keys), [0, 0, 0, 0, 0])
        for i, n in enumerate((k.households, k.poor, k.near_poor, k.poor + k.near_poor, k.average)):
            sums[i] += n
    provinces = list(dict.fromkeys(k.province for k in shown))
    label = f"{len(provinces)} provinces" if len(provinces) > 1 else provinces[0] if provinces else units.province
    by_group: dict[str, int] = {}
    for k in shown:
        by_group[k.ethnicity] = by_group.get(k.ethnicity, 0) + k.households
    orders: dict[str, list[Any]] = {
        c.PROVINCE: province_order(provinces) if c.PROVINCE in keys else [],  # official code order, as the engines list them
        c.DISTRICT: units.districts,
        c.COMMUNE: [m for d in units.districts for m in units.communes_by_district[d]],
        c.AREA: list(c.AREAS),
        c.ETHNICITY: sorted(by_group, key=lambda e: (-by_group[e], str(e))),
        ETHNIC_MINORITY: [True, False],
        POOR_DISTRICT: [True, False],
    }
    ranks = {key: _rank([g[i] for g in groups], orders[key]) for i, key in enumerate(keys) if key != c.YEAR}
    ordered = sorted(groups, key=lambda g: tuple(float(v) if key == c.YEAR else ranks[key][v] for key, v in zip(keys, g)))
    by = levels[0] if len(levels) == 1 else None
    visible = [key for key in keys if key != by]
    rows = []
    for group in ordered:
        values = dict(zip(keys, group))
        parts = [GROUP_LABELS[level][bool(values[level])] if level in GROUP_LABELS else str(values[KEYS[level][-1]]) for level in levels if level != "year"]
        unit = " × ".join(parts) if parts else label
        sums = groups[group]
        rates = [n / sums[0] * 100.0 if sums[0] > 0 else math.nan for n in sums[1:]]
        rows.append([unit, *(values[key] for key in visible), *sums, *rates])
    if not rows:
        raise GiveWay  # nothing to show: the engine says so
    return Table(["unit", *visible, *COUNTS, *(f"{m}_rate" for m in RATES)], rows), bool(synthetic.result())


# --- output ---------------------------------------------------------------------------


def _render(table: Table, fmt: str) -> str:
    """The table as :func:`analysis.cli.emit` prints it (CSV, JSON records, or for people)."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([neutralise(col) for col in table.columns])
        writer.writerows([[_csv_cell(v) for v in row] for row in table.rows])
        return out.getvalue()
    if fmt == "json":
        records = [{col: _json_value(v) for col, v in zip(table.columns, row)} for row in table.rows]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    return _for_people(table)


def _for_people(table: Table) -> str:
    """As pandas' ``to_string(index=False, float_format="{:.2f}".format)`` lays it out (see
    :func:`analysis.cli.emit`): each column right-aligned to its widest cell, one space
    between columns, a numeric column's header after a space; two decimals; NaN."""
    columns = []
    for n, name in enumerate(table.columns):
        values = [row[n] for row in table.rows]
        numeric = all(isinstance(v, (bool, int, float)) for v in values)
        cells = [("NaN" if math.isnan(v) else f"{v:.2f}") if isinstance(v, float) else str(v) for v in values]
        if any(ch in cell for cell in cells for ch in "\t\r\n"):
            raise GiveWay  # pandas escapes these
        header = (" " if numeric and values else "") + name
        width = max([len(header), *(len(cell) for cell in cells)])
        columns.append([header.rjust(width)] + [cell.rjust(width) for cell in cells])
    widths = [len(col[0]) for col in columns]
    lines = ["".join(col[i].ljust(w + 1) for col, w in zip(columns[:-1], widths)) + columns[-1][i] for i in range(len(table.rows) + 1)]
    return "\n".join(lines) + "\n"


def _csv_cell(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return ""
    return neutralise(value) if isinstance(value, str) else value


def _json_value(value: Any) -> Any:
    """A number as pandas' ``to_json(double_precision=15)`` writes it, read back (see :func:`analysis.cli.records`)."""
    if isinstance(value, bool) or not isinstance(value, float):
        return value
    if math.isnan(value) or math.isinf(value):
        return None
    if value != 0 and not 1e-15 <= abs(value) <= 1e16 - 1:
        raise GiveWay  # written in exponent form there
    magnitude = abs(value)
    whole = int(magnitude)
    scaled = (magnitude - whole) * 1e15
    frac = int(scaled)
    diff = scaled - frac
    if diff > 0.5:
        frac += 1
        if frac >= 10**15:
            frac, whole = 0, whole + 1
    elif diff == 0.5 and (frac == 0 or frac & 1):
        frac += 1
    number = float(f"{whole}.{frac:015d}")
    return -number if value < 0 else number
