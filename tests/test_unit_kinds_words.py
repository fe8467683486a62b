"""The words that list the kinds of new units follow the province's units: a province with
special zones (đặc khu) is said to have "xã, phường, đặc khu" / "communes, wards and special
zones", never "xã, phường" (data/units_new.csv: Hải Phòng's Cát Hải and Bạch Long Vĩ; An
Giang's Phú Quốc, of the former Kiên Giang)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import deprived, records

from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.briefs import sections
from analysis.briefs.batch.index import unit_row
from analysis.briefs.batch.plan import Unit
from analysis.review import columns as c

POOR = {c.INCOME: 1_000_000, **deprived(3)}
NOT_POOR = {c.INCOME: 5_000_000}


def _review(province: str, communes: dict[str, int], path: Path) -> Path:
    """20 households a commune in 2025, ``communes[name]`` of them poor."""
    rows = [{c.YEAR: 2025, c.PROVINCE: province, c.DISTRICT: "", c.COMMUNE: name, **(POOR if i < poor else NOT_POOR)}
            for name, poor in communes.items() for i in range(20)]
    frame = records(*rows)
    frame[c.HOUSEHOLD_ID] = [f"H{i}" for i in range(len(frame))]
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def hai_phong(tmp_path_factory: pytest.TempPathFactory) -> bi.BriefInputs:
    """A ward, a commune and two special zones of Hải Phòng (a centrally-run city)."""
    path = _review("Hải Phòng", {"Thuỷ Nguyên": 2, "An Hưng": 4, "Cát Hải": 6, "Bạch Long Vĩ": 8}, tmp_path_factory.mktemp("hp") / "hp.csv")
    return bi.prepare_inputs(path, threshold=1)


@pytest.fixture(scope="module")
def kien_giang(tmp_path_factory: pytest.TempPathFactory) -> bi.BriefInputs:
    """Three units of An Giang that were all of the former Kiên Giang: a ward, a commune, a special zone."""
    path = _review("An Giang", {"Rạch Giá": 2, "An Biên": 4, "Phú Quốc": 6}, tmp_path_factory.mktemp("ag") / "ag.csv")
    return bi.prepare_inputs(path, threshold=1)


VI, EN = "xã, phường, đặc khu", "communes, wards and special zones"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_poorest_communes_of_a_city_with_special_zones(hai_phong: bi.BriefInputs, lang: str) -> None:
    section = sections.poorest_communes(br.province_brief(hai_phong, 2025, lang))
    assert section.title == {"vi": f"Các {VI} có tỷ lệ hộ nghèo cao nhất toàn thành phố",
                             "en": "Communes, wards and special zones with the highest poor rates city-wide"}[lang]
    assert section.paragraphs[0].startswith({"vi": f"Trong 4 {VI} của thành phố, tỷ lệ hộ nghèo cao nhất ở Bạch Long Vĩ (40,00%)",
                                             "en": f"Of the city's 4 {EN}, the poor rate is highest in Bạch Long Vĩ (40.00%)"}[lang])
    assert section.table is not None and section.table.columns[1] == {"vi": "Xã, phường, đặc khu", "en": "Communes, wards and special zones"}[lang]


def test_nothing_to_rank_names_the_units(hai_phong: bi.BriefInputs) -> None:
    from dataclasses import replace

    strict = replace(hai_phong, threshold=100, tables=None, communes=replace(hai_phong.communes, threshold=100, tables=None))
    assert sections.poorest_communes(br.province_brief(strict, 2025, "vi")).notes == (f"Không có {VI} nào có đủ số liệu để xếp hạng.",)
    assert sections.poorest_communes(br.province_brief(strict, 2025, "en")).notes == (f"None of the {EN} has figures enough to rank.",)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_commune_ranking_title_and_header(hai_phong: bi.BriefInputs, lang: str) -> None:
    section = sections.commune_ranking(br.province_brief(hai_phong, 2025, lang))
    assert section is not None and section.table is not None
    assert section.title == {"vi": f"Xếp hạng các {VI} (địa giới mới)", "en": "Communes, wards and special zones ranked (new units)"}[lang]
    assert section.table.columns[1] == {"vi": "Xã, phường, đặc khu", "en": "Communes, wards and special zones"}[lang]
    assert section.paragraphs[0].startswith({"vi": f"Trong 4 {VI},", "en": f"Of 4 {EN},"}[lang])


def test_index_heading_and_unknown_commune(hai_phong: bi.BriefInputs) -> None:
    unit = Unit("dac-khu-cat-hai", "Đặc khu Cát Hải", Path("commune_brief.ipynb"), {}, district="Cát Hải", level="commune", group="group_communes")
    assert unit_row(hai_phong, unit, year=2025, lang="vi")["group"] == "Xã, phường, đặc khu (địa giới từ 1/7/2025)"
    assert unit_row(hai_phong, unit, year=2025, lang="en")["group"] == "Communes, wards and special zones (units since 1 July 2025)"
    with pytest.raises(br.BriefParameterError) as failure:
        br.commune_brief(hai_phong, "Xyz", 2025, "vi")
    assert str(failure.value).startswith(f"không có {VI} 'Xyz'") and f"; các {VI} có: " in str(failure.value)
    with pytest.raises(br.BriefParameterError) as failure:
        br.commune_brief(hai_phong, "Xyz", 2025, "en")
    assert str(failure.value).startswith(f"unknown commune 'Xyz'; the {EN} are: ")


@pytest.mark.parametrize(("lang", "said"), [
    ("vi", f"Số liệu năm 2025 chỉ gồm phần tỉnh Kiên Giang cũ của tỉnh An Giang (3 {VI})"),
    ("en", f"The 2025 figures cover only the former Kiên Giang part of An Giang province (3 {EN})"),
])
def test_coverage_note_of_a_former_province_with_a_special_zone(kien_giang: bi.BriefInputs, lang: str, said: str) -> None:
    notes = " ".join(sections.data_notes(br.province_brief(kien_giang, 2025, lang)).paragraphs)
    assert said in notes



@pytest.mark.parametrize(("lang", "said"), [
    ("vi", "để xem các đơn vị hành chính cấp xã mới, hãy chạy báo cáo xã"),
    ("en", "for the new commune-level units run the commune brief"),
])
def test_a_district_brief_on_the_new_division_names_no_kinds(lang: str, said: str) -> None:
    """Refused before the data are read, so it cannot know the province's kinds: it names them
    all by their level (Hải Phòng's special zones are "commune-level units" too)."""
    with pytest.raises(br.BriefParameterError) as failure:
        br.start(district="Thuỷ Nguyên", division="new", lang=lang)
    assert said in str(failure.value) and "xã, phường mới" not in str(failure.value)
