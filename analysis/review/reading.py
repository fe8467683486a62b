"""Read a review file (CSV, Excel, Parquet) into cells as the user typed them.

Rows are numbered as the user sees them: in a spreadsheet the header is row 1 and blank
rows keep their numbers; Parquet records are numbered from 1. Headers are kept exactly as
written, duplicates included, so that a column given twice can be named with both
positions. Whatever goes wrong (a missing or unreadable file, a named pipe, a file that is
not what its extension says, UTF-16 text, a damaged workbook, Parquet columns of lists)
becomes a :class:`DataError` naming the file, never a traceback.

Speed: CSV is parsed by pyarrow's multi-threaded reader (pandas' parser is kept for the
files it cannot read: ragged rows, invalid UTF-8, whitespace-only lines), text
dictionary-encoded and 0/1 flags as booleans. Workbooks are read by fastexcel straight into
Arrow columns when every column holds numbers or text and the table starts at A1; other
sheets cell by cell with python-calamine (openpyxl when calamine cannot open the file).
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import gc
import io
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..errors import DataError, Problem
from .suffixes import CSV_SUFFIXES, EXCEL_SUFFIXES, PARQUET_SUFFIXES

PathLike = str | Path

_MAGIC = {"excel": b"PK\x03\x04", "parquet": b"PAR1"}
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

#: ``attrs`` key of a table: columns whose cells cannot be read ({header: what they hold}).
UNSUPPORTED = "unsupported_columns"


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


def column_label(position: int) -> str:
    """A column's place as a user finds it: ``10 (J)`` for the tenth column."""
    letters, n = "", position
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{position} ({letters})"


def read_table(path: PathLike, sheet: str | None = None, *, flags: Callable[[str], bool] | None = None) -> pd.DataFrame:
    """The file's records as a table indexed by row number as a user sees it.

    CSV and Excel rows are numbered as in a spreadsheet (the header is row 1); blank rows
    are dropped. Cells are read as text or as the workbook's own values, so validation sees
    what the user typed; Parquet keeps its types and numbers its records from 1.

    ``flags`` (CSV): whether a header names a column of 0/1 flags. Such a column whose cells
    are all exactly ``0``, ``1`` or empty is parsed straight into booleans (NaN where empty),
    which no other reading of it could change; if one is not, every column is read as text.
    """
    path = Path(path)
    name = str(path)
    _check_is_file(path)
    kind = file_kind(path)
    try:
        if kind == "csv":
            table = _read_csv(path, flags)
        else:
            with path.open("rb") as f:
                head = f.read(8)
            if not head:
                raise DataError([Problem(name, "the file is empty; expected a header row and household records")])
            if not head.startswith(_MAGIC[kind]):
                raise DataError([Problem(name, f"not {'an Excel' if kind == 'excel' else 'a Parquet'} file, though its extension says so")])
            table = _read_excel(path, sheet) if kind == "excel" else _read_parquet(path)
    except OSError as err:
        raise DataError([Problem(name, f"cannot be read ({err.strerror or type(err).__name__})")]) from None
    except MemoryError:
        raise DataError([Problem(name, "too large to read into memory on this machine")]) from None
    if table.empty:
        raise DataError([Problem(name, "the file has a header and no rows; expected household records below the header")])
    return table


def _check_is_file(path: Path) -> None:
    """A readable regular file, or a problem saying what the path is instead."""
    name = str(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise DataError([Problem(name, "no such file")]) from None
    except NotADirectoryError:
        raise DataError([Problem(name, "no such file (a part of the path is a file, not a folder)")]) from None
    except (OSError, ValueError) as err:  # ValueError: a NUL byte in the name
        reason = err.strerror if isinstance(err, OSError) and err.strerror else "the name cannot be used"
        raise DataError([Problem(name, f"cannot be read ({reason})")]) from None
    if stat.S_ISDIR(mode):
        raise DataError([Problem(name, "is a folder; expected a file")])
    if not stat.S_ISREG(mode):
        what = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"
        raise DataError([Problem(name, f"is {what}; expected a file")])


# --- CSV ---------------------------------------------------------------------------------


def _read_csv(path: Path, flags: Callable[[str], bool] | None) -> pd.DataFrame:
    name = str(path)
    with path.open("rb") as f:
        raw = f.read(65536)  # enough to tell what the file is and read its header
    if not raw:
        raise DataError([Problem(name, "the file is empty; expected a header row and household records")])
    if raw.startswith(_MAGIC["excel"]) or raw.startswith(_MAGIC["parquet"]):
        raise DataError([Problem(name, "not CSV text, though its extension says so: the content is an Excel or Parquet file")])
    if _looks_utf16(raw):
        raise DataError([Problem(name, "this file is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)')")])
    head = raw[:65536].decode("utf-8-sig", errors="replace")
    first_line = head.split("\n", 1)[0]
    sep = max((",", ";", "\t"), key=first_line.count)
    header = next(csv.reader(io.StringIO(head), delimiter=sep, skipinitialspace=True), [])
    as_flags = [bool(flags and flags(h)) for h in header]
    table = _read_csv_fast(path, sep, header, as_flags) if any(as_flags) else None
    if table is None:  # a flag column holds something else (the checks say what), or no flags
        table = _read_csv_fast(path, sep, header, [False] * len(header))
    if table is None:
        table = _read_csv_exact(path, path.read_bytes(), sep, header)
    return _drop_blank_rows(table)


def _looks_utf16(raw: bytes) -> bool:
    """A UTF-16 byte-order mark, or text with a NUL byte beside every ASCII letter."""
    if raw.startswith(_UTF16_BOMS):
        return True
    sample = raw[:200]
    return len(sample) >= 8 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def _read_csv_fast(path: Path, sep: str, header: list[str], as_flags: list[bool]) -> pd.DataFrame | None:
    """pyarrow's parse straight from the file, or None when the file needs another reading.

    Text comes dictionary-encoded (each distinct text stored once), in memory that goes back
    to the system when freed; ``as_flags`` columns come as booleans (floats with NaN where a
    cell is empty), and None is returned if one of their cells is not 0, 1 or empty. Blank lines are kept as rows of empty cells and a quoted value
    may hold line breaks, so that a record's number is the row the user sees in a spreadsheet
    (blank rows are dropped afterwards, keeping the numbers of the others).
    """
    if not header:
        return None
    names = [f"c{i}" for i in range(len(header))]
    text = pa.dictionary(pa.int32(), pa.string())
    try:
        table = pacsv.read_csv(
            str(path),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=sep, ignore_empty_lines=False, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.bool_() if flag else text for n, flag in zip(names, as_flags)},
                true_values=["1"],
                false_values=["0"],
                null_values=[""],  # flags only: text cells are never null
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
            memory_pool=pa.system_memory_pool(),
        )
    except (pa.ArrowException, ValueError):  # a flag that is not 0/1; ragged rows, invalid UTF-8: the exact reader says where
        return None
    arrays: list[pa.ChunkedArray | None] = list(table.columns)
    rows = table.num_rows
    del table
    columns: dict[int, Any] = {}
    for i in range(len(arrays)):  # one column at a time, each Arrow column freed once converted
        column = arrays[i]
        assert column is not None
        arrays[i] = None
        if as_flags[i]:
            columns[i] = column.to_numpy() if column.null_count == 0 else column.cast(pa.float64()).to_numpy()
        else:
            columns[i] = _categorical(pa.table({"cells": column}).unify_dictionaries(memory_pool=pa.system_memory_pool()).column(0))
        del column
    frame = pd.DataFrame(columns) if columns else pd.DataFrame(index=range(rows))
    _return_freed_memory()
    frame.columns = pd.Index(header, dtype=object)
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return frame


def _return_freed_memory() -> None:
    """Give the parse's freed buffers back to the system (glibc keeps them otherwise): a lower peak."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _categorical(column: pa.ChunkedArray) -> pd.Categorical[Any]:
    """A dictionary-encoded column (one dictionary for all chunks) as a pandas Categorical, without copying strings."""
    if column.num_chunks == 0:
        return pd.Categorical.from_codes(np.zeros(0, np.int32), dtype=pd.CategoricalDtype(pd.Index([], dtype="str")))
    codes = np.concatenate([chunk.indices.to_numpy(zero_copy_only=False) for chunk in column.chunks])
    categories = pd.Index(column.chunks[0].dictionary.to_pandas())
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories), validate=False)  # Arrow's own codes


def _read_csv_exact(path: Path, raw: bytes, sep: str, header: list[str]) -> pd.DataFrame:
    """pandas' parser, keeping blank lines so that rows keep the numbers the user sees."""
    name = str(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError([Problem(name, "UTF-8 text (save the file as 'CSV UTF-8')", row=line, value=f"byte 0x{raw[err.start]:02x}")]) from None
    try:
        table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True, skip_blank_lines=False)
    except (pd.errors.ParserError, csv.Error) as err:
        raise DataError([Problem(name, f"not a well-formed CSV table: {err}")]) from None
    except pd.errors.EmptyDataError:
        raise DataError([Problem(name, "the file is empty; expected a header row and household records")]) from None
    if len(header) == len(table.columns):
        table.columns = pd.Index(header, dtype=object)  # pandas renames a repeated header 'x.1'
    table.index = pd.RangeIndex(2, len(table) + 2)
    return table


def _is_empty(column: pd.Series) -> np.ndarray:
    """True where a cell is missing or only whitespace (categories checked once each)."""
    if pd.api.types.is_numeric_dtype(column.dtype):  # a CSV's flags
        return column.isna().to_numpy(dtype=bool)
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = pd.Series(column.cat.categories)
        empty = np.append(categories.str.strip().eq("").to_numpy(dtype=bool), True)
        codes = column.cat.codes.to_numpy()
        return empty[np.where(codes < 0, len(empty) - 1, codes)]
    return (column.isna() | column.str.strip().eq("")).to_numpy(dtype=bool)


def _drop_blank_rows(table: pd.DataFrame) -> pd.DataFrame:
    blank: np.ndarray | None = None
    for i in range(table.shape[1]):
        empty = _is_empty(table.iloc[:, i])
        blank = empty if blank is None else blank & empty
        if not blank.any():
            return table
    return table if blank is None else table[~blank]


# --- Excel -------------------------------------------------------------------------------


def _read_excel(path: Path, sheet: str | None) -> pd.DataFrame:
    table = _read_excel_columns(path, sheet)
    return table if table is not None else _read_excel_rows(path, sheet)


#: Arrow types a sheet's column may come in from fastexcel (others: the rows' reading, exactly).
_PLAIN_CELLS = (pa.types.is_float64, pa.types.is_int64, pa.types.is_string, pa.types.is_large_string, pa.types.is_null)


def _read_excel_columns(path: Path, sheet: str | None) -> pd.DataFrame | None:
    """The sheet read by fastexcel straight into Arrow columns, or None when its cells need
    the rows' reading: a header not in row 1 or not starting in column A, a column mixing
    numbers and text, dates, booleans, error cells, a missing sheet.

    Row 1's cells (the header, exactly as written) come from openpyxl's streaming reader. An
    empty number cell is NaN (the rows' reading has ''), which the checks read the same.
    """
    import fastexcel
    import openpyxl

    name = str(path)
    try:
        reader = fastexcel.read_excel(name)
        target = sheet if sheet is not None else reader.sheet_names[0]
        if target not in reader.sheet_names:
            return None
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            first = next(book[target].iter_rows(min_row=1, max_row=1, values_only=True), ())
        finally:
            book.close()
        cells = ["" if v is None else v for v in first]
        if not cells or _is_blank_row(cells):
            return None
        loaded = reader.load_sheet(target, header_row=0, schema_sample_rows=None, dtype_coercion="strict")
        info = loaded.available_columns()
        batch = loaded.to_arrow()
    except Exception:  # whatever fastexcel or openpyxl cannot serve, the rows' reading can (or says why not)
        return None
    width = len(info)
    if any(column.absolute_index != i for i, column in enumerate(info)) or any(v != "" for v in cells[width:]):
        return None
    if not all(any(plain(field.type) for plain in _PLAIN_CELLS) for field in batch.schema):
        return None
    header = [_header_text(v) for v in (cells + [""] * width)[:width]]
    columns: dict[int, Any] = {}
    for i in range(width):
        column = batch.column(i)
        if pa.types.is_null(column.type):  # no cell at all
            columns[i] = np.full(len(column), "", dtype=object)
        elif pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            encoded = column.fill_null("").dictionary_encode()  # an empty cell is '', as in the rows' reading
            categories = pd.CategoricalDtype(pd.Index(encoded.dictionary.to_pandas()))
            columns[i] = pd.Categorical.from_codes(encoded.indices.to_numpy(), dtype=categories, validate=False)
        else:
            columns[i] = column.to_numpy(zero_copy_only=False)  # floats, NaN where empty
    frame = pd.DataFrame(columns) if columns else pd.DataFrame(index=range(batch.num_rows))
    frame.columns = pd.Index(header, dtype=object)
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return _drop_blank_rows(frame)


def _read_excel_rows(path: Path, sheet: str | None) -> pd.DataFrame:
    import python_calamine

    name = str(path)
    try:
        book = python_calamine.CalamineWorkbook.from_path(name)
    except Exception:
        return _read_excel_openpyxl(path, sheet)
    try:
        names = book.sheet_names
        if sheet is not None and sheet not in names:
            raise DataError([Problem(name, f"no sheet named {sheet!r}; sheets: {', '.join(names)}")])
        with _without_cycle_collection():  # millions of new cell objects, no cycle among them
            try:
                rows = book.get_sheet_by_name(sheet or names[0]).to_python(skip_empty_area=False)
            except Exception as err:
                raise DataError([Problem(name, f"not a readable Excel workbook ({type(err).__name__})")]) from None
            return _sheet_table(name, rows, first_row=1)
    finally:
        book.close()


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused: it would walk every cell object made so far again and
    again while a sheet's rows are made (half of the time spent turning a sheet into rows)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_excel_openpyxl(path: Path, sheet: str | None) -> pd.DataFrame:
    import openpyxl

    name = str(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:
        raise DataError([Problem(name, f"not a readable Excel workbook ({type(err).__name__})")]) from None
    try:
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            raise DataError([Problem(name, f"no sheet named {sheet!r}; sheets: {', '.join(names)}")])
        ws = book[sheet or names[0]]
        first = getattr(ws, "min_row", 1) or 1
        with _without_cycle_collection():
            rows = [["" if v is None else v for v in r] for r in ws.iter_rows(values_only=True)]
            return _sheet_table(name, rows, first_row=first)
    finally:
        book.close()


def _is_blank_row(row: list) -> bool:
    return row.count("") == len(row) or all(isinstance(v, str) and not v.strip() for v in row)


def _sheet_table(name: str, rows: list[list], first_row: int) -> pd.DataFrame:
    """Cells of a sheet's rows (``first_row`` is the number of ``rows[0]``); the first non-blank row is the header."""
    start = next((i for i, r in enumerate(rows) if not _is_blank_row(r)), None)
    if start is None:
        raise DataError([Problem(name, "the sheet is empty; expected a header row and household records")])
    header = [_header_text(v) for v in rows[start]]
    width = len(header)
    body = rows[start + 1 :]
    rows.clear()  # the sheet's cells now live in the table only
    if any(len(r) != width for r in body):
        body = [(list(r) + [""] * width)[:width] for r in body]
    frame = pd.DataFrame(body, columns=range(width), dtype=object) if body else pd.DataFrame(columns=range(width), dtype=object)
    frame.index = pd.RangeIndex(first_row + start + 1, first_row + start + 1 + len(frame))
    blank = np.ones(len(frame), dtype=bool)
    for i in range(width):
        blank &= _blank_cells(frame.iloc[:, i])
        if not blank.any():
            break
    frame.columns = pd.Index(header, dtype=object)
    return frame[~blank] if blank.any() else frame


def _blank_cells(column: pd.Series) -> np.ndarray:
    """True where a cell is empty or only whitespace (each distinct value looked at once)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    empty = np.array([isinstance(v, str) and not v.strip() for v in uniques] + [True], dtype=bool)
    return empty[np.where(codes < 0, len(uniques), codes)]


def _header_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


# --- Parquet -----------------------------------------------------------------------------


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        table = pq.read_table(path)
    except Exception as err:
        raise DataError([Problem(str(path), f"not a readable Parquet file ({type(err).__name__}: {str(err)[:120]})")]) from None
    unsupported: dict[str, str] = {}
    columns = {}
    for i, field in enumerate(table.schema):
        column = _plain_column(table.column(i))
        if column is None:
            unsupported[field.name] = str(field.type)
            column = pa.nulls(table.num_rows, pa.string())
        columns[i] = column.to_pandas()
    frame = pd.DataFrame(columns) if columns else pd.DataFrame(index=range(table.num_rows))
    frame.index = pd.RangeIndex(1, table.num_rows + 1)
    frame.columns = pd.Index(table.schema.names, dtype=object)
    frame.attrs[UNSUPPORTED] = unsupported
    return frame


def _plain_column(column: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """The column with one number or text per cell, or None when its type holds anything else."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = pa.chunked_array([chunk.dictionary_decode() for chunk in column.chunks], type=kind.value_type)
        kind = kind.value_type
    if pa.types.is_decimal(kind):
        return column.cast(pa.float64(), safe=False)
    if pa.types.is_string_view(kind):
        return column.cast(pa.large_string())
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_integer(kind) or pa.types.is_floating(kind):
        return column
    if pa.types.is_boolean(kind) or pa.types.is_null(kind):
        return column
    return None


def parquet_metadata(path: PathLike) -> dict[str, str]:
    """The key-value metadata of a Parquet file (e.g. ``synthetic``, ``description``)."""
    meta = pq.read_schema(path).metadata or {}
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, v in meta.items() if k != b"pandas"}
