"""The context of one brief: its inputs, unit, year and language, with the parameters checked.

A notebook's first cell calls :func:`start`, which opens the inputs (:mod:`analysis.briefs.inputs`:
the batch's cache, or prepared from the data) and checks the district, year and language,
naming the valid choices when one is wrong. What each section shows is in
:mod:`analysis.briefs.sections`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import pandas as pd

from .. import words
from ..errors import UsageError
from ..measures.coverage import CITY, CITY_KIND, FORMER, PROVINCE
from ..measures.disclosure import DEFAULT_THRESHOLD, check_threshold
from ..paths import BUNDLED_ALL
from ..review import columns as c
from ..review.selection import choose_district, choose_year, previous_year
from ..review.standards import DEFAULT_STANDARD, get_standard, standard_ids
from ..review.units import NEW, NEW_DIVISION_FROM_YEAR, Units, division_of_year, new_provinces, new_unit_types, slugify
from . import narrative as nv
from .inputs import BriefInputs, CacheMismatch, CacheThresholdMismatch, YearTables, open_inputs, year_tables


class BriefParameterError(UsageError):
    """A notebook parameter names no district, year or language in the data (a usage error:
    the message names the valid choices)."""


def refusal(lang: str, key: str, **fields: Any) -> BriefParameterError:
    """A parameter error in the brief's language (the analyst reads it in the notebook):
    the catalogue's ``key`` filled in."""
    return BriefParameterError(words.catalogue(lang).text(key, **fields))


def check_year(inputs: BriefInputs, year: int | str | None, lang: str = "en") -> int:
    """The review year asked for (the latest when None), or an error naming the valid years
    (in the brief's language: the analyst reads it in the notebook)."""
    try:
        return choose_year(inputs.years, year, error=BriefParameterError)
    except BriefParameterError:
        if not inputs.years:
            raise refusal(lang, "error_no_households") from None
        valid = ", ".join(map(str, sorted(inputs.years)))
        raise refusal(lang, "error_year", year=repr(year), valid=valid) from None


def check_district(inputs: BriefInputs, district: str, lang: str = "en") -> str:
    """The district's canonical name, or an error naming the valid districts (in the brief's language)."""
    try:
        return choose_district(inputs.districts, inputs.units, district, error=BriefParameterError)
    except BriefParameterError:
        text = words.catalogue(lang)
        present = ", ".join(inputs.districts)
        # the data's districts by their kinds: huyện, thành phố; quận, huyện (Hà Nội)
        unit, units = district_words(inputs, lang, plural=False), district_words(inputs, lang)
        canonical = inputs.units.canonical("district", str(district))
        if canonical is not None:
            raise BriefParameterError(text.text("error_district_absent", name=repr(canonical), valid=present, unit=unit, units=units)) from None
        hint = inputs.units.suggest("district", str(district))
        did_you_mean = text.text("error_hint", hint=repr(hint)) if hint and hint in inputs.districts else ""
        raise BriefParameterError(text.text("error_district_unknown", name=repr(str(district)), hint=did_you_mean, valid=present, unit=unit, units=units)) from None


def check_lang(lang: str) -> str:
    """The language code, or an error naming the valid ones: in every language, on one line,
    since the brief's language is the thing unknown."""
    if lang not in words.LANGS:
        valid = ", ".join(words.LANGS)
        raise BriefParameterError(" / ".join(words.catalogue(each).text("error_lang", value=repr(lang), valid=valid) for each in words.LANGS))
    return str(lang)


def check_standard(standard: str, lang: str) -> str:
    """The standard's identifier, or an error naming the known ones (in the brief's language)."""
    try:
        return get_standard(standard).id
    except UsageError:
        raise refusal(lang, "error_standard", value=repr(standard), valid=", ".join(standard_ids())) from None


@dataclass(frozen=True)
class Brief:
    """One brief: its inputs, unit (None for the province overview), year and language."""

    inputs: BriefInputs
    year: int
    lang: str
    district: str | None = None

    @property
    def area(self) -> FormerArea | None:
        """The province overview's unit when the year's data cover only a former province's
        part of a new one (the end-2025 review of the former Bắc Kạn, 37 of Thái Nguyên's
        communes); None for a whole province and for other briefs."""
        return former_area(self.inputs, self.year) if self.district is None else None

    @property
    def unit(self) -> str:
        """The unit as sentences name it (``huyện Pác Nặm`` / ``Pác Nặm district``; the
        overview of a former province's part: ``khu vực tỉnh Bắc Kạn cũ (nay thuộc tỉnh Thái Nguyên)``)."""
        if self.district is None:
            area = self.area
            if area is not None:
                return nv.former_province_name(area.old, area.new, self.lang)
            return province_name(self.inputs, self.lang)
        return nv.unit_name(self.district, _division_type(self.inputs.units, self.district), self.lang, former=self.former_district)

    @property
    def former_district(self) -> bool:
        """A district brief of a year on the new division: the district is a former one
        (``huyện Pác Nặm cũ`` / ``former Pác Nặm district``), since districts ended on 1 July 2025."""
        return self.district is not None and self.inputs.level != "commune" and division_of_year(self.year) == NEW

    @property
    def variant(self) -> str:
        """Which words the whole of the data takes (:mod:`analysis.measures.coverage`):
        ``former`` for a former province's part of a new one (``toàn khu vực``), ``city``
        for a centrally-run city (``toàn thành phố``), "" for a province (``toàn tỉnh``)."""
        if former_area(self.inputs, self.year) is not None:
            return FORMER
        return CITY if province_kind(self.inputs.units) == CITY_KIND else PROVINCE

    @property
    def title(self) -> str:
        area = self.area
        named = nv.former_province_name(area.old, area.new, self.lang, form="title") if area is not None else None
        return nv.brief_title(self.unit, self.year, self.lang, province=self.district is None, title_unit=named)

    @property
    def slug(self) -> str:
        """ASCII file name: ``pac-nam``, ``thanh-pho-bac-kan``; a commune with its level word
        (``xa-bang-thanh``, ``phuong-duc-xuan``), which keeps it apart from a district of its name;
        the overview ``tinh-bac-kan``, or of a former province's part ``bac-kan-cu-thai-nguyen``."""
        if self.district is None:
            area = self.area
            if area is not None:  # named in Vietnamese whatever the brief's language, as every slug
                return slugify(f"{nv.former_province_name(area.old, area.new, 'vi', form='short')} {area.new}")
            return province_slug(self.inputs.units)
        if self.inputs.level == "commune":
            return slugify(f"{_division_type(self.inputs.units, self.district)} {self.district}")
        return slugify(self.district)

    @property
    def previous_year(self) -> int | None:
        return previous_year(self.inputs.years, self.year)

    @cached_property
    def tables(self) -> YearTables:
        """The district tables of this brief's year: the batch's, or computed for this district."""
        cached = self.inputs.tables
        if cached is not None and cached.year == self.year and (self.district is not None or cached.province):
            return cached
        if self.inputs.panel.empty:
            if cached is None:
                raise refusal(self.lang, "error_tables_none", year=self.year)
            raise refusal(self.lang, "error_tables_year", have=cached.year, year=self.year)
        return year_tables(self.inputs, self.year, self.district)

    def label(self, key: str, table: str = "labels") -> str:
        """A catalogue entry in the brief's language, in the words of the whole of its data
        (:attr:`variant`): its ``<key>_former`` form for a former province's part (``Toàn khu
        vực`` for ``Toàn tỉnh``), ``<key>_city`` for a centrally-run city (``Toàn thành phố``),
        where the catalogue has one."""
        return variant_label(self.lang, key, self.variant, table)

    def mine(self, table: pd.DataFrame) -> pd.DataFrame:
        """The rows of a by-district table that belong to this brief's district."""
        return table[table[c.DISTRICT] == self.district].reset_index(drop=True)

    def own(self, name: str) -> pd.DataFrame:
        """This brief's rows of one of the year's tables (``profile``, ``af``, ``af_indicators``,
        ``af_dimensions``): its district's, or the province overview's, measured over the province."""
        table = self.own_if_any(name)
        if table is None:
            raise KeyError(f"the year's tables have no {name!r}")
        return table

    def own_if_any(self, name: str) -> pd.DataFrame | None:
        """As :meth:`own`, also for ``flows`` and ``persons``, which a year may lack (no
        previous review to follow households from, no household sizes): None then."""
        if self.district is None:
            table = self.tables.province.get(name)
        else:
            found = getattr(self.tables, name)
            table = self.mine(found) if found is not None else None
        return table.reset_index(drop=True) if table is not None else None

    def metadata(self) -> dict[str, Any]:
        """What :func:`analysis.briefs.render.brief_metadata` needs for the masthead and header."""
        std = get_standard(self.inputs.standard)
        area = self.area
        province = area.new if area is not None else self.inputs.province
        unit = self.district if self.district is not None else (
            nv.former_province_name(area.old, area.new, self.lang, form="short") if area is not None else province)
        return {
            "title": self.title,
            "province": province,
            "unit": unit,
            "slug": self.slug,
            "year": self.year,
            "lang": self.lang,
            "synthetic": self.inputs.synthetic,
            "source": self.inputs.source,
            "standard": std.title_in(self.lang),
        }


@dataclass(frozen=True)
class FormerArea:
    """A former province (``old``) whose part of a new province (``new``) a year's data cover."""

    old: str
    new: str


def former_area(inputs: BriefInputs, year: int) -> FormerArea | None:
    """The former province whose part of a new province the year's data cover, when they
    cover only that part (the data notes' ``note_covers`` fact, found in the data: one former
    province, fewer communes than the new province has); else None."""
    for key, fields in inputs.facts:
        if key == "note_covers" and int(fields["year"]) == int(year) and fields["old"] != fields["new"]:
            return FormerArea(str(fields["old"]), str(fields["new"]))
    return None


def province_slug(units: Units) -> str:
    """The province overview's file name: ``tinh-bac-kan`` (the level word keeps it apart
    from the provincial city, ``thanh-pho-bac-kan``)."""
    return slugify(f"{province_kind(units)} {units.province}")


def province_kind(units: Units) -> str:
    """The province's type in the reference units (``Tỉnh``, or ``Thành phố`` for a
    centrally-run city)."""
    kind = units.table.loc[units.table["level"] == "province", "division_type"]
    return str(kind.iloc[0]) if len(kind) and isinstance(kind.iloc[0], str) and kind.iloc[0] else "Tỉnh"


def province_name(inputs: BriefInputs, lang: str) -> str:
    """The province as a sentence names it, by its own type (``tỉnh Lai Châu``,
    ``Thành phố Hồ Chí Minh``)."""
    return nv.province_name(inputs.province, lang, province_kind(inputs.units))


def commune_kind(inputs: BriefInputs, commune: str) -> str:
    """A new commune's type in the reference units (``Xã``, ``Phường``, ``Đặc khu``)."""
    return _division_type(inputs.units, commune)


def new_unit_kinds(inputs: BriefInputs, names: Sequence[str]) -> list[str]:
    """The types of the named new units (``Xã``, ``Phường``, ``Đặc khu``) whatever the view
    and whatever the inputs carry (a commune view or none, households or the batch's
    aggregates only): the reference units of the data's new province (a former province's
    part: the new province it went into). A name not found there: ``Xã``, the commonest."""
    types = new_unit_types(new_provinces(inputs.units))
    return [types.get(str(name), "Xã") for name in names]


def old_commune_kinds(inputs: BriefInputs, places: Sequence[tuple[str, str]]) -> list[str]:
    """The types of old-division communes named with their district (``Xã``, ``Phường``,
    ``Thị trấn``): a commune's name is its district's only."""
    table = inputs.units.table
    codes = inputs.units.district_codes
    rows = table[table["level"] == "commune"]
    types = {(int(p), str(n)): str(t) for p, n, t in zip(rows["parent_code"], rows["name"], rows["division_type"]) if pd.notna(p)}
    return [types.get((codes[d], m), "Xã") if d in codes else "Xã" for d, m in places]


def listed_kinds(inputs: BriefInputs, names: Sequence[object], districts: Sequence[object], *, new: bool) -> list[str]:
    """The types of the communes a table lists, by name: the new units' (``new``), else the
    old division's, each looked up in its district."""
    listed = [str(name) for name in names]
    return new_unit_kinds(inputs, listed) if new else old_commune_kinds(inputs, list(zip((str(d) for d in districts), listed)))


def district_kinds(inputs: BriefInputs) -> list[str]:
    """The types of the data's districts (``Quận``, ``Huyện``, ``Thị xã``, ``Thành phố``)."""
    return [_division_type(inputs.units, d) for d in inputs.districts]


def district_words(inputs: BriefInputs, lang: str, *, plural: bool = True) -> str:
    """The data's districts by their kinds, as words (``huyện, thành phố``; ``quận, huyện`` of
    Hà Nội / ``districts``; not ``plural``: ``district``)."""
    return nv.district_kinds(district_kinds(inputs), lang, plural=plural)


def commune_kinds(inputs: BriefInputs) -> list[str]:
    """The types of the units a commune is ranked among (the data's communes)."""
    table = inputs.units.table
    return [str(t) for t in table.loc[table["level"] == "district", "division_type"]]


def district_name(inputs: BriefInputs, district: str, lang: str, *, year: int | None = None) -> str:
    """A district as a sentence names it (``huyện Pác Nặm``, ``thành phố Bắc Kạn``); in a
    year on the new division, as the former district it is (``huyện Pác Nặm cũ``)."""
    former = year is not None and division_of_year(year) == NEW
    return nv.unit_name(district, _division_type(inputs.units, district), lang, former=former)


def variant_label(lang: str, key: str, variant: str, table: str = "labels") -> str:
    """A catalogue entry in ``variant``'s words (``<key>_city``, ``<key>_former``) where the
    catalogue has that form, else the entry itself."""
    text = words.catalogue(lang)
    return text.label(table, text.variant(table, key, variant))


def _division_type(units: Units, district: str) -> str:
    rows = units.table[(units.table["level"] == "district") & (units.table["name"] == district)]
    return str(rows["division_type"].iloc[0]) if len(rows) else "Huyện"

def check_commune(inputs: BriefInputs, commune: str, lang: str = "en") -> str:
    """A new commune's canonical name, or an error naming the valid communes (in the brief's language)."""
    present = inputs.districts  # the commune view briefs communes at the district level
    canonical = inputs.units.canonical("district", str(commune))
    if canonical in present:
        return str(canonical)
    hint = inputs.units.suggest("district", str(commune))
    did_you_mean = words.catalogue(lang).text("error_hint", hint=repr(hint)) if hint and hint in present else ""
    units = nv.unit_kinds(commune_kinds(inputs), lang)  # xã, phường[, đặc khu]: the province's own
    raise refusal(lang, "error_commune_unknown", name=repr(str(commune)), hint=did_you_mean, valid=", ".join(present), units=units)


def commune_view(inputs: BriefInputs, division: str | None = "new", lang: str = "en") -> BriefInputs:
    """The inputs by new commune (every year re-based), or an error when the data hold no
    year on the new division (in the brief's language)."""
    if division not in (None, "", "new"):
        raise refusal(lang, "error_commune_division", value=repr(division))
    if inputs.level == "commune":
        return inputs
    if inputs.communes is None:
        years = ", ".join(map(str, inputs.years))
        raise refusal(lang, "error_commune_no_new_year", first=NEW_DIVISION_FROM_YEAR, valid=years)
    return inputs.communes


def commune_brief(inputs: BriefInputs, commune: str, year: int | str | None = None, lang: str = "vi", division: str | None = "new") -> Brief:
    """A commune brief's context (new division), with its parameters checked."""
    lang = check_lang(lang)
    view = commune_view(inputs, division, lang)
    return Brief(view, check_year(view, year, lang), lang, check_commune(view, commune, lang))


def district_brief(inputs: BriefInputs, district: str, year: int | str | None = None, lang: str = "vi") -> Brief:
    """A district brief's context, with its parameters checked (first cell of the notebook)."""
    lang = check_lang(lang)
    return Brief(inputs, check_year(inputs, year, lang), lang, check_district(inputs, district, lang))


def province_brief(inputs: BriefInputs, year: int | str | None = None, lang: str = "vi") -> Brief:
    """The province overview's context, with its parameters checked."""
    lang = check_lang(lang)
    return Brief(inputs, check_year(inputs, year, lang), lang)


def start(
    *,
    district: str | None = None,
    year: int | str | None = None,
    data_path: str | Sequence[str] | None = None,
    standard: str = DEFAULT_STANDARD,
    lang: str = "vi",
    targets_path: str | None = None,
    cache_path: str | None = None,
    commune: str | None = None,
    division: str | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> Brief:
    """Open the inputs and check the parameters: everything a notebook's first cell does."""
    check_lang(lang)
    try:
        threshold = check_threshold(threshold)
    except UsageError:
        raise refusal(lang, "error_threshold", value=repr(threshold)) from None
    standard = check_standard(standard, lang)
    if commune is not None and division not in (None, "", "new"):
        raise refusal(lang, "error_commune_division", value=repr(division))  # said before the data load
    if commune is not None and not data_path and not cache_path:
        data_path = [str(p) for p in BUNDLED_ALL]  # the bundled panel and its end-2025 review
    division = check_division(division, lang, district=district is not None and commune is None)
    on_new = "new" if commune is not None or division == "new" else None
    try:
        inputs = open_inputs(data_path, standard, targets_path, cache_path, on_new, threshold=threshold)
    except CacheMismatch as err:
        raise refusal(lang, "error_cache_standard", path=str(err.path), standard=repr(err.standard)) from None
    except CacheThresholdMismatch as err:
        raise refusal(lang, "error_cache_threshold", path=str(err.path),
                      threshold=words.fmt_int(err.threshold, lang), cached=words.fmt_int(err.cached, lang)) from None
    if commune is not None:
        return commune_brief(inputs, commune, year, lang, division or "new")
    if district is None:
        # "old": the overview by (former) district only; "new": its commune ranking on the new
        # units; None: the year's own division, so a year before the reorganisation is ranked
        # by its own communes even where the data reach a new-division year.
        year = check_year(inputs, year, lang)
        return province_brief(inputs if (division or division_of_year(year)) == NEW else replace(inputs, communes=None), year, lang)
    return district_brief(inputs, district, year, lang)


def check_division(division: str | None, lang: str = "en", *, district: bool = False) -> str | None:
    """``"old"``, ``"new"`` or None (each year in its own division), or an error in the brief's
    language. A district brief is on the old division: it says where the new units are briefed."""
    if division in (None, ""):
        return None
    text = words.catalogue(lang)
    if division not in ("old", "new"):
        raise BriefParameterError(text.text("error_division", value=repr(division)))
    if district and division == "new":
        raise BriefParameterError(text.text("error_district_new"))
    return str(division)
