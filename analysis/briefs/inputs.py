"""What briefs draw on: the review loaded, classified and summarised once per data file.

:func:`prepare_inputs` is the data pipeline (load, validate, classify, history, verdicts);
:func:`with_year_tables` adds every district's section tables of one review year, the
aggregates the batch hands its notebooks (:meth:`BriefInputs.without_households`).
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import UsageError
from ..measures.breakdowns import poverty_rates
from ..measures.classification import classify
from ..measures.disclosure import DEFAULT_THRESHOLD, Protection, check_threshold
from ..measures.flows import Followed, follow, poverty_flows
from ..measures.groups import with_groups
from ..measures.levels import with_unit_keys
from ..measures.mpi import af_dimensions, af_indicators, af_measures, dimensions_from_indicators
from ..measures.profile import deprivation_profile
from ..measures.rebase import FORMER_DISTRICT, FORMER_PROVINCE, with_former_geography
from ..measures.targets import (
    annual_verdicts,
    history_from_households,
    load_targets,
    period_assessment,
    published_history,
    targets_for,
)
from ..paths import TARGETS_PATH
from ..review import columns as c
from ..review.selection import previous_year
from ..review.standards import DEFAULT_STANDARD, get_standard
from ..review.units import NEW_DIVISION_FROM_YEAR, Units, provinces_of, units_for
from ..tables.workbook import release

#: The generator named in the metadata of a synthetic national set (:mod:`analysis.synth.national`).
NATIONAL_GENERATOR = "analysis.synth.national"

#: Columns the briefs need; the rest of a review file stays out of the cache.
_PANEL_COLUMNS = (
    c.HOUSEHOLD_ID, c.YEAR, c.PROVINCE, c.DISTRICT, c.COMMUNE, c.AREA, c.ETHNICITY, c.MEMBERS,
    *c.ALL_INDICATORS, c.DEPRIVATIONS, c.STATUS, "ethnic_minority", "poor_district",
    c.FORMER_COMMUNE, FORMER_DISTRICT, FORMER_PROVINCE,
)

@dataclass(frozen=True)
class BriefInputs:
    """Everything briefs draw on, computed once per data file and standard."""

    panel: pd.DataFrame
    standard: str
    source: str
    synthetic: bool
    targets: pd.DataFrame
    history: pd.DataFrame
    published: pd.DataFrame
    verdicts: pd.DataFrame
    period: pd.DataFrame
    district_rates: pd.DataFrame
    province_rates: pd.DataFrame
    units: Units = field(repr=False)
    tables: YearTables | None = None
    #: The unit the briefs are by: ``district`` (new-division years by former district) or
    #: ``commune`` (the new units, every year re-based: :mod:`analysis.briefs.communes`).
    level: str = "district"
    #: The same data by new commune, when a year is on the new division.
    communes: BriefInputs | None = None
    #: What the data notes must say about this data (coverage, assumptions, units left out):
    #: ``(label key, parameters)`` for :func:`analysis.briefs.narrative.fact_note`.
    facts: tuple[tuple[str, dict[str, Any]], ...] = ()
    threshold: int = DEFAULT_THRESHOLD  # disclosure control: smallest count of households shown
    #: The scale of the synthetic national set the data come from (``synth --scale``), "" for
    #: other data: its notes say what that set assumes, not what the bundled data do.
    national_scale: str = ""

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.province_rates[c.YEAR].unique())

    @property
    def districts(self) -> list[str]:
        present = set(self.district_rates[c.DISTRICT])
        return [d for d in self.units.districts if d in present]

    @property
    def province(self) -> str:
        return str(self.province_rates["unit"].iloc[0]) if len(self.province_rates) else self.units.province

    def without_households(self) -> BriefInputs:
        """The inputs with aggregates only: what the batch hands its notebooks.

        Needs the year's tables (:func:`with_year_tables`); kernels then hold no household
        record and unpickle a few hundred kilobytes instead of the whole review.
        """
        if self.tables is None:
            raise ValueError("compute the year's tables first (with_year_tables)")
        communes = self.communes.without_households() if self.communes is not None and self.communes.tables is not None else self.communes
        return replace(self, panel=self.panel.iloc[0:0], communes=communes)

def _source_text(frame: pd.DataFrame, data_path: Any) -> str:
    source = str(frame.attrs.get("source") or (Path(str(data_path)).name if data_path else "households.parquet"))
    return source

def prepare_inputs(
    data_path: str | Path | Sequence[str | Path] | None = None,
    *,
    standard: str = DEFAULT_STANDARD,
    targets_path: str | Path | None = None,
    sheet: str | None = None,
    units: Units | None = None,
    division: str | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    province: str | None = None,
    one_province: bool = False,
) -> BriefInputs:
    """Load, validate and classify the households, and compute what all briefs share.

    ``province`` keeps one province's households (read alone from a large Parquet review);
    ``one_province`` refuses data of several provinces when none is chosen (the batch).

    With a year on the new division (or ``division="new"``) the same data by new commune come
    along (:attr:`BriefInputs.communes`, every year re-based).

    Raises :class:`~analysis.errors.DataError` for bad data (the same report as
    ``validate``) and :class:`~analysis.errors.UsageError` for an unknown standard.
    """
    from ..measures.columnar.choice import load_review  # here: kernels import this module and need no DuckDB

    std = get_standard(standard)
    households = load_review(data_path or None, standard=std, sheet=sheet, units=units,  # large Parquet: the columnar engine
                             province=province, one_province="the briefs" if one_province else None)
    units = units or units_for(households)
    classified = classify(households, std)
    facts: list[tuple[str, dict[str, Any]]] = []
    if (classified[c.YEAR] >= NEW_DIVISION_FROM_YEAR).any():
        # New-division years have no district: their households are briefed in their former one.
        geo = with_former_geography(classified)
        classified = geo.households
        new = classified[c.YEAR] >= NEW_DIVISION_FROM_YEAR
        classified.loc[new, c.DISTRICT] = classified.loc[new, FORMER_DISTRICT].astype(str).where(classified.loc[new, FORMER_DISTRICT].notna(), "")
        facts += division_facts(classified, households.attrs)
        facts += [("note_unplaced", {"year": r["year"], "households": r["households"], "commune": r[c.COMMUNE]}) for r in geo.unplaced.to_dict("records")]
    classified = with_groups(classified, units)
    keep = [col for col in _PANEL_COLUMNS if col in classified]
    panel = classified[keep].copy()
    for col in (c.PROVINCE, c.DISTRICT, c.COMMUNE, c.AREA, c.ETHNICITY):
        panel[col] = panel[col].astype(str)
    panel.attrs.update(households.attrs)
    provinces = provinces_of(households)
    targets = targets_for(load_targets(targets_path or TARGETS_PATH), provinces)
    history = history_from_households(panel, units)
    published = published_history(provinces=provinces)
    combined = pd.concat([history, published], ignore_index=True)
    inputs = BriefInputs(
        panel=panel,
        standard=std.id,
        source=_source_text(households, data_path),
        synthetic=bool(households.attrs.get("synthetic")),
        targets=targets,
        history=history,
        published=published,
        verdicts=annual_verdicts(combined, targets),
        period=period_assessment(combined, targets),
        district_rates=poverty_rates(panel, ["year", "district"], units=units),
        province_rates=poverty_rates(panel, "year", units=units),
        units=units,
        facts=tuple(facts),
        threshold=check_threshold(threshold),
        national_scale=str(households.attrs.get("scale") or "") if households.attrs.get("generator") == NATIONAL_GENERATOR else "",
    )
    if not inputs.districts:  # no brief shows a district's figures (a national set): no note about them
        inputs = replace(inputs, facts=tuple(f for f in inputs.facts if f[0] not in DISTRICT_NOTES))
    if (panel[c.YEAR] >= NEW_DIVISION_FROM_YEAR).any() or division == "new":
        from .communes import commune_inputs

        inputs = replace(inputs, communes=commune_inputs(inputs))
    return inputs

#: The data notes about (former) districts' figures: said only where briefs show such figures.
DISTRICT_NOTES = ("note_former_district", "note_unplaced")


def division_facts(classified: pd.DataFrame, attrs: Mapping[Any, Any]) -> list[tuple[str, dict[str, Any]]]:
    """What the notes say about the new-division years: their coverage, that districts are the
    former ones, and what a synthetic year assumes (from the file's metadata)."""
    from ..measures.coverage import former_part

    years = sorted(int(y) for y in classified.loc[classified[c.YEAR] >= NEW_DIVISION_FROM_YEAR, c.YEAR].unique())
    facts: list[tuple[str, dict[str, Any]]] = [("note_former_district", {"year": years[0]})]
    for year in years:
        rows = classified[classified[c.YEAR] == year]
        part = former_part(rows)
        if part is not None:
            facts.append(("note_covers", {"year": year, "old": part[0], "new": part[1], "communes": rows[c.COMMUNE].nunique()}))
    fall = attrs.get("assumed_poor_fall_pp")
    if fall:
        earlier = [int(y) for y in classified[c.YEAR].unique() if int(y) < years[0]]
        near = attrs.get("assumed_near_poor_rate")
        facts.append(("note_assumed", {"year": years[0], "previous": max(earlier) if earlier else years[0] - 1,
                                       "fall": float(fall), "near": float(near) if near else None}))
    return facts


def save_inputs(inputs: BriefInputs, path: str | Path) -> Path:
    """Pickle prepared inputs for the notebooks of one batch (a private, temporary file)."""
    path = Path(path)
    with path.open("wb") as handle:
        pickle.dump(inputs, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path

class CacheMismatch(UsageError):
    """The batch's prepared inputs are for another standard than the notebook's (the
    notebook says so in its brief's language)."""

    def __init__(self, path: str | Path, standard: str) -> None:
        self.path, self.standard = path, standard
        super().__init__(f"cache {path} does not hold inputs for standard {standard!r}")


class CacheThresholdMismatch(UsageError):
    """The batch's prepared inputs are protected at another disclosure threshold than the
    notebook's ``threshold``: neither value is silently put in place of the other."""

    def __init__(self, path: str | Path, threshold: int, cached: int) -> None:
        self.path, self.threshold, self.cached = path, threshold, cached
        super().__init__(f"cache {path} holds inputs at disclosure threshold {cached}, not {threshold}")


def open_inputs(
    data_path: str | Sequence[str] | None = None,
    standard: str = DEFAULT_STANDARD,
    targets_path: str | None = None,
    cache_path: str | None = None,
    division: str | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> BriefInputs:
    """The inputs a notebook runs on: the batch's cache when given, else prepared here.

    The cache is only a shortcut the batch takes: it is deleted when the batch ends, so an
    executed notebook re-run later for audit prepares the same inputs from ``data_path``.
    """
    if cache_path and Path(cache_path).is_file():
        with Path(cache_path).open("rb") as handle:
            inputs = pickle.load(handle)
        if not isinstance(inputs, BriefInputs) or inputs.standard != get_standard(standard).id:
            raise CacheMismatch(cache_path, standard)
        if inputs.threshold != threshold:
            raise CacheThresholdMismatch(cache_path, threshold, inputs.threshold)
        return inputs
    return prepare_inputs(data_path or None, standard=standard, targets_path=targets_path or None, division=division, threshold=threshold)

@dataclass(frozen=True)
class YearTables:
    """Every district's section tables for one review year, one grouped pass each.

    The batch computes them once for all districts (:func:`with_year_tables`), which costs
    about what one district costs on its own; a notebook opened by hand computes them for
    its district only. Either way the sections read the same tables.
    """

    year: int
    communes: pd.DataFrame
    communes_previous: pd.DataFrame
    ethnic_minority: pd.DataFrame
    ethnicity: pd.DataFrame
    profile: pd.DataFrame
    af: pd.DataFrame
    af_indicators: pd.DataFrame
    af_dimensions: pd.DataFrame
    flows: pd.DataFrame | None
    poor_district: pd.DataFrame | None = None
    ethnic_minority_province: pd.DataFrame | None = None
    protection: Protection | None = None  # the review year's one disclosure protection (also the workbook's)
    #: The province overview's own ``profile``, ``af``, ``af_indicators`` and ``af_dimensions``:
    #: each measured over the whole province (by=None), never summed from the districts' rows.
    province: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    #: Every year's protection up to this one (the chain the year's release was computed on):
    #: what a figure comparing two years must respect (:mod:`analysis.measures.disclosure_years`).
    protections: Mapping[int, Protection] = field(default_factory=dict)
    persons: pd.DataFrame | None = None  # person-weighted rates by district (people in poor households …)
    #: This year's rows → their rows in the previous year's protection where they differ (the
    #: year the division changed).
    predecessors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

def year_tables(inputs: BriefInputs, year: int, district: str | None = None, *, frames: Mapping[str, Any] | None = None) -> YearTables:
    """The district tables of ``year`` for every district, or for ``district`` only.

    ``frames``: what :func:`year_frames` returned for the same arguments, computed elsewhere
    (the batch computes them in parallel with the release's figures); the release's
    protections, chained year after year, are added here.
    """
    published = release(inputs.panel, year, inputs.standard, inputs.threshold, inputs.units)
    return YearTables(
        **(frames if frames is not None else year_frames(inputs, year, district)),
        protection=published.protection,
        protections=published.protections(),
        predecessors=published.predecessors,
    )


def year_frames(inputs: BriefInputs, year: int, district: str | None = None) -> dict[str, Any]:
    """The tables of :class:`YearTables` that do not depend on the disclosure protection."""
    panel, units, std = inputs.panel, inputs.units, inputs.standard
    if district is not None:
        panel = panel[panel[c.DISTRICT] == district]
    years = inputs.years
    previous = previous_year(years, year)
    now = panel[panel[c.YEAR] == year]
    before = panel[panel[c.YEAR] == previous] if previous is not None else now.iloc[0:0]
    if inputs.level == "district" and previous is not None and previous < NEW_DIVISION_FROM_YEAR <= year and len(before):
        # A former district's communes of a new-division year are new units: compare them with
        # the previous year re-based onto the new units, not with old communes of the same name.
        from ..measures.rebase import rebase

        before = rebase(before, "new").households.assign(**{c.DISTRICT: lambda t: t[FORMER_DISTRICT].astype(str)})
    # The units' province keys once for each year's rows, not once per table (after the
    # re-base: they are of the district the rows are counted in).
    now, before = with_unit_keys(now), with_unit_keys(before)
    flows, shared = None, None
    if previous is not None:
        followed = inputs.panel
        if district is not None:
            ids = panel.loc[panel[c.YEAR].isin([year, previous]), c.HOUSEHOLD_ID].unique()
            followed = followed[followed[c.HOUSEHOLD_ID].isin(ids)]
        else:  # the districts' flows and the province's follow the same households: once
            shared = follow(followed, year)
        flows = poverty_flows(followed, year, "district", units=units, followed=shared)
    return dict(
        year=year,
        communes=poverty_rates(now, ["district", "commune"], units=units),
        communes_previous=poverty_rates(before, ["district", "commune"], units=units) if len(before) else pd.DataFrame(columns=[c.DISTRICT, c.COMMUNE, "poor_rate"]),
        ethnic_minority=poverty_rates(now, ["district", "ethnic_minority"], units=units),
        ethnicity=poverty_rates(now, ["district", "ethnicity"], units=units),
        profile=deprivation_profile(now, std, "district", units=units),
        af=af_measures(now, std, by="district", units=units),
        af_indicators=af_indicators(now, std, by="district", units=units),
        af_dimensions=af_dimensions(now, std, by="district", units=units),
        flows=flows,
        poor_district=poverty_rates(now, "poor_district", units=units) if district is None else None,
        ethnic_minority_province=poverty_rates(now, "ethnic_minority", units=units) if district is None else None,
        province=province_tables(now, std, units, inputs.panel if previous is not None else None, year, followed=shared) if district is None else {},
        persons=poverty_rates(now, "district", weight="persons", units=units) if c.MEMBERS in now else None,
    )


def province_tables(now: pd.DataFrame, standard: str, units: Units, panel: pd.DataFrame | None = None,
                    year: int | None = None, *, followed: Followed | None = None) -> dict[str, pd.DataFrame]:
    """The tables a district brief reads by district, measured over the whole province: with
    the ``panel`` (a previous review to follow households from) its ``flows`` too, and with
    household sizes its ``persons`` (person-weighted rates). ``followed``: :func:`follow` of
    ``panel`` and ``year``, when the caller has it."""
    indicators = af_indicators(now, standard, units=units)
    tables = {
        "profile": deprivation_profile(now, standard, None, units=units),
        "af": af_measures(now, standard, units=units),
        "af_indicators": indicators,
        "af_dimensions": dimensions_from_indicators(indicators),
    }
    if panel is not None and year is not None:
        tables["flows"] = poverty_flows(panel, year, None, units=units, followed=followed)
    if c.MEMBERS in now:
        tables["persons"] = poverty_rates(now, None, weight="persons", units=units)
    return tables


def year_protections(inputs: BriefInputs, year: int) -> Mapping[int, Protection]:
    """The protections of ``year`` and every year before it (empty without the households:
    the batch's aggregates carry them in their tables)."""
    if inputs.tables is not None and inputs.tables.year == year:
        return inputs.tables.protections
    if inputs.panel.empty:
        return {}
    return release(inputs.panel, year, inputs.standard, inputs.threshold, inputs.units).protections()


def year_predecessors(inputs: BriefInputs, year: int) -> Mapping[str, tuple[str, ...]]:
    """``year``'s rows → their rows in the previous year's protection, where they differ."""
    if inputs.tables is not None and inputs.tables.year == year:
        return inputs.tables.predecessors
    if inputs.panel.empty:
        return {}
    return release(inputs.panel, year, inputs.standard, inputs.threshold, inputs.units).predecessors


def with_year_tables(inputs: BriefInputs, year: int, *, frames: Mapping[str, Any] | None = None,
                     commune_frames: Mapping[str, Any] | None = None) -> BriefInputs:
    """The inputs with every district's (and every commune's) tables of ``year`` computed
    (what the batch caches); ``frames``, ``commune_frames``: the districts' and the commune
    view's :func:`year_frames`, if computed already."""
    communes = inputs.communes
    if communes is not None and year in communes.years:
        communes = replace(communes, tables=year_tables(communes, year, frames=commune_frames))
    return replace(inputs, tables=year_tables(inputs, year, frames=frames), communes=communes)
