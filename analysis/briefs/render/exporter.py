"""Executed notebook to self-contained HTML: nbconvert with the project's template."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Collection
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...paths import TEMPLATES_DIR
from ...words import catalogue, fmt_date
from .. import typeface
from ..settings import load_issuer
from .metadata import generation_date, read_brief
from .tidy import css_string, image_alt, image_size, is_shown, shown_outputs, tidy_html

if TYPE_CHECKING:  # nbconvert and WeasyPrint are imported when used: notebooks import this module
    import nbformat
    from nbconvert import HTMLExporter



_DISPLAY_PRIORITY = ["text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg", "text/latex", "text/plain"]

@lru_cache(maxsize=1)
def _exporter_class() -> type[HTMLExporter]:
    """HTMLExporter minus its closing BeautifulSoup pass.

    That pass re-serialises the page with ``html.parser``, which lowercases attribute names
    (inline SVG ``viewBox`` becomes ``viewbox`` and charts lose their scaling in WeasyPrint)
    and only adds alt text and tab stops the brief template already handles. Skipping it
    also saves time. The rest mirrors ``HTMLExporter.from_notebook_node`` (nbconvert 7).
    """
    from nbconvert import HTMLExporter, TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class BriefExporter(HTMLExporter):
        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> tuple[Any, dict[str, Any]]:
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name"))
            self.register_filter("highlight_code", self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return BriefExporter

@lru_cache(maxsize=1)
def make_html_exporter() -> HTMLExporter:
    """The brief exporter, built once per process: building it costs far more than using it.

    Not thread-safe (nbconvert registers per-call filters on it); use one per process.
    """
    from traitlets.config import Config

    config = Config()
    config.NbConvertBase.display_data_priority = list(_DISPLAY_PRIORITY)
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {"remove-cell", "remove_cell", "hide"}
    config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output", "remove_output", "hide-output"}
    config.HighlightMagicsPreprocessor.enabled = False
    exporter = _exporter_class()(
        config=config,
        template_name="brief",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,  # local images in Markdown cells become data URIs too
    )
    for name, func in (("shown_outputs", shown_outputs), ("is_shown", is_shown), ("css_string", css_string),
                       ("image_alt", image_alt), ("image_size", image_size), ("tidy_html", tidy_html)):
        exporter.register_filter(name, func)
    return exporter

def notebook_to_html(
    nb: nbformat.NotebookNode,
    exporter: HTMLExporter | None = None,
    *,
    generated: date | None = None,
    name: str = "",
    base_dir: Path | None = None,
    beside: Collection[str] | None = None,
) -> str:
    """A self-contained HTML brief of an executed notebook.

    ``name`` is the fallback title; ``base_dir`` is where images linked from Markdown cells
    are looked up (to embed them). ``beside``: the files that sit beside the page in its
    folder (the batch's index and Excel files): the page links back to ``index.html`` when it
    is there, and a section's links to files not among them are left out (None: kept as made).
    """
    brief = read_brief(nb, name=name)
    day = generation_date(generated)
    issuer = load_issuer()
    resources = {
        "issuer": {"unit": issuer.unit(brief["lang"]), "contact": issuer.contact, "version": issuer.version,
                   "contact_href": contact_href(issuer.contact)},
        "index": INDEX_PAGE if beside is not None and INDEX_PAGE in beside else "",
        "brief": brief,
        "labels": dict(catalogue(brief["lang"]).tables["page"]),
        "generated": fmt_date(day, brief["lang"]),
        "generated_iso": day.isoformat(),
        "font_faces": typeface.font_face_css(),
        "metadata": {"name": name, "path": str(base_dir or "")},
    }
    page, _ = (exporter or make_html_exporter()).from_notebook_node(nb, resources=resources)
    page = with_contents(page, brief["lang"])
    if beside is not None:
        page = only_files_beside(page, beside)
    return page if unicodedata.is_normalized("NFC", page) else unicodedata.normalize("NFC", page)

#: The batch's index page, beside every brief of a year.
INDEX_PAGE = "index.html"
_LINKS = re.compile(r'<p class="links">(.*?)</p>', re.S)
_ANCHOR = re.compile(r'<a href="([^"]*)">.*?</a>', re.S)
_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?[0-9][0-9 .()-]{5,}[0-9]")


def only_files_beside(page: str, beside: Collection[str]) -> str:
    """The page without the section links (``<p class="links">``) to files that are not beside
    it: a brief rendered on its own never links to a missing Excel file."""
    present = set(beside)

    def keep(found: re.Match[str]) -> str:
        anchors = [a.group(0) for a in _ANCHOR.finditer(found.group(1)) if html.unescape(a.group(1)) in present]
        return f'<p class="links">{" · ".join(anchors)}</p>' if anchors else ""

    return _LINKS.sub(keep, page)


def contact_href(contact: str) -> str:
    """A link for the issuer's contact: ``mailto:`` for an e-mail address, ``tel:`` for a
    telephone number, else none (the text is shown as it is)."""
    text = contact.strip()
    if _EMAIL.fullmatch(text):
        return f"mailto:{text}"
    if _PHONE.fullmatch(text):
        return "tel:" + re.sub(r"[^0-9+]", "", text)
    return ""


_SECTION = re.compile(r'<section class="brief-section[^"]*" id="([^"]+)">\s*<h2>(.*?)</h2>', re.S)


def with_contents(page: str, lang: str) -> str:
    """The page with a contents list after its masthead: one link per section heading (the
    print stylesheet adds page numbers). Pages with fewer than three sections get none."""
    found = [(anchor, title) for anchor, title in _SECTION.findall(page) if anchor != "key-messages"]
    if len(found) < 3 or "</header>" not in page:
        return page
    items = "".join(f'<li><a href="#{anchor}">{title}</a></li>' for anchor, title in found)
    title = html.escape(catalogue(lang).label("page", "contents"))
    nav = (f'<nav class="contents" aria-label="{title}"><p class="contents-title">{title}</p>'
           f"<ol>{items}</ol></nav>")
    return page.replace("</header>", "</header>\n" + nav, 1)


def stylesheet() -> str:
    """The briefs' CSS with their embedded font, for pages built outside nbconvert (the batch's index)."""
    return typeface.font_face_css() + "\n" + (TEMPLATES_DIR / "brief" / "brief.css").read_text(encoding="utf-8")
