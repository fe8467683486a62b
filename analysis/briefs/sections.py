"""What each section of a brief shows: one function per section, so notebooks stay thin.

A notebook cell calls one function here with the :class:`~analysis.brief.Brief` of its
first cell and displays the :class:`Section` it returns (a heading, headline figures,
generated sentences, a chart, a table, notes). Every number comes from the measures in
:mod:`analysis.breakdowns`, :mod:`analysis.flows`, :mod:`analysis.profile`,
:mod:`analysis.mpi` and :mod:`analysis.targets` (through the brief's inputs); every word
from :mod:`analysis.narrative`.

Briefs show aggregates only. Groups with fewer than :data:`MIN_CELL` households have their
rates suppressed, since a rate over two or three households is close to a household record.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import UsageError
from ..measures.groups import ETHNIC_MINORITY_SCOPE, POOR_DISTRICTS_SCOPE, PROVINCE_SCOPE
from ..measures.targets import PUBLISHED_PROVINCE_SCOPE, period_assessment, published_province_figures
from ..review import columns as c
from ..review.standards import get_standard
from . import charts
from . import narrative as nv
from .brief import Brief, BriefInputs

#: Groups smaller than this show counts but no rates (see the module docstring).
MIN_CELL = 10


# --- display ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """What one cell of a brief shows; renders itself as escaped HTML."""

    title: str
    kpis: tuple[tuple[str, str], ...] = ()
    paragraphs: tuple[str, ...] = ()
    verdict: tuple[str, bool | None] | None = None  # (sentence, met?); None: neither (target unattainable)
    chart: charts.Chart | None = None
    table: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()
    anchor: str = ""

    def _repr_html_(self) -> str:
        e = html.escape
        anchor = f' id="{e(self.anchor)}"' if self.anchor else ""
        parts = [f'<section class="brief-section"{anchor}>', f"<h2>{e(self.title)}</h2>"]
        if self.kpis:
            parts.append('<div class="kpis">')
            parts += [f'<div class="kpi"><span class="kpi-value">{e(v)}</span><span class="kpi-label">{e(k)}</span></div>' for v, k in self.kpis]
            parts.append("</div>")
        parts += [f"<p>{e(p)}</p>" for p in self.paragraphs]
        if self.verdict is not None:
            text, ok = self.verdict
            parts.append(f'<p class="verdict {"na" if ok is None else "ok" if ok else "bad"}">{e(text)}</p>')
        if self.chart is not None:
            parts.append(self.chart.to_html())
        if self.table is not None:
            parts.append(table_html(self.table))
        parts += [f'<p class="note">{e(n)}</p>' for n in self.notes]
        parts.append("</section>")
        return "\n".join(parts)

    def __repr__(self) -> str:
        return f"Section({self.title!r})"


def table_html(table: pd.DataFrame) -> str:
    """A table of display strings as HTML; cell text is escaped."""
    return table.to_html(index=False, escape=True, border=0, classes="brief-table", na_rep="–")


def rates_table(rows: pd.DataFrame, names: pd.Series, name_label: str, lang: str, *, change: bool = False) -> pd.DataFrame:
    """The standard table of counts and rates (percent, pp) for a list of units or groups."""
    columns: dict[str, list[str]] = {
        name_label: [str(n) for n in names],
        nv.label("households", lang): [nv.fmt_int(x, lang) for x in rows["households"]],
        nv.label("poor_short", lang): [nv.fmt_int(x, lang) for x in rows["poor"]],
        nv.label("poor_rate_pct", lang): [nv.fmt_num(_num(x), lang) for x in rows["poor_rate"]],
    }
    if change:
        columns[nv.label("change_pp_short", lang)] = [_signed(_num(x), lang) for x in rows["change_pp"]]
    columns[nv.label("near_poor_short", lang)] = [nv.fmt_int(x, lang) for x in rows["near_poor"]]
    columns[nv.label("near_poor_rate_pct", lang)] = [nv.fmt_num(_num(x), lang) for x in rows["near_poor_rate"]]
    return pd.DataFrame(columns)


def _signed(x: float | None, lang: str) -> str:
    if x is None:
        return "–"
    text = nv.fmt_num(x, lang)
    return "+" + text if round(x, 2) > 0 else text


def _pct(fraction: Any) -> float | None:
    value = _num(fraction)
    return None if value is None else value * 100


def _ok(status: str | None) -> bool | None:
    """Whether a verdict is a pass; None for an unattainable target (neither pass nor fail)."""
    return None if status == "unattainable" else status in ("met", "exceeded")


def _num(x: Any) -> float | None:
    if x is None or x is pd.NA:
        return None
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


# --- headline ------------------------------------------------------------------------------


def headline_figures(brief: Brief) -> dict[str, Any]:
    """The headline numbers of a brief (also the index page's row): raw, unrounded."""
    inputs, year = brief.inputs, brief.year
    prev = brief.previous_year
    if brief.district is None:
        rates = inputs.province_rates
        now = rates[rates[c.YEAR] == year].iloc[0]
        before = rates[rates[c.YEAR] == prev].iloc[0] if prev is not None else None
        scope, rank, of = PROVINCE_SCOPE, None, None
    else:
        rates = inputs.district_rates
        this_year = rates[rates[c.YEAR] == year].reset_index(drop=True)
        ranks = this_year["poor_rate"].rank(ascending=False, method="min")
        pos = this_year.index[this_year[c.DISTRICT] == brief.district][0]
        now = this_year.loc[pos]
        rank, of = int(ranks[pos]), len(this_year)
        before_rows = rates[(rates[c.YEAR] == prev) & (rates[c.DISTRICT] == brief.district)] if prev is not None else rates.iloc[0:0]
        before = before_rows.iloc[0] if len(before_rows) else None
        scope = brief.district
    verdict_row = inputs.verdicts[(inputs.verdicts["scope"] == scope) & (inputs.verdicts["year"] == year)]
    verdict = verdict_row.iloc[0] if len(verdict_row) else None
    return {
        "year": year,
        "previous_year": prev if before is not None else None,
        "households": int(now["households"]),
        "poor": int(now["poor"]),
        "poor_rate": float(now["poor_rate"]),
        "near_poor": int(now["near_poor"]),
        "near_poor_rate": float(now["near_poor_rate"]),
        "previous_poor_rate": float(before["poor_rate"]) if before is not None else None,
        "change_pp": float(now["poor_rate"] - before["poor_rate"]) if before is not None else None,
        "rank": rank,
        "of": of,
        "poor_district": brief.district is not None and inputs.units.is_poor_district(brief.district),
        "scope": scope,
        "target_low_pp": _num(verdict["target_low_pp"]) if verdict is not None else None,
        "target_high_pp": _num(verdict["target_high_pp"]) if verdict is not None else None,
        "reduction_pp": _num(verdict["reduction_pp"]) if verdict is not None else None,
        "status": (verdict["status"] or None) if verdict is not None else None,
    }


def _scope_text(scope: str, lang: str) -> str:
    if scope == PROVINCE_SCOPE:
        return "mục tiêu của tỉnh" if lang == "vi" else "the province's target"
    return f"mục tiêu của {scope}" if lang == "vi" else f"the target for {scope}"


def headline(brief: Brief) -> Section:
    """Households, poor and near-poor counts and rates, change, rank, poor-district status, verdict."""
    f, lang = headline_figures(brief), brief.lang
    kpis = [
        (nv.fmt_int(f["households"], lang), nv.label("households", lang)),
        (nv.fmt_int(f["poor"], lang), nv.label("poor", lang)),
        (nv.fmt_pct(f["poor_rate"], lang), nv.label("poor_rate", lang)),
        (nv.fmt_pp(f["change_pp"], lang, signed=True), nv.label("change_pp", lang) + (f" ({f['previous_year']}–{f['year']})" if f["previous_year"] else "")),
        (nv.fmt_int(f["near_poor"], lang), nv.label("near_poor", lang)),
        (nv.fmt_pct(f["near_poor_rate"], lang), nv.label("near_poor_rate", lang)),
    ]
    if f["rank"] is not None:
        kpis.append((f"{f['rank']}/{f['of']}", nv.label("rank", lang)))
        kpis.append((nv.label("yes" if f["poor_district"] else "no", lang), nv.label("is_poor_district", lang)))
    sentences = [
        nv.headline_sentence(
            brief.unit, brief.year, f["households"], f["poor"], f["poor_rate"],
            f["near_poor"], f["near_poor_rate"], f["change_pp"], f["previous_year"], f["previous_poor_rate"], lang,
        )
    ]
    if f["rank"] is not None:
        sentences.append(nv.rank_sentence(f["rank"], f["of"], f["poor_district"], lang))
    verdict = None
    if f["target_low_pp"] is not None:
        text = nv.verdict_sentence(brief.year, f["reduction_pp"], f["target_low_pp"], f["target_high_pp"], f["status"], _scope_text(f["scope"], lang), lang)
        verdict = (text, _ok(f["status"]))
    return Section(nv.label("headline", lang), kpis=tuple(kpis), paragraphs=tuple(sentences), verdict=verdict, anchor="headline")


# --- communes ------------------------------------------------------------------------------


def _suppress(frame: pd.DataFrame, lang: str, rate_cols: Sequence[str]) -> tuple[pd.DataFrame, bool]:
    small = frame["households"] < MIN_CELL
    out = frame.copy()
    for col in rate_cols:
        out[col] = out[col].astype(object).where(~small, None)
    return out, bool(small.any())


def _suppressed_note(lang: str) -> str:
    if lang == "vi":
        return nv.nfc(f"Nhóm có dưới {MIN_CELL} hộ không hiển thị tỷ lệ để bảo vệ thông tin từng hộ.")
    return f"Rates are not shown for groups of fewer than {MIN_CELL} households, to protect individual households."


def communes(brief: Brief) -> Section:
    """Poor and near-poor counts and rates by commune, with a chart."""
    lang, year = brief.lang, brief.year
    rates = brief.mine(brief.tables.communes)
    before = brief.mine(brief.tables.communes_previous)[[c.COMMUNE, "poor_rate"]].rename(columns={"poor_rate": "_before"})
    rates = rates.merge(before, on=c.COMMUNE, how="left")
    rates["change_pp"] = rates["poor_rate"] - rates["_before"].astype(float)
    shown, suppressed = _suppress(rates, lang, ["poor_rate", "near_poor_rate", "change_pp"])
    table = rates_table(shown, shown[c.COMMUNE], nv.label("commune", lang), lang, change=True)
    big = rates[rates["households"] >= MIN_CELL]
    paragraphs: list[str] = []
    if len(big):
        hi = big.nlargest(1, "poor_rate").iloc[0]
        lo = big.nsmallest(1, "poor_rate").iloc[0]
        paragraphs.append(nv.extremes_sentence((hi[c.COMMUNE], hi["poor_rate"]), (lo[c.COMMUNE], lo["poor_rate"]), len(rates), lang))
    total = headline_figures(brief)
    chart = charts.rate_bars(
        big[c.COMMUNE].tolist(), big["poor_rate"].tolist(), big["near_poor_rate"].tolist(), lang,
        title=f"{nv.label('poor_rate', lang)} – {brief.unit}, {year}",
        reference=(f"{nv.label('average', lang)} {nv.fmt_pct(total['poor_rate'], lang)}", total["poor_rate"]),
    ) if len(big) else None
    notes = (_suppressed_note(lang),) if suppressed else ()
    return Section(nv.label("communes", lang), paragraphs=tuple(paragraphs), chart=chart, table=table, notes=notes, anchor="communes")


# --- ethnic groups -------------------------------------------------------------------------


def ethnic_groups(brief: Brief) -> Section:
    """Ethnic-minority households against Kinh households, and each ethnic group."""
    lang = brief.lang
    pair = brief.mine(brief.tables.ethnic_minority).sort_values("ethnic_minority", ascending=False, kind="mergesort")
    groups = brief.mine(brief.tables.ethnicity)
    groups = groups.sort_values(["households", c.ETHNICITY], ascending=[False, True], kind="mergesort")
    minority = pair[pair["ethnic_minority"]]
    kinh = pair[~pair["ethnic_minority"]]

    def _get(rows: pd.DataFrame, col: str) -> float:
        return float(rows[col].iloc[0]) if len(rows) else 0.0

    sentence = nv.gap_sentence(
        nv.label("ethnic_minority_phrase", lang), _get(minority, "poor_rate"), int(_get(minority, "households")),
        nv.label("kinh_phrase", lang), _get(kinh, "poor_rate"), int(_get(kinh, "households")), lang,
    )
    names = [nv.label("ethnic_minority_households" if m else "kinh_households", lang) for m in pair["ethnic_minority"]]
    rows = pd.concat(
        [pair.assign(_name=names, _bold=True), groups.assign(_name=groups[c.ETHNICITY].astype(str), _bold=False)],
        ignore_index=True,
    )
    shown, suppressed = _suppress(rows, lang, ["poor_rate", "near_poor_rate"])
    table = rates_table(shown, shown["_name"], nv.label("group", lang), lang)
    big = groups[groups["households"] >= MIN_CELL]  # the chart shows the groups; the table also the two totals
    chart = charts.rate_bars(
        big[c.ETHNICITY].astype(str).tolist(), big["poor_rate"].tolist(), big["near_poor_rate"].tolist(), lang,
        title=f"{nv.label('ethnic', lang)} – {brief.unit}, {brief.year}",
        highlight=c.MAJORITY_ETHNICITY,
    ) if len(big) else None
    notes = (_suppressed_note(lang),) if suppressed else ()
    return Section(nv.label("ethnic", lang), paragraphs=(sentence,), chart=chart, table=table, notes=notes, anchor="ethnic")


# --- deprivations and Alkire-Foster --------------------------------------------------------


def deprivations(brief: Brief) -> Section:
    """Share of all households and of poor households deprived in each indicator."""
    lang = brief.lang
    profile = brief.mine(brief.tables.profile)
    poor = int(profile["poor"].iloc[0]) if len(profile) else 0
    names = [nv.indicator_label(i, lang) for i in profile["indicator"]]
    top = profile.assign(_name=names).sort_values(["share_poor_pct", "indicator"], ascending=[False, True], kind="mergesort").head(3)
    paragraphs = (nv.profile_sentence(list(zip(top["_name"], top["share_poor_pct"])) if poor else [], poor, lang),)
    chart = charts.paired_bars(
        names, profile["share_all_pct"].fillna(0).tolist(), profile["share_poor_pct"].fillna(0).tolist() if poor >= MIN_CELL else [0.0] * len(names), lang,
        title=f"{nv.label('deprivation', lang)} – {brief.unit}, {brief.year}",
        first_label=nv.label("share_all", lang), second_label=nv.label("share_poor", lang), axis_label=nv.label("share_axis", lang),
    )
    notes = (_suppressed_note(lang),) if 0 < poor < MIN_CELL else ()
    # The numbers are in the Alkire-Foster section's table (share of all households deprived
    # is its uncensored headcount), so the two sections do not repeat one table.
    return Section(nv.label("deprivation", lang), paragraphs=paragraphs, chart=chart, notes=notes, anchor="deprivation")


def alkire_foster(brief: Brief) -> Section:
    """H, A and M0 with the official cut-off, and each indicator's contribution to M0."""
    lang, std_id = brief.lang, brief.inputs.standard
    std = get_standard(std_id)
    measures = brief.mine(brief.tables.af).iloc[0]
    indicators = brief.mine(brief.tables.af_indicators)
    dims = brief.mine(brief.tables.af_dimensions)
    top_dim = None
    if dims["contribution_pct"].notna().any():
        best = dims.nlargest(1, "contribution_pct").iloc[0]
        top_dim = (nv.dimension_label(best["dimension"], lang), float(best["contribution_pct"]))
    H, A, M0 = (_num(measures[k]) for k in ("H", "A", "M0"))
    kpis = (
        (nv.fmt_pct((H or 0) * 100, lang, 1), "H"),
        (nv.fmt_pct((A or 0) * 100, lang, 1) if A is not None else "–", "A"),
        (nv.fmt_num(M0, lang, 3), "M0 = H × A"),
    )
    sentence = nv.af_sentence(H or 0.0, A or 0.0, M0 or 0.0, std.deprivation_cutoff, len(std.indicators), top_dim, lang)
    names = [nv.indicator_label(i, lang) for i in indicators["indicator"]]
    profile = brief.mine(brief.tables.profile).set_index("indicator")
    poor = int(profile["poor"].iloc[0]) if len(profile) else 0
    share_poor = [profile["share_poor_pct"].get(i) if poor >= MIN_CELL else None for i in indicators["indicator"]]
    table = pd.DataFrame(
        {
            nv.label("indicator", lang): names,
            nv.label("dimension", lang): [nv.dimension_label(d, lang) for d in indicators["dimension"]],
            nv.label("share_all", lang): [nv.fmt_num(_pct(x), lang, 1) for x in indicators["uncensored"]],
            nv.label("share_poor", lang): [nv.fmt_num(_num(x), lang, 1) for x in share_poor],
            nv.label("censored", lang): [nv.fmt_num(_pct(x), lang, 1) for x in indicators["censored"]],
            nv.label("contribution", lang): [nv.fmt_num(_num(x), lang, 1) for x in indicators["contribution_pct"]],
        }
    )
    chart = charts.share_bars(
        names, indicators["contribution_pct"].fillna(0).tolist(), lang,
        title=f"{nv.label('contribution', lang)} – {brief.unit}, {brief.year}", axis_label=nv.label("contribution_axis", lang),
    )
    return Section(nv.label("af", lang), kpis=kpis, paragraphs=(sentence,), chart=chart, table=table, anchor="alkire-foster")


# --- trend ---------------------------------------------------------------------------------


def _band(period: pd.Series) -> charts.Band | None:
    base_year, end_year = int(period["baseline_year"]), int(period["end_year"])
    base_rate, low = _num(period.get("baseline_rate")), _num(period["target_low_pp"])
    if base_rate is None or low is None:
        return None
    high = _num(period["target_high_pp"])
    years = tuple(range(base_year, end_year + 1))
    lows = tuple(max(0.0, base_rate - low * (y - base_year)) for y in years)
    highs = tuple(max(0.0, base_rate - (high if high is not None else low + 1.0) * (y - base_year)) for y in years)
    return charts.Band(years, lows, highs)


def period_figures(inputs: BriefInputs, scope: str, year: int) -> pd.Series | None:
    """The period assessment of a scope as it stood in ``year`` (None without a target or data)."""
    history = inputs.history if scope != PUBLISHED_PROVINCE_SCOPE else inputs.published
    history = history[(history["scope"] == scope) & (history[c.YEAR] <= year)]
    if history.empty:
        return None
    rows = period_assessment(history, inputs.targets)
    if rows.empty or pd.isna(rows.iloc[0].get("latest_year")):
        return None
    return rows.iloc[0]


def _trend_parts(brief: Brief, scope: str) -> tuple[list[str], charts.Band | None, tuple[list[int], list[float]] | None]:
    lang = brief.lang
    p = period_figures(brief.inputs, scope, brief.year)
    if p is None:
        target = brief.inputs.targets[brief.inputs.targets["scope"] == scope]
        if target.empty:
            return [], None, None
        base = int(target["baseline_year"].iloc[0])
        return nv.trend_sentences(base, 0.0, brief.year, 0.0, None, None, "", base, None, None, None, False, lang), None, None
    base_year, latest_year, end_year = int(p["baseline_year"]), int(p["latest_year"]), int(p["end_year"])
    low, high = float(p["target_low_pp"]), _num(p["target_high_pp"])
    impossible = float(p["baseline_rate"]) - low * (end_year - base_year) < 0
    sentences = nv.trend_sentences(
        base_year, float(p["baseline_rate"]), latest_year, float(p["latest_rate"]), _num(p["average_reduction_pp"]), p["status"],
        nv.fmt_range_pp(low, high, lang), end_year, _num(p["projected_rate_observed"]), _num(p["required_reduction_pp"]),
        _num(p["households_to_exit_per_year"]), impossible, lang,
    )
    projected = _num(p["projected_rate_observed"])
    projection = ([latest_year, end_year], [float(p["latest_rate"]), projected]) if projected is not None and end_year > latest_year else None
    return sentences, _band(p), projection


def _verdict_table(brief: Brief, scope: str) -> pd.DataFrame:
    lang = brief.lang
    v = brief.inputs.verdicts
    rows = v[(v["scope"] == scope) & (v[c.YEAR] <= brief.year)]
    return pd.DataFrame(
        {
            nv.label("year", lang): rows[c.YEAR].astype(str),
            nv.label("poor_rate_pct", lang): [nv.fmt_num(_num(x), lang) for x in rows["poor_rate"]],
            nv.label("change_pp_short", lang): [_signed(None if (n := _num(x)) is None else -n, lang) for x in rows["reduction_pp"]],
            nv.label("verdict", lang): [nv.status_label(s, lang) for s in rows["status"]],
        }
    )


def trend(brief: Brief) -> Section:
    """The poor rate since the baseline, against the target band, with the projection to the end year."""
    lang = brief.lang
    scope = brief.district or PROVINCE_SCOPE
    sentences, band, projection = _trend_parts(brief, scope)
    history = brief.inputs.history[(brief.inputs.history["scope"] == scope) & (brief.inputs.history[c.YEAR] <= brief.year)]
    chart = charts.trend_chart(
        lang, title=f"{nv.label('poor_rate', lang)} – {brief.unit}",
        observed=(history[c.YEAR].astype(int).tolist(), history["poor_rate"].astype(float).tolist()),
        band=band, projection=projection,
    )
    return Section(nv.label("trend", lang), paragraphs=tuple(sentences), chart=chart, table=_verdict_table(brief, scope), anchor="trend")


# --- flows ---------------------------------------------------------------------------------


_FLOW_ROWS = ("exited_poverty", "newly_poor", "fallen_back_poor", "exited_near_poor", "newly_near_poor", "fallen_back_near_poor")


def flow_figures(brief: Brief) -> dict[str, int] | None:
    """This year's flows for the brief's unit (None in the first year of the data)."""
    prev = brief.previous_year
    if prev is None:
        return None
    table = brief.tables.flows
    if table is None:
        return None
    row = table[table[c.DISTRICT] == brief.district].iloc[0] if brief.district is not None else table.drop(columns=["unit", c.DISTRICT]).groupby(["year", "previous_year"]).sum().reset_index().iloc[0]
    keys = _FLOW_ROWS + ("new_household_poor", "left_poor", "poor_previous", "poor")
    return {k: int(row[k]) for k in keys} | {"previous_year": int(row["previous_year"])}


def flows(brief: Brief) -> Section:
    """Households that exited poverty, became newly poor or fell back, since the previous review."""
    lang = brief.lang
    f = flow_figures(brief)
    if f is None:
        return Section(nv.label("flows", lang), paragraphs=(nv.flows_sentence(brief.year, None, 0, 0, 0, lang),), anchor="flows")
    sentence = nv.flows_sentence(brief.year, f["previous_year"], f["exited_poverty"], f["newly_poor"], f["fallen_back_poor"], lang)
    table = pd.DataFrame(
        {
            nv.label("flow", lang): [nv.label(k, lang) for k in _FLOW_ROWS],
            nv.label("count", lang): [nv.fmt_int(f[k], lang) for k in _FLOW_ROWS],
        }
    )
    if lang == "vi":
        note = (f"Ngoài ra {nv.fmt_int(f['new_household_poor'], lang)} hộ nghèo là hộ mới (tách hộ, chuyển đến) và "
                f"{nv.fmt_int(f['left_poor'], lang)} hộ nghèo năm {f['previous_year']} không còn trong danh sách (chuyển đi, nhập hộ).")
    else:
        note = (f"Also, {nv.fmt_int(f['new_household_poor'], lang)} poor households are new households (split, moved in) and "
                f"{nv.fmt_int(f['left_poor'], lang)} households poor in {f['previous_year']} are no longer listed (moved away, merged).")
    return Section(nv.label("flows", lang), paragraphs=(sentence,), table=table, notes=(nv.nfc(note),), anchor="flows")


# --- data notes ----------------------------------------------------------------------------


def _in_language(row: pd.Series, column: str, lang: str) -> str:
    """A targets-table text in the brief's language: ``<column>_vi`` for Vietnamese when filled in."""
    for name in ((f"{column}_{lang}", column) if lang != "en" else (column,)):
        text = row.get(name)
        if isinstance(text, str) and text.strip():
            return text.strip()
    return ""


def data_notes(brief: Brief) -> Section:
    """Source, standard, review year, targets used and — for the bundled data — that they are synthetic."""
    lang, inputs = brief.lang, brief.inputs
    std = get_standard(inputs.standard)
    notes = nv.data_notes(inputs.source, std.title_vi if lang == "vi" else std.title, brief.year, inputs.synthetic, lang)
    scope = brief.district or PROVINCE_SCOPE
    target = inputs.targets[inputs.targets["scope"] == scope]
    if len(target):
        t = target.iloc[0]
        label = "Mục tiêu" if lang == "vi" else "Target"
        said = [text for text in (_in_language(t, "source", lang), _in_language(t, "note", lang)) if text]
        notes.append(nv.nfc(f"{label}: {nv.fmt_range_pp(_num(t['reduction_low_pp']), _num(t['reduction_high_pp']), lang)} "
                            f"({int(t['baseline_year'])}–{int(t['end_year'])})" + "".join(f"; {text}" for text in said) + "."))
    paragraphs = tuple(notes)
    return Section(nv.label("notes", lang), paragraphs=paragraphs, anchor="notes")


# --- province overview ---------------------------------------------------------------------


def district_table(inputs: BriefInputs, year: int) -> pd.DataFrame:
    """Every district's headline figures in a year, ranked (raw numbers)."""
    rows = [headline_figures(Brief(inputs, year, "en", d)) | {"district": d} for d in inputs.districts]
    return pd.DataFrame(rows)


def district_ranking(brief: Brief) -> Section:
    """Districts side by side, ranked by their poor-household rate."""
    lang, inputs = brief.lang, brief.inputs
    table = district_table(inputs, brief.year).sort_values(["rank", "district"], kind="mergesort")
    province = headline_figures(brief)
    display = rates_table(table, table["district"], nv.label("district", lang), lang, change=True)
    display.insert(0, "#", table["rank"].astype(str).to_numpy())
    display[nv.label("is_poor_district", lang)] = [nv.label("yes" if p else "no", lang) for p in table["poor_district"]]
    hi, lo = table.iloc[0], table.iloc[-1]
    sentences = (
        nv.province_sentence(nv.province_name(inputs.province, lang), brief.year, province["households"], province["poor"], province["poor_rate"],
                             province["change_pp"], province["previous_year"], province["previous_poor_rate"], lang),
        nv.extremes_sentence((hi["district"], hi["poor_rate"]), (lo["district"], lo["poor_rate"]), len(table), lang, kind="district"),
    )
    chart = charts.rate_bars(
        table["district"].tolist(), table["poor_rate"].tolist(), table["near_poor_rate"].tolist(), lang,
        title=f"{nv.label('poor_rate', lang)} – {brief.year}",
        reference=(f"{nv.label('province_row', lang)} {nv.fmt_pct(province['poor_rate'], lang)}", province["poor_rate"]),
    )
    return Section(nv.label("ranking", lang), paragraphs=sentences, chart=chart, table=display, anchor="ranking")


def poor_districts(brief: Brief) -> Section:
    """Poor districts pooled against the other districts, and ethnic-minority against Kinh households."""
    lang, inputs = brief.lang, brief.inputs
    pair = brief.tables.poor_district
    eth = brief.tables.ethnic_minority_province
    if pair is None or eth is None:
        raise UsageError("sections.poor_districts belongs to the province brief (district=None)")
    names = [nv.label("poor_districts_group" if p else "other_districts_group", lang) for p in pair["poor_district"]]
    names += [nv.label("ethnic_minority_households" if m else "kinh_households", lang) for m in eth["ethnic_minority"]]
    rows = pd.concat([pair, eth], ignore_index=True).assign(_name=names)
    sentences = []
    for frame, col, (yes, no) in ((pair, "poor_district", ("poor_districts_phrase", "other_districts_phrase")),
                                  (eth, "ethnic_minority", ("ethnic_minority_phrase", "kinh_phrase"))):
        a, b = frame[frame[col]], frame[~frame[col]]
        sentences.append(nv.gap_sentence(
            nv.label(yes, lang), float(a["poor_rate"].iloc[0]) if len(a) else 0.0, int(a["households"].sum()),
            nv.label(no, lang), float(b["poor_rate"].iloc[0]) if len(b) else 0.0, int(b["households"].sum()), lang,
        ))
    verdict_rows = inputs.verdicts[(inputs.verdicts[c.YEAR] == brief.year) & inputs.verdicts["scope"].isin([POOR_DISTRICTS_SCOPE, ETHNIC_MINORITY_SCOPE])]
    for _, v in verdict_rows.iterrows():
        if v["status"]:
            group = nv.label("poor_districts_phrase" if v["scope"] == POOR_DISTRICTS_SCOPE else "ethnic_minority_phrase", lang)
            sentences.append(nv.verdict_sentence(brief.year, _num(v["reduction_pp"]), _num(v["target_low_pp"]), _num(v["target_high_pp"]), v["status"], group, lang))
    table = rates_table(rows, rows["_name"], nv.label("group", lang), lang)
    chart = charts.rate_bars(rows["_name"].tolist(), rows["poor_rate"].tolist(), rows["near_poor_rate"].tolist(), lang,
                             title=f"{nv.label('poor_districts', lang)}, {brief.year}")
    return Section(nv.label("poor_districts", lang), paragraphs=tuple(sentences), chart=chart, table=table, anchor="poor-districts")


def _published_old_standard() -> tuple[list[int], list[float]]:
    """The province's published rates under the previous standard (2019–2020)."""
    figures = published_province_figures("decision-59-2015")
    rows = figures[(figures["measure"] == "poor_rate") & (figures["year"] < 2021)].sort_values("year")
    return rows["year"].astype(int).tolist(), rows["value"].astype(float).tolist()


def province_trend(brief: Brief) -> Section:
    """The province's rate from the household data against the published series and the target band."""
    lang, inputs = brief.lang, brief.inputs
    sentences, band, projection = _trend_parts(brief, PROVINCE_SCOPE)
    history = inputs.history[(inputs.history["scope"] == PROVINCE_SCOPE) & (inputs.history[c.YEAR] <= brief.year)]
    published = inputs.published[inputs.published[c.YEAR] <= brief.year]
    old_years, old_rates = _published_old_standard()
    pub_years = old_years + published[c.YEAR].astype(int).tolist()
    pub_rates = old_rates + published["poor_rate"].astype(float).tolist()
    chart = charts.trend_chart(
        lang, title=f"{nv.label('poor_rate', lang)} – {nv.province_name(inputs.province, lang)}",
        observed=(history[c.YEAR].astype(int).tolist(), history["poor_rate"].astype(float).tolist()),
        band=band, projection=projection, published=(pub_years, pub_rates),
    )
    pub_verdicts = inputs.verdicts[(inputs.verdicts["scope"] == PUBLISHED_PROVINCE_SCOPE) & (inputs.verdicts[c.YEAR] <= brief.year)]
    obs = inputs.verdicts[(inputs.verdicts["scope"] == PROVINCE_SCOPE) & (inputs.verdicts[c.YEAR] <= brief.year)]
    merged = obs.merge(pub_verdicts, on=c.YEAR, how="outer", suffixes=("", "_pub")).sort_values(c.YEAR)
    old = pd.DataFrame({c.YEAR: old_years, "poor_rate_pub": old_rates})
    merged = pd.concat([old, merged], ignore_index=True).sort_values(c.YEAR, kind="mergesort")
    obs_label = nv.label("observed", lang)
    pub_label = nv.label("published", lang)
    table = pd.DataFrame(
        {
            nv.label("year", lang): merged[c.YEAR].astype(int).astype(str),
            f"{pub_label} (%)": [nv.fmt_num(_num(x), lang) for x in merged["poor_rate_pub"]],
            f"{nv.label('verdict', lang)} ({pub_label.lower()})": [nv.status_label(s if isinstance(s, str) else None, lang) for s in merged.get("status_pub", pd.Series([None] * len(merged)))],
            f"{obs_label} (%)": [nv.fmt_num(_num(x), lang) for x in merged["poor_rate"]],
            f"{nv.label('verdict', lang)} ({obs_label.split(' (')[0].lower()})": [nv.status_label(s if isinstance(s, str) else None, lang) for s in merged["status"]],
        }
    )
    notes = [nv.published_note(lang)]
    if old_years:
        notes.append(nv.nfc("Năm 2019–2020 theo chuẩn nghèo cũ (Quyết định 59/2015/QĐ-TTg), không so sánh trực tiếp với các năm sau." if lang == "vi"
                            else "2019–2020 are under the previous standard (Decision 59/2015/QĐ-TTg) and are not directly comparable with later years."))
    return Section(nv.label("province_trend", lang), paragraphs=tuple(sentences), chart=chart, table=table, notes=tuple(notes), anchor="province-trend")


def district_verdicts(brief: Brief) -> Section:
    """Each district's fall this year and since the baseline, against its target."""
    lang, inputs = brief.lang, brief.inputs
    rows = []
    for d in inputs.districts:
        f = headline_figures(Brief(inputs, brief.year, lang, d))
        p = period_figures(inputs, d, brief.year)
        rows.append({
            nv.label("district", lang): d,
            nv.label("target", lang): nv.fmt_range_pp(f["target_low_pp"], f["target_high_pp"], lang) if f["target_low_pp"] is not None else "–",
            nv.label("change_pp_short", lang): _signed(f["change_pp"], lang),
            nv.label("verdict", lang): nv.status_label(f["status"], lang),
            nv.label("average_fall", lang): nv.fmt_num(_num(p["average_reduction_pp"]) if p is not None else None, lang),
            nv.label("period_verdict", lang): nv.status_label(p["status"] if p is not None else None, lang),
            nv.label("projected", lang): nv.fmt_num(_num(p["projected_rate_observed"]) if p is not None else None, lang),
            "_status": f["status"],
        })
    frame = pd.DataFrame(rows)
    counts = {str(k): int(n) for k, n in frame["_status"].value_counts().items()}
    sentence = nv.verdict_count_sentence(counts, brief.year, lang)
    return Section(nv.label("verdicts", lang), paragraphs=(sentence,), table=frame.drop(columns="_status"), anchor="verdicts")
