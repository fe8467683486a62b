"""What professional briefs have: key messages from the numbers, a contents list, a methods
box, and the issuing unit, edition and contact from one settings file."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from print_helpers import DISTRICT_SECTIONS, brief_html

from analysis import words as nv
from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.briefs import sections
from analysis.briefs.settings import Issuer, load_issuer
from analysis.errors import DataError


@pytest.fixture(scope="module")
def inputs(bundled_inputs: bi.BriefInputs) -> bi.BriefInputs:
    return bundled_inputs


@pytest.mark.parametrize(("district", "lang"), [("Pác Nặm", "vi"), (None, "en"), ("Thành phố Bắc Kạn", "en")])
def test_three_to_five_key_messages_from_the_numbers(inputs: bi.BriefInputs, district: str | None, lang: str) -> None:
    b = br.district_brief(inputs, district, 2024, lang) if district else br.province_brief(inputs, 2024, lang)
    section = sections.key_messages(b)
    f = sections.headline_figures(b)
    assert 3 <= len(section.bullets) <= 5
    assert nv.fmt_pct(f["poor_rate"], lang) in section.bullets[0] and nv.fmt_int(f["poor"], lang) in section.bullets[0]
    assert nv.fmt_num(abs(f["change_pp"]), lang) in section.bullets[0]
    assert nv.status_label(f["status"], lang) in section.bullets[1]
    flows = sections.flow_figures(b)
    assert flows is not None
    exited = nv.fmt_int(flows["exited_poverty"], lang)
    if b.tables.protection.hides(district or "*", "flow:exited_poverty"):  # the key messages hide what the flows table hides
        assert not any(w in m for m in section.bullets for w in ("left poverty", "thoát nghèo"))
    else:
        assert exited in section.bullets[-1]
    assert '<ul class="key-messages"><li>' in section._repr_html_()


def test_key_messages_name_the_highest_commune(inputs: bi.BriefInputs) -> None:
    b = br.district_brief(inputs, "Pác Nặm", 2024, "vi")
    communes = b.mine(b.tables.communes)
    top = communes.sort_values("poor_rate", ascending=False).iloc[0]
    assert f"cao nhất ở {top['commune']} ({nv.fmt_pct(float(top['poor_rate']), 'vi')})" in " ".join(sections.key_messages(b).bullets)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_methods_box_says_census_errors_af_and_verdicts(inputs: bi.BriefInputs, lang: str) -> None:
    box = sections.methods(br.district_brief(inputs, "Pác Nặm", 2024, lang))
    text = " ".join(box.paragraphs)
    words = {"vi": ("không có sai số chọn mẫu", "Sai số phi chọn mẫu", "M0 = H × A", "không khả thi", "3 trong 12"),
             "en": ("no sampling error", "Non-sampling error", "M0 = H × A", "unattainable", "3 or more of 12")}[lang]
    assert all(w in text for w in words), text
    assert 'class="brief-section boxed"' in box._repr_html_()


@pytest.mark.parametrize(("threshold", "vi", "en"), [
    (10, ("từ 1 đến 9 hộ", "dưới 10 hộ"), ("1 to 9 households", "fewer than 10")),
    (3, ("từ 1 đến 2 hộ", "dưới 3 hộ"), ("1 to 2 households", "fewer than 3")),
])
def test_methods_box_says_the_disclosure_rule_of_the_briefs_threshold(inputs: bi.BriefInputs, threshold: int, vi: tuple[str, ...], en: tuple[str, ...]) -> None:
    """The box says what the tables do (counts hidden with their rates, complementary cells),
    at the threshold the brief was built with, not a fixed 10 and not "counts only"."""
    chosen = dataclasses.replace(inputs, threshold=threshold)
    for lang, words in (("vi", vi), ("en", en)):
        text = " ".join(sections.methods(br.district_brief(chosen, "Pác Nặm", 2024, lang)).paragraphs)
        assert all(w in text for w in words), text
        assert "chỉ hiển thị số hộ" not in text and "counts only" not in text


def test_contents_list_links_every_section(inputs: bi.BriefInputs) -> None:
    page = brief_html(br.district_brief(inputs, "Pác Nặm", 2024, "vi"), DISTRICT_SECTIONS)
    nav = page[page.index('<nav class="contents"'):page.index("</nav>")]
    for anchor in ("headline", "communes", "ethnic", "deprivation", "alkire-foster", "trend", "flows", "methods", "notes"):
        assert f'href="#{anchor}"' in nav and f'id="{anchor}"' in page
    assert page.index("</header>") < page.index('<nav class="contents"') < page.index('id="key-messages"')


def test_issuer_settings_in_the_colophon(inputs: bi.BriefInputs, monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.briefs.render import exporter

    issuer = Issuer(unit_vi="Sở Lao động (thử)", unit_en="Department (test)", contact="giamngheo@example.vn", version="2")
    monkeypatch.setattr(exporter, "load_issuer", lambda: issuer)
    page = brief_html(br.district_brief(inputs, "Pác Nặm", 2024, "vi"), ("headline",))
    colophon = page[page.index('<footer class="colophon">'):]
    text = re.sub(r"<[^>]+>", "", colophon)
    assert "Đơn vị phát hành: Sở Lao động (thử)" in text and "Phiên bản 2" in text and "Liên hệ: giamngheo@example.vn" in text
    assert '<a href="mailto:giamngheo@example.vn">giamngheo@example.vn</a>' in colophon


def test_settings_file_is_checked(tmp_path: Path) -> None:
    assert load_issuer().version  # the bundled file sets the edition
    bad = tmp_path / "s.toml"
    bad.write_text('[issuer]\nunit_vi = "x"\ncolour = "red"\n', encoding="utf-8")
    with pytest.raises(DataError, match="colour"):
        load_issuer(bad)
    bad.write_text("[issuer\n", encoding="utf-8")
    with pytest.raises(DataError, match="TOML"):
        load_issuer(bad)
    assert load_issuer(tmp_path / "missing.toml") == Issuer()


def test_province_map_shades_every_district_from_bundled_boundaries(inputs: bi.BriefInputs) -> None:
    import json
    import re

    from analysis.briefs import charts
    from analysis.paths import BOUNDARIES_DIR

    path = BOUNDARIES_DIR / "bac-kan-districts.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert path.stat().st_size < 20_000 and "dvhcvn" in data["source"] and data["licence"] and len(data["commit"]) == 40
    b = br.province_brief(inputs, 2024, "vi")
    section = sections.district_map(b)
    assert section.chart is not None and "dvhcvn" in section.notes[0] and "GPL-3.0" in section.notes[0]
    table = sections.district_table(inputs, 2024)
    for district, rate in zip(table["district"], table["poor_rate"]):
        assert f"{district} {nv.fmt_num(rate, 'vi', 1)}%" in section.chart.alt
    fills = re.findall(r"fill: (#[0-9a-f]{6})", section.chart.svg)
    poorest = table.sort_values("poor_rate").iloc[-1]["district"]
    assert charts.MAP_CLASSES[-1] in fills and poorest in section.chart.svg  # 42.79% falls in the darkest class
    assert "http" not in section.chart.svg.replace("http://www.w3.org", "")
