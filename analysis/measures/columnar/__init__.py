"""The columnar engine: the review's measures over Parquet files or partitioned folders with
DuckDB, in bounded memory, for national-size data (see :class:`ColumnarReview`)."""

from .engine import ColumnarReview
from .source import Source, parquet_files

__all__ = ["ColumnarReview", "Source", "parquet_files"]
