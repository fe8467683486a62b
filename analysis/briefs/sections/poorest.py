"""The poorest communes province-wide: the province overview's table and chart of the communes
with the highest poor-household rates.

The communes are those of the overview's commune ranking: the new units when the year is
briefed on the new division (:attr:`BriefInputs.communes`, earlier years re-based), else the
communes under their districts. Their figures are the year's tables (the same
``poverty_rates`` rows as the district briefs and the workbook), their cells hidden by the
year's one protection before anything is ranked: a commune whose rate is hidden is not
ranked, and the sentence says how many are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...measures.predecessors import predecessors
from ...review import columns as c
from ...tables.figures import row_id
from ...words import catalogue, fmt_int, fmt_pct, label, nfc
from .. import charts
from ..brief import Brief
from .disclosure import RATE_COLUMNS, mask, mask_changes
from .display import Section, num, rates_table
from .figures import headline_figures

#: How many communes the table and chart show.
TOP_COMMUNES = 10


@dataclass(frozen=True)
class Communes:
    """Every commune of the province in one year, its cells hidden by the protection."""

    shown: pd.DataFrame  # name, place, households … near_poor_rate, change_pp (None where hidden)
    new: bool  # the new division (communes straight under the province)


def _words(lang: str) -> dict[str, str]:
    """The overview's texts in the brief's language (the ``[overview]`` table of the catalogue)."""
    return dict(catalogue(lang).tables["overview"])


def _with_change(now: pd.DataFrame, before: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    before = before[keys + ["poor_rate"]].rename(columns={"poor_rate": "_before"})
    out = now.merge(before, on=keys, how="left")
    return out.assign(change_pp=out["poor_rate"] - out["_before"].astype(float)).drop(columns="_before")


def _former_districts(brief: Brief) -> dict[str, str]:
    """Each new commune's former district(s), from the reorganisation's crosswalk."""
    units = brief.inputs.units.table
    codes = units[units["level"] == "district"].set_index("code")["name"]
    pred = predecessors()
    pred = pred[pred["new_commune_code"].isin(codes.index)].sort_values("old_district_code", kind="mergesort")
    return {str(codes[code]): ", ".join(dict.fromkeys(group["old_district"].astype(str)))
            for code, group in pred.groupby("new_commune_code", sort=False)}


def province_communes(brief: Brief) -> Communes:
    """The province's communes of the brief's year, as the overview ranks them."""
    view = brief.inputs.communes
    if view is not None and brief.year in view.years:
        own = Brief(view, brief.year, brief.lang)
        rates = view.district_rates
        now = rates[rates[c.YEAR] == brief.year]
        before = rates[rates[c.YEAR] == own.previous_year]
        frame = _with_change(now, before, [c.DISTRICT]).reset_index(drop=True)
        places = _former_districts(own)
        frame = frame.assign(_name=frame[c.DISTRICT].astype(str), _place=[places.get(str(d), "") for d in frame[c.DISTRICT]])
        ids = [row_id(d) for d in frame[c.DISTRICT]]
        shown, _ = mask(own, frame, ids, RATE_COLUMNS)
        shown, _ = mask_changes(own, shown, ids)  # a change needs both years' cells shown
        return Communes(shown, True)
    tables = brief.tables
    now = tables.communes[(tables.communes[c.DISTRICT] != "") & (tables.communes[c.COMMUNE] != "")]
    frame = _with_change(now, tables.communes_previous, [c.DISTRICT, c.COMMUNE]).reset_index(drop=True)
    frame = frame.assign(_name=frame[c.COMMUNE].astype(str), _place=frame[c.DISTRICT].astype(str))
    ids = [row_id(d, m) for d, m in zip(frame[c.DISTRICT], frame[c.COMMUNE])]
    shown, _ = mask(brief, frame, ids, RATE_COLUMNS)
    shown, _ = mask_changes(brief, shown, ids)  # a change needs both years' cells shown
    return Communes(shown, False)


def poorest(communes: Communes, top: int = TOP_COMMUNES) -> pd.DataFrame:
    """The ``top`` communes by poor rate among those whose rate is shown (ties by name), with
    their rank (``#``, 1 = highest)."""
    frame = communes.shown.assign(_rate=pd.to_numeric(communes.shown["poor_rate"], errors="coerce"))
    ranked = frame.dropna(subset=["_rate"]).sort_values(["_rate", "_name", "_place"], ascending=[False, True, True], kind="mergesort")
    ranked = ranked.assign(_rank=ranked["_rate"].rank(ascending=False, method="min").astype(int))
    return ranked.head(top).drop(columns="_rate").reset_index(drop=True)


def poorest_communes(brief: Brief) -> Section:
    """The communes with the highest poor rate across the province: ranked table and chart."""
    lang, w = brief.lang, _words(brief.lang)
    communes = province_communes(brief)
    top = poorest(communes)
    if top.empty:
        return Section(brief.label("poorest_title", "overview"), notes=(w["poorest_none"],), anchor="poorest-communes")
    place = w["poorest_former_district"] if communes.new else label("district", lang)
    display = rates_table(top, top["_name"], label("commune_unit" if communes.new else "commune", lang), lang, change=True)
    display.insert(0, "#", top["_rank"].astype(str).to_numpy())
    display.insert(2, place, top["_place"].to_numpy())
    unit = brief.inputs.communes.units if communes.new and brief.inputs.communes is not None else brief.inputs.units
    in_poor = sum(1 for name, p in zip(top["_name"], top["_place"]) if unit.is_poor_district(name if communes.new else p))
    province = headline_figures(brief)
    hidden = int(communes.shown["poor_rate"].isna().sum())
    poor = sum(int(x) for x in top["poor"])
    values = {
        "count": fmt_int(len(communes.shown), lang), "units": w["poorest_units_new" if communes.new else "poorest_units_old"],
        "top": fmt_int(len(top), lang), "name": top["_name"].iloc[0], "rate": fmt_pct(float(top["poor_rate"].iloc[0]), lang),
        "low": fmt_pct(float(top["poor_rate"].iloc[-1]), lang), "poor": fmt_int(poor, lang),
        "share": fmt_pct(100 * poor / province["poor"], lang, 1) if province["poor"] else "–",
        "in_poor": fmt_int(in_poor, lang),
    }
    which = "all" if in_poor == len(top) else "none" if in_poor == 0 else ""
    key = "_".join(filter(None, ("poorest_in_poor", "new" if communes.new else "old", which)))
    sentences = [brief.label("poorest_sentence", "overview").format(**values), w[key].format(**values)]
    notes = (w["poorest_hidden"].format(hidden=fmt_int(hidden, lang)),) if hidden else ()
    names = _chart_names(top)
    chart = charts.rate_bars(
        names, [num(x) for x in top["poor_rate"]], [num(x) for x in top["near_poor_rate"]], lang,
        title=w["poorest_chart"].format(top=len(top), year=brief.year),
        reference=(f"{brief.label('province_row')} {fmt_pct(province['poor_rate'], lang)}", province["poor_rate"]) if province["poor_rate"] is not None else None,
    )
    return Section(brief.label("poorest_title", "overview"), paragraphs=tuple(nfc(s) for s in sentences), chart=chart, table=display,
                   notes=tuple(nfc(n) for n in notes), anchor="poorest-communes")


def _chart_names(top: pd.DataFrame) -> list[str]:
    """Commune names for the chart, with the district where two share a name."""
    names = top["_name"].astype(str)
    twice = names.duplicated(keep=False)
    return [f"{n} ({p})" if t else n for n, p, t in zip(names, top["_place"].astype(str), twice)]
