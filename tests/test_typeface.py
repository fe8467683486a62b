"""One shipped font for HTML, charts and PDF: the brief looks the same on any machine."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from nbformat.v4 import new_output
from test_render import make_notebook

from analysis.briefs import charts, render, typeface
from analysis.paths import FONTS_DIR, PROJECT_DIR

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"


def _brief_html() -> str:
    nb = make_notebook("Huyện Pác Nặm")
    chart = charts.rate_bars(["Bằng Thành", "Nhạn Môn", "Cổ Linh"], [40.1, 12.5, 3.2], [10.0, 8.0, 5.0], "vi",
                             title="Tỷ lệ hộ nghèo – Pác Nặm", highlight="Nhạn Môn")
    nb.cells[2].outputs.append(new_output("display_data", data={"text/html": chart.to_html(), "text/plain": "chart"}))
    return render.notebook_to_html(nb, generated=date(2024, 5, 1))


def test_shipped_font_is_small_licensed_and_vietnamese_complete() -> None:
    from fontTools.ttLib import TTFont

    files = sorted(FONTS_DIR.glob("BriefSans-*"))
    assert len(files) == 4 and sum(f.stat().st_size for f in files) < 300_000
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS_DIR / "OFL.txt").read_text(encoding="utf-8")
    for style in ("Regular", "Bold"):
        cmap = TTFont(typeface.font_file(style)).getBestCmap()
        letters = VIETNAMESE + VIETNAMESE.upper() + "0123456789,.%–—−·…“”"
        assert not [ch for ch in letters if ord(ch) not in cmap], style


def test_html_embeds_the_font_and_names_no_other() -> None:
    page = _brief_html()
    assert page.count("@font-face") >= 2 and "data:font/woff2;base64," in page
    families = set(re.findall(r"font-family:\s*([^;}]+)", page))
    assert families and all(f.strip().startswith('"Brief Sans"') for f in families), families


def test_chart_svg_carries_its_glyphs_and_uses_the_font() -> None:
    chart = charts.rate_bars(["Bằng Thành"], [40.1], [10.0], "vi", title="Tỷ lệ hộ nghèo")
    assert '<style id="brief-font">@font-face{font-family:"Brief Sans"' in chart.svg
    assert "font-family: 'Brief Sans'" in chart.svg and "DejaVu" not in chart.svg


def _pdf_in_subprocess(html_path: Path, out: Path, env: dict[str, str]) -> bytes:
    code = ("import sys; from pathlib import Path; from analysis.briefs import render; "
            "Path(sys.argv[2]).write_bytes(render.html_to_pdf(Path(sys.argv[1]).read_text(encoding='utf-8')))")
    subprocess.run([sys.executable, "-c", code, str(html_path), str(out)], check=True, env=env, cwd=PROJECT_DIR, timeout=300)
    return out.read_bytes()


def test_pdf_is_identical_without_any_system_font_and_embeds_only_the_shipped_one(tmp_path: Path) -> None:
    from pypdf import PdfReader

    html_path = tmp_path / "brief.html"
    html_path.write_text(_brief_html(), encoding="utf-8")
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
                     f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    usual = _pdf_in_subprocess(html_path, tmp_path / "usual.pdf", env)
    bare = _pdf_in_subprocess(html_path, tmp_path / "bare.pdf", {**env, "FONTCONFIG_FILE": str(empty)})
    assert usual == bare
    fonts = set()
    for page in PdfReader(io.BytesIO(usual)).pages:
        resources = page["/Resources"]
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
        for xobject in (resources.get("/XObject") or {}).values():  # chart images are forms with their own fonts
            for font in (xobject.get_object().get("/Resources", {}).get("/Font") or {}).values():
                fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all(re.fullmatch(r"/[A-Z]{6}\+Brief-Sans(-Bold)?", f) for f in fonts), fonts
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(usual)).pages)
    assert "Nhạn Môn" in text and "Bằng Thành" in text


@pytest.mark.parametrize("style", ["Regular", "Bold"])
def test_matplotlib_measures_with_the_shipped_file(style: str) -> None:
    from matplotlib import font_manager

    typeface.register_with_matplotlib()
    found = font_manager.findfont(font_manager.FontProperties(family=typeface.FAMILY, weight=style.lower()), fallback_to_default=False)
    assert Path(found) == typeface.font_file(style)


@pytest.mark.parametrize("bold", [False, True])
def test_chart_glyph_subset_is_the_one_a_freshly_read_font_gives(bold: bool) -> None:
    """The subsets reuse the layout tables decompiled once per process: same bytes as before."""
    import base64

    from fontTools.ttLib import TTFont

    style = "Bold" if bold else "Regular"
    for text in ("Tỷ lệ hộ nghèo – Bằng Thành 40,1%", "Ngân Sơn, Chợ Đồn (2024): 1.234 hộ", "AVAWTo fi ffl ỗ"):
        chars = frozenset(text)
        expected = typeface.subset_woff2(TTFont(typeface.font_file(style), recalcTimestamp=False), chars)
        assert typeface.subset_woff2(typeface._fresh_font(style), chars) == expected
        assert f"base64,{base64.b64encode(expected).decode('ascii')})" in typeface._glyph_subset_css.__wrapped__(chars, bold)
