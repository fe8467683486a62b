"""What the whole of a review's data is, so that its words are true of it: a province, a
centrally-run city, or a former province's part of a new province.

The briefs and the workbooks say ``toàn tỉnh`` of a province, ``toàn thành phố`` of a
centrally-run city (its level word in the reference units is ``Thành phố``) and ``toàn khu
vực`` of the part of a new province that was one former province (the end-2025 review of the
former Bắc Kạn, 37 of Thái Nguyên's communes). Nothing here names a province: the reference
units and the crosswalk say which is which.
"""

from __future__ import annotations

import pandas as pd

from ..review import columns as c
from ..review.units import division_of_year, national_units
from .predecessors import new_communes, predecessors
from .rebase import FORMER_PROVINCE

#: The words' variants (catalogue keys ``<key>_city``, ``<key>_former``); "" is a province.
PROVINCE, CITY, FORMER = "", "city", "former"

#: The level word of a centrally-run city in the reference units.
CITY_KIND = "Thành phố"


def former_part(rows: pd.DataFrame) -> tuple[str, str] | None:
    """``(former province, new province)`` when one year's households on the new units (a
    new-division year, or an earlier one re-based) cover only the part of one new province
    that was one former province (fewer communes than the new province has); else None. The former province is the households' own (``former_province``)
    where they have one, else the crosswalk's of their communes."""
    if rows.empty:
        return None
    provinces = pd.unique(rows[c.PROVINCE].astype(str))
    if len(provinces) != 1:
        return None
    province = str(provinces[0])
    if FORMER_PROVINCE in rows and rows[FORMER_PROVINCE].notna().any():
        olds = pd.unique(rows[FORMER_PROVINCE].dropna().astype(str))
    else:
        present = set(rows[c.COMMUNE].astype(str))
        pred = predecessors()
        olds = pd.unique(pred.loc[(pred["new_province"] == province) & pred["new_commune"].isin(present), "old_province"].astype(str))
    if len(olds) != 1 or str(olds[0]) == province:
        return None
    has = int((new_communes()["new_province"] == province).sum())
    return (str(olds[0]), province) if rows[c.COMMUNE].nunique() < has else None


def province_kind(province: str, year: int) -> str:
    """The province's level word in the reference units of the year's division (``Tỉnh``,
    ``Thành phố``); ``Tỉnh`` for a name they do not hold."""
    units = national_units(division_of_year(year))
    kind = units.loc[(units["level"] == "province") & (units["name"] == province), "division_type"]
    return str(kind.iloc[0]) if len(kind) and isinstance(kind.iloc[0], str) and kind.iloc[0] else "Tỉnh"


def variant(year_rows: pd.DataFrame, year: int) -> str:
    """The words' variant for one year's households (``year_rows``, that year's only):
    :data:`FORMER`, :data:`CITY` or :data:`PROVINCE` (also for data of several provinces)."""
    if former_part(year_rows) is not None:
        return FORMER
    provinces = pd.unique(year_rows[c.PROVINCE].astype(str))
    return CITY if len(provinces) == 1 and province_kind(str(provinces[0]), year) == CITY_KIND else PROVINCE
