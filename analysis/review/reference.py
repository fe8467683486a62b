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
from .spellings import clean_text, name_index

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


@lru_cache(maxsize=1)
def _former_by_commune() -> dict[tuple[str, str], list[str]]:
    """The crosswalk's old communes of each new (province code, commune code), named as the
    old units table names them (else as the crosswalk writes them), in file order."""
    names = {code: clean_text(name) for level, code, name, _ in _table(OLD) if level == "commune"}
    out: dict[tuple[str, str], list[str]] = {}
    with CROSSWALK_PATH.open(encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        province, commune, code, name = (header.index(col) for col in ("new_province_code", "new_commune_code", "old_commune_code", "old_commune"))
        for r in rows:
            out.setdefault((r[province], r[commune]), []).append(names.get(r[code], clean_text(r[name])) if r[code] else clean_text(r[name]))
    return out


def former_communes(province_code: int, commune_code: int) -> list[str]:
    """The old communes the crosswalk sends into one new commune (as ``places._sources``)."""
    return _former_by_commune().get((str(province_code), str(commune_code)), [])
