"""Grouping levels shared by every measure: what a ``by`` argument accepts, the columns that
key and name a unit at each level, and the order units are reported in."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..errors import UsageError
from ..review import columns as c
from ..review.selection import available_years, select_year
from ..review.units import Units, units_for
from ..words import DEFAULT_LANG, catalogue, nfc
from .groups import ETHNIC_MINORITY, FORMER_DISTRICT, GROUP_LABELS, POOR_DISTRICT, with_groups

#: The levels a ``by`` argument accepts; a list of them is a crossing.
LEVELS: tuple[str, ...] = (
    "province",
    "district",
    "commune",
    FORMER_DISTRICT,
    "area",
    "ethnicity",
    ETHNIC_MINORITY,
    POOR_DISTRICT,
    "year",
)

#: A commune's province where it has no district (the new division, from the end-2025
#: review), else "". Commune names repeat across provinces (Xã Tân Lập is a commune of Lâm
#: Đồng and of Tây Ninh), so without districts the name alone is not a unit; a commune with
#: a district is keyed by its district as before, so a former district's 2025 rows (province
#: Thái Nguyên) and its 2024 rows (Bắc Kạn) stay one unit. A key column of the measures'
#: frames that no output shows (:func:`shown`): the unit label names the province instead
#: where the name is ambiguous.
COMMUNE_PROVINCE = "_commune_province"

#: Key columns that are never shown (CLI output drops them).
HIDDEN_KEYS: tuple[str, ...] = (COMMUNE_PROVINCE,)

#: The columns that identify a unit at each level.
LEVEL_KEYS: dict[str, tuple[str, ...]] = {
    "province": (c.PROVINCE,),
    "district": (c.DISTRICT,),
    "commune": (c.DISTRICT, c.COMMUNE, COMMUNE_PROVINCE),
    FORMER_DISTRICT: (FORMER_DISTRICT,),
    "area": (c.AREA,),
    "ethnicity": (c.ETHNICITY,),
    ETHNIC_MINORITY: (ETHNIC_MINORITY,),
    POOR_DISTRICT: (POOR_DISTRICT,),
    "year": (c.YEAR,),
}

#: The column whose value names a unit at each level (``year`` is a key, never a label).
_LABEL_COLUMN: dict[str, str] = {
    "province": c.PROVINCE,
    "district": c.DISTRICT,
    "commune": c.COMMUNE,
    FORMER_DISTRICT: FORMER_DISTRICT,
    "area": c.AREA,
    "ethnicity": c.ETHNICITY,
    ETHNIC_MINORITY: ETHNIC_MINORITY,
    POOR_DISTRICT: POOR_DISTRICT,
}

CROSSING_SEPARATOR = " × "

#: A ``by`` argument: None (the whole file), a level, levels, or ``"a,b"`` for a crossing.
By = str | Sequence[str] | None

def parse_by(by: By) -> list[str]:
    """The levels of a ``by`` argument: None, a level, a list, or ``"a,b"`` for a crossing."""
    if by is None:
        return []
    if isinstance(by, str):
        items = [part.strip() for part in by.split(",") if part.strip()]
    else:
        items = [str(part).strip() for part in by]
    unknown = [item for item in items if item not in LEVELS]
    if unknown:
        raise UsageError(f"unknown grouping level(s) {', '.join(map(repr, unknown))}; known levels: {', '.join(LEVELS)}")
    if len(set(items)) != len(items):
        raise UsageError(f"grouping level repeated in {items!r}")
    return items

def require_districts(levels: list[str], years: list[int], district_years: list[int], *, division_option: bool = False) -> None:
    """Refuse the district level for review years without districts (none from the end-2025
    review: the units of 1 July 2025 are provinces and communes), rather than report one
    unnamed row; ``years`` are those grouped, ``district_years`` those of the data that name districts
    (``division_option``: the command also takes ``--division old``)."""
    if "district" not in levels:
        return
    missing = sorted(set(years) - set(district_years))
    if not missing:
        return
    which = ", ".join(map(str, missing))
    message = (
        f"there are no districts in the {which} review{'s' if len(missing) > 1 else ''}: the district level does not exist "
        "from the end-2025 review; use --by former_district (the districts before 1 July 2025)"
        + (", --by commune or --division old" if division_option else " or --by commune")
    )
    if district_years:
        message += f"; the data have districts for {', '.join(map(str, sorted(district_years)))} (choose one with --year)"
    raise UsageError(message)


def group_keys(levels: list[str]) -> list[str]:
    """The key columns of a list of levels, each once, in order."""
    keys: list[str] = []
    for level in levels:
        keys.extend(k for k in LEVEL_KEYS[level] if k not in keys)
    return keys

def with_keys(households: pd.DataFrame, levels: list[str], units: Units | None = None) -> pd.DataFrame:
    """The households with every key column the levels need (groups added when missing)."""
    needed = group_keys(levels)
    if FORMER_DISTRICT in needed and FORMER_DISTRICT not in households:
        from .rebase import with_former_geography  # households it cannot place show as 'unknown'

        households = with_former_geography(households).households
    if any(k in (ETHNIC_MINORITY, POOR_DISTRICT) and k not in households for k in needed):
        households = with_groups(households, units)
    if COMMUNE_PROVINCE in needed and COMMUNE_PROVINCE not in households and c.COMMUNE in households:
        households = households.assign(**{COMMUNE_PROVINCE: commune_province(households)})
    missing = [k for k in needed if k not in households]
    if missing:
        raise UsageError(f"the data has no column(s) {', '.join(missing)} needed for by={levels}")
    return households

def commune_province(households: pd.DataFrame) -> pd.Series:
    """The :data:`COMMUNE_PROVINCE` key: the province of each household without a district, else ""."""
    if c.PROVINCE not in households:
        return pd.Series("", index=households.index, dtype=object)
    if c.DISTRICT not in households:
        no_district = pd.Series(True, index=households.index)
    else:
        district = households[c.DISTRICT]
        blank = [v for v in pd.unique(district) if pd.isna(v) or str(v).strip() == ""]  # once per distinct name
        no_district = district.isna() | district.isin(blank)
    province = households[c.PROVINCE].astype(object)
    return province.where(no_district.to_numpy(), "")

def ambiguous_communes(households: pd.DataFrame) -> set[str]:
    """Names of communes without a district that are communes of several provinces in
    ``households`` (their labels and row ids name the province)."""
    if c.COMMUNE not in households or households.empty:
        return set()
    provinces = (households[COMMUNE_PROVINCE] if COMMUNE_PROVINCE in households else commune_province(households)).astype("string").fillna("")
    known = (provinces != "") & (households[c.COMMUNE].astype("string").fillna("") != "")
    if not known.any():
        return set()
    pairs = pd.DataFrame({"name": households[c.COMMUNE].astype("string")[known], "province": provinces[known]}).drop_duplicates()
    counts = pairs.groupby("name")["province"].nunique()
    return {str(n) for n in counts[counts > 1].index}

def commune_label(name: str, province: str, lang: str = DEFAULT_LANG) -> str:
    """A commune named with its province (the catalogue's ``unit_in_province``)."""
    return nfc(catalogue(lang).label("labels", "unit_in_province").format(name=name, province=province))

def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without the key columns no output shows (:data:`HIDDEN_KEYS`)."""
    hidden = [k for k in HIDDEN_KEYS if k in frame]
    return frame.drop(columns=hidden) if hidden else frame

def single_year(households: pd.DataFrame, year: int | None, levels: list[str]) -> pd.DataFrame:
    """One year of a panel (or the whole panel when ``year`` is a grouping level).

    Pooling several review years into one rate would count households twice, so a panel
    without ``year`` must say which year it means.
    """
    if c.YEAR not in households:
        if year is not None:
            raise UsageError(f"the data has no {c.YEAR!r} column, so year={year} cannot be selected")
        return households
    if year is not None:
        return select_year(households, year)
    years = available_years(households)
    if len(years) > 1 and "year" not in levels:
        raise UsageError(
            f"the data holds several years ({', '.join(map(str, years))}); choose one with year=… "
            "or group by 'year'"
        )
    return households

def unit_labels(frame: pd.DataFrame, levels: list[str], default: str, lang: str = DEFAULT_LANG) -> pd.Series:
    """A readable unit name for each row: the levels' labels joined (``default`` if none)."""
    parts = []
    for level in levels:
        if level == "year":
            continue
        values = frame[_LABEL_COLUMN[level]]
        if level in GROUP_LABELS:
            parts.append(values.map(lambda v, lv=level: GROUP_LABELS[lv][bool(v)]))
        elif level == "commune":
            parts.append(_commune_labels(frame, lang) if "province" not in levels else _names(values))
        else:
            parts.append(_names(values))
    if not parts:
        return pd.Series(default, index=frame.index, dtype=object)
    label = parts[0].astype(str)
    for part in parts[1:]:
        label = label + CROSSING_SEPARATOR + part.astype(str)
    return label

def _names(values: pd.Series) -> pd.Series:
    return values.astype("string").fillna("unknown").astype(str)

def _commune_labels(frame: pd.DataFrame, lang: str) -> pd.Series:
    """Commune names, with the province in brackets (the catalogue's ``unit_in_province``)
    where the same name is a commune of several provinces in ``frame``, so a one-province
    output reads as before. The province is the :data:`COMMUNE_PROVINCE` key where the frame
    has it (communes without a district), else the ``province`` column."""
    names = _names(frame[c.COMMUNE])
    column = COMMUNE_PROVINCE if COMMUNE_PROVINCE in frame else c.PROVINCE
    if column not in frame or frame.empty:
        return names
    provinces = frame[column].astype("string").fillna("").astype(str)
    known = provinces != ""
    ambiguous = known & (provinces.where(known).groupby(names).transform("nunique") > 1)
    if not ambiguous.any():
        return names
    pairs = {(n, p): commune_label(n, p, lang) for n, p in set(zip(names[ambiguous], provinces[ambiguous]))}
    out = names.copy()
    out[ambiguous] = [pairs[(n, p)] for n, p in zip(names[ambiguous], provinces[ambiguous])]
    return out


def _rank(values: pd.Series, order: list) -> pd.Series:
    """Position in ``order``; unknown values after, alphabetically."""
    position = {v: i for i, v in enumerate(order)}
    extra = sorted({v for v in values.dropna().unique() if v not in position}, key=str)
    position.update({v: len(order) + i for i, v in enumerate(extra)})
    return values.map(position).fillna(len(position)).astype(float)

def sort_units(
    frame: pd.DataFrame,
    keys: list[str],
    units: Units | None = None,
    *,
    ethnicity_order: list[str] | None = None,
) -> pd.DataFrame:
    """Rows in reporting order: districts and communes in GSO order, areas rural first,
    ethnic groups by size (``ethnicity_order``), policy groups first, years ascending."""
    if not keys or frame.empty:
        return frame.reset_index(drop=True)
    units = units or units_for(frame)
    communes = [m for d in units.districts for m in units.communes_by_district[d]]
    if c.COMMUNE in keys and c.DISTRICT in frame and (frame[c.DISTRICT].astype(str) == "").all():
        from .predecessors import new_communes  # new-division communes (no district): their GSO order

        table = new_communes().sort_values("new_commune_code")
        present = set(frame[c.PROVINCE].dropna().astype(str)) if c.PROVINCE in frame else {units.province}
        ours = table[table["new_province"].isin(present)]  # a name's place in its own province, not its last one nationally
        communes = (ours if len(ours) else table)["new_commune"].drop_duplicates().tolist()
    provinces: list[str] = []
    if COMMUNE_PROVINCE in keys and (frame[COMMUNE_PROVINCE].astype("string").fillna("") != "").any():
        from .predecessors import new_communes  # same-named communes of several provinces: provinces in GSO order

        provinces = new_communes().drop_duplicates("new_province_code").sort_values("new_province_code")["new_province"].tolist()
    orders: dict[str, list] = {
        c.PROVINCE: [units.province],
        c.DISTRICT: units.districts,
        c.COMMUNE: communes,
        COMMUNE_PROVINCE: provinces,
        FORMER_DISTRICT: units.districts,
        c.AREA: list(c.AREAS),
        c.ETHNICITY: ethnicity_order or [],
        ETHNIC_MINORITY: [True, False],
        POOR_DISTRICT: [True, False],
    }
    ranks = pd.DataFrame(index=frame.index)
    for i, key in enumerate(keys):
        if key == c.YEAR:
            ranks[f"_r{i}"] = frame[key].astype(float)
        else:
            ranks[f"_r{i}"] = _rank(frame[key], orders[key])
    order = ranks.sort_values(list(ranks.columns), kind="mergesort").index
    return frame.loc[order].reset_index(drop=True)

def ethnicity_order(households: pd.DataFrame) -> list[str]:
    """Ethnic groups by number of households, largest first (ties by name)."""
    if c.ETHNICITY not in households:
        return []
    counts = households[c.ETHNICITY].value_counts()
    return sorted(counts.index, key=lambda e: (-counts[e], str(e)))

def province_label(households: pd.DataFrame, units: Units | None = None) -> str:
    """The province's name: the data's single province, else the reference province."""
    if c.PROVINCE in households:
        names = pd.unique(households[c.PROVINCE].dropna())
        if len(names) == 1:
            return str(names[0])
    return (units or units_for(households)).province
