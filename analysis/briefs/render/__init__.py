"""Turn executed notebooks into self-contained HTML and PDF briefs.

The pipeline is ``notebook_to_html`` (nbconvert with the project's template in
``analysis/briefs/templates/brief``) then ``html_to_pdf`` (WeasyPrint, in process), each file
written with ``analysis.files.write_atomic``. The batch calls these directly with one exporter from
``make_html_exporter()``; ``render_notebook`` (and ``python -m analysis render``) does the
same for a notebook an analyst edited and ran by hand.

What a brief shows: the outputs of code cells (tables, charts, Markdown), Markdown cells,
never code, prompts, stderr or scripts. Nothing is loaded from outside the file: figures
are data URIs, the stylesheet is inline, the one font is embedded (``typeface``). Cells tagged ``remove-cell`` disappear; ``remove-output`` hides a cell's outputs.

Brief metadata (title, province, unit, year, lang, synthetic, source, standard) drives the
masthead, the running PDF header and the colophon. It is read from ``nb.metadata["brief"]``
and then from the first output with mime type ``application/vnd.brief+json``, which wins
because it reflects the parameters the notebook actually ran with. A notebook writes that
output in its first cell::

    from analysis.briefs.render import brief_metadata
    brief_metadata({"title": ..., "province": "Bắc Kạn", "unit": "Huyện Pác Nặm",
                    "year": 2024, "lang": "vi", "synthetic": True,
                    "source": ..., "standard": ...})

The output is hidden from the page. The template prints the title, so a notebook should
not repeat it as a heading.

Escaping: the template escapes the metadata; table and Markdown outputs are shown as the
notebook made them, so text from the data must be escaped there (``DataFrame.to_html``
does by default; pass narrative sentences through ``html.escape`` before ``Markdown``).

Style hooks for notebooks: ``<div class="kpis"><div class="kpi"><span class="kpi-value">``
… ``<span class="kpi-label">`` for headline figures, ``.verdict.ok`` / ``.verdict.bad``,
``.note``. Table cells whose column holds only numbers are right-aligned automatically.

Determinism: the only date is the generation date (``generated=``, else the environment
variable ``SOURCE_DATE_EPOCH``, else today). Figures and tables must be deterministic
themselves: use ``Styler.set_uuid`` and ``svg.hashsalt`` for matplotlib SVG output.
"""

from ...files import write_atomic
from .exporter import INDEX_PAGE, make_html_exporter, notebook_to_html, stylesheet
from .metadata import BRIEF_MIME, brief_metadata, brief_slug, generation_date, read_brief
from .notebook import FORMATS, check_renderable, parse_formats, read_notebook, render_notebook
from .pdf import html_to_pdf, svg_as_images
from .tidy import tidy_html, tidy_tables

__all__ = [
    "BRIEF_MIME", "INDEX_PAGE", "FORMATS", "brief_metadata", "brief_slug", "check_renderable", "generation_date", "html_to_pdf",
    "make_html_exporter", "notebook_to_html", "parse_formats", "read_brief", "read_notebook", "render_notebook", "stylesheet", "svg_as_images",
    "tidy_html", "tidy_tables", "write_atomic",
]
