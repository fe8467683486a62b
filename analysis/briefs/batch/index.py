"""The batch's index page: every brief of the year with headline figures, verdict and links.

The figures come from the aggregates the briefs were built from (:func:`headline_figures`),
the words from the catalogue, the page from the ``batch/index.html.j2`` template.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from ...measures.coverage import FORMER
from ...paths import TEMPLATES_DIR
from ...review.standards import get_standard
from ...words import (
    fmt_date,
    fmt_int,
    fmt_num,
    fmt_signed,
    label,
    nfc,
    status_label,
)
from .. import brief as br
from .. import inputs as bi
from .. import narrative as nv
from ..sections import headline_figures
from .outcome import Outcome
from .plan import Unit

_WORDS = ("synthetic", "failed", "notes", "source", "standard", "review_year", "generated")
_HEAD = ("unit", "households", "poor_short", "poor_rate_pct", "change_pp_short", "verdict", "links")


@lru_cache(maxsize=1)
def _template() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR / "batch")), autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    return env.get_template("index.html.j2")


def workbook_label(lang: str) -> str:
    return label("excel_review_tables", lang)


def protection_sentence(inputs: bi.BriefInputs, lang: str) -> str:
    """What the disclosure control did (the same sentence as the briefs and the workbook)."""
    from ...measures.disclosure import sentence

    assert inputs.tables is not None and inputs.tables.protection is not None
    return sentence(inputs.tables.protection, lang)


def unit_row(inputs: bi.BriefInputs, unit: Unit, *, year: int, lang: str) -> dict[str, Any]:
    """A unit's line of the index without its links: order, name, figures and verdict, formatted.

    Kept in the brief's manifest, so a later batch that rebuilds other units lists it as built.
    """
    source = inputs.communes if unit.level == "commune" and inputs.communes is not None else inputs
    f = headline_figures(br.Brief(source, year, lang, unit.district))
    group = ""
    if unit.group == "group_districts":  # the former districts' kinds: Quận, huyện, thị xã cũ (Hà Nội)
        group = nv.district_group(br.district_kinds(inputs), lang)
    elif unit.group:
        group = label(unit.group, lang).format(Units=nv.capitalize(nv.unit_kinds(br.commune_kinds(source), lang)))
    change = "–" if f["change_pp"] is None else fmt_signed(f["change_pp"], lang)
    return {
        "slug": unit.slug,
        "order": unit.order,
        "name": unit.name,
        "group": group,
        "figures": [fmt_int(f["households"], lang), fmt_int(f["poor"], lang), fmt_num(f["poor_rate"], lang), change],
        "verdict": status_label(f["status"], lang),
        "verdict_class": "ok" if f["status"] in ("met", "exceeded") else "na" if f["status"] == "unattainable" else "bad" if f["status"] else "",
    }


def with_links(row: Mapping[str, Any], files: Sequence[str]) -> dict[str, Any]:
    """An index line with links to the files built (none: the brief failed)."""
    slug = row["slug"]
    return dict(row) | {
        "href": f"{slug}.html" if f"{slug}.html" in files else None,
        "links": [{"href": name, "text": name.rsplit(".", 1)[1].upper()} for name in files],
    }


def index_row(inputs: bi.BriefInputs, unit: Unit, outcome: Outcome | None, *, year: int, lang: str) -> dict[str, Any]:
    """One line of the index: the unit's figures, formatted, and links to what was built."""
    files = outcome.files if outcome is not None and outcome.ok else ()
    return with_links(unit_row(inputs, unit, year=year, lang=lang), files)


def index_html(
    inputs: bi.BriefInputs,
    units: Sequence[Unit],
    outcomes: Mapping[str, Outcome],
    *,
    year: int,
    lang: str,
    generated: date,
    others: Sequence[Mapping[str, Any]] = (),
    workbook: str | None = None,
) -> str:
    """The index: every brief with its headline figures and verdict, links, source, standard, year.

    ``others`` are the manifests of complete briefs already in the folder that this batch
    did not build; they are listed too, in their place.
    """
    rows = [index_row(inputs, unit, outcomes.get(unit.slug), year=year, lang=lang) for unit in units]
    planned = {unit.slug for unit in units}
    rows += [with_links(record["row"], sorted(record["files"])) for record in others if record["slug"] not in planned]
    rows.sort(key=lambda row: (row["order"], row["name"]))
    heading = ""
    for row in rows:  # a heading row where a group starts (the new division: province, communes, former districts)
        row["heading"] = row.get("group", "") if row.get("group", "") != heading else ""
        heading = row.get("group", "") or heading
    from .. import render

    std = get_standard(inputs.standard)
    standard = std.title_in(lang)
    whole = br.Brief(inputs, year, lang)
    page = _template().render(
        lang=lang,
        title=f"{label('index_title', lang)} – {whole.unit}, {year}",
        css=render.stylesheet(),
        synthetic=inputs.synthetic,
        head=[label(key, lang) for key in _HEAD],
        rows=rows,
        workbook={"href": workbook, "text": f"{workbook_label(lang)} ({workbook})"} if workbook else None,
        notes=nv.data_notes(inputs.source, standard, year, inputs.synthetic, lang, inputs.national_scale, former=whole.variant == FORMER) + ([protection_sentence(inputs, lang)] if inputs.tables is not None and inputs.tables.protection is not None else []),
        labels={key: label(key, lang) for key in _WORDS},
        source=inputs.source,
        standard=standard,
        year=year,
        generated=fmt_date(generated, lang),
    )
    return nfc(render.tidy_tables(page))
