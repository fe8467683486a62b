"""The numbers of one review year's summary tables, straight from the measures.

Every figure comes from :mod:`analysis.measures` (``poverty_rates``, ``movement``,
``deprivation_profile``, ``annual_verdicts``/``period_assessment``) called once per level —
province, districts, communes — so a subtotal row is the measure of that unit, never a sum
made here. Frames are indexed by a *row id*: ``*`` for the province, the district's name,
``district/commune`` for a commune; the same ids name the cells of the disclosure control.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..measures import coverage
from ..measures.breakdowns import poverty_rates
from ..measures.flows import FLOW_STATES, follow, movements, poverty_flows
from ..measures.groups import ETHNIC_MINORITY
from ..measures.levels import COMMUNE_PROVINCE, DISTRICT_PROVINCE, ambiguous_communes, ambiguous_districts, ethnicity_order, with_unit_keys
from ..measures.profile import deprivation_profile
from ..measures.rebase import EXACT_UNIT
from ..review import columns as c
from ..review.selection import available_years
from ..review.standards import Standard, get_standard
from ..review.units import Units, units_for

PROVINCE_ROW = "*"
LEVELS: tuple[str, ...] = ("district", "commune")
STATES: tuple[str, ...] = tuple(FLOW_STATES)


def row_id(district: object = None, commune: object = None, province: object = None, *, district_province: object = None) -> str:
    """The row id of a unit (the province when neither is given); ``province`` only for a
    commune without a district whose name is a commune of several provinces in the data,
    ``district_province`` only for a district (and its communes) whose name is a district of
    several provinces in the data."""
    if district is None:
        return PROVINCE_ROW
    place = f"{district}@{district_province}" if district_province else str(district)
    if commune is None:
        return place
    return f"{place}/{commune}" + (f"@{province}" if province else "")


@dataclass(frozen=True)
class Row:
    """One row of a summary table: which unit, its name as the briefs write it, its kind."""

    id: str
    name: str
    kind: str  # "province", "district" or "commune"
    parent: str | None
    #: The province a commune's (or district's) name is shown with (its name is a unit of several provinces).
    province: str | None = None
    #: The district a commune's name is shown with (its name is a commune of several districts of its province).
    district: str | None = None
    #: The province the unit is of (its key, shown or not): a new commune's province, an old
    #: district's (and its communes').
    home: str | None = None


@dataclass
class Figures:
    """Every frame of the summary tables of one review year (all three levels)."""

    year: int
    previous_year: int | None
    standard: Standard
    province: str
    rows: list[Row]
    households: pd.DataFrame
    persons: pd.DataFrame
    minority: pd.DataFrame
    ethnic: pd.DataFrame
    ethnic_groups: list[str]
    movements: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)
    deprived: dict[str, pd.DataFrame] = field(default_factory=dict)
    deprived_share: dict[str, pd.DataFrame] = field(default_factory=dict)
    flows: pd.DataFrame | None = None
    synthetic: bool = False
    #: What the whole of the data is, for the words of its row and scopes
    #: (:mod:`analysis.measures.coverage`: "" a province, "city", "former" a former province's part).
    whole: str = ""
    source: str = ""

    def rows_at(self, level: str) -> list[Row]:
        """The rows a table at ``level`` shows: the province, districts and (commune level) communes."""
        return [r for r in self.rows if level == "commune" or r.kind != "commune"]

    @property
    def children(self) -> dict[str, list[str]]:
        """Row id → the ids of the rows it adds up."""
        out: dict[str, list[str]] = {}
        for r in self.rows:
            if r.parent is not None:
                out.setdefault(r.parent, []).append(r.id)
        return out


def _shown_province(commune: object, province: object, ambiguous: frozenset[str] | set[str]) -> str | None:
    """The province a commune is told apart by (None: its name is one unit)."""
    return str(province) if str(commune) in ambiguous and isinstance(province, str) and province else None


def _ids(frame: pd.DataFrame, level: str | None, ambiguous: frozenset[str] | set[str] = frozenset(),
         districts: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Row ids of a measure's rows at ``level``: ``ambiguous`` communes (names of several
    provinces, no district) and ``districts`` (names of several provinces) with their province."""
    if level is None:
        return [PROVINCE_ROW] * len(frame)
    if c.DISTRICT not in frame:  # the new division: communes straight under the province
        return [str(m) for m in frame[c.COMMUNE]]
    owners = frame[DISTRICT_PROVINCE] if DISTRICT_PROVINCE in frame else [None] * len(frame)
    if level == "district":
        return [row_id(d, district_province=_shown_province(d, p, districts)) for d, p in zip(frame[c.DISTRICT], owners)]
    provinces = frame[COMMUNE_PROVINCE] if COMMUNE_PROVINCE in frame else [None] * len(frame)
    return [row_id(d, m, _shown_province(m, p, ambiguous), district_province=_shown_province(d, o, districts))
            for d, m, p, o in zip(frame[c.DISTRICT], frame[c.COMMUNE], provinces, owners)]


def _by_levels(compute, extra: list[str] | None = None, levels: tuple[str, ...] = LEVELS, ambiguous: frozenset[str] | set[str] = frozenset(),
               districts: frozenset[str] | set[str] = frozenset()) -> pd.DataFrame:
    """One measure at the province and each of ``levels``, stacked and indexed by row id."""
    parts = []
    for level in (None, *levels):
        by = ([level] if level else []) + (extra or [])
        frame = compute(by or None)
        parts.append(frame.set_axis(_ids(frame, level, ambiguous, districts), axis=0).assign(_level=level or "province"))
    return pd.concat(parts)


def _text(value: object) -> str | None:
    """A key's text, None where it is empty."""
    return str(value) if isinstance(value, str) and value else None


def _repeated_in_province(communes: pd.DataFrame) -> set[tuple[str, str]]:
    """(province, commune name) of old-division communes whose name is a commune of several
    districts of that province (their rows are named with their district)."""
    if communes.empty or DISTRICT_PROVINCE not in communes:
        return set()
    places = communes[[DISTRICT_PROVINCE, c.COMMUNE, c.DISTRICT]].astype(str).drop_duplicates()
    counts = places.groupby([DISTRICT_PROVINCE, c.COMMUNE])[c.DISTRICT].nunique()
    repeated = counts[counts > 1].index
    return {(str(p), str(m)) for p, m in zip(repeated.get_level_values(0), repeated.get_level_values(1))}


def _exact(frame: pd.DataFrame) -> pd.DataFrame:
    """Households whose unit is exactly known (after a re-base); all of them otherwise."""
    return frame[frame[EXACT_UNIT].astype(bool)] if EXACT_UNIT in frame else frame


def build_figures(
    classified_panel: pd.DataFrame, year: int, standard: str | Standard, units: Units | None = None, *, division: str = "old",
    inexact: pd.DataFrame | None = None,
) -> Figures:
    """All the frames of the summary tables of ``year`` (``classified_panel``: every year, classified).

    ``division="new"``: the panel is on the new units (:func:`analysis.measures.rebase.rebase`),
    rows are the province and its communes; a commune named in ``inexact`` (year, commune) for
    this year or the previous one is left out of commune rows, never shown with a partial count.
    """
    std = get_standard(standard)
    # The units' province keys once for the whole panel, not once per measure and level.
    classified_panel = with_unit_keys(classified_panel)
    new = division == "new"
    levels: tuple[str, ...] = ("commune",) if new else LEVELS
    units = None if new else (units or units_for(classified_panel))
    years = available_years(classified_panel)
    previous = max((y for y in years if y < year), default=None)
    this_year = classified_panel[classified_panel[c.YEAR] == year]
    ambiguous = ambiguous_communes(classified_panel) if new else set()
    districts = set() if new else ambiguous_districts(classified_panel)
    left_out: set[str] = set()
    if inexact is not None and len(inexact):
        provinces = inexact[c.PROVINCE] if c.PROVINCE in inexact else [None] * len(inexact)
        left_out = {row_id("", m, _shown_province(m, p, ambiguous))
                    for y, m, p in zip(inexact["year"], inexact[c.COMMUNE], provinces) if int(y) in (year, previous)}

    def at(frame: pd.DataFrame, by: list[str] | None) -> pd.DataFrame:
        return _exact(frame) if by and "commune" in by else frame

    def by_levels(compute, extra: list[str] | None = None) -> pd.DataFrame:
        out = _by_levels(compute, extra, levels, ambiguous, districts)
        if new:
            out = out[~out.index.isin(left_out | {"", row_id("", "")})]  # no unplaced households' row
        return out

    households = by_levels(lambda by: poverty_rates(at(this_year, by), by, units=units))
    persons = by_levels(lambda by: poverty_rates(at(this_year, by), by, weight="persons", units=units))
    minority = by_levels(lambda by: poverty_rates(at(this_year, by), by, units=units), [ETHNIC_MINORITY])
    ethnic = by_levels(lambda by: poverty_rates(at(this_year, by), by, units=units), [c.ETHNICITY])
    groups = ethnicity_order(this_year)

    rows = [Row(PROVINCE_ROW, "", "province", None)]
    communes = households[households["_level"] == "commune"]
    if new:
        rows += [Row(str(i), str(m), "commune", PROVINCE_ROW, _shown_province(m, p, ambiguous), home=_text(p))
                 for i, m, p in zip(communes.index, communes[c.COMMUNE], communes[COMMUNE_PROVINCE])]
    named = _repeated_in_province(communes) if not new else set()
    for did, unit in households[households["_level"] == "district"].iterrows():
        district, owner = unit[c.DISTRICT], unit[DISTRICT_PROVINCE]
        rows.append(Row(str(did), str(district), "district", PROVINCE_ROW, _shown_province(district, owner, districts), home=_text(owner)))
        mine = communes[(communes[c.DISTRICT] == district) & (communes[DISTRICT_PROVINCE] == owner)]
        rows += [Row(str(i), str(m), "commune", str(did), district=str(district) if (owner, m) in named else None, home=_text(owner))
                 for i, m in mine[c.COMMUNE].items()]

    figures = Figures(
        year=year, previous_year=previous, standard=std, province=str(households.loc[PROVINCE_ROW, "unit"]), rows=rows,
        households=households, persons=persons, minority=minority, ethnic=ethnic, ethnic_groups=groups,
        synthetic=bool(classified_panel.attrs.get("synthetic")), source=str(classified_panel.attrs.get("source") or ""),
        whole=coverage.variant(this_year, year),
    )
    if previous is not None:
        panel = classified_panel[classified_panel[c.YEAR] <= year]
        followed = follow(panel, year)  # once for every level and both tables
        figures.flows = by_levels(lambda by: poverty_flows(panel, year, by, units=units, followed=followed))
        by_level = {level: movements(panel, year, [level] if level else None, units=units, followed=followed) for level in (None, *levels)}
        for key in by_level[None]:
            figures.movements[key] = by_levels(lambda by, k=key: by_level[by[0] if by else None][k])
    profile = by_levels(lambda by: deprivation_profile(at(this_year, by), std, by, units=units))
    long = profile.assign(_row=profile.index)
    for status, column, share in (("poor", "deprived_poor", "share_poor_pct"), ("near_poor", "deprived_near_poor", "share_near_poor_pct"), ("households", "deprived", "share_all_pct")):
        wide = long.pivot_table(index="_row", columns="indicator", values=column, sort=False, aggfunc="first")
        wide = wide[list(std.indicators)].astype("int64")
        base = long.groupby("_row", sort=False)[status].first()
        figures.deprived[status] = wide.assign(**{status: base.reindex(wide.index)})
        shares = long.pivot_table(index="_row", columns="indicator", values=share, sort=False, aggfunc="first", dropna=False)
        figures.deprived_share[status] = shares.reindex(columns=list(std.indicators))
    return figures
