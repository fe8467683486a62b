"""Read household review files (CSV, Excel, Parquet), validate them and normalise them.

Valid but quirky files just work: UTF-8 with or without BOM, CRLF line ends, ``;`` as
separator, Excel workbooks (first sheet or a named one), Parquet, NFD names, headers in the
Vietnamese labels of the review forms (``data/column_aliases.csv``, which users can extend).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, Problem
from ..paths import ALIASES_PATH, BUNDLED_HOUSEHOLDS
from . import columns as c
from .reading import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    PARQUET_SUFFIXES,
    UNSUPPORTED,
    PathLike,
    column_label,
    file_kind,
    parquet_metadata,
    read_table,
)
from .standards import DEFAULT_STANDARD, Standard, get_standard
from .units import Units, clean_text, name_key
from .validation import Checked, check_households, duplicate_problems

__all__ = [
    "CSV_SUFFIXES", "EXCEL_SUFFIXES", "PARQUET_SUFFIXES", "check_files", "file_kind", "load_households", "read_table",
]

#: The 0/1 indicator columns, which a CSV's parse may read straight into booleans.
_FLAGS = frozenset(c.INDICATOR_COLUMNS)


def load_aliases(path: PathLike = ALIASES_PATH) -> dict[str, str]:
    """Header spellings (matching keys) mapped to contract column names."""
    table = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    aliases = {name_key(col): col for col in c.IDENTITY_COLUMNS + c.OPTIONAL_COLUMNS + c.INDICATOR_COLUMNS}
    aliases.update({name_key(a): col for a, col in zip(table["alias"], table["column"])})
    return aliases


def rename_columns(table: pd.DataFrame, file: str, aliases: dict[str, str]) -> tuple[pd.DataFrame, list[Problem]]:
    """Contract names for the columns it knows; other columns are dropped.

    A contract column given twice (the same header, or two spellings of it) is named with
    both positions; the first is kept for the remaining checks.
    """
    chosen: dict[str, int] = {}
    problems = []
    for position, header in enumerate(table.columns):
        target = aliases.get(name_key(str(header)))
        if target is None:
            continue
        if target in chosen:
            first = chosen[target]
            where = f"columns {column_label(first + 1)} and {column_label(position + 1)}"
            if table.columns[first] == header:
                expected = f"each column once: '{clean_text(header)}' appears twice ({where})"
            else:
                expected = f"one column for '{target}': {clean_text(table.columns[first])!r} and {clean_text(header)!r} both give it ({where})"
            problems.append(Problem(file, expected, column=str(header)))
            continue
        chosen[target] = position
    renamed = table.iloc[:, list(chosen.values())]
    renamed.columns = list(chosen)
    return renamed, problems


def _unsupported_problems(table: pd.DataFrame, file: str, aliases: dict[str, str]) -> list[Problem]:
    """Contract columns whose Parquet type holds no plain values (lists, structs, dates…)."""
    return [
        Problem(file, f"one number or text per cell; this column holds {kind} values", column=str(header))
        for header, kind in table.attrs.get(UNSUPPORTED, {}).items()
        if aliases.get(name_key(str(header))) is not None
    ]


def _check_file(path: Path, sheet: str | None, standard: Standard, units: Units | None, aliases: dict[str, str]) -> Checked:
    try:
        table = read_table(path, sheet, flags=lambda header: aliases.get(name_key(header)) in _FLAGS)
    except DataError as err:
        return Checked(pd.DataFrame(), err.problems, err.total)
    renamed, problems = rename_columns(table, str(path), aliases)
    if renamed.columns.empty:
        headers = ", ".join(repr(clean_text(h)) for h in table.columns[:8])
        expected = f"no header is a column of the data contract or an alias in data/column_aliases.csv (headers: {headers}); is this the right file or sheet?"
        return Checked(pd.DataFrame(), [Problem(str(path), expected)], 1)
    unusable = _unsupported_problems(table, str(path), aliases)
    if unusable:
        return Checked(pd.DataFrame(), problems + unusable, len(problems) + len(unusable))
    rows = table.index.to_numpy()
    del table
    checked = check_households(renamed, str(path), standard, units)
    checked.problems[:0] = problems
    checked.total += len(problems)
    if not checked.frame.empty:
        checked.frame["_file"] = pd.Categorical.from_codes(np.zeros(len(checked.frame), dtype=np.int8), pd.Index([str(path)]))
        checked.frame["_row"] = rows
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
    households = next((r.households for r in results if not r.frame.empty), None) if len(frames) == 1 else None
    dup_problems, dup_total = duplicate_problems(frame, frame["_file"], frame["_row"], households)
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
    covers = [m["covers"] for m in metas if "covers" in m]  # a synthetic file that covers part of a province
    # What a synthetic file's figures rest on, where no published figure exists (its metadata).
    assumes = [
        f"{f.name}: synthetic figures, the poor rate assuming a fall of {m['assumed_poor_fall_pp']} pp from the previous review"
        + (f" and near-poor at {m['assumed_near_poor_rate']}%" if "assumed_near_poor_rate" in m else "")
        + " (no published figure; data/SYNTHETIC.md)"
        for f, m in zip(files, metas) if "assumed_poor_fall_pp" in m
    ]
    return {
        "source": "; ".join(f.name for f in files),
        "synthetic": synthetic,
        "description": " ".join(descriptions),
        "covers": "; ".join(covers),
        "assumes": "\n".join(assumes),
        **{key: next((m[key] for m in metas if key in m), "") for key in ("assumed_poor_fall_pp", "assumed_near_poor_rate", "generator", "scale")},
    }


def _as_paths(paths: PathLike | Sequence[PathLike] | None) -> list[Path]:
    if paths is None or paths == [] or paths == "":
        return [BUNDLED_HOUSEHOLDS]
    if isinstance(paths, (str, Path)):
        return [Path(paths)]
    return [Path(p) for p in paths]
