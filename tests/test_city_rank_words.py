"""A centrally-run city on the old division (Hà Nội: quận, huyện, thị xã; data/units_old.csv)
is a city in its district brief's rank sentence too: "trong 3 quận, huyện của thành phố" / "of
the city's 3 districts", never "huyện, thành phố của tỉnh" / "the province's"."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from conftest import deprived, records

from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.briefs import narrative as nv
from analysis.briefs import sections
from analysis.briefs.batch.index import unit_row
from analysis.briefs.batch.plan import Unit
from analysis.measures.groups import ETHNIC_MINORITY_SCOPE, POOR_DISTRICTS_SCOPE
from analysis.review import columns as c
from analysis.words import label

POOR = {c.INCOME: 1_000_000, **deprived(3)}
NOT_POOR = {c.INCOME: 5_000_000}
#: (district, commune, poor households of 20): Ba Vì 30%, Hoài Đức 15%, Ba Đình (a quận) 5%.
PLACES = (("Ba Đình", "Phúc Xá", 1), ("Ba Vì", "Ba Vì", 6), ("Hoài Đức", "Đức Thượng", 3))


@pytest.fixture(scope="module")
def ha_noi(tmp_path_factory: pytest.TempPathFactory) -> bi.BriefInputs:
    rows = [{c.HOUSEHOLD_ID: f"{d}-{i}", c.YEAR: year, c.PROVINCE: "Hà Nội", c.DISTRICT: d, c.COMMUNE: m, **(POOR if i < poor else NOT_POOR)}
            for year in (2023, 2024) for d, m, poor in PLACES for i in range(20)]
    path: Path = tmp_path_factory.mktemp("hn") / "ha_noi.csv"
    records(*rows).to_csv(path, index=False)
    return bi.prepare_inputs(path, threshold=1)


@pytest.mark.parametrize(("district", "lang", "said"), [
    ("Ba Vì", "vi", "Huyện Ba Vì có tỷ lệ hộ nghèo cao nhất trong 3 quận, huyện của thành phố."),
    ("Hoài Đức", "vi", "Huyện Hoài Đức có tỷ lệ hộ nghèo cao thứ 2 trong 3 quận, huyện của thành phố."),
    ("Ba Đình", "vi", "Quận Ba Đình có tỷ lệ hộ nghèo thấp nhất trong 3 quận, huyện của thành phố."),
    ("Ba Vì", "en", "Ba Vì district has the highest poor-household rate of the city's 3 districts."),
    ("Ba Đình", "en", "Ba Đình urban district has the lowest poor-household rate of the city's 3 districts."),
])
def test_the_rank_sentence_of_a_city_district(ha_noi: bi.BriefInputs, district: str, lang: str, said: str) -> None:
    b = br.district_brief(ha_noi, district, 2024, lang)
    assert b.variant == "city"
    assert said in sections.headline(b).paragraphs


@pytest.mark.parametrize(("lang", "said"), [
    ("vi", "Trong 3 quận, huyện, tỷ lệ hộ nghèo cao nhất ở huyện Ba Vì (30,00%) và thấp nhất ở quận Ba Đình (5,00%)."),
    ("en", "Of 3 districts, the poor-household rate is highest in Ba Vì district (30.00%) and lowest in Ba Đình urban district (5.00%)."),
])
def test_the_overview_names_the_city_districts_kinds(ha_noi: bi.BriefInputs, lang: str, said: str) -> None:
    section = sections.district_ranking(br.province_brief(ha_noi, 2024, lang))
    assert section is not None and section.paragraphs == (said,)


def test_a_province_keeps_its_words() -> None:
    """Bắc Kạn's districts and its city: "huyện, thành phố của tỉnh" / "the province's districts"."""
    kinds = ["Huyện", "Thành phố", "Huyện"]
    assert nv.rank_sentence(2, 8, None, "vi", unit="huyện Ba Bể", kinds=kinds) == "Huyện Ba Bể có tỷ lệ hộ nghèo cao thứ 2 trong 8 huyện, thành phố của tỉnh."
    assert nv.rank_sentence(2, 8, None, "en", unit="Ba Bể district", kinds=kinds) == "Ba Bể district has the 2nd-highest poor-household rate of the province's 8 districts."
    assert nv.district_kinds(["Thị xã", "Quận", "Huyện", "Quận"], "vi") == "quận, huyện, thị xã"


@pytest.mark.parametrize(("lang", "title", "header"), [
    ("vi", "Xếp hạng các quận, huyện", "Quận, huyện"),
    ("en", "District ranking", "District"),
])
def test_the_overview_ranking_title_and_columns_name_the_city_districts_kinds(ha_noi: bi.BriefInputs, lang: str, title: str, header: str) -> None:
    """The title had said "Xếp hạng các huyện, thành phố" of Hà Nội's quận and huyện."""
    b = br.province_brief(ha_noi, 2024, lang)
    section = sections.district_ranking(b)
    assert section is not None and section.table is not None
    assert section.title == title and section.table.columns[1] == header
    verdicts = sections.district_verdicts(b)
    assert verdicts is not None and verdicts.table is not None and verdicts.table.columns[0] == header


#: Three places on the new units of 2025: Phường Việt Hưng (of quận Long Biên), Xã Ba Vì (of
#: huyện Ba Vì), Phường Sơn Tây (of thị xã Sơn Tây), each wholly in its former district
#: (data/crosswalk_2025.csv); 2024 by the old communes.
NEW_PLACES = {("Long Biên", "Việt Hưng", "Việt Hưng"): 1, ("Ba Vì", "Ba Vì", "Ba Vì"): 6, ("Sơn Tây", "Ngô Quyền", "Sơn Tây"): 3}


@pytest.fixture(scope="module")
def ha_noi_2025(tmp_path_factory: pytest.TempPathFactory) -> bi.BriefInputs:
    rows = [{c.HOUSEHOLD_ID: f"{year}-{d}-{i}", c.YEAR: year, c.PROVINCE: "Hà Nội", c.DISTRICT: d if year == 2024 else "",
             c.COMMUNE: old if year == 2024 else new, **(POOR if i < poor else NOT_POOR)}
            for year in (2024, 2025) for (d, old, new), poor in NEW_PLACES.items() for i in range(20)]
    path: Path = tmp_path_factory.mktemp("hn25") / "ha_noi.csv"
    records(*rows).to_csv(path, index=False)
    return bi.prepare_inputs(path, threshold=1)


@pytest.mark.parametrize(("lang", "title", "header", "sentence", "rank"), [
    ("vi", "Xếp hạng các quận, huyện, thị xã cũ", "Quận, huyện, thị xã cũ",
     "Trong 3 quận, huyện, thị xã cũ, tỷ lệ hộ nghèo cao nhất ở huyện Ba Vì cũ (30,00%) và thấp nhất ở quận Long Biên cũ (5,00%).",
     "Huyện Ba Vì cũ có tỷ lệ hộ nghèo cao nhất trong 3 quận, huyện, thị xã cũ có số liệu."),
    ("en", "Former-district ranking", "Former district",
     "Of 3 former districts, the poor-household rate is highest in former Ba Vì district (30.00%) and lowest in former Long Biên urban district (5.00%).",
     "Former Ba Vì district has the highest poor-household rate of the 3 former districts in the data."),
])
def test_the_former_districts_of_a_city(ha_noi_2025: bi.BriefInputs, lang: str, title: str, header: str, sentence: str, rank: str) -> None:
    """A year on the new division ranks the city's former quận, huyện and thị xã: never "huyện, thành phố cũ"."""
    section = sections.district_ranking(br.province_brief(ha_noi_2025, 2025, lang))
    assert section is not None and section.table is not None
    assert (section.title, section.table.columns[1], section.paragraphs) == (title, header, (sentence,))
    assert rank in sections.headline(br.district_brief(ha_noi_2025, "Ba Vì", 2025, lang)).paragraphs


@pytest.mark.parametrize(("lang", "said"), [
    ("vi", "Năm 2024, kết quả so với mục tiêu của các quận, huyện: 0 vượt mục tiêu, 0 đạt, 0 không đạt."),
    ("en", "In 2024, the districts against their targets: 0 exceeded, 0 met, 0 not met."),
])
def test_the_verdict_count_names_the_city_districts_kinds(ha_noi: bi.BriefInputs, lang: str, said: str) -> None:
    """It had said "của các huyện, thành phố" of Hà Nội's quận and huyện."""
    verdicts = sections.district_verdicts(br.province_brief(ha_noi, 2024, lang))
    assert verdicts is not None and verdicts.paragraphs == (said,)


@pytest.mark.parametrize(("lang", "said"), [
    ("vi", "Năm 2025, kết quả so với mục tiêu của các quận, huyện, thị xã cũ: "),
    ("en", "In 2025, the former districts against their targets: "),
])
def test_the_verdict_count_of_a_citys_former_districts(ha_noi_2025: bi.BriefInputs, lang: str, said: str) -> None:
    verdicts = sections.district_verdicts(br.province_brief(ha_noi_2025, 2025, lang))
    assert verdicts is not None and verdicts.paragraphs[0].startswith(said)


@pytest.mark.parametrize(("lang", "title", "group", "note", "poor"), [
    ("vi", "Hộ dân tộc thiểu số và hộ dân tộc Kinh", "Hộ dân tộc thiểu số",
     "Danh sách huyện nghèo dùng cho báo cáo này (data/poor_districts.csv) không có quận, huyện nào của thành phố Hà Nội, "
     "nên mục này chỉ so sánh hộ dân tộc thiểu số với hộ dân tộc Kinh.", "huyện nghèo"),
    ("en", "Ethnic-minority and Kinh households", "Ethnic-minority households",
     "The list of poor districts this brief uses (data/poor_districts.csv) names none of the districts of Hà Nội city, "
     "so this section compares ethnic-minority and Kinh households only.", "poor district"),
])
def test_a_city_without_poor_districts_compares_its_ethnic_groups_only(ha_noi: bi.BriefInputs, lang: str, title: str, group: str, note: str, poor: str) -> None:
    """Hà Nội has districts but none on the poor-district list: the section had been titled
    "Huyện nghèo và các quận, huyện khác" with a row "Các quận, huyện khác" and the sentence
    "Không có hộ nào ở các huyện nghèo; …". It is the ethnic comparison, and says why."""
    assert ha_noi.districts and not ha_noi.units.poor_districts
    section = sections.poor_districts(br.province_brief(ha_noi, 2024, lang))
    assert section.title == title
    assert section.table is not None and section.table.iloc[:, 0].tolist() == [group]  # all 60 households: no ethnicity column
    assert section.notes == (note,)
    assert section.chart is not None and section.chart.alt.startswith(f"{title}, 2024: ")
    said = " ".join((section.chart.alt, *section.paragraphs, *section.table.iloc[:, 0])).lower()
    assert poor not in said and ("16,67" if lang == "vi" else "16.67") in said


@pytest.mark.parametrize(("lang", "said"), [
    ("vi", "không có quận, huyện, thị xã cũ nào của thành phố Hà Nội, nên mục này chỉ so sánh"),
    ("en", "names none of the former districts of Hà Nội city, so this section compares"),
])
def test_a_citys_former_districts_without_poor_ones(ha_noi_2025: bi.BriefInputs, lang: str, said: str) -> None:
    section = sections.poor_districts(br.province_brief(ha_noi_2025, 2025, lang))
    assert section.title == label("ethnic", lang) and len(section.notes) == 1 and said in section.notes[0]
    assert section.table is not None and section.table.iloc[:, 0].tolist() == [label("ethnic_minority_households", lang)]


def test_no_poor_district_verdict_where_there_are_none(ha_noi: bi.BriefInputs) -> None:
    """A poor-districts verdict in the inputs (a targets file with that scope) is not read
    out for a province whose list names none of its districts."""
    row = {c.YEAR: 2024, "reduction_pp": 1.0, "target_low_pp": 3.5, "target_high_pp": 4.0, "status": "not_met"}
    verdicts = pd.concat([ha_noi.verdicts, pd.DataFrame([{**row, "scope": POOR_DISTRICTS_SCOPE}, {**row, "scope": ETHNIC_MINORITY_SCOPE}])], ignore_index=True)
    section = sections.poor_districts(br.province_brief(replace(ha_noi, verdicts=verdicts), 2024, "vi"))
    assert [p for p in section.paragraphs if "huyện nghèo" in p] == []
    assert any("hộ dân tộc thiểu số" in p and "3,5" in p for p in section.paragraphs[1:])  # the ethnic one is


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_ranking_has_no_poor_district_column_where_there_are_none(ha_noi: bi.BriefInputs, lang: str) -> None:
    """It had a column "Huyện nghèo (QĐ 353/QĐ-TTg)" of "Không" for every quận and huyện: a
    list that names none of the province's says nothing of them (as a district's headline)."""
    section = sections.district_ranking(br.province_brief(ha_noi, 2024, lang))
    assert section is not None and section.table is not None
    assert label("is_poor_district", lang) not in section.table.columns
    assert not any(label("is_poor_district", lang) == k for _, k in sections.headline(br.district_brief(ha_noi, "Ba Vì", 2024, lang)).kpis)


@pytest.mark.parametrize(("lang", "heading"), [
    ("vi", "Quận, huyện, thị xã cũ: đánh giá cuối giai đoạn"),
    ("en", "Former districts: end-of-period assessment"),
])
def test_the_index_heading_of_a_citys_former_districts(ha_noi_2025: bi.BriefInputs, lang: str, heading: str) -> None:
    """The batch index's heading over the former districts had said "Huyện, thành phố cũ" of Hà Nội."""
    unit = Unit("ba-vi", "Ba Vì", Path("district.ipynb"), {}, district="Ba Vì", order=10_001, level="district", group="group_districts")
    assert unit_row(ha_noi_2025, unit, year=2025, lang=lang)["group"] == heading


def test_a_province_keeps_its_district_words() -> None:
    """Bắc Kạn's huyện and its thành phố: the words as before."""
    kinds = ["Huyện", "Thành phố", "Huyện"]
    counts = {"met": 2, "not_met": 6}
    assert nv.verdict_count_sentence(counts, 2024, "vi", kinds=kinds).startswith("Năm 2024, kết quả so với mục tiêu của các huyện, thành phố: ")
    assert nv.verdict_count_sentence(counts, 2025, "vi", kinds=kinds, former=True).startswith("Năm 2025, kết quả so với mục tiêu của các huyện, thành phố cũ: ")
    assert nv.verdict_count_sentence(counts, 2024, "en", kinds=kinds).startswith("In 2024, the districts against their targets: ")
    assert nv.district_group(kinds, "vi") == "Huyện, thành phố cũ: đánh giá cuối giai đoạn"
    assert nv.district_group(kinds, "en") == "Former districts: end-of-period assessment"


@pytest.mark.parametrize(("lang", "title"), [
    ("vi", "Bản đồ tỷ lệ hộ nghèo theo quận, huyện"),
    ("en", "Map of the poor rate by district"),
])
def test_the_map_title_names_the_city_districts_kinds(ha_noi: bi.BriefInputs, lang: str, title: str) -> None:
    """It had said "theo huyện, thành phố" of Hà Nội (no boundaries bundled: the title and a note)."""
    section = sections.district_map(br.province_brief(ha_noi, 2024, lang))
    assert section is not None and section.title == title


@pytest.mark.parametrize(("name", "lang", "said"), [
    ("Ba Vìx", "vi", "không có quận, huyện 'Ba Vìx' (có phải 'Ba Vì'?); các quận, huyện có: Ba Đình, Ba Vì, Hoài Đức"),
    ("Đông Anh", "vi", "dữ liệu không có hộ nào của 'Đông Anh'; các quận, huyện có: Ba Đình, Ba Vì, Hoài Đức"),
    ("Ba Vìx", "en", "unknown district 'Ba Vìx' (did you mean 'Ba Vì'?); valid districts: Ba Đình, Ba Vì, Hoài Đức"),
    ("Đông Anh", "en", "the data hold no households of 'Đông Anh'; valid districts: Ba Đình, Ba Vì, Hoài Đức"),
])
def test_a_wrong_district_of_a_city(ha_noi: bi.BriefInputs, name: str, lang: str, said: str) -> None:
    """The error had listed Hà Nội's quận and huyện as "các huyện, thành phố có"."""
    with pytest.raises(br.BriefParameterError) as refused:
        br.check_district(ha_noi, name, lang)
    assert str(refused.value) == said


def test_the_map_title_of_a_citys_former_districts(ha_noi_2025: bi.BriefInputs) -> None:
    section = sections.district_map(br.province_brief(ha_noi_2025, 2025, "vi"))
    assert section is not None and section.title == "Bản đồ tỷ lệ hộ nghèo theo quận, huyện, thị xã cũ"


@pytest.mark.parametrize(("lang", "title", "columns", "chart"), [
    ("vi", "Các xã, phường có tỷ lệ hộ nghèo cao nhất toàn thành phố", ["#", "Xã, phường, thị trấn", "Quận, huyện"],
     "3 đơn vị có tỷ lệ hộ nghèo cao nhất, 2024: "),
    ("en", "Communes and wards with the highest poor rates city-wide", ["#", "Commune and ward", "District"],
     "The 3 communes and wards with the highest poor rates, 2024: "),
])
def test_the_poorest_communes_of_a_city_on_the_old_division(ha_noi: bi.BriefInputs, lang: str, title: str, columns: list[str], chart: str) -> None:
    """Phúc Xá is a ward: the English chart had said "The 3 communes" and the column "Commune";
    the district column had said "Huyện, thành phố" of Hà Nội's quận and huyện."""
    section = sections.poorest_communes(br.province_brief(ha_noi, 2024, lang))
    assert section.title == title
    assert section.table is not None and list(section.table.columns[:3]) == columns
    assert section.chart is not None and section.chart.alt.startswith(chart)


@pytest.mark.parametrize(("year", "lang", "title"), [
    (2024, "vi", "Đánh giá kết quả giảm nghèo theo quận, huyện"),
    (2024, "en", "Districts against their targets"),
    (2025, "vi", "Đánh giá kết quả giảm nghèo theo quận, huyện, thị xã cũ"),
    (2025, "en", "Former districts against their targets"),
])
def test_the_verdicts_title_names_the_city_districts_kinds(ha_noi: bi.BriefInputs, ha_noi_2025: bi.BriefInputs, year: int, lang: str, title: str) -> None:
    """It had said "theo huyện" (2025: "theo huyện cũ") over Hà Nội's quận and huyện."""
    verdicts = sections.district_verdicts(br.province_brief(ha_noi if year == 2024 else ha_noi_2025, year, lang))
    assert verdicts is not None and verdicts.title == title


@pytest.mark.parametrize(("lang", "title"), [
    ("vi", "Đánh giá kết quả giảm nghèo theo huyện, thành phố"),
    ("en", "Districts against their targets"),
])
def test_the_verdicts_title_of_a_province_with_a_city(tmp_path: Path, lang: str, title: str) -> None:
    """Bắc Kạn's huyện and its thành phố: the title had said "theo huyện" over the table's
    "Huyện, thành phố" column and the sentence's "các huyện, thành phố"; it names them as the
    ranking and the map do."""
    rows = [{c.HOUSEHOLD_ID: f"{d}-{i}", c.YEAR: 2024, c.DISTRICT: d, c.COMMUNE: m, **(POOR if i < 4 else NOT_POOR)}
            for d, m in (("Pác Nặm", "Nghiên Loan"), ("Thành phố Bắc Kạn", "Đức Xuân")) for i in range(20)]
    records(*rows).to_csv(tmp_path / "bk.csv", index=False)
    verdicts = sections.district_verdicts(br.province_brief(bi.prepare_inputs(tmp_path / "bk.csv", threshold=1), 2024, lang))
    assert verdicts is not None and verdicts.title == title
    assert verdicts.table is not None and verdicts.table.columns[0] == ("Huyện, thành phố" if lang == "vi" else "District")


@pytest.mark.parametrize(("lang", "sentence", "note"), [
    ("vi", "Trong 2 xã, phường của thành phố có số liệu năm 2024 tính được chính xác trên địa giới mới, tỷ lệ hộ nghèo cao nhất ở Ba Vì (30,00%). ",
     "Không xếp hạng Phúc Lợi và Việt Hưng: số liệu năm 2024 không tính được chính xác trên địa giới mới (xã cũ bị chia tách)."),
    ("en", "Of the city's 2 communes and wards whose 2024 figures can be computed exactly on the new units, the poor rate is highest in Ba Vì (30.00%). ",
     "Not ranked: Phúc Lợi and Việt Hưng, whose 2024 figures cannot be computed exactly on the new units (an old commune was split)."),
])
def test_the_poorest_communes_of_a_rebased_year_say_what_they_count(ha_noi_2025: bi.BriefInputs, lang: str, sentence: str, note: str) -> None:
    """2024 re-based onto the new units: the old phường Việt Hưng was split between the new
    Việt Hưng and Phúc Lợi (data/crosswalk_2025.csv), so neither has exact 2024 figures and the
    ranking counts 2 units. The sentence had said "Trong 2 xã, phường của thành phố" of a year
    whose data hold 3 communes; it says which units it counts, and a note names the others."""
    section = sections.poorest_communes(br.province_brief(ha_noi_2025, 2024, lang))
    assert section.paragraphs[0].startswith(sentence) and section.notes == (note,)
    assert section.table is not None and section.table.iloc[:, 1].tolist() == ["Ba Vì", "Sơn Tây"]
    whole = sections.poorest_communes(br.province_brief(ha_noi_2025, 2025, lang))  # 2025: every unit, as before
    assert whole.paragraphs[0].startswith("Trong 3 xã, phường của thành phố, " if lang == "vi" else "Of the city's 3 communes and wards, ")
    assert whole.notes == ()


@pytest.mark.parametrize(("lang", "sentence", "note"), [
    ("vi", "Trong 2 xã, phường có số liệu năm 2024 tính được chính xác trên địa giới mới, tỷ lệ hộ nghèo cao nhất ở Ba Vì (30,00%) và thấp nhất ở Sơn Tây (15,00%).",
     "Năm 2024: Phúc Lợi không tính được chính xác trên địa giới mới (xã cũ bị chia tách) nên không hiển thị."),
    ("en", "Of 2 communes and wards whose 2024 figures can be computed exactly on the new units, the poor-household rate is highest in Ba Vì (30.00%) and lowest in Sơn Tây (15.00%).",
     "2024: Phúc Lợi is not exact on the new units (an old commune was split) and is left out."),
])
def test_the_commune_ranking_of_a_rebased_year(ha_noi_2025: bi.BriefInputs, lang: str, sentence: str, note: str) -> None:
    """It had raised IndexError (district_table asked for Việt Hưng's 2024 row, which the
    re-basing left out): the 2024 overview of these data could not be built."""
    section = sections.commune_ranking(br.province_brief(ha_noi_2025, 2024, lang))
    assert section is not None and section.paragraphs == (sentence,)
    assert section.notes[0] == note and len(section.notes) == 2  # Phúc Lợi and Việt Hưng, each named
    assert section.table is not None and len(section.table) == 2


@pytest.mark.parametrize(("lang", "notes"), [
    ("vi", ("Năm 2024: Phúc Lợi không tính được chính xác trên địa giới mới (xã cũ bị chia tách) nên không hiển thị.",
            "Năm 2024: Việt Hưng không tính được chính xác trên địa giới mới (xã cũ bị chia tách) nên không hiển thị.")),
    ("en", ("2024: Phúc Lợi is not exact on the new units (an old commune was split) and is left out.",
            "2024: Việt Hưng is not exact on the new units (an old commune was split) and is left out.")),
])
def test_the_commune_ranking_notes_every_unit_without_a_change(tmp_path: Path, lang: str, notes: tuple[str, ...]) -> None:
    """2025 ranks its units; the two that share the split Việt Hưng of 2024 have no change, and
    the notes name both (they had named only the data's last note: Việt Hưng's)."""
    places = {**NEW_PLACES, ("Long Biên", "Việt Hưng", "Phúc Lợi"): 2}
    rows = [{c.HOUSEHOLD_ID: f"{year}-{new}-{i}", c.YEAR: year, c.PROVINCE: "Hà Nội", c.DISTRICT: d if year == 2024 else "",
             c.COMMUNE: old if year == 2024 else new, **(POOR if i < poor else NOT_POOR)}
            for year in (2024, 2025) for (d, old, new), poor in places.items() for i in range(20)
            if year == 2025 or new != "Phúc Lợi"]  # 2024: Việt Hưng once, by its old commune
    records(*rows).to_csv(tmp_path / "ha_noi.csv", index=False)
    section = sections.commune_ranking(br.province_brief(bi.prepare_inputs(tmp_path / "ha_noi.csv", threshold=1), 2025, lang))
    assert section is not None and section.table is not None and len(section.table) == 4
    assert section.notes == notes


@pytest.mark.parametrize(("lang", "notes"), [
    ("vi", ("Năm 2024: Việt Hưng không tính được chính xác trên địa giới mới (xã cũ bị chia tách) nên không hiển thị.",)),
    ("en", ("2024: Việt Hưng is not exact on the new units (an old commune was split) and is left out.",)),
])
def test_the_commune_ranking_notes_only_the_units_it_lists(ha_noi_2025: bi.BriefInputs, lang: str, notes: tuple[str, ...]) -> None:
    """Phúc Lợi, not exact in 2024 either, has no 2025 row in these data: no note of it."""
    section = sections.commune_ranking(br.province_brief(ha_noi_2025, 2025, lang))
    assert section is not None and section.table is not None and len(section.table) == 3
    assert section.notes == notes
