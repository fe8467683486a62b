"""HTML brief to PDF with WeasyPrint, in process, fetching nothing from outside the file."""

from __future__ import annotations

import html as html_lib
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # nbconvert and WeasyPrint are imported when used: notebooks import this module
    pass



def _local_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that refuses the network: a brief is self-contained."""
    import weasyprint

    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint >= 68: fetchers are objects
        return weasyprint.URLFetcher(allowed_protocols={"data", "file"})

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:  # older WeasyPrint: a function
        if not url.startswith(("data:", "file:")):
            raise ValueError(f"refusing to fetch {url!r}: a brief loads nothing from outside")
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return fetch

def html_to_pdf(html: str, *, base_url: str | None = None, font_config: Any = None) -> bytes:
    """An A4 PDF of a brief (page size, header and page numbers come from its print CSS).

    Tagged PDF/UA-1: a structure tree (headings, paragraphs, tables, figures with their alt
    text) for screen readers, the document language and title, and a bookmark per heading.
    ``font_config``: a WeasyPrint ``FontConfiguration`` kept by the caller across PDFs (the
    batch keeps one per worker thread, so fonts are set up once; the PDF is the same).
    """
    from weasyprint import HTML

    page = _without_chart_fonts(svg_as_images(html))
    stylesheets = None
    if font_config is not None:  # a caller that keeps fonts across PDFs keeps the parsed CSS too
        page, stylesheets = _parsed_stylesheet(page, base_url, font_config)
    document = HTML(string=page, base_url=base_url, url_fetcher=_local_only_fetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT, font_config=font_config, stylesheets=stylesheets)


#: Parsed stylesheets by (CSS text, base URL, font configuration): every brief of a batch
#: carries the same ``<style>`` (the brief CSS and the embedded font), parsed once per worker.
_PARSED_CSS: dict[tuple[str, str | None, int], Any] = {}
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _parsed_stylesheet(page: str, base_url: str | None, font_config: Any) -> tuple[str, list[Any] | None]:
    """The page without its one ``<style>``, and that stylesheet parsed (cached): the PDF is
    byte for byte the one WeasyPrint makes from the page as it was. A page with any other
    ``<style>`` (an inline SVG's) is left alone."""
    from weasyprint import CSS

    found = _STYLE.search(page)
    if found is None or page.count("<style") != 1:
        return page, None
    key = (found.group(1), base_url, id(font_config))
    css = _PARSED_CSS.get(key)
    if css is None:
        if len(_PARSED_CSS) >= 4:
            _PARSED_CSS.clear()
        css = _PARSED_CSS[key] = (CSS(string=found.group(1), base_url=base_url, url_fetcher=_local_only_fetcher(), font_config=font_config), font_config)
    return page[: found.start()] + page[found.end():], [css[0]]


#: WeasyPrint's accessible variant: tagged, with language, title and heading bookmarks.
PDF_VARIANT = "pdf/ua-1"


_SVG_DATA_URI = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')
_CHART_FONT = re.compile(r'<style id="brief-font">.*?</style>', re.S)


def _without_chart_fonts(html: str) -> str:
    """Chart images without the glyphs they carry for browsers: the PDF draws their text
    with the document's own copy of the same font, so it embeds that font once."""
    import base64

    def strip(match: re.Match[str]) -> str:
        svg = base64.b64decode(match.group(1)).decode("utf-8")
        if '<style id="brief-font">' not in svg:
            return match.group(0)
        svg = _CHART_FONT.sub("", svg, count=1)
        return f'src="data:image/svg+xml;base64,{base64.b64encode(svg.encode("utf-8")).decode("ascii")}"'

    return _SVG_DATA_URI.sub(strip, _PHONE_SOURCE.sub("", html))


#: A chart's phone variant (``<source>`` of its ``<picture>``): never printed.
_PHONE_SOURCE = re.compile(r'<source media="\(max-width: 40rem\)" srcset="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+">')

_INLINE_SVG = re.compile(r"<svg\b.*?</svg>", re.S | re.I)

_SVG_TITLE = re.compile(r"<title>(.*?)</title>", re.S)

def svg_as_images(html: str) -> str:
    """Inline SVG charts turned into data-URI images, for WeasyPrint.

    WeasyPrint runs its HTML cascade over every element of an inline SVG (hundreds per
    chart); as an image the SVG skips it, which saves about a quarter of a brief's PDF
    time. Chart text stays text in the PDF. An SVG that is not well-formed XML stays inline.
    """
    return _INLINE_SVG.sub(_svg_image, html) if "<svg" in html else html

def _svg_image(match: re.Match[str]) -> str:
    import base64
    from xml.etree import ElementTree

    svg = match.group(0)
    if svg.count("<svg") > 1:
        return svg
    if "xmlns=" not in svg[: svg.index(">")]:
        svg = svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    try:
        ElementTree.fromstring(svg)
    except ElementTree.ParseError:
        return match.group(0)
    title = _SVG_TITLE.search(svg)
    alt = html_lib.escape(html_lib.unescape(title.group(1))) if title else ""
    return f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode("utf-8")).decode("ascii")}" alt="{alt}">'
