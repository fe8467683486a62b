"""Render a notebook an analyst ran by hand: checked, then every format written at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import DataError, Problem, UsageError
from ...files import write_atomic
from .exporter import notebook_to_html
from .metadata import brief_slug, read_brief
from .pdf import html_to_pdf

if TYPE_CHECKING:  # nbconvert and WeasyPrint are imported when used: notebooks import this module
    import nbformat



FORMATS = ("html", "pdf")

def parse_formats(text: str | Sequence[str]) -> tuple[str, ...]:
    """``"html,pdf"`` -> ``("html", "pdf")``; an unknown format is a usage error."""
    items = text.split(",") if isinstance(text, str) else list(text)
    formats = tuple(dict.fromkeys(f.strip().lower() for f in items if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"unknown format {', '.join(unknown) or '(none)'}; choose from: {', '.join(FORMATS)}")
    return formats

def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a notebook file, with a clear message when it is missing or not a notebook."""
    import nbformat

    if not path.is_file():
        raise UsageError(f"{path}: no such notebook file")
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # nbformat raises several unrelated types for bad input
        raise UsageError(f"{path}: not a Jupyter notebook ({type(err).__name__})") from None
    if not isinstance(nb.get("cells"), list):
        raise UsageError(f"{path}: not a Jupyter notebook (no cells)")
    return nb

def check_renderable(nb: Mapping[str, Any], source: str) -> None:
    """Refuse a notebook that was not run, or whose run failed: its brief would be wrong."""
    code = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    if code and not any(c.get("outputs") for c in code):
        raise UsageError(f"{source}: the notebook has no outputs; run it first (Run > Run All Cells, then save)")
    for number, cell in enumerate(nb.get("cells", []), start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                raise DataError([Problem(
                    file=source,
                    expected=f"cell {number} failed ({output.get('ename')}: {output.get('evalue')}); fix it and run the notebook again",
                )])

def render_notebook(path: Path, formats: Sequence[str] = FORMATS, out_dir: Path | None = None) -> list[Path]:
    """Render a hand-run notebook next to it (or in ``out_dir``), named by its unit's slug."""
    path = Path(path)
    formats = parse_formats(formats)
    nb = read_notebook(path)
    check_renderable(nb, str(path))
    stem = brief_slug(read_brief(nb, name=path.stem), path.stem)
    folder = Path(out_dir) if out_dir is not None else path.parent
    # Links only to files that are there (an index or Excel file of a batch in that folder).
    beside = [p.name for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    html = notebook_to_html(nb, name=path.stem, base_dir=path.parent, beside=beside)
    folder.mkdir(parents=True, exist_ok=True)
    payloads = {fmt: html if fmt == "html" else html_to_pdf(html, base_url=folder.resolve().as_uri() + "/") for fmt in formats}
    written = []  # written only once every format rendered, so a failure leaves no partial set
    for fmt, data in payloads.items():
        write_atomic(folder / f"{stem}.{fmt}", data)
        written.append(folder / f"{stem}.{fmt}")
    return written
