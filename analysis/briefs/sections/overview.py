"""What opens and closes a professional brief: key messages generated from the numbers, a
methods box (what the review is, its errors, H, A and M0, how verdicts are decided), and the
province overview's map of its districts shaded by poor rate.

Every figure comes from :mod:`.figures` and the brief's tables; no sentence is typed in a
notebook. The contents list is built by the renderer from the sections' headings.
"""

from __future__ import annotations

from typing import Any

from ...measures.disclosure import threshold_sentence
from ...review import columns as c
from ...review.standards import get_standard
from ...tables.figures import row_id
from ...words import catalogue, fmt_int, fmt_num, fmt_pct, fmt_range_pp, formatter, nfc, status_label
from .. import narrative as nv
from ..brief import Brief, district_name, district_words
from .disclosure import RATE_CELLS, hides, shown_share, unit_row
from .display import Section, num
from .district import shown_flows
from .figures import district_table, flow_figures, headline_figures
from .province import district_word

_METHODS = ("methods_census", "methods_af", "methods_verdicts")


def _words(lang: str) -> dict[str, str]:
    """This module's texts in the brief's language (the ``[overview]`` table of the catalogue)."""
    return dict(catalogue(lang).tables["overview"])


def key_messages(brief: Brief) -> Section:
    """Three to five messages from the brief's numbers: the rate and its change, the verdict,
    where poverty is highest, the commonest deprivation of the poor, the year's flows."""
    lang, w = brief.lang, _words(brief.lang)
    f = headline_figures(brief)
    change = ""
    if f["change_pp"] is not None and f["previous_year"] is not None:
        way = formatter(lang).direction(f["change_pp"])  # as printed: 0,00 is "không đổi", never "giảm 0,00"
        moved = w["fell"] if way < 0 else w["rose"]
        change = w["change"].format(moved=moved, pp=fmt_num(abs(f["change_pp"]), lang), prev=f["previous_year"]) if way else w["change_same"].format(prev=f["previous_year"])
    if f["poor_rate"] is not None and f["poor"] is not None:
        messages = [w["rate"].format(year=brief.year, rate=fmt_pct(f["poor_rate"], lang), poor=fmt_int(f["poor"], lang), change=change)]
    else:  # the protection hides the unit's poor count: the headline says which figures are not shown
        messages = [nv.headline_sentence(brief.unit, brief.year, f["households"], f["poor"], f["poor_rate"], f["near_poor"],
                                         f["near_poor_rate"], f["change_pp"], f["previous_year"], f["previous_poor_rate"], lang)]
    if f["status"]:
        messages.append(w["verdict"].format(target=fmt_range_pp(f["target_low_pp"], f["target_high_pp"], lang),
                                            verdict=status_label(f["status"], lang)))
    messages += _extremes(brief, w)
    messages += _deprivation(brief, w)
    messages += _flows(brief, w)
    return Section(w["title"], bullets=tuple(nfc(m) for m in messages[:5]), anchor="key-messages")


def _extremes(brief: Brief, w: dict[str, str]) -> list[str]:
    lang = brief.lang
    if brief.district is None:
        table = district_table(brief.inputs, brief.year)
        if table.empty:  # a province of a national review on the new division: no districts to compare
            return []
        table = table[table["poor_rate"].notna()]  # hidden rates are not compared
        name_col, key = "district", "highest_district"
    else:
        table = brief.mine(brief.tables.communes)
        # The communes whose rate the commune table shows: the protection at the brief's
        # threshold decides (a fixed size rule would show or hide others than the tables do).
        table = table[[not hides(brief, row_id(d, m), *RATE_CELLS) for d, m in zip(table[c.DISTRICT], table[c.COMMUNE])]]
        name_col, key = c.COMMUNE, "highest_commune"
    if len(table) < 2:
        return []
    ranked = table.sort_values(["poor_rate", name_col], ascending=[False, True], kind="mergesort")
    hi, lo = ranked.iloc[0], ranked.iloc[-1]

    def name(unit: str) -> str:  # a district as sentences name it ("thành phố Bắc Kạn" mid-sentence)
        return district_name(brief.inputs, unit, lang, year=brief.year) if brief.district is None else unit

    return [w[key].format(name=name(hi[name_col]), rate=fmt_pct(float(hi["poor_rate"]), lang),
                          low=name(lo[name_col]), low_rate=fmt_pct(float(lo["poor_rate"]), lang))]


def _flows(brief: Brief, w: dict[str, str]) -> list[str]:
    """The year's flows, as far as the protection shows them (the flows section's cells)."""
    flows, shown = flow_figures(brief), shown_flows(brief)
    if flows is None or shown is None or shown["exited_poverty"] is None:
        return []
    lang, prev = brief.lang, flows["previous_year"]
    exited = fmt_int(shown["exited_poverty"], lang)
    if shown["newly_poor"] is None or shown["fallen_back_poor"] is None:
        return [w["flows_exited"].format(prev=prev, exited=exited)]
    return [w["flows"].format(prev=prev, exited=exited, new=fmt_int(shown["newly_poor"], lang), back=fmt_int(shown["fallen_back_poor"], lang))]


def _deprivation(brief: Brief, w: dict[str, str]) -> list[str]:
    profile = brief.own("profile")
    if profile.empty:
        return []
    top = profile.sort_values(["share_poor_pct", "indicator"], ascending=[False, True], kind="mergesort").iloc[0]
    share = shown_share(brief, unit_row(brief), "poor", str(top["indicator"]), top["share_poor_pct"])
    if share is None or share <= 0:
        return []
    deprivation = catalogue(brief.lang).label("deprived", str(top["indicator"]))  # as a sentence names it
    return [w["deprivation"].format(share=fmt_pct(share, brief.lang, 1), deprivation=deprivation)]


def methods(brief: Brief) -> Section:
    """The methods box: census not sample, non-sampling error, H, A and M0, verdict rules."""
    std = get_standard(brief.inputs.standard)
    values: dict[str, Any] = {"k": std.deprivation_cutoff, "n": len(std.indicators)}
    w = _words(brief.lang)
    # Disclosure control as the brief's threshold applies it (the tables' notes say the same).
    disclosure = threshold_sentence(brief.inputs.threshold, brief.lang)
    paragraphs = tuple(nfc(w[key].format(**values)) for key in _METHODS) + (nfc(disclosure),)
    return Section(w["methods"], paragraphs=paragraphs, anchor="methods", boxed=True)


def _boundaries(units: Any, districts: list[str]) -> tuple[dict[str, list], dict[str, str]] | None:
    """Outer rings of every district from the first file in ``data/geo`` that covers them all."""
    import json

    from ...paths import BOUNDARIES_DIR

    for path in sorted(BOUNDARIES_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        rings: dict[str, list] = {}
        for unit in data.get("units", []):
            name = units.canonical("district", str(unit["name"]))
            if name in districts:
                rings[name] = unit["rings"]
        if set(rings) == set(districts):
            return rings, {"source": str(data.get("source", path.name)), "licence": str(data.get("licence", ""))}
    return None


def district_map(brief: Brief) -> Section | None:
    """The districts shaded by poor rate (SVG from the simplified boundaries in ``data/geo``,
    nothing fetched); the boundaries' source and licence under it. None where the data
    have no districts: there is nothing to shade."""
    if not brief.inputs.districts:
        return None
    w = _words(brief.lang)
    table = district_table(brief.inputs, brief.year)
    found = _boundaries(brief.inputs.units, [str(d) for d in table["district"]])
    kinds = district_words(brief.inputs, brief.lang, plural=False)  # huyện, thành phố; quận, huyện (Hà Nội)
    title = district_word("map_title", brief, "overview").format(unit=kinds)
    if found is None:
        return Section(title, notes=(w["map_missing"],), anchor="map")
    rings, source = found
    rates = {str(d): float(r) for d, r in zip(table["district"], table["poor_rate"]) if num(r) is not None}  # hidden: not shaded
    from .. import charts

    chart = charts.district_map(rings, rates, brief.lang, title=district_word("map_chart", brief, "overview").format(year=brief.year, unit=kinds), no_data=w["map_no_data"])
    return Section(title, chart=chart, notes=(nfc(w["map_source"].format(**source)),), anchor="map")
