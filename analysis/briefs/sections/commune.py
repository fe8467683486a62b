"""What the new division adds to the briefs: the data notes it needs, and the communes ranked
in the province overview (a commune brief itself uses the district brief's sections)."""

from __future__ import annotations

from typing import Any

from ...review.units import OLD, find_province, province_units
from ...tables.figures import row_id
from ...words import catalogue, fmt_int, fmt_num, fmt_pct, label
from .. import charts
from .. import narrative as nv
from ..brief import Brief, commune_kinds
from ..communes import not_exact
from ..inputs import BriefInputs
from .disclosure import RATE_COLUMNS, mask, suppressed_note
from .display import Section, rank_text, rates_table
from .figures import district_table, headline_figures


def fact_notes(inputs: BriefInputs, lang: str, unit: str | None = None) -> list[str]:
    """The data notes of the new division: coverage, former districts, re-basing, what a
    synthetic year assumes, units left out. A commune's brief (``unit``) keeps only its own
    commune's notes of these (the overview, all of them)."""
    out = []
    for key, params in inputs.facts:
        if unit is not None and inputs.level == "commune" and "commune" in params and params["commune"] != unit:
            continue
        shown: dict[str, Any] = dict(params)
        if key == "note_assumed":
            shown["fall"] = fmt_num(params["fall"], lang)
            near = params.get("near")
            shown["near"] = nv.fact_note("note_assumed_near", lang, rate=fmt_num(near, lang)) if near is not None else ""
        if "households" in shown:
            shown["households"] = fmt_int(params["households"], lang)
        if key == "note_covers":  # the kinds of the new units it covers (xã, phường[, đặc khu])
            view = inputs if inputs.level == "commune" or inputs.communes is None else inputs.communes
            shown["units"] = nv.unit_kinds(commune_kinds(view), lang)
            if not former_lists_poor_districts(str(params["old"])):  # its scopes have no poor districts
                key = "note_covers_no_poor"
        out.append(nv.fact_note(key, lang, **shown))
    return out


def former_lists_poor_districts(old_province: str) -> bool:
    """Whether the poor-district list (``data/poor_districts.csv``) names districts of the
    former province a new-division file covers part of (a province not found: as before)."""
    name = find_province(old_province, OLD)
    return name is None or bool(province_units(name, OLD).poor_districts)


def commune_ranking(brief: Brief) -> Section | None:
    """The new communes ranked by their poor-household rate (None before the new division)."""
    view = brief.inputs.communes
    if view is None or brief.year not in view.years:
        return None
    lang = brief.lang
    own = Brief(view, brief.year, lang)
    table = district_table(view, brief.year).sort_values(["rank", "district"], kind="mergesort", na_position="last").reset_index(drop=True)
    province = headline_figures(own)
    # The year's protection of the new units (their briefs'): a hidden rate is neither shown nor ranked.
    shown, hidden = mask(own, table, [row_id(d) for d in table["district"]], RATE_COLUMNS)
    visible = shown["poor_rate"].notna().to_numpy()
    units = nv.unit_kinds(commune_kinds(view), lang)  # xã, phường[, đặc khu]: the province's own
    left_out = not_exact(view, brief.year)  # a re-based year's units without figures
    # a re-based year counts the units it has figures for (the notes name those left out)
    counted = units + (catalogue(lang).tables["overview"]["counted_exact"].format(year=brief.year) if left_out else "")
    display = rates_table(shown, shown["district"], label("commune_unit", lang).format(Units=nv.capitalize(units)), lang, change=True)
    display.insert(0, "#", [rank_text(r if v else None, lang) for r, v in zip(table["rank"], visible)])
    ranked = table[visible]
    sentences = (nv.extremes_sentence((ranked.iloc[0]["district"], ranked.iloc[0]["poor_rate"]),
                                      (ranked.iloc[-1]["district"], ranked.iloc[-1]["poor_rate"]) if len(ranked) > 1 else None, len(table), lang,
                                      units=counted),) if len(ranked) else ()
    # The chart draws the rates the table shows (the protection at the brief's threshold), no others.
    chart = charts.rate_bars(
        ranked["district"].tolist(), ranked["poor_rate"].tolist(), ranked["near_poor_rate"].tolist(), lang,
        title=f"{label('poor_rate', lang)} – {brief.year}",
        reference=(f"{label('average', lang)} {fmt_pct(province['poor_rate'], lang)}", province["poor_rate"]) if province["poor_rate"] is not None else None,
    ) if len(ranked) else None
    # Every unit whose figures the table lacks, each named: the previous year's listed without
    # a change, this year's left out of the ranking.
    listed = set(table["district"].astype(str))
    previous = [m for m in not_exact(view, own.previous_year) if m in listed] if own.previous_year is not None else []
    notes = tuple(nv.fact_note("note_not_exact", lang, year=y, commune=m)
                  for y, names in ((own.previous_year, previous), (brief.year, left_out)) for m in names)
    notes += (suppressed_note(own),) if hidden else ()
    return Section(label("commune_ranking", lang).format(units=units, Units=nv.capitalize(units)), paragraphs=sentences, chart=chart, table=display, notes=notes, anchor="commune-ranking")
