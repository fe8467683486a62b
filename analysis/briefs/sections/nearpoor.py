"""What a brief says about near-poor households beside poor ones: who moved between poor,
near-poor and neither since the previous review, which deprivations the near-poor have,
and the rates counted in people beside the rates counted in households.

Disclosure control: every count shown is a cell of the year's one protection
(:mod:`analysis.tables.protection`) or a sum or difference of such cells, hidden when any
of them is (so the brief says nothing the protected cells do not already say);
person counts and rates follow their household cells (hidden when the households behind
them are), as :mod:`analysis.measures.disclosure` states.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...measures.flows import MOVEMENT_DECREASES, MOVEMENT_INCREASES
from ...measures.transitions import FROM_STATES, TO_STATES, transition_matrix
from ...review import columns as c
from ...tables.protection import movement_measure
from ...words import catalogue, fmt_int, fmt_num, fmt_signed, formatter, indicator_label, label, nfc
from .. import charts
from .. import narrative as nv
from ..brief import Brief
from ..settings import load_material_gap
from .disclosure import hides, shown_share, suppressed_note, unit_row
from .display import Section, num


def _cells(source: str, target: str) -> tuple[tuple[str, ...], ...]:
    """The protection's cells behind one count of the transition matrix: one set, or for who
    stayed two (it is no cell but worked out, from the previous count less the decreases or
    from this year's count less the increases). A count is shown when every cell of one set
    is, so it says nothing the shown cells do not; a worked-out count is not shown when small."""
    if source == "total":
        return ((target,),)
    if source == "new_household":
        return ((movement_measure(target, "increase_other"),),)
    if source == "neither":
        return ((movement_measure(target, "increase_fallen_back"), movement_measure(target, "increase_newly")),)
    if target == source:
        return (tuple(movement_measure(source, col) for col in ("start", *MOVEMENT_DECREASES)),
                tuple(movement_measure(source, col) for col in ("end", *MOVEMENT_INCREASES)))
    column = {"poor": "decrease_to_other", "near_poor": "decrease_to_other", "neither": "decrease_above",
              "left": "decrease_other", "total": "start"}
    return ((movement_measure(source, column[target]),),)


def _hidden(brief: Brief, unit: str, source: str, target: str) -> bool:
    return all(hides(brief, unit, *cells) for cells in _cells(source, target))


def _flows_row(brief: Brief) -> pd.Series | None:
    """The brief's unit's row of the year's flows (the province's: households followed over
    the whole province, never summed from districts)."""
    if brief.previous_year is None:
        return None
    mine = brief.own_if_any("flows")
    return mine.iloc[0] if mine is not None and len(mine) else None


def transition_counts(brief: Brief) -> dict[tuple[str, str], int | None] | None:
    """The matrix's counts as shown: (from, to) → households, None where the protection
    hides it (absent: not followed). None in the first year of the data."""
    row = _flows_row(brief)
    if row is None:
        return None
    matrix = transition_matrix(row)
    unit = unit_row(brief)
    out: dict[tuple[str, str], int | None] = {}
    values = matrix.to_numpy(dtype=float)
    for i, source in enumerate(matrix.index):
        for j, target in enumerate(matrix.columns):
            if not np.isnan(values[i, j]):
                value = int(values[i, j])
                small = source == target and 0 < value < brief.inputs.threshold  # a worked-out count
                out[(str(source), str(target))] = None if small or _hidden(brief, unit, str(source), str(target)) else value
    return out


def transitions(brief: Brief) -> Section:
    """Households moving between poor, near-poor and neither since the previous review."""
    lang, year = brief.lang, brief.year
    title = label("transitions", lang)
    counts = transition_counts(brief)
    words = catalogue(lang)
    if counts is None:
        return Section(title, paragraphs=(words.text("transitions_first", year=year),), anchor="transitions")
    previous = int(brief.previous_year or 0)
    when = {"previous": previous, "year": year}
    rows, columns = [*FROM_STATES, "total"], [*TO_STATES, "total"]
    table = pd.DataFrame({
        nv.fact_note("transition_from", lang, **when): [nv.fact_note(f"from_{s}", lang, **when) for s in rows],
        **{nv.fact_note(f"to_{t}", lang, **when): [_shown(counts, (s, t), lang) for s in rows] for t in columns},
    })
    f = formatter(lang)
    paragraphs: list[str] = []
    poor = [counts.get(("poor", t)) for t in ("total", "poor", "near_poor", "neither")]
    if all(v is not None for v in poor) and poor[0]:
        paragraphs.append(words.text("transitions_poor", previous=previous, before=f.count(poor[0]), stayed=f.count(poor[1]),
                                     to_near=f.count(poor[2]), to_neither=f.count(poor[3])))
    near = [counts.get(("near_poor", t)) for t in ("total", "poor", "neither")]
    if all(v is not None for v in near) and near[0]:
        paragraphs.append(words.text("transitions_near", previous=previous, before=f.count(near[0]),
                                     to_poor=f.count(near[1]), to_neither=f.count(near[2])))
    hidden = any(v is None for v in counts.values())
    notes: tuple[str, ...] = (words.text("transitions_how", **when), words.text("transitions_not_followed", **when))
    notes += (suppressed_note(brief),) if hidden else ()
    return Section(title, paragraphs=tuple(paragraphs), table=table, notes=notes, anchor="transitions")


def _shown(counts: dict[tuple[str, str], int | None], key: tuple[str, str], lang: str) -> str | None:
    """A matrix cell's text: the count, None (shown "–") when hidden, "" when not followed."""
    if key not in counts:
        return ""
    value = counts[key]
    return None if value is None else fmt_int(value, lang)


def near_poor_shares(brief: Brief) -> tuple[list[str], list[float | None], list[float | None]]:
    """Indicators, and the shares (percent) of near-poor and of poor households deprived in
    each, None where the protection hides them."""
    profile = brief.own("profile")
    unit = unit_row(brief)
    near: list[float | None] = []
    poor: list[float | None] = []
    for indicator, share_n, share_p in zip(profile["indicator"], profile["share_near_poor_pct"], profile["share_poor_pct"]):
        near.append(shown_share(brief, unit, "near_poor", indicator, share_n))
        poor.append(shown_share(brief, unit, "poor", indicator, share_p))
    return [str(i) for i in profile["indicator"]], near, poor


def near_poor_deprivations(brief: Brief) -> Section:
    """The deprivation profile of near-poor households beside that of poor households."""
    lang = brief.lang
    indicators, near, poor = near_poor_shares(brief)
    profile = brief.own("profile")
    count = int(profile["near_poor"].iloc[0]) if len(profile) else 0
    names = [indicator_label(i, lang) for i in indicators]
    chart = charts.paired_bars(
        names, near, poor, lang,
        title=f"{label('near_poor_deprivation', lang)} – {brief.unit}, {brief.year}",
        first_label=label("share_near_poor", lang), second_label=label("share_poor", lang),
        axis_label=label("share_axis", lang),
    )
    shown_count = None if hides(brief, unit_row(brief), "near_poor") else count
    paragraphs = _near_profile_sentences(indicators, near, poor, shown_count, lang)
    hidden = any(v is None for v in near + poor)
    notes = (suppressed_note(brief),) if hidden else ()
    return Section(label("near_poor_deprivation", lang), paragraphs=paragraphs, chart=chart, notes=notes,
                   anchor="near-poor-deprivation")


def _near_profile_sentences(indicators: list[str], near: list[float | None], poor: list[float | None],
                            count: int | None, lang: str) -> tuple[str, ...]:
    """The commonest deprivations of near-poor households (hidden shares never ranked, shares
    of 0 never named), then how they compare with the poor's (shares shown in both)."""
    words = catalogue(lang)
    known = [(i, n) for i, n in zip(indicators, near) if n is not None and n > 0]
    top = sorted(known, key=lambda pair: (-pair[1], pair[0]))[:3]
    first = nv.profile_sentence(top, count, lang, hidden=any(n is None for n in near), prefix="near_profile")
    if not count or not top:
        return (first,)
    out = [first]
    both = [(i, n, p) for i, n, p in zip(indicators, near, poor) if n is not None and p is not None]
    if both:
        # Compared as printed (one decimal), so the sentence never contradicts the chart.
        not_lower = [i for i, n, p in both if round(n, 1) >= round(p, 1)]
        if not not_lower:
            out.append(words.text("near_profile_lower_all", total=len(both)))
        else:
            named = [_lower_first(indicator_label(i, lang)) for i in not_lower]
            out.append(words.text("near_profile_not_lower", count=len(not_lower), total=len(both), items=_and(named, lang)))
    return tuple(out)


def _and(parts: list[str], lang: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return catalogue(lang).text("list_and", head=", ".join(parts[:-1]), last=parts[-1])


def _lower_first(text: str) -> str:
    return nfc(text[:1].lower() + text[1:])


#: The groups compared by households and by people, and their household cells.
PERSON_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (("poor", ("poor", "households")), ("near_poor", ("near_poor", "households")))


def person_figures(brief: Brief) -> dict[str, dict[str, Any]] | None:
    """Per group (poor, near-poor): households, household rate, people, person rate and the
    gap (person − household rate, pp); values None where the protection hides them. None
    when the data have no household sizes."""
    people = brief.own_if_any("persons")
    if people is None or people.empty:
        return None
    p = people.iloc[0]  # the province's: measured over it, never summed from districts
    if brief.district is None:
        rates = brief.inputs.province_rates
        h = rates[rates[c.YEAR] == brief.year].iloc[0]
    else:
        rates = brief.inputs.district_rates
        h = rates[(rates[c.YEAR] == brief.year) & (rates[c.DISTRICT] == brief.district)].iloc[0]
    unit = unit_row(brief)
    out: dict[str, dict[str, Any]] = {}
    for group, cells in PERSON_GROUPS:
        hidden = hides(brief, unit, *cells)
        household_rate, person_rate = float(h[f"{group}_rate"]), num(p[f"{group}_rate"])
        out[group] = {
            "households": None if hidden else int(h[group]),
            "household_rate": None if hidden else household_rate,
            "people": None if hidden else int(round(float(p[f"{group}_persons"]))),
            "person_rate": None if hidden else person_rate,
            "gap_pp": None if hidden or person_rate is None else person_rate - household_rate,
        }
    total_hidden = hides(brief, unit, "households")
    out["total"] = {"households": None if total_hidden else int(h["households"]), "household_rate": None,
                    "people": None if total_hidden else int(round(float(p["persons"]))), "person_rate": None, "gap_pp": None}
    return out


def person_rates(brief: Brief) -> Section:
    """The share of people in poor and near-poor households beside the household rates,
    with a sentence where they differ materially (``[persons]`` in data/brief_settings.toml)."""
    lang = brief.lang
    title = label("persons", lang)
    words, f = catalogue(lang), formatter(lang)
    figures = person_figures(brief)
    if figures is None:
        return Section(title, paragraphs=(words.text("persons_none"),), anchor="persons")
    material = load_material_gap()
    threshold = words.text("pp_long", n=material, value=f.num(material, 1, trim=True))
    groups = [g for g, _ in PERSON_GROUPS]
    rows = [*groups, "total"]
    table = pd.DataFrame({
        label("person_group", lang): [label("total_row" if g == "total" else g, lang) for g in rows],
        label("person_households", lang): [fmt_int(figures[g]["households"], lang) for g in rows],
        label("person_household_rate", lang): [fmt_num(figures[g]["household_rate"], lang) for g in rows],
        label("person_people", lang): [fmt_int(figures[g]["people"], lang) for g in rows],
        label("person_people_rate", lang): [fmt_num(figures[g]["person_rate"], lang) for g in rows],
        label("person_gap", lang): [fmt_signed(figures[g]["gap_pp"], lang) for g in rows],
    })
    # The total row has no rate: "" (nothing to show), not "–" (hidden).
    for key in ("person_household_rate", "person_people_rate", "person_gap"):
        table.loc[len(rows) - 1, label(key, lang)] = ""
    paragraphs = []
    for group in groups:
        g = figures[group]
        if g["gap_pp"] is None:
            continue
        fields: dict[str, Any] = {"group": label(f"{group}_phrase", lang), "rate": f.pct(g["person_rate"]),
                  "household_rate": f.pct(g["household_rate"])}
        if abs(round(g["gap_pp"], 2)) >= material:
            key = "persons_higher" if g["gap_pp"] > 0 else "persons_lower"
            paragraphs.append(words.text(key, people=f.count(g["people"]), pp=f.pp_words(g["gap_pp"]), **fields))
        else:
            paragraphs.append(words.text("persons_close", threshold=threshold, **fields))
    hidden = any(figures[g]["gap_pp"] is None for g in groups)
    notes = (words.text("persons_how", threshold=threshold),) + ((suppressed_note(brief),) if hidden else ())
    return Section(title, paragraphs=tuple(paragraphs), table=table, notes=notes, anchor="persons")
