"""The columnar engine: the review's measures over Parquet files or partitioned folders with
DuckDB, in bounded memory, for national-size data (see :class:`ColumnarReview`).

Names are imported on first use (PEP 562), so the lean ``summary`` (:mod:`.lean`) imports
neither pandas nor pyarrow through this package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import ColumnarReview
    from .source import Source, parquet_files

_WHERE = {"ColumnarReview": ".engine", "Source": ".source", "parquet_files": ".source"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ColumnarReview", "Source", "parquet_files"]
