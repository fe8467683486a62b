"""What a section shows and how it renders: the :class:`Section` display type, tables of
display strings, and the small conversions the sections share."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ...review.addresses import is_web_address
from ...words import (
    fmt_int,
    fmt_num,
    fmt_signed,
    label,
)
from ...words import known as num
from .. import charts


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
    bullets: tuple[str, ...] = ()  # key messages, as a list
    boxed: bool = False  # set apart in a box (the methods)
    links: tuple[tuple[str, str], ...] = ()  # (text, relative href): files beside the brief
    #: Web sources, each (text, address): ``(label, ((text, address), …))`` lines, printed with
    #: their address in the PDF.
    sources: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def _repr_html_(self) -> str:
        e = html.escape
        anchor = f' id="{e(self.anchor)}"' if self.anchor else ""
        kind = "brief-section boxed" if self.boxed else "brief-section"
        parts = [f'<section class="{kind}"{anchor}>', f"<h2>{e(self.title)}</h2>"]
        if self.bullets:
            parts.append('<ul class="key-messages">' + "".join(f"<li>{e(b)}</li>" for b in self.bullets) + "</ul>")
        if self.kpis:
            parts.append('<div class="kpis">')
            # display:block inline too: a front end without the notebook styles still never runs
            # a figure into its label ("7.331Tổng số hộ").
            parts += [f'<div class="kpi"><span class="kpi-value" style="display:block">{e(v)}</span>'
                      f'<span class="kpi-label" style="display:block">{e(k)}</span></div>' for v, k in self.kpis]
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
        for title, found in self.sources:
            shown = [(text, url) for text, url in found if is_web_address(url)]  # never a script or a file
            if shown:
                parts.append(f'<p class="sources">{e(title)}: ' + "; ".join(
                    f'<a href="{e(url, quote=True)}" rel="noopener noreferrer">{e(text)}</a>' for text, url in shown) + "</p>")
        if self.links:
            parts.append('<p class="links">' + " · ".join(f'<a href="{e(href)}">{e(text)}</a>' for text, href in self.links) + "</p>")
        parts.append("</section>")
        return "\n".join(parts)

    def __repr__(self) -> str:
        return f"Section({self.title!r})"

_NUMBER = re.compile(r"[+\-−±]?\d[\d.,\s\u00a0\u202f]*(%|\s?điểm %|\s?pp)?|[–-]")


def table_html(table: pd.DataFrame) -> str:
    """A table of display strings as HTML; cell text is escaped.

    Alignment is written on each cell (names left, number columns right), since notebook
    front ends right-align every cell unless told otherwise; the brief's stylesheet agrees.
    """
    e = html.escape
    cells = table.astype(object).where(table.notna(), "–").astype(str)
    # An empty cell ("": nothing to show, e.g. a total row's rate) does not make a column text.
    numeric = [bool(len(cells)) and all(_NUMBER.fullmatch(v.strip()) or not v.strip() for v in cells[col])
               and not all(v.strip() in "–-" for v in cells[col])
               for col in cells.columns]
    align = ["right" if n else "left" for n in numeric]
    head = "".join(f'<th style="text-align:{a}">{e(str(col))}</th>' for col, a in zip(cells.columns, align))
    rows = "".join("<tr>" + "".join(f'<td style="text-align:{a}">{e(v)}</td>' for v, a in zip(row, align)) + "</tr>"
                   for row in cells.itertuples(index=False))
    return f'<table class="brief-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'



def rates_table(rows: pd.DataFrame, names: pd.Series, name_label: str, lang: str, *, change: bool = False) -> pd.DataFrame:
    """The standard table of counts and rates (percent, pp) for a list of units or groups."""
    columns: dict[str, list[str]] = {
        name_label: [str(n) for n in names],
        label("households", lang): [fmt_int(x, lang) for x in rows["households"]],
        label("poor_short", lang): [fmt_int(x, lang) for x in rows["poor"]],
        label("poor_rate_pct", lang): [fmt_num(num(x), lang) for x in rows["poor_rate"]],
    }
    if change:
        columns[label("change_pp_short", lang)] = [fmt_signed(num(x), lang) for x in rows["change_pp"]]
    columns[label("near_poor_short", lang)] = [fmt_int(x, lang) for x in rows["near_poor"]]
    columns[label("near_poor_rate_pct", lang)] = [fmt_num(num(x), lang) for x in rows["near_poor_rate"]]
    return pd.DataFrame(columns)


def rank_text(rank: object, lang: str) -> str:
    """A rank as a table shows it: ``3``, or the hidden-cell mark for a unit not ranked."""
    value = num(rank)
    return fmt_int(None, lang) if value is None else str(int(value))


def pct(fraction: Any) -> float | None:
    value = num(fraction)
    return None if value is None else value * 100


def verdict_ok(status: str | None) -> bool | None:
    """Whether a verdict is a pass; None for an unattainable target (neither pass nor fail)."""
    return None if status == "unattainable" else status in ("met", "exceeded")


