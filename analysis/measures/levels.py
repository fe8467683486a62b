"""Grouping levels shared by every measure: what a ``by`` argument accepts, the columns that
key and name a unit at each level, and the order units are reported in."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..errors import UsageError
from ..review import columns as c
from ..review.reference import province_order
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

#: The province of a unit that has a district (the old division, up to the 2024 review),
#: else "". District names repeat across provinces (Châu Thành is a district of ten), and so
#: do (district, commune) pairs, so a district, and a commune under it, is keyed with its
#: province: a unit's full identity is (province, district, commune). A household briefed in
#: its former district (a new-division year, :mod:`.rebase`) is keyed with its former
#: province, so a former district's 2025 rows (province Thái Nguyên) and its 2024 rows (Bắc
#: Kạn) stay one unit. Never shown, like :data:`COMMUNE_PROVINCE`.
DISTRICT_PROVINCE = "_district_province"

#: The old province of a household's former district (its ``former_province``), "" where
#: it has none: former districts of several old provinces share names as districts do.
FORMER_DISTRICT_PROVINCE = "_former_district_province"

#: Key columns that are never shown (CLI output drops them).
HIDDEN_KEYS: tuple[str, ...] = (COMMUNE_PROVINCE, DISTRICT_PROVINCE, FORMER_DISTRICT_PROVINCE)

#: The columns that identify a unit at each level.
LEVEL_KEYS: dict[str, tuple[str, ...]] = {
    "province": (c.PROVINCE,),
    "district": (c.DISTRICT, DISTRICT_PROVINCE),
    "commune": (c.DISTRICT, c.COMMUNE, COMMUNE_PROVINCE, DISTRICT_PROVINCE),
    FORMER_DISTRICT: (FORMER_DISTRICT, FORMER_DISTRICT_PROVINCE),
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
    if DISTRICT_PROVINCE in needed and DISTRICT_PROVINCE not in households and c.DISTRICT in households:
        households = households.assign(**{DISTRICT_PROVINCE: district_province(households)})
    if FORMER_DISTRICT_PROVINCE in needed and FORMER_DISTRICT_PROVINCE not in households and FORMER_DISTRICT in households:
        households = households.assign(**{FORMER_DISTRICT_PROVINCE: former_district_province(households)})
    missing = [k for k in needed if k not in households]
    if missing:
        raise UsageError(f"the data has no column(s) {', '.join(missing)} needed for by={levels}")
    return households

def with_unit_keys(households: pd.DataFrame) -> pd.DataFrame:
    """The households with the :data:`COMMUNE_PROVINCE` and :data:`DISTRICT_PROVINCE` keys
    added once (where :func:`with_keys` would add them). Both are worked out household by
    household, so any rows taken from the result carry the keys :func:`with_keys` would give
    those rows: a caller measuring many groupings of one panel computes them once, not per call."""
    added = {}
    if COMMUNE_PROVINCE not in households and c.COMMUNE in households:
        added[COMMUNE_PROVINCE] = commune_province(households)
    if DISTRICT_PROVINCE not in households and c.DISTRICT in households:
        added[DISTRICT_PROVINCE] = district_province(households)
    return households.assign(**added) if added else households

def commune_province(households: pd.DataFrame) -> pd.Series:
    """The :data:`COMMUNE_PROVINCE` key: the province of each household without a district, else ""."""
    if c.PROVINCE not in households:
        return pd.Series("", index=households.index, dtype=object)
    province = households[c.PROVINCE].astype(object)
    return province.where(_no_district(households).to_numpy(), "")

def _no_district(households: pd.DataFrame) -> pd.Series:
    """Whether each household has no district (empty or missing)."""
    if c.DISTRICT not in households:
        return pd.Series(True, index=households.index)
    district = households[c.DISTRICT]
    blank = [v for v in pd.unique(district) if pd.isna(v) or str(v).strip() == ""]  # once per distinct name
    return district.isna() | district.isin(blank)

def district_province(households: pd.DataFrame) -> pd.Series:
    """The :data:`DISTRICT_PROVINCE` key: the province of each household with a district (its
    ``former_province`` where it has one: the district is then its former district), else ""."""
    from .rebase import FORMER_PROVINCE

    if c.PROVINCE not in households:
        return pd.Series("", index=households.index, dtype=object)
    province = households[c.PROVINCE].astype(object)
    if FORMER_PROVINCE in households:
        former = households[FORMER_PROVINCE].astype(object)
        province = former.where(former.notna(), province)
    return province.where(~_no_district(households).to_numpy(), "")

def former_district_province(households: pd.DataFrame) -> pd.Series:
    """The :data:`FORMER_DISTRICT_PROVINCE` key: each household's ``former_province`` where it
    has a former district, else ""."""
    from .rebase import FORMER_PROVINCE

    if FORMER_PROVINCE not in households:
        return pd.Series("", index=households.index, dtype=object)
    placed = households[FORMER_DISTRICT].notna() & households[FORMER_PROVINCE].notna()
    return households[FORMER_PROVINCE].astype(object).where(placed.to_numpy(), "")

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

def ambiguous_districts(households: pd.DataFrame) -> set[str]:
    """Names of districts that are districts of several provinces in ``households`` (their
    labels and row ids name the province)."""
    if c.DISTRICT not in households or households.empty:
        return set()
    provinces = (households[DISTRICT_PROVINCE] if DISTRICT_PROVINCE in households else district_province(households)).astype("string").fillna("")
    known = provinces != ""
    if not known.any():
        return set()
    pairs = pd.DataFrame({"name": households[c.DISTRICT].astype("string")[known], "province": provinces[known]}).drop_duplicates()
    counts = pairs.groupby("name")["province"].nunique()
    return {str(n) for n in counts[counts > 1].index}

def commune_label(name: str, province: str, lang: str = DEFAULT_LANG, district: str | None = None) -> str:
    """A unit named with its province (the catalogue's ``unit_in_province``), or with its
    district (``unit_in_district``), or both (``unit_in_district_province``)."""
    labels = catalogue(lang)
    if district and province:
        text = labels.label("labels", "unit_in_district_province").format(name=name, district=district, province=province)
    elif district:
        text = labels.label("labels", "unit_in_district").format(name=name, district=district)
    else:
        text = labels.label("labels", "unit_in_province").format(name=name, province=province)
    return nfc(text)

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
    """A readable unit name for each row: the levels' labels joined (``default`` if none).

    A name that stands for several units in ``frame`` is told apart the way the levels shown
    beside it do not already: a district or commune of several provinces with its province,
    an old-division commune whose name repeats within its province with its district."""
    parts = []
    for level in levels:
        if level == "year":
            continue
        values = frame[_LABEL_COLUMN[level]]
        if level in GROUP_LABELS:
            parts.append(values.map(lambda v, lv=level: GROUP_LABELS[lv][bool(v)]))
        elif level == "commune":
            parts.append(_commune_labels(frame, lang, province="province" not in levels, district="district" not in levels, by_year="year" in levels))
        elif level == "district" and "province" not in levels:
            parts.append(_district_labels(frame, lang, by_year="year" in levels))
        elif level == FORMER_DISTRICT:
            parts.append(_district_labels(frame, lang, by_year="year" in levels, column=FORMER_DISTRICT, owner=FORMER_DISTRICT_PROVINCE))
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

def _texts(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].astype("string").fillna("").astype(str)

def _years(frame: pd.DataFrame, by_year: bool) -> pd.Series:
    """Each row's year where rows of several years are told apart within their year, else one value."""
    if by_year and c.YEAR in frame:
        return frame[c.YEAR].astype("string").fillna("")
    return pd.Series("", index=frame.index, dtype=object)

def _district_labels(frame: pd.DataFrame, lang: str, *, by_year: bool = False, column: str = c.DISTRICT, owner: str = DISTRICT_PROVINCE) -> pd.Series:
    """District names (of ``column``), with the province (``owner``) in brackets where the
    same name is a district of several provinces in ``frame`` (Châu Thành of Tiền Giang and of
    Bến Tre); ``by_year``: within each year's rows."""
    names = _names(frame[column])
    provinces = _texts(frame, owner)
    known = provinces != ""
    if frame.empty or not known.any():
        return names
    places = pd.DataFrame({"year": _years(frame, by_year), "name": names, "province": provinces})[known]
    ambiguous = known & (places.groupby(["year", "name"])["province"].transform("nunique") > 1).reindex(frame.index, fill_value=False)
    if not ambiguous.any():
        return names
    out = names.copy()
    out[ambiguous] = [commune_label(n, p, lang) for n, p in zip(names[ambiguous], provinces[ambiguous])]
    return out

def _commune_labels(frame: pd.DataFrame, lang: str, *, province: bool = True, district: bool = True, by_year: bool = False) -> pd.Series:
    """Commune names, told apart where the same name is several units in ``frame``: with the
    province in brackets (the catalogue's ``unit_in_province``) where the name is a commune of
    several provinces, with the district (``unit_in_district``) where it is a commune of
    several districts of its province, with both where both hold; so a one-province output
    whose names are all different reads as before. ``province``/``district``: whether the
    label may name them (not when the output's other levels already do). A commune's
    province is its :data:`COMMUNE_PROVINCE` or :data:`DISTRICT_PROVINCE` key where the frame
    has them, else the ``province`` column. ``by_year``: within each year's rows."""
    names = _names(frame[c.COMMUNE])
    if frame.empty:
        return names
    if COMMUNE_PROVINCE in frame or DISTRICT_PROVINCE in frame:
        provinces = _texts(frame, COMMUNE_PROVINCE)
        provinces = provinces.where(provinces != "", _texts(frame, DISTRICT_PROVINCE))
    elif c.PROVINCE in frame:
        provinces = _texts(frame, c.PROVINCE)
    else:
        return names
    districts = _texts(frame, c.DISTRICT)
    known = provinces != ""
    if not known.any():
        return names
    places = pd.DataFrame({"year": _years(frame, by_year), "name": names, "province": provinces, "district": districts})[known]
    spread = places.groupby(["year", "name"])["province"].transform("nunique") > 1  # the name's rows, all of them
    repeats = places.groupby(["year", "name", "province"])["district"].transform("nunique") > 1  # its rows of that province
    with_province = (spread & province).reindex(frame.index, fill_value=False)
    with_district = (repeats & district).reindex(frame.index, fill_value=False) & (districts != "")
    ambiguous = with_province | with_district
    if not ambiguous.any():
        return names
    out = names.copy()
    out[ambiguous] = [
        commune_label(n, p if wp else "", lang, d if wd else None)
        for n, p, d, wp, wd in zip(names[ambiguous], provinces[ambiguous], districts[ambiguous], with_province[ambiguous], with_district[ambiguous])
    ]
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
    old_provinces: list[str] = []
    for owner, district in ((DISTRICT_PROVINCE, c.DISTRICT), (FORMER_DISTRICT_PROVINCE, FORMER_DISTRICT)):
        if owner in keys and owner in frame and frame[owner].astype("string").fillna("").nunique() > 1:
            from .predecessors import old_communes  # districts of several provinces: provinces, then their districts, in GSO order

            ref = old_communes()
            old_provinces = ref.drop_duplicates("old_province_code").sort_values("old_province_code")["old_province"].tolist()
            keys = _province_first(keys, owner, district)
    orders: dict[str, list] = {
        c.PROVINCE: province_order(frame[c.PROVINCE].dropna().astype(str).unique().tolist()) if c.PROVINCE in keys else [units.province],
        c.DISTRICT: units.districts,
        c.COMMUNE: communes,
        COMMUNE_PROVINCE: provinces,
        DISTRICT_PROVINCE: old_provinces,
        FORMER_DISTRICT_PROVINCE: old_provinces,
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

def _province_first(keys: list[str], owner: str, district: str) -> list[str]:
    """``keys`` with the province key ``owner`` moved before its ``district``, so the districts
    (and communes) of one province stay together."""
    rest = [k for k in keys if k != owner]
    at = rest.index(district) if district in rest else len(rest)
    return [*rest[:at], owner, *rest[at:]]

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
