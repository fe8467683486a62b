"""Which old communes made each new unit of 1 July 2025, with both divisions' names.

The crosswalk (``data/crosswalk_2025.csv``) links GSO codes; the reference units of both
divisions (``data/units_old.csv``, ``data/units_new.csv``) give the names review files use
(without level words). One row per old commune and new unit it went to: an old commune that
was split between new units has several rows. Nothing here is specific to one province.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ..review.units import (
    NEW,
    NEW_DIVISION_FROM_YEAR,
    OLD,
    crosswalk,
    division_of_year,
    name_key,
    national_units,
    poor_district_table,
)

__all__ = ["NEW", "NEW_DIVISION_FROM_YEAR", "OLD", "division_of_year", "new_communes", "old_communes", "predecessors"]


@lru_cache(maxsize=1)
def old_communes() -> pd.DataFrame:
    """Every old commune with its district and province (names and codes) and its level word (``old_kind``)."""
    units = national_units(OLD)
    prov = units[units["level"] == "province"][["code", "name"]].set_axis(["old_province_code", "old_province"], axis=1)
    dist = units[units["level"] == "district"][["code", "name", "parent_code"]].set_axis(
        ["old_district_code", "old_district", "old_province_code"], axis=1)
    com = units[units["level"] == "commune"][["code", "name", "parent_code", "division_type"]].set_axis(
        ["old_commune_code", "old_commune", "old_district_code", "old_kind"], axis=1)
    dist = dist.astype({"old_province_code": "int64"})
    com = com.astype({"old_district_code": "int64"})
    out = com.merge(dist, on="old_district_code").merge(prov, on="old_province_code")
    poor = poor_district_table()
    flagged = set(zip(poor["province_code"].astype(int), poor["district_code"].astype(int)))
    out["old_poor_district"] = [(p, d) in flagged for p, d in zip(out["old_province_code"], out["old_district_code"])]
    return out


@lru_cache(maxsize=1)
def new_communes() -> pd.DataFrame:
    """Every new unit with its province (names and codes)."""
    units = national_units(NEW)
    prov = units[units["level"] == "province"][["code", "name"]].set_axis(["new_province_code", "new_province"], axis=1)
    com = units[units["level"] == "commune"][["code", "name", "parent_code"]].set_axis(
        ["new_commune_code", "new_commune", "new_province_code"], axis=1)
    return com.astype({"new_province_code": "int64"}).merge(prov, on="new_province_code")


@lru_cache(maxsize=1)
def predecessors() -> pd.DataFrame:
    """One row per (old commune, new unit it went to): codes and names of both, the old
    district and whether it is a poor district, ``targets`` (new units the old commune went
    to: 1 when whole) and ``old_key`` (the old commune's matching key)."""
    walk = crosswalk()
    walk = walk.dropna(subset=["old_commune_code"])  # island districts without communes
    walk = walk[["old_commune_code", "new_commune_code"]].astype("int64").drop_duplicates()
    out = walk.merge(old_communes(), on="old_commune_code").merge(new_communes(), on="new_commune_code")
    out["targets"] = out.groupby("old_commune_code")["new_commune_code"].transform("nunique")
    out["old_key"] = out["old_commune"].map(name_key)
    return out.reset_index(drop=True)
