"""Labels and generated sentences: numbers in each language's conventions, NFC, both languages."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from analysis.briefs import narrative as nv
from analysis.briefs.sections import Section, table_html
from analysis.measures.targets import STATUS_LABELS


def test_numbers_follow_each_language() -> None:
    assert nv.fmt_int(21946, "vi") == "21.946"
    assert nv.fmt_int(21946, "en") == "21,946"
    assert nv.fmt_pct(26.931573, "vi") == "26,93%"
    assert nv.fmt_pct(26.931573, "en") == "26.93%"
    assert nv.fmt_num(1234.5, "vi", 1) == "1.234,5"
    assert nv.fmt_pp(-2.656, "vi", signed=True) == "-2,66 điểm %"
    assert nv.fmt_pp(2.656, "en", signed=True) == "+2.66 pp"
    assert nv.fmt_num(-0.001, "en") == "0.00"  # no "-0.00"
    assert nv.fmt_pct(None, "vi") == "–" and nv.fmt_int(float("nan"), "en") == "–"


def test_target_ranges_read_as_plans_write_them() -> None:
    assert nv.fmt_range_pp(2, 2.5, "vi") == "2–2,5 điểm %/năm"
    assert nv.fmt_range_pp(3.5, 4, "en") == "3.5–4 pp a year"
    assert nv.fmt_range_pp(3, None, "vi") == "trên 3 điểm %/năm"
    assert nv.fmt_range_pp(3, float("nan"), "en") == "more than 3 pp a year"


def test_every_label_exists_in_both_languages_in_nfc() -> None:
    for table in nv.all_labels().values():
        for key, pair in table.items():
            assert len(pair) == 2 and all(pair), key
            for text in pair:
                assert unicodedata.is_normalized("NFC", text), (key, text)
    # Vietnamese labels carry their diacritics
    assert nv.label("poor_rate", "vi") == "Tỷ lệ hộ nghèo"
    assert nv.label("synthetic", "vi") == "Dữ liệu mô phỏng"
    assert nv.label("synthetic", "en") == "Synthetic data"


def test_verdict_words_match_the_measures() -> None:
    for lang in nv.LANGS:
        for status, word in STATUS_LABELS[lang].items():
            assert nv.status_label(status, lang) == word
    assert nv.status_label(None, "vi") == "–"


def test_unit_names_in_sentences() -> None:
    assert nv.unit_name("Pác Nặm", "Huyện", "vi") == "huyện Pác Nặm"
    assert nv.unit_name("Pác Nặm", "Huyện", "en") == "Pác Nặm district"
    assert nv.unit_name("Thành phố Bắc Kạn", "Thành phố", "vi") == "Thành phố Bắc Kạn"
    assert nv.unit_name("Thành phố Bắc Kạn", "Thành phố", "en") == "Bắc Kạn city"
    assert nv.province_name("Bắc Kạn", "vi") == "tỉnh Bắc Kạn"


def test_headline_sentence_is_generated_from_the_numbers() -> None:
    vi = nv.headline_sentence("huyện Pác Nặm", 2024, 7331, 3137, 42.790888, 936, 12.767699, -4.699831, 2023, 47.490719, "vi")
    assert vi == (
        "Năm 2024, huyện Pác Nặm còn 3.137 hộ nghèo (42,79% trong tổng số 7.331 hộ), "
        "giảm 4,70 điểm phần trăm so với năm 2023 (47,49%); và 936 hộ cận nghèo (12,77%)."
    )
    en = nv.headline_sentence("Pác Nặm district", 2024, 7331, 3137, 42.790888, 936, 12.767699, -4.699831, 2023, 47.490719, "en")
    assert en.startswith("In 2024, Pác Nặm district had 3,137 poor households (42.79% of 7,331 households), down 4.70 percentage points from 2023")
    rise = nv.headline_sentence("huyện X", 2024, 100, 10, 10.0, 5, 5.0, 1.5, 2023, 8.5, "vi")
    assert "tăng 1,50 điểm phần trăm" in rise
    first = nv.headline_sentence("huyện X", 2021, 100, 10, 10.0, 5, 5.0, None, None, None, "en")
    assert "no earlier review" in first


def test_verdict_and_trend_sentences() -> None:
    text = nv.verdict_sentence(2022, 2.66, 2, 2.5, "exceeded", "mục tiêu của tỉnh", "vi")
    assert "giảm 2,66 điểm phần trăm: vượt mục tiêu" in text
    assert "2–2,5 điểm %/năm" in text
    sentences = nv.trend_sentences(2021, 26.93, 2024, 19.46, 2.49, "met", "2–2.5 pp a year", 2025, 16.97, 0.53, 440.3, False, "en")
    assert sentences[0].endswith(": met.")
    assert any("16.97% in 2025" in s for s in sentences)
    assert any("about 440 households" in s for s in sentences)
    impossible = nv.trend_sentences(2021, 3.0, 2024, 1.0, 0.67, "not_met", "2–2,5 điểm %/năm", 2025, 0.3, 1.0, 10, True, "vi")
    assert any("không thể đạt" in s for s in impossible)


def test_gap_and_flows_sentences() -> None:
    gap = nv.gap_sentence(nv.label("ethnic_minority_phrase", "vi"), 43.13, 7271, nv.label("kinh_phrase", "vi"), 1.67, 60, "vi")
    assert "hộ dân tộc Kinh (1,67%, 60 hộ)" in gap and "cao hơn 41,46 điểm phần trăm" in gap
    none = nv.gap_sentence("ethnic-minority households", 10.0, 100, "Kinh households", 0.0, 0, "en")
    assert "no Kinh households" in none
    flows = nv.flows_sentence(2024, 2023, 612, 62, 217, "vi")
    assert flows == "So với năm 2023, có 612 hộ thoát nghèo, 62 hộ nghèo phát sinh mới và 217 hộ tái nghèo."


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


def test_dates_as_each_language_writes_them() -> None:
    from datetime import date

    assert nv.fmt_date(date(2025, 1, 1), "vi") == "01/01/2025"
    assert nv.fmt_date(date(2025, 11, 29), "en") == "29 November 2025"


@pytest.mark.parametrize(("lang", "expected", "foreign"), [("vi", "Kế hoạch giảm nghèo năm 2022", "poverty-reduction plan"), ("en", "poverty-reduction plan", "Kế hoạch")])
def test_target_note_is_in_the_briefs_language(lang: str, expected: str, foreign: str) -> None:
    from analysis.briefs import brief as br
    from analysis.briefs import inputs as bi
    from analysis.briefs.sections import data_notes

    inputs = bi.prepare_inputs(None)
    notes = " ".join(data_notes(br.district_brief(inputs, "Pác Nặm", 2024, lang)).paragraphs)
    assert expected in notes and foreign not in notes
