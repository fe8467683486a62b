"""Which engine a command uses: pandas for ordinary files, the columnar engine for Parquet
folders and large Parquet files (or when asked with ``--engine columnar``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from ...errors import AnalysisError, UsageError
from ...paths import BUNDLED_HOUSEHOLDS
from ...review.loading import PARQUET_SUFFIXES, load_households
from ...review.standards import Standard
from ...review.units import Units
from .engine import ColumnarReview
from .records import text_numbers
from .source import PathLike

ENGINES: tuple[str, ...] = ("auto", "pandas", "columnar")

#: From this many records (read from the Parquet footers) ``auto`` picks the columnar engine.
COLUMNAR_ROWS = 500_000


def _rows(path: Path) -> int:
    try:
        return int(pq.read_metadata(path).num_rows)
    except Exception:  # unreadable: the pandas path reports it as it always has
        return 0


def is_parquet(path: Path) -> bool:
    return path.is_dir() or path.suffix.lower() in PARQUET_SUFFIXES


def columnar_for(paths: Sequence[PathLike], engine: str, standard: str | Standard, province: str | None) -> ColumnarReview | None:
    """A columnar review of ``paths`` when the engine should be columnar, else None (pandas)."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "pandas":
        return None
    files = [Path(p) for p in paths]
    parquet = all(is_parquet(p) for p in files)
    if engine == "columnar" and not parquet:
        raise UsageError("the columnar engine reads Parquet files or folders of them; convert CSV or Excel files first, or use --engine pandas")
    if not parquet:
        if any(p.is_dir() for p in files):
            raise UsageError("a folder can be read only when it holds Parquet files; name CSV or Excel files one by one")
        return None
    if engine == "auto" and not any(p.is_dir() for p in files) and sum(_rows(p) for p in files) < COLUMNAR_ROWS:
        return None
    review = ColumnarReview(files, standard=standard, province=province)
    if engine == "auto" and not any(p.is_dir() for p in files):
        try:
            if text_numbers(review.source):
                return None  # numbers written as text: the pandas path reads them
        except AnalysisError:
            return None  # unreadable: the pandas path reports it as it always has
    return review


def load_review(
    paths: PathLike | Sequence[PathLike] | None = None, *, standard: str | Standard, sheet: str | None = None, units: Units | None = None, engine: str = "auto",
) -> pd.DataFrame:
    """The validated households, as :func:`analysis.review.loading.load_households` gives them;
    a large Parquet review (see :func:`columnar_for`) is validated by the columnar engine, in
    bounded memory, and its records read from it (custom ``units``: the pandas path)."""
    given = [BUNDLED_HOUSEHOLDS] if paths is None or paths == [] or paths == "" else [paths] if isinstance(paths, (str, Path)) else list(paths)
    review = columnar_for(given, engine, standard, None) if units is None else None
    if review is None:
        return load_households(given, standard=standard, sheet=sheet, units=units)
    return review.households()
