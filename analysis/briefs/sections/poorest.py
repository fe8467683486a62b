"""The poorest communes province-wide: the province overview's table and chart of the communes
with the highest poor-household rates.

The communes are those of the overview's commune ranking: the new units when the year is
briefed on the new division (:attr:`BriefInputs.communes`, earlier years re-based), else the
communes under their districts. Their figures are the year's tables (the same
``poverty_rates`` rows as the district briefs and the workbook), their cells hidden by the
year's one protection before anything is ranked: a commune whose rate is hidden is not
ranked, and the sentence says how many are left out.

A year on the new division briefed by former district (``division="old"``) has its new
communes under their former districts, a commune that straddles two of them as two pieces:
the pieces are put back together (sums of shown cells, hidden when any piece is), so whole
communes are ranked, never pieces.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...measures.predecessors import predecessors
from ...review import columns as c
from ...review.units import NEW, division_of_year
from ...tables.figures import row_id
from ...words import catalogue, fmt_int, fmt_pct, label, nfc
from .. import charts
from .. import narrative as nv
from ..brief import Brief, district_words, listed_kinds, new_unit_kinds
from ..communes import not_exact
from .disclosure import RATE_COLUMNS, mask, mask_changes
from .display import Section, num, rates_table
from .figures import headline_figures

#: How many communes the table and chart show.
TOP_COMMUNES = 10


@dataclass(frozen=True)
class Communes:
    """Every commune of the province in one year, its cells hidden by the protection."""

    shown: pd.DataFrame  # name, place, households … near_poor_rate, change_pp (None where hidden); _in_poor
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
        return Communes(shown.assign(_in_poor=[view.units.is_poor_district(str(d)) for d in shown[c.DISTRICT]]), True)
    tables = brief.tables
    now = tables.communes[(tables.communes[c.DISTRICT] != "") & (tables.communes[c.COMMUNE] != "")]
    frame = _with_change(now, tables.communes_previous, [c.DISTRICT, c.COMMUNE]).reset_index(drop=True)
    frame = frame.assign(_name=frame[c.COMMUNE].astype(str), _place=frame[c.DISTRICT].astype(str))
    ids = [row_id(d, m) for d, m in zip(frame[c.DISTRICT], frame[c.COMMUNE])]
    shown, _ = mask(brief, frame, ids, RATE_COLUMNS)
    shown, _ = mask_changes(brief, shown, ids)  # a change needs both years' cells shown
    units = brief.inputs.units
    shown = shown.assign(_in_poor=[units.is_poor_district(str(d)) for d in shown[c.DISTRICT]])
    if division_of_year(brief.year) == NEW:  # new communes under their former districts: whole communes
        before = tables.communes_previous
        return Communes(_whole_communes(shown, before[before[c.COMMUNE] != ""] if c.COMMUNE in before else before), True)
    return Communes(shown, False)


def _whole_communes(pieces: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """New communes put back together from their pieces under former districts: counts
    summed, rates recomputed, each hidden when any piece's is (a sum of shown cells says
    nothing they do not; beside a shown piece, one with a hidden piece would give it back);
    the change from the previous review's pieces, hidden when any piece's is; the place
    names every former district; in a poor district only when wholly in poor ones."""
    summed = before.groupby(c.COMMUNE, sort=False)[["poor", "households"]].sum() if len(before) else None
    previous = {} if summed is None else {str(k): 100 * p / h for k, p, h in zip(summed.index, summed["poor"], summed["households"]) if h}
    rows = []
    for name, group in pieces.groupby("_name", sort=False):
        counts = {k: pd.to_numeric(group[k], errors="coerce") for k in ("households", "poor", "near_poor")}
        total = {k: None if v.isna().any() else int(v.sum()) for k, v in counts.items()}
        households = total["households"]
        rates = {f"{k}_rate": None if n is None or not households else 100 * n / households
                 for k, n in total.items() if k != "households"}
        rate = rates["poor_rate"]
        change: float | None = None
        if rate is not None and str(name) in previous and not pd.to_numeric(group["change_pp"], errors="coerce").isna().any():
            change = rate - previous[str(name)]
        rows.append({"_name": name, "_place": ", ".join(dict.fromkeys(group["_place"].astype(str))), c.COMMUNE: name,
                     "_in_poor": bool(group["_in_poor"].all()), **total, **rates, "change_pp": change})
    return pd.DataFrame(rows)


def poorest(communes: Communes, top: int = TOP_COMMUNES) -> pd.DataFrame:
    """The ``top`` communes by poor rate among those whose rate is shown (ties by name), with
    their rank (``#``, 1 = highest)."""
    frame = communes.shown.assign(_rate=pd.to_numeric(communes.shown["poor_rate"], errors="coerce"))
    ranked = frame.dropna(subset=["_rate"]).sort_values(["_rate", "_name", "_place"], ascending=[False, True, True], kind="mergesort")
    ranked = ranked.assign(_rank=ranked["_rate"].rank(ascending=False, method="min").astype(int))
    return ranked.head(top).drop(columns="_rate").reset_index(drop=True)


def unit_words(brief: Brief, communes: Communes) -> str:
    """What the ranked units are: the kinds of the new units among them (``xã, phường, đặc
    khu`` where the province has special zones), or the old division's communes."""
    if not communes.new:
        return _words(brief.lang)["poorest_units_old"]
    return nv.unit_kinds(new_unit_kinds(brief.inputs, [str(name) for name in communes.shown["_name"]]), brief.lang)


def poorest_communes(brief: Brief) -> Section:
    """The communes with the highest poor rate across the province: ranked table and chart."""
    lang, w = brief.lang, _words(brief.lang)
    communes = province_communes(brief)
    units = unit_words(brief, communes)
    top = poorest(communes)
    # the kinds of the units the table lists ("xã" where all are communes, "xã, phường" where a
    # ward is among them), as the title that heads it names them; none listed: those ranked
    kinds = listed_kinds(brief.inputs, top["_name"].tolist(), top["_place"].tolist(), new=communes.new)
    listed = nv.unit_kinds(kinds, lang) if len(top) else units
    title = brief.label("poorest_title", "overview").format(units=listed, Units=nv.capitalize(listed))
    if top.empty:
        return Section(title, notes=(w["poorest_none"].format(units=units),), anchor="poorest-communes")
    district = district_words(brief.inputs, lang, plural=False)  # "Quận, huyện" (Hà Nội) / "District"
    place = w["poorest_former_district"] if communes.new else label("district_unit", lang).format(Unit=nv.capitalize(district))
    # the old division's: "Xã, phường, thị trấn" / the kinds listed ("Commune and ward"; "Commune" as before where all are)
    column = units if communes.new else nv.unit_kinds(kinds, lang, plural=False, words="unit_kinds_old")
    header = label("commune_unit", lang).format(Units=nv.capitalize(column))
    display = rates_table(top, top["_name"], header, lang, change=True)
    display.insert(0, "#", top["_rank"].astype(str).to_numpy())
    display.insert(2, place, top["_place"].to_numpy())
    in_poor = int(top["_in_poor"].sum())
    province = headline_figures(brief)
    hidden = int(communes.shown["poor_rate"].isna().sum())
    poor = sum(int(x) for x in top["poor"])
    # a re-based year counts the units it has figures for: those it leaves out are named
    left_out = not_exact(brief.inputs.communes, brief.year) if communes.new and brief.inputs.communes is not None else []
    values = {
        "count": fmt_int(len(communes.shown), lang), "units": units,
        "counted": w["counted_exact"].format(year=brief.year) if left_out else "",
        "top": fmt_int(len(top), lang), "name": top["_name"].iloc[0], "rate": fmt_pct(float(top["poor_rate"].iloc[0]), lang),
        "low": fmt_pct(float(top["poor_rate"].iloc[-1]), lang), "poor": fmt_int(poor, lang),
        "share": fmt_pct(100 * poor / province["poor"], lang, 1) if province["poor"] else "–",
        "in_poor": fmt_int(in_poor, lang),
    }
    which = "all" if in_poor == len(top) else "none" if in_poor == 0 else ""
    key = "_".join(filter(None, ("poorest_in_poor", "new" if communes.new else "old", which)))
    sentences = [brief.label("poorest_sentence", "overview").format(**values)]
    if (brief.inputs.communes if communes.new and brief.inputs.communes is not None else brief.inputs).units.poor_districts:
        sentences.append(w[key].format(**values))  # said only where the poor-district table lists the province's
    notes: tuple[str, ...] = (w["poorest_hidden"].format(hidden=fmt_int(hidden, lang)),) if hidden else ()
    if left_out:
        notes += (w["poorest_not_exact"].format(year=brief.year, names=nv.join(sorted(left_out), lang)),)
    names = _chart_names(top)
    chart = charts.rate_bars(
        names, [num(x) for x in top["poor_rate"]], [num(x) for x in top["near_poor_rate"]], lang,
        title=w["poorest_chart"].format(top=len(top), year=brief.year, units=nv.unit_kinds(kinds, lang, words="unit_kinds_chart")),
        reference=(f"{brief.label('province_row')} {fmt_pct(province['poor_rate'], lang)}", province["poor_rate"]) if province["poor_rate"] is not None else None,
    )
    return Section(title, paragraphs=tuple(nfc(s) for s in sentences), chart=chart, table=display,
                   notes=tuple(nfc(n) for n in notes), anchor="poorest-communes")


def _chart_names(top: pd.DataFrame) -> list[str]:
    """Commune names for the chart, with the district where two share a name."""
    names = top["_name"].astype(str)
    twice = names.duplicated(keep=False)
    return [f"{n} ({p})" if t else n for n, p, t in zip(names, top["_place"].astype(str), twice)]
