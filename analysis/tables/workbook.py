"""The review's summary workbook of one year: sheets from the measures, one protection, files.

``write_tables`` writes ``OUT/<year>/bang-tong-hop-<year>.xlsx`` (with ``--province``
``OUT/<year>/<province-slug>/``, :mod:`.folder`) or one CSV per sheet, atomically: a file is either the complete new one or not there.
"""

from __future__ import annotations

import csv
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import UsageError
from ..files import replacing
from ..measures.commune_targets import history_and_targets
from ..measures.disclosure import DEFAULT_THRESHOLD, CellSystem, Protection, check_threshold, sentence
from ..measures.disclosure_years import rows_before
from ..measures.rebase import rebase
from ..measures.targets import annual_verdicts, load_targets, period_assessment, published_history, targets_for
from ..paths import TARGETS_PATH
from ..review import columns as c
from ..review.selection import available_years, resolve_year
from ..review.standards import get_standard
from ..review.units import Units, division_of_year, provinces_of, slugify, units_for
from ..spreadsheet import neutralise
from .figures import Figures, build_figures
from .folder import province_of_year, record_tables, year_folder
from .labels import scope_word, word
from .protection import protect_figures, transition_rows
from .sheets import Sheet, deprivation_sheet, ethnic_detail_note, ethnic_sheet, movement_sheet, notes_sheet, summary_sheet, targets_sheet
from .targets import targets_hiding
from .xlsx import write_workbook

LEVELS = ("district", "commune")
DIVISIONS = ("old", "new")
FORMATS = ("xlsx", "csv")


def workbook_name(year: int) -> str:
    """The workbook's file name (ASCII): ``bang-tong-hop-<year>.xlsx``."""
    return f"bang-tong-hop-{year}.xlsx"


@dataclass
class Release:
    """What a review year publishes: its figures and the one protection over all of them,
    chained to the previous review's release (:mod:`analysis.measures.disclosure_years`)."""

    figures: Figures
    protection: Protection
    system: CellSystem
    previous: Release | None = None
    #: Rows of this year → their rows in the previous release, where they differ (the year the
    #: division changed: a new unit's old communes).
    predecessors: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def protections(self) -> dict[int, Protection]:
        """Every year's protection of the chain, by year (this one and all before it)."""
        out: dict[int, Protection] = {}
        rel: Release | None = self
        while rel is not None:
            out[rel.figures.year] = rel.protection
            rel = rel.previous
        return out

    def rows(self) -> dict[int, set[str]]:
        """Every year's rows of the chain (the units its protection has cells of)."""
        out: dict[int, set[str]] = {}
        rel: Release | None = self
        while rel is not None:
            out[rel.figures.year] = {r.id for r in rel.figures.rows}
            rel = rel.previous
        return out


_RELEASES: dict[tuple[int, int, str, int, str], tuple[weakref.ref[pd.DataFrame], Release]] = {}
_PRIMED: dict[tuple[int, int, str, str], tuple[weakref.ref[pd.DataFrame], Figures]] = {}


def prime_figures(classified_panel: pd.DataFrame, figures: Mapping[int, Figures], standard: str, *, division: str = "old") -> None:
    """Figures of some years of this panel, built elsewhere (the batch builds them in parallel
    processes): :func:`release` takes them instead of building them again. They must be what
    ``build_figures(classified_panel, year, standard, units, division=division)`` returns."""
    for key in [k for k, (ref, _) in _PRIMED.items() if ref() is None or k[0] == id(classified_panel)]:
        del _PRIMED[key]  # the panels gone, and what this one had: what the batch has not used
    for year, built in figures.items():
        _PRIMED[(id(classified_panel), year, standard, division)] = (weakref.ref(classified_panel), built)


#: Each year's figures by panel object: they do not depend on the disclosure threshold, so a
#: release at another threshold (a stricter rule tried on the same data) protects the same
#: figures instead of counting them again. Figures are read, never changed, after they are built.
_FIGURES: dict[tuple[int, int, str, str], tuple[weakref.ref[pd.DataFrame], Figures]] = {}


def _figures(classified_panel: pd.DataFrame, year: int, standard: str, units: Units | None, division: str, inexact: pd.DataFrame | None) -> Figures:
    key = (id(classified_panel), year, standard, division)
    primed = _PRIMED.pop(key, None)
    if primed is not None and primed[0]() is classified_panel and inexact is None:
        built = primed[1]
    else:
        cached = _FIGURES.get(key)
        if cached is not None and cached[0]() is classified_panel:
            return cached[1]
        built = build_figures(classified_panel, year, standard, units, division=division, inexact=inexact)
    for other in [k for k, (ref, _) in _FIGURES.items() if ref() is None]:
        del _FIGURES[other]  # panels gone: keep memory flat
    _FIGURES[key] = (weakref.ref(classified_panel), built)
    return built


def release(
    classified_panel: pd.DataFrame, year: int, standard: str, threshold: int = DEFAULT_THRESHOLD, units: Units | None = None,
    *, division: str = "old", inexact: pd.DataFrame | None = None, previous: Release | None = None,
) -> Release:
    """Figures and protection of ``year`` (cached for the same panel object in this process).

    The previous review's release is computed first and the protection chained to it, so the
    figures this year restates from it (movement starts, changes) hide what it hid.
    ``previous``: that release when it is not this panel's (a re-based panel's first
    new-division year follows the previous review as published, on the old division).
    """
    threshold = check_threshold(threshold)
    key = (id(classified_panel), year, standard, threshold, division)
    cached = _RELEASES.get(key)
    # The panel itself, not only its id: a panel freed since may have left its id to another.
    if cached is None or cached[0]() is not classified_panel:
        previous_year = max((y for y in available_years(classified_panel) if y < year), default=None)
        if previous is None and previous_year is not None:
            previous = release(classified_panel, previous_year, standard, threshold, units, division=division, inexact=inexact)
        figures = _figures(classified_panel, year, standard, units, division, inexact)
        rows = transition_rows(figures, previous.figures) if previous is not None else {}
        protection, system = protect_figures(figures, threshold, (previous.system, previous.protection) if previous is not None else None,
                                             rows_before(rows))
        for other in [k for k, (ref, _) in _RELEASES.items() if ref() is None]:
            del _RELEASES[other]  # panels gone: keep memory flat
        cached = _RELEASES[key] = (weakref.ref(classified_panel), Release(figures, protection, system, previous, rows))
    return cached[1]


def target_tables(
    classified_panel: pd.DataFrame, year: int, targets_path: str | Path | None = None, baseline: str = "programme", *, division: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Annual verdicts and period assessment up to ``year``, as the ``targets`` command computes
    them, and the history they come from (its counts judge the scopes outside the protection):
    only the targets and published figures of the data's provinces, as there. On the new
    division each commune is held to the target its brief holds it to (assumed, and said so:
    :func:`analysis.measures.commune_targets.history_and_targets`)."""
    provinces = provinces_of(classified_panel)
    targets = targets_for(load_targets(targets_path or TARGETS_PATH), provinces)
    own, targets = history_and_targets(classified_panel, targets, division)
    history = pd.concat([own, published_history(baseline, provinces=provinces)], ignore_index=True)
    history = history[history[c.YEAR] <= year]
    return annual_verdicts(history, targets), period_assessment(history, targets), history


#: The new division's releases by panel object (and year, standard, threshold): the re-based
#: panel a release is cached by was made again on each :func:`year_release`, so a second one of
#: the same panel (the workbook's two levels, a notebook's tables and its brief) re-based the
#: households and computed every year's figures again. The re-based panel itself is not kept.
_NEW_RELEASES: dict[tuple[int, int, str, int], tuple[weakref.ref[pd.DataFrame], tuple[Release, list[str]]]] = {}


def year_release(
    classified_panel: pd.DataFrame, year: int, standard: str, threshold: int = DEFAULT_THRESHOLD, *,
    division: str | None = None, units: Units | None = None,
) -> tuple[Release, list[str]]:
    """The release the year's tables publish, on the year's own division (``division`` None)
    or on the new one, and the notes of units left out of it (re-based, not exact)."""
    own = division_of_year(year)
    shown = division or own
    if shown != "new":
        return release(classified_panel, year, standard, threshold, units or units_for(classified_panel)), []
    threshold = check_threshold(threshold)
    key = (id(classified_panel), year, standard, threshold)
    cached = _NEW_RELEASES.get(key)
    # The panel itself, not only its id: a panel freed since may have left its id to another.
    if cached is None or cached[0]() is not classified_panel:
        for other in [k for k, (ref, _) in _NEW_RELEASES.items() if ref() is None]:
            del _NEW_RELEASES[other]  # panels gone: keep memory flat
        cached = _NEW_RELEASES[key] = (weakref.ref(classified_panel), _new_release(classified_panel, year, standard, threshold, units))
    rel, left_out = cached[1]
    return rel, list(left_out)


def _new_release(classified_panel: pd.DataFrame, year: int, standard: str, threshold: int, units: Units | None) -> tuple[Release, list[str]]:
    """:func:`year_release` on the new division, computed."""
    own = division_of_year(year)
    rebased = rebase(classified_panel, "new")
    rebased.households.attrs = dict(classified_panel.attrs)
    previous = max((y for y in available_years(classified_panel) if y < year), default=None)
    inexact = rebased.inexact
    left_out = [line for line, y in zip(rebased.notes(), inexact["year"]) if int(y) in (year, previous)]
    # The first year on the new division follows the previous review as it was published
    # (on the old division): a new unit's movement start and change are its old communes'.
    before = None
    if own == "new" and previous is not None and division_of_year(previous) == "old":
        before = release(classified_panel, previous, standard, threshold, units or units_for(classified_panel))
    return release(rebased.households, year, standard, threshold, division="new", inexact=inexact, previous=before), left_out


def build_sheets(
    classified_panel: pd.DataFrame,
    year: int | None = None,
    standard: str = "decree-07-2021",
    *,
    level: str = "commune",
    lang: str = "vi",
    threshold: int = DEFAULT_THRESHOLD,
    division: str | None = None,
    targets_path: str | Path | None = None,
    units: Units | None = None,
    targets: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None = None,
) -> list[Sheet]:
    """Every sheet of the summary workbook, in the issue's order.

    ``division``: None puts the year on its own division; ``new`` on the units of 1 July 2025
    (an old-division year and the previous review re-based through the crosswalk, see
    :func:`analysis.measures.rebase.rebase`). Rows on the new division are the province and
    its communes: there are no districts.

    ``targets``: what :func:`target_tables` returns for these arguments, when the caller has it
    already (the batch builds the sheets at two levels from the same targets).
    """
    if level not in LEVELS:
        raise UsageError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    if division is not None and division not in DIVISIONS:
        raise UsageError(f"division must be one of {', '.join(DIVISIONS)}, not {division!r}")
    year = resolve_year(classified_panel, year)
    own = division_of_year(year)
    if division == "old" and own == "new":
        raise UsageError(f"{year} is a review on the new division (no districts since 1 July 2025): "
                         "leave out --division (or use --division new) for its tables by new commune")
    shown = division or own
    if shown == "new" and level == "district":
        raise UsageError(f"the tables of {year} on the new division have no districts (since 1 July 2025): use --level commune")
    rel, left_out = year_release(classified_panel, year, standard, threshold, division=division, units=units)
    figures, protection = rel.figures, rel.protection
    annual, period, history = targets if targets is not None else target_tables(classified_panel, year, targets_path, division=division)
    hiding = targets_hiding(annual, protection, rel.protections(), rows=rel.rows(), history=history, threshold=protection.threshold)
    sheets = [
        summary_sheet(figures, protection, level, lang),
        movement_sheet(figures, protection, level, lang, "poor"),
        movement_sheet(figures, protection, level, lang, "near_poor"),
        deprivation_sheet(figures, protection, level, lang, "poor"),
        deprivation_sheet(figures, protection, level, lang, "near_poor"),
        ethnic_sheet(figures, protection, level, lang),
        targets_sheet(figures, protection, lang, annual, period, rel.protections(), hiding),
    ]
    std = get_standard(standard)
    items: list[tuple[str, str]] = [
        (word("note_source", lang), str(neutralise(figures.source or "–"))),
    ]
    if figures.synthetic:
        items.append((word("note_synthetic", lang), word("note_synthetic_text", lang)))
        for line in str(classified_panel.attrs.get("assumes") or "").splitlines():
            if line.strip():
                items.append((word("note_assumes", lang), str(neutralise(line.strip()))))
    items += [
        (word("note_standard", lang), std.title_in(lang)),
        (word("note_year", lang), str(year)),
        (word("note_previous", lang), str(figures.previous_year) if figures.previous_year else "–"),
        (word("note_division", lang), word(f"division.{shown}", lang) + ("" if shown == own else " – " + word("note_rebased", lang))),
        (word("note_level", lang), scope_word("level.commune_new", figures.whole, lang) if shown == "new" else word(f"level.{level}", lang)),
        *((word("note_left_out", lang), str(neutralise(line))) for line in left_out),
        (word("note_threshold", lang), word("note_threshold_text", lang, threshold=protection.threshold)),
        (word("note_disclosure", lang), sentence(protection, lang)),
        (word("note_ethnic_detail", lang), ethnic_detail_note(figures, lang)),
        (word("note_movement", lang), word("note_movement_text", lang)),
        (word("note_forms", lang), word("note_forms_text", lang)),
        (word("note_numbers", lang), word("note_numbers_text", lang)),
        (word("note_made_by", lang), "python -m analysis tables"),
    ]
    sheets.append(notes_sheet(items, lang, figures.synthetic))
    return sheets


def _atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Write ``path`` whole or not at all (through :func:`analysis.files.replacing`)."""
    with replacing(path) as tmp:
        write(tmp)
    return path


def _csv_rows(sheet: Sheet) -> list[list[object]]:
    header = [f"{col.group} – {col.label}" if col.label else col.group for col in sheet.columns]
    rows: list[list[object]] = [[neutralise(h) for h in header]]
    for i in range(sheet.rows):
        row: list[object] = []
        for col in sheet.columns:
            value = col.values[i]
            if value is None:
                row.append("")
            elif col.kind == "text":
                row.append(neutralise(str(value)))
            elif col.kind in ("pct", "pp"):
                row.append(repr(float(value)))
            else:
                row.append(int(value))
        rows.append(row)
    return rows


def write_csv(path: Path, sheet: Sheet) -> Path:
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(_csv_rows(sheet))

    return _atomic(path, write)


def write_sheets(sheets: Sequence[Sheet], folder: Path, year: int, *, fmt: str = "xlsx", threshold: int, lang: str, stem: str | None = None) -> list[Path]:
    """The sheets as one workbook (or one CSV per sheet) in ``folder``."""
    if fmt not in FORMATS:
        raise UsageError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    folder.mkdir(parents=True, exist_ok=True)
    stem = stem or workbook_name(year).removesuffix(".xlsx")
    if fmt == "csv":
        return [write_csv(folder / f"{stem}-{slugify(sheet.name)}.csv", sheet) for sheet in sheets]
    path = folder / f"{stem}.xlsx"
    title = sheets[0].title if sheets else stem
    return [_atomic(path, lambda tmp: write_workbook(tmp, sheets, threshold=threshold, lang=lang, title=title))]


def write_tables(
    classified_panel: pd.DataFrame,
    out: str | Path,
    year: int | None = None,
    standard: str = "decree-07-2021",
    *,
    level: str = "commune",
    lang: str = "vi",
    fmt: str = "xlsx",
    threshold: int = DEFAULT_THRESHOLD,
    division: str | None = None,
    targets_path: str | Path | None = None,
    province: str | None = None,
) -> list[Path]:
    """Write the summary workbook of ``year`` into ``OUT/<year>/`` (with ``province``, the
    ``--province`` of a review of several: ``OUT/<year>/<province-slug>/``, as the briefs);
    returns the files written. The folder's record names their province (:func:`.folder.record_tables`)."""
    year = resolve_year(classified_panel, year)
    sheets = build_sheets(classified_panel, year, standard, level=level, lang=lang, threshold=threshold, division=division, targets_path=targets_path)
    folder = year_folder(out, year, province)
    written = write_sheets(sheets, folder, year, fmt=fmt, threshold=threshold, lang=lang)
    record_tables(folder, province_of_year(classified_panel, year), written)
    return written
