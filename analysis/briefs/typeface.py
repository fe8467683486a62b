"""The one typeface of every brief: "Brief Sans", a Latin + Vietnamese subset of Noto Sans.

A brief must look the same whatever fonts the reader's machine has, so it never asks the
machine for a font: the HTML embeds the font (WOFF2 data URIs in ``@font-face``), each
chart's SVG embeds the few glyphs it uses, matplotlib measures text with the shipped
TrueType files, and WeasyPrint draws the PDF from the same ``@font-face`` rules. The
files, their licence (SIL OFL 1.1) and how they were made are in ``analysis/briefs/fonts``
and ``scripts/subset_font.py``.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..paths import FONTS_DIR

FAMILY = "Brief Sans"
#: PostScript names of the shipped faces: the only fonts a brief's PDF may embed.
POSTSCRIPT_NAMES = ("BriefSans-Regular", "BriefSans-Bold")
_WEIGHTS = {"Regular": 400, "Bold": 700}


def font_file(style: str = "Regular", suffix: str = "ttf") -> Path:
    return FONTS_DIR / f"BriefSans-{style}.{suffix}"


@lru_cache(maxsize=1)
def font_face_css() -> str:
    """``@font-face`` rules for the shipped faces, as data URIs (nothing to fetch)."""
    rules = []
    for style, weight in _WEIGHTS.items():
        data = base64.b64encode(font_file(style, "woff2").read_bytes()).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{FAMILY}"; font-style: normal; font-weight: {weight}; '
                     f'src: url(data:font/woff2;base64,{data}) format("woff2"); }}')
    return "\n".join(rules)


@lru_cache(maxsize=1)
def register_with_matplotlib() -> str:
    """Make the shipped faces known to matplotlib (once per process); returns the family name."""
    from matplotlib import font_manager

    for style in _WEIGHTS:
        font_manager.fontManager.addfont(str(font_file(style)))
    return FAMILY


def glyph_subset_css(text: str, bold: bool = False) -> str:
    """An ``@font-face`` rule carrying only the glyphs of ``text``, for one chart's SVG.

    A chart is shown as an image, which cannot use the page's fonts, so it carries its own:
    the few dozen glyphs it draws, a few kilobytes.
    """
    return _glyph_subset_css(frozenset(text), bold)


#: The layout tables a subset spends most of its reading on (GPOS alone, its kerning, is
#: half of it): read once per process and copied into each subset's fresh font.
_LAYOUT_TABLES = ("GDEF", "GSUB", "GPOS")


@lru_cache(maxsize=2)
def _font_parts(style: str) -> tuple[bytes, dict[str, bytes]]:
    """The face's file, and its layout tables decompiled once and pickled.

    Unpickling a table costs half of decompiling it again, and the subsetter changes the
    tables it is given, so each subset gets its own copy of the same decompiled objects: the
    bytes out are the same as from a font read afresh (tests/test_typeface.py).
    """
    import pickle

    from fontTools.ttLib import TTFont

    data = font_file(style).read_bytes()
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    return data, {tag: pickle.dumps(font[tag], protocol=pickle.HIGHEST_PROTOCOL) for tag in _LAYOUT_TABLES if tag in font}


def _fresh_font(style: str) -> Any:
    """The face as :class:`~fontTools.ttLib.TTFont` reads it, layout tables already decompiled."""
    import pickle

    from fontTools.ttLib import TTFont

    data, tables = _font_parts(style)
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    for tag, table in tables.items():
        font[tag] = pickle.loads(table)
    return font


@lru_cache(maxsize=256)
def _glyph_subset_css(chars: frozenset[str], bold: bool) -> str:
    style = "Bold" if bold else "Regular"
    data = base64.b64encode(subset_woff2(_fresh_font(style), chars)).decode("ascii")
    return (f'@font-face{{font-family:"{FAMILY}";font-weight:{_WEIGHTS[style]};'
            f'src:url(data:font/woff2;base64,{data}) format("woff2")}}')


def subset_woff2(font: Any, chars: frozenset[str]) -> bytes:
    """``font`` (changed in place) cut down to the glyphs of ``chars`` and the space, as WOFF2."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["kern", "mark", "mkmk", "ccmp"]
    options.name_IDs = [1, 2, 6]
    options.flavor = "woff2"
    sub = subset.Subsetter(options)
    sub.populate(text="".join(sorted(chars | {" "})))
    sub.subset(font)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()
