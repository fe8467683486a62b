"""Make the briefs' font: Noto Sans cut down to Latin and Vietnamese, renamed "Brief Sans".

Source: Noto Sans 2.004 (SIL Open Font License 1.1, no Reserved Font Name) from Debian's
``fonts-noto-core`` package (20201225-1)::

    apt-get download fonts-noto-core && dpkg-deb -x fonts-noto-core_*.deb noto
    python scripts/subset_font.py noto/usr/share/fonts/truetype/noto

The family is renamed so that a Noto Sans installed on the machine can never stand in for
it (matplotlib and fontconfig pick among same-named fonts by their own rules). Hinting is
dropped (briefs are read on high-resolution screens and in PDF); kerning and the mark
positioning that stacks Vietnamese diacritics are kept. Noto Sans 2.004 has no minus
sign (U+2212, which tables and chart axes print), so one is drawn from the horizontal
bar of its plus sign, the way type designers make it. Writes TrueType (for matplotlib
and WeasyPrint) and WOFF2 (embedded in the HTML) into analysis/briefs/fonts/.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parent.parent / "analysis" / "briefs" / "fonts"
FAMILY = "Brief Sans"
#: Basic Latin, Latin-1, Latin Extended-A, the Vietnamese letters of Latin Extended-B
#: (Ơ ơ Ư ư), combining marks, Latin Extended Additional (ạ … ỹ), general punctuation,
#: the dong and euro signs, arrows and the maths signs tables and charts use.
UNICODES = [
    *range(0x20, 0x7F), *range(0xA0, 0x180), 0x1A0, 0x1A1, 0x1AF, 0x1B0, *range(0x300, 0x324),
    *range(0x1EA0, 0x1F00), *range(0x2000, 0x2070), 0x20AB, 0x20AC, 0x2116, *range(0x2190, 0x2194),
    0x2212, 0x2248, 0x2260, 0x2264, 0x2265, 0x25CF, 0x25A0,
]


def make(source: Path, style: str) -> None:
    options = subset.Options()
    options.layout_features = ["kern", "mark", "mkmk", "ccmp", "liga", "locl", "tnum", "lnum", "pnum"]
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.notdef_outline = True
    font = TTFont(source)
    add_minus(font)
    sub = subset.Subsetter(options)
    sub.populate(unicodes=UNICODES)
    sub.subset(font)
    names = font["name"]
    ps = f"{FAMILY.replace(' ', '')}-{style}"
    for record in list(names.names):
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 3:
            record.string = f"2.004;subset;{ps}"
        elif record.nameID == 4:
            record.string = f"{FAMILY} {style}" if style != "Regular" else FAMILY + " Regular"
        elif record.nameID == 6:
            record.string = ps
        elif record.nameID == 5:
            record.string = "Version 2.004; subset of Noto Sans for Latin and Vietnamese"
    font.flavor = None
    font.save(OUT / f"{ps}.ttf")
    font.flavor = "woff2"
    font.save(OUT / f"{ps}.woff2")


def add_minus(font: TTFont) -> None:
    """A minus sign (U+2212): the plus sign's horizontal bar, on the plus sign's width."""
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    cmap = font.getBestCmap()
    if 0x2212 in cmap:
        return
    glyf, hmtx = font["glyf"], font["hmtx"]
    plus = glyf[cmap[ord("+")]]
    coords = plus.getCoordinates(glyf)[0]
    x_min, x_max = min(x for x, _ in coords), max(x for x, _ in coords)
    bar = sorted({y for x, y in coords if x == x_min})
    pen = TTGlyphPen(None)
    pen.moveTo((x_min, bar[0]))
    pen.lineTo((x_min, bar[-1]))
    pen.lineTo((x_max, bar[-1]))
    pen.lineTo((x_max, bar[0]))
    pen.closePath()
    glyph = pen.glyph()
    glyph.recalcBounds(glyf)
    name = "uni2212"
    font.setGlyphOrder([*font.getGlyphOrder(), name])
    glyf[name] = glyph
    hmtx[name] = (hmtx[cmap[ord("+")]][0], x_min)
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[0x2212] = name
    font["maxp"].numGlyphs = len(font.getGlyphOrder())


def main(folder: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for style in ("Regular", "Bold"):
        make(Path(folder) / f"NotoSans-{style}.ttf", style)


if __name__ == "__main__":
    main(sys.argv[1])
