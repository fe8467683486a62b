"""The sections of a district brief (the headline and the data notes also open and close
the province overview)."""

from __future__ import annotations

import pandas as pd

from ...measures.coverage import CITY, FORMER
from ...measures.groups import PROVINCE_SCOPE
from ...review import columns as c
from ...review.addresses import site, web_addresses
from ...review.standards import get_standard
from ...review.units import NEW, division_of_year
from ...tables.figures import row_id
from ...tables.protection import ethnic_measure
from ...tables.workbook import workbook_name
from ...words import (
    dimension_label,
    fmt_int,
    fmt_num,
    fmt_pct,
    fmt_pp,
    fmt_range_pp,
    fmt_signed,
    indicator_label,
    label,
    status_label,
)
from .. import charts
from .. import narrative as nv
from ..brief import Brief, commune_kind, commune_kinds, district_kinds, former_area, listed_kinds
from .disclosure import RATE_COLUMNS, group_columns, hidden_years, hides, mask, mask_changes, shown_share, suppressed_note, unit_row
from .display import Section, num, pct, rates_table, verdict_ok
from .figures import FLOW_ROWS, flow_figures, headline_figures, period_figures, target_rows


def assumed_from(brief: Brief, scope: str) -> str:
    """The scope whose target this one borrows (``assumed_from`` in the targets table), or ""."""
    if "assumed_from" not in brief.inputs.targets:
        return ""
    row = target_rows(brief.inputs, scope)
    value = row["assumed_from"].iloc[0] if len(row) else ""
    return value if isinstance(value, str) else ""

def scope_words(brief: Brief, scope: str) -> str:
    """Whose target the brief's verdict is judged against, in the words of the whole of its
    data (a former province's, a city's, a province's)."""
    area = former_area(brief.inputs, brief.year)
    return nv.scope_text(scope, brief.lang, assumed_from(brief, scope), former=area.old if area else None, city=brief.variant == CITY)


def headline(brief: Brief) -> Section:
    """Households, poor and near-poor counts and rates, change, rank, poor-district status, verdict."""
    f, lang = headline_figures(brief), brief.lang
    kpis = [
        (fmt_int(f["households"], lang), label("households", lang)),
        (fmt_int(f["poor"], lang), label("poor", lang)),
        (fmt_pct(f["poor_rate"], lang), label("poor_rate", lang)),
        (fmt_pp(f["change_pp"], lang, signed=True), label("change_pp", lang) + (f" ({f['previous_year']}–{f['year']})" if f["previous_year"] else "")),
        (fmt_int(f["near_poor"], lang), label("near_poor", lang)),
        (fmt_pct(f["near_poor_rate"], lang), label("near_poor_rate", lang)),
    ]
    commune = brief.inputs.level == "commune"
    if f["of"] is not None:  # a unit whose rate is hidden is not ranked ("–")
        kpis.append((f"{f['rank']}/{f['of']}" if f["rank"] is not None else fmt_int(None, lang), label("rank", lang)))
        if brief.inputs.units.poor_districts:  # the poor-district table lists the province's: else nothing is said of them
            kpis.append((label("yes" if f["poor_district"] else "no", lang), label("in_poor_district" if commune else "is_poor_district", lang)))
    sentences = [
        nv.headline_sentence(
            brief.unit, brief.year, f["households"], f["poor"], f["poor_rate"],
            f["near_poor"], f["near_poor_rate"], f["change_pp"], f["previous_year"], f["previous_poor_rate"], lang,
        )
    ]
    if f["rank"] is not None and commune:
        kind = nv.unit_kind(commune_kind(brief.inputs, str(brief.district)), lang)
        status = nv.fact_note("commune_in_poor" if f["poor_district"] else "commune_not_poor", lang, kind=kind, Kind=nv.capitalize(kind)) \
            if brief.inputs.units.poor_districts else ""
        sentences.append(nv.fact_note("commune_rank", lang, rank=f["rank"], of=f["of"], status=status, kind=kind,
                                      units=nv.unit_kinds(commune_kinds(brief.inputs), lang)).rstrip())
    elif f["rank"] is not None:
        poor = f["poor_district"] if brief.inputs.units.poor_districts else None
        sentences.append(nv.rank_sentence(f["rank"], f["of"], poor, lang, unit=brief.unit, former=brief.former_district,
                                          kinds=district_kinds(brief.inputs), variant=brief.variant))
    verdict = None
    if f["target_low_pp"] is not None and not f["change_hidden"]:  # a verdict bounds the year's change
        text = nv.verdict_sentence(brief.year, f["reduction_pp"], f["target_low_pp"], f["target_high_pp"], f["status"], scope_words(brief, f["scope"]), lang)
        verdict = (text, verdict_ok(f["status"]))
    return Section(label("headline", lang), kpis=tuple(kpis), paragraphs=tuple(sentences), verdict=verdict, anchor="headline")


def communes(brief: Brief) -> Section:
    """Poor and near-poor counts and rates by commune, with a chart."""
    lang, year = brief.lang, brief.year
    rates = brief.mine(brief.tables.communes)
    before = brief.mine(brief.tables.communes_previous)[[c.COMMUNE, "poor_rate"]].rename(columns={"poor_rate": "_before"})
    rates = rates.merge(before, on=c.COMMUNE, how="left")
    rates["change_pp"] = rates["poor_rate"] - rates["_before"].astype(float)
    ids = [row_id(d, m) for d, m in zip(rates[c.DISTRICT], rates[c.COMMUNE])]
    shown, suppressed = mask(brief, rates, ids, RATE_COLUMNS)
    # The change also needs the previous year's cells shown: else shown rate − change gives them back.
    shown, crossed = mask_changes(brief, shown, ids)
    suppressed = suppressed or crossed
    shown_ok = shown["poor_rate"].notna().to_numpy() & shown["near_poor_rate"].notna().to_numpy()
    # Highest rate first, as in the chart (suppressed rates last, by name), then the total.
    shown = shown.assign(_rate=pd.to_numeric(shown["poor_rate"], errors="coerce")).sort_values(
        ["_rate", c.COMMUNE], ascending=[False, True], na_position="last", kind="mergesort")
    total = headline_figures(brief)  # the unit's own figures, as its protection shows them
    suppressed = suppressed or bool(total["hidden"])
    total_row = pd.DataFrame([{c.COMMUNE: label("total_row", lang), **{k: total[k] for k in ("households", "poor", "poor_rate", "near_poor", "near_poor_rate", "change_pp")}}])
    shown = pd.concat([shown.drop(columns="_rate"), total_row], ignore_index=True)
    # a former district's new units: their own kinds (no thị trấn since 1 July 2025); the old
    # division's: "xã, phường, thị trấn" / the kinds listed ("communes and townships")
    new = division_of_year(year) == NEW
    kinds = listed_kinds(brief.inputs, rates[c.COMMUNE].tolist(), rates[c.DISTRICT].tolist(), new=new)
    words = "unit_kinds" if new else "unit_kinds_old"
    units, unit = nv.unit_kinds(kinds, lang, words=words), nv.unit_kinds(kinds, lang, plural=False, words=words)
    title = label("communes_new", lang).format(unit=unit)
    # the old division's column as it was ("Commune" where all are communes; "Commune and township")
    header = label("commune_unit", lang).format(Units=nv.capitalize(units if new else unit))
    table = rates_table(shown, shown[c.COMMUNE], header, lang, change=True)
    big = rates[shown_ok]
    paragraphs: list[str] = []
    if len(big):
        hi = big.nlargest(1, "poor_rate").iloc[0]
        lo = big.nsmallest(1, "poor_rate").iloc[0]
        paragraphs.append(nv.extremes_sentence((hi[c.COMMUNE], hi["poor_rate"]), (lo[c.COMMUNE], lo["poor_rate"]) if len(big) > 1 else None, len(rates), lang,
                                               units=units))
    chart = charts.rate_bars(
        big[c.COMMUNE].tolist(), big["poor_rate"].tolist(), big["near_poor_rate"].tolist(), lang,
        title=f"{label('poor_rate', lang)} – {brief.unit}, {year}",
        reference=(f"{label('average', lang)} {fmt_pct(total['poor_rate'], lang)}", total["poor_rate"]) if total["poor_rate"] is not None else None,
    ) if len(big) else None
    notes = (suppressed_note(brief),) if suppressed else ()
    return Section(title, paragraphs=tuple(paragraphs), chart=chart, table=table, notes=notes, anchor="communes")


def ethnic_groups(brief: Brief) -> Section:
    """Ethnic-minority households against Kinh households, and each ethnic group."""
    lang = brief.lang
    pair = brief.mine(brief.tables.ethnic_minority).sort_values("ethnic_minority", ascending=False, kind="mergesort")
    groups = brief.mine(brief.tables.ethnicity)
    groups = groups.sort_values(["households", c.ETHNICITY], ascending=[False, True], kind="mergesort")
    minority = pair[pair["ethnic_minority"]]
    kinh = pair[~pair["ethnic_minority"]]
    minorities = groups[groups[c.ETHNICITY].astype(str) != c.MAJORITY_ETHNICITY]

    def _get(rows: pd.DataFrame, col: str) -> float:
        return float(rows[col].iloc[0]) if len(rows) else 0.0

    sentence = nv.gap_sentence(
        label("ethnic_minority_phrase", lang), _get(minority, "poor_rate"), int(_get(minority, "households")),
        label("kinh_phrase", lang), _get(kinh, "poor_rate"), int(_get(kinh, "households")), lang,
    )
    names = [label("ethnic_minority_households" if m else "kinh_households", lang) for m in pair["ethnic_minority"]]
    rows = pd.concat(
        # The Kinh row of the pair already is the Kinh group: each group once.
        [pair.assign(_name=names, _bold=True), minorities.assign(_name=minorities[c.ETHNICITY].astype(str), _bold=False)],
        ignore_index=True,
    )
    row = unit_row(brief)
    prefixes = ["em:" if m else f"eth:{c.MAJORITY_ETHNICITY}:" for m in pair["ethnic_minority"]] + [ethnic_measure(str(g), "") for g in minorities[c.ETHNICITY]]
    shown = rows.reset_index(drop=True).copy()
    suppressed = False
    for i, prefix in enumerate(prefixes):
        part, hidden = mask(brief, shown.iloc[[i]], [row], group_columns(prefix))
        if hidden:
            suppressed = True
            for col in RATE_COLUMNS:
                if col in shown:
                    shown[col] = shown[col].astype(object)
                    shown.at[i, col] = part[col].iloc[0] if pd.notna(part[col].iloc[0]) else None
    table = rates_table(shown, shown["_name"], label("group", lang), lang)
    prefix_of = {str(g): ethnic_measure(str(g), "") for g in groups[c.ETHNICITY]}
    visible = [not hides(brief, row, *(prefix_of[str(g)] + m for m in ("poor", "near_poor", "households"))) for g in groups[c.ETHNICITY]]
    big = groups[visible]  # the chart shows the groups; the table also the two totals
    chart = charts.rate_bars(
        big[c.ETHNICITY].astype(str).tolist(), big["poor_rate"].tolist(), big["near_poor_rate"].tolist(), lang,
        title=f"{label('ethnic', lang)} – {brief.unit}, {brief.year}",
        highlight=c.MAJORITY_ETHNICITY,
    ) if len(big) else None
    notes = (suppressed_note(brief),) if suppressed else ()
    # The gap sentence quotes both rates: not when the protection hides either.
    said = () if hides(brief, row, "em:poor", "em:households", f"eth:{c.MAJORITY_ETHNICITY}:poor", f"eth:{c.MAJORITY_ETHNICITY}:households") else (sentence,)
    return Section(label("ethnic", lang), paragraphs=said, chart=chart, table=table, notes=notes, anchor="ethnic")

def deprivations(brief: Brief) -> Section:
    """Share of all households and of poor households deprived in each indicator."""
    lang = brief.lang
    profile = brief.own("profile")
    poor = int(profile["poor"].iloc[0]) if len(profile) else 0
    names = [indicator_label(i, lang) for i in profile["indicator"]]
    share_poor, share_all, hidden = _deprivation_shares(brief, profile)
    top = profile.assign(_name=names, share_poor_pct=pd.Series(share_poor, index=profile.index, dtype=float)).dropna(subset=["share_poor_pct"])
    top = top[top["share_poor_pct"] > 0].sort_values(["share_poor_pct", "indicator"], ascending=[False, True], kind="mergesort").head(3)
    poor_shown = None if hides(brief, unit_row(brief), "poor") else poor
    paragraphs = (nv.profile_sentence(list(zip(top["indicator"], top["share_poor_pct"])), poor_shown, lang,
                                      hidden=any(p is None for p in share_poor)),)
    chart = charts.paired_bars(
        names, share_all, share_poor, lang,
        title=f"{label('deprivation', lang)} – {brief.unit}, {brief.year}",
        first_label=label("share_all", lang), second_label=label("share_poor", lang), axis_label=label("share_axis", lang),
    )
    notes = (suppressed_note(brief),) if hidden else ()
    # The numbers are in the Alkire-Foster section's table (share of all households deprived
    # is its uncensored headcount), so the two sections do not repeat one table.
    return Section(label("deprivation", lang), paragraphs=paragraphs, chart=chart, notes=notes, anchor="deprivation")


def _deprivation_shares(brief: Brief, profile: pd.DataFrame) -> tuple[list[float | None], list[float | None], bool]:
    """Shares of poor and of all households deprived per indicator, None where the protection hides them."""
    row = unit_row(brief)
    poor: list[float | None] = []
    every: list[float | None] = []
    for indicator, share_p, share_a in zip(profile["indicator"], profile["share_poor_pct"], profile["share_all_pct"]):
        poor.append(shown_share(brief, row, "poor", indicator, share_p))
        every.append(shown_share(brief, row, "households", indicator, share_a))
    hidden = any(p is None for p in poor) or any(a is None for a in every)
    return poor, every, hidden


def _af_shown(indicators: pd.DataFrame, households: int, threshold: int) -> tuple[list[float | None], list[float | None]]:
    """Censored headcounts and contributions, hidden where fewer than ``threshold`` households
    stand behind a censored ratio, with one more indicator hidden beside a single hidden one
    (the contributions add up to 100%, so one hidden value alone could be worked out)."""
    counts = [None if num(x) is None else round(float(x) * households) for x in indicators["censored"]]
    small = {i for i, n in enumerate(counts) if n is not None and 0 < n < threshold}
    if len(small) == 1:
        others = [i for i, n in enumerate(counts) if i not in small and n]
        if others:
            small.add(min(others, key=lambda i: counts[i] or 0))
    censored = [None if i in small else num(x) for i, x in enumerate(indicators["censored"])]
    contribution = [None if i in small else num(x) for i, x in enumerate(indicators["contribution_pct"])]
    return censored, contribution


def alkire_foster(brief: Brief) -> Section:
    """H, A and M0 with the official cut-off, and each indicator's contribution to M0."""
    lang, std_id = brief.lang, brief.inputs.standard
    std = get_standard(std_id)
    measures = brief.own("af").iloc[0]
    indicators = brief.own("af_indicators")
    dims = brief.own("af_dimensions")
    top_dim = None
    if dims["contribution_pct"].notna().any():
        best = dims.nlargest(1, "contribution_pct").iloc[0]
        top_dim = (dimension_label(best["dimension"], lang), float(best["contribution_pct"]))
    H, A, M0 = (num(measures[k]) for k in ("H", "A", "M0"))
    households = int(measures["households"]) if "households" in measures and num(measures["households"]) is not None else 0
    # H × households households are poor by deprivations: H, A and M0 describe them, so they
    # are hidden with the unit's households or when they are fewer than the threshold.
    poor_by_af = round(H * households) if H is not None else 0
    if hides(brief, unit_row(brief), "households") or 0 < poor_by_af < brief.inputs.threshold:
        H = A = M0 = top_dim = None
    kpis = (
        (fmt_pct(H * 100 if H is not None else None, lang, 1), "H"),
        (fmt_pct(A * 100 if A is not None else None, lang, 1), "A"),
        (fmt_num(M0, lang, 3), "M0 = H × A"),
    )
    sentence = nv.af_sentence(H, A or 0.0, M0 or 0.0, std.deprivation_cutoff, len(std.indicators), top_dim, lang)
    names = [indicator_label(i, lang) for i in indicators["indicator"]]
    profile = brief.own("profile")
    poor_share, all_share, _ = _deprivation_shares(brief, profile)
    by_indicator = dict(zip(profile["indicator"], poor_share))
    all_by_indicator = dict(zip(profile["indicator"], all_share))
    share_poor = [by_indicator.get(i) for i in indicators["indicator"]]
    uncensored = [None if all_by_indicator.get(i) is None else pct(x) for i, x in zip(indicators["indicator"], indicators["uncensored"])]
    censored, contribution = _af_shown(indicators, households, brief.inputs.threshold)
    table = pd.DataFrame(
        {
            label("indicator", lang): names,
            label("dimension", lang): [dimension_label(d, lang) for d in indicators["dimension"]],
            label("share_all", lang): [fmt_num(x, lang, 1) for x in uncensored],
            label("share_poor", lang): [fmt_num(num(x), lang, 1) for x in share_poor],
            label("censored", lang): [fmt_num(pct(x), lang, 1) for x in censored],
            label("contribution", lang): [fmt_num(num(x), lang, 1) for x in contribution],
        }
    )
    chart = charts.share_bars(
        names, contribution, lang,  # a contribution the table hides draws no bar
        title=f"{label('contribution', lang)} – {brief.unit}, {brief.year}", axis_label=label("contribution_axis", lang),
    )
    return Section(label("af", lang), kpis=kpis, paragraphs=(sentence,), chart=chart, table=table, anchor="alkire-foster")


def _band(period: pd.Series) -> charts.Band | None:
    base_year, end_year = int(period["baseline_year"]), int(period["end_year"])
    base_rate, low = num(period.get("baseline_rate")), num(period["target_low_pp"])
    if base_rate is None or low is None:
        return None
    high = num(period["target_high_pp"])
    years = tuple(range(base_year, end_year + 1))
    lows = tuple(max(0.0, base_rate - low * (y - base_year)) for y in years)
    # An open-ended target ("more than 3") has no high-pace edge: none is invented.
    highs = tuple(max(0.0, base_rate - high * (y - base_year)) for y in years) if high is not None else None
    return charts.Band(years, lows, highs)


def trend_parts(brief: Brief, scope: str) -> tuple[list[str], charts.Band | None, tuple[list[int], list[float]] | None]:
    lang = brief.lang
    p = period_figures(brief.inputs, scope, brief.year)
    if p is not None and {int(p["baseline_year"]), int(p["latest_year"])} & _hidden_years(brief, scope):
        return [], None, None  # the rates it compares are hidden in a year (disclosure control)
    if p is None:
        target = target_rows(brief.inputs, scope)
        if target.empty:
            return [], None, None
        base = int(target["baseline_year"].iloc[0])
        return nv.trend_sentences(base, 0.0, brief.year, 0.0, None, None, "", base, None, None, None, False, lang), None, None
    base_year, latest_year, end_year = int(p["baseline_year"]), int(p["latest_year"]), int(p["end_year"])
    low, high = float(p["target_low_pp"]), num(p["target_high_pp"])
    impossible = float(p["baseline_rate"]) - low * (end_year - base_year) < 0
    sentences = nv.trend_sentences(
        base_year, float(p["baseline_rate"]), latest_year, float(p["latest_rate"]), num(p["average_reduction_pp"]), p["status"],
        fmt_range_pp(low, high, lang), end_year, num(p["projected_rate_observed"]), num(p["required_reduction_pp"]),
        num(p["households_to_exit_per_year"]), impossible, lang,
    )
    projected = num(p["projected_rate_observed"])
    projection = ([latest_year, end_year], [float(p["latest_rate"]), projected]) if projected is not None and end_year > latest_year else None
    return sentences, _band(p), projection


def _scope_row(scope: str) -> str:
    """The disclosure row id of a trend's scope (the province or a unit)."""
    return row_id(None) if scope == PROVINCE_SCOPE else row_id(scope)


def _hidden_years(brief: Brief, scope: str) -> set[int]:
    """Years whose protection hides the scope's rate: their rate, and the changes to and from
    them, are not shown (rule 1 of :mod:`analysis.measures.disclosure_years`)."""
    return hidden_years(brief, _scope_row(scope))


def _verdict_table(brief: Brief, scope: str) -> pd.DataFrame:
    lang = brief.lang
    v = brief.inputs.verdicts
    rows = v[(v["scope"] == scope) & (v[c.YEAR] <= brief.year)]
    hidden = _hidden_years(brief, scope)
    years = [int(y) for y in rows[c.YEAR]]
    earlier = {y: max((x for x in years if x < y), default=None) for y in years}
    changed = [y in hidden or earlier[y] in hidden for y in years]
    return pd.DataFrame(
        {
            label("year", lang): rows[c.YEAR].astype(str),
            label("poor_rate_pct", lang): [fmt_num(None if y in hidden else num(x), lang) for y, x in zip(years, rows["poor_rate"])],
            label("change_pp_short", lang): [fmt_signed(None if gone or (n := num(x)) is None else -n, lang) for gone, x in zip(changed, rows["reduction_pp"])],
            label("verdict", lang): [status_label(None if gone else s, lang) for gone, s in zip(changed, rows["status"])],
        }
    )

def observed_label(brief: Brief) -> str:
    """The household-data line's name: a synthetic series is never called observed."""
    return label("observed_synthetic" if brief.inputs.synthetic else "observed", brief.lang)



def trend(brief: Brief) -> Section | None:
    """The poor rate since the baseline, against the target band, with the projection to the end year
    (None where protection hides every year's rate and there is nothing to say)."""
    lang = brief.lang
    scope = brief.district or PROVINCE_SCOPE
    sentences, band, projection = trend_parts(brief, scope)
    history = brief.inputs.history[(brief.inputs.history["scope"] == scope) & (brief.inputs.history[c.YEAR] <= brief.year)]
    history = history[~history[c.YEAR].astype(int).isin(_hidden_years(brief, scope))]
    # Nothing to draw where every year's rate is hidden (a one-year review of a small unit).
    chart = charts.trend_chart(
        lang, title=f"{label('poor_rate', lang)} – {brief.unit}",
        observed=(history[c.YEAR].astype(int).tolist(), history["poor_rate"].astype(float).tolist()),
        band=band, projection=projection, observed_label=observed_label(brief),
    ) if len(history) else None
    if chart is None and not sentences:
        return None
    return Section(label("trend", lang), paragraphs=tuple(sentences), chart=chart, table=_verdict_table(brief, scope), anchor="trend")


def flows(brief: Brief) -> Section:
    """Households that exited poverty, became newly poor or fell back, since the previous review."""
    lang = brief.lang
    f = flow_figures(brief)
    shown = shown_flows(brief)
    if f is None or shown is None:
        return Section(label("flows", lang), paragraphs=(nv.flows_sentence(brief.year, None, 0, 0, 0, lang),), anchor="flows")
    hidden = any(v is None for v in shown.values())
    exited, newly, fallen = shown["exited_poverty"], shown["newly_poor"], shown["fallen_back_poor"]
    paragraphs = (nv.flows_sentence(brief.year, f["previous_year"], exited, newly, fallen, lang),) if exited is not None and newly is not None and fallen is not None else ()
    table = pd.DataFrame(
        {
            label("flow", lang): [label(k, lang) for k in FLOW_ROWS],
            label("count", lang): [fmt_int(shown[k], lang) for k in FLOW_ROWS],
        }
    )
    new_households, left = shown["new_household_poor"], shown["left_poor"]
    said = (nv.flows_note(new_households, left, f["previous_year"], lang),) if new_households is not None and left is not None else ()
    notes = said + ((suppressed_note(brief),) if hidden else ())
    return Section(label("flows", lang), paragraphs=paragraphs, table=table, notes=notes, anchor="flows")


def shown_flows(brief: Brief) -> dict[str, int | None] | None:
    """This year's flows of the brief's unit, None where the protection hides them (None in
    the first year of the data): what every section and key message may say."""
    f = flow_figures(brief)
    if f is None:
        return None
    row = unit_row(brief)
    return {k: (None if hides(brief, row, FLOW_CELLS.get(k, f"flow:{k}")) else v) for k, v in f.items() if k != "previous_year"}


#: The cells behind the flows a brief shows (see analysis.tables.protection).
FLOW_CELLS: dict[str, str] = {
    "new_household_poor": "mov:poor:increase_other",
    "left_poor": "mov:poor:decrease_other",
    "poor_previous": "mov:poor:start",
    "poor": "poor",
}

def _in_language(row: pd.Series, column: str, lang: str) -> str:
    """A targets-table text in the brief's language: ``<column>_vi`` for Vietnamese when filled in."""
    for name in dict.fromkeys((f"{column}_{lang}", column)):
        text = row.get(name)
        if isinstance(text, str) and text.strip():
            return text.strip()
    return ""


def data_notes(brief: Brief) -> Section:
    """Source, standard, review year, targets used and — for the bundled data — that they are synthetic."""
    lang, inputs = brief.lang, brief.inputs
    std = get_standard(inputs.standard)
    notes = nv.data_notes(inputs.source, std.title_in(lang), brief.year, inputs.synthetic, lang, inputs.national_scale, former=brief.variant == FORMER)
    scope = brief.district or PROVINCE_SCOPE
    target = target_rows(inputs, scope)
    sources: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    if len(target):
        t = target.iloc[0]
        said = [text for text in (_in_language(t, "source", lang), _in_language(t, "note", lang)) if text]
        notes.append(nv.target_note(num(t["reduction_low_pp"]), num(t["reduction_high_pp"]), int(t["baseline_year"]), int(t["end_year"]), said, lang))
        found = web_addresses(t.get("source_url", ""))
        if found:
            sources = ((label("target_sources", lang), tuple((site(url), url) for url in found)),)
    from .commune import fact_notes

    if brief.tables.protection is not None:
        notes.append(suppressed_note(brief))
    paragraphs = tuple(notes + fact_notes(inputs, lang, brief.district))
    return Section(label("notes", lang), paragraphs=paragraphs, anchor="notes", links=excel_links(brief), sources=sources)


def excel_links(brief: Brief) -> tuple[tuple[str, str], ...]:
    """The brief's own tables and the year's summary workbook, written beside it by the batch."""
    mine, everything = label("excel_brief_tables", brief.lang), brief.label("excel_province_tables")
    return ((mine, f"{brief.slug}.xlsx"), (everything, workbook_name(brief.year)))
