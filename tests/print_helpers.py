"""Real briefs for print and screen checks: the sections of a notebook, rendered like the batch does."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from nbformat.v4 import new_code_cell, new_notebook, new_output

from analysis.briefs import brief as br
from analysis.briefs import render, sections


def notebook_sections(name: str) -> tuple[str, ...]:
    """The sections a committed notebook shows, in its order (``sections.<name>(b)`` cells)."""
    import nbformat

    from analysis.paths import NOTEBOOKS_DIR

    nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    found = (re.fullmatch(r"sections\.(\w+)\(b\)", cell.source.strip()) for cell in nb.cells if cell.cell_type == "code")
    return tuple(m.group(1) for m in found if m)


DISTRICT_SECTIONS = notebook_sections("district_brief")
#: The overview's sections; the new units' ranking only shows for a year on the new division.
PROVINCE_2025_SECTIONS = notebook_sections("province_overview")
PROVINCE_SECTIONS = tuple(n for n in PROVINCE_2025_SECTIONS if n != "commune_ranking")


def brief_html(b: br.Brief, names: Sequence[str], *, beside: Sequence[str] | None = None) -> str:
    """The HTML a notebook of these sections renders to (the notebook's outputs, not re-typed);
    ``beside``: the files the batch writes beside it (see ``render.notebook_to_html``)."""
    made: list[Callable[[br.Brief], sections.Section]] = [getattr(sections, n) for n in names]
    cells = [new_code_cell("brief_metadata(b.metadata())", execution_count=1, outputs=[
        new_output("display_data", data=render.brief_metadata(b.metadata())._repr_mimebundle_())])]
    for number, make in enumerate(made, start=2):
        section = make(b)
        cells.append(new_code_cell(f"sections.{make.__name__}(b)", execution_count=number, outputs=[
            new_output("execute_result", execution_count=number, data={"text/html": section._repr_html_(), "text/plain": repr(section)})]))
    nb = new_notebook(cells=cells, metadata={"language_info": {"name": "python"}})
    return render.notebook_to_html(nb, generated=date(2025, 1, 15), beside=beside)


def words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes in points (pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages: list[list[tuple[float, float, float, float, str]]] = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out, re.S):
        pages.append([(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)])
    return pages
