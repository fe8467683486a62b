"""Turn executed notebooks into self-contained HTML and PDF briefs.

The pipeline is ``notebook_to_html`` (nbconvert with the project's template in
``analysis/briefs/templates/brief``) then ``html_to_pdf`` (WeasyPrint, in process), each file
written with ``write_atomic``. The batch calls these directly with one exporter from
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

    from analysis.render import brief_metadata
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

from __future__ import annotations

import html as html_lib
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..errors import DataError, Problem, UsageError
from ..paths import TEMPLATES_DIR
from ..review.units import load_units, nfc, slugify
from . import typeface

if TYPE_CHECKING:  # nbconvert and WeasyPrint are imported when used: notebooks import this module
    import nbformat
    from nbconvert import HTMLExporter

__all__ = [
    "BRIEF_MIME", "FORMATS", "brief_metadata", "brief_slug", "check_renderable", "generation_date", "html_to_pdf",
    "make_html_exporter", "notebook_to_html", "parse_formats", "read_brief", "read_notebook", "render_notebook", "stylesheet", "svg_as_images",
    "tidy_html", "tidy_tables", "write_atomic",
]

BRIEF_MIME = "application/vnd.brief+json"
FORMATS = ("html", "pdf")
LANGS = ("vi", "en")

_LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "vi": MappingProxyType({
        "page": "Trang", "page_of": " / ", "generated": "Ngày tạo:", "source": "Nguồn số liệu",
        "standard": "Chuẩn nghèo", "year": "Năm rà soát", "chart": "Biểu đồ",
        "synthetic": "Dữ liệu mô phỏng — không phải số liệu chính thức",
        "synthetic_short": "Dữ liệu mô phỏng",
    }),
    "en": MappingProxyType({
        "page": "Page", "page_of": " of ", "generated": "Generated on", "source": "Data source",
        "standard": "Poverty standard", "year": "Review year", "chart": "Chart",
        "synthetic": "Synthetic data — not official figures",
        "synthetic_short": "Synthetic data",
    }),
})
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
_DISPLAY_PRIORITY = ["text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg", "text/latex", "text/plain"]
_OBJECT_REPR = re.compile(r"\[?<[^<>]* at 0x[0-9a-fA-F]+>(, <[^<>]* at 0x[0-9a-fA-F]+>)*\]?")


# --- brief metadata ----------------------------------------------------------------------


class BriefMetadata:
    """A display object carrying brief metadata; shows one plain line in JupyterLab."""

    def __init__(self, meta: Mapping[str, Any]) -> None:
        self.meta = dict(meta)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        parts = [str(self.meta.get(k)) for k in ("title", "year", "lang") if self.meta.get(k) not in (None, "")]
        return {BRIEF_MIME: self.meta, "text/plain": "Brief: " + " · ".join(parts)}


def brief_metadata(meta: Mapping[str, Any]) -> BriefMetadata:
    """The object a notebook's first cell displays so the renderer knows what brief it is.

    Values become plain JSON types here (a numpy year would not serialise).
    """
    lang = str(meta.get("lang", "vi"))
    if lang not in LANGS:
        raise UsageError(f"unknown brief language {lang!r}; choose one of: {', '.join(LANGS)}")
    clean: dict[str, Any] = {k: nfc(v) for k, v in meta.items() if isinstance(v, str)}
    clean["lang"] = lang
    if meta.get("year") is not None:
        clean["year"] = int(meta["year"])
    clean["synthetic"] = bool(meta.get("synthetic", False))
    return BriefMetadata(clean)


def read_brief(nb: Mapping[str, Any], *, name: str = "") -> dict[str, Any]:
    """Brief metadata of a notebook, with defaults, ready for the template."""
    meta: dict[str, Any] = dict(nb.get("metadata", {}).get("brief", {}) or {})
    meta.update(_brief_output(nb) or {})
    text = {k: nfc(meta.get(k) or "") for k in ("title", "province", "unit", "source", "standard", "slug")}
    year = meta.get("year")
    text["title"] = text["title"] or text["unit"] or name
    return {
        **text,
        "year": int(year) if year not in (None, "") else None,
        "lang": meta.get("lang") if meta.get("lang") in LANGS else "vi",
        "synthetic": bool(meta.get("synthetic", False)),
        "running": " · ".join(str(p) for p in (text["province"], text["unit"], year) if p not in (None, "")),
    }


def brief_slug(brief: Mapping[str, Any], fallback: str = "brief") -> str:
    """ASCII file stem of a brief: its ``slug``, else its unit's canonical name, else ``fallback``.

    The canonical name drops a level word the reference list does not have, so
    ``Huyện Pác Nặm`` gives ``pac-nam`` while ``Thành phố Bắc Kạn`` stays ``thanh-pho-bac-kan``
    and ``Tỉnh Bắc Kạn`` (which the city's name would match) gives ``tinh-bac-kan``.
    """
    if brief.get("slug"):
        return slugify(brief["slug"])
    unit = nfc(brief.get("unit") or "")
    if not unit:
        return slugify(fallback) or "brief"
    district = None if unit.lower().startswith("tỉnh ") else load_units().canonical("district", unit)
    return slugify(district or unit)


def _brief_output(nb: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The first ``application/vnd.brief+json`` output in the notebook, if any."""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data", {})
            if BRIEF_MIME in data and isinstance(data[BRIEF_MIME], Mapping):
                return data[BRIEF_MIME]
    return None


def generation_date(generated: date | None = None) -> date:
    """The footer date: given, else ``SOURCE_DATE_EPOCH`` (reproducible builds), else today."""
    if generated is not None:
        return generated
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


def _format_date(day: date, lang: str) -> str:
    if lang == "vi":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


# --- template filters ----------------------------------------------------------------------


def is_shown(output: Mapping[str, Any]) -> bool:
    """Whether an output belongs on the page (not stderr, brief metadata or an object repr)."""
    kind = output.get("output_type")
    if kind == "stream":
        return output.get("name") == "stdout"
    data = output.get("data", {})
    if BRIEF_MIME in data:
        return False
    if kind == "execute_result" and set(data) == {"text/plain"}:
        return not _OBJECT_REPR.fullmatch(str(data["text/plain"]).strip())
    return True


def shown_outputs(outputs: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [o for o in outputs if is_shown(o)]


def css_string(text: Any) -> str:
    """Text safe inside a double-quoted CSS string in a <style> element."""
    out = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return out.replace("<", "\\3C ").replace(">", "\\3E ")


def image_alt(output: Mapping[str, Any], mime: str, default: str) -> str:
    """Alt text from the output's metadata (``{"image/png": {"alt": …}}`` or ``{"alt": …}``)."""
    meta = output.get("metadata", {}) or {}
    return str((meta.get(mime) or {}).get("alt") or meta.get("alt") or default)


def image_size(output: Mapping[str, Any], mime: str) -> str:
    """Width/height attributes when the notebook set them (e.g. ``Image(width=…)``)."""
    meta = (output.get("metadata", {}) or {}).get(mime) or {}
    attrs = [f' {k}="{html_lib.escape(str(meta[k]))}"' for k in ("width", "height") if meta.get(k)]
    return "".join(attrs)


_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S | re.I)
_CELL = re.compile(r"<(td|th)\b([^>]*)>(.*?)</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_NUMBER = re.compile(r"[+\-−±]?\s?[$€]?\d[\d.,\s\u00a0\u202f]*(\s?(%|‰|pp|đ|điểm %|p\.p\.))?")
_BLANK = {"", "-", "–", "—", "nan", "NaN", "<NA>", "n/a", "…", "..."}


_SVG_AUTO_HEIGHT = re.compile(r'(<svg\b[^>]*\bstyle="[^"]*?)\s*height:\s*auto;?')


def tidy_html(fragment: str) -> str:
    """An HTML output made ready for the page: number columns marked, SVG sizing fixed.

    WeasyPrint draws an inline ``<svg style="height: auto">`` as a square (the style hides
    the height attribute from its SVG sizing), so that declaration is dropped; the brief's
    stylesheet gives browsers ``height: auto`` anyway.
    """
    fragment = tidy_tables(fragment)
    return _SVG_AUTO_HEIGHT.sub(r"\1", fragment) if "<svg" in fragment else fragment


def tidy_tables(fragment: str) -> str:
    """Mark the cells of all-number columns with class ``num`` so CSS right-aligns them."""
    if "<table" not in fragment:
        return fragment
    return _TABLE.sub(lambda m: _tidy_table(m.group(0)), fragment)


def _tidy_table(table: str) -> str:
    head, sep, body = table.partition("<tbody")
    if not sep:
        return table
    numeric = _numeric_columns(body)
    if not numeric:
        return table
    return _mark_cells(head, numeric, header=True) + sep + _mark_cells(body, numeric, header=False)


def _numeric_columns(body: str) -> set[int]:
    """Columns (counted from the right, -1 last) whose non-blank data cells are all numbers."""
    verdicts: dict[int, bool] = {}
    for row in _ROW.findall(body):
        cells = [(tag.lower(), _cell_text(inner)) for tag, _, inner in _CELL.findall(row)]
        for pos, (tag, text) in zip(range(-len(cells), 0), cells):
            if tag == "td" and text not in _BLANK:
                verdicts[pos] = verdicts.get(pos, True) and bool(_NUMBER.fullmatch(text))
    return {pos for pos, ok in verdicts.items() if ok}


def _cell_text(inner: str) -> str:
    return html_lib.unescape(_TAG.sub("", inner)).strip()


def _mark_cells(part: str, numeric: set[int], *, header: bool) -> str:
    def row(match: re.Match[str]) -> str:
        text = match.group(0)
        if header and "colspan" in text:  # spanning headers do not map to single columns
            return text
        cells = list(_CELL.finditer(text))
        out, last = [], 0
        for pos, cell in zip(range(-len(cells), 0), cells):
            tag, attrs, inner = cell.groups()
            if pos in numeric and (header or tag.lower() == "td"):
                out += [text[last:cell.start()], f"<{tag}{_add_class(attrs, 'num')}>{inner}</{tag}>"]
                last = cell.end()
        return "".join(out) + text[last:]

    return re.sub(r"<tr\b[^>]*>.*?</tr>", row, part, flags=re.S | re.I)


def _add_class(attrs: str, name: str) -> str:
    if re.search(r'\bclass="', attrs):
        return re.sub(r'\bclass="', f'class="{name} ', attrs, count=1)
    return f'{attrs} class="{name}"'


# --- HTML ----------------------------------------------------------------------------------


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
) -> str:
    """A self-contained HTML brief of an executed notebook.

    ``name`` is the fallback title; ``base_dir`` is where images linked from Markdown cells
    are looked up (to embed them).
    """
    brief = read_brief(nb, name=name)
    day = generation_date(generated)
    resources = {
        "brief": brief,
        "labels": dict(_LABELS[brief["lang"]]),
        "generated": _format_date(day, brief["lang"]),
        "generated_iso": day.isoformat(),
        "font_faces": typeface.font_face_css(),
        "metadata": {"name": name, "path": str(base_dir or "")},
    }
    page, _ = (exporter or make_html_exporter()).from_notebook_node(nb, resources=resources)
    return page if unicodedata.is_normalized("NFC", page) else unicodedata.normalize("NFC", page)


def stylesheet() -> str:
    """The briefs' CSS with their embedded font, for pages built outside nbconvert (the batch's index)."""
    return typeface.font_face_css() + "\n" + (TEMPLATES_DIR / "brief" / "brief.css").read_text(encoding="utf-8")


# --- PDF -----------------------------------------------------------------------------------


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


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """An A4 PDF of a brief (page size, header and page numbers come from its print CSS)."""
    from weasyprint import HTML

    return HTML(string=_without_chart_fonts(svg_as_images(html)), base_url=base_url, url_fetcher=_local_only_fetcher()).write_pdf()


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

    return _SVG_DATA_URI.sub(strip, html)


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


# --- files ---------------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``path`` so that readers see the old file or the whole new one, never a part."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies, unlike mkstemp's 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
    html = notebook_to_html(nb, name=path.stem, base_dir=path.parent)
    stem = brief_slug(read_brief(nb, name=path.stem), path.stem)
    folder = Path(out_dir) if out_dir is not None else path.parent
    folder.mkdir(parents=True, exist_ok=True)
    payloads = {fmt: html if fmt == "html" else html_to_pdf(html, base_url=folder.resolve().as_uri() + "/") for fmt in formats}
    written = []  # written only once every format rendered, so a failure leaves no partial set
    for fmt, data in payloads.items():
        write_atomic(folder / f"{stem}.{fmt}", data)
        written.append(folder / f"{stem}.{fmt}")
    return written

