"""One geography for a trend: review years of both divisions on the same units.

Review years up to 2024 are made on the old division (province, district, commune); from
the end-2025 review on the new one (province, commune; no district). A trend needs one of
them for every year:

* :func:`with_former_geography` gives every household its **former district** (the old
  district it lay in) and whether that was a poor district: the district itself in old
  years; in new years the district of its ``former_commune``, or of its new unit when every
  old commune of that unit lay in one district. A household of a unit that straddles two
  former districts without a usable ``former_commune`` cannot be placed: it is named in
  :attr:`Geography.unplaced`, never guessed.
* :func:`rebase` puts old years onto the new units through the crosswalk. An old commune
  that went whole into one new unit moves with all its households. One split between new
  units needs each household's own geography: its new unit in a new-division year of the
  same data (households persist by ``household_id``). Households it cannot place are left
  out of every commune figure, and so is each new unit that would have received them
  (:attr:`Rebased.inexact`): a partial count is never shown as a unit's figure, and no
  household is apportioned. Province and group totals keep every household.
* ``division="old"`` (:func:`to_old_division`) puts new years back onto the old units, which
  only ``former_commune`` can do; households without it are left out of commune and
  district figures and named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..review import columns as c
from ..review.reference import FormerCommune, named_former
from .predecessors import NEW, NEW_DIVISION_FROM_YEAR, OLD, new_communes, old_communes, predecessors

FORMER_DISTRICT = "former_district"
#: The old province a household lay in (the programme 2021–2025 was set for it).
FORMER_PROVINCE = "former_province"
FORMER_COMMUNE = c.FORMER_COMMUNE
POOR_DISTRICT = "poor_district"
#: False for a household whose unit at the chosen division is not known exactly.
EXACT_UNIT = "exact_unit"

DIVISIONS = (OLD, NEW)


def _new_year(frame: pd.DataFrame) -> np.ndarray:
    return (frame[c.YEAR].to_numpy() >= NEW_DIVISION_FROM_YEAR)


def _text(values: pd.Series) -> pd.Series:
    return values.astype("string").fillna("").str.strip()


@dataclass(frozen=True)
class Geography:
    """Households with ``former_district`` and ``poor_district``, and those not placed."""

    households: pd.DataFrame
    #: One row per new unit and year with households that cannot be placed in a former
    #: district: ``year``, ``province``, ``commune``, ``households``, ``household_ids``
    #: (the first ten), ``former_districts`` (the candidates), ``reason``.
    unplaced: pd.DataFrame


def _old_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """Old-division rows' commune codes, district and poor flag, matched by names."""
    ref = old_communes()[["old_province", "old_district", "old_commune", "old_commune_code", "old_district_code", "old_poor_district"]]
    keys = frame[[c.PROVINCE, c.DISTRICT, c.COMMUNE]].astype(str).set_axis(["old_province", "old_district", "old_commune"], axis=1)
    return keys.merge(ref, how="left", on=["old_province", "old_district", "old_commune"]).set_index(frame.index)


def _new_codes(frame: pd.DataFrame) -> pd.Series:
    ref = new_communes()[["new_province", "new_commune", "new_commune_code"]]
    keys = frame[[c.PROVINCE, c.COMMUNE]].astype(str).set_axis(["new_province", "new_commune"], axis=1)
    return keys.merge(ref, how="left", on=["new_province", "new_commune"]).set_index(frame.index)["new_commune_code"]


_OLD_COLUMNS = ["old_commune", "old_commune_code", "old_district", "old_district_code", "old_province", "old_poor_district", "old_kind"]


def _named_old(pred: pd.DataFrame, code: pd.Series, former: pd.Series) -> pd.DataFrame:
    """The old commune each row's ``former_commune`` names among its new unit's predecessors,
    by the rule validation checks it with (:func:`analysis.review.reference.named_former`):
    a name two old communes of the unit share (of two districts, or of two kinds) names none
    of them (NA): it is never settled by the crosswalk's order."""
    rows: dict[int, dict[int, dict[str, Any]]] = {}
    for row in pred[["new_commune_code", *_OLD_COLUMNS]].to_dict("records"):
        rows.setdefault(int(row["new_commune_code"]), {})[int(row["old_commune_code"])] = {str(k): v for k, v in row.items()}
    pairs = pd.DataFrame({"new_commune_code": code, "_former": former}, index=former.index)
    found = []
    for unit, value in pairs.dropna(subset=["new_commune_code"]).drop_duplicates().itertuples(index=False):  # once per pair
        sources = [FormerCommune(k, str(r["old_commune"]), str(r["old_district"]), int(r["old_district_code"]), str(r["old_province"]), str(r["old_kind"]))
                   for k, r in rows.get(int(unit), {}).items()]
        named = named_former(sources, value) if value else []
        if len(named) == 1 and named[0].code is not None:
            found.append({**rows[int(unit)][named[0].code], "label": named[0].label(sources), "new_commune_code": unit, "_former": value})
    named_rows = pd.DataFrame(found, columns=["new_commune_code", "_former", *_OLD_COLUMNS, "label"]).astype(
        {"new_commune_code": pairs["new_commune_code"].dtype, "_former": pairs["_former"].dtype})
    return pairs.merge(named_rows, how="left", on=["new_commune_code", "_former"]).set_index(former.index)[[*_OLD_COLUMNS, "label"]]


def _former_of_new(frame: pd.DataFrame) -> pd.DataFrame:
    """New-division rows: old commune code, district and poor flag where they can be known."""
    code = _new_codes(frame)
    pred = predecessors()
    pred = pred[pred["new_commune_code"].isin(code.dropna().unique())]
    former = _text(frame[FORMER_COMMUNE]) if FORMER_COMMUNE in frame else pd.Series("", index=frame.index)
    by_name = _named_old(pred, code, former)
    per_unit = pred.groupby("new_commune_code").agg(
        districts=("old_district", lambda s: sorted(set(s))), poor=("old_poor_district", lambda s: sorted(set(s))),
        provinces=("old_province", lambda s: sorted(set(s))))
    one = per_unit[per_unit["districts"].map(len) == 1]
    fallback_district = code.map(one["districts"].map(lambda d: d[0]))
    uniform_poor = per_unit[per_unit["poor"].map(len) == 1]["poor"].map(lambda p: bool(p[0]))
    district = by_name["old_district"].where(by_name["old_district"].notna(), fallback_district)
    poor = by_name["old_poor_district"].where(by_name["old_poor_district"].notna(), code.map(uniform_poor))
    one_province = per_unit[per_unit["provinces"].map(len) == 1]["provinces"].map(lambda p: p[0])
    province = by_name["old_province"].where(by_name["old_province"].notna(), code.map(one_province))
    return pd.DataFrame({
        "old_commune": by_name["old_commune"],
        "former_label": by_name["label"],  # as validation writes it (the level word where two share the name)
        "old_province": province,
        FORMER_DISTRICT: district,
        POOR_DISTRICT: poor,
        "new_commune_code": code,
        "former_given": former != "",
        "candidates": code.map(per_unit["districts"]),
    }, index=frame.index)


def with_former_geography(frame: pd.DataFrame) -> Geography:
    """Every household with ``former_district`` (NA where it cannot be placed),
    ``former_province`` (NA where its unit joined communes of two old provinces and no
    ``former_commune`` says which) and a boolean ``poor_district``; households that cannot be
    placed in a former district are named."""
    out = frame.copy()
    new = _new_year(out)
    district = pd.Series(pd.NA, index=out.index, dtype="string")
    province = out[c.PROVINCE].astype("string")
    poor = pd.Series(False, index=out.index, dtype=bool)
    unplaced = pd.DataFrame(columns=["year", c.PROVINCE, c.COMMUNE, "households", "household_ids", "former_districts", "reason"])
    if (~new).any():
        old = _old_codes(out.loc[~new])
        district.loc[~new] = out.loc[~new, c.DISTRICT].astype("string")
        poor.loc[~new] = old["old_poor_district"].fillna(False).astype(bool).to_numpy()
    if new.any():
        rows = out.loc[new]
        former = _former_of_new(rows)
        district.loc[new] = former[FORMER_DISTRICT].astype("string")
        province.loc[new] = former["old_province"].astype("string")
        poor.loc[new] = former[POOR_DISTRICT].fillna(False).astype(bool).to_numpy()
        if FORMER_COMMUNE in out:
            known = former["old_commune"].notna()
            out.loc[rows.index[known.to_numpy()], FORMER_COMMUNE] = former.loc[known, "former_label"]
        missing = former[FORMER_DISTRICT].isna()
        if missing.any():
            lost = rows.loc[missing].assign(_given=former.loc[missing, "former_given"], _cand=former.loc[missing, "candidates"])
            parts = []
            for (year, prov, com), group in lost.groupby([c.YEAR, c.PROVINCE, c.COMMUNE], sort=True):
                cand = group["_cand"].iloc[0]
                given = int(group["_given"].sum())
                reason = ("no former_commune" if not given else
                          f"former_commune names no old commune of {com}" if given == len(group) else
                          f"no former_commune ({len(group) - given}) or one that names no old commune of {com} ({given})")
                parts.append({"year": int(str(year)), c.PROVINCE: prov, c.COMMUNE: com, "households": len(group),
                              "household_ids": ", ".join(group[c.HOUSEHOLD_ID].astype(str).head(10)),
                              "former_districts": ", ".join(cand) if isinstance(cand, list) else "",
                              "reason": reason})
            unplaced = pd.DataFrame(parts, columns=unplaced.columns)
    out[FORMER_DISTRICT] = district
    out[FORMER_PROVINCE] = province
    out[POOR_DISTRICT] = poor
    return Geography(out, unplaced.reset_index(drop=True))


@dataclass(frozen=True)
class Rebased:
    """Households of every year on one division's units, and what is not exact."""

    households: pd.DataFrame
    division: str
    #: Units whose figures are left out, per year: ``year``, ``province``, ``commune``
    #: (for ``old``: also ``district``), ``households`` (that could not be placed), ``reason``.
    inexact: pd.DataFrame
    #: Households that cannot be placed in a former district (see :class:`Geography`).
    unplaced: pd.DataFrame

    def exact(self) -> pd.DataFrame:
        """The households whose unit is exactly known (for commune or district figures)."""
        return self.households[self.households[EXACT_UNIT]]

    def notes(self) -> list[str]:
        """What is left out, in words (one line per unit and year)."""
        lines = [
            f"{r['year']}: {r[c.COMMUNE]} left out of unit figures, not exact on the {self.division} division "
            f"({r['households']} household(s) of {r['reason']})"
            for r in self.inexact.to_dict("records")
        ]
        return lines


def rebase(frame: pd.DataFrame, division: str | None) -> Rebased:
    """The households with every year on ``division``'s units (None: each year its own).

    Adds ``former_district``, ``poor_district``, ``former_commune`` (the old commune, for
    every household whose old commune is known) and ``exact_unit``. On the new division,
    ``district`` is empty for every year.
    """
    if division is not None and division not in DIVISIONS:
        raise UsageError(f"unknown division {division!r}; expected one of: {', '.join(DIVISIONS)}")
    geo = with_former_geography(frame)
    out = geo.households
    if FORMER_COMMUNE not in out:
        out[FORMER_COMMUNE] = pd.Series(pd.NA, index=out.index, dtype="string")
    out[FORMER_COMMUNE] = out[FORMER_COMMUNE].astype("string")
    out[EXACT_UNIT] = True
    new = _new_year(out)
    old_rows = ~new
    out.loc[old_rows, FORMER_COMMUNE] = out.loc[old_rows, c.COMMUNE].astype("string")
    empty = pd.DataFrame(columns=["year", c.PROVINCE, c.COMMUNE, "households", "reason"])
    if division == NEW:
        out.loc[new, c.DISTRICT] = ""
    if division == NEW and old_rows.any():
        out, inexact = _old_to_new(out, old_rows)
    elif division == OLD and new.any():
        out, inexact = _new_to_old(out, new)
    else:
        inexact = empty
    return Rebased(out, division or "own", inexact.reset_index(drop=True), geo.unplaced)


def _old_to_new(out: pd.DataFrame, old_rows: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = out.loc[old_rows]
    codes = _old_codes(rows)["old_commune_code"]
    pred = predecessors()
    whole = pred[pred["targets"] == 1].set_index("old_commune_code")
    target = codes.map(whole["new_commune_code"])
    # Split old communes: each household's own new unit, from a new-division year of the data.
    split = target.isna() & codes.isin(pred.loc[pred["targets"] > 1, "old_commune_code"])
    if split.any():
        later = out.loc[~old_rows]
        later_code = _new_codes(later) if len(later) else pd.Series(dtype="float64")
        seen = pd.DataFrame({"hid": later[c.HOUSEHOLD_ID].astype(str), "code": later_code}).dropna()
        own_code = seen.drop_duplicates("hid", keep="last").set_index("hid")["code"]
        own = rows.loc[split, c.HOUSEHOLD_ID].astype(str).map(own_code)
        allowed = set(zip(pred["old_commune_code"], pred["new_commune_code"]))
        ok = [(o, n) in allowed for o, n in zip(codes[split], own)]
        target.loc[split[split].index[ok]] = own[ok]
    names = new_communes().set_index("new_commune_code")
    placed = target.notna()
    out.loc[rows.index, c.DISTRICT] = ""
    out.loc[rows.index[placed.to_numpy()], c.COMMUNE] = target[placed].map(names["new_commune"]).to_numpy()
    out.loc[rows.index[placed.to_numpy()], c.PROVINCE] = target[placed].map(names["new_province"]).to_numpy()
    lost = rows.index[~placed.to_numpy()]
    parts = []
    if len(lost):
        lost_codes = codes.loc[lost]
        for code, idx in lost_codes.groupby(lost_codes, dropna=False).groups.items():
            goes = pred[pred["old_commune_code"] == code]
            old_name = str(rows.loc[idx[0], c.COMMUNE])
            provinces = goes["new_province"].unique()
            out.loc[idx, c.COMMUNE] = ""
            if len(provinces) == 1:
                out.loc[idx, c.PROVINCE] = provinces[0]
            for year, n in rows.loc[idx, c.YEAR].value_counts().sort_index().items():
                reason = (f"{old_name} ({rows.loc[idx[0], c.DISTRICT]}), split between {', '.join(goes['new_commune'])} "
                          "and not placed by a later review of the same household") if len(goes) else f"{old_name}, not in the crosswalk"
                for _, g in goes.iterrows():
                    parts.append({"year": int(year), c.PROVINCE: g["new_province"], c.COMMUNE: g["new_commune"], "households": int(n), "reason": reason})
        out.loc[lost, EXACT_UNIT] = False
    inexact = pd.DataFrame(parts, columns=["year", c.PROVINCE, c.COMMUNE, "households", "reason"])
    if len(inexact):
        inexact = inexact.groupby(["year", c.PROVINCE, c.COMMUNE], as_index=False, sort=True).agg(
            households=("households", "sum"), reason=("reason", lambda s: "; ".join(dict.fromkeys(s))))
        flag = pd.MultiIndex.from_frame(inexact[["year", c.PROVINCE, c.COMMUNE]].astype({"year": "int64"}))
        here = pd.MultiIndex.from_frame(out[[c.YEAR, c.PROVINCE, c.COMMUNE]].astype({c.YEAR: "int64"}))
        out.loc[here.isin(flag), EXACT_UNIT] = False
    return out, inexact


def _new_to_old(out: pd.DataFrame, new: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = out.loc[new]
    former = _former_of_new(rows)  # the old commune its former_commune names (as the old units table names it)
    known = former["old_commune"].notna() & rows[FORMER_DISTRICT].notna()
    idx = rows.index[known.to_numpy()]
    out.loc[idx, c.PROVINCE] = former.loc[idx, "old_province"].to_numpy()
    out.loc[idx, c.DISTRICT] = rows.loc[idx, FORMER_DISTRICT].astype(str)
    out.loc[idx, c.COMMUNE] = former.loc[idx, "old_commune"].astype(str)
    lost = rows.loc[~known.to_numpy()]
    out.loc[lost.index, [c.DISTRICT, c.COMMUNE]] = ""
    out.loc[lost.index, EXACT_UNIT] = False
    inexact = (lost.groupby([c.YEAR, c.PROVINCE, c.COMMUNE], as_index=False).size()
               .rename(columns={c.YEAR: "year", "size": "households"})
               .assign(reason=lambda t: "households without a former_commune in " + t[c.COMMUNE].astype(str)))
    return out, inexact
