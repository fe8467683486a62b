"""The batch's Excel files: the year's summary workbook beside the briefs, and each brief's own.

Built in the batch's process from the same protected figures as the briefs (one disclosure
protection), before the households are dropped; written under the year folder's lock. A
brief's own file (``<slug>.xlsx``) holds the workbook's rows of its unit: a district and its
communes, or the province and its districts for the overview.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ...review.units import division_of_year
from ...tables.sheets import Column, Sheet
from ...tables.workbook import build_sheets, target_tables, write_sheets
from .outcome import Outcome


@dataclass(frozen=True)
class SummaryTables:
    """The workbook's sheets of a year, at commune and district level."""

    year: int
    lang: str
    threshold: int
    communes: tuple[Sheet, ...]
    districts: tuple[Sheet, ...]

    def write_workbook(self, out_dir: Path) -> Path:
        return write_sheets(self.communes, out_dir, self.year, threshold=self.threshold, lang=self.lang)[0]

    def brief_workbook(self, out_dir: Path, slug: str, district: str | None) -> Path:
        sheets = [_rows_of(sheet, district) for sheet in (self.communes if district else self.districts)]
        return write_sheets(sheets, out_dir, self.year, threshold=self.threshold, lang=self.lang, stem=slug)[0]

    def add_brief_workbook(self, outcome: Outcome, district: str | None, out_dir: Path) -> Outcome:
        """The brief's own workbook written beside its HTML, and listed among its files."""
        path = self.brief_workbook(out_dir, outcome.slug, district)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return replace(outcome, files=(*outcome.files, path.name), digests=(*outcome.digests, digest))


def summary_tables(panel: pd.DataFrame, year: int, standard: str, *, lang: str, threshold: int, targets_path: str | None) -> SummaryTables:
    """The sheets of the year at both levels (the protection and the targets' tables are computed
    once and shared); a year on the new division has no districts, so its tables are by commune at both."""
    targets = target_tables(panel, year, targets_path)  # the same at both levels: computed once
    communes = build_sheets(panel, year, standard, level="commune", lang=lang, threshold=threshold, targets_path=targets_path, targets=targets)
    upper = "district" if division_of_year(year) == "old" else "commune"
    districts = build_sheets(panel, year, standard, level=upper, lang=lang, threshold=threshold, targets_path=targets_path, targets=targets)
    return SummaryTables(year, lang, threshold, tuple(communes), tuple(districts))


def _rows_of(sheet: Sheet, district: str | None) -> Sheet:
    """The sheet restricted to one district's rows (the district and its communes)."""
    if district is None or (sheet.row_kinds and sheet.row_kinds[0] not in ("province",)):
        return sheet
    names = sheet.columns[1].values
    keep: list[int] = []
    inside = False
    for i, (kind, name) in enumerate(zip(sheet.row_kinds, names)):
        if kind == "district":
            inside = name == district
        if inside and kind in ("district", "commune"):
            keep.append(i)
    columns = [
        Column(col.group, col.label, col.kind, [col.values[i] for i in keep], [col.hidden[i] for i in keep] if col.hidden else [], col.terms)
        for col in sheet.columns
    ]
    return replace(sheet, columns=columns, row_kinds=[sheet.row_kinds[i] for i in keep])

