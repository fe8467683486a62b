"""A household review held as Parquet (one file, several, or a folder partitioned by province),
opened for DuckDB with the province and year filters pushed down to the reader.

Nothing is loaded into a pandas frame: every query streams the files in row groups, with
a memory limit, spilling to a temporary folder if a query needs more. A folder written by
``python -m analysis synth --scale`` is partitioned hive style (``province_code=19/…``), so
``--province`` opens only that province's files.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ...errors import DataError, Problem
from ...paths import ALIASES_PATH
from ...review.loading import PARQUET_SUFFIXES, load_aliases, rename_columns
from .sql import literal, quote

PathLike = str | Path

#: DuckDB's memory budget: queries beyond it spill to disk rather than grow.
MEMORY_LIMIT = os.environ.get("ANALYSIS_DUCKDB_MEMORY", "1GB")
THREADS = int(os.environ.get("ANALYSIS_DUCKDB_THREADS", "0") or 0) or min(os.cpu_count() or 1, 4)

#: Hive partition folders that name a province: ``province_code=19``.
_PARTITION = re.compile(r"^province_code=(\d+)$")


def parquet_files(paths: Sequence[PathLike]) -> list[Path]:
    """The Parquet files named by ``paths`` (files, or folders searched recursively), in a stable order."""
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PARQUET_SUFFIXES)
            if not found:
                raise DataError([Problem(str(path), "a folder with no Parquet files (*.parquet); expected a review written as Parquet")])
            files.extend(found)
        elif path.is_file():
            if path.suffix.lower() not in PARQUET_SUFFIXES:
                raise DataError([Problem(str(path), f"the columnar engine reads Parquet files or folders of them, not {path.suffix or 'a file without extension'!r}")])
            files.append(path)
        else:
            raise DataError([Problem(str(path), "no such file or folder")])
    return files


def partition_code(path: Path) -> int | None:
    """The province code of a file in a ``province_code=NN`` folder, else None."""
    for part in reversed(path.parts[:-1]):
        match = _PARTITION.match(part)
        if match:
            return int(match.group(1))
    return None


def _check_footer(path: Path) -> pq.FileMetaData:
    """The file's footer, or a clear error when it is not a readable Parquet file."""
    with path.open("rb") as f:
        head = f.read(4)
    if not head:
        raise DataError([Problem(str(path), "the file is empty; expected a Parquet file of household records")])
    if head != b"PAR1":
        raise DataError([Problem(str(path), "not a Parquet file, though its extension says so")])
    try:
        return pq.read_metadata(path)
    except Exception as err:  # pyarrow raises several kinds for a damaged footer
        raise DataError([Problem(str(path), f"not a readable Parquet file ({type(err).__name__}: the footer is damaged or the file is cut short)")]) from None


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with a memory limit and a spill folder."""
    con = duckdb.connect(config={"threads": THREADS, "memory_limit": MEMORY_LIMIT})
    con.execute("SET temp_directory = ?", [tempfile.gettempdir() + "/analysis-duckdb"])
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    return con


@dataclass
class Source:
    """Parquet review files with their contract column names, ready to query.

    ``province_codes`` (from ``--province``) keeps only the files of those partitions;
    files outside any partition are kept and filtered row by row.
    """

    files: list[Path]
    aliases_path: PathLike = ALIASES_PATH
    province_codes: set[int] | None = None
    con: duckdb.DuckDBPyConnection = field(default_factory=connect)

    @classmethod
    def open(cls, paths: Sequence[PathLike], *, province_codes: set[int] | None = None, aliases_path: PathLike = ALIASES_PATH) -> Source:
        files = parquet_files(paths)
        if province_codes is not None:
            files = [f for f in files if partition_code(f) is None or partition_code(f) in province_codes]
            if not files:
                raise DataError([Problem(", ".join(map(str, paths)), "no file of the requested province in this folder")])
        return cls(files, aliases_path, province_codes)

    @cached_property
    def metadata(self) -> list[pq.FileMetaData]:
        metas = [_check_footer(f) for f in self.files]
        empty = [Problem(str(f), "the file has a header and no rows; expected household records below the header") for f, m in zip(self.files, metas) if m.num_rows == 0]
        if empty:
            raise DataError(empty)
        return metas

    @property
    def rows(self) -> int:
        """Records in the files (from their footers: nothing is read)."""
        return sum(m.num_rows for m in self.metadata)

    @cached_property
    def columns(self) -> dict[str, str]:
        """Contract name -> the files' column name (aliases resolved as for any review file)."""
        aliases = load_aliases(self.aliases_path)
        mapping: dict[str, str] | None = None
        for path, meta in zip(self.files, self.metadata):
            names = [n for n in meta.schema.to_arrow_schema().names if n not in ("__index_level_0__",)]
            # One row holding the headers themselves: renamed, it says which header became which column.
            renamed, problems = rename_columns(pd.DataFrame([names], columns=names), str(path), aliases)
            if problems:
                raise DataError(problems)
            this = {str(k): str(v) for k, v in renamed.iloc[0].items()}
            if mapping is None:
                mapping = this
            elif this != mapping:
                raise DataError([Problem(str(path), f"columns differ from {self.files[0]}'s; expected every file of one review to have the same columns")])
        return mapping or {}

    @cached_property
    def types(self) -> dict[str, pa.DataType]:
        """Contract name -> the Parquet column's type (from the first file)."""
        schema = self.metadata[0].schema.to_arrow_schema()
        return {target: schema.field(raw).type for target, raw in self.columns.items()}

    @cached_property
    def description(self) -> dict[str, object]:
        """Provenance like the pandas path's: a readable source and whether the data are synthetic."""
        metas = []
        for meta in self.metadata[:1] + self.metadata[-1:]:
            raw = meta.metadata or {}
            metas.append({k.decode(): v.decode() for k, v in raw.items() if k != b"pandas"})
        synthetic = any(m.get("synthetic") == "true" for m in metas)
        description = next((m["description"] for m in metas if "description" in m), "")
        roots = sorted({str(f.parent) if partition_code(f) is None else str(_partition_root(f)) for f in self.files})
        return {"source": "; ".join(roots if len(self.files) > 3 else [f.name for f in self.files]), "synthetic": synthetic, "description": description}

    def scan(self, columns: Sequence[str] | None = None) -> str:
        """SQL for the raw records: contract column names, plus ``_file`` (index) and ``_row`` (from 1)."""
        wanted = list(self.columns) if columns is None else [c for c in columns if c in self.columns]
        listed = "[" + ", ".join(literal(str(f)) for f in self.files) + "]"
        select = ", ".join(f"{quote(self.columns[c])} AS {quote(c)}" for c in wanted)
        index = "CASE filename " + " ".join(f"WHEN {literal(str(f))} THEN {i}" for i, f in enumerate(self.files)) + " END"
        return (
            f"SELECT {select}{', ' if select else ''}{index} AS _file, file_row_number + 1 AS _row "
            f"FROM read_parquet({listed}, filename = true, file_row_number = true, hive_partitioning = false)"
        )

    def query(self, sql: str, params: Sequence[object] | None = None) -> pd.DataFrame:
        """A (small) result as a frame; DuckDB's errors become clear data errors."""
        try:
            return self.con.execute(sql, params or []).df()
        except duckdb.Error as err:
            raise self.error(err) from None

    def error(self, err: Exception) -> DataError:
        text = str(err).splitlines()[0]
        where = next((str(f) for f in self.files if str(f) in text), ", ".join(map(str, self.files[:3])))
        return DataError([Problem(where, f"cannot be read as a household review ({text[:300]})")])


def _partition_root(path: Path) -> Path:
    for i, part in enumerate(path.parts[:-1]):
        if _PARTITION.match(part):
            return Path(*path.parts[:i])
    return path.parent
