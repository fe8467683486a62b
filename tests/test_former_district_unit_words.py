"""A former district's brief of a year on the new division lists new units: there are no
thị trấn since 1 July 2025, so its commune section names the kinds of the units it lists
("xã" for the former Pác Nặm, "xã, phường" for the former Bắc Kạn city), never "xã, phường,
thị trấn"; the same district's brief of an old-division year keeps the old words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.briefs import sections
from analysis.briefs.sections.commune import fact_notes
from analysis.review.units import NEW, OLD, load_units, new_provinces, new_unit_types


@pytest.mark.parametrize(("district", "lang", "title", "sentence", "header"), [
    ("Pác Nặm", "vi", "Hộ nghèo theo xã",
     "Trong 3 xã, tỷ lệ hộ nghèo cao nhất ở Nghiên Loan (44,51%) và thấp nhất ở Bằng Thành (33,76%).", "Xã"),
    ("Thành phố Bắc Kạn", "vi", "Hộ nghèo theo xã, phường",
     "Trong 3 xã, phường, chỉ nêu được tỷ lệ hộ nghèo của Bắc Kạn (1,78%).", "Xã, phường"),
    ("Pác Nặm", "en", "Poverty by commune",
     "Of 3 communes, the poor-household rate is highest in Nghiên Loan (44.51%) and lowest in Bằng Thành (33.76%).", "Communes"),
    ("Thành phố Bắc Kạn", "en", "Poverty by commune and ward",
     "Of 3 communes and wards, the poor-household rate can be shown only for Bắc Kạn (1.78%).", "Communes and wards"),
])
def test_a_former_districts_new_units(bundled_inputs_all: bi.BriefInputs, district: str, lang: str, title: str, sentence: str, header: str) -> None:
    section = sections.communes(br.district_brief(bundled_inputs_all, district, 2025, lang))
    assert (section.title, section.paragraphs) == (title, (sentence,))
    assert section.table is not None and section.table.columns[0] == header


def test_the_old_division_keeps_its_townships(bundled_inputs_all: bi.BriefInputs) -> None:
    section = sections.communes(br.district_brief(bundled_inputs_all, "Pác Nặm", 2024, "vi"))
    assert section.title == "Hộ nghèo theo xã, phường, thị trấn" and section.paragraphs[0].startswith("Trong 10 xã, phường, thị trấn, ")
    assert section.table is not None and section.table.columns[0] == "Xã, phường, thị trấn"


@pytest.mark.parametrize(("district", "title", "sentence", "header"), [
    ("Pác Nặm", "Poverty by commune", "Of 10 communes, ", "Commune"),
    ("Ba Bể", "Poverty by commune and township", "Of 15 communes and townships, ", "Commune and township"),
    ("Thành phố Bắc Kạn", "Poverty by commune and ward", "Of 8 communes and wards, ", "Commune and ward"),
])
def test_the_old_divisions_units_in_english_by_their_kinds(bundled_inputs_all: bi.BriefInputs, district: str, title: str, sentence: str, header: str) -> None:
    """Where the Vietnamese says "xã, phường, thị trấn", the English names the kinds listed: it
    had said "Of 15 communes" of Ba Bể's 14 xã and thị trấn Chợ Rã, "Of 8 communes" of the
    city's 6 phường and 2 xã (data/units_old.csv); Pác Nặm's 10 xã as before."""
    section = sections.communes(br.district_brief(bundled_inputs_all, district, 2024, "en"))
    assert section.title == title and section.paragraphs[0].startswith(sentence)
    assert section.table is not None and section.table.columns[0] == header


@pytest.mark.parametrize(("year", "lang", "title", "others"), [
    (2024, "vi", "Huyện nghèo và các huyện, thành phố khác", "Các huyện, thành phố khác"),
    (2025, "vi", "Huyện nghèo cũ và các huyện, thành phố cũ khác", "Các huyện, thành phố cũ khác"),
    (2024, "en", "Poor districts and the other districts", "Other districts"),
    (2025, "en", "Former poor districts and the other former districts", "Other former districts"),
])
def test_the_poor_districts_title_names_the_other_districts_as_its_table(bundled_inputs_all: bi.BriefInputs, year: int, lang: str, title: str, others: str) -> None:
    """The title had said "… và các huyện khác" over the row "Các huyện, thành phố khác",
    which holds the city of Bắc Kạn."""
    section = sections.poor_districts(br.province_brief(bundled_inputs_all, year, lang))
    assert section.title == title
    assert section.table is not None and section.table.iloc[1, 0] == others
    assert section.notes == ()  # the poor-district list names Bắc Kạn's: nothing to explain


def test_new_units_kinds_without_a_commune_view(bundled_inputs_all: bi.BriefInputs) -> None:
    """The overview by former district (``division="old"``: no commune view) knows the new
    units' kinds too: its poorest-communes sentence had said "37 xã" of 35 xã and 2 phường."""
    by_district = replace(bundled_inputs_all, communes=None)
    assert br.new_unit_kinds(by_district, ["Bằng Vân", "Đức Xuân"]) == ["Xã", "Phường"]
    kinds = br.new_unit_kinds(by_district, sorted(set(bundled_inputs_all.communes.districts)))  # type: ignore[union-attr]
    assert (kinds.count("Xã"), kinds.count("Phường"), len(kinds)) == (35, 2, 37)


@pytest.mark.parametrize(("old", "lang", "scopes"), [
    ("Bắc Kạn", "vi", "(tỉnh, huyện nghèo, hộ dân tộc thiểu số)"),
    ("Hà Giang", "vi", "(tỉnh, hộ dân tộc thiểu số)"),
    ("Bắc Kạn", "en", "(province, poor districts, ethnic-minority households)"),
    ("Hà Giang", "en", "(province, ethnic-minority households)"),
])
def test_the_coverage_note_names_poor_districts_only_where_the_list_has_some(bundled_inputs_all: bi.BriefInputs, old: str, lang: str, scopes: str) -> None:
    """The note on a former province's part of a new one had listed "huyện nghèo" among the
    programme's scopes of a former province the poor-district list names none of (Hà Giang:
    data/poor_districts.csv holds Bắc Kạn's only)."""
    facts = (("note_covers", {"year": 2025, "old": old, "new": "Tuyên Quang" if old == "Hà Giang" else "Thái Nguyên", "communes": 37}),)
    (note,) = fact_notes(replace(bundled_inputs_all, facts=facts), lang)
    assert scopes in note and old in note


def test_new_units_kinds_without_households(bundled_inputs_all: bi.BriefInputs) -> None:
    """The batch's cache holds no households: without a commune view the kinds had come from
    the (empty) households, every unit getting the fallback. They come from the reference
    units of the new province the former Bắc Kạn went into (Thái Nguyên)."""
    bare = replace(bundled_inputs_all, communes=None, panel=bundled_inputs_all.panel.iloc[0:0])
    assert br.new_unit_kinds(bare, ["Bằng Vân", "Đức Xuân", "Phan Đình Phùng"]) == ["Xã", "Phường", "Phường"]
    names = sorted(set(bundled_inputs_all.communes.districts))  # type: ignore[union-attr]
    assert br.new_unit_kinds(bare, names) == br.new_unit_kinds(bundled_inputs_all, names)
    view = bundled_inputs_all.communes
    assert view is not None
    bare_view = replace(view, panel=view.panel.iloc[0:0])  # the commune view as the batch hands it
    assert br.new_unit_kinds(bare_view, ["Bằng Vân", "Đức Xuân"]) == ["Xã", "Phường"]


def test_the_new_provinces_of_reference_units() -> None:
    assert new_provinces(load_units()) == ("Thái Nguyên",)  # the bundled Bắc Kạn's old units
    assert new_provinces(load_units(province="Hà Giang", division=OLD)) == ("Tuyên Quang",)
    assert new_provinces(load_units(province="Hà Nội", division=NEW)) == ("Hà Nội",)
    assert new_unit_types(("Tuyên Quang",))["Đồng Văn"] == "Xã"
