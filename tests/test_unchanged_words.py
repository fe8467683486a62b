"""A change that rounds to zero at the printed precision is said to be none ("không đổi" /
"unchanged"), and the direction word always agrees with the number printed: never "giảm 0,00
điểm phần trăm" / "down 0.00 percentage points" nor "tăng −0,5". One rule for every such
sentence: :meth:`analysis.words.Formatter.direction`, the rounding the number is printed with."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import deprived, records

from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.briefs import narrative as nv
from analysis.briefs import sections
from analysis.review import columns as c
from analysis.words import formatter

POOR = {c.INCOME: 1_000_000, **deprived(3)}
NOT_POOR = {c.INCOME: 5_000_000}


@pytest.fixture(scope="module")
def steady(tmp_path_factory: pytest.TempPathFactory) -> bi.BriefInputs:
    """Hà Nội with the same 10 poor households of 60 in 2023 and 2024 (16,67% both years)."""
    places = (("Ba Đình", "Phúc Xá", 1), ("Ba Vì", "Ba Vì", 6), ("Hoài Đức", "Đức Thượng", 3))
    rows = [{c.HOUSEHOLD_ID: f"{d}-{i}", c.YEAR: year, c.PROVINCE: "Hà Nội", c.DISTRICT: d, c.COMMUNE: m, **(POOR if i < poor else NOT_POOR)}
            for year in (2023, 2024) for d, m, poor in places for i in range(20)]
    path: Path = tmp_path_factory.mktemp("steady") / "ha_noi.csv"
    records(*rows).to_csv(path, index=False)
    return bi.prepare_inputs(path, threshold=1)


@pytest.mark.parametrize(("lang", "said"), [
    ("vi", "Tỷ lệ hộ nghèo năm 2024 là 16,67% (10 hộ), không đổi so với năm 2023."),
    ("en", "In 2024, 16.67% of households were poor (10 households), unchanged from 2023."),
])
def test_the_key_message_of_an_unchanged_rate(steady: bi.BriefInputs, lang: str, said: str) -> None:
    """It had said "giảm 0,00 điểm phần trăm so với năm 2023" / "down 0.00 percentage points"."""
    bullets = sections.key_messages(br.province_brief(steady, 2024, lang)).bullets
    assert bullets[0] == said
    headline = sections.headline(br.province_brief(steady, 2024, lang)).paragraphs[0]
    assert ("không đổi so với năm 2023 (16,67%)" if lang == "vi" else "unchanged from 2023 (16.67%)") in headline


@pytest.mark.parametrize(("x", "way"), [(0.0, 0), (0.004, 0), (-0.004, 0), (-0.0, 0), (0.006, 1), (-0.006, -1), (2.5, 1), (-0.5, -1)])
def test_the_direction_is_the_printed_numbers(x: float, way: int) -> None:
    f = formatter("vi")
    assert f.direction(x) == way
    assert (f.num(x) == "0,00") == (way == 0)  # the same rounding as the number the reader sees


def _trend(fall: float, required: float | None, lang: str) -> list[str]:
    return nv.trend_sentences(2021, 20.0, 2024, 20.0 - 3 * fall, fall, "not_met", "2–2,5 điểm phần trăm mỗi năm", 2025,
                              None, required, None, False, lang)


@pytest.mark.parametrize(("fall", "vi", "en"), [
    (0.003, "tỷ lệ hộ nghèo hầu như không đổi, không đạt", "the poor-household rate was almost unchanged, short of"),
    (-0.003, "tỷ lệ hộ nghèo hầu như không đổi, không đạt", "the poor-household rate was almost unchanged, short of"),
    (0.5, "tỷ lệ hộ nghèo giảm bình quân 0,50 điểm phần trăm mỗi năm, không đạt", "the poor-household rate fell by 0.50 percentage points a year on average, short of"),
    (-0.5, "tỷ lệ hộ nghèo tăng bình quân 0,50 điểm phần trăm mỗi năm, không đạt", "the poor-household rate rose by 0.50 percentage points a year on average, short of"),
])
def test_the_trend_sentence(fall: float, vi: str, en: str) -> None:
    """An average change of 0,003 had read "giảm bình quân 0,00 điểm phần trăm mỗi năm"."""
    assert vi in _trend(fall, None, "vi")[0]
    assert en in _trend(fall, None, "en")[0]


def test_a_fall_still_needed_that_prints_as_zero() -> None:
    """It had read "cần giảm 0,00 điểm phần trăm mỗi năm"."""
    assert _trend(0.5, 0.004, "vi")[-1] == "Tỷ lệ hộ nghèo đã ở mức mục tiêu của năm 2025."
    assert _trend(0.5, 0.004, "en")[-1] == "The rate is already at the target rate for 2025."
    assert _trend(0.5, 0.006, "vi")[-1].endswith("trong năm 2025 tỷ lệ hộ nghèo cần giảm 0,01 điểm phần trăm.")


@pytest.mark.parametrize(("fall", "vi", "en"), [
    (0.004, "Năm 2024, tỷ lệ hộ nghèo không đổi, không đạt", "In 2024 the poor rate did not change, short of"),
    (-0.004, "Năm 2024, tỷ lệ hộ nghèo không đổi, không đạt", "In 2024 the poor rate did not change, short of"),
    (-0.006, "Năm 2024, tỷ lệ hộ nghèo tăng 0,01 điểm phần trăm, không đạt", "In 2024 the poor rate rose by 0.01 percentage points, short of"),
])
def test_the_verdict_and_headline_sentences(fall: float, vi: str, en: str) -> None:
    assert nv.verdict_sentence(2024, fall, 2, 2.5, "not_met", "mục tiêu của tỉnh", "vi").startswith(vi)
    assert nv.verdict_sentence(2024, fall, 2, 2.5, "not_met", "the province's target", "en").startswith(en)
    change = -fall  # the headline's change is this year's rate minus last year's
    same = nv.change_clause(change, 2023, 16.67, "vi")
    assert same.startswith("không đổi") if abs(fall) < 0.005 else same.startswith("tăng 0,01")
