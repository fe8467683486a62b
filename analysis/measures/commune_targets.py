"""The new communes as units of a trend, and the targets they are held to.

Since 1 July 2025 the commune is the unit below the province. A commune's trend since 2021
comes from the old-division years re-based onto the new units (:func:`.rebase.rebase`): a
unit not exact in a year (a split commune's households not placed) is left out of that year.
The programme's province is the old province the old-division years are of; a new province
that also took other communes is not it, so only its former part is counted.

No commune target is published: a commune is held to the target of the former district it
lies in (the province's when it straddles two, or when its district has none), and the
targets table says so (``assumed_from``, and a note in each language). A commune's own row
of the targets file (``level`` commune) comes first. The briefs, the ``targets`` command and
the summary workbook all take the commune targets from here, so they judge a commune alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..review import columns as c
from ..review.unit_words import fact_note, join, unit_name
from ..review.units import NEW, NEW_DIVISION_FROM_YEAR, OLD, Units, national_units
from ..words import catalogue
from .groups import PROVINCE_SCOPE
from .predecessors import new_communes, predecessors
from .rebase import EXACT_UNIT, FORMER_PROVINCE, Rebased, rebase
from .targets import COMMUNE_LEVEL, DISTRICT_LEVEL, LEVEL_COLUMN, history_from_households, scope_levels

#: The column of a targets table naming the row whose target a scope borrows.
ASSUMED_FROM = "assumed_from"


def commune_units(panel: pd.DataFrame) -> Units:
    """The new province and its communes present in ``panel``, communes at the briefing
    level (``district`` rows, GSO order), flagged when wholly in former poor districts."""
    ref = new_communes()
    pairs = panel[[c.PROVINCE, c.COMMUNE]].drop_duplicates().astype(str).set_axis(["new_province", "new_commune"], axis=1)
    present = ref.merge(pairs, on=["new_province", "new_commune"])  # each (province, commune): a name may be a commune of several provinces
    present = present.sort_values("new_commune_code")
    pred = predecessors()
    poor = pred.groupby("new_commune_code")["old_poor_district"].all()
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


@dataclass(frozen=True)
class CommuneView:
    """Households of every year on the new communes (the commune in the ``district`` column
    where its unit is exact, "" elsewhere), the units, and the programme's province."""

    households: pd.DataFrame
    units: Units
    #: The old province the programme's targets were set for (None: the old years are of several, or none).
    programme: str | None
    rebased: Rebased


def commune_view(panel: pd.DataFrame) -> CommuneView:
    """``panel`` (classified households) by new commune, every year re-based onto the new units;
    only the programme province's former part of a new-division year."""
    rebased = rebase(panel, NEW)
    view = rebased.households
    old_provinces = pd.unique(view.loc[view[c.YEAR] < NEW_DIVISION_FROM_YEAR, FORMER_PROVINCE].dropna())
    programme = str(old_provinces[0]) if len(old_provinces) == 1 else None
    if programme is not None:
        view = view[view[FORMER_PROVINCE].astype("string").fillna("") == programme]
    # The briefing unit, a new commune, is keyed with its (new) province, not the old province of each household.
    view = view.drop(columns=[FORMER_PROVINCE])
    view[c.DISTRICT] = view[c.COMMUNE].where(view[EXACT_UNIT], "")
    return CommuneView(view, commune_units(view), programme, rebased)


def _former_district_kinds(pred: pd.DataFrame) -> dict[str, str]:
    """Each former district's division type by its name (``Huyện``, ``Thành phố``), for
    :func:`_target_why`: read once per targets table, not once per commune."""
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
        return unit_name(district, kinds.get(district, "Huyện"), lang, former=True)

    if source != PROVINCE_SCOPE:
        return fact_note("commune_target_district", lang, district=named(source))
    words = catalogue(lang)
    owner = words.text("scope_former_province", old=former) if former else words.text("scope_province")
    return fact_note("commune_target_province", lang, districts=join([named(d) for d in districts], lang), owner=owner)


def commune_targets(targets: pd.DataFrame, units: Units, programme_province: str | None) -> pd.DataFrame:
    """The targets table of the commune level: the programme's rows, each commune's own row
    (``level`` commune) and, for a commune without one, its former district's target (assumed),
    or the province's when it lies in two former districts or its district has none. An
    assumed row says whose target it is (``assumed_from``) and why (``note``, ``note_vi``).

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
        row.update(scope=name, note=why_en, note_vi=why_vi, **{ASSUMED_FROM: source, LEVEL_COLUMN: COMMUNE_LEVEL})
        rows.append(row)
    return pd.concat([own, pd.DataFrame(rows)], ignore_index=True) if rows else own.reset_index(drop=True)


def commune_history(panel: pd.DataFrame, targets: pd.DataFrame, view: CommuneView | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rate history by new commune (with the programme's scopes, :func:`.targets.history_from_households`)
    and the targets table it is judged against (:func:`commune_targets`), as the commune briefs judge it;
    ``view``: :func:`commune_view` of ``panel``, when the caller has it."""
    communes = view or commune_view(panel)
    return (history_from_households(panel, communes.units, division=NEW, rebased=communes.rebased),
            commune_targets(targets, communes.units, communes.programme))


def history_and_targets(panel: pd.DataFrame, targets: pd.DataFrame, division: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rate history of the data's scopes and the targets table they are judged against: by
    new commune on the new division (:func:`commune_history`), else the targets as given."""
    if division == NEW:
        return commune_history(panel, targets)
    return history_from_households(panel, division=division), targets
