"""The briefs' inputs on the new division: every review year by new commune.

Since 1 July 2025 the commune is the unit below the province. A commune brief shows its
unit's trend since 2021, so the old-division years are re-based onto the new units
(:func:`analysis.measures.rebase.rebase`); a unit that is not exact in a year (a split
commune's households not placed) is left out of that year and named in the notes. The
result is a :class:`~analysis.briefs.inputs.BriefInputs` whose briefing unit is the new
commune (``level="commune"``, the commune in the ``district`` column the sections read), so
every section of a district brief serves a commune brief unchanged.

No commune target is published: a commune is held to the target of the former district it
lies in (the province's when it straddles two), and the targets table says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from ..measures.breakdowns import poverty_rates
from ..measures.groups import PROVINCE_SCOPE
from ..measures.predecessors import new_communes, predecessors
from ..measures.rebase import EXACT_UNIT, FORMER_PROVINCE, rebase
from ..measures.targets import (
    COMMUNE_LEVEL,
    DISTRICT_LEVEL,
    LEVEL_COLUMN,
    annual_verdicts,
    history_from_households,
    period_assessment,
    scope_levels,
)
from ..review import columns as c
from ..review.units import NEW, NEW_DIVISION_FROM_YEAR, Units
from . import narrative as nv

if TYPE_CHECKING:
    from .inputs import BriefInputs


def commune_units(panel: pd.DataFrame) -> Units:
    """The new province and its communes present in ``panel``, communes at the briefing
    level (``district`` rows, GSO order), flagged when wholly in former poor districts."""
    ref = new_communes()
    pairs = panel[[c.PROVINCE, c.COMMUNE]].drop_duplicates().astype(str).set_axis(["new_province", "new_commune"], axis=1)
    present = ref.merge(pairs, on=["new_province", "new_commune"])  # each (province, commune): a name may be a commune of several provinces
    present = present.sort_values("new_commune_code")
    pred = predecessors()
    poor = pred.groupby("new_commune_code")["old_poor_district"].all()
    from ..review.units import national_units

    provinces = national_units(NEW)
    head = provinces[(provinces["level"] == "province") & provinces["code"].isin(present["new_province_code"].unique())]
    kinds = provinces[provinces["level"] == "commune"].set_index("code")["division_type"]
    body = pd.DataFrame({
        "level": "district",
        "code": present["new_commune_code"].to_numpy(),
        "name": present["new_commune"].to_numpy(),
        "division_type": present["new_commune_code"].map(kinds).to_numpy(),
        "parent_code": present["new_province_code"].to_numpy(),
        "poor_district": present["new_commune_code"].map(poor).fillna(False).astype(int).to_numpy(),
    })
    table = pd.concat([head[["level", "code", "name", "division_type", "parent_code"]].assign(poor_district=0), body], ignore_index=True)
    return Units(table, NEW)


def _former_district_kinds(pred: pd.DataFrame) -> dict[str, str]:
    """Each former district's division type by its name (``Huyện``, ``Thành phố``), for
    :func:`_target_why`: read once per targets table, not once per commune."""
    from ..review.units import OLD, national_units

    old = national_units(OLD)
    types = old[old["level"] == "district"].set_index("code")["division_type"]
    codes = pred.drop_duplicates("old_district").set_index("old_district")["old_district_code"]
    kinds = {}
    for name, code in codes.items():
        kind = types.get(code, "Huyện")
        kinds[str(name)] = kind if isinstance(kind, str) else "Huyện"
    return kinds


def _target_why(source: str, districts: list[str], kinds: Mapping[str, str], lang: str, former: str | None) -> str:
    """Why a commune is held to a target (the targets table's note): its former district's
    (``huyện Pác Nặm cũ``), or the province's (a former province's) when it straddles two."""

    def named(district: str) -> str:
        return nv.unit_name(district, kinds.get(district, "Huyện"), lang, former=True)

    if source != PROVINCE_SCOPE:
        return nv.fact_note("commune_target_district", lang, district=named(source))
    owner = nv.scope_text(PROVINCE_SCOPE, lang, former=former)
    return nv.fact_note("commune_target_province", lang, districts=nv.join([named(d) for d in districts], lang), owner=owner)


def commune_targets(targets: pd.DataFrame, units: Units, programme_province: str | None) -> pd.DataFrame:
    """The targets table of the commune level: the programme's rows, each commune's own row
    (``level`` commune) and, for a commune without one, its former district's target (assumed),
    or the province's when it lies in two former districts or its district has none.

    A district's row is looked up by the former district's name only: it never stands for a
    commune that bears the same name (Xã Bạch Thông is not the former Bạch Thông district), and
    it is not in the table returned."""
    pred = predecessors()
    if programme_province:
        pred = pred[pred["old_province"] == programme_province]
    levels = scope_levels(targets)
    own = targets[levels != DISTRICT_LEVEL].assign(**{LEVEL_COLUMN: levels[levels != DISTRICT_LEVEL]})
    borrowed = targets[levels != COMMUNE_LEVEL].set_index("scope")  # the programme's and the districts' rows
    have = set(own.loc[own[LEVEL_COLUMN] == COMMUNE_LEVEL, "scope"])
    kinds = _former_district_kinds(pred)
    former = programme_province if programme_province and programme_province != units.province else None
    rows = []
    for name in units.districts:
        if name in have:
            continue
        code = units.district_codes[name]  # by its code: a name may be a commune of several provinces
        districts = sorted(set(pred.loc[pred["new_commune_code"] == code, "old_district"]))
        source = districts[0] if len(districts) == 1 and districts[0] in borrowed.index else PROVINCE_SCOPE
        if source not in borrowed.index:
            continue
        row = borrowed.loc[source].to_dict()
        why_en, why_vi = (_target_why(source, districts, kinds, lang, former) for lang in ("en", "vi"))
        row.update(scope=name, note=why_en, note_vi=why_vi, assumed_from=source, **{LEVEL_COLUMN: COMMUNE_LEVEL})
        rows.append(row)
    return pd.concat([own, pd.DataFrame(rows)], ignore_index=True) if rows else own.reset_index(drop=True)


def commune_inputs(inputs: BriefInputs) -> BriefInputs:
    """``inputs`` (with households) by new commune, every year re-based onto the new units."""
    from dataclasses import replace

    panel = inputs.panel
    rebased = rebase(panel, "new")
    view = rebased.households
    old_provinces = pd.unique(view.loc[view[c.YEAR] < NEW_DIVISION_FROM_YEAR, FORMER_PROVINCE].dropna())
    programme = str(old_provinces[0]) if len(old_provinces) == 1 else None
    if programme is not None:
        view = view[view[FORMER_PROVINCE].astype("string").fillna("") == programme]
    # The briefing unit, a new commune, is keyed with its (new) province, not the old province of each household.
    view = view.drop(columns=[FORMER_PROVINCE])
    view[c.DISTRICT] = view[c.COMMUNE].where(view[EXACT_UNIT], "")
    units = commune_units(view)
    history = history_from_households(panel, units, division=NEW)
    targets = commune_targets(inputs.targets, units, programme)
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
