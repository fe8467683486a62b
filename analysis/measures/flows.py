"""Flows into and out of poverty, from households followed by ``household_id`` across years.

These are the movements review reports publish: households that exited poverty (thoát
nghèo), newly poor (phát sinh mới), fallen back into poverty after exiting (tái nghèo), and
the same for near-poor (thoát cận nghèo, cận nghèo phát sinh mới, tái cận nghèo).

For a review ``year`` and the review before it (``previous_year``, the latest earlier year in
the data, normally ``year - 1``), and a status S (poor or near-poor):

* ``stayed_S``: S in both years.
* ``exited_S`` (``exited_poverty`` for poor): S in the previous year, present in ``year``
  and not S. A poor household that became near-poor has exited poverty (and is also counted
  in ``poor_to_near_poor``).
* ``newly_S``: S in ``year``, present and not S in the previous year, and never S in any
  earlier year of the data.
* ``fallen_back_S``: S in ``year``, present and not S in the previous year, and S in some
  year before that.
* ``new_household_S``: S in ``year`` and absent from the previous review (new or split
  households, arrivals): reported separately, not as newly S.
* ``left_S``: S in the previous year and absent in ``year`` (moved, merged, dissolved):
  reported separately, not as exits.

So ``S = S_previous − exited_S − left_S + newly_S + fallen_back_S + new_household_S``.

The transitions between the statuses (the transition matrix of the briefs,
:mod:`analysis.measures.transitions`): ``poor_to_near_poor``, ``near_poor_to_poor``,
``poor_to_neither`` and ``near_poor_to_neither`` (exited, to neither status), and
``neither_to_poor`` and ``neither_to_near_poor`` (listed before, neither status then). So
``exited_poverty = poor_to_near_poor + poor_to_neither`` and ``newly_poor +
fallen_back_poor = near_poor_to_poor + neither_to_poor``.
"Never before" can only look as far back as the data goes: with a panel starting in 2021,
2022's newly poor include households that were poor before 2021.

A household is counted in the group of its ``year`` record (its previous record if it left).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import DataError, Problem, UsageError
from ..review import columns as c
from ..review.selection import year_and_previous
from ..review.units import Units, units_for
from .levels import By, ethnicity_order, group_keys, parse_by, province_label, sort_units, unit_labels, with_keys

#: The statuses followed, and the prefix of their columns.
FLOW_STATES: dict[str, str] = {"poor": "poor", "near_poor": "near_poor"}

#: Count columns per status, in output order.
FLOW_KINDS: tuple[str, ...] = ("stayed", "exited", "newly", "fallen_back", "new_household", "left")


def flow_columns(state: str) -> list[str]:
    """Output column names for one status (``exited_poverty`` for the poor)."""
    names = [f"{kind}_{state}" for kind in FLOW_KINDS]
    if state == "poor":
        names[1] = "exited_poverty"
    return names


def _years(panel: pd.DataFrame, year: int) -> tuple[int, list[int]]:
    if c.YEAR not in panel or c.HOUSEHOLD_ID not in panel:
        raise UsageError(f"flows need {c.HOUSEHOLD_ID!r} and {c.YEAR!r} columns")
    years = sorted(int(y) for y in pd.unique(panel[c.YEAR].dropna()))
    year, previous = year_and_previous(years, year, what="flows to count")
    return previous, [y for y in years if y < previous]


@dataclass(frozen=True)
class _Followed:
    """Households followed from the previous review to ``year``: statuses side by side."""

    now: pd.Series
    prev: pd.Series
    earlier: pd.DataFrame
    before: list[int]
    previous: int
    recent: pd.DataFrame
    members_now: np.ndarray
    members_prev: np.ndarray
    keys: list[str]
    levels: list[str]
    units: Units | None


@dataclass(frozen=True)
class Followed:
    """The households of a panel followed up to ``year``, whatever the grouping: their
    statuses year by year and their latest record. :func:`follow` computes it once, and
    :func:`poverty_flows` / :func:`movements` take it (``followed=``) for every grouping of
    the same panel and year instead of following the households again."""

    year: int
    previous: int
    before: list[int]
    status: pd.DataFrame
    members_now: np.ndarray
    members_prev: np.ndarray
    recent: pd.DataFrame  # this year's record, the previous one for households that left


def follow(classified_panel: pd.DataFrame, year: int) -> Followed:
    """Follow the households of ``classified_panel`` from the review before ``year`` to ``year``."""
    if c.STATUS not in classified_panel:
        raise UsageError("households are not classified: call classification.classify(df, standard) first")
    previous, before = _years(classified_panel, year)
    panel = classified_panel[classified_panel[c.YEAR] <= year]
    dup = panel.duplicated([c.HOUSEHOLD_ID, c.YEAR], keep=False)
    if dup.any():
        ids = panel.loc[dup, c.HOUSEHOLD_ID].astype(str).unique()[:5].tolist()
        raise DataError([Problem("households", "one record per household and year", column=c.HOUSEHOLD_ID, value=", ".join(ids))])

    placed = _statuses(panel)
    if placed is None:
        status = panel.pivot(index=c.HOUSEHOLD_ID, columns=c.YEAR, values=c.STATUS).astype("string")
    else:
        status, households = placed
    if c.MEMBERS in panel and placed is not None:
        members_now, members_prev = (_per_household(panel, households, len(status), y) for y in (year, previous))
    elif c.MEMBERS in panel:
        members = panel[panel[c.YEAR].isin([year, previous])].pivot(index=c.HOUSEHOLD_ID, columns=c.YEAR, values=c.MEMBERS).reindex(status.index)
        members_now = pd.to_numeric(members[year], errors="coerce").fillna(0).to_numpy(dtype="int64")
        members_prev = pd.to_numeric(members[previous], errors="coerce").fillna(0).to_numpy(dtype="int64")
    else:
        members_now = members_prev = np.zeros(len(status), dtype="int64")
    # Group attributes: this year's record, the previous one for households that left.
    # The rows are chosen on the two key columns and taken once: sorting and de-duplicating
    # the whole review moved every column twice.
    two = panel[panel[c.YEAR].isin([year, previous])]
    order = two[c.YEAR].reset_index(drop=True).sort_values(ascending=False, kind="mergesort").index.to_numpy()
    first = ~two[c.HOUSEHOLD_ID].take(order).duplicated().to_numpy()
    recent = two.take(order[first]).set_index(c.HOUSEHOLD_ID)
    return Followed(year=year, previous=previous, before=before, status=status, members_now=members_now, members_prev=members_prev, recent=recent)


def _statuses(panel: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Each household's status year by year (households sorted by id, one column a year: the
    frame ``panel.pivot(index=household_id, columns=year, values=status)`` as text), and each
    row's household in it, placed from one factorisation of the ids (a pivot factorised them
    for each table it made, statuses then members, and the members were reindexed by id).
    None where statuses are not categorical or an id is missing: the pivot then."""
    status = panel[c.STATUS]
    if not isinstance(status.dtype, pd.CategoricalDtype):
        return None
    households, ids = pd.factorize(panel[c.HOUSEHOLD_ID], sort=True)
    if (households < 0).any():
        return None
    years = np.sort(panel[c.YEAR].unique())
    grid = np.full((len(ids), len(years)), -1, dtype=np.int64)  # -1: no record that year
    grid[households, np.searchsorted(years, panel[c.YEAR].to_numpy())] = status.cat.codes.to_numpy()
    table = pd.DataFrame({j: pd.Categorical.from_codes(grid[:, j], dtype=status.dtype) for j in range(len(years))},
                         index=pd.Index(ids, name=c.HOUSEHOLD_ID))
    table.columns = pd.Index(years, name=c.YEAR)
    return table.astype("string"), households


def _per_household(panel: pd.DataFrame, households: np.ndarray, count: int, year: int) -> np.ndarray:
    """Each household's members in ``year`` (0 where it has no record then), in the order of
    :func:`_statuses` (``count`` households)."""
    out = np.zeros(count, dtype="int64")
    rows = (panel[c.YEAR] == year).to_numpy()
    out[households[rows]] = pd.to_numeric(panel.loc[rows, c.MEMBERS], errors="coerce").fillna(0).to_numpy(dtype="int64")
    return out


def _follow(classified_panel: pd.DataFrame, year: int, by: By, units: Units | None, followed: Followed | None = None) -> _Followed:
    if followed is None or followed.year != year:
        followed = follow(classified_panel, year)
    levels = parse_by(by)
    if "year" in levels:
        raise UsageError("flows are counted for one year; 'year' cannot be a grouping level")
    units = units or (units_for(classified_panel) if levels else None)
    status, before, previous = followed.status, followed.before, followed.previous
    keys = group_keys(levels)
    recent = with_keys(followed.recent, levels, units)
    # Only what the sums read (keys, the province's name, the ethnic groups' order): a
    # reindex of every column of the review costs more than the sums.
    recent = recent[[col for col in recent.columns if col in keys or col in (c.PROVINCE, c.ETHNICITY)]].reindex(status.index)
    return _Followed(
        now=status[year], prev=status[previous], earlier=status[before] if before else pd.DataFrame(index=status.index),
        before=before, previous=previous, recent=recent, members_now=followed.members_now, members_prev=followed.members_prev,
        keys=keys, levels=levels, units=units,
    )


def _summed(f: _Followed, counts: dict[str, np.ndarray], year: int, attrs: dict) -> pd.DataFrame:
    """Per-household values summed by unit, labelled and in reporting order."""
    present = f.now.notna().to_numpy() | f.prev.notna().to_numpy()
    # Only the households present in either review, chosen before the frame is made (not a
    # frame of every followed household filtered after).
    data = pd.DataFrame({k: np.asarray(v)[present].astype("int64") for k, v in counts.items()}, index=f.now.index[present])
    keys, levels, units = f.keys, f.levels, f.units
    if keys:
        data = pd.concat([f.recent.loc[present, keys], data], axis=1)
        out = data.groupby(keys, observed=True, dropna=False, sort=False).sum().reset_index()
    else:
        out = data.sum().to_frame().T.astype("int64")
    labelled = any(level != "year" for level in levels)  # else every row is the province
    out.insert(0, "unit", unit_labels(out, levels, "" if labelled else province_label(f.recent, units)))
    out.insert(1 + len(keys), "year", year)
    out.insert(2 + len(keys), "previous_year", f.previous)
    if keys:
        out = sort_units(out, keys, units, ethnicity_order=ethnicity_order(f.recent) if c.ETHNICITY in keys else None)
    out.attrs.update({k: v for k, v in attrs.items() if k in ("synthetic", "source")})
    return out.reset_index(drop=True)


def poverty_flows(
    classified_panel: pd.DataFrame,
    year: int,
    by: By = None,
    *,
    units: Units | None = None,
    followed: Followed | None = None,
) -> pd.DataFrame:
    """Counts of households moving into and out of poverty and near-poverty in ``year``.

    Columns: ``unit``, key columns, ``year``, ``previous_year``, ``households``,
    ``households_previous``, then for the poor ``poor_previous``, ``poor``, ``stayed_poor``,
    ``exited_poverty``, ``newly_poor``, ``fallen_back_poor``, ``new_household_poor``,
    ``left_poor``, the same for ``near_poor``, and the transitions ``poor_to_near_poor`` and
    ``near_poor_to_poor``, then ``poor_to_neither``, ``neither_to_poor``,
    ``near_poor_to_neither`` and ``neither_to_near_poor`` (*neither*: listed in both
    reviews, neither poor nor near-poor in the one named). Definitions in the module
    docstring. Counts are households. ``followed``: :func:`follow` of the same panel and year,
    when several groupings are counted.
    """
    f = _follow(classified_panel, year, by, units, followed)
    now, prev, earlier, before = f.now, f.prev, f.earlier, f.before
    present_now, present_prev = now.notna().to_numpy(), prev.notna().to_numpy()

    counts: dict[str, np.ndarray] = {
        "households": present_now,
        "households_previous": present_prev,
    }
    for state in FLOW_STATES:
        is_now = (now == state).fillna(False).to_numpy(dtype=bool)
        was = (prev == state).fillna(False).to_numpy(dtype=bool)
        ever = (earlier == state).fillna(False).any(axis=1).to_numpy(dtype=bool) if before else np.zeros(len(now), bool)
        arrived = is_now & present_prev & ~was
        stayed, exited, newly, fallen, new_hh, left = flow_columns(state)
        counts[f"{state}_previous"] = was
        counts[state] = is_now
        counts[stayed] = is_now & was
        counts[exited] = was & present_now & ~is_now
        counts[newly] = arrived & ~ever
        counts[fallen] = arrived & ever
        counts[new_hh] = is_now & ~present_prev
        counts[left] = was & ~present_now
    counts["poor_to_near_poor"] = (prev == "poor").fillna(False).to_numpy(bool) & (now == "near_poor").fillna(False).to_numpy(bool)
    counts["near_poor_to_poor"] = (prev == "near_poor").fillna(False).to_numpy(bool) & (now == "poor").fillna(False).to_numpy(bool)
    # "Neither": listed in both reviews, neither poor nor near-poor in the one named.
    listed = (now == "poor") | (now == "near_poor")
    neither_now = present_now & ~listed.fillna(False).to_numpy(bool)
    neither_prev = present_prev & ~((prev == "poor") | (prev == "near_poor")).fillna(False).to_numpy(bool)
    for state in FLOW_STATES:
        counts[f"{state}_to_neither"] = (prev == state).fillna(False).to_numpy(bool) & neither_now
        counts[f"neither_to_{state}"] = neither_prev & (now == state).fillna(False).to_numpy(bool)

    out = _summed(f, counts, year, classified_panel.attrs)
    out.attrs["count_unit"] = "households"
    return out


#: The movement table's columns, in the review form's order (see :func:`movement`).
MOVEMENT_DECREASES: tuple[str, ...] = ("decrease_to_other", "decrease_above", "decrease_other")
MOVEMENT_INCREASES: tuple[str, ...] = ("increase_from_other", "increase_fallen_back", "increase_newly", "increase_other")
MOVEMENT_COLUMNS: tuple[str, ...] = ("start", *MOVEMENT_DECREASES, *MOVEMENT_INCREASES, "end")


def movement(
    classified_panel: pd.DataFrame,
    year: int,
    state: str,
    by: By = None,
    *,
    weight: str = "households",
    units: Units | None = None,
) -> pd.DataFrame:
    """The review's movement table of one status (``poor`` or ``near_poor``) from the previous review.

    ``start`` (status S in the previous review) − decreases + increases = ``end`` (S now), with
    the other status O (near-poor for the poor, poor for the near-poor):

    * ``decrease_to_other``: S before, O now (for the poor: ``poor_to_near_poor``);
    * ``decrease_above``: S before, now above the near-poor line (exited, not to O);
    * ``decrease_other``: S before and no longer listed (``left_S``);
    * ``increase_from_other``: O before, S now;
    * ``increase_fallen_back``: ``fallen_back_S`` not coming from O;
    * ``increase_newly``: ``newly_S`` not coming from O;
    * ``increase_other``: new households (``new_household_S``).

    So ``decrease_to_other + decrease_above = exited`` and ``increase_from_other +
    increase_fallen_back + increase_newly = newly + fallen_back`` of :func:`poverty_flows`.
    ``weight="persons"`` sums members: the previous record for the start and decreases, this
    year's for the increases and the end, and the change in members of households that
    stayed S goes to the other increases (more members) or other decreases (fewer), so the
    identity holds in persons too.
    """
    return movements(classified_panel, year, by, units=units, states=(state,), weights=(weight,))[(state, weight)]


def movements(
    classified_panel: pd.DataFrame,
    year: int,
    by: By = None,
    *,
    units: Units | None = None,
    states: tuple[str, ...] = tuple(FLOW_STATES),
    weights: tuple[str, ...] = ("households", "persons"),
    followed: Followed | None = None,
) -> dict[tuple[str, str], pd.DataFrame]:
    """:func:`movement` for several statuses and weights, following the households once
    (``followed``: :func:`follow` of the same panel and year, shared by several groupings)."""
    for state in states:
        if state not in FLOW_STATES:
            raise UsageError(f"state must be one of {', '.join(FLOW_STATES)}, not {state!r}")
    for weight in weights:
        if weight not in ("households", "persons"):
            raise UsageError(f"weight must be 'households' or 'persons', not {weight!r}")
    f = _follow(classified_panel, year, by, units, followed)
    # One grouped sum for every table (their columns side by side), then split.
    counts = {f"{state}|{weight}|{col}": values for state in states for weight in weights
              for col, values in _movement_counts(f, state, weight).items()}
    summed = _summed(f, counts, year, classified_panel.attrs)
    lead = [col for col in summed.columns if col not in counts]
    out = {}
    for state in states:
        for weight in weights:
            prefix = f"{state}|{weight}|"
            table = summed[lead + [col for col in summed.columns if col.startswith(prefix)]]
            table = table.rename(columns={col: col.removeprefix(prefix) for col in table.columns if col.startswith(prefix)})
            table.attrs = {**summed.attrs, "state": state, "count_unit": weight}
            out[(state, weight)] = table
    return out


def _movement_counts(f: _Followed, state: str, weight: str) -> dict[str, np.ndarray]:
    other = "near_poor" if state == "poor" else "poor"
    now, prev = f.now, f.prev
    present_now, present_prev = now.notna().to_numpy(), prev.notna().to_numpy()
    is_now = (now == state).fillna(False).to_numpy(dtype=bool)
    was = (prev == state).fillna(False).to_numpy(dtype=bool)
    other_now = (now == other).fillna(False).to_numpy(dtype=bool)
    other_before = (prev == other).fillna(False).to_numpy(dtype=bool)
    ever = (f.earlier == state).fillna(False).any(axis=1).to_numpy(dtype=bool) if f.before else np.zeros(len(now), bool)
    arrived = is_now & present_prev & ~was
    exited = was & present_now & ~is_now
    stayed = is_now & was
    if weight == "persons":
        w_prev, w_now = f.members_prev, f.members_now
        grew = np.where(stayed, np.clip(w_now - w_prev, 0, None), 0)
        shrank = np.where(stayed, np.clip(w_prev - w_now, 0, None), 0)
    else:
        w_prev = w_now = np.ones(len(now), dtype="int64")
        grew = shrank = np.zeros(len(now), dtype="int64")
    return {
        "start": was * w_prev,
        "decrease_to_other": (exited & other_now) * w_prev,
        "decrease_above": (exited & ~other_now) * w_prev,
        "decrease_other": (was & ~present_now) * w_prev + shrank,
        "increase_from_other": (arrived & other_before) * w_now,
        "increase_fallen_back": (arrived & ever & ~other_before) * w_now,
        "increase_newly": (arrived & ~ever & ~other_before) * w_now,
        "increase_other": (is_now & ~present_prev) * w_now + grew,
        "end": is_now * w_now,
    }
