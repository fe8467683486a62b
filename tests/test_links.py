"""Links in the briefs: web sources of the published figures and targets, the way back to the
year's index, the Excel files beside a brief, the issuer's contact; in the HTML and the PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from print_helpers import brief_html

from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.briefs import render, sections
from analysis.briefs.render.exporter import contact_href, only_files_beside
from analysis.errors import DataError
from analysis.measures.targets import load_targets
from analysis.paths import DATA_DIR
from analysis.review.addresses import is_web_address, site, web_addresses

YEAR = 2024


@pytest.fixture(scope="module")
def inputs(bundled_inputs: bi.BriefInputs) -> bi.BriefInputs:
    return bi.with_year_tables(bundled_inputs, YEAR)


def _published_urls(year: int) -> set[str]:
    published = pd.read_csv(DATA_DIR / "published.csv", dtype=str, keep_default_na=False)
    rates = published[(published["scope"] == "province") & published["measure"].isin(["poor_rate", "poor_rate_programme_baseline"])
                      & (published["year"].astype(int) <= year)]
    return set(rates["source"])


def test_target_addresses_are_real_ones_from_the_facts_never_invented() -> None:
    """Every address of data/targets.csv is one the published figures (copied from the facts)
    already cite; a row whose source has no known address keeps it empty."""
    targets = load_targets()
    published = set(pd.read_csv(DATA_DIR / "published.csv", dtype=str)["source"])
    found = {url for text in targets["source_url"] for url in web_addresses(text)}
    assert found and found <= published
    by_scope = targets.set_index("scope")["source_url"]
    assert by_scope["ethnic minority households"] == "" and by_scope["Pác Nặm"] == ""  # the 2022 plan's article: no address known
    assert "baodansinh.vn" in by_scope["poor districts"]


def test_a_targets_file_links_only_web_addresses(tmp_path: Path) -> None:
    table = pd.read_csv(DATA_DIR / "targets.csv", dtype=str, keep_default_na=False)
    table.loc[1, "source_url"] = "javascript:alert(1)"
    path = tmp_path / "targets.csv"
    table.to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        load_targets(path)
    text = str(err.value)
    assert "source_url" in text and "javascript:alert(1)" in text and "row 3" in text
    assert load_targets(DATA_DIR / "targets.csv")["source_url"].notna().all()
    table = table.drop(columns="source_url")  # the column is optional
    table.to_csv(path, index=False)
    assert set(load_targets(path)["source_url"]) == {""}


def test_addresses() -> None:
    assert web_addresses("https://a.vn/x http://b.vn/y  nonsense https://a.vn/x") == ("https://a.vn/x", "http://b.vn/y")
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "https://a.vn/x\"onmouseover=1", "//a.vn", "https://", ""):
        assert not is_web_address(bad), bad
    assert site("https://www.vietnam.vn/en/x") == "vietnam.vn"
    assert contact_href("so.ldtbxh@backan.gov.vn") == "mailto:so.ldtbxh@backan.gov.vn"
    assert contact_href("+84 209 3870 123") == "tel:+842093870123"
    assert contact_href("Phòng Bảo trợ xã hội") == ""


def test_province_brief_links_its_published_figures_and_target_sources(inputs: bi.BriefInputs) -> None:
    b = br.province_brief(inputs, YEAR, "vi")
    trend = sections.province_trend(b)
    ((title, links),) = trend.sources
    assert title == "Nguồn số liệu công bố"
    assert {url for _, url in links} == _published_urls(YEAR)
    assert ("vietnam.vn (2024)", "https://www.vietnam.vn/en/day-nhanh-tien-do-chuong-trinh-mtqg-giam-ngheo-ben-vung") in links
    notes = sections.data_notes(b)
    ((title, links),) = notes.sources
    assert title == "Nguồn của mục tiêu"
    target = load_targets().set_index("scope").loc["province", "source_url"]
    assert [url for _, url in links] == list(web_addresses(target)) and [text for text, _ in links] == ["baodansinh.vn", "vietnamnet.vn"]
    html = trend._repr_html_() + notes._repr_html_()
    for url in _published_urls(YEAR) | set(web_addresses(target)):
        assert f'<a href="{url}" rel="noopener noreferrer">' in html
    english = sections.data_notes(br.province_brief(inputs, YEAR, "en"))
    assert english.sources[0][0] == "Sources of the target"


def test_a_district_without_a_known_address_links_none(inputs: bi.BriefInputs) -> None:
    notes = sections.data_notes(br.district_brief(inputs, "Pác Nặm", YEAR, "vi"))
    assert notes.sources == ()
    assert '<p class="sources">' not in notes._repr_html_()


def test_links_beside_a_brief_are_kept_only_when_the_file_is_there() -> None:
    page = '<p class="links"><a href="pac-nam.xlsx">Bảng</a> · <a href="bang-tong-hop-2024.xlsx">Tổng hợp</a></p>'
    assert only_files_beside(page, ["pac-nam.xlsx"]) == '<p class="links"><a href="pac-nam.xlsx">Bảng</a></p>'
    assert only_files_beside(page, []) == ""


def test_html_links_back_to_the_index_and_the_pdf_shows_web_addresses(inputs: bi.BriefInputs, tmp_path: Path) -> None:
    """The index link and the Excel links are for the HTML beside them (hidden in print); a web
    source prints with its address and stays a link in the PDF."""
    from pypdf import PdfReader

    b = br.province_brief(inputs, YEAR, "vi")
    names = ("province_trend", "data_notes")
    alone = brief_html(b, names, beside=[])
    assert 'href="index.html"' not in alone and ".xlsx" not in alone  # rendered on its own: nothing to link to
    page = brief_html(b, names, beside=["index.html", "tinh-bac-kan.xlsx", "bang-tong-hop-2024.xlsx"])
    assert re.search(r'<header class="masthead">\s*<p class="nav"><a href="index.html">← Tất cả báo cáo</a></p>', page)
    assert 'href="tinh-bac-kan.xlsx"' in page and 'href="bang-tong-hop-2024.xlsx"' in page
    pdf = tmp_path / "tinh-bac-kan.pdf"
    pdf.write_bytes(render.html_to_pdf(page))
    reader = PdfReader(pdf)
    uris = {a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots", []) or [] if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]}
    assert _published_urls(YEAR) <= uris
    assert not [u for u in uris if not u.startswith(("http://", "https://"))], uris  # no local path in a PDF
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    assert "<https://baodansinh.vn/bac-kan-muc-tieu-giam-ty-le" in text and "←Tấtcảbáocáo" not in text
