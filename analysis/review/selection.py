"""Picking a review year or a unit out of loaded data, with errors that name the choices.

One rule for every caller (commands, notebooks, the batch): no year asked for means the
latest; a name is matched as the reference units spell it, with a suggestion when close.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..errors import UsageError
from . import columns as c
from .units import Units


def available_years(households: pd.DataFrame) -> list[int]:
    """Review years present in the data, ascending."""
    return sorted(int(y) for y in households[c.YEAR].unique())


def choose_year(years: Sequence[int], year: int | str | None, *, error: type[UsageError] = UsageError) -> int:
    """The review year asked for (the latest when None or blank), or ``error`` naming the valid years."""
    if not years:
        raise error("the data hold no households")
    if year is None or (isinstance(year, str) and not year.strip()):
        return max(years)
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = None
    if value not in years:
        raise error(f"no review year {year!r} in the data; valid years: {', '.join(map(str, sorted(years)))}")
    return int(year)


def previous_year(years: Sequence[int], year: int) -> int | None:
    """The review before ``year`` in the data (None for the first): what every change compares with."""
    return max((y for y in years if y < year), default=None)


def year_and_previous(years: Sequence[int], year: int | None, *, what: str) -> tuple[int, int]:
    """The review year asked for (the latest when None) and the review before it, for a
    comparison of two years (``what``: what needs the earlier year, for the message)."""
    chosen = choose_year(years, year)
    before = previous_year(years, chosen)
    if before is None:
        raise UsageError(f"no review year before {chosen} in the data, so there are no {what} (years: {', '.join(map(str, sorted(years)))})")
    return chosen, before


def choose_district(present: Sequence[str], units: Units, district: str, *, error: type[UsageError] = UsageError) -> str:
    """The canonical name of a district present in the data, or ``error`` naming the valid ones."""
    canonical = units.canonical("district", str(district))
    if canonical is not None and canonical in present:
        return canonical
    if canonical is not None:  # a real district that simply has no households here
        raise error(f"no households of district {canonical!r} in the data; valid districts: {', '.join(present)}")
    hint = units.suggest("district", str(district))
    did_you_mean = f" (did you mean {hint!r}?)" if hint and hint in present else ""
    raise error(f"unknown district {district!r}{did_you_mean}; valid districts: {', '.join(present)}")


def resolve_year(households: pd.DataFrame, year: int | None) -> int:
    """The requested review year of loaded households, or the latest one when none is asked for."""
    return choose_year(available_years(households), year)


def select_year(households: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """The households of one review year (the latest by default)."""
    chosen = resolve_year(households, year)
    return households[households[c.YEAR] == chosen]
