"""The overview's poorest-communes title names the kinds of the units its table lists: "Các
xã …" where all are communes (Bắc Kạn's, as before), "Các xã, phường, đặc khu …" / "Communes,
wards and special zones …" where a ward and a special zone are among them, "Các xã, thị trấn
…" where an old-division township is; the sentence counts every unit ranked, by their kinds.
(data/units_new.csv: An Giang's Phú Quốc, Đặc khu, and Rạch Giá, Phường, of the former Kiên
Giang; ten communes of the former An Giang. data/units_old.csv: Ba Bể's Chợ Rã, Thị trấn.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import deprived, records

from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.briefs import sections
from analysis.review import columns as c

POOR = {c.INCOME: 1_000_000, **deprived(3)}
NOT_POOR = {c.INCOME: 5_000_000}
AN_GIANG = ("Mỹ Hòa Hưng", "An Phú", "Vĩnh Hậu", "Nhơn Hội", "Khánh Bình", "Phú Hữu", "Tân An", "Châu Phong", "Vĩnh Xương", "Phú Tân")


def _inputs(path: Path, year: int, province: str, places: dict[tuple[str, str], int]) -> bi.BriefInputs:
    """20 households a (district, commune), ``places[...]`` of them poor."""
    rows = [{c.YEAR: year, c.PROVINCE: province, c.DISTRICT: d, c.COMMUNE: m, **(POOR if i < poor else NOT_POOR)}
            for (d, m), poor in places.items() for i in range(20)]
    frame = records(*rows)
    frame[c.HOUSEHOLD_ID] = [f"H{i}" for i in range(len(frame))]
    frame.to_csv(path, index=False)
    return bi.prepare_inputs(path, threshold=1)


@pytest.fixture(scope="module")
def an_giang(tmp_path_factory: pytest.TempPathFactory) -> bi.BriefInputs:
    """Ten communes of the former An Giang, poor, and Phú Quốc (a special zone, of the former Kiên Giang), not."""
    places = {("", m): 4 + i % 3 for i, m in enumerate(AN_GIANG)} | {("", "Phú Quốc"): 0}
    return _inputs(tmp_path_factory.mktemp("ag") / "ag.csv", 2025, "An Giang", places)


@pytest.fixture(scope="module")
def kien_giang(tmp_path_factory: pytest.TempPathFactory) -> bi.BriefInputs:
    """A ward, a commune and a special zone of An Giang, all of the former Kiên Giang."""
    return _inputs(tmp_path_factory.mktemp("kg") / "kg.csv", 2025, "An Giang", {("", "Rạch Giá"): 2, ("", "An Biên"): 4, ("", "Phú Quốc"): 6})


@pytest.mark.parametrize(("lang", "title", "sentence"), [
    ("vi", "Các xã có tỷ lệ hộ nghèo cao nhất toàn tỉnh", "Trong 11 xã, đặc khu của tỉnh, "),
    ("en", "Communes with the highest poor rates province-wide", "Of the province's 11 communes and special zones, "),
])
def test_a_province_whose_table_lists_communes_only(an_giang: bi.BriefInputs, lang: str, title: str, sentence: str) -> None:
    section = sections.poorest_communes(br.province_brief(an_giang, 2025, lang))
    assert section.title == title and section.paragraphs[0].startswith(sentence)
    assert section.table is not None and "Phú Quốc" not in set(section.table.iloc[:, 1])


@pytest.mark.parametrize(("lang", "title"), [
    ("vi", "Các xã, phường, đặc khu có tỷ lệ hộ nghèo cao nhất toàn khu vực"),
    ("en", "Communes, wards and special zones with the highest poor rates in the former province"),
])
def test_a_former_province_whose_table_lists_three_kinds(kien_giang: bi.BriefInputs, lang: str, title: str) -> None:
    assert sections.poorest_communes(br.province_brief(kien_giang, 2025, lang)).title == title


@pytest.mark.parametrize(("fixture", "lang", "chart"), [
    ("kien_giang", "vi", "3 đơn vị có tỷ lệ hộ nghèo cao nhất, 2025: "),
    ("kien_giang", "en", "The 3 communes, wards and special zones with the highest poor rates, 2025: "),
    ("an_giang", "vi", "10 đơn vị có tỷ lệ hộ nghèo cao nhất, 2025: "),
    ("an_giang", "en", "The 10 communes with the highest poor rates, 2025: "),
])
def test_the_chart_title_names_the_kinds_it_lists(request: pytest.FixtureRequest, fixture: str, lang: str, chart: str) -> None:
    """The English chart had said "The 3 communes" of a ward, a commune and a special zone."""
    section = sections.poorest_communes(br.province_brief(request.getfixturevalue(fixture), 2025, lang))
    assert section.chart is not None and section.chart.alt.startswith(chart)


@pytest.mark.parametrize(("lang", "title"), [
    ("vi", "Các xã, thị trấn có tỷ lệ hộ nghèo cao nhất toàn tỉnh"),
    ("en", "Communes and townships with the highest poor rates province-wide"),
])
def test_an_old_division_township(tmp_path: Path, lang: str, title: str) -> None:
    inputs = _inputs(tmp_path / "bk.csv", 2024, "Bắc Kạn", {("Ba Bể", "Chợ Rã"): 6, ("Ba Bể", "Cao Thượng"): 4})
    section = sections.poorest_communes(br.province_brief(inputs, 2024, lang))
    assert section.title == title
    # the column had said "Commune" of Chợ Rã, a township; the Vietnamese as before
    assert section.table is not None and section.table.columns[1] == {"vi": "Xã, phường, thị trấn", "en": "Commune and township"}[lang]
    assert section.paragraphs[0].startswith({"vi": "Trong 2 xã, phường, thị trấn của tỉnh", "en": "Of the province's 2 communes, wards and townships"}[lang])
