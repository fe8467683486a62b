"""Sheets as an Excel workbook (XlsxWriter), laid out as people who live in spreadsheets expect.

Title row (with the synthetic mark for bundled data), a two-level merged header, frozen
panes below the header and right of the names, real numbers with number formats
(``#,##0`` counts, ``0.00`` percentages), check columns as formulas with their value
cached, fitted widths, A4 landscape with the header repeated. Hidden cells are blank and
carry a note. Fixed document properties make the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..spreadsheet import neutralise
from .labels import word
from .sheets import Column, Sheet

#: Document date written into every workbook, so that the bytes do not depend on the clock.
FIXED_DATE = dt.datetime(2000, 1, 1)

FORMATS = {"int": "#,##0", "pct": "0.00", "pp": "0.00", "check": "#,##0"}
HEADER_ROWS = 3  # title, group header, column header
TITLE_ROW, GROUP_ROW, LABEL_ROW = 0, 1, 2


def _formats(book: Workbook) -> dict[str, object]:
    base = {"font_name": "Times New Roman", "font_size": 11, "border": 1, "valign": "vcenter"}
    out: dict[str, object] = {
        "title": book.add_format({"font_name": "Times New Roman", "bold": True, "font_size": 13}),
        "header": book.add_format(base | {"bold": True, "align": "center", "text_wrap": True, "bg_color": "#DDEBF7"}),
        "note": book.add_format({"font_name": "Times New Roman", "italic": True, "font_size": 10}),
        "notes_text": book.add_format(base | {"text_wrap": True, "valign": "top"}),
    }
    for bold in (False, True):
        suffix = "_bold" if bold else ""
        out["text" + suffix] = book.add_format(base | {"bold": bold})
        for kind, code in FORMATS.items():
            out[kind + suffix] = book.add_format(base | {"bold": bold, "num_format": code})
    return out


def _width(column: Column) -> float:
    texts = [column.label or column.group] + [_shown(v, column.kind) for v in column.values]
    longest = max((len(t) for t in texts), default=4)
    if column.kind == "text":
        return min(max(6.0, longest + 2.0), 60.0)
    return min(max(8.0, longest + 2.0), 18.0)


def _shown(value: object, kind: str) -> str:
    if value is None:
        return ""
    if kind in ("pct", "pp"):
        return f"{float(value):,.2f}"  # type: ignore[arg-type]
    if kind in ("int", "check"):
        return f"{int(value):,}"  # type: ignore[call-overload]
    return str(value)


def _header(ws: Worksheet, sheet: Sheet, fmt: dict[str, object]) -> None:
    columns = sheet.columns
    j = 0
    while j < len(columns):
        group = columns[j].group
        k = j
        while k + 1 < len(columns) and columns[k + 1].group == group and columns[k + 1].label and columns[j].label:
            k += 1
        if not columns[j].label:  # a one-level column: its name spans both header rows
            ws.merge_range(GROUP_ROW, j, LABEL_ROW, j, neutralise(group), fmt["header"])
        elif k > j:
            ws.merge_range(GROUP_ROW, j, GROUP_ROW, k, neutralise(group), fmt["header"])
        else:
            ws.write_string(GROUP_ROW, j, neutralise(group), fmt["header"])
        if columns[j].label:
            for m in range(j, k + 1):
                ws.write_string(LABEL_ROW, m, neutralise(columns[m].label), fmt["header"])
        j = k + 1


def write_sheet(book: Workbook, sheet: Sheet, fmt: dict[str, object], threshold: int, lang: str) -> None:
    ws = book.add_worksheet(sheet.name)
    title = sheet.title + (f" – {word('synthetic_mark', lang)}" if sheet.synthetic else "")
    ws.write_string(TITLE_ROW, 0, title, fmt["title"])
    _header(ws, sheet, fmt)
    comment = word("suppressed_comment", lang, threshold=threshold)
    for i in range(sheet.rows):
        bold = "_bold" if sheet.row_kinds[i] in ("province", "district") else ""
        r = HEADER_ROWS + i
        for j, col in enumerate(sheet.columns):
            value = col.values[i]
            style = fmt[("notes_text" if sheet.row_kinds[i] == "note" else "text" + bold) if col.kind == "text" else col.kind + bold]
            if col.kind == "check" and col.terms:
                formula = "".join(f"{'+' if sign > 0 else '-'}{xl_rowcol_to_cell(r, k)}" for k, sign in col.terms).lstrip("+")
                refs = ",".join(xl_rowcol_to_cell(r, k) for k, _ in col.terms)
                ws.write_formula(r, j, f'=IF(COUNT({refs})={len(col.terms)},{formula},"")', style, "" if value is None else value)
            elif value is None:
                ws.write_blank(r, j, None, style)
                if col.hidden and col.hidden[i]:
                    ws.write_comment(r, j, comment, {"author": "analysis", "visible": False})
            elif col.kind == "text":
                ws.write_string(r, j, str(neutralise(value)), style)
            else:
                ws.write_number(r, j, float(value) if col.kind in ("pct", "pp") else int(value), style)
    below = HEADER_ROWS + sheet.rows + 1
    for n, text in enumerate(sheet.footnotes):
        ws.write_string(below + n, 0, text, fmt["note"])
    for j, col in enumerate(sheet.columns):
        width = _width(col)
        if sheet.row_kinds and sheet.row_kinds[0] == "note":
            width = 28.0 if j == 0 else 100.0
        ws.set_column(j, j, width)
    ws.set_row(GROUP_ROW, 30)
    ws.set_row(LABEL_ROW, 45)
    ws.freeze_panes(HEADER_ROWS, sheet.lead)
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.repeat_rows(GROUP_ROW, LABEL_ROW)
    ws.repeat_columns(0, sheet.lead - 1)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)


def write_workbook(path: Path, sheets: Sequence[Sheet], *, threshold: int, lang: str, title: str) -> Path:
    """Write the sheets to ``path`` (an .xlsx file), deterministically."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
    book.set_properties({"title": title, "author": "analysis", "created": FIXED_DATE, "comments": ""})
    book.set_calc_mode("auto")
    fmt = _formats(book)
    for sheet in sheets:
        write_sheet(book, sheet, fmt, threshold, lang)
    book.close()
    return path
