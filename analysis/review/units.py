"""Administrative units: reference lists of both divisions, name normalisation and matching.

Names in review files come in many spellings of the same unit: with or without the level
word (``Huyện Pác Nặm`` / ``Pác Nặm``), in NFC or NFD, with the old or new tone-mark
placement (``Trung Hoà`` / ``Trung Hòa``). All of them map to one canonical name from
the reference units (``data/units_old.csv`` before 1 July 2025, ``data/units_new.csv`` after;
``data/units.csv`` is the bundled province's old slice); a name that maps to none gets the closest
known name as a suggestion.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from ..errors import UsageError
from . import columns as cols
from .reference import (  # re-exported: the paths and divisions are used from here
    CROSSWALK_PATH as CROSSWALK_PATH,
)
from .reference import (
    DIVISIONS as DIVISIONS,
)
from .reference import (
    NEW as NEW,
)
from .reference import (
    NEW_DIVISION_FROM_YEAR as NEW_DIVISION_FROM_YEAR,
)
from .reference import (
    OLD as OLD,
)
from .reference import (
    POOR_DISTRICTS_PATH as POOR_DISTRICTS_PATH,
)
from .reference import (
    UNITS_NEW_PATH as UNITS_NEW_PATH,
)
from .reference import (
    UNITS_OLD_PATH as UNITS_OLD_PATH,
)
from .reference import (
    UNITS_PATH as UNITS_PATH,
)
from .spellings import clean_text, name_key
from .spellings import find_name as _lookup
from .spellings import full_key as full_key  # re-exported: places.py and others use it from here
from .spellings import name_index as _index


def ascii_fold(text: str) -> str:
    """Text without diacritics (``đ`` becomes ``d``)."""
    text = unicodedata.normalize("NFD", clean_text(text)).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def slugify(name: str) -> str:
    """ASCII file-name slug: ``Thành phố Bắc Kạn`` -> ``thanh-pho-bac-kan``."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(name).lower()).strip("-")


def closest(name: str, candidates: list[str]) -> str | None:
    """The candidate most like ``name`` (compared without diacritics), if any is close."""
    folded = {ascii_fold(name_key(c)): c for c in candidates}
    hits = difflib.get_close_matches(ascii_fold(name_key(name)), list(folded), n=1, cutoff=0.6)
    return folded[hits[0]] if hits else None


@dataclass(frozen=True)
class Units:
    """The reference units of one province in one division: the province, its districts
    (none in the new division) and its communes."""

    table: pd.DataFrame
    division: str = OLD

    @cached_property
    def province(self) -> str:
        return str(self.table.loc[self.table["level"] == "province", "name"].iloc[0])

    @cached_property
    def province_code(self) -> int:
        return int(self.table.loc[self.table["level"] == "province", "code"].iloc[0])

    @cached_property
    def districts(self) -> list[str]:
        """District names in GSO code order (empty in the new division)."""
        return self.table.loc[self.table["level"] == "district", "name"].tolist()

    @cached_property
    def poor_districts(self) -> list[str]:
        rows = self.table[(self.table["level"] == "district") & (self.table["poor_district"] == 1)]
        return rows["name"].tolist()

    @cached_property
    def district_codes(self) -> dict[str, int]:
        rows = self.table[self.table["level"] == "district"]
        return dict(zip(rows["name"], rows["code"].astype(int)))

    @cached_property
    def communes(self) -> list[str]:
        """Commune names in GSO code order (a name may repeat in two districts)."""
        return self.table.loc[self.table["level"] == "commune", "name"].tolist()

    @cached_property
    def commune_codes(self) -> dict[str, int]:
        """Code of each commune name (new division; in the old one names may repeat)."""
        rows = self.table[self.table["level"] == "commune"]
        return dict(zip(rows["name"], rows["code"].astype(int)))

    @cached_property
    def communes_by_district(self) -> dict[str, list[str]]:
        """Commune names of each district, in GSO code order (empty in the new division)."""
        codes = {v: k for k, v in self.district_codes.items()}
        rows = self.table[self.table["level"] == "commune"]
        out: dict[str, list[str]] = {d: [] for d in self.districts}
        for parent, name in zip(rows["parent_code"].astype(int), rows["name"]):
            if parent in codes:
                out[codes[parent]].append(name)
        return out

    @cached_property
    def commune_district(self) -> dict[str, str]:
        """District of each commune name (the first, where two districts share a name)."""
        out: dict[str, str] = {}
        for d, coms in self.communes_by_district.items():
            for com in coms:
                out.setdefault(com, d)
        return out

    @cached_property
    def _keys(self) -> dict[str, dict[str, str]]:
        return {
            "province": _index([self.province]),
            "district": _index(self.districts),
            "commune": _index(self.communes),
        }

    @cached_property
    def _district_keys(self) -> dict[str, dict[str, str]]:
        return {d: _index(coms) for d, coms in self.communes_by_district.items()}

    def canonical(self, level: str, name: str) -> str | None:
        """The canonical name of a unit at ``level`` ('province', 'district', 'commune')."""
        return _lookup(self._keys[level], name)

    def canonical_commune(self, name: str, district: str | None = None) -> str | None:
        """A commune's canonical name, within ``district`` when one is given (old division)."""
        if district is not None and district in self._district_keys:
            return _lookup(self._district_keys[district], name)
        return self.canonical("commune", name)

    def in_district(self, commune: str, district: str) -> bool:
        return commune in self.communes_by_district.get(district, [])

    def suggest(self, level: str, name: str, district: str | None = None) -> str | None:
        """The closest known name at ``level`` (within ``district`` for communes)."""
        if level == "commune" and district in self.communes_by_district:
            return closest(name, self.communes_by_district[district]) or closest(name, self.communes)
        if level == "commune":
            return closest(name, self.communes)
        return closest(name, list(self._keys[level].values()))

    def is_poor_district(self, district: str) -> bool:
        return district in self.poor_districts


def division_of_year(year: int) -> str:
    """The division a review year is made on: the end-2025 review and later use the new one."""
    return NEW if int(year) >= NEW_DIVISION_FROM_YEAR else OLD


@lru_cache(maxsize=2)
def national_units(division: str) -> pd.DataFrame:
    """Every unit of the country in ``division`` ('old' or 'new'), names in NFC."""
    if division not in DIVISIONS:
        raise UsageError(f"unknown division {division!r}; expected one of: {', '.join(DIVISIONS)}")
    table = pd.read_csv(UNITS_OLD_PATH if division == OLD else UNITS_NEW_PATH, dtype={"name": str}, encoding="utf-8-sig")
    table["name"] = table["name"].map(clean_text)
    table["parent_code"] = table["parent_code"].astype("Int64")
    return table


@lru_cache(maxsize=1)
def poor_district_table(path: Path | str = POOR_DISTRICTS_PATH) -> pd.DataFrame:
    """The user-editable poor districts (``data/poor_districts.csv``), with sources."""
    table = pd.read_csv(path, dtype={"province": str, "district": str, "source": str}, encoding="utf-8-sig")
    table["district"] = table["district"].map(clean_text)
    return table


@lru_cache(maxsize=1)
def _provinces() -> dict[str, dict[str, str]]:
    return {d: _index(national_units(d).loc[lambda t: t["level"] == "province", "name"].tolist()) for d in DIVISIONS}


def find_province(name: str, division: str) -> str | None:
    """The canonical name of a province of ``division`` (``Tỉnh Bắc Kạn``, ``bắc kạn``, NFD …)."""
    return _lookup(_provinces()[division], name)


def province_names(division: str) -> list[str]:
    table = national_units(division)
    return table.loc[table["level"] == "province", "name"].tolist()


@lru_cache(maxsize=256)
def province_units(province: str, division: str) -> Units:
    """The units of one province (canonical name) in ``division``, poor districts flagged."""
    table = national_units(division)
    head = table[(table["level"] == "province") & (table["name"] == province)]
    if head.empty:
        raise UsageError(f"no province {province!r} in the {division} division")
    code = int(head["code"].iloc[0])
    if division == NEW:
        body = table[(table["level"] == "commune") & (table["parent_code"] == code)]
        parts = [head, body]
    else:
        districts = table[(table["level"] == "district") & (table["parent_code"] == code)]
        communes = table[(table["level"] == "commune") & table["parent_code"].isin(districts["code"])]
        parts = [head, districts, communes]
    out = pd.concat(parts, ignore_index=True)
    poor = poor_district_table()
    flagged = set(poor.loc[poor["province_code"] == code, "district"]) if division == OLD else set()
    out["poor_district"] = ((out["level"] == "district") & out["name"].isin(flagged)).astype(int)
    return Units(out, division)


def new_provinces(units: Units) -> tuple[str, ...]:
    """The new-division provinces of ``units``: their own where they are new units, else those
    their province's communes went into on 1 July 2025 (the crosswalk: Bắc Kạn's, Thái
    Nguyên), the one holding most of them first."""
    table = national_units(NEW)
    names = table[table["level"] == "province"].set_index("code")["name"]
    if units.division == NEW:
        own = units.table.loc[units.table["level"] == "province", "name"]
        return tuple(str(n) for n in own if n in set(names))
    walk = crosswalk()
    codes = walk.loc[walk["old_province_code"] == units.province_code, "new_province_code"].value_counts().index
    return tuple(str(names[int(code)]) for code in codes if int(code) in names.index)


@lru_cache(maxsize=64)
def new_unit_types(provinces: tuple[str, ...]) -> dict[str, str]:
    """Each new unit of ``provinces`` by name, with its type (``Xã``, ``Phường``, ``Đặc
    khu``): the reference units', so whatever a brief's inputs carry (the batch's cache holds
    no households). A name in two of them: the first province's."""
    types: dict[str, str] = {}
    for province in provinces:
        rows = province_units(province, NEW).table
        rows = rows[rows["level"] == "commune"]
        for name, kind in zip(rows["name"], rows["division_type"]):
            types.setdefault(str(name), str(kind))
    return types


def load_units(path: Path | str = UNITS_PATH, *, province: str | None = None, division: str = OLD) -> Units:
    """A units table: the bundled province's old division (``data/units.csv``) by default,
    or any province (name in any spelling) in either division from the national tables."""
    if province is not None:
        canonical = find_province(province, division)
        if canonical is None:
            hint = closest(province, province_names(division))
            did_you_mean = f" (did you mean {hint!r}?)" if hint else ""
            raise UsageError(f"no province {province!r} in the {division} division{did_you_mean}")
        return province_units(canonical, division)
    table = pd.read_csv(path, dtype={"name": str}, encoding="utf-8-sig")
    table["name"] = table["name"].map(clean_text)
    table["poor_district"] = table["poor_district"].fillna(0).astype(int)
    return Units(table, OLD)


def units_for(households: pd.DataFrame | None = None) -> Units:
    """The reference units of the data's province, in the division its breakdowns use.

    Data with old-division years (up to 2024): the old units of the province with most of
    those rows. Data of new-division years only: the old units of the one former province
    all their ``former_commune`` values come from (e.g. the former Bắc Kạn part of Thái
    Nguyên: its former districts), else the new units of the province. No province in the
    data: the bundled province's units (``data/units.csv``).
    """
    if households is None or cols.PROVINCE not in households or households.empty:
        return load_units()
    years = pd.to_numeric(households[cols.YEAR], errors="coerce") if cols.YEAR in households else pd.Series(NEW_DIVISION_FROM_YEAR - 1, index=households.index)
    old_rows = households[years < NEW_DIVISION_FROM_YEAR]
    if not old_rows.empty:
        name = find_province(str(old_rows[cols.PROVINCE].value_counts().index[0]), OLD)
        return province_units(name, OLD) if name else load_units()
    name = find_province(str(households[cols.PROVINCE].value_counts().index[0]), NEW)
    if name is None:
        return load_units()
    former = _former_province(households, name)
    return province_units(former, OLD) if former else province_units(name, NEW)


def provinces_of(households: pd.DataFrame) -> set[str]:
    """The provinces a review's rows belong to: each row's province, and for new-division
    data whose former communes all lie in one old province, that province too (the former
    Bắc Kạn part of Thái Nguyên keeps Bắc Kạn's targets and published figures)."""
    if cols.PROVINCE not in households or households.empty:
        return set()
    names = {str(n) for n in pd.unique(households[cols.PROVINCE].dropna()) if str(n).strip()}
    years = pd.to_numeric(households[cols.YEAR], errors="coerce") if cols.YEAR in households else None
    new_rows = households if years is None else households[years >= NEW_DIVISION_FROM_YEAR]
    for province in pd.unique(new_rows[cols.PROVINCE].dropna()):
        name = find_province(str(province), NEW)
        former = _former_province(new_rows[new_rows[cols.PROVINCE] == province], name) if name else None
        if former:
            names.add(former)
    return names


def _former_province(households: pd.DataFrame, province: str) -> str | None:
    """The one old province that every ``former_commune`` of new-division data comes from
    (each matched within its new commune, as names repeat across old provinces)."""
    if cols.FORMER_COMMUNE not in households or cols.COMMUNE not in households:
        return None
    pairs = households[[cols.COMMUNE, cols.FORMER_COMMUNE]].dropna().astype(str).drop_duplicates()
    pairs = pairs[pairs[cols.FORMER_COMMUNE].str.strip() != ""]
    if pairs.empty:
        return None
    code = int(national_units(NEW).loc[lambda t: (t["level"] == "province") & (t["name"] == province), "code"].iloc[0])
    walk = crosswalk()
    walk = walk[walk["new_province_code"] == code]
    walk = walk.assign(_new=walk["new_commune"].map(name_key), _old=walk["old_commune"].map(name_key))
    wanted = pairs.assign(_new=pairs[cols.COMMUNE].map(name_key), _old=pairs[cols.FORMER_COMMUNE].map(name_key))
    hits = walk.merge(wanted[["_new", "_old"]], on=["_new", "_old"])
    provinces = set(hits["old_province_code"].astype(int))
    if len(provinces) != 1 or hits[["_new", "_old"]].drop_duplicates().shape[0] < len(wanted[["_new", "_old"]].drop_duplicates()):
        return None
    (only,) = provinces
    old = national_units(OLD)
    names = old.loc[(old["level"] == "province") & (old["code"] == only), "name"]
    return str(names.iloc[0]) if len(names) else None


@lru_cache(maxsize=1)
def crosswalk() -> pd.DataFrame:
    """Each old commune → its new unit(s) (``data/crosswalk_2025.csv``); ``change`` is
    'whole' or 'split'. Names in the crosswalk keep their level words."""
    table = pd.read_csv(CROSSWALK_PATH, dtype={"old_commune": str, "new_commune": str}, encoding="utf-8-sig")
    table["old_commune_code"] = table["old_commune_code"].astype("Int64")
    for col in ("old_commune", "new_commune"):
        table[col] = table[col].map(clean_text)
    return table
