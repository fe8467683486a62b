"""Where a year's outputs go, one rule for the summary tables and the briefs.

``<out>/<year>/``; with ``--province`` (a review of several provinces, taken one province at a
time) ``<out>/<year>/<province-slug>/``, the slug of the canonical name whatever the spelling
given, so two provinces' workbooks, briefs and indexes never share a folder.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import UsageError
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
