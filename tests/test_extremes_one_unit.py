"""The extremes sentence when disclosure control shows one unit's rate only: it says that unit's
rate, never "highest in X and lowest in X"; when it shows none, there is no sentence.

Crafted end-2025 reviews (as tests/test_headline_disclosure.py crafts them) of the three new
communes of the former Pác Nặm district, briefed in process at the default threshold (10):
Bằng Thành 60 households (24 poor, 12 near-poor: 40,00%), Nghiên Loan 6 and Cao Minh 7 (both
hidden); then all three small (every rate hidden).
"""

from __future__ import annotations

import pytest
from test_headline_disclosure import _craft

from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.briefs import sections
from analysis.briefs.sections.province import district_ranking

SMALL: dict[str, tuple[int, int, int] | None] = {"Nghiên Loan": (6, 2, 1), "Cao Minh": (7, 3, 2)}


@pytest.fixture(scope="module")
def one_shown(tmp_path_factory: pytest.TempPathFactory) -> bi.BriefInputs:
    return bi.prepare_inputs(str(_craft(tmp_path_factory.mktemp("one") / "review.parquet", {"Bằng Thành": (60, 24, 12)} | SMALL)))


@pytest.fixture(scope="module")
def none_shown(tmp_path_factory: pytest.TempPathFactory) -> bi.BriefInputs:
    return bi.prepare_inputs(str(_craft(tmp_path_factory.mktemp("none") / "review.parquet", {"Bằng Thành": (6, 2, 1)} | SMALL)))


def _sentences(inputs: bi.BriefInputs, lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The province overview's commune ranking sentences and the district brief's communes' ones."""
    ranking = sections.commune_ranking(br.province_brief(inputs, lang=lang))
    assert ranking is not None
    return ranking.paragraphs, sections.communes(br.district_brief(inputs, "Pác Nặm", lang=lang)).paragraphs


@pytest.mark.parametrize(("lang", "ranking", "communes", "district"), ids=["vi", "en"], argvalues=[
    ("vi", "Trong 3 xã, chỉ nêu được tỷ lệ hộ nghèo của Bằng Thành (40,00%).",
     "Trong 3 xã, chỉ nêu được tỷ lệ hộ nghèo của Bằng Thành (40,00%).",  # new units: no thị trấn
     "Tỷ lệ hộ nghèo của huyện Pác Nặm cũ là 39,73%."),
    ("en", "Of 3 communes, the poor-household rate can be shown only for Bằng Thành (40.00%).",
     "Of 3 communes, the poor-household rate can be shown only for Bằng Thành (40.00%).",
     "The poor-household rate in former Pác Nặm district is 39.73%."),
])
def test_one_shown_unit_is_said_once(one_shown: bi.BriefInputs, lang: str, ranking: str, communes: str, district: str) -> None:
    assert _sentences(one_shown, lang) == ((ranking,), (communes,))
    # The former districts' ranking of the same review: one district in all, its rate only.
    section = district_ranking(br.province_brief(one_shown, lang=lang))
    assert section is not None and section.paragraphs == (district,)  # 29 poor of 73 households


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_shown_unit_no_sentence(none_shown: bi.BriefInputs, lang: str) -> None:
    assert _sentences(none_shown, lang) == ((), ())
