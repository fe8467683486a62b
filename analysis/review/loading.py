"""Read household review files (CSV, Excel, Parquet), validate them and normalise them.

Valid but quirky files just work: UTF-8 with or without BOM, CRLF line ends, ``;`` as
separator, Excel workbooks (first sheet or a named one), Parquet, NFD names, headers in the
Vietnamese labels of the review forms (``data/column_aliases.csv``, which users can extend).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from ..errors import DataError, Problem
from ..paths import ALIASES_PATH, BUNDLED_HOUSEHOLDS
from . import columns as c
from .standards import DEFAULT_STANDARD, Standard, get_standard
from .units import Units, name_key, nfc
from .validation import Checked, check_households, duplicate_problems

PathLike = str | Path

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
_MAGIC = {"excel": b"PK\x03\x04", "parquet": b"PAR1"}


def file_kind(path: Path) -> str:
    """'csv', 'excel' or 'parquet', from the file name's extension."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in EXCEL_SUFFIXES:
        return "excel"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    raise DataError([Problem(str(path), f"unsupported file type {path.suffix or '(none)'!r}; expected a .csv, .xlsx or .parquet file")])


def read_table(path: PathLike, sheet: str | None = None) -> pd.DataFrame:
    """The file's records as a table indexed by row number as a user sees it.

    CSV and Excel rows are numbered as in a spreadsheet (the header is row 1); blank rows
    are dropped. Cells are read as text or as the workbook's own values, so validation sees
    what the user typed; Parquet keeps its types and numbers its records from 1.
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise DataError([Problem(name, "no such file" if not path.exists() else "is a folder; expected a file")])
    kind = file_kind(path)
    with path.open("rb") as f:
        head = f.read(8)
    if not head:
        raise DataError([Problem(name, "the file is empty; expected a header row and household records")])
    if kind in _MAGIC and not head.startswith(_MAGIC[kind]):
        raise DataError([Problem(name, f"not {'an Excel' if kind == 'excel' else 'a Parquet'} file, though its extension says so")])
    readers = {"csv": _read_csv, "excel": lambda p: _read_excel(p, sheet), "parquet": _read_parquet}
    table = readers[kind](path)
    if table.empty:
        raise DataError([Problem(name, "the file has a header and no rows; expected household records below the header")])
    return table


def _read_csv(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    if raw.startswith(_MAGIC["excel"]) or raw.startswith(_MAGIC["parquet"]):
        raise DataError([Problem(str(path), "not CSV text, though its extension says so: the content is an Excel or Parquet file")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            [Problem(str(path), "UTF-8 text (save the file as 'CSV UTF-8')", row=line, value=f"byte 0x{raw[err.start]:02x}")]
        ) from None
    header = text.split("\n", 1)[0]
    sep = max((",", ";", "\t"), key=header.count)
    try:
        table = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True, skip_blank_lines=False
        )
    except (pd.errors.ParserError, csv.Error) as err:
        raise DataError([Problem(str(path), f"not a well-formed CSV table: {err}")]) from None
    except pd.errors.EmptyDataError:
        raise DataError([Problem(str(path), "the file is empty; expected a header row and household records")]) from None
    table.index = pd.RangeIndex(2, len(table) + 2)
    return table[~table.apply(lambda col: col.str.strip().eq("")).all(axis=1)]


def _read_excel(path: Path, sheet: str | None) -> pd.DataFrame:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged workbook
        raise DataError([Problem(str(path), f"not a readable Excel workbook ({type(err).__name__})")]) from None
    try:
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            raise DataError([Problem(str(path), f"no sheet named {sheet!r}; sheets: {', '.join(names)}")])
        rows = book[sheet or names[0]].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise DataError([Problem(str(path), "the sheet is empty; expected a header row and household records")])
        body = {
            number: r for number, r in enumerate(rows, start=2) if any(v is not None and str(v).strip() != "" for v in r)
        }
    finally:
        book.close()
    columns = ["" if h is None else str(h) for h in header]
    return pd.DataFrame(list(body.values()), columns=columns, index=list(body), dtype=object)


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        table = pq.read_table(path).to_pandas()
    except Exception as err:  # pyarrow raises several kinds for a damaged file
        raise DataError([Problem(str(path), f"not a readable Parquet file ({type(err).__name__})")]) from None
    table.index = pd.RangeIndex(1, len(table) + 1)
    return table


def parquet_metadata(path: PathLike) -> dict[str, str]:
    """The key-value metadata of a Parquet file (e.g. ``synthetic``, ``description``)."""
    meta = pq.read_schema(path).metadata or {}
    return {k.decode(): v.decode() for k, v in meta.items() if k != b"pandas"}


def load_aliases(path: PathLike = ALIASES_PATH) -> dict[str, str]:
    """Header spellings (matching keys) mapped to contract column names."""
    table = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    aliases = {name_key(col): col for col in c.IDENTITY_COLUMNS + c.OPTIONAL_COLUMNS + c.INDICATOR_COLUMNS}
    aliases.update({name_key(a): col for a, col in zip(table["alias"], table["column"])})
    return aliases


def rename_columns(table: pd.DataFrame, file: str, aliases: dict[str, str]) -> tuple[pd.DataFrame, list[Problem]]:
    """Contract names for the columns it knows; other columns are dropped."""
    mapping: dict[str, str] = {}
    problems = []
    for header in table.columns:
        target = aliases.get(name_key(str(header)))
        if target is None:
            continue
        if target in mapping.values():
            first = next(h for h, t in mapping.items() if t == target)
            problems.append(Problem(file, f"two columns for '{target}': {first!r} and {nfc(header)!r}; expected one", column=str(header)))
            continue
        mapping[header] = target
    return table[list(mapping)].rename(columns=mapping), problems


def _check_file(path: Path, sheet: str | None, standard: Standard, units: Units | None, aliases: dict[str, str]) -> Checked:
    try:
        table = read_table(path, sheet)
    except DataError as err:
        return Checked(pd.DataFrame(), err.problems, err.total)
    renamed, problems = rename_columns(table, str(path), aliases)
    if renamed.columns.empty:
        headers = ", ".join(repr(nfc(h)) for h in table.columns[:8])
        expected = f"no header is a column of the data contract or an alias in data/column_aliases.csv (headers: {headers}); is this the right file or sheet?"
        return Checked(pd.DataFrame(), [Problem(str(path), expected)], 1)
    checked = check_households(renamed, str(path), standard, units)
    checked.problems[:0] = problems
    checked.total += len(problems)
    if not checked.frame.empty:
        checked.frame["_file"] = str(path)
        checked.frame["_row"] = table.index.to_numpy()
    return checked


def check_files(
    paths: Iterable[PathLike],
    *,
    standard: str | Standard = DEFAULT_STANDARD,
    sheet: str | None = None,
    units: Units | None = None,
    aliases_path: PathLike = ALIASES_PATH,
) -> Checked:
    """Validate and normalise several files as one review (duplicates checked across files)."""
    std = get_standard(standard)  # places: each province's own units (``units`` serves its own)
    aliases = load_aliases(aliases_path)
    results = [_check_file(Path(p), sheet, std, units, aliases) for p in paths]
    problems = [p for r in results for p in sorted(r.problems, key=lambda p: p.row or 0)]
    total = sum(r.total for r in results)
    frames = [r.frame for r in results if not r.frame.empty]
    if not frames:
        return Checked(pd.DataFrame(), problems, total)
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    dup_problems, dup_total = duplicate_problems(frame, frame["_file"], frame["_row"])
    return Checked(frame, problems + dup_problems, total + dup_total)


def load_households(
    paths: PathLike | Sequence[PathLike] | None = None,
    *,
    standard: str | Standard = DEFAULT_STANDARD,
    sheet: str | None = None,
    units: Units | None = None,
    aliases_path: PathLike = ALIASES_PATH,
) -> pd.DataFrame:
    """Validated, normalised households of one or more review files (the bundled data by default).

    Raises :class:`DataError` listing every problem. ``attrs['source']`` names the data
    and ``attrs['synthetic']`` says whether they are synthetic (from the Parquet metadata).
    """
    files = _as_paths(paths)
    checked = check_files(files, standard=standard, sheet=sheet, units=units, aliases_path=aliases_path)
    if checked.total:
        raise DataError(checked.problems, total=checked.total)
    frame = checked.frame.drop(columns=["_file", "_row"])
    frame.attrs.update(describe_source(files))
    return frame


def describe_source(files: Sequence[Path]) -> dict[str, object]:
    """Provenance of loaded files: a readable source and whether the data are synthetic."""
    metas = [parquet_metadata(f) if file_kind(f) == "parquet" else {} for f in files]
    synthetic = any(m.get("synthetic") == "true" for m in metas)
    descriptions = [m["description"] for m in metas if "description" in m]
    return {
        "source": "; ".join(f.name for f in files),
        "synthetic": synthetic,
        "description": " ".join(descriptions),
    }


def _as_paths(paths: PathLike | Sequence[PathLike] | None) -> list[Path]:
    if paths is None or paths == [] or paths == "":
        return [BUNDLED_HOUSEHOLDS]
    if isinstance(paths, (str, Path)):
        return [Path(paths)]
    return [Path(p) for p in paths]
