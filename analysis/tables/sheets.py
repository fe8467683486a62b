"""The summary tables as sheets: titles, two-level headers, rows and cells, in one language.

A :class:`Sheet` is what the Excel and CSV writers lay out; it holds numbers (never
formatted text), ``None`` for a hidden cell (with ``hidden`` set, so the writer adds a
note), and check columns whose formula the writer builds from the columns they name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..measures.disclosure import Protection, sentence
from ..measures.flows import MOVEMENT_COLUMNS, MOVEMENT_DECREASES, MOVEMENT_INCREASES
from ..measures.levels import commune_label
from ..review import columns as c
from ..words import dimension_label, indicator_label, known, status_label
from .figures import Figures, Row
from .labels import scope_word, word
from .protection import ethnic_detail_rows, ethnic_measure, movement_measure
from .targets import TargetsHiding, targets_hiding

Value = float | int | str | None


@dataclass
class Column:
    """One column: its two header levels, the kind of its values, and the values."""

    group: str
    label: str
    kind: str  # "text", "int", "pct", "pp", "check"
    values: list[Value]
    hidden: list[bool] = field(default_factory=list)
    terms: tuple[tuple[int, int], ...] = ()  # check columns: (column index, sign)


@dataclass
class Sheet:
    """A table ready to be written: name, title row, columns, row kinds and footnotes."""

    name: str
    title: str
    columns: list[Column]
    row_kinds: list[str]
    footnotes: list[str] = field(default_factory=list)
    synthetic: bool = False
    lead: int = 2  # columns frozen left of the figures (number and name)

    @property
    def rows(self) -> int:
        return len(self.row_kinds)


# --- helpers ---------------------------------------------------------------------------


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def _lead_columns(rows: Sequence[Row], level: str, lang: str, whole: str = "") -> list[Column]:
    numbers: list[Value] = []
    district_no = commune_no = 0
    for r in rows:
        if r.kind == "province":
            numbers.append("")
        elif r.kind == "district":
            district_no += 1
            commune_no = 0
            numbers.append(_roman(district_no) if level == "commune" else str(district_no))
        else:
            commune_no += 1
            numbers.append(str(commune_no))
    names: list[Value] = [scope_word("province_row", whole, lang) if r.kind == "province" else r.name if r.province is None and r.district is None
                          else commune_label(r.name, r.province or "", lang, r.district) for r in rows]
    return [
        Column(word("number", lang), "", "text", numbers, [False] * len(rows)),
        Column(word("unit", lang), "", "text", names, [False] * len(rows)),
    ]




class _Builder:
    """Columns of one sheet over its rows, hiding what the protection hides."""

    def __init__(self, rows: Sequence[Row], protection: Protection | None) -> None:
        self.rows = list(rows)
        self.protection = protection
        self.columns: list[Column] = []

    def add(self, group: str, label: str, kind: str, frame: pd.DataFrame | None, column: str | None, measures: Sequence[str], *, only: set[str] | None = None) -> int:
        values: list[Value] = []
        hidden: list[bool] = []
        # One look-up table per column, not a pandas look-up per cell (a fifth of the workbook's time).
        cells = frame[column].to_dict() if frame is not None and column is not None and frame.index.is_unique else None
        for r in self.rows:
            shown = only is None or r.id in only
            if cells is not None:
                value = known(cells[r.id]) if shown and r.id in cells else None
            else:
                value = known(frame.at[r.id, column]) if shown and frame is not None and column is not None and r.id in frame.index else None
            if shown and frame is not None and r.id not in (frame.index if cells is None else cells) and kind == "int":
                value = 0.0  # a unit without any such household
            hide = shown and self.protection is not None and self.protection.hides(r.id, *measures)
            if hide:
                value = None
            if kind == "int" and value is not None:
                value = int(round(value))
            values.append(value)
            hidden.append(hide)
        self.columns.append(Column(group, label, kind, values, hidden))
        return len(self.columns) - 1

    def check(self, group: str, label: str, terms: Sequence[tuple[int, int]], offset: int) -> None:
        """A formula column: Σ sign × column, blank where a term is hidden."""
        values: list[Value] = []
        for i in range(len(self.rows)):
            parts = [self.columns[j].values[i] for j, _ in terms]
            if any(p is None for p in parts):
                values.append(None)
            else:
                values.append(int(sum(sign * float(p) for (_, sign), p in zip(terms, parts) if p is not None)))
        shifted = tuple((j + offset, sign) for j, sign in terms)
        self.columns.append(Column(group, label, "check", values, [False] * len(self.rows), shifted))


def _footnotes(columns: Sequence[Column], protection: Protection | None, lang: str) -> list[str]:
    notes = []
    if any(any(col.hidden) for col in columns):
        notes.append(word("footnote_suppressed", lang))
    if protection is not None:
        notes.append(sentence(protection, lang))
    return notes


# --- the sheets --------------------------------------------------------------------------


def summary_sheet(figures: Figures, protection: Protection | None, level: str, lang: str) -> Sheet:
    rows = figures.rows_at(level)
    b = _Builder(rows, protection)
    hh, persons = figures.households, figures.persons
    minority = figures.minority[figures.minority["ethnic_minority"].astype(bool)]
    total = word("total", lang)
    b.add(total, word("households", lang), "int", hh, "households", ["households"])
    b.add(total, word("persons", lang), "int", persons, "persons", ["households"])
    for status in ("poor", "near_poor", "average"):
        group = word(status, lang)
        b.add(group, word("count_households", lang), "int", hh, status, [status])
        b.add(group, word("rate_households", lang), "pct", hh, f"{status}_rate", [status, "households"])
        b.add(group, word("count_persons", lang), "int", persons, f"{status}_persons", [status])
        b.add(group, word("rate_persons", lang), "pct", persons, f"{status}_rate", [status, "households"])
    group = word("ethnic_minority", lang)
    for measure, key in (("households", "em_households"), ("poor", "em_poor"), ("near_poor", "em_near_poor")):
        b.add(group, word(key, lang), "int", minority, measure, [f"em:{measure}"])
    lead = _lead_columns(rows, level, lang, figures.whole)
    return Sheet(word("sheet_summary", lang), word("title_summary", lang, year=figures.year), lead + b.columns,
                 [r.kind for r in rows], _footnotes(b.columns, protection, lang), figures.synthetic)


def movement_sheet(figures: Figures, protection: Protection | None, level: str, lang: str, state: str) -> Sheet:
    rows = figures.rows_at(level)
    name = word(f"sheet_movement_{state}", lang)
    lead = _lead_columns(rows, level, lang, figures.whole)
    if figures.previous_year is None:
        return Sheet(name, word(f"title_movement_{state}", lang, year=figures.year, previous="–"), lead, [r.kind for r in rows],
                     [word("no_previous", lang)], figures.synthetic)
    b = _Builder(rows, protection)
    index: dict[tuple[str, str], int] = {}
    for column in MOVEMENT_COLUMNS:
        label = word(column, lang) if column in ("start", "end") else word(f"{state}.{column}", lang)
        measure = movement_measure(state, column)
        for weight, key in (("households", "count_households"), ("persons", "count_persons")):
            frame = figures.movements[(state, weight)]
            index[(column, weight)] = b.add(label, word(key, lang), "int", frame, column, [measure])
    signs = {"start": 1, "end": -1} | {col: -1 for col in MOVEMENT_DECREASES} | {col: 1 for col in MOVEMENT_INCREASES}
    for weight, key in (("households", "count_households"), ("persons", "count_persons")):
        b.check(word("check", lang), word(key, lang), [(index[(col, weight)], signs[col]) for col in MOVEMENT_COLUMNS], len(lead))
    return Sheet(name, word(f"title_movement_{state}", lang, year=figures.year, previous=figures.previous_year), lead + b.columns,
                 [r.kind for r in rows], _footnotes(b.columns, protection, lang), figures.synthetic)


def deprivation_sheet(figures: Figures, protection: Protection | None, level: str, lang: str, state: str) -> Sheet:
    rows = figures.rows_at(level)
    b = _Builder(rows, protection)
    counts, shares = figures.deprived[state], figures.deprived_share[state]
    std = figures.standard
    b.add(word(f"group_{state}", lang), "", "int", counts, state, [state])
    for dimension, indicators in std.dimensions.items():
        for indicator in indicators:
            b.add(f"{word('deprived_count', lang)}: {dimension_label(dimension, lang)}", indicator_label(indicator, lang), "int", counts, indicator, [f"dep:{state}:{indicator}"])
    for dimension, indicators in std.dimensions.items():
        for indicator in indicators:
            b.add(f"{word('deprived_share', lang)}: {dimension_label(dimension, lang)}", indicator_label(indicator, lang), "pct", shares, indicator, [f"dep:{state}:{indicator}", state])
    lead = _lead_columns(rows, level, lang, figures.whole)
    return Sheet(word(f"sheet_deprivation_{state}", lang), word(f"title_deprivation_{state}", lang, year=figures.year), lead + b.columns,
                 [r.kind for r in rows], _footnotes(b.columns, protection, lang), figures.synthetic)


def ethnic_sheet(figures: Figures, protection: Protection | None, level: str, lang: str) -> Sheet:
    rows = figures.rows_at(level)
    b = _Builder(rows, protection)
    hh = figures.households
    minority = figures.minority
    kinh = minority[~minority["ethnic_minority"].astype(bool)]
    em = minority[minority["ethnic_minority"].astype(bool)]
    parts = (("households", "em_households"), ("poor", "em_poor"), ("near_poor", "em_near_poor"))
    for measure, key in parts:
        b.add(word("total", lang), word(key, lang), "int", hh, measure, [measure])
    for measure, key in parts:
        b.add(word("kinh", lang), word(key, lang), "int", kinh, measure, [ethnic_measure(c.MAJORITY_ETHNICITY, measure)])
    for measure, key in parts:
        b.add(word("all_minorities", lang), word(key, lang), "int", em, measure, [f"em:{measure}"])
    detail = set(ethnic_detail_rows(figures))
    for group in figures.ethnic_groups:
        if group == c.MAJORITY_ETHNICITY:
            continue
        mine = figures.ethnic[figures.ethnic[c.ETHNICITY] == group]
        for measure, key in parts:
            b.add(group, word(key, lang), "int", mine, measure, [ethnic_measure(group, measure)], only=detail)
    lead = _lead_columns(rows, level, lang, figures.whole)
    notes = _footnotes(b.columns, protection, lang)
    if level == "commune":
        notes.append(ethnic_detail_note(figures, lang))
    return Sheet(word("sheet_ethnic", lang), word("title_ethnic", lang, year=figures.year), lead + b.columns,
                 [r.kind for r in rows], notes, figures.synthetic)


def ethnic_detail_note(figures: Figures, lang: str) -> str:
    """Down to which rows each ethnic group is shown (:func:`~.protection.ethnic_detail_rows`):
    the districts, or on the new division (no districts) the whole data's row only."""
    if any(r.kind == "district" for r in figures.rows):
        return word("note_ethnic_detail_text", lang)
    return word("note_ethnic_detail_text_new", lang, row=scope_word("province_row", figures.whole, lang))


def _scope_name(scope: str, lang: str, whole: str = "") -> str:
    key = f"scope.{scope}"
    text = scope_word(key, whole, lang)
    return scope if text == key else text


def _status(status: object, lang: str) -> str:
    return status_label(status, lang, empty="")


def targets_sheet(
    figures: Figures, protection: Protection | None, lang: str, annual: pd.DataFrame, period: pd.DataFrame,
    protections: Mapping[int, Protection] | None = None, hiding: TargetsHiding | None = None,
) -> Sheet:
    """Each scope's rates by year, annual falls and verdicts, then the period (as ``targets`` computes them).

    ``protections``: every year's protection (the release's chain). A year's rate is hidden
    where that year's protection hides the scope's cells, its fall and verdict where this or
    the previous year's does, and the period's figures where any year's does
    (:mod:`analysis.tables.targets`, the ``targets`` command's rule; ``hiding``: computed
    there with the scopes outside the protection's rows).
    """
    scopes = list(dict.fromkeys(annual["scope"]))
    years = sorted(int(y) for y in annual[c.YEAR].unique())
    hiding = hiding or targets_hiding(annual, protection, protections)
    columns: list[Column] = [
        Column(word("number", lang), "", "text", [str(i + 1) for i in range(len(scopes))], [False] * len(scopes)),
        Column(word("scope", lang), "", "text", [_scope_name(s, lang, figures.whole) for s in scopes], [False] * len(scopes)),
    ]
    by_key = annual.set_index(["scope", c.YEAR])
    for year in years:
        rate_hidden, fall_hidden = hiding.rate[year], hiding.fall[year]
        for label, col, kind in (("rate_year", "poor_rate", "pct"), ("fall_year", "reduction_pp", "pp"), ("verdict_year", "status", "text")):
            values: list[Value] = []
            for s in scopes:
                value = by_key.at[(s, year), col] if (s, year) in by_key.index else None
                values.append(_status(value, lang) if kind == "text" else known(value))
            gone = rate_hidden if label == "rate_year" else fall_hidden
            hidden = [s in gone for s in scopes]
            values = [None if h else v for v, h in zip(values, hidden)]
            columns.append(Column(str(year), word(label, lang), kind, values, hidden))
    by_scope = period.set_index("scope")

    def period_column(group: str, label: str, col: str, kind: str) -> None:
        values: list[Value] = []
        for s in scopes:
            value = by_scope.at[s, col] if s in by_scope.index and s not in hiding.period else None
            values.append(_status(value, lang) if kind == "text" else known(value))
        columns.append(Column(group, label, kind, values, [s in hiding.period for s in scopes]))

    latest = max(years) if years else figures.year
    base = int(period["baseline_year"].min()) if len(period) else latest
    end = int(period["end_year"].max()) if len(period) else latest
    group = word("period", lang, base=base, latest=latest)
    period_column(group, word("target_band", lang) + " ≥", "target_low_pp", "pp")
    period_column(group, word("target_band", lang) + " ≤", "target_high_pp", "pp")
    period_column(group, word("average_fall", lang), "average_reduction_pp", "pp")
    period_column(group, word("verdict", lang), "status", "text")
    group = word("projection", lang, end=end)
    period_column(group, word("projected_low", lang), "projected_rate_low", "pct")
    period_column(group, word("projected_high", lang), "projected_rate_high", "pct")
    period_column(group, word("projected_observed", lang), "projected_rate_observed", "pct")
    group = word("required", lang)
    period_column(group, word("required_pp", lang), "required_reduction_pp", "pp")
    period_column(group, word("required_households", lang), "households_to_exit_per_year", "int")
    origin: list[Value] = [_target_origin(annual, s, lang) for s in scopes]  # a borrowed target is named as assumed, and why
    columns.append(Column(word("target_origin", lang), "", "text", origin, [False] * len(scopes)))
    for column in columns:
        if column.kind == "int":
            column.values = [None if v is None else int(round(float(v))) for v in column.values]
    notes = _footnotes(columns, None, lang)
    return Sheet(word("sheet_targets", lang), word("title_targets", lang, year=figures.year), columns,
                 ["scope"] * len(scopes), notes, figures.synthetic)


def _target_origin(annual: pd.DataFrame, scope: str, lang: str) -> str:
    """Where a scope's target comes from when it borrows another's (``assumed_from``): the
    targets table's note in ``lang`` (``target_note_<lang>``, else ``target_note``), "" for its own."""
    if "assumed_from" not in annual:
        return ""
    rows = annual[(annual["scope"] == scope) & (annual["assumed_from"].fillna("") != "")]
    if rows.empty:
        return ""
    row = rows.iloc[0]
    for name in (f"target_note_{lang}", "target_note"):
        text = row.get(name)
        if isinstance(text, str) and text.strip():
            return text
    return str(row["assumed_from"])


def notes_sheet(items: Sequence[tuple[str, str]], lang: str, synthetic: bool) -> Sheet:
    keys = [k for k, _ in items]
    values = [v for _, v in items]
    columns = [
        Column(word("note_item", lang), "", "text", list(keys), [False] * len(keys)),
        Column(word("note_value", lang), "", "text", list(values), [False] * len(keys)),
    ]
    return Sheet(word("sheet_notes", lang), word("title_notes", lang), columns, ["note"] * len(keys), [], synthetic, lead=1)

