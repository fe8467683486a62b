"""The reference units as plain Python: where their tables live, the two divisions, and one
province's units read with the ``csv`` module.

:mod:`.units` reads the same tables into pandas for the pandas path; this module serves the
columnar engine's lean ``summary`` (:mod:`analysis.measures.columnar.lean`), which must not
pay for importing pandas. Both give the same names in the same (GSO code) order: the file's.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..paths import DATA_DIR
from .spellings import clean_text, full_key, name_index, name_key

UNITS_PATH = DATA_DIR / "units.csv"
UNITS_OLD_PATH = DATA_DIR / "units_old.csv"
UNITS_NEW_PATH = DATA_DIR / "units_new.csv"
CROSSWALK_PATH = DATA_DIR / "crosswalk_2025.csv"
POOR_DISTRICTS_PATH = DATA_DIR / "poor_districts.csv"

#: The two administrative divisions: before 1 July 2025 (provinces, districts, communes) and after.
OLD = "old"
NEW = "new"
DIVISIONS: tuple[str, ...] = (OLD, NEW)
#: The first review year made on the new division (the end-2025 review, after 1 July 2025).
NEW_DIVISION_FROM_YEAR = 2025


@dataclass(frozen=True)
class ProvinceNames:
    """One province's units in one division, as :func:`analysis.review.units.province_units`
    gives them: districts and communes in file order, the poor districts flagged."""

    province: str
    code: int
    division: str
    districts: list[str] = field(default_factory=list)
    communes_by_district: dict[str, list[str]] = field(default_factory=dict)
    communes: list[str] = field(default_factory=list)
    poor_districts: list[str] = field(default_factory=list)
    #: Code of each commune name (new division), as :attr:`analysis.review.units.Units.commune_codes`.
    commune_codes: dict[str, int] = field(default_factory=dict)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=2)
def _table(division: str) -> list[tuple[str, str, str, str]]:
    """(level, code, name as written, parent code) of every unit, in file order, as text
    (codes are compared as the file writes them: whole numbers without leading zeros)."""
    with (UNITS_OLD_PATH if division == OLD else UNITS_NEW_PATH).open(encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        level, code, name, parent = (header.index(col) for col in ("level", "code", "name", "parent_code"))
        return [(r[level], r[code], r[name], r[parent]) for r in rows]


@lru_cache(maxsize=2)
def provinces(division: str) -> dict[str, int]:
    """Each province's canonical name and code, in file order."""
    return {clean_text(name): int(code) for level, code, name, _ in _table(division) if level == "province"}


def province_order(present: Sequence[str]) -> list[str]:
    """Provinces in official code order, as every output lists them: the new division's codes
    when the names ``present`` are all its provinces, else the old one's when they are all
    its provinces, else the new ones then the old ones not among them."""
    new, old = (sorted(provinces(d), key=provinces(d).__getitem__) for d in (NEW, OLD))
    names = set(present)
    if names <= set(new):
        return new
    if names <= set(old):
        return old
    return new + [p for p in old if p not in set(new)]


@lru_cache(maxsize=2)
def province_index(division: str) -> dict[str, str]:
    """The matching index of the division's province names (see :func:`.spellings.find_name`)."""
    return name_index(list(provinces(division)))


@lru_cache(maxsize=64)
def province_names(province: str, division: str) -> ProvinceNames:
    """The units of one province (canonical name) in ``division``."""
    code = provinces(division)[province]
    table, own = _table(division), str(code)
    if division == NEW:
        rows = [(clean_text(name), int(unit)) for level, unit, name, parent in table if parent == own and level == "commune"]
        return ProvinceNames(province, code, division, communes=[name for name, _ in rows], commune_codes=dict(rows))
    by_code = {unit: clean_text(name) for level, unit, name, parent in table if parent == own and level == "district"}
    districts = list(by_code.values())
    by_district: dict[str, list[str]] = {d: [] for d in districts}
    communes = []
    for level, _, name, parent in table:
        if level == "commune" and parent in by_code:
            communes.append(clean_text(name))
            by_district[by_code[parent]].append(communes[-1])
    flagged = {clean_text(r["district"]) for r in _rows(POOR_DISTRICTS_PATH) if r["province_code"] and int(r["province_code"]) == code}
    return ProvinceNames(province, code, division, districts, by_district, communes, [d for d in districts if d in flagged])


@dataclass(frozen=True)
class FormerCommune:
    """An old commune the crosswalk sends into a new unit: its code, its name as the old units
    table writes it (else as the crosswalk does), and its old district and province."""

    code: int | None
    name: str
    district: str
    district_code: int | None = None
    province: str = ""
    kind: str = ""  # its level word (Xã, Phường, Thị trấn), from the old units table

    @property
    def full(self) -> str:
        """Its name with the level word (the name itself where it has one)."""
        return self.name if full_key(self.name) != name_key(self.name) or not self.kind else f"{self.kind} {self.name}"

    def label(self, sources: Sequence[FormerCommune]) -> str:
        """Its name as a cleaned file holds it: with the level word where another old commune
        of ``sources`` has the same name (Phường and Xã Long Xuyên), else the name."""
        shared = any(name_key(s.name) == name_key(self.name) and (s.name, s.district_code) != (self.name, self.district_code) for s in sources)
        return self.full if shared else self.name

    def where(self, others: Sequence[FormerCommune]) -> str:
        """Its old district, with the province where another of ``others`` has a district of that name."""
        twin = any(o.district == self.district and o.district_code != self.district_code for o in others)
        return f"{self.district} ({self.province})" if twin and self.province else self.district


@lru_cache(maxsize=2)
def _kinds(division: str) -> dict[str, str]:
    """Each commune code's level word (``division_type``: Xã, Phường, Thị trấn)."""
    with (UNITS_OLD_PATH if division == OLD else UNITS_NEW_PATH).open(encoding="utf-8-sig", newline="") as f:
        return {r["code"]: clean_text(r["division_type"]) for r in csv.DictReader(f) if r["level"] == "commune"}


@lru_cache(maxsize=1)
def _former_by_commune() -> dict[tuple[str, str], list[FormerCommune]]:
    """The crosswalk's old communes of each new (province code, commune code), in file order."""
    table = _table(OLD)
    names = {code: clean_text(name) for level, code, name, _ in table if level == "commune"}
    kinds = _kinds(OLD)
    districts = {code: (clean_text(name), parent) for level, code, name, parent in table if level == "district"}
    provinces = {code: clean_text(name) for level, code, name, _ in table if level == "province"}
    out: dict[tuple[str, str], list[FormerCommune]] = {}
    with CROSSWALK_PATH.open(encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        province, commune, code, name, district = (header.index(col) for col in (
            "new_province_code", "new_commune_code", "old_commune_code", "old_commune", "old_district_code"))
        for r in rows:
            district_name, parent = districts.get(r[district], ("", ""))
            unit = FormerCommune(int(r[code]) if r[code] else None, names.get(r[code], clean_text(r[name])), district_name,
                                 int(r[district]) if r[district] else None, provinces.get(parent, ""), kinds.get(r[code], ""))
            sources = out.setdefault((r[province], r[commune]), [])
            if unit.code is None or all(s.code != unit.code for s in sources):
                sources.append(unit)
    return out


def former_communes(province_code: int, commune_code: int) -> list[FormerCommune]:
    """The old communes the crosswalk sends into one new commune, each once, in file order."""
    return _former_by_commune().get((str(province_code), str(commune_code)), [])


def named_former(sources: Sequence[FormerCommune], value: str) -> list[FormerCommune]:
    """The old communes of ``sources`` that ``value`` may name, one per name and old district:
    those its full name spells (with the level word: ``Xã Yên Viên`` is not ``Thị trấn Yên
    Viên``, ``Phường Long Xuyên`` not ``Xã Long Xuyên``), else those its name spells. One: the
    value names it; two or more: the value is ambiguous (two old communes of one name, of two
    districts), and nothing may pick one of them. (Two of one name in one district are one
    unit to every figure: the old units are told apart by district and name.)"""
    key = full_key(value)
    hits = [s for s in sources if key in (full_key(s.name), full_key(s.full))]
    if len({(s.name, s.district_code) for s in hits}) != 1:  # a bare name: its level word cannot tell
        hits = [s for s in sources if name_key(s.name) == name_key(value)]
    units: dict[tuple[str, int | None], FormerCommune] = {}
    for s in hits:
        units.setdefault((s.name, s.district_code), s)
    return list(units.values())
