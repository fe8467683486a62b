"""Generated sentences: numbers in each language's conventions, NFC, both languages, and one
test per wording defect of issue 11 ("Words")."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.briefs import narrative as nv
from analysis.briefs import sections
from analysis.briefs.sections import Section, table_html
from analysis.words import LANGS, formatter, label, status_label


@pytest.fixture(scope="module")
def inputs(bundled_inputs: bi.BriefInputs) -> bi.BriefInputs:
    return bundled_inputs  # prepare_inputs(None)


def test_unit_names_in_sentences() -> None:
    assert nv.unit_name("Pác Nặm", "Huyện", "vi") == "huyện Pác Nặm"
    assert nv.unit_name("Pác Nặm", "Huyện", "en") == "Pác Nặm district"
    assert nv.unit_name("Thành phố Bắc Kạn", "Thành phố", "vi") == "thành phố Bắc Kạn"
    assert nv.unit_name("Thành phố Bắc Kạn", "Thành phố", "en") == "Bắc Kạn city"
    assert nv.province_name("Bắc Kạn", "vi") == "tỉnh Bắc Kạn" and nv.province_name("Bắc Kạn", "en") == "Bắc Kạn province"


def test_headline_sentence_is_generated_from_the_numbers() -> None:
    vi = nv.headline_sentence("huyện Pác Nặm", 2024, 7331, 3137, 42.790888, 936, 12.767699, -4.699831, 2023, 47.490719, "vi")
    assert vi == (
        "Năm 2024, huyện Pác Nặm còn 3.137 hộ nghèo (42,79% trong tổng số 7.331 hộ), "
        "giảm 4,70 điểm phần trăm so với năm 2023 (47,49%); số hộ cận nghèo là 936 (12,77%)."
    )
    en = nv.headline_sentence("Pác Nặm district", 2024, 7331, 3137, 42.790888, 936, 12.767699, -4.699831, 2023, 47.490719, "en")
    assert en.startswith("In 2024, Pác Nặm district had 3,137 poor households (42.79% of 7,331 households), down 4.70 percentage points from 2023")
    rise = nv.headline_sentence("huyện X", 2024, 100, 10, 10.0, 5, 5.0, 1.5, 2023, 8.5, "vi")
    assert "tăng 1,50 điểm phần trăm" in rise
    first = nv.headline_sentence("huyện X", 2021, 100, 10, 10.0, 5, 5.0, None, None, None, "en")
    assert "no earlier review" in first
    assert "had 1 poor household (" in nv.headline_sentence("X district", 2024, 100, 1, 1.0, 5, 5.0, None, None, None, "en")


def test_verdict_is_part_of_the_sentence_not_tacked_on() -> None:
    text = nv.verdict_sentence(2022, 2.66, 2, 2.5, "exceeded", "mục tiêu của tỉnh", "vi")
    assert text == "Năm 2022, tỷ lệ hộ nghèo giảm 2,66 điểm phần trăm, vượt mục tiêu giảm 2–2,5 điểm phần trăm mỗi năm (mục tiêu của tỉnh)."
    assert ":" not in text
    missed = nv.verdict_sentence(2023, -0.26, 2, 2.5, "not_met", "the province's target", "en")
    assert missed == "In 2023 the poor rate rose by 0.26 percentage points, short of the target of a fall of 2–2.5 percentage points a year (the province's target)."


def test_one_way_of_writing_percentage_points_in_a_sentence() -> None:
    for status in ("exceeded", "met", "not_met", "unattainable"):
        text = nv.verdict_sentence(2022, 1.0, 2, 2.5, status, "mục tiêu của tỉnh", "vi")
        assert "điểm %" not in text and "điểm phần trăm" in text, status
    trend = nv.trend_sentences(2021, 26.93, 2024, 19.46, 2.49, "met", formatter("vi").range_pp(2, 2.5, long=True), 2025, 16.97, 0.53, 440.3, False, "vi")
    assert not any("điểm %" in s for s in trend)


def test_trend_sentences() -> None:
    sentences = nv.trend_sentences(2021, 26.93, 2024, 19.46, 2.49, "met", "2–2.5 percentage points a year", 2025, 16.97, 0.53, 440.3, False, "en")
    assert sentences[0].endswith("a year on average, meeting the target of a fall of 2–2.5 percentage points a year.")
    assert any("16.97% in 2025" in s for s in sentences)
    assert any("about 440 households" in s for s in sentences)
    impossible = nv.trend_sentences(2021, 3.0, 2024, 1.0, 0.67, "not_met", "2–2,5 điểm phần trăm mỗi năm", 2025, 0.3, 1.0, 10, True, "vi")
    assert any("không thể đạt" in s for s in impossible)


def test_with_one_year_left_no_every_year() -> None:
    vi = nv.trend_sentences(2021, 26.93, 2024, 19.46, 2.49, "met", "2–2,5", 2025, 16.97, 0.53, 440.3, False, "vi")
    need = [s for s in vi if "cần giảm" in s]
    assert need and "mỗi năm" not in need[0] and "trong năm 2025" in need[0]
    en = nv.trend_sentences(2021, 26.93, 2023, 19.46, 2.49, "met", "2–2.5", 2025, 16.97, 0.53, 440.3, False, "en")
    assert any("a year" in s and "by 2025" in s for s in en)


def test_gap_sentence_names_the_group_size_as_such() -> None:
    gap = nv.gap_sentence(label("ethnic_minority_phrase", "vi"), 43.13, 7271, label("kinh_phrase", "vi"), 1.67, 60, "vi")
    assert gap == ("Tỷ lệ hộ nghèo của hộ dân tộc thiểu số là 43,13% (trên tổng số 7.271 hộ), cao hơn 41,46 điểm phần trăm "
                   "so với hộ dân tộc Kinh (1,67%, trên tổng số 60 hộ).")
    assert "(7.271 hộ)" not in gap
    none = nv.gap_sentence("ethnic-minority households", 10.0, 100, "Kinh households", 0.0, 0, "en")
    assert "no Kinh households" in none


def test_deprivations_read_as_deprivations() -> None:
    vi = nv.profile_sentence([("sanitation", 62.31), ("housing_quality", 40.0)], 3137, "vi")
    assert vi == "Trong 3.137 hộ nghèo, thiếu hụt phổ biến nhất là thiếu nhà tiêu hợp vệ sinh (62,3%) và nhà ở kém chất lượng (40,0%)."
    en = nv.profile_sentence([("sanitation", 62.31)], 3137, "en")
    assert "commonest deprivations are no hygienic latrine (62.3%)" in en and "are hygienic latrine" not in en


def test_flows_plural_in_english() -> None:
    note = nv.flows_note(1, 1, 2023, "en")
    assert "1 household that was poor in 2023 is no longer listed" in note and "1 poor household is a new household" in note
    assert "1 households" not in note
    many = nv.flows_note(3, 2, 2023, "en")
    assert "2 households that were poor in 2023 are no longer listed" in many
    assert nv.flows_sentence(2024, 2023, 612, 62, 217, "vi") == "So với năm 2023, có 612 hộ thoát nghèo, 62 hộ nghèo phát sinh mới và 217 hộ tái nghèo."
    assert nv.flows_sentence(2024, 2023, 1, 0, 0, "en").startswith("Since 2023, 1 household exited poverty")


def test_rank_reads_naturally_and_a_city_is_not_called_a_district() -> None:
    en = nv.rank_sentence(1, 8, True, "en", unit="Pác Nặm district")
    assert en.startswith("Pác Nặm district has the highest poor-household rate of the province's 8 districts.")
    assert "ranks 1 of" not in en and "(1 = highest)" not in en
    assert "3rd-highest" in nv.rank_sentence(3, 8, False, "en", unit="Ba Bể district")
    city = nv.rank_sentence(8, 8, False, "vi", unit="thành phố Bắc Kạn")
    assert city.startswith("Thành phố Bắc Kạn có tỷ lệ hộ nghèo thấp nhất")
    assert "Đây không phải huyện nghèo" not in city and "không thuộc danh sách huyện nghèo" in city


def test_district_names_mid_sentence_are_lower_case_in_vietnamese(inputs: bi.BriefInputs) -> None:
    section = sections.district_ranking(br.province_brief(inputs, 2024, "vi"))
    text = " ".join(section.paragraphs)
    assert "ở Thành phố" not in text and ("thành phố Bắc Kạn" in text or "huyện " in text)
    en = " ".join(sections.district_ranking(br.province_brief(inputs, 2024, "en")).paragraphs)
    assert "Thành phố" not in en


def test_province_ranking_does_not_repeat_the_headline(inputs: bi.BriefInputs) -> None:
    b = br.province_brief(inputs, 2024, "vi")
    headline = sections.headline(b).paragraphs[0]
    assert headline not in sections.district_ranking(b).paragraphs


def test_one_sign_convention_and_true_minus_in_tables(inputs: bi.BriefInputs) -> None:
    table = sections.district_verdicts(br.province_brief(inputs, 2024, "vi")).table
    assert table is not None
    changes = table[label("change_pp_short", "vi")].tolist() + table[label("average_fall", "vi")].tolist()
    assert all("-" not in v for v in changes)
    assert any(v.startswith("\u2212") for v in table[label("average_fall", "vi")])  # falls are negative changes


def test_commune_table_by_rate_with_a_total_row(inputs: bi.BriefInputs) -> None:
    b = br.district_brief(inputs, "Pác Nặm", 2024, "vi")
    table = sections.communes(b).table
    assert table is not None
    assert table.iloc[-1, 0] == "Tổng"
    assert table.iloc[-1][label("households", "vi")] == formatter("vi").count(sections.headline_figures(b)["households"])
    rates = [float(v.replace(",", ".")) for v in table[label("poor_rate_pct", "vi")].iloc[:-1] if v != "–"]
    assert rates == sorted(rates, reverse=True)


def test_kinh_listed_once(inputs: bi.BriefInputs) -> None:
    table = sections.ethnic_groups(br.district_brief(inputs, "Pác Nặm", 2024, "vi")).table
    assert table is not None
    names = table[label("group", "vi")].tolist()
    assert "Hộ dân tộc Kinh" in names and "Kinh" not in names


def test_province_running_header_names_the_province_once(inputs: bi.BriefInputs) -> None:
    from analysis.briefs.render import read_brief

    meta = br.province_brief(inputs, 2024, "vi").metadata()
    running = read_brief({"metadata": {"brief": meta}, "cells": []})["running"]
    assert running == "Bắc Kạn · 2024"


def test_verdict_words() -> None:
    for lang in LANGS:
        assert status_label("met", lang) and status_label("unattainable", lang)
    assert status_label(None, "vi") == "–"


@pytest.mark.parametrize("lang,word", [("vi", "Dữ liệu mô phỏng"), ("en", "Synthetic data")])
def test_data_notes_say_when_data_are_synthetic(lang: str, word: str) -> None:
    assert any(n.startswith(word) for n in nv.data_notes("households.parquet", "Decree 07", 2024, True, lang))
    assert not any(n.startswith(word) for n in nv.data_notes("review.csv", "Decree 07", 2024, False, lang))


def test_sections_escape_text_from_the_data() -> None:
    evil = "<b>x</b>"
    table = pd.DataFrame({"Xã": [evil], "Hộ": ["1"]})
    section = Section(title=f"Tiêu đề {evil}", kpis=((evil, evil),), paragraphs=(f"Xã {evil} & co",), verdict=(evil, False), table=table, notes=(evil,))
    page = section._repr_html_()
    assert "<b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "&amp; co" in page
    assert "<b>" not in table_html(table)


@pytest.mark.parametrize(("lang", "expected", "foreign"), [("vi", "Kế hoạch giảm nghèo năm 2022", "poverty-reduction plan"), ("en", "poverty-reduction plan", "Kế hoạch")])
def test_target_note_is_in_the_briefs_language(inputs: bi.BriefInputs, lang: str, expected: str, foreign: str) -> None:
    notes = " ".join(sections.data_notes(br.district_brief(inputs, "Pác Nặm", 2024, lang)).paragraphs)
    assert expected in notes and foreign not in notes


def test_a_district_group_with_no_household_reads_as_places() -> None:
    # A province without poor districts (Hà Nội's units list none): its households all live
    # in the other districts; the groups are places, so no "there are no the poor districts".
    def gap(lang: str, key: str, rate: float, households: int, other_households: int) -> str:
        return nv.gap_sentence(label(f"poor_districts_{key}", lang), rate, households,
                               label(f"other_districts_{key}", lang).format(units=nv.district_kinds(["Quận", "Huyện"], lang)), 4.0,
                               other_households, lang, areas=True)

    assert gap("en", "phrase", 0.0, 0, 900) == "No household lives in the poor districts; the poor rate of the other districts is 4.00%."
    assert gap("vi", "phrase", 0.0, 0, 900) == "Không có hộ nào ở các huyện nghèo; tỷ lệ hộ nghèo của các quận, huyện khác là 4,00%."
    only = gap("en", "phrase", 20.0, 500, 0)
    assert only == "All households live in the poor districts, with a poor rate of 20.00%; no household lives in the other districts to compare with."
    assert "sống ở các huyện nghèo" in gap("vi", "phrase", 20.0, 500, 0)
    # Kinds of household keep their words.
    assert nv.gap_sentence(label("ethnic_minority_phrase", "en"), 0.0, 0, label("kinh_phrase", "en"), 2.0, 50, "en").startswith(
        "There are no ethnic-minority households;")
