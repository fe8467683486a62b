"""The file name endings of each kind of review file, in plain Python: the readers
(:mod:`.reading`) and the lean ``summary``, which must not import pandas, share them."""

from __future__ import annotations

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
