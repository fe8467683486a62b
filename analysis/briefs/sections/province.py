"""The sections only the province overview has: districts ranked, pooled groups, the
province trend against the published series, and the districts against their targets."""

from __future__ import annotations

import pandas as pd

from ...errors import UsageError
from ...measures.groups import ETHNIC_MINORITY_SCOPE, POOR_DISTRICTS_SCOPE, PROVINCE_SCOPE
from ...measures.targets import PUBLISHED_PROVINCE_SCOPE, published_province_figures
from ...review import columns as c
from ...review.addresses import site, web_addresses
from ...review.standards import DEFAULT_STANDARD, get_standard
from ...review.units import NEW, division_of_year
from ...tables.figures import row_id
from ...words import (
    fmt_num,
    fmt_pct,
    fmt_range_pp,
    fmt_signed,
    label,
    nfc,
    status_label,
)
from .. import charts
from .. import narrative as nv
from ..brief import Brief, district_kinds, district_name, district_words, variant_label
from ..inputs import BriefInputs
from .disclosure import RATE_COLUMNS, hidden_years, mask
from .display import Section, num, rank_text, rates_table
from .district import observed_label, trend_parts
from .figures import district_table, headline_figures, period_figures


def district_ranking(brief: Brief) -> Section | None:
    """Districts side by side, ranked by their poor-household rate (None where the data
    have no districts, as a review on the new division without a crosswalk)."""
    lang, inputs = brief.lang, brief.inputs
    if not inputs.districts:
        return None
    table = district_table(inputs, brief.year).sort_values(["rank", "district"], kind="mergesort", na_position="last")
    province = headline_figures(brief)
    shown, _ = mask(brief, table, [row_id(d) for d in table["district"]], RATE_COLUMNS)
    former = division_of_year(brief.year) == NEW  # districts are the former ones since 1 July 2025
    # huyện, thành phố; quận, huyện, thị xã (Hà Nội): the data's own
    unit, units = district_words(inputs, lang, plural=False), district_words(inputs, lang)
    display = rates_table(shown, shown["district"], district_header(brief), lang, change=True)
    display.insert(0, "#", [rank_text(r, lang) for r in table["rank"]])
    if lists_poor_districts(inputs):  # else a column of "no" would say what the poor-district list does not know
        display[label("is_poor_district", lang)] = [label("yes" if p else "no", lang) for p in table["poor_district"]]
    ranked = table[table["rank"].notna()]  # a district whose rate is hidden is neither ranked nor drawn
    # The province's own figures open the overview (its headline); this section compares districts.
    sentences = (
        nv.extremes_sentence((district_name(inputs, ranked.iloc[0]["district"], lang, year=brief.year), ranked.iloc[0]["poor_rate"]),
                             (district_name(inputs, ranked.iloc[-1]["district"], lang, year=brief.year), ranked.iloc[-1]["poor_rate"])
                             if len(ranked) > 1 else None, len(table), lang,
                             units=label("former_districts_units", lang).format(units=units) if former else units),
    ) if len(ranked) else ()
    chart = charts.rate_bars(
        ranked["district"].tolist(), ranked["poor_rate"].tolist(), ranked["near_poor_rate"].tolist(), lang,
        title=f"{label('poor_rate', lang)} – {brief.year}",
        reference=(f"{brief.label('province_row')} {fmt_pct(province['poor_rate'], lang)}", province["poor_rate"]) if province["poor_rate"] is not None else None,
    ) if len(ranked) else None
    return Section(district_word("ranking", brief).format(unit=unit, Unit=nv.capitalize(unit)), paragraphs=sentences, chart=chart, table=display, anchor="ranking")


def district_header(brief: Brief) -> str:
    """The column of a table of districts, by the data's kinds (``Huyện, thành phố``, ``Quận,
    huyện`` / ``District``; ``… cũ`` / ``Former district`` in a year on the new division)."""
    unit = district_words(brief.inputs, brief.lang, plural=False)
    return district_word("district_unit", brief).format(unit=unit, Unit=nv.capitalize(unit))


def district_word(key: str, brief: Brief, table: str = "labels") -> str:
    """A label about districts; in a year on the new division its ``<key>_new`` form where the
    catalogue has one, the districts being the former ones (``Huyện, thành phố cũ``)."""
    return variant_label(brief.lang, key, "new" if division_of_year(brief.year) == NEW else "", table)


def lists_poor_districts(inputs: BriefInputs) -> bool:
    """Whether the overview compares poor districts with the others: the data have districts
    and the poor-district list (``data/poor_districts.csv``) names some of the province's.
    A province it names none of (Hà Nội) has no poor district to speak of: no row, sentence,
    verdict or column about them."""
    return bool(inputs.districts) and bool(inputs.units.poor_districts)


def poor_districts(brief: Brief) -> Section:
    """Poor districts pooled against the other districts, and ethnic-minority against Kinh
    households; only the latter where the data have no districts or none of them is poor."""
    lang, inputs = brief.lang, brief.inputs
    pair = brief.tables.poor_district
    eth = brief.tables.ethnic_minority_province
    if pair is None or eth is None:
        raise UsageError("sections.poor_districts belongs to the province brief (district=None)")
    compared = lists_poor_districts(inputs)
    if not compared:
        pair = pair.iloc[0:0]  # no districts, or no poor one: only the ethnic groups are compared
    units = district_words(inputs, lang)  # the other districts' kinds: quận, huyện (Hà Nội)
    names = [district_word("poor_districts_group" if p else "other_districts_group", brief).format(units=units) for p in pair["poor_district"]]
    names += [label("ethnic_minority_households" if m else "kinh_households", lang) for m in eth["ethnic_minority"]]
    rows = pd.concat([pair, eth], ignore_index=True).assign(_name=names)
    sentences = []
    for frame, col, (yes, no) in ((pair, "poor_district", ("poor_districts_phrase", "other_districts_phrase")),
                                  (eth, "ethnic_minority", ("ethnic_minority_phrase", "kinh_phrase"))):
        if frame.empty:
            continue
        a, b = frame[frame[col]], frame[~frame[col]]
        sentences.append(nv.gap_sentence(
            district_word(yes, brief).format(units=units), float(a["poor_rate"].iloc[0]) if len(a) else 0.0, int(a["households"].sum()),
            district_word(no, brief).format(units=units), float(b["poor_rate"].iloc[0]) if len(b) else 0.0, int(b["households"].sum()), lang,
            areas=col == "poor_district",
        ))
    scopes = [POOR_DISTRICTS_SCOPE, ETHNIC_MINORITY_SCOPE] if compared else [ETHNIC_MINORITY_SCOPE]
    verdict_rows = inputs.verdicts[(inputs.verdicts[c.YEAR] == brief.year) & inputs.verdicts["scope"].isin(scopes)]
    for _, v in verdict_rows.iterrows():
        if v["status"]:
            group = district_word("poor_districts_phrase" if v["scope"] == POOR_DISTRICTS_SCOPE else "ethnic_minority_phrase", brief)
            sentences.append(nv.verdict_sentence(brief.year, num(v["reduction_pp"]), num(v["target_low_pp"]), num(v["target_high_pp"]), v["status"], group, lang))
    table = rates_table(rows, rows["_name"], label("group", lang), lang)
    heading = district_word("poor_districts", brief).format(units=units) if compared else label("ethnic", lang)  # else the ethnic groups only
    chart = charts.rate_bars(rows["_name"].tolist(), rows["poor_rate"].tolist(), rows["near_poor_rate"].tolist(), lang,
                             title=f"{heading}, {brief.year}")
    # districts, none on the list: say why the poor districts are not compared (no districts: nothing to say)
    notes = (nfc(district_word("poor_districts_none", brief).format(units=units, province=brief.unit)),) if inputs.districts and not compared else ()
    return Section(heading, paragraphs=tuple(sentences), chart=chart, table=table, notes=notes, anchor="poor-districts")


#: The standard before the current one, whose published rates the province trend also shows.
OLD_STANDARD = "decision-59-2015"


def _published_old_standard() -> tuple[list[int], list[float]]:
    """The province's published rates under the previous standard, for the years before the
    current standard's published series starts."""
    current = published_province_figures(DEFAULT_STANDARD)
    first = int(current["year"].min()) if len(current) else None
    figures = published_province_figures(OLD_STANDARD)
    rows = figures[(figures["measure"] == "poor_rate") & ((figures["year"] < first) if first is not None else True)].sort_values("year")
    return rows["year"].astype(int).tolist(), rows["value"].astype(float).tolist()

def _baselines(inputs: BriefInputs) -> tuple[tuple[int, float] | None, float | None, tuple[int, float] | None]:
    """The period's two published baselines and the first published rate after them.

    (review year, review rate), the programme baseline of that year, (next year, its rate):
    all from ``data/published.csv``, for the note that explains why one rate reads as two
    verdicts.
    """
    figures = published_province_figures(inputs.standard)
    rates = figures[figures["measure"] == "poor_rate"].sort_values("year")
    programme = figures[figures["measure"] == "poor_rate_programme_baseline"]
    if rates.empty or programme.empty:
        return None, None, None
    year = int(programme["year"].iloc[0])
    review = rates[rates["year"] == year]
    later = rates[rates["year"] > year]
    return (
        (year, float(review["value"].iloc[0])) if len(review) else None,
        float(programme["value"].iloc[0]),
        (int(later["year"].iloc[0]), float(later["value"].iloc[0])) if len(later) else None,
    )


def province_trend(brief: Brief) -> Section:
    """The province's rate from the household data against the published series and the target band.

    The published series runs under two standards (the previous one before the current
    standard's first year): its line is broken there and the change marked, so the jump
    between them does not read as poverty rising.
    """
    lang, inputs = brief.lang, brief.inputs
    sentences, band, projection = trend_parts(brief, PROVINCE_SCOPE)
    history = inputs.history[(inputs.history["scope"] == PROVINCE_SCOPE) & (inputs.history[c.YEAR] <= brief.year)]
    published = inputs.published[inputs.published[c.YEAR] <= brief.year]
    # The published series is the data's province's own; none published for it: none shown.
    own = not inputs.published.empty
    old_years, old_rates = _published_old_standard() if own else ([], [])
    pub_years = old_years + published[c.YEAR].astype(int).tolist()
    pub_rates = old_rates + published["poor_rate"].astype(float).tolist()
    std = get_standard(inputs.standard)
    std_title = std.title_in(lang)
    change = None
    if old_years and len(published):
        change = (int(published[c.YEAR].min()), f"{label('standard_change', lang)}: {std_title.split(' (')[0]}")
    obs_label = observed_label(brief)
    chart = charts.trend_chart(
        lang, title=f"{label('poor_rate', lang)} – {brief.unit}",
        observed=(history[c.YEAR].astype(int).tolist(), history["poor_rate"].astype(float).tolist()),
        band=band, projection=projection, published=(pub_years, pub_rates), observed_label=obs_label, standard_change=change,
    )
    pub_verdicts = inputs.verdicts[(inputs.verdicts["scope"] == PUBLISHED_PROVINCE_SCOPE) & (inputs.verdicts[c.YEAR] <= brief.year)]
    obs = inputs.verdicts[(inputs.verdicts["scope"] == PROVINCE_SCOPE) & (inputs.verdicts[c.YEAR] <= brief.year)]
    merged = obs.merge(pub_verdicts, on=c.YEAR, how="outer", suffixes=("", "_pub")).sort_values(c.YEAR)
    old = pd.DataFrame({c.YEAR: old_years, "poor_rate_pub": old_rates})
    merged = pd.concat([old, merged], ignore_index=True).sort_values(c.YEAR, kind="mergesort")
    pub_label = label("published", lang)
    table = pd.DataFrame(
        {
            label("year", lang): merged[c.YEAR].astype(int).astype(str),
            f"{pub_label} (%)": [fmt_num(num(x), lang) for x in merged["poor_rate_pub"]],
            f"{label('verdict', lang)} ({pub_label.lower()})": [status_label(s if isinstance(s, str) else None, lang) for s in merged.get("status_pub", pd.Series([None] * len(merged)))],
            f"{obs_label} (%)": [fmt_num(num(x), lang) for x in merged["poor_rate"]],
            f"{label('verdict', lang)} ({obs_label.split(' (')[0].lower()})": [status_label(s if isinstance(s, str) else None, lang) for s in merged["status"]],
        }
    )
    notes = [nv.published_note(*_baselines(inputs), lang)] if own else []
    if old_years:
        old_title = get_standard(OLD_STANDARD).title_in(lang).split(" (")[0]
        notes.append(nv.old_standard_note(old_years, old_title, lang))
    sources = _published_sources(inputs.standard, brief.year, old_years) if own else ()
    return Section(brief.label("province_trend"), paragraphs=tuple(sentences), chart=chart, table=table, notes=tuple(notes), anchor="province-trend",
                   sources=((label("published_sources", lang), sources),) if sources else ())


def _published_sources(standard: str, year: int, old_years: list[int]) -> tuple[tuple[str, str], ...]:
    """The web pages of the published rates the trend shows (``data/published.csv``), each
    named by its site and the years it gives, in the order of those years."""
    rows = [published_province_figures(standard)]
    if old_years:
        old = published_province_figures(OLD_STANDARD)
        rows.append(old[old["year"].isin(old_years)])
    figures = pd.concat(rows, ignore_index=True)
    figures = figures[figures["measure"].isin(["poor_rate", "poor_rate_programme_baseline"]) & (figures["year"] <= year)].sort_values("year", kind="mergesort")
    years: dict[str, list[int]] = {}
    for when, source in zip(figures["year"], figures["source"]):
        for url in web_addresses(source):
            years.setdefault(url, [])
            if int(when) not in years[url]:
                years[url].append(int(when))
    return tuple((f"{site(url)} ({', '.join(map(str, found))})", url) for url, found in years.items())



def district_verdicts(brief: Brief) -> Section | None:
    """Each district's fall this year and since the baseline, against its target (None where
    the data have no districts)."""
    lang, inputs = brief.lang, brief.inputs
    if not inputs.districts:
        return None
    rows, header = [], district_header(brief)
    for d in inputs.districts:
        unit = Brief(inputs, brief.year, lang, d)
        f = headline_figures(unit)
        # The period compares the baseline with this year: not shown where a year hides the rate.
        p = None if hidden_years(unit, row_id(d)) else period_figures(inputs, d, brief.year)
        rows.append({
            header: d,
            label("target", lang): fmt_range_pp(f["target_low_pp"], f["target_high_pp"], lang) if f["target_low_pp"] is not None else "–",
            label("change_pp_short", lang): fmt_signed(f["change_pp"], lang),
            label("verdict", lang): status_label(f["status"], lang),
            # One sign convention in the table: changes, negative for a fall.
            label("average_fall", lang): fmt_signed(None if p is None or (fall := num(p["average_reduction_pp"])) is None else -fall, lang),
            label("period_verdict", lang): status_label(p["status"] if p is not None else None, lang),
            label("projected", lang): fmt_num(num(p["projected_rate_observed"]) if p is not None else None, lang),
            "_status": f["status"],
        })
    frame = pd.DataFrame(rows)
    counts = {str(k): int(n) for k, n in frame["_status"].value_counts().items()}
    sentence = nv.verdict_count_sentence(counts, brief.year, lang, former=division_of_year(brief.year) == NEW, kinds=district_kinds(inputs))
    # the districts by their kinds, as the ranking names them ("theo quận, huyện" of Hà Nội)
    kind, kinds = district_words(inputs, lang, plural=False), district_words(inputs, lang)
    title = district_word("verdicts", brief).format(unit=kind, units=kinds, Units=nv.capitalize(kinds))
    return Section(title, paragraphs=(sentence,), table=frame.drop(columns="_status"), anchor="verdicts")
