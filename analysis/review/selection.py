"""Picking a review year or a unit out of loaded data, with errors that name the choices."""

from __future__ import annotations

import pandas as pd

from ..errors import UsageError
from . import columns as c
from .units import Units, load_units


def available_years(households: pd.DataFrame) -> list[int]:
    """Review years present in the data, ascending."""
    return sorted(int(y) for y in households[c.YEAR].unique())


def resolve_year(households: pd.DataFrame, year: int | None) -> int:
    """The requested review year, or the latest one when none is asked for."""
    years = available_years(households)
    if not years:
        raise UsageError("the data hold no households")
    if year is None:
        return years[-1]
    if int(year) not in years:
        raise UsageError(f"no households for year {year}; years in the data: {', '.join(map(str, years))}")
    return int(year)


def select_year(households: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """The households of one review year (the latest by default)."""
    chosen = resolve_year(households, year)
    return households[households[c.YEAR] == chosen]


def resolve_district(households: pd.DataFrame, district: str, units: Units | None = None) -> str:
    """The canonical name of a district that is present in the data."""
    units = units or load_units()
    present = [d for d in units.districts if d in set(households[c.DISTRICT].unique())]
    canonical = units.canonical("district", district)
    if canonical in present:
        return canonical
    hint = units.suggest("district", district)
    did_you_mean = f" (did you mean {hint!r}?)" if hint and hint in present else ""
    raise UsageError(f"unknown district {district!r}{did_you_mean}; districts in the data: {', '.join(present)}")
