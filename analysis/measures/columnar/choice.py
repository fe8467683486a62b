"""Which engine a command uses: pandas for ordinary files, the columnar engine for Parquet
folders and large Parquet files (or when asked with ``--engine columnar``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from ...errors import AnalysisError, UsageError
from ...paths import BUNDLED_HOUSEHOLDS
from ...review import columns as c
from ...review.loading import PARQUET_SUFFIXES, load_households
from ...review.standards import Standard
from ...review.units import Units
from .engine import ColumnarReview, canonical_province
from .lean import COLUMNAR_ROWS
from .records import text_numbers
from .source import PathLike

ENGINES: tuple[str, ...] = ("auto", "pandas", "columnar")


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
    province: str | None = None, one_province: str | None = None,
) -> pd.DataFrame:
    """The validated households, as :func:`analysis.review.loading.load_households` gives them;
    a large Parquet review (see :func:`columnar_for`) is validated by the columnar engine, in
    bounded memory, and its records read from it (custom ``units``: the pandas path).

    ``province`` (``--province``) keeps one province's records: a Parquet folder opens only
    its files and the columnar engine reads only its rows. ``one_province`` names what needs
    one province (``"the briefs"``): data holding several in a review year without
    ``province`` are then refused, before any record of a large review is read.
    """
    given = [BUNDLED_HOUSEHOLDS] if paths is None or paths == [] or paths == "" else [paths] if isinstance(paths, (str, Path)) else list(paths)
    chosen = canonical_province(province) if province else None
    review = columnar_for(given, engine, standard, chosen) if units is None else None
    if review is None:
        frame = load_households(given, standard=standard, sheet=sheet, units=units)
        if one_province and chosen is None and c.PROVINCE in frame and c.YEAR in frame:
            require_one_province(frame[[c.YEAR, c.PROVINCE]].drop_duplicates(), one_province)
        return frame if chosen is None else only_province(frame, chosen)
    if one_province and chosen is None:
        d = review.validated.distinct
        if "_" + c.YEAR in d and "_" + c.PROVINCE in d:
            require_one_province(d[["_" + c.YEAR, "_" + c.PROVINCE]].set_axis([c.YEAR, c.PROVINCE], axis=1), one_province)
    frame = review.households()
    if chosen is not None and frame.empty:
        raise UsageError(f"no households of {chosen} in the data")
    return frame


def require_one_province(places: pd.DataFrame, what: str) -> None:
    """A usage error when a review year holds several provinces (``places``: year and
    province of the rows): ``what`` is one province's, so ``--province`` must choose one.
    Data whose years each hold one province pass (a province renamed or merged on 1 July
    2025 keeps its earlier years)."""
    places = places.dropna()
    per_year = places.groupby(c.YEAR)[c.PROVINCE].nunique()
    if len(per_year) and int(per_year.max()) > 1:
        provinces = sorted({str(p) for p in places[c.PROVINCE]})
        raise UsageError(f"the data hold {len(provinces)} provinces and {what} are one province's: choose one with --province (such as {provinces[0]!r})")


def only_province(frame: pd.DataFrame, province: str) -> pd.DataFrame:
    """The households of one province (its canonical name), with the frame's provenance."""
    chosen = frame[frame[c.PROVINCE].astype(str) == province]
    if chosen.empty:
        raise UsageError(f"no households of {province} in the data")
    chosen.attrs.update(frame.attrs)
    return chosen
