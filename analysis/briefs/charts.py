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
import html
import io
import re
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from . import typeface
from .narrative import label

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
        return (f'<figure class="chart"><img src="data:image/svg+xml;base64,{data}" '
                f'alt="{html.escape(self.alt)}" width="{width}" height="{height}"></figure>')


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
    return rc_context(dict(_STYLE))


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

    top_in = _TITLE_IN + (_LEGEND_IN if legend_above else 0.0)
    height_in = round(height_in + top_in - _TITLE_IN, 2)
    fig = Figure(figsize=(WIDTH_IN, height_in))
    FigureCanvasSVG(fig)
    longest = max((len(str(x)) for x in labels), default=4)
    left = min(0.45, (0.2 + 0.062 * longest) / WIDTH_IN)
    fig.subplots_adjust(left=left, right=0.97, top=1 - top_in / height_in, bottom=0.48 / height_in)
    fig.text(0.01, 1 - 0.06 / height_in, title, ha="left", va="top", fontsize=_STYLE["axes.titlesize"])
    return fig


def _legend_above(ax: Any) -> None:
    """The legend in one row between the title and the plot."""
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, fontsize=7.5, borderaxespad=0.3, handlelength=1.5)


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


def _light_axes(ax: Any) -> None:
    """Fewer SVG nodes to draw: no tick marks on the category axis, at most six value ticks."""
    from matplotlib.ticker import MaxNLocator

    ax.tick_params(axis="y", left=False, length=0)  # not drawn at all: fewer nodes than zero-length marks
    ax.xaxis.set_major_locator(MaxNLocator(6))


def _bar_height(n: int) -> float:
    return 0.9 + 0.24 * max(n, 1)


def rate_bars(
    names: Sequence[str],
    poor_rates: Sequence[float],
    near_poor_rates: Sequence[float],
    lang: str,
    *,
    title: str,
    highlight: str | None = None,
    reference: tuple[str, float] | None = None,
) -> Chart:
    """Horizontal stacked bars: poor then near-poor rate per unit, highest poor rate on top.

    ``highlight`` outlines one unit (the brief's own district in a ranking); ``reference``
    draws a labelled vertical line (the district or province average).
    """
    with _style():
        order = sorted(range(len(names)), key=lambda i: (poor_rates[i], str(names[i])))
        labels = [str(names[i]) for i in order]
        poor = [float(poor_rates[i]) for i in order]
        near = [float(near_poor_rates[i]) for i in order]
        fig = _new_figure(_bar_height(len(labels)), labels, title=title, legend_above=True)
        ax = fig.add_subplot()
        y = list(range(len(labels)))
        edge = [INK if highlight is not None and name == highlight else "none" for name in labels]
        width = [1.6 if e != "none" else 0 for e in edge]
        ax.barh(y, poor, color=POOR, edgecolor=edge, linewidth=width, label=label("poor_rate", lang))
        ax.barh(y, near, left=poor, color=NEAR_POOR, edgecolor=edge, linewidth=width, label=label("near_poor_rate", lang))
        for yi, p in zip(y, poor):
            ax.text(p + 0.4 if p < 8 else p - 0.4, yi, f"{p:.1f}".replace(".", "," if lang == "vi" else "."),
                    va="center", ha="left" if p < 8 else "right", fontsize=7.5, color=INK if p < 8 else "white")
        ax.set_yticks(y, labels)
        _light_axes(ax)
        if highlight is not None:
            for tick in ax.get_yticklabels():
                if tick.get_text() == highlight:
                    tick.set_fontweight("bold")
        if reference is not None:
            ref_label, ref_value = reference
            ax.axvline(ref_value, color=INK, linestyle="--", linewidth=1, label=ref_label)
        ax.set_xlabel(label("rate_axis", lang))
        ax.set_xlim(0, max([p + n for p, n in zip(poor, near)] + [1.0]) * 1.08)
        _legend_above(ax)
        alt = title + ": " + "; ".join(f"{n} {p:.1f}%" for n, p in zip(reversed(labels), reversed(poor)))
        return render(fig, alt)


def paired_bars(
    names: Sequence[str],
    first: Sequence[float],
    second: Sequence[float],
    lang: str,
    *,
    title: str,
    first_label: str,
    second_label: str,
    axis_label: str,
) -> Chart:
    """Two bars per category (share of all households vs of poor households, …), in the given order."""
    with _style():
        n = len(names)
        fig = _new_figure(0.9 + 0.36 * max(n, 1), names, title=title, legend_above=True)
        ax = fig.add_subplot()
        y = list(range(n))[::-1]
        ax.barh([v + 0.19 for v in y], [float(x) for x in second], height=0.38, color=POOR, label=second_label)
        ax.barh([v - 0.19 for v in y], [float(x) for x in first], height=0.38, color=NEAR_POOR, label=first_label)
        ax.set_yticks(y, [str(x) for x in names])
        _light_axes(ax)
        ax.set_xlabel(axis_label)
        ax.set_xlim(0, max(list(first) + list(second) + [1.0]) * 1.1)
        _legend_above(ax)
        alt = title + ": " + "; ".join(f"{nm} {s:.1f}% / {f:.1f}%" for nm, f, s in zip(names, first, second))
        return render(fig, alt)


def share_bars(names: Sequence[str], values: Sequence[float], lang: str, *, title: str, axis_label: str) -> Chart:
    """One bar per category with its value printed (contributions to M0, flows)."""
    with _style():
        n = len(names)
        fig = _new_figure(_bar_height(n), names, title=title)
        ax = fig.add_subplot()
        y = list(range(n))[::-1]
        vals = [float(v) for v in values]
        ax.barh(y, vals, color=PROVINCE)
        top = max(vals + [1.0])
        for yi, v in zip(y, vals):
            text = f"{v:,.1f}" if abs(v) < 1000 and v != int(v) else f"{int(round(v)):,}"
            if lang == "vi":
                text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
            ax.text(v + top * 0.01, yi, text, va="center", fontsize=7.5)
        ax.set_yticks(y, [str(x) for x in names])
        _light_axes(ax)
        ax.set_xlabel(axis_label)
        ax.set_xlim(0, top * 1.15)
        alt = title + ": " + "; ".join(f"{nm} {v:.1f}" for nm, v in zip(names, vals))
        return render(fig, alt)


@dataclass(frozen=True)
class Band:
    """A target corridor: the rate at the target's low and high pace, year by year."""

    years: tuple[int, ...]
    low_pace: tuple[float, ...]
    high_pace: tuple[float, ...]


def trend_chart(
    lang: str,
    *,
    title: str,
    observed: tuple[Sequence[int], Sequence[float]],
    band: Band | None = None,
    projection: tuple[Sequence[int], Sequence[float]] | None = None,
    published: tuple[Sequence[int], Sequence[float]] | None = None,
) -> Chart:
    """Observed poor rate by year, with the target band, a projection and a published series."""
    with _style():
        fig = _new_figure(3.0, ("100",), title=title)
        fig.subplots_adjust(bottom=0.95 / 3.0)
        ax = fig.add_subplot()
        years_all: list[int] = list(observed[0])
        if band is not None and band.years:
            ax.fill_between(band.years, band.high_pace, band.low_pace, color=TARGET, alpha=0.22, linewidth=0, label=label("target_band", lang))
            years_all += list(band.years)
        if published is not None and len(published[0]):
            ax.plot(published[0], published[1], color=INK, linestyle=":", marker="s", markersize=4, label=label("published", lang))
            years_all += list(published[0])
        if projection is not None and len(projection[0]):
            ax.plot(projection[0], projection[1], color=POOR, linestyle="--", linewidth=1.3, label=label("projection", lang))
            years_all += list(projection[0])
        ax.plot(observed[0], observed[1], color=POOR, marker="o", markersize=4.5, linewidth=2, label=label("observed", lang))
        for x, v in zip(observed[0], observed[1]):
            text = f"{v:.2f}".replace(".", "," if lang == "vi" else ".")
            ax.annotate(text, (x, v), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7.5)
        ticks = list(range(min(years_all), max(years_all) + 1))
        ax.set_xticks(ticks, [str(t) for t in ticks])
        highest = max([float(v) for v in observed[1]] + [float(v) for v in (published[1] if published else [])] + [1.0])
        ax.set_ylim(0, highest * 1.18)  # headroom for the value labels above the points
        ax.set_ylabel(label("rate_axis", lang))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=4, fontsize=7.5)
        alt = title + ": " + "; ".join(f"{x} {v:.2f}%" for x, v in zip(observed[0], observed[1]))
        return render(fig, alt)
