"""The briefs' inputs on the new division: every review year by new commune.

Since 1 July 2025 the commune is the unit below the province. A commune brief shows its
unit's trend since 2021, so the old-division years are re-based onto the new units
(:func:`analysis.measures.commune_targets.commune_view`); a unit that is not exact in a year
(a split commune's households not placed) is left out of that year and named in the notes.
The result is a :class:`~analysis.briefs.inputs.BriefInputs` whose briefing unit is the new
commune (``level="commune"``, the commune in the ``district`` column the sections read), so
every section of a district brief serves a commune brief unchanged.

No commune target is published: a commune is held to the target of the former district it
lies in (the province's when it straddles two), and the targets table says so
(:func:`analysis.measures.commune_targets.commune_targets`, which the ``targets`` command and
the summary workbook use as well).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..measures.breakdowns import poverty_rates
from ..measures.commune_targets import commune_history, commune_view
from ..measures.commune_targets import commune_units as commune_units
from ..measures.targets import annual_verdicts, period_assessment
from ..review import columns as c
from ..review.units import NEW_DIVISION_FROM_YEAR

if TYPE_CHECKING:
    from .inputs import BriefInputs


def commune_inputs(inputs: BriefInputs) -> BriefInputs:
    """``inputs`` (with households) by new commune, every year re-based onto the new units."""
    from dataclasses import replace

    panel = inputs.panel
    communes = commune_view(panel)
    view, units, rebased = communes.households, communes.units, communes.rebased
    history, targets = commune_history(panel, inputs.targets, communes)
    combined = pd.concat([history, inputs.published], ignore_index=True)
    first_new = min([int(y) for y in view[c.YEAR].unique() if int(y) >= NEW_DIVISION_FROM_YEAR], default=NEW_DIVISION_FROM_YEAR)
    facts = [f for f in inputs.facts if f[0] != "note_former_district"] + [("note_rebased", {"year": first_new})]
    facts += [("note_not_exact", {"year": r["year"], "commune": r[c.COMMUNE]}) for r in rebased.inexact.to_dict("records")]
    return replace(
        inputs,
        panel=view,
        targets=targets,
        history=history,
        verdicts=annual_verdicts(combined, targets),
        period=period_assessment(combined, targets),
        district_rates=poverty_rates(view[view[c.DISTRICT] != ""], ["year", "district"], units=units),
        province_rates=poverty_rates(view, "year", units=units),
        units=units,
        tables=None,
        level="commune",
        communes=None,
        facts=tuple(facts),
    )


def not_exact(view: BriefInputs, year: int) -> list[str]:
    """The new units a year's re-basing leaves out (a split old commune's households not
    placed): they have no figures that year, so a ranking of the year counts without them."""
    return [str(p["commune"]) for key, p in view.facts if key == "note_not_exact" and int(p["year"]) == year]
