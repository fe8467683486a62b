"""Print quality of the PDF briefs: full pages, readable labels, tidy tables, tagged and bookmarked."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from print_helpers import DISTRICT_SECTIONS, PROVINCE_2025_SECTIONS, PROVINCE_SECTIONS, brief_html, words

from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.briefs import render

MM = 72 / 25.4
PAGE_H = 297 * MM
TOP, BOTTOM = 20 * MM, 18 * MM  # the @page margins of brief.css
#: Noto Sans' ascent + descent (1069 + 293 units of 1000): a word box's height per point of size.
LINE_PER_PT = 1.362


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, bundled_inputs: bi.BriefInputs,
          bundled_inputs_all: bi.BriefInputs) -> dict[str, tuple[str, Path]]:
    inputs = bundled_inputs
    folder = tmp_path_factory.mktemp("print")
    out = {}
    # The end-2025 overview (the latest year, what make reports builds) adds the new units' ranking.
    new = br.province_brief(bundled_inputs_all, 2025, "vi")
    for slug, b, names in (("pac-nam", br.district_brief(inputs, "Pác Nặm", 2024, "vi"), DISTRICT_SECTIONS),
                           ("province", br.province_brief(inputs, 2024, "vi"), PROVINCE_SECTIONS),
                           ("province-2025", new, PROVINCE_2025_SECTIONS)):
        html = brief_html(b, names)
        pdf = folder / f"{slug}.pdf"
        pdf.write_bytes(render.html_to_pdf(html))
        out[slug] = (html, pdf)
    return out


@pytest.mark.parametrize("slug", ["pac-nam", "province", "province-2025"])
def test_no_page_under_a_third_full_but_the_last(built: dict[str, tuple[str, Path]], slug: str) -> None:
    pages = words(built[slug][1])
    assert len(pages) >= 3
    body = PAGE_H - TOP - BOTTOM
    for number, page in enumerate(pages[:-1], start=1):
        content = [w for w in page if w[1] > TOP - 2 and w[3] < PAGE_H - BOTTOM + 2]  # running header and footer left out
        filled = (max(w[3] for w in content) - TOP) / body
        assert filled >= 1 / 3, f"{slug} page {number} is {filled:.0%} full"


@pytest.mark.parametrize("slug", ["pac-nam", "province", "province-2025"])
def test_no_text_or_chart_label_under_7_points(built: dict[str, tuple[str, Path]], slug: str) -> None:
    # Charts print no rotated text (their value axis is named above it), so a word's box
    # height gives its size everywhere.
    sizes = [(w[3] - w[1]) / LINE_PER_PT for page in words(built[slug][1]) for w in page]
    assert min(sizes) >= 6.9, f"smallest text {min(sizes):.1f} pt"


@pytest.mark.parametrize("slug", ["pac-nam", "province"])
def test_table_headers_wrap_to_two_lines_at_most(built: dict[str, tuple[str, Path]], slug: str) -> None:
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import LineBox

    html = render.svg_as_images(built[slug][0])
    from analysis.briefs.render.pdf import _local_only_fetcher

    source = HTML(string=html, url_fetcher=_local_only_fetcher())
    document = source.render()

    def walk(box):
        yield box
        for child in getattr(box, "children", ()):
            yield from walk(child)

    head_cells = {id(th) for thead in source.etree_element.iter("thead") for th in thead.iter("th")}
    headers = 0
    for page in document.pages:
        for box in walk(page._page_box):
            if getattr(box, "element_tag", None) == "th" and id(box.element) in head_cells:
                lines = sum(1 for b in walk(box) if isinstance(b, LineBox))
                headers += 1
                assert lines <= 2, f"{slug}: header {box.element.text_content()!r} wraps to {lines} lines"
    assert headers > 10


@pytest.mark.parametrize("slug", ["pac-nam", "province"])
def test_pdf_is_tagged_with_a_bookmark_per_heading(built: dict[str, tuple[str, Path]], slug: str) -> None:
    import re

    from pypdf import PdfReader

    html, pdf = built[slug]
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root and root["/Lang"] == "vi"
    titles: list[str] = []
    for item in reader.outline:
        titles += [o.title for o in item] if isinstance(item, list) else [item.title]
    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2>(.*?)</h2>", html)]
    assert headings and all(h in titles for h in headings), (headings, titles)


def test_the_colophon_never_takes_the_last_page_alone(built: dict[str, tuple[str, Path]], tmp_path: Path) -> None:
    """The Pác Nặm brief with its data notes pushed down line by line: where the end first
    runs onto a new page, the colophon takes the notes' last lines with it (it is short, and a
    page holding only the colophon reads as a blank page). The printed end-2025 overview's
    metadata names what it briefs."""
    import html as html_lib
    import re

    from pypdf import PdfReader

    page = built["pac-nam"][0]
    head, rest = page.split("<main>", 1)
    body, tail = rest.split("</main>", 1)
    notes = body[body.rindex('<section class="cell">', 0, body.index('id="notes"')):]
    footer = tail[tail.index('<footer class="colophon">'):tail.index("</footer>")]
    colophon = set(html_lib.unescape(re.sub(r"<[^>]+>", " ", footer)).split())

    def last_page(lines: int) -> tuple[int, set[str]]:
        filler = "".join(f"<p>Dòng thử {k}.</p>" for k in range(lines))
        pdf = tmp_path / f"notes-{lines}.pdf"
        pdf.write_bytes(render.html_to_pdf(f"{head}<main>{filler}{notes}</main>{tail}"))
        pages = words(pdf)
        body_words = {w[4] for w in pages[-1] if w[1] > TOP - 2 and w[3] < PAGE_H - BOTTOM + 2}
        return len(pages), body_words

    low, high = 0, 48  # one page at 0 lines of filler, more at 48: find where the end first runs over
    assert last_page(low)[0] == 1 and last_page(high)[0] > 1
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if last_page(middle)[0] == 1 else (low, middle)
    for lines in (high, high + 1, high + 2):
        count, shown = last_page(lines)
        assert count == 2 and shown - colophon, f"{lines} lines: the last page holds only the colophon ({sorted(shown)})"
    title = PdfReader(io.BytesIO(built["province-2025"][1].read_bytes())).metadata.title
    assert title == "Tổng quan tình hình nghèo khu vực tỉnh Bắc Kạn cũ (nay thuộc tỉnh Thái Nguyên) năm 2025"
