"""Targets for the fall of the poor-household rate, annual verdicts and projections.

Targets are annual falls of the poor-household rate in percentage points (pp), as the
province sets them (2–2.5 pp a year for the province, 3.5–4 for the poor districts, more
than 3 for ethnic-minority households in the 2022 plan). Rates are percent of households.

A *scope* is a label joining ``data/targets.csv`` to a history of rates. History computed
from household data uses ``province``, each district's name, ``poor districts`` (pooled)
and ``ethnic minority households``; the published province series is ``province
(published)``; a history CSV may use labels of its own.

A unit's row is matched at its *level* as well as by its name: since 2025 a new commune may
bear the name of a former district (Xã Bạch Thông), and a district's target must never judge
it. The optional ``level`` column (of a targets file, and of a history) says ``district`` or
``commune``; a unit's row without it is a district's (the targets of the 2021–2025 programme
were set on the old division), and the programme's scopes have no level.

Verdicts use the words of review reports: a fall greater than the high end is
``exceeded`` (vượt mục tiêu); from low to high inclusive ``met`` (đạt); below low
``not_met`` (không đạt). Without a high end ("more than 3"), a fall greater than low is
``met``. A fall between two observations years apart is annualised over the gap.

A target whose required fall exceeds the rate itself — the low-end pace over the target's
years (or over one gap) is more than the rate it starts from, as for a city at 2.83%
against 2 pp a year over four years — cannot be met even by ending poverty. A fall short of
such a target is ``unattainable`` (không khả thi), never ``not_met``: the unit did not
fail, the target did not fit it. A fall that does meet it keeps ``met`` or ``exceeded``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import DataError, Problem, UsageError
from ..paths import PUBLISHED_FIGURES, TARGETS_PATH
from ..review import columns as c
from ..review.addresses import bad_addresses
from ..review.units import Units, clean_text, name_key, units_for
from .groups import ETHNIC_MINORITY_SCOPE, POOR_DISTRICTS_SCOPE, PROVINCE_SCOPE

if TYPE_CHECKING:
    from .rebase import Rebased

PathLike = str | Path

EXCEEDED, MET, NOT_MET, UNATTAINABLE = "exceeded", "met", "not_met", "unattainable"
#: Every verdict, best first.
STATUSES = (EXCEEDED, MET, NOT_MET, UNATTAINABLE)

#: The unit of every numeric output column (pp = percentage points, % = percent of households).
UNITS: dict[str, str] = {
    "poor_rate": "% of households",
    "reduction_pp": "pp a year",
    "target_low_pp": "pp a year",
    "target_high_pp": "pp a year",
    "baseline_rate": "% of households",
    "latest_rate": "% of households",
    "average_reduction_pp": "pp a year",
    "projected_rate_low": "% of households",
    "projected_rate_high": "% of households",
    "projected_rate_observed": "% of households",
    "target_rate_low": "% of households",
    "required_reduction_pp": "pp a year",
    "households_basis": "households",
    "households_to_exit_per_year": "households a year",
}

PUBLISHED_PROVINCE_SCOPE = "province (published)"
#: Optional column of data/targets.csv and data/published.csv: the province a row belongs to
#: (empty: any province). A file of another province gets only its own rows.
PROVINCE_COLUMN = "province"
TARGET_COLUMNS: tuple[str, ...] = ("scope", "baseline_year", "end_year", "reduction_low_pp", "reduction_high_pp")
#: Optional column of a targets table or history: the level of a unit's row (see the module docstring).
LEVEL_COLUMN = "level"
DISTRICT_LEVEL, COMMUNE_LEVEL = "district", "commune"
#: The scopes of the programme as a whole: matched by name alone, at every level.
PROGRAMME_SCOPES = frozenset({PROVINCE_SCOPE, PUBLISHED_PROVINCE_SCOPE, POOR_DISTRICTS_SCOPE, ETHNIC_MINORITY_SCOPE})
#: Shown where a targets file gives no source (the column is information, not required).
SOURCE_NOT_GIVEN = {"source": "source not given", "source_vi": "không ghi nguồn"}
HISTORY_COLUMNS: tuple[str, ...] = ("scope", "year", "poor_rate")
BASELINES = ("programme", "review")

_EPS = 1e-9


# --- reading tables ---------------------------------------------------------------------


def _read_csv(path: PathLike, required: tuple[str, ...]) -> pd.DataFrame:
    """A user CSV read as text, with spreadsheet row numbers (header = row 1) as index."""
    path = Path(path)
    if not path.is_file():
        raise DataError([Problem(str(path), "an existing CSV file")])
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skip_blank_lines=True)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise DataError([Problem(str(path), f"a UTF-8 CSV file with a header row ({err.__class__.__name__})")]) from None
    table.columns = [clean_text(col).lower() for col in table.columns]
    missing = [col for col in required if col not in table.columns]
    if missing:
        raise DataError([Problem(str(path), f"a column named '{col}' (found: {', '.join(table.columns)})", column=col) for col in missing])
    table = table.apply(lambda s: s.map(clean_text))
    table.index = pd.RangeIndex(2, len(table) + 2)
    return table


def _numbers(table: pd.DataFrame, column: str, file: str, problems: list[Problem], *, required: bool, integer: bool, low: float | None = None, high: float | None = None, what: str) -> pd.Series:
    """Parse one column to numbers, recording a problem per bad cell (decimal comma accepted)."""
    text = table[column].str.replace(",", ".", regex=False)
    values = pd.to_numeric(text, errors="coerce")
    empty = text.str.strip() == ""
    bad = values.isna() & ~empty
    if required:
        bad |= empty
    if integer:
        bad |= values.notna() & (values % 1 != 0)
    if low is not None:
        bad |= values < low
    if high is not None:
        bad |= values > high
    for row in table.index[bad]:
        problems.append(Problem(file, what, row=int(row), column=column, value=table.at[row, column]))
    return values


def scope_levels(rows: pd.DataFrame) -> pd.Series:
    """Each row's level (targets or history): its ``level`` cell where filled in, else none ("")
    for the programme's scopes and ``district`` for a unit's name."""
    default = rows["scope"].map(lambda scope: "" if scope in PROGRAMME_SCOPES else DISTRICT_LEVEL).astype(object)
    if LEVEL_COLUMN not in rows:
        return default
    given = rows[LEVEL_COLUMN].astype(object).where(rows[LEVEL_COLUMN].notna(), "").map(str).str.strip()
    return given.where(given != "", default)


_KEY = "_scope_key"


def _keys(rows: pd.DataFrame) -> pd.Series:
    """What joins a history row to its target: the scope's name at its level."""
    return rows["scope"].astype(str) + "\x1f" + scope_levels(rows)


def load_targets(path: PathLike = TARGETS_PATH) -> pd.DataFrame:
    """The targets table, validated: one row per scope, falls in pp a year.

    Columns ``scope``, ``baseline_year``, ``end_year``, ``reduction_low_pp``,
    ``reduction_high_pp`` (NaN for "more than low"), ``source`` (optional: "source not given"
    where it is missing or empty), ``source_url`` (optional: the source's web addresses,
    separated by spaces, which briefs link; empty where not known), ``level`` (optional:
    ``district`` or ``commune`` for a unit's row, empty for a district's; see the module
    docstring) and any others (``note``; ``assumed_from``: the scope whose
    target a row borrows when the unit has none of its own, which briefs name as assumed).
    """
    file = str(path)
    table = _read_csv(path, TARGET_COLUMNS)
    problems: list[Problem] = []
    for row in table.index[table["scope"] == ""]:
        problems.append(Problem(file, "a scope label", row=int(row), column="scope", value=""))
    base = _numbers(table, "baseline_year", file, problems, required=True, integer=True, low=1990, high=2100, what="a year such as 2021")
    end = _numbers(table, "end_year", file, problems, required=True, integer=True, low=1990, high=2100, what="a year such as 2025")
    low = _numbers(table, "reduction_low_pp", file, problems, required=True, integer=False, low=0, high=100, what="a fall in pp a year between 0 and 100")
    high = _numbers(table, "reduction_high_pp", file, problems, required=False, integer=False, low=0, high=100, what="empty or a fall in pp a year between 0 and 100")
    for row in table.index[(end <= base).fillna(False)]:
        problems.append(Problem(file, f"an end year after the baseline year {table.at[row, 'baseline_year']!s}", row=int(row), column="end_year", value=table.at[row, "end_year"]))
    for row in table.index[(high < low).fillna(False)]:
        problems.append(Problem(file, f"a high end at least the low end {table.at[row, 'reduction_low_pp']!s}", row=int(row), column="reduction_high_pp", value=table.at[row, "reduction_high_pp"]))
    if LEVEL_COLUMN in table:  # a unit's row at its level; the programme's scopes have none
        given = table[LEVEL_COLUMN].str.lower()
        programme = table["scope"].isin(PROGRAMME_SCOPES)
        for row in table.index[(given != "") & (programme | ~given.isin((DISTRICT_LEVEL, COMMUNE_LEVEL)))]:
            expected = "empty (the programme's scopes have no level)" if programme[row] else f"empty, '{DISTRICT_LEVEL}' or '{COMMUNE_LEVEL}'"
            problems.append(Problem(file, expected, row=int(row), column=LEVEL_COLUMN, value=table.at[row, LEVEL_COLUMN]))
        table[LEVEL_COLUMN] = given
    within = [col for col in (PROVINCE_COLUMN, "scope") if col in table]
    keyed = table[within].apply(lambda col: col.map(name_key)).assign(level=scope_levels(table))
    what = "one row per scope" + (" and province" if PROVINCE_COLUMN in table else "") + (" and level" if LEVEL_COLUMN in table else "")
    for row in table.index[keyed.duplicated() & (table["scope"] != "")]:
        problems.append(Problem(file, what, row=int(row), column="scope", value=table.at[row, "scope"]))
    if "assumed_from" in table:  # a target borrowed from another row: that row must exist
        known = set(table["scope"])
        for row in table.index[(table["assumed_from"] != "") & ~table["assumed_from"].isin(known)]:
            problems.append(Problem(file, f"empty or the scope of another row ({', '.join(sorted(known))})", row=int(row),
                                    column="assumed_from", value=table.at[row, "assumed_from"]))
    if "source_url" in table:  # links in the briefs: web addresses only
        for row in table.index:
            for part in bad_addresses(table.at[row, "source_url"])[:1]:
                problems.append(Problem(file, "empty or web addresses starting with https:// (several separated by spaces)", row=int(row),
                                        column="source_url", value=part))
    if problems:
        raise DataError(problems)
    out = table.assign(baseline_year=base.astype("int64"), end_year=end.astype("int64"), reduction_low_pp=low.astype(float), reduction_high_pp=high.astype(float))
    for column, text in SOURCE_NOT_GIVEN.items():
        if column not in out.columns:
            out[column] = "" if column == "source_vi" and "source" in table.columns else text
    out["source"] = out["source"].where(out["source"].str.strip() != "", SOURCE_NOT_GIVEN["source"])
    if "source_url" not in out:
        out["source_url"] = ""
    return out.reset_index(drop=True)


def load_history(path: PathLike) -> pd.DataFrame:
    """A history of poor-household rates from a CSV: ``scope``, ``year``, ``poor_rate`` (%),
    optionally ``households`` and ``poor``; validated, sorted by scope (as first seen) and year."""
    file = str(path)
    table = _read_csv(path, HISTORY_COLUMNS)
    problems: list[Problem] = []
    for row in table.index[table["scope"] == ""]:
        problems.append(Problem(file, "a scope label", row=int(row), column="scope", value=""))
    year = _numbers(table, "year", file, problems, required=True, integer=True, low=1990, high=2100, what="a year such as 2022")
    rate = _numbers(table, "poor_rate", file, problems, required=True, integer=False, low=0, high=100, what="a rate in percent between 0 and 100")
    out = table.assign(year=year, poor_rate=rate)
    for col in ("households", "poor"):
        if col in table:
            out[col] = _numbers(table, col, file, problems, required=False, integer=True, low=0 if col == "poor" else 1, what="empty or a whole number of households")
    if "households" in out and "poor" in out:
        for row in table.index[(out["poor"] > out["households"]).fillna(False)]:
            problems.append(Problem(file, "no more poor than households", row=int(row), column="poor", value=table.at[row, "poor"]))
    dup = table.duplicated(["scope", "year"]) & year.notna()
    for row in table.index[dup]:
        problems.append(Problem(file, f"one row per scope and year ({table.at[row, 'scope']!s} {table.at[row, 'year']!s} repeats)", row=int(row), column="year", value=table.at[row, "year"]))
    if problems:
        raise DataError(problems)
    out["year"] = out["year"].astype("int64")
    for col in ("households", "poor"):
        if col in out:
            out[col] = out[col].astype("Int64")
    return _sorted_history(out.reset_index(drop=True))


def _sorted_history(history: pd.DataFrame) -> pd.DataFrame:
    order = {s: i for i, s in enumerate(pd.unique(history["scope"]))}
    return history.sort_values(["scope", "year"], key=lambda s: s.map(order) if s.name == "scope" else s, kind="mergesort").reset_index(drop=True)


# --- histories --------------------------------------------------------------------------


def history_from_households(classified_panel: pd.DataFrame, units: Units | None = None, *, division: str | None = None,
                            rebased: Rebased | None = None) -> pd.DataFrame:
    """Poor-household rates per scope and every year in the data.

    Scopes: ``province``, ``poor districts`` (pooled), ``ethnic minority households`` and
    each district (GSO order), or with ``division="new"`` each new unit (its series re-based
    from the first year, see :mod:`.rebase`). Columns ``scope``, ``year``, ``poor_rate`` (%),
    ``households``, ``poor``, ``source`` (marked synthetic when the data is).

    Review years on the new division (from 2025) have no districts: their households are
    counted in their **former** district and province. The programme's scopes keep the
    province the targets were set for: when the old-division years are of one province, the
    new-division years count only its former part (a new province that also took other
    communes is not the programme's province), and ``attrs['notes']`` says so. A district
    whose year has households that cannot be placed in a former district is left out of that
    year, and named in the notes.

    ``rebased``: ``rebase(classified_panel, division)``, when the caller has it (re-basing
    a review costs more than its history).
    """
    from .breakdowns import poverty_rates
    from .predecessors import NEW_DIVISION_FROM_YEAR
    from .rebase import EXACT_UNIT, FORMER_DISTRICT, FORMER_PROVINCE, rebase

    units = units or units_for(classified_panel)
    panel = classified_panel
    notes: list[str] = []
    new_years = panel[c.YEAR] >= NEW_DIVISION_FROM_YEAR
    district_col = c.DISTRICT
    if new_years.any() or division is not None:
        based = rebased if rebased is not None and rebased.division == (division or "own") else rebase(panel, division)
        panel, district_col = based.households, FORMER_DISTRICT
        old_provinces = pd.unique(panel.loc[panel[c.YEAR] < NEW_DIVISION_FROM_YEAR, FORMER_PROVINCE].dropna())
        later = panel[c.YEAR] >= NEW_DIVISION_FROM_YEAR
        if len(old_provinces) == 1 and later.any():
            former = str(old_provinces[0])
            outside = later & (panel[FORMER_PROVINCE].astype("string").fillna("") != former)
            kept = panel[later & ~outside]
            for row in kept.groupby([c.YEAR, c.PROVINCE], as_index=False).size().to_dict("records"):
                notes.append(f"{row[c.YEAR]}: 'province' and the groups are the former {former} part of {row[c.PROVINCE]} ({int(row['size']):,} households)")
            if outside.any():
                notes.append(f"{int(outside.sum()):,} household(s) of new-division years outside the former {former} left out of the programme's scopes")
            panel = panel[~outside]
        for r in based.unplaced.to_dict("records"):
            notes.append(f"{r['year']}: {r['households']} household(s) of {r[c.COMMUNE]} cannot be placed in a former district "
                         f"({r['former_districts']}): {r['reason']}; {r['former_districts']} left out of {r['year']}")
    cols = ["year", "poor_rate", "households", "poor"]
    province = poverty_rates(panel, "year", units=units)[cols].assign(scope=PROVINCE_SCOPE)
    poor_d = poverty_rates(panel, ["year", "poor_district"], units=units)
    poor_d = poor_d[poor_d["poor_district"]][cols].assign(scope=POOR_DISTRICTS_SCOPE)
    minority = poverty_rates(panel, ["year", "ethnic_minority"], units=units)
    minority = minority[minority["ethnic_minority"]][cols].assign(scope=ETHNIC_MINORITY_SCOPE)
    if division == "new":
        exact = panel[panel[EXACT_UNIT]]
        local = poverty_rates(exact, ["commune", "year"], units=units).assign(scope=lambda t: t["unit"])[["scope"] + cols]  # a repeated name with its province
        notes += [f"{r['year']}: {r[c.COMMUNE]} left out (not exact on the new division: {r['reason']})" for r in based.inexact.to_dict("records")]
    else:
        level = "district" if district_col == c.DISTRICT else "former_district"
        placed = panel[panel[district_col].notna()]
        local = poverty_rates(placed, [level, "year"], units=units).assign(scope=lambda t: t["unit"])[["scope"] + cols]  # a repeated name with its province
        if district_col == FORMER_DISTRICT and len(based.unplaced):
            lost = {(int(r["year"]), d.strip()) for r in based.unplaced.to_dict("records") for d in str(r["former_districts"]).split(",")}
            local = local[[(int(y), str(s)) not in lost for y, s in zip(local["year"], local["scope"])]]
    local = local.assign(**{LEVEL_COLUMN: COMMUNE_LEVEL if division == "new" else DISTRICT_LEVEL})
    history = pd.concat([province, poor_d, minority, local], ignore_index=True)[["scope"] + cols + [LEVEL_COLUMN]]
    history[LEVEL_COLUMN] = history[LEVEL_COLUMN].fillna("")
    synthetic = bool(classified_panel.attrs.get("synthetic"))
    source = classified_panel.attrs.get("source") or "household data"
    history["source"] = f"{source} (synthetic)" if synthetic and "synthetic" not in str(source).lower() else str(source)
    history = history.astype({"year": "int64", "households": "Int64", "poor": "Int64"})
    history = _sorted_history(history)
    history.attrs["synthetic"] = synthetic
    history.attrs["notes"] = notes
    return history


def applies_to(rows: pd.DataFrame, provinces: Iterable[str] | None) -> pd.Series:
    """Which rows of a targets or published table belong to the data's provinces: a row whose
    ``province`` column is empty (or absent) applies to any; ``provinces`` None: every row."""
    if provinces is None or PROVINCE_COLUMN not in rows:
        return pd.Series(True, index=rows.index)
    keys = {name_key(p) for p in provinces}
    named = rows[PROVINCE_COLUMN].fillna("").astype(str)
    return (named.str.strip() == "") | named.map(name_key).isin(keys)


def targets_for(targets: pd.DataFrame, provinces: Iterable[str] | None) -> pd.DataFrame:
    """The targets that apply to data of ``provinces`` (see :func:`applies_to`)."""
    return targets[applies_to(targets, provinces)].reset_index(drop=True)


def published_province_figures(standard: str, path: PathLike = PUBLISHED_FIGURES, *, provinces: Iterable[str] | None = None) -> pd.DataFrame:
    """The province's published figures under one standard (``year, measure, value, note, source``),
    only those of ``provinces`` when given (the ``province`` column of ``data/published.csv``)."""
    figures = pd.read_csv(path, encoding="utf-8-sig")
    figures = figures[applies_to(figures, provinces)]
    return figures[(figures["scope"] == "province") & (figures["standard"] == standard)]


def published_history(baseline: str = "programme", path: PathLike = PUBLISHED_FIGURES, *, scope: str = PUBLISHED_PROVINCE_SCOPE, provinces: Iterable[str] | None = None) -> pd.DataFrame:
    """The province's published Decree-07 poor-household rates as a history.

    The first point is the baseline: ``"programme"`` (default) is the programme baseline
    the province reports its progress from (``poor_rate_programme_baseline`` in the file);
    ``"review"`` is the approved end-of-year review of that year. For Bắc Kạn the two differ
    and no source explains why (see data/published.csv). Households are not
    published for these years, so ``households`` is empty. With ``provinces``, only the
    figures of those provinces (none for a province the file has no figures of).
    """
    if baseline not in BASELINES:
        raise UsageError(f"baseline must be one of {', '.join(BASELINES)}, not {baseline!r}")
    d07 = published_province_figures("decree-07-2021", path, provinces=provinces)
    rates = d07[d07["measure"] == "poor_rate"].set_index("year")
    programme = d07[d07["measure"] == "poor_rate_programme_baseline"].set_index("year")
    if baseline == "programme":  # the programme's baseline replaces the review of its year
        rates = pd.concat([programme, rates.drop(index=programme.index, errors="ignore")])
    rates = rates.sort_index()
    poor = d07[d07["measure"] == "poor"].set_index("year")["value"]
    out = pd.DataFrame(
        {
            "scope": scope,
            "year": rates.index.astype("int64"),
            "poor_rate": rates["value"].astype(float).to_numpy(),
            "households": pd.array([pd.NA] * len(rates), dtype="Int64"),
            "poor": pd.array([int(poor[y]) if (y in poor.index and not (baseline == "programme" and y in programme.index)) else pd.NA for y in rates.index], dtype="Int64"),
            "source": rates["source"].to_numpy(),
        }
    )
    out.attrs["baseline"] = baseline
    return out.reset_index(drop=True)


# --- verdicts ---------------------------------------------------------------------------


def verdict(reduction_pp: np.ndarray | pd.Series | float, low: np.ndarray | pd.Series | float, high: np.ndarray | pd.Series | float) -> np.ndarray:
    """``exceeded`` / ``met`` / ``not_met`` for annual falls (pp) against a target band.

    Greater than high: exceeded; low to high inclusive: met; below low: not met. Without a
    high end (NaN), greater than low: met. NaN falls or lows give None.
    """
    r, lo, hi = (np.asarray(x, dtype=float) for x in np.broadcast_arrays(reduction_pp, low, high))
    has_high = ~np.isnan(hi)
    with np.errstate(invalid="ignore"):
        choice = np.select(
            [
                np.isnan(r) | np.isnan(lo),
                has_high & (r > hi + _EPS),
                has_high & (r >= lo - _EPS),
                ~has_high & (r > lo + _EPS),
            ],
            [0, 1, 2, 2],
            default=3,
        )
    labels = np.array([None, EXCEEDED, MET, NOT_MET], dtype=object)
    return labels[choice.ravel()].reshape(choice.shape)


#: Where a verdict's target comes from, carried into the verdicts (columns of the targets
#: table, renamed): the scope whose target it borrows and why, in English and Vietnamese.
ORIGIN_COLUMNS: dict[str, str] = {"assumed_from": "assumed_from", "note": "target_note", "note_vi": "target_note_vi"}


def _target_frame(targets: pd.DataFrame) -> pd.DataFrame:
    t = targets[["scope", "baseline_year", "end_year", "reduction_low_pp", "reduction_high_pp"]]
    t = t.rename(columns={"reduction_low_pp": "target_low_pp", "reduction_high_pp": "target_high_pp"})
    origin = {out: _text_column(targets, col) for col, out in ORIGIN_COLUMNS.items()}
    return t.assign(**origin, **{_KEY: _keys(targets)})


def _text_column(table: pd.DataFrame, column: str) -> pd.Series:
    """A text column of a targets table, "" where it is missing or empty."""
    if column not in table:
        return pd.Series("", index=table.index, dtype=object)
    return table[column].astype(object).where(table[column].notna(), "").map(str)


def _check_history(history: pd.DataFrame) -> pd.DataFrame:
    missing = [col for col in HISTORY_COLUMNS if col not in history]
    if missing:
        raise UsageError(f"a history needs the columns {', '.join(HISTORY_COLUMNS)} (missing: {', '.join(missing)})")
    if history.duplicated(["scope", "year"]).any():
        dup = history.loc[history.duplicated(["scope", "year"]), ["scope", "year"]].iloc[0]
        raise UsageError(f"the history has two rates for {dup['scope']} {dup['year']}")
    return _sorted_history(history)


def annual_verdicts(history: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year falls and their verdicts, per scope.

    Columns: ``scope``, ``year``, ``poor_rate`` (%), ``previous_year``, ``years`` (gap),
    ``reduction_pp`` (fall from the previous observation, pp a year, annualised over the
    gap; negative = rise), ``target_low_pp``, ``target_high_pp``, ``status``, ``note``, and
    where the target comes from: ``assumed_from`` (the scope whose target it borrows, "" for
    its own) and ``target_note``, ``target_note_vi`` (the targets table's ``note``: why).
    A verdict is given for years after the target's baseline up to its end year; a scope
    without a target gets none. When the previous rate is below the low-end fall, the target
    cannot be met even by reaching zero; the note says so.
    """
    h = _check_history(history)
    prev_year = h.groupby("scope", sort=False)["year"].shift()
    prev_rate = h.groupby("scope", sort=False)["poor_rate"].shift()
    gap = h["year"] - prev_year
    out = h[["scope", "year", "poor_rate"]].assign(previous_year=prev_year.astype("Int64"), years=gap.astype("Int64"))
    out["reduction_pp"] = (prev_rate - h["poor_rate"]) / gap
    out[_KEY] = _keys(h)  # the scope at its level: a district's target never judges a commune of its name
    out = out.merge(_target_frame(targets).drop(columns="scope"), on=_KEY, how="left")
    in_period = (out["previous_year"].astype(float) >= out["baseline_year"]) & (out["year"] <= out["end_year"])
    status = verdict(out["reduction_pp"], out["target_low_pp"].where(in_period), out["target_high_pp"])
    base_rate = out[_KEY].map(_baseline_rates(h, targets))
    out_of_reach = (base_rate < out["target_low_pp"] * (out["end_year"] - out["baseline_year"]) - _EPS) | (
        prev_rate.to_numpy() < out["target_low_pp"] * gap - _EPS)
    status = np.where((status == NOT_MET) & out_of_reach.fillna(False).to_numpy(dtype=bool), UNATTAINABLE, status)
    out["status"] = pd.Series([s if keep else None for s, keep in zip(status, in_period.to_numpy())], index=out.index, dtype=object)
    notes = pd.Series("", index=out.index, dtype=object)
    has_target = out["target_low_pp"].notna()
    notes[~has_target] = "no target for this scope"
    annualised = gap > 1
    notes[annualised] = notes[annualised] + np.where(notes[annualised] != "", "; ", "") + [f"fall annualised over {int(g)} years" for g in gap[annualised]]
    impossible = in_period & (prev_rate.to_numpy() < out["target_low_pp"] * gap)
    sep = np.where(notes[impossible] != "", "; ", "")
    notes[impossible] = notes[impossible] + sep + [
        f"target impossible: from {r:.2f}% a fall of {lo:g} pp a year would go below zero" for r, lo in zip(prev_rate[impossible], out.loc[impossible, "target_low_pp"])
    ]
    out["note"] = notes
    for column in ORIGIN_COLUMNS.values():
        out[column] = out[column].where(out[column].notna(), "")
    cols = ["scope", "year", "poor_rate", "previous_year", "years", "reduction_pp", "target_low_pp", "target_high_pp", "status", "note",
            *ORIGIN_COLUMNS.values()]
    out = out[cols]
    out.attrs["units"] = {k: v for k, v in UNITS.items() if k in cols}
    return out


def _baseline_rates(history: pd.DataFrame, targets: pd.DataFrame) -> pd.Series:
    """Each targeted scope's rate in its target's baseline year (scopes without one left out),
    by the scope's key at its level."""
    years = _target_frame(targets).set_index(_KEY)["baseline_year"]
    keys = _keys(history)
    rows = history[history["year"] == keys.map(years)]
    return rows.set_index(keys[rows.index])["poor_rate"].astype(float)


def _households_basis(scope: str, latest: pd.Series, households: int | Mapping[str, int] | None) -> tuple[float, str]:
    """Households assumed for the remaining years, and the assumption in words."""
    if isinstance(households, Mapping):
        if scope in households:
            return float(households[scope]), f"{households[scope]:,} households (given), held constant to the end year"
        households = None
    elif households is not None:
        return float(households), f"{households:,} households (given), held constant to the end year"
    known = latest.get("households")
    if known is not None and not pd.isna(known):
        return float(known), f"households held at their {int(latest['year'])} count ({int(known):,}) to the end year"
    return np.nan, "number of households unknown for this scope (pass households=…)"


def period_assessment(history: pd.DataFrame, targets: pd.DataFrame, households: int | Mapping[str, int] | None = None) -> pd.DataFrame:
    """Progress of each targeted scope from its baseline to the latest year, and what remains.

    Per scope with a target and history: ``baseline_year``, ``baseline_rate``,
    ``latest_year``, ``latest_rate``, ``average_reduction_pp`` (pp a year, baseline to
    latest) and its ``status``; projected end-year rates (%) from the latest rate at the
    target's low and high pace and at the observed pace (floored at 0); ``target_rate_low``,
    the end-year rate the low pace implies from the baseline; ``required_reduction_pp``, the
    pace (pp a year) still needed from the latest year to reach it (to reach 0 when it is
    below zero, which makes the target impossible; 0 when already reached); and
    ``households_to_exit_per_year`` = required pace × households basis / 100, with the
    basis (``households`` per scope or for all; default: the latest count in the history)
    stated in ``households_assumption``. ``note`` flags impossible targets and gaps; where the
    target comes from as in :func:`annual_verdicts` (``assumed_from``, ``target_note``, ``target_note_vi``).
    """
    h = _check_history(history)
    t = _target_frame(targets)
    rows = []
    for key, series in h.groupby(_keys(h), sort=False):
        target = t[t[_KEY] == key]  # the scope at its level
        if target.empty:
            continue
        scope = series["scope"].iloc[0]
        first = target.iloc[0]
        base_year, end_year = int(first["baseline_year"]), int(first["end_year"])
        low, high = float(first["target_low_pp"]), float(first["target_high_pp"])
        notes: list[str] = []
        base = series[series["year"] == base_year]
        after = series[(series["year"] > base_year) & (series["year"] <= end_year)]
        row: dict[str, object] = {"scope": scope, "baseline_year": base_year, "end_year": end_year, "target_low_pp": low, "target_high_pp": high,
                                  **{column: first[column] for column in ORIGIN_COLUMNS.values()}}
        if base.empty or after.empty:
            notes.append(f"no rate for the baseline year {base_year}" if base.empty else f"no rate after the baseline year {base_year}")
            rows.append(row | {"note": "; ".join(notes)})
            continue
        latest = after.iloc[-1]
        base_rate, latest_rate, latest_year = float(base["poor_rate"].iloc[0]), float(latest["poor_rate"]), int(latest["year"])
        average = (base_rate - latest_rate) / (latest_year - base_year)
        remaining = end_year - latest_year
        target_rate = base_rate - low * (end_year - base_year)
        if target_rate < 0:
            notes.append(f"target impossible: {low:g} pp a year from {base_rate:.2f}% would reach {target_rate:.2f}% by {end_year}, below zero; required pace is to reach 0%")
        if remaining > 0:
            required = (latest_rate - max(target_rate, 0.0)) / remaining
            if required <= 0:
                notes.append(f"already at or below the low-end target rate ({max(target_rate, 0):.2f}%)")
                required = 0.0
            elif latest_rate < low * remaining:
                notes.append(f"a fall of {low:g} pp a year from {latest_rate:.2f}% would go below zero before {end_year}")
        else:
            required = np.nan
            notes.append(f"latest year is the end year {end_year}: the period is assessed to its end (nothing to project)")
        basis, assumption = _households_basis(str(scope), latest, households)
        row |= {
            "baseline_rate": base_rate,
            "latest_year": latest_year,
            "latest_rate": latest_rate,
            "average_reduction_pp": average,
            "status": UNATTAINABLE if target_rate < -_EPS and verdict(average, low, high)[()] == NOT_MET else verdict(average, low, high)[()],
            "projected_rate_low": max(0.0, latest_rate - low * remaining),
            "projected_rate_high": max(0.0, latest_rate - high * remaining) if not np.isnan(high) else np.nan,
            "projected_rate_observed": min(100.0, max(0.0, latest_rate - average * remaining)),
            "target_rate_low": max(0.0, target_rate),
            "required_reduction_pp": required,
            "households_basis": basis,
            "households_to_exit_per_year": required * basis / 100.0 if remaining > 0 else np.nan,
            "households_assumption": assumption,
            "note": "; ".join(notes),
        }
        rows.append(row)
    cols = [
        "scope", "baseline_year", "latest_year", "end_year", "baseline_rate", "latest_rate",
        "target_low_pp", "target_high_pp", "average_reduction_pp", "status",
        "projected_rate_low", "projected_rate_high", "projected_rate_observed", "target_rate_low",
        "required_reduction_pp", "households_basis", "households_to_exit_per_year", "households_assumption", "note",
        *ORIGIN_COLUMNS.values(),
    ]
    out = pd.DataFrame(rows, columns=cols)
    out["latest_year"] = out["latest_year"].astype("Int64")
    out.attrs["units"] = {k: v for k, v in UNITS.items() if k in cols}
    return out
