"""The inputs of a brief and its context: data prepared once, parameters checked.

Inputs are prepared once (:func:`prepare_inputs`: load and validate, classify, add policy
groups, and the aggregates every brief shares — rates of all districts and years, history,
verdicts, period assessment). The batch pickles them once (:func:`save_inputs`) and each
notebook reads the pickle through its ``cache_path`` parameter instead of reloading the
data; opened by hand, a notebook prepares them itself (:func:`start`). What each section of
a brief shows is in :mod:`analysis.sections`.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import UsageError
from ..measures.breakdowns import poverty_rates
from ..measures.classification import classify
from ..measures.flows import poverty_flows
from ..measures.groups import with_groups
from ..measures.mpi import af_dimensions, af_indicators, af_measures
from ..measures.profile import deprivation_profile
from ..measures.targets import annual_verdicts, history_from_households, load_targets, period_assessment, published_history
from ..paths import TARGETS_PATH
from ..review import columns as c
from ..review.loading import load_households
from ..review.standards import DEFAULT_STANDARD, get_standard
from ..review.units import Units, load_units, slugify
from . import narrative as nv

#: Columns the briefs need; the rest of a review file stays out of the cache.
_PANEL_COLUMNS = (
    c.HOUSEHOLD_ID, c.YEAR, c.PROVINCE, c.DISTRICT, c.COMMUNE, c.AREA, c.ETHNICITY, c.MEMBERS,
    *c.ALL_INDICATORS, c.DEPRIVATIONS, c.STATUS, "ethnic_minority", "poor_district",
)


class BriefParameterError(UsageError):
    """A notebook parameter names no district, year or language in the data (a usage error:
    the message names the valid choices)."""


# --- inputs ----------------------------------------------------------------------------


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
        return replace(self, panel=self.panel.iloc[0:0])


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
) -> BriefInputs:
    """Load, validate and classify the households, and compute what all briefs share.

    Raises :class:`~analysis.errors.DataError` for bad data (the same report as
    ``validate``) and :class:`~analysis.errors.UsageError` for an unknown standard.
    """
    std = get_standard(standard)
    units = units or load_units()
    households = load_households(data_path or None, standard=std, sheet=sheet, units=units)
    classified = with_groups(classify(households, std), units)
    keep = [col for col in _PANEL_COLUMNS if col in classified]
    panel = classified[keep].copy()
    for col in (c.PROVINCE, c.DISTRICT, c.COMMUNE, c.AREA, c.ETHNICITY):
        panel[col] = panel[col].astype(str)
    panel.attrs.update(households.attrs)
    targets = load_targets(targets_path or TARGETS_PATH)
    history = history_from_households(panel, units)
    published = published_history()
    combined = pd.concat([history, published], ignore_index=True)
    return BriefInputs(
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
    )


def save_inputs(inputs: BriefInputs, path: str | Path) -> Path:
    """Pickle prepared inputs for the notebooks of one batch (a private, temporary file)."""
    path = Path(path)
    with path.open("wb") as handle:
        pickle.dump(inputs, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def open_inputs(
    data_path: str | None = None,
    standard: str = DEFAULT_STANDARD,
    targets_path: str | None = None,
    cache_path: str | None = None,
) -> BriefInputs:
    """The inputs a notebook runs on: the batch's cache when given, else prepared here.

    The cache is only a shortcut the batch takes: it is deleted when the batch ends, so an
    executed notebook re-run later for audit prepares the same inputs from ``data_path``.
    """
    if cache_path and Path(cache_path).is_file():
        with Path(cache_path).open("rb") as handle:
            inputs = pickle.load(handle)
        if not isinstance(inputs, BriefInputs) or inputs.standard != get_standard(standard).id:
            raise BriefParameterError(f"cache {cache_path} does not hold inputs for standard {standard!r}")
        return inputs
    return prepare_inputs(data_path or None, standard=standard, targets_path=targets_path or None)


def check_year(inputs: BriefInputs, year: int | str | None) -> int:
    """The review year asked for (the latest when None), or an error naming the valid years."""
    years = inputs.years
    if year is None or (isinstance(year, str) and not year.strip()):
        return years[-1]
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = None
    if value not in years:
        raise BriefParameterError(f"no review year {year!r} in the data; valid years: {', '.join(map(str, years))}")
    return value


def check_district(inputs: BriefInputs, district: str) -> str:
    """The district's canonical name, or an error naming the valid districts."""
    present = inputs.districts
    canonical = inputs.units.canonical("district", str(district))
    if canonical in present:
        return canonical
    hint = inputs.units.suggest("district", str(district))
    did_you_mean = f" (did you mean {hint!r}?)" if hint in present else ""
    raise BriefParameterError(f"unknown district {district!r}{did_you_mean}; valid districts: {', '.join(present)}")


def check_lang(lang: str) -> str:
    """The language code, or an error naming the valid ones."""
    if lang not in nv.LANGS:
        raise BriefParameterError(f"unknown language {lang!r}; valid languages: {', '.join(nv.LANGS)}")
    return lang


# --- the tables of one review year ----------------------------------------------------------


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


def year_tables(inputs: BriefInputs, year: int, district: str | None = None) -> YearTables:
    """The district tables of ``year`` for every district, or for ``district`` only."""
    panel, units, std = inputs.panel, inputs.units, inputs.standard
    if district is not None:
        panel = panel[panel[c.DISTRICT] == district]
    years = inputs.years
    previous = max((y for y in years if y < year), default=None)
    now = panel[panel[c.YEAR] == year]
    before = panel[panel[c.YEAR] == previous] if previous is not None else now.iloc[0:0]
    flows = None
    if previous is not None:
        followed = inputs.panel
        if district is not None:
            ids = panel.loc[panel[c.YEAR].isin([year, previous]), c.HOUSEHOLD_ID].unique()
            followed = followed[followed[c.HOUSEHOLD_ID].isin(ids)]
        flows = poverty_flows(followed, year, "district", units=units)
    return YearTables(
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
    )


def with_year_tables(inputs: BriefInputs, year: int) -> BriefInputs:
    """The inputs with every district's tables of ``year`` computed (what the batch caches)."""
    return replace(inputs, tables=year_tables(inputs, year))


# --- contexts --------------------------------------------------------------------------


@dataclass(frozen=True)
class Brief:
    """One brief: its inputs, unit (None for the province overview), year and language."""

    inputs: BriefInputs
    year: int
    lang: str
    district: str | None = None

    @property
    def unit(self) -> str:
        """The unit as sentences name it (``huyện Pác Nặm`` / ``Pác Nặm district``)."""
        if self.district is None:
            return nv.province_name(self.inputs.province, self.lang)
        return nv.unit_name(self.district, _division_type(self.inputs.units, self.district), self.lang)

    @property
    def title(self) -> str:
        return nv.brief_title(self.unit, self.year, self.lang, province=self.district is None)

    @property
    def slug(self) -> str:
        return province_slug(self.inputs.units) if self.district is None else slugify(self.district)

    @property
    def previous_year(self) -> int | None:
        earlier = [y for y in self.inputs.years if y < self.year]
        return earlier[-1] if earlier else None

    @cached_property
    def tables(self) -> YearTables:
        """The district tables of this brief's year: the batch's, or computed for this district."""
        cached = self.inputs.tables
        if cached is not None and cached.year == self.year and (self.district is not None or cached.poor_district is not None):
            return cached
        if self.inputs.panel.empty:
            raise BriefParameterError(f"the prepared data hold the tables of {cached.year if cached else 'no year'} only, not {self.year}")
        return year_tables(self.inputs, self.year, self.district)

    def mine(self, table: pd.DataFrame) -> pd.DataFrame:
        """The rows of a by-district table that belong to this brief's district."""
        return table[table[c.DISTRICT] == self.district].reset_index(drop=True)

    def metadata(self) -> dict[str, Any]:
        """What :func:`analysis.render.brief_metadata` needs for the masthead and header."""
        std = get_standard(self.inputs.standard)
        unit = self.inputs.province if self.district is None else self.district
        return {
            "title": self.title,
            "province": self.inputs.province,
            "unit": unit,
            "year": self.year,
            "lang": self.lang,
            "synthetic": self.inputs.synthetic,
            "source": self.inputs.source,
            "standard": std.title_vi if self.lang == "vi" else std.title,
        }


def province_slug(units: Units) -> str:
    """The province overview's file name: ``tinh-bac-kan`` (the level word keeps it apart
    from the provincial city, ``thanh-pho-bac-kan``)."""
    kind = units.table.loc[units.table["level"] == "province", "division_type"]
    return slugify(f"{kind.iloc[0] if len(kind) else 'Tỉnh'} {units.province}")


def _division_type(units: Units, district: str) -> str:
    rows = units.table[(units.table["level"] == "district") & (units.table["name"] == district)]
    return str(rows["division_type"].iloc[0]) if len(rows) else "Huyện"


def district_brief(inputs: BriefInputs, district: str, year: int | str | None = None, lang: str = "vi") -> Brief:
    """A district brief's context, with its parameters checked (first cell of the notebook)."""
    return Brief(inputs, check_year(inputs, year), check_lang(lang), check_district(inputs, district))


def province_brief(inputs: BriefInputs, year: int | str | None = None, lang: str = "vi") -> Brief:
    """The province overview's context, with its parameters checked."""
    return Brief(inputs, check_year(inputs, year), check_lang(lang))


def start(
    *,
    district: str | None = None,
    year: int | str | None = None,
    data_path: str | None = None,
    standard: str = DEFAULT_STANDARD,
    lang: str = "vi",
    targets_path: str | None = None,
    cache_path: str | None = None,
) -> Brief:
    """Open the inputs and check the parameters: everything a notebook's first cell does."""
    check_lang(lang)
    inputs = open_inputs(data_path, standard, targets_path, cache_path)
    if district is None:
        return province_brief(inputs, year, lang)
    return district_brief(inputs, district, year, lang)
