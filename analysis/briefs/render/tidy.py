"""What a brief shows of a notebook's outputs, and the HTML tidying the template applies
(numeric table columns right-aligned, SVG sizes kept)."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .metadata import BRIEF_MIME

if TYPE_CHECKING:  # nbconvert and WeasyPrint are imported when used: notebooks import this module
    pass



_OBJECT_REPR = re.compile(r"\[?<[^<>]* at 0x[0-9a-fA-F]+>(, <[^<>]* at 0x[0-9a-fA-F]+>)*\]?")

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
