"""Charts of the briefs as deterministic, accessible SVG.

Figures are drawn on matplotlib ``Figure`` objects (never pyplot, so no global figure
state and no double display in notebooks) with the SVG canvas (no GUI backend, nothing global), a fixed hash
salt and no date metadata: the same numbers give byte-identical SVG, which keeps briefs
reproducible. Text stays text (``svg.fonttype = none``), so PDF text is selectable and
diacritics are exact; maths parsing is off so a ``$`` in a commune name is just a ``$``.
Colours are the Okabe–Ito palette, distinguishable with the common colour-vision
deficiencies; paired series also differ in lightness and position, lines in style and
markers (no hatching: it tripled the cost of drawing charts in PDFs).
"""

from __future__ import annotations

import base64
import functools
import html
import io
import re
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..words import fmt_int, fmt_num, formatter, known, label
from . import typeface

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn: the batch process draws none
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType


#: Okabe–Ito colours.
POOR = "#D55E00"  # vermillion
NEAR_POOR = "#56B4E9"  # sky blue
PROVINCE = "#0072B2"  # blue
TARGET = "#009E73"  # bluish green
OTHER = "#999999"  # grey
INK = "#222222"


WIDTH_IN = 6.8
#: The phone variant: as wide as a 360 px screen's text column, every text at least 8.4 pt
#: (11 px), shown by the HTML below 40rem in place of the wide chart.
NARROW_WIDTH_IN = 3.3
NARROW_SCALE = 1.2


@dataclass
class _Layout:
    """The variant being drawn: its width (inches), text scale and legend columns."""

    width: float = WIDTH_IN
    scale: float = 1.0
    legend_cols: int = 3


_L = _Layout()


def _pt(size: float) -> float:
    """A text size of the wide chart, in the variant being drawn."""
    return round(size * _L.scale, 2)


@contextmanager
def _narrow() -> Iterator[None]:
    _L.width, _L.scale, _L.legend_cols = NARROW_WIDTH_IN, NARROW_SCALE, 1
    try:
        yield
    finally:
        _L.width, _L.scale, _L.legend_cols = WIDTH_IN, 1.0, 3


def _responsive(draw: Callable[..., Chart]) -> Callable[..., Chart]:
    """A chart function that draws the wide chart and its phone variant (same numbers, same alt)."""

    @functools.wraps(draw)
    def both(*args: Any, **kwargs: Any) -> Chart:
        wide = draw(*args, **kwargs)
        with _narrow():
            narrow = draw(*args, **kwargs)
        return replace(wide, narrow_svg=narrow.svg)

    return both
_STYLE: Mapping[RcKeyType, Any] = MappingProxyType({
    "svg.hashsalt": "bac-kan-briefs",
    "svg.fonttype": "none",
    "font.family": [typeface.FAMILY],
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "text.color": INK,
    "text.parse_math": False,
    "legend.frameon": False,
    "path.simplify": True,
    "figure.dpi": 72,
})


@dataclass(frozen=True)
class Chart:
    """An SVG chart with its text alternative; displays as SVG in Jupyter."""

    svg: str
    alt: str
    narrow_svg: str = ""

    def _repr_svg_(self) -> str:
        return self.svg

    def to_html(self) -> str:
        """The chart as an HTML figure: an SVG data URI with its alt text, nothing to load.

        An ``<img>`` rather than inline ``<svg>``: the page's CSS does not cascade into
        hundreds of SVG nodes (which made PDF rendering twice as slow), ids cannot clash
        between charts, and the alt text is where screen readers look for it.
        """
        data = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        width, height = _size(self.svg)
        img = (f'<img src="data:image/svg+xml;base64,{data}" '
               f'alt="{html.escape(self.alt)}" width="{width}" height="{height}">')
        if not self.narrow_svg:
            return f'<figure class="chart">{img}</figure>'
        narrow = base64.b64encode(self.narrow_svg.encode("utf-8")).decode("ascii")
        # A phone gets the narrow variant (its labels stay at 11 px or more); print and wide
        # screens the <img>. Browsers pick the <source>; WeasyPrint draws the <img>.
        return (f'<figure class="chart"><picture><source media="(max-width: 40rem)" '
                f'srcset="data:image/svg+xml;base64,{narrow}">{img}</picture></figure>')


def _size(svg: str) -> tuple[int, int]:
    """The chart's size in CSS pixels, from the SVG's width and height in points."""
    found = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    if not found:
        return 650, 300
    return round(float(found.group(1)) * 4 / 3), round(float(found.group(2)) * 4 / 3)


def _style() -> AbstractContextManager:
    """The charts' matplotlib settings, for the duration of one chart."""
    from matplotlib import rc_context

    typeface.register_with_matplotlib()
    style = dict(_STYLE)
    style["font.size"] = _pt(float(_STYLE["font.size"]))
    style["axes.titlesize"] = _pt(float(_STYLE["axes.titlesize"]))
    return rc_context(style)


#: Room above the axes for the title, and for a legend row under it (inches).
_TITLE_IN, _LEGEND_IN = 0.32, 0.26


def _new_figure(height_in: float, labels: Sequence[str] = ("0000",), *, title: str, legend_above: bool = False) -> Figure:
    """A figure with fixed margins: room for the longest y label, the title (and a legend row
    above the plot, where it cannot cover bars) and the x axis.

    The title starts at the figure's left edge, not the axes', so a long title is not cut
    off when long category labels push the axes right. Fixed margins instead of constrained
    layout: layout solving measured every text several times and was the costliest part of
    a brief's charts.
    """
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    title_size = _pt(float(_STYLE["axes.titlesize"]))
    lines = textwrap.wrap(title, max(20, int(_L.width * 72 / (0.55 * title_size)))) or [""]
    title_in = _TITLE_IN * _L.scale + (len(lines) - 1) * title_size * 1.25 / 72
    legend_in = _LEGEND_IN * _L.scale * (3 if _L.legend_cols == 1 else 1)
    top_in = title_in + (legend_in if legend_above else 0.0)
    height_in = round(height_in * (1.0 if _L.scale == 1 else 1.1) + top_in - _TITLE_IN, 2)
    fig = Figure(figsize=(_L.width, height_in))
    FigureCanvasSVG(fig)
    longest = max((len(line) for x in labels for line in _category(str(x)).split("\n")), default=4)
    left = min(0.45, (0.2 + 0.062 * _L.scale * longest) / _L.width)
    fig.subplots_adjust(left=left, right=0.97, top=1 - top_in / height_in, bottom=0.48 * _L.scale / height_in)
    fig.text(0.01, 1 - 0.06 / height_in, "\n".join(lines), ha="left", va="top", fontsize=title_size, linespacing=1.25)
    return fig


def _category(name: str) -> str:
    """A category label; in the phone variant, long names wrap onto a second line."""
    return name if _L.scale == 1 else textwrap.fill(name, 18)


def _legend_above(ax: Any) -> None:
    """The legend between the title and the plot (one row; one column on a phone, from the
    chart's left edge so it is not pushed out on the right by long category labels)."""
    sp = ax.figure.subplotpars
    x = 0.0 if _L.scale == 1 else -(sp.left - 0.01) / (sp.right - sp.left)
    ax.legend(loc="lower left", bbox_to_anchor=(x, 1.0), ncol=_L.legend_cols, fontsize=_pt(7.5), borderaxespad=0.3, handlelength=1.5)


def render(fig: Figure, alt: str) -> Chart:
    """The figure as inline-ready SVG: no XML prolog, no date, a title for screen readers."""
    buffer = io.StringIO()
    with _style():
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "analysis.briefs.charts"})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    svg = re.sub(r"<svg ", '<svg role="img" ', svg, count=1)
    svg = re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + f"<title>{html.escape(alt)}</title>" + _font_style(svg), svg, count=1)
    return Chart(svg=_flatten_groups(svg), alt=alt)


_TEXT = re.compile(r"<text\b([^>]*)>(.*?)</text>", re.S)
_BOLD = re.compile(r"font-weight:\s*(?:bold|[6-9]00)")
FONT_STYLE_ID = "brief-font"


def _font_style(svg: str) -> str:
    """A ``<style>`` embedding the glyphs the chart draws, so it looks the same anywhere.

    An SVG shown as an image cannot use the page's fonts; the PDF renderer, which can,
    drops this element (its ``id``) and uses the document's copy of the same font.
    """
    regular: list[str] = []
    bold: list[str] = []
    for attrs, inner in _TEXT.findall(svg):
        (bold if _BOLD.search(attrs) else regular).append(html.unescape(re.sub(r"<[^>]+>", "", inner)))
    rules = [typeface.glyph_subset_css("".join(regular))] + ([typeface.glyph_subset_css("".join(bold), bold=True)] if bold else [])
    return f'<style id="{FONT_STYLE_ID}">' + "".join(rules) + "</style>"


_GROUP_TAG = re.compile(r"<g\b[^>]*>|</g>")
_BARE_GROUP = re.compile(r'<g(?: id="[^"]*")?>')


def _flatten_groups(svg: str) -> str:
    """The SVG without matplotlib's bare ``<g id="…">`` wrappers and indentation.

    Those groups carry no style or transform (about half an SVG's elements), yet a PDF
    renderer walks each one; dropping them draws the same picture faster.
    """
    out: list[str] = []
    bare: list[bool] = []  # for each open group: whether its tags are dropped
    last = 0
    for tag in _GROUP_TAG.finditer(svg):
        text = tag.group(0)
        if text.endswith("/>"):
            continue
        drop = bare.pop() if text == "</g>" else bool(_BARE_GROUP.fullmatch(text))
        if text != "</g>":
            bare.append(drop)
        if drop:
            out.append(svg[last:tag.start()])
            last = tag.end()
    out.append(svg[last:])
    return re.sub(r">\n\s*<", "><", "".join(out))


def _light_axes(ax: Any, lang: str) -> None:
    """Fewer SVG nodes to draw: no tick marks on the category axis, at most six value ticks,
    numbered in the brief's language (``1,5`` in Vietnamese)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.tick_params(axis="y", left=False, length=0)  # not drawn at all: fewer nodes than zero-length marks
    ax.xaxis.set_major_locator(MaxNLocator(6))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: tick_text(v, lang)))


def tick_text(value: float, lang: str) -> str:
    """An axis number as the brief's language writes it: ``1,5`` / ``1.5``, ``2.000`` / ``2,000``."""
    value = round(float(value), 6) + 0.0
    if abs(value) >= 1000 or value == int(value):
        return fmt_int(value, lang)
    return formatter(lang).num(value, 6, trim=True)


def _known(values: Sequence[float | None]) -> list[float | None]:
    """Values as floats, None where missing or suppressed (NaN included): those get no bar."""
    return [known(v) for v in values]


def _value(v: float | None, lang: str, digits: int = 1) -> str:
    return fmt_num(v, lang, digits)


#: Dark vermillion: the poor series' colour dark enough for small text on white (6:1).
POOR_TEXT = "#A33A00"
_LABEL_PT = 7.5


def _text_width(text: str, points: float = _LABEL_PT) -> float:
    """Rough width of a label in inches (digits and commas of the shipped font)."""
    return len(text) * 0.56 * points * _L.scale / 72 + 0.06


def _bar_height(n: int) -> float:
    """Height of a bar chart for n categories: rows shrink a little for long lists so the
    chart still fits an A4 page at full size (labels stay at their size)."""
    per_row = 0.24 if n <= 20 else max(0.17, 0.24 - 0.004 * (n - 20))
    if _L.scale != 1:  # the phone variant: room for names wrapped onto two lines
        per_row = 0.34
    return 0.9 + per_row * max(n, 1)


@_responsive
def rate_bars(
    names: Sequence[str],
    poor_rates: Sequence[float | None],
    near_poor_rates: Sequence[float | None],
    lang: str,
    *,
    title: str,
    highlight: str | None = None,
    reference: tuple[str, float] | None = None,
) -> Chart:
    """Horizontal stacked bars: poor then near-poor rate per unit, highest poor rate on top.

    ``highlight`` outlines one unit (the brief's own district in a ranking); ``reference``
    draws a labelled vertical line (the district or province average). A missing or
    suppressed rate (None) draws no bar. The poor rate is printed inside its bar when it
    fits, else after the whole bar in the poor colour, on white so no line crosses it.
    """
    with _style():
        poor_all, near_all = _known(poor_rates), _known(near_poor_rates)
        order = sorted(range(len(names)), key=lambda i: (poor_all[i] if poor_all[i] is not None else -1.0, str(names[i])))
        labels = [str(names[i]) for i in order]
        poor = [poor_all[i] for i in order]
        near = [near_all[i] for i in order]
        fig = _new_figure(_bar_height(len(labels)), labels, title=title, legend_above=True)
        ax = fig.add_subplot()
        y = list(range(len(labels)))
        edge = [INK if highlight is not None and name == highlight else "none" for name in labels]
        width = [1.6 if e != "none" else 0 for e in edge]
        has_p = [i for i in y if poor[i] is not None]
        has_n = [i for i in y if near[i] is not None]
        ax.barh(has_p, [poor[i] or 0.0 for i in has_p], color=POOR, edgecolor=[edge[i] for i in has_p],
                linewidth=[width[i] for i in has_p], label=label("poor_rate", lang))
        ax.barh(has_n, [near[i] or 0.0 for i in has_n], left=[poor[i] or 0.0 for i in has_n], color=NEAR_POOR,
                edgecolor=[edge[i] for i in has_n], linewidth=[width[i] for i in has_n], label=label("near_poor_rate", lang))
        totals = [(p or 0.0) + (n or 0.0) for p, n in zip(poor, near)]
        xmax = max(totals + [1.0]) * 1.12
        left_in = fig.subplotpars.left * _L.width
        per_inch = xmax / (_L.width * fig.subplotpars.right - left_in)
        for yi, p, total in zip(y, poor, totals):
            if p is None:
                continue
            text = _value(p, lang)
            if p >= (_text_width(text) + 0.08) * per_inch:
                ax.text(p - 0.04 * per_inch, yi, text, va="center", ha="right", fontsize=_pt(_LABEL_PT), color="white")
            else:
                ax.text(total + 0.05 * per_inch, yi, text, va="center", ha="left", fontsize=_pt(_LABEL_PT), color=POOR_TEXT,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6}, zorder=5)
        ax.set_yticks(y, [_category(x) for x in labels])
        _light_axes(ax, lang)
        if highlight is not None:
            for tick in ax.get_yticklabels():
                if tick.get_text() == _category(highlight):
                    tick.set_fontweight("bold")
        if reference is not None:
            ref_label, ref_value = reference
            ax.axvline(ref_value, color=INK, linestyle="--", linewidth=1, label=ref_label, zorder=1)
        ax.set_xlabel(label("rate_axis", lang))
        ax.set_xlim(0, xmax)
        _legend_above(ax)
        alt = title + ": " + "; ".join(f"{n} {_value(p, lang)}%" for n, p in zip(reversed(labels), reversed(poor)) if p is not None)
        return render(fig, alt)


@_responsive
def paired_bars(
    names: Sequence[str],
    first: Sequence[float | None],
    second: Sequence[float | None],
    lang: str,
    *,
    title: str,
    first_label: str,
    second_label: str,
    axis_label: str,
) -> Chart:
    """Two bars per category (share of all households vs of poor households, …), in the given order.

    Each bar carries its value. A missing or suppressed value (None) draws no bar; a
    category at 0 in both is left out of the plot and named under it ("0%: …").
    """
    with _style():
        a_all, b_all = _known(first), _known(second)
        keep = [i for i in range(len(names)) if (a_all[i] or 0.0) > 0 or (b_all[i] or 0.0) > 0]
        empty = [str(names[i]) for i in range(len(names)) if i not in keep and (a_all[i] is not None or b_all[i] is not None)]
        shown = [str(names[i]) for i in keep]
        a, b = [a_all[i] for i in keep], [b_all[i] for i in keep]
        n = len(shown)
        fig = _new_figure(0.9 + 0.36 * max(n, 1) + (0.2 if empty else 0.0), shown, title=title, legend_above=True)
        if empty:
            fig.subplots_adjust(bottom=0.68 / fig.get_figheight())
            fig.text(0.01, 0.04 / fig.get_figheight(), "0%: " + ", ".join(empty), ha="left", va="bottom", fontsize=_pt(_LABEL_PT))
        ax = fig.add_subplot()
        y = list(range(n))[::-1]
        top = max([v for v in a + b if v is not None] + [1.0])
        ax.barh([yi + 0.19 for yi, v in zip(y, b) if v is not None], [v for v in b if v is not None], height=0.38, color=POOR, label=second_label)
        ax.barh([yi - 0.19 for yi, v in zip(y, a) if v is not None], [v for v in a if v is not None], height=0.38, color=NEAR_POOR, label=first_label)
        for yi, va, vb in zip(y, a, b):
            for offset, v in ((0.19, vb), (-0.19, va)):
                if v is not None:
                    ax.text(v + top * 0.01, yi + offset, _value(v, lang), va="center", fontsize=_pt(7), color=INK)
        ax.set_yticks(y, [_category(x) for x in shown])
        _light_axes(ax, lang)
        ax.set_xlabel(axis_label)
        ax.set_xlim(0, top * 1.14)
        _legend_above(ax)
        def said(v: float | None) -> str:  # a hidden value is a dash, not "–%"
            return "–" if v is None else f"{_value(v, lang)}%"

        parts = [f"{nm} {said(s)} / {said(f)}" for nm, f, s in zip(shown, a, b)]
        alt = title + ": " + "; ".join(parts + (["0%: " + ", ".join(empty)] if empty else []))
        return render(fig, alt)


@_responsive
def share_bars(names: Sequence[str], values: Sequence[float | None], lang: str, *, title: str, axis_label: str) -> Chart:
    """One bar per category with its value printed (contributions to M0, flows); None: no bar."""
    with _style():
        n = len(names)
        fig = _new_figure(_bar_height(n), names, title=title)
        ax = fig.add_subplot()
        y = list(range(n))[::-1]
        vals = _known(values)
        ax.barh([yi for yi, v in zip(y, vals) if v is not None], [v for v in vals if v is not None], color=PROVINCE)
        top = max([v for v in vals if v is not None] + [1.0])
        for yi, v in zip(y, vals):
            if v is None:
                continue
            text = fmt_num(v, lang, 0) if abs(v) >= 1000 or v == int(v) else _value(v, lang)
            ax.text(v + top * 0.01, yi, text, va="center", fontsize=_pt(_LABEL_PT))
        ax.set_yticks(y, [_category(str(x)) for x in names])
        _light_axes(ax, lang)
        ax.set_xlabel(axis_label)
        ax.set_xlim(0, top * 1.15)
        alt = title + ": " + "; ".join(f"{nm} {_value(v, lang)}" for nm, v in zip(names, vals) if v is not None)
        return render(fig, alt)


@dataclass(frozen=True)
class Band:
    """A target corridor: the rate at the target's low and high pace, year by year.

    ``high_pace`` is None for an open-ended target ("more than 3 pp a year"): then only the
    low-pace edge is known, and the corridor is everything at or below it.
    """

    years: tuple[int, ...]
    low_pace: tuple[float, ...]
    high_pace: tuple[float, ...] | None


@_responsive
def trend_chart(
    lang: str,
    *,
    title: str,
    observed: tuple[Sequence[int], Sequence[float]],
    band: Band | None = None,
    projection: tuple[Sequence[int], Sequence[float]] | None = None,
    published: tuple[Sequence[int], Sequence[float]] | None = None,
    observed_label: str | None = None,
    standard_change: tuple[int, str] | None = None,
) -> Chart:
    """Observed poor rate by year, with the target band, a projection and a published series.

    ``observed_label`` names the observed line (a synthetic series must say so).
    ``standard_change`` = (first year of the new standard, its label): the published line
    is broken there, since rates under two standards are not one series, and the change
    is marked with a vertical rule.
    """
    with _style():
        fig = _new_figure(3.2 if _L.scale == 1 else 4.2, ("100",), title=title)
        height = fig.get_figheight()
        # The value axis is named above it, horizontally: nothing rotated to clip or to read sideways.
        bottom_in = 0.95 if _L.legend_cols > 1 else 1.75
        fig.subplots_adjust(left=0.45 * _L.scale / _L.width, bottom=bottom_in / height, top=1 - 0.58 * _L.scale / height)
        ax = fig.add_subplot()
        years_all: list[int] = list(observed[0])
        highest = max([float(v) for v in observed[1]] + [1.0])
        if band is not None and band.years:
            if band.high_pace is not None:
                ax.fill_between(band.years, band.high_pace, band.low_pace, color=TARGET, alpha=0.22, linewidth=0, label=label("target_band", lang))
            else:
                ax.fill_between(band.years, 0, band.low_pace, color=TARGET, alpha=0.12, linewidth=0)
                ax.plot(band.years, band.low_pace, color=TARGET, linewidth=1.2, label=label("target_band", lang))
            years_all += list(band.years)
            highest = max([highest, *band.low_pace])
        if published is not None and len(published[0]):
            pub = sorted(zip(published[0], published[1]))
            cut = standard_change[0] if standard_change is not None else None
            before = [(x, v) for x, v in pub if cut is not None and x < cut]
            after = [(x, v) for x, v in pub if cut is None or x >= cut]
            style: dict[str, Any] = {"color": INK, "linestyle": ":", "marker": "s", "markersize": 4}
            if after:
                ax.plot([x for x, _ in after], [v for _, v in after], label=label("published", lang), **style)
            if before:
                ax.plot([x for x, _ in before], [v for _, v in before], markerfacecolor="white", **style)
            years_all += [x for x, _ in pub]
            highest = max([highest] + [float(v) for _, v in pub])
        if projection is not None and len(projection[0]):
            ax.plot(projection[0], projection[1], color=POOR, linestyle="--", linewidth=1.3, label=label("projection", lang))
            years_all += list(projection[0])
        ax.plot(observed[0], observed[1], color=POOR, marker="o", markersize=4.5, linewidth=2, label=observed_label or label("observed", lang))
        for x, v in zip(observed[0], observed[1]):
            ax.annotate(fmt_num(float(v), lang, 2), (x, v), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=_pt(_LABEL_PT))
        ax.set_ylim(0, highest * 1.22)  # headroom for the value labels above the points
        if standard_change is not None and min(years_all) < standard_change[0] <= max(years_all):
            rule = standard_change[0] - 0.5
            ax.axvline(rule, color="#555555", linestyle=(0, (2, 2)), linewidth=0.9)
            note = standard_change[1] if _L.scale == 1 else textwrap.fill(standard_change[1], 22)
            ax.text(rule + 0.06, highest * 0.03, note, ha="left", va="bottom", fontsize=_pt(7), color="#333333",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})
        ticks = list(range(min(years_all), max(years_all) + 1))
        ax.set_xticks(ticks, [str(t) for t in ticks])
        from matplotlib.ticker import FuncFormatter

        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: tick_text(v, lang)))
        left = fig.subplotpars.left * _L.width
        ax.text(-left / (_L.width * 0.97 - left), 1.03, label("rate_axis", lang), transform=ax.transAxes, ha="left", va="bottom",
                fontsize=_pt(float(_STYLE["font.size"])))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2 * _L.scale), ncol=4 if _L.legend_cols > 1 else 1, fontsize=_pt(_LABEL_PT))
        alt = title + ": " + "; ".join(f"{x} {fmt_num(float(v), lang, 2)}%" for x, v in zip(observed[0], observed[1]))
        if published is not None and len(published[0]):
            alt += f". {label('published', lang)}: " + "; ".join(f"{x} {fmt_num(float(v), lang, 2)}%" for x, v in sorted(zip(published[0], published[1])))
        if standard_change is not None:
            alt += f". {standard_change[1]}"
        return render(fig, alt)


#: Five light-to-dark oranges (ColorBrewer "Oranges"): a sequential scale that reads in grey
#: and with the common colour-vision deficiencies; the darkest is the poorest class.
MAP_CLASSES = ("#fee6ce", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603")


@_responsive
def district_map(
    rings: Mapping[str, Sequence[Sequence[Sequence[float]]]],
    rates: Mapping[str, float | None],
    lang: str,
    *,
    title: str,
    no_data: str,
) -> Chart:
    """Units shaded by poor rate in five equal classes from 0, each named with its rate.

    ``rings`` holds each unit's outer rings (longitude, latitude); east-west distances are
    shortened by the cosine of the latitude so the shapes are not stretched. A unit
    without a rate is grey and named in the legend as ``no_data``.
    """
    import math

    from matplotlib.patches import Patch, Polygon

    with _style():
        known = [v for v in _known(list(rates.values())) if v is not None]
        top = max(known + [1.0])
        step = math.ceil(top / 5 / 5) * 5 if top > 25 else math.ceil(top / 5) or 1
        all_points = [pt for unit in rings.values() for ring in unit for pt in ring]
        lat0 = sum(p[1] for p in all_points) / max(len(all_points), 1)
        squeeze = math.cos(math.radians(lat0))
        xs = [p[0] * squeeze for p in all_points]
        ys = [p[1] for p in all_points]
        aspect = (max(ys) - min(ys)) / max(max(xs) - min(xs), 1e-9) if all_points else 1.0
        height = min(6.5, max(3.0, (_L.width - 1.6) * aspect)) if _L.scale == 1 else _L.width * aspect + 1.2
        fig = _new_figure(height, ("",), title=title)
        fig.subplots_adjust(left=0.02, right=0.98 - (1.5 if _L.scale == 1 else 0) / _L.width,
                            bottom=(0.1 if _L.scale == 1 else 1.4) / fig.get_figheight())
        ax = fig.add_subplot()
        ax.set_axis_off()
        for name, unit in rings.items():
            value = _known([rates.get(name)])[0]
            colour = OTHER if value is None else MAP_CLASSES[min(4, int(value // step))]
            for ring in unit:
                ax.add_patch(Polygon([(x * squeeze, y) for x, y in ring], closed=True, facecolor=colour, edgecolor="white", linewidth=0.8))
            biggest = max(unit, key=len)
            cx = sum(p[0] for p in biggest) / len(biggest) * squeeze
            cy = sum(p[1] for p in biggest) / len(biggest)
            dark = value is not None and min(4, int(value // step)) >= 3
            text = f"{name}\n{_value(value, lang)}%" if value is not None else name
            if _L.scale != 1:  # on a phone the units are small: the rate only (names are in the table and alt text)
                text = f"{_value(value, lang)}" if value is not None else ""
            ax.text(cx, cy, text, ha="center",
                    va="center", fontsize=_pt(7), color="white" if dark else INK, linespacing=1.1)
        ax.set_xlim(min(xs), max(xs))
        ax.set_ylim(min(ys), max(ys))
        ax.set_aspect("equal")
        handles = [Patch(facecolor=c, label=f"{tick_text(i * step, lang)}–{tick_text((i + 1) * step, lang)}%") for i, c in enumerate(MAP_CLASSES)]
        if any(_known([rates.get(n)])[0] is None for n in rings):
            handles.append(Patch(facecolor=OTHER, label=no_data))
        if _L.scale == 1:
            ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=_pt(7.5), title=label("rate_axis", lang),
                      title_fontsize=_pt(7.5))
        else:
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.02), ncol=2, fontsize=_pt(7.5))
        alt = title + ": " + "; ".join(f"{n} {_value(_known([rates.get(n)])[0], lang)}%" for n in sorted(rings, key=lambda n: -(_known([rates.get(n)])[0] or -1)))
        return render(fig, alt)
