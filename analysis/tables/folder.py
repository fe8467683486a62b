"""Where a year's outputs go, one rule for the summary tables and the briefs.

``<out>/<year>/``; with ``--province`` (a review of several provinces, taken one province at a
time) ``<out>/<year>/<province-slug>/``, the slug of the canonical name whatever the spelling
given, so two provinces' workbooks, briefs and indexes never share a folder.

A folder's summary tables say whose they are: ``write_tables`` leaves a record beside them
(:data:`TABLES_OWNER`, the province and the files), read back by :func:`tables_province`, so a
``tables`` run of another province into the same folder is refused as the batch refuses a
folder of another province's briefs (:func:`analysis.briefs.batch.folder.check_province`)
rather than silently replacing the workbook.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import UsageError
from ..files import write_atomic
from ..review import columns as c
from ..review.units import slugify


def year_folder(out: str | Path, year: int, province: str | None = None) -> Path:
    """Where the outputs of ``year`` go: ``out/year``, or ``out/year/<province-slug>`` with
    ``--province`` (any spelling: the folder is named after the canonical name)."""
    from ..measures.columnar.engine import canonical_province  # DuckDB: loaded when a province is named

    folder = Path(out) / str(year)
    return folder / slugify(canonical_province(province)) if province else folder


def province_of_year(households: pd.DataFrame, year: int) -> str | None:
    """The province whose households ``year``'s rows are, by its canonical name (None when the
    rows name none, or several: such data are refused before anything is written)."""
    if c.PROVINCE not in households or c.YEAR not in households:
        return None
    years = pd.to_numeric(households[c.YEAR], errors="coerce")
    names = {str(n).strip() for n in pd.unique(households.loc[years == year, c.PROVINCE].dropna())} - {""}
    if len(names) != 1:
        return None
    (name,) = names
    from ..measures.columnar.engine import canonical_province

    try:
        return canonical_province(name)
    except UsageError:  # a name the reference does not know: kept as written
        return name


#: The record of whose summary tables a year folder holds (beside ``.batch.owner``, the batch's).
TABLES_OWNER = ".tables.owner"


def record_tables(folder: Path, province: str | None, files: Sequence[Path]) -> None:
    """Say whose summary tables ``folder`` now holds: their province and file names, with those
    of the same province's earlier tables still there (a workbook beside its CSV files); with no
    province known the record goes, so it never names a province the files are not of."""
    path = Path(folder) / TABLES_OWNER
    if not province:
        path.unlink(missing_ok=True)
        return
    names = {Path(f).name for f in files}
    if tables_province(folder) == province:
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
            names |= {str(f) for f in json.loads(path.read_text(encoding="utf-8"))["files"] if (Path(folder) / str(f)).is_file()}
    record = {"province": province, "files": sorted(names)}
    write_atomic(path, json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def tables_province(folder: Path) -> str | None:
    """The province of the summary tables in ``folder``, from their record; None when there is
    none, it is unreadable, or none of the files it names is still there (removed by hand)."""
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
        record = json.loads((Path(folder) / TABLES_OWNER).read_text(encoding="utf-8"))
        province, files = record.get("province"), record.get("files")
        if isinstance(province, str) and province and isinstance(files, list) and any((Path(folder) / str(f)).is_file() for f in files):
            return province
    return None
