"""The sentences of the briefs, generated from the numbers: which template, filled with what.

Every sentence a brief shows is built here, never typed into a notebook, so a new review
year or another district gets correct text without anyone editing prose. The words are in
the language catalogues (``analysis/words/vi.toml``, ``en.toml``) and the numbers go through
:class:`~analysis.words.Formatter`; the logic that picks a sentence is written once, for
every language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..measures.groups import POOR_DISTRICTS_SCOPE, PROVINCE_SCOPE
from ..review.unit_words import fact_note as fact_note
from ..review.unit_words import join as join
from ..review.unit_words import unit_name as unit_name
from ..review.units import slugify
from ..words import catalogue, formatter, known, label, nfc, status_label

#: Verdicts in the order they are counted (best first).
_VERDICT_ORDER = ("exceeded", "met", "not_met", "unattainable")


def capitalize(text: str) -> str:
    """First letter upper case, the rest untouched (for a sentence that starts with a name)."""
    return text[:1].upper() + text[1:]


# --- unit names ------------------------------------------------------------------------


def province_name(name: str, lang: str, division_type: str = "Tỉnh") -> str:
    """``tỉnh Bắc Kạn`` / ``Bắc Kạn province``; a centrally-run city by its type in the
    reference units (``thành phố Hải Phòng``, ``Thành phố Hồ Chí Minh``)."""
    return unit_name(name, division_type or "Tỉnh", lang)


def unit_kind(division_type: str, lang: str, *, plural: bool = False) -> str:
    """A commune-level unit's type as a word (``phường``, ``đặc khu`` / ``ward``, ``special zone``)."""
    table = catalogue(lang).tables["unit_kinds_plural" if plural else "unit_kinds"]
    key = slugify(nfc(division_type or "Xã")).replace("-", "_")
    return table.get(key) or table["xa"]


def unit_kinds(division_types: Sequence[str], lang: str, *, plural: bool = True, words: str = "unit_kinds") -> str:
    """The types of a set of units, each once, in the catalogue's order (``xã, phường`` /
    ``communes and wards``; not ``plural``: ``commune and ward``, as in "by commune and ward").
    ``words``: the catalogue's table for where they are said: ``unit_kinds_old`` for the old
    division's communes (Vietnamese says ``xã, phường, thị trấn`` of any of them, English names
    the kinds listed), ``unit_kinds_chart`` for a chart title (``đơn vị`` / the kinds)."""
    return _kinds(f"{words}_plural" if plural else words, "xa", division_types, lang)


def district_kinds(division_types: Sequence[str], lang: str, *, plural: bool = True) -> str:
    """The types of a set of district-level units of the old division, each once, in the
    catalogue's order (``quận, huyện, thị xã``, ``huyện, thành phố`` / ``districts``; not
    ``plural``: ``district``, as in "District ranking")."""
    return _kinds("district_kinds_plural" if plural else "district_kinds", "huyen", division_types, lang)


def _kinds(table_name: str, fallback: str, division_types: Sequence[str], lang: str) -> str:
    table = catalogue(lang).tables[table_name]
    keys = {slugify(nfc(t)).replace("-", "_") if t else fallback for t in division_types}  # no type: the fallback's
    words = list(dict.fromkeys(table[k] for k in table if k in keys)) or [table[fallback]]
    return catalogue(lang).text("kinds_join", head=", ".join(words[:-1]), last=words[-1]) if len(words) > 1 else words[0]


def former_province_name(old: str, new: str, lang: str, *, form: str = "") -> str:
    """The part of a new province that was a former province, as the overview names it:
    ``khu vực tỉnh Bắc Kạn cũ (nay thuộc tỉnh Thái Nguyên)`` / ``the former Bắc Kạn province
    (now part of Thái Nguyên)``; ``form`` ``"title"`` (a title's words) or ``"short"``
    (``Bắc Kạn cũ``, the running header beside the new province)."""
    key = "former_province" + (f"_{form}" if form else "")
    return catalogue(lang).text(key, old=nfc(old), new=nfc(new))


def brief_title(unit: str, year: int, lang: str, *, province: bool = False, title_unit: str | None = None) -> str:
    """The title of a brief: ``Tóm tắt tình hình nghèo huyện Pác Nặm năm 2024``
    (``title_unit``: the unit as a title names it, where that differs from a sentence)."""
    title = label("province_brief" if province else "district_brief", lang)
    named = title_unit or unit
    return catalogue(lang).text("brief_title", title=title, unit=named, Unit=capitalize(named), year=year)


# --- sentences -------------------------------------------------------------------------


def change_clause(change_pp: float | None, previous_year: int | None, previous_rate: float | None, lang: str) -> str:
    """How the poor rate moved since the previous review (a clause, no final stop)."""
    words, f = catalogue(lang), formatter(lang)
    change = known(change_pp)
    if change is None and previous_year is not None:  # a previous review, the change hidden (disclosure control)
        return words.text("change_hidden", previous_year=previous_year)
    if change is None or previous_year is None:
        return words.text("change_none")
    fields: dict[str, Any] = {"previous_year": previous_year, "before": f.pct(previous_rate), "pp": f.pp_words(change)}
    way = f.direction(change)
    return words.text("change_same" if not way else "change_down" if way < 0 else "change_up", **fields)


def headline_sentence(
    unit: str,
    year: int,
    households: int | None,
    poor: int | None,
    poor_rate: float | None,
    near_poor: int | None,
    near_poor_rate: float | None,
    change_pp: float | None,
    previous_year: int | None,
    previous_rate: float | None,
    lang: str,
) -> str:
    """``Năm 2024, huyện Pác Nặm còn … hộ nghèo (…%), giảm … điểm phần trăm so với năm 2023 …``;
    a figure the protection hides (None) is named as not shown instead."""
    f = formatter(lang)
    if households is None or poor is None or near_poor is None:
        return _headline_hidden(unit, year, households, poor, poor_rate, near_poor, near_poor_rate, change_pp, previous_year, previous_rate, lang)
    return catalogue(lang).text(
        "headline", n=poor, year=year, unit=unit, Unit=capitalize(unit), poor=f.count(poor), rate=f.pct(poor_rate),
        households=f.count(households), change=change_clause(change_pp, previous_year, previous_rate, lang),
        near_poor=f.count(near_poor), near_rate=f.pct(near_poor_rate),
    )


def _headline_hidden(
    unit: str, year: int, households: int | None, poor: int | None, poor_rate: float | None, near_poor: int | None,
    near_poor_rate: float | None, change_pp: float | None, previous_year: int | None, previous_rate: float | None, lang: str,
) -> str:
    """The headline of a unit whose counts the protection partly hides: what is shown, then
    which figures are not (the change with the rate it is taken from)."""
    words, f = catalogue(lang), formatter(lang)
    shown: list[str] = []
    hidden: list[str] = []

    def part(key: str, count: int | None, rate: float | None, **fields: Any) -> None:
        if count is None:
            hidden.append(words.text(f"headline_hidden_{key}"))
        else:
            shown.append(words.text(f"headline_part_{key}" + ("" if rate is not None else "_count"), n=count, count=f.count(count), rate=f.pct(rate)))
        if rate is None:
            hidden.append(words.text(f"headline_hidden_{key}_rate"))

    if households is None:
        hidden.append(words.text("headline_hidden_households"))
    else:
        shown.append(words.text("headline_part_households", n=households, count=f.count(households)))
    part("poor", poor, poor_rate)
    if poor_rate is not None and (change_pp is not None or previous_year is None):
        shown[-1] += ", " + change_clause(change_pp, previous_year, previous_rate, lang)
    elif previous_year is not None:
        hidden.append(words.text("headline_hidden_change", previous_year=previous_year))
    part("near_poor", near_poor, near_poor_rate)
    key = "headline_hidden" if shown else "headline_hidden_all"
    return words.text(key, n=len(hidden), year=year, unit=unit, Unit=capitalize(unit), shown=join(shown, lang), hidden=join(hidden, lang))


def province_sentence(
    province: str, year: int, households: int, poor: int, poor_rate: float, change_pp: float | None,
    previous_year: int | None, previous_rate: float | None, lang: str,
) -> str:
    """The province headline."""
    f = formatter(lang)
    return catalogue(lang).text(
        "province", n=poor, year=year, province=province, poor=f.count(poor), rate=f.pct(poor_rate),
        households=f.count(households), change=change_clause(change_pp, previous_year, previous_rate, lang),
    )


def rank_sentence(
    rank: int, of: int, is_poor_district: bool | None, lang: str, unit: str = "", *, former: bool = False,
    kinds: Sequence[str] = (), variant: str = "",
) -> str:
    """Where the unit stands among the province's districts, and whether it is a poor district
    (None: not known, as for a province the poor-district table does not list: not said);
    ``former``: a former district (a review on the new division), among the former districts
    in the data. ``kinds``: the division types of the districts ranked (``quận, huyện``);
    ``variant``: the words of the whole (``city``: ``của thành phố`` / ``the city's``)."""
    words = catalogue(lang)
    fields: dict[str, Any] = {"Unit": capitalize(unit), "of": of, "ordinal": formatter(lang).ordinal(rank),
                              "units": district_kinds(kinds, lang)}
    key = "rank_first" if rank == 1 else "rank_last" if rank == of else "rank_other"
    if not former:
        key = words.variant("sentences", key, variant)
    status = "poor_district_yes" if is_poor_district else "poor_district_no"
    tail = "_new" if former else ""
    if is_poor_district is None:
        return nfc(words.text(key + tail, **fields))
    return nfc(f"{words.text(key + tail, **fields)} {words.text(status + tail, **fields)}")


def scope_text(scope: str, lang: str, assumed_from: str = "", *, former: str | None = None, city: bool = False) -> str:
    """Whose target a verdict is judged against (``mục tiêu của tỉnh``); a target borrowed
    from another row of the targets table is named as assumed (``giả định: …``). ``former``:
    the province scope is a former province's (its plan's targets, judged on its part of a
    new province); ``city``: a centrally-run city's (``mục tiêu của thành phố``)."""
    words = catalogue(lang)
    if assumed_from:
        return words.text("scope_assumed", owner=scope_text(assumed_from, lang, former=former, city=city))
    if scope == PROVINCE_SCOPE:
        return words.text("scope_former_province", old=former) if former else words.text("scope_province_city" if city else "scope_province")
    if scope == POOR_DISTRICTS_SCOPE:
        return words.text("scope_poor_districts")
    return words.text("scope_unit", scope=scope)


def _moved(change_down: float, lang: str) -> str:
    """How the rate moved, as a verb phrase: a positive ``change_down`` is a fall."""
    words, f = catalogue(lang), formatter(lang)
    way = f.direction(change_down)
    if not way:
        return words.text("moved_same")
    return words.text("moved_down" if way > 0 else "moved_up", pp=f.pp_words(change_down))


def verdict_sentence(
    year: int,
    reduction_pp: float | None,
    low: float | None,
    high: float | None,
    status: str | None,
    scope: str,
    lang: str,
) -> str:
    """The year's fall against the target that applies, the verdict inside the sentence."""
    words, f = catalogue(lang), formatter(lang)
    target = f.range_pp(low, high, long=True)
    fall = known(reduction_pp)
    if fall is None or status not in _VERDICT_ORDER:
        return words.text("verdict_none", scope=scope, target=target, year=year)
    return words.text(f"verdict_{status}", year=year, moved=_moved(fall, lang), target=target, scope=scope)


def extremes_sentence(
    highest: tuple[str, float], lowest: tuple[str, float] | None, count: int, lang: str, *, units: str,
) -> str:
    """Which unit has the highest and which the lowest poor rate (names as sentences write them;
    ``units``: what the units are, e.g. :func:`unit_kinds` of the communes listed). ``lowest``
    None: ``highest`` is the only unit whose rate is shown, so only its rate is said (never
    "highest in X and lowest in X")."""
    f = formatter(lang)
    hi_name, hi_rate = highest
    words = catalogue(lang)
    if lowest is None:
        if count <= 1:  # the only unit there is: nothing to compare it with
            return words.text("extremes_single", highest=hi_name, highest_rate=f.pct(hi_rate))
        return words.text("extremes_shown_units", count=count, units=units, highest=hi_name, highest_rate=f.pct(hi_rate))
    lo_name, lo_rate = lowest
    return words.text("extremes_units", count=count, units=units, highest=hi_name, highest_rate=f.pct(hi_rate), lowest=lo_name, lowest_rate=f.pct(lo_rate))


def gap_sentence(
    group: str, group_rate: float, group_households: int, other: str, other_rate: float, other_households: int, lang: str,
    *, areas: bool = False,
) -> str:
    """Two groups' poor rates side by side, with the gap in percentage points (``group`` and
    ``other``: phrases as they read inside a sentence, e.g. ``label("kinh_phrase", lang)``);
    ``areas``: the groups are places (the poor districts and the others), where households
    live, not kinds of household, which a group with no household must say so."""
    words, f = catalogue(lang), formatter(lang)
    fields: dict[str, Any] = {
        "group": group, "rate": f.pct(group_rate), "households": f.count(group_households),
        "other": other, "other_rate": f.pct(other_rate), "other_households": f.count(other_households),
    }
    tail = "_areas" if areas else ""
    if not other_households:
        return words.text("gap_only_group" + tail, **fields)
    if not group_households:
        return words.text("gap_no_group" + tail, **fields)
    gap = group_rate - other_rate
    way = f.direction(gap)
    if not way:
        return words.text("gap_equal", **fields)
    return words.text("gap_higher" if way > 0 else "gap_lower", pp=f.pp_words(gap), **fields)


def profile_sentence(top: Sequence[tuple[str, float]], poor: int | None, lang: str, *, hidden: bool = False, prefix: str = "profile") -> str:
    """The commonest deprivations of poor (``prefix="near_profile"``: near-poor) households
    (``top``: indicator, % deprived, the shares shown). ``poor`` None: the protection hides the
    count, and the sentence says so (never "no poor households"); ``hidden``: some shares are
    hidden. A share of 0 is not a deprivation, so it is never named as a common one."""
    words, f = catalogue(lang), formatter(lang)
    field = "near_poor" if prefix == "near_profile" else "poor"
    if poor is None:
        return words.text(f"{prefix}_hidden")
    if not poor:
        return words.text(f"{prefix}_none")
    named = [(i, share) for i, share in top if share > 0]
    if not named:
        return words.text(f"{prefix}_shares_hidden" if hidden else f"{prefix}_not_deprived", n=poor, **{field: f.count(poor)})
    items = [words.text("profile_item", deprivation=words.label("deprived", i), share=f.pct(share, 1)) for i, share in named]
    return words.text(prefix, n=poor, items=join(items, lang), **{field: f.count(poor)})


def af_sentence(H: float | None, A: float, M0: float, cutoff: int, indicators: int, top_dimension: tuple[str, float] | None, lang: str) -> str:
    """The Alkire-Foster figures in words, with why they differ from the official rate
    (``H`` None: the figures are hidden by disclosure control, and the sentence says so)."""
    words, f = catalogue(lang), formatter(lang)
    if H is None:
        return nfc(" ".join((words.text("af_hidden", cutoff=cutoff, indicators=indicators), words.text("af_note"))))
    parts = [words.text("af", cutoff=cutoff, indicators=indicators, H=f.pct(H * 100, 1), A=f.pct(A * 100, 1), M0=f.num(M0, 3))]
    if top_dimension:
        name, share = top_dimension
        parts.append(words.text("af_top_dimension", dimension=_lower_first(name), share=f.pct(share, 1)))
    parts.append(words.text("af_note"))
    return nfc(" ".join(parts))


def _lower_first(text: str) -> str:
    """A label inside a sentence: first letter lower case (``Nhà ở`` → ``nhà ở``)."""
    return text[:1].lower() + text[1:]


def trend_sentences(
    baseline_year: int,
    baseline_rate: float,
    latest_year: int,
    latest_rate: float,
    average_fall: float | None,
    status: str | None,
    target_text: str,
    end_year: int,
    projected_observed: float | None,
    required_fall: float | None,
    households_to_exit: float | None,
    impossible: bool,
    lang: str,
) -> list[str]:
    """The period so far: average change, verdict, projection and what is still needed."""
    words, f = catalogue(lang), formatter(lang)
    fall, required = known(average_fall), known(required_fall)
    if latest_year <= baseline_year or fall is None:
        return [words.text("trend_too_early", baseline_year=baseline_year)]
    key = f"trend_{status}" if status in _VERDICT_ORDER else "trend_none"
    way = f.direction(fall)  # an average fall that prints as 0,00 is "hầu như không đổi", not "giảm 0,00"
    moved = words.text("trend_moved_same" if not way else "trend_moved_down" if way > 0 else "trend_moved_up", pp=f.pp_words(fall))
    out = [words.text(
        key, baseline_year=baseline_year, baseline_rate=f.pct(baseline_rate), latest_year=latest_year, latest_rate=f.pct(latest_rate),
        moved=moved, target=target_text,
    )]
    remaining = end_year - latest_year
    if known(projected_observed) is not None and remaining > 0:
        out.append(words.text("trend_projection", end_year=end_year, rate=f.pct(projected_observed)))
    if required is not None and remaining > 0:
        if impossible:
            out.append(words.text("trend_impossible"))
        elif required <= 0:
            out.append(words.text("trend_already", end_year=end_year))
        elif not f.direction(required):  # a fall still needed that prints as 0,00: at the target, not "cần giảm 0,00"
            out.append(words.text("trend_at_target", end_year=end_year))
        else:
            last = "_last" if remaining == 1 else ""
            need = words.text(f"trend_need{last}", end_year=end_year, pp=f.pp_words(required))
            exits = known(households_to_exit)
            if exits is not None:
                out.append(words.text(f"trend_need_households{last}", need=need, households=f.count(exits)))
            else:
                out.append(words.text("sentence_end", text=need))
    return out


def flows_sentence(year: int, previous_year: int | None, exited: int, newly: int, fallen_back: int, lang: str) -> str:
    """The review's movements: exited poverty, newly poor, fallen back."""
    words, f = catalogue(lang), formatter(lang)
    if previous_year is None:
        return words.text("flows_first", year=year)
    return words.text("flows", n=exited, previous_year=previous_year, exited=f.count(exited), newly=f.count(newly), fallen_back=f.count(fallen_back))


def flows_note(new_household_poor: int, left_poor: int, previous_year: int, lang: str) -> str:
    """Poor households that came in as new households, and the previous year's poor who left the list."""
    words, f = catalogue(lang), formatter(lang)
    new = words.text("flows_new", n=new_household_poor, count=f.count(new_household_poor))
    left = words.text("flows_left", n=left_poor, count=f.count(left_poor), previous_year=previous_year)
    return words.text("flows_note", new=new, left=left)


def data_notes(source: str, standard_title: str, year: int, synthetic: bool, lang: str, national_scale: str = "", *, former: bool = False) -> list[str]:
    """Where the numbers come from, under which standard, and — when so — that they are
    synthetic and what the set assumes (``national_scale``: a synthetic national set's scale;
    ``former``: the year's data are a former province's part of a new one)."""
    words = catalogue(lang)
    notes = [
        words.text("notes_source", source=source),
        words.text("notes_standard", standard=standard_title),
        words.text("notes_year", year=year),
        words.text("notes_rates"),
    ]
    if synthetic and national_scale:
        notes.append(words.text("notes_synthetic_national", scale=formatter(lang).num(float(national_scale), 4, trim=True)))
    elif synthetic:
        notes.append(words.text("notes_synthetic_former" if former else "notes_synthetic"))
    return notes


def target_note(low: float | None, high: float | None, baseline_year: int, end_year: int, said: Sequence[str], lang: str) -> str:
    """The target that applies, its period, and what the targets table says of it."""
    band = formatter(lang).range_pp(low, high)
    return catalogue(lang).text("notes_target", band=band, baseline_year=baseline_year, end_year=end_year, said="".join(f"; {s}" for s in said))


def verdict_count_sentence(
    counts: Mapping[str, int], year: int, lang: str, *, former: bool = False, kinds: Sequence[str] = (),
) -> str:
    """How many districts (``former``: former districts) exceeded, met or missed their target
    in the year (and how many targets were unattainable, when any was); ``kinds``: the
    division types of the districts (``các quận, huyện`` of Hà Nội, ``các huyện, thành phố``)."""
    words = catalogue(lang)
    parts = [words.text("verdict_count_part", count=counts.get(s, 0), status=status_label(s, lang))
             for s in _VERDICT_ORDER if s != "unattainable" or counts.get(s, 0)]
    return words.text("verdict_count_new" if former else "verdict_count", year=year, parts=", ".join(parts),
                      units=district_kinds(kinds, lang))


def district_group(kinds: Sequence[str], lang: str) -> str:
    """The batch index's heading over the former districts' briefs, by their division types
    (``Quận, huyện, thị xã cũ: …`` of Hà Nội, ``Huyện, thành phố cũ: …`` / ``Former districts: …``)."""
    units = district_kinds(kinds, lang)
    return nfc(label("group_districts", lang).format(Districts=capitalize(units), districts=units))


def published_note(
    review: tuple[int, float] | None, programme: float | None, first: tuple[int, float] | None, lang: str,
) -> str:
    """Why the published series and the household data may differ, and which baseline is which.

    ``review`` is (year, rate) of the approved review that opens the period, ``programme``
    the programme's own baseline for that year and ``first`` (year, rate) the first
    published rate after it: the same fall reads differently from the two baselines, and
    the page says so with the numbers (all read from ``data/published.csv``).
    """
    words, f = catalogue(lang), formatter(lang)
    if review is None or programme is None:
        return words.text("published_note_one")
    year, base = review
    text = words.text("published_note", year=year, review_rate=f.pct(base), programme_rate=f.pct(programme))
    if first is not None:
        later, rate = first
        text += " " + words.text("published_note_first", rate=f.pct(rate), year=later,
                                 from_programme=f.pp_words(programme - rate), from_review=f.pp_words(base - rate))
    return text


def old_standard_note(years: Sequence[int], standard_title: str, lang: str) -> str:
    """Years under an earlier standard are not comparable with later ones."""
    span = f"{min(years)}–{max(years)}" if len(years) > 1 else f"{years[0]}"
    return catalogue(lang).text("old_standard_note", years=span, standard=standard_title)
