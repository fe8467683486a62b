"""Checks of unit names: province, district and commune must name known units.

Each name is matched once per distinct spelling against the reference units; an unknown
name gets the closest known one as a suggestion, and a commune named under the wrong
district says where it really is.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from . import columns as c
from .cells import Collector, map_names
from .units import Units


def check_places(raw: pd.DataFrame, frame: pd.DataFrame, out: Collector, units: Units) -> None:
    """Canonical province, district and commune names into ``frame``; problems into ``out``."""
    province = map_names(raw[c.PROVINCE], lambda v: units.canonical("province", v))
    out.cells(province.isna(), c.PROVINCE, raw[c.PROVINCE], f"the province {units.province!r}")
    frame[c.PROVINCE] = province.fillna("")

    district = map_names(raw[c.DISTRICT], lambda v: units.canonical("district", v))
    hint = _hints(raw[c.DISTRICT], district, lambda v: units.suggest("district", v))
    out.cells(district.isna(), c.DISTRICT, raw[c.DISTRICT], lambda i: _expect(f"a district of {units.province}", hint(i)))
    frame[c.DISTRICT] = district.fillna("")

    commune = map_names(raw[c.COMMUNE], lambda v: units.canonical("commune", v))
    unknown = commune.isna() & district.notna()

    def commune_hint(i: int) -> str:
        name = str(raw[c.COMMUNE].iloc[i])
        return _expect(f"a commune of {district.iloc[i]}", units.suggest("commune", name, district.iloc[i]))

    out.cells(unknown, c.COMMUNE, raw[c.COMMUNE], commune_hint)
    home = commune.map(units.commune_district)
    elsewhere = commune.notna() & district.notna() & (home != district)
    out.cells(
        elsewhere, c.COMMUNE, raw[c.COMMUNE],
        lambda i: f"a commune of {district.iloc[i]}; {commune.iloc[i]} is in {home.iloc[i]}",
    )
    frame[c.COMMUNE] = commune.fillna("")


def _hints(values: pd.Series, canonical: pd.Series, suggest: Callable[[str], str | None]) -> Callable[[int], str | None]:
    """A suggestion per unknown value, computed once per distinct value."""
    unknown = pd.unique(values[canonical.isna()].astype(str))
    table = {v: suggest(v) for v in unknown}
    return lambda i: table.get(str(values.iloc[i]))


def _expect(expected: str, hint: str | None) -> str:
    return f"{expected} (did you mean {hint!r}?)" if hint else expected
