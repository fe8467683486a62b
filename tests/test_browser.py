"""A real browser reads a small rendered site: two briefs, their PDFs and an index."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from browser_check import check_site, chromium_missing_reason
from test_render import make_notebook, tiny_png

from analysis.briefs import render

pytestmark = pytest.mark.skipif(chromium_missing_reason() is not None, reason=str(chromium_missing_reason()))

INDEX = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Briefs</title></head><body>
<h1>Báo cáo tóm tắt</h1><ul>{items}</ul>
<p class="sources">Nguồn: <a href="https://baodansinh.vn/bac-kan-muc-tieu-giam-ty-le-ho-ngheo-tu-2-25-nam-20230301162736.htm">baodansinh.vn</a></p>
</body></html>"""


def build_site(folder: Path, units: list[str]) -> Path:
    """Render briefs (HTML and PDF) for ``units`` and an index linking to them."""
    folder.mkdir(parents=True, exist_ok=True)
    exporter, items = render.make_html_exporter(), []
    for unit in units:
        html = render.notebook_to_html(make_notebook(unit, png=tiny_png(unit)), exporter, generated=date(2024, 5, 1))
        slug = render.brief_slug({"unit": unit})
        render.write_atomic(folder / f"{slug}.html", html)
        render.write_atomic(folder / f"{slug}.pdf", render.html_to_pdf(html))
        items.append(f'<li><a href="{slug}.html">{unit}</a> (<a href="{slug}.pdf">PDF</a>)</li>')
    index = folder / "index.html"
    render.write_atomic(index, INDEX.format(items="".join(items)))
    return index


def test_rendered_site_loads_fully_offline(tmp_path: Path) -> None:
    """Everything loads from the folder; a plain link to a web source is not a load (nor followed)."""
    index = build_site(tmp_path / "2024", ["Huyện Pác Nặm", "Thành phố Bắc Kạn"])
    visited = check_site(index)
    assert sorted(p.name for p in visited) == ["index.html", "pac-nam.html", "thanh-pho-bac-kan.html"]


def test_check_site_reports_every_kind_of_problem(tmp_path: Path) -> None:
    index = build_site(tmp_path / "2024", ["Huyện Pác Nặm"])
    (tmp_path / "2024" / "bad.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title></head><body>'
        '<img src="data:image/png;base64,AAAA" alt="broken">'
        '<img src="https://cdn.example.com/x.png" alt="remote">'
        '<a href="missing.pdf">gone</a> <a href="../outside.html">out</a> <a href="https://example.org/source">a source</a>'
        "<script>console.error('boom')</script></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "outside.html").write_text("<p>outside</p>", encoding="utf-8")
    index.write_text(index.read_text(encoding="utf-8").replace("</ul>", '<li><a href="bad.html">bad</a></li></ul>'), encoding="utf-8")
    with pytest.raises(AssertionError) as failure:
        check_site(index)
    report = str(failure.value)
    for expected in ("image did not load: data:image/png", "request leaves the report folder: https://cdn.example.com",
                     "broken link: missing.pdf", "link leaves the report folder", "console error: boom"):
        assert expected in report, report
    assert "example.org" not in report  # a plain <a href="https://…"> is a link, not a load


def test_a_request_the_page_makes_still_fails_whatever_its_links(tmp_path: Path) -> None:
    """Fetching a linked address at load (a prefetch hint, a script's fetch) is a request that leaves the page."""
    index = build_site(tmp_path / "2024", ["Huyện Pác Nặm"])
    index.write_text(index.read_text(encoding="utf-8").replace(
        "</body>", '<link rel="stylesheet" href="https://baodansinh.vn/style.css"></body>'), encoding="utf-8")
    with pytest.raises(AssertionError) as failure:
        check_site(index)
    assert "request leaves the report folder: https://baodansinh.vn/style.css" in str(failure.value)


# --- a phone: 360 px wide ---------------------------------------------------------------------

PHONE_CHECK = """() => {
  const imgs = [...document.querySelectorAll('figure.chart img')].map(i => ({src: i.currentSrc, width: i.clientWidth}));
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, imgs};
}"""


def _smallest_label_px(svg: str, shown_width: float) -> float:
    """The smallest text of a chart SVG in CSS pixels when it is shown ``shown_width`` px wide."""
    import re

    view_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]
    return min(sizes) * shown_width / view_width


@pytest.mark.parametrize("unit", ["Pác Nặm", None], ids=["district", "province"])
def test_phone_width_has_no_horizontal_scroll_and_readable_charts(tmp_path: Path, unit: str | None, bundled_inputs) -> None:
    import base64

    from playwright.sync_api import sync_playwright
    from print_helpers import DISTRICT_SECTIONS, PROVINCE_SECTIONS, brief_html

    from analysis.briefs import brief as br

    inputs = bundled_inputs
    made = br.district_brief(inputs, unit, 2024, "vi") if unit else br.province_brief(inputs, 2024, "vi")
    page_path = tmp_path / "brief.html"
    page_path.write_text(brief_html(made, DISTRICT_SECTIONS if unit else PROVINCE_SECTIONS), encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"], headless=True)
        try:
            page = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=1)
            page.goto(page_path.as_uri(), wait_until="load")
            found = page.evaluate(PHONE_CHECK)
            page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
        finally:
            browser.close()
    assert found["scroll"] <= found["inner"], found["scroll"]
    assert len(found["imgs"]) >= 4
    for img in found["imgs"]:
        svg = base64.b64decode(img["src"].split(",", 1)[1]).decode("utf-8")
        assert _smallest_label_px(svg, img["width"]) >= 11, (svg[:200], img["width"])
