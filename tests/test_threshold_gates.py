"""Every gate of a brief follows the brief's own ``--threshold``: a unit is ranked, charted,
named in the key messages and described exactly when the year's protection at that threshold
shows its figures, never by a fixed size rule (it was 10 households whatever the threshold).

Crafted end-2025 reviews (the way tests/test_headline_disclosure.py crafts its own) of the
three new communes of the former Pác Nặm district, briefed in process: Bằng Thành 60
households (24 poor, 12 near-poor), Nghiên Loan 50 (10, 10) and Cao Minh, either 15
households (12 poor, 3 near-poor: between 10 and 20) or 7 (all poor: between 5 and 10).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from test_headline_disclosure import _craft

from analysis.briefs import brief as br
from analysis.briefs import charts, sections
from analysis.briefs import inputs as bi

OTHERS: dict[str, tuple[int, int, int] | None] = {"Bằng Thành": (60, 24, 12), "Nghiên Loan": (50, 10, 10)}
HIDDEN = "–"


def _inputs(folder: Path, cao_minh: tuple[int, int, int]) -> bi.BriefInputs:
    return bi.prepare_inputs(str(_craft(folder / "review.parquet", OTHERS | {"Cao Minh": cao_minh})))


@pytest.fixture(scope="module")
def fifteen(tmp_path_factory: pytest.TempPathFactory) -> bi.BriefInputs:
    return _inputs(tmp_path_factory.mktemp("fifteen"), (15, 12, 3))


@pytest.fixture(scope="module")
def seven(tmp_path_factory: pytest.TempPathFactory) -> bi.BriefInputs:
    return _inputs(tmp_path_factory.mktemp("seven"), (7, 7, 0))


def _at(inputs: bi.BriefInputs, threshold: int) -> bi.BriefInputs:
    assert inputs.communes is not None
    return replace(inputs, threshold=threshold, communes=replace(inputs.communes, threshold=threshold))


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, tuple[Any, Any]]]:
    """What each rate chart was given: unit → (poor rate, near-poor rate)."""
    calls: list[dict[str, tuple[Any, Any]]] = []
    real: Callable[..., charts.Chart] = charts.rate_bars

    def spy(names: Any, poor: Any, near: Any, *args: Any, **kwargs: Any) -> charts.Chart:
        calls.append({str(n): (p, q) for n, p, q in zip(names, poor, near)})
        return real(names, poor, near, *args, **kwargs)

    monkeypatch.setattr(charts, "rate_bars", spy)
    return calls


def _ranking(inputs: bi.BriefInputs) -> tuple[dict[str, list[str]], str]:
    """The province overview's commune ranking: its table by commune, and its sentence."""
    section = sections.commune_ranking(br.province_brief(inputs, lang="vi"))
    assert section is not None and section.table is not None
    return {str(row[1]): [str(x) for x in row] for row in section.table.itertuples(index=False)}, " ".join(section.paragraphs)


def _messages(inputs: bi.BriefInputs, unit: str) -> str:
    brief = br.district_brief(inputs, unit, lang="vi") if unit == "Pác Nặm" else br.commune_brief(inputs, unit, lang="vi")
    return " ".join(sections.key_messages(brief).bullets)


def test_a_unit_of_10_to_19_households_is_hidden_at_threshold_20_and_shown_at_10(fifteen: bi.BriefInputs, drawn: list) -> None:
    strict = _at(fifteen, 20)
    table, sentence = _ranking(strict)
    assert table["Cao Minh"][0] == HIDDEN and table["Cao Minh"][4] == HIDDEN  # neither ranked nor its rate shown
    assert "Cao Minh" not in drawn[-1] and "Cao Minh" not in sentence and "80,00" not in sentence
    assert "Cao Minh" not in _messages(strict, "Pác Nặm")
    assert "80,00" not in _messages(strict, "Cao Minh")

    drawn.clear()
    table, sentence = _ranking(_at(fifteen, 10))
    assert table["Cao Minh"][:5] == ["1", "Cao Minh", "15", "12", "80,00"]
    assert "cao nhất ở Cao Minh (80,00%)" in sentence
    # Its 3 near-poor households are under 10: the chart draws no near-poor bar from them.
    assert table["Cao Minh"][7] == HIDDEN and drawn[-1]["Cao Minh"][0] == 80.0
    assert drawn[-1]["Cao Minh"][1] is None or drawn[-1]["Cao Minh"][1] != drawn[-1]["Cao Minh"][1]  # None or NaN
    assert "cao nhất ở Cao Minh (80,00%)" in _messages(_at(fifteen, 10), "Pác Nặm")
    assert "Tỷ lệ hộ nghèo năm 2025 là 80,00% (12 hộ)" in _messages(_at(fifteen, 10), "Cao Minh")


def test_a_unit_of_7_households_shown_at_threshold_5_is_charted_compared_and_described(seven: bi.BriefInputs, drawn: list) -> None:
    loose = _at(seven, 5)
    table, sentence = _ranking(loose)
    assert table["Cao Minh"][:5] == ["1", "Cao Minh", "7", "7", "100,00"]
    assert drawn[-1]["Cao Minh"] == (100.0, 0.0)  # charted as the table shows it
    assert "cao nhất ở Cao Minh (100,00%)" in sentence and "cao nhất ở Cao Minh (100,00%)" in _messages(loose, "Pác Nặm")
    # The commonest deprivation of its 7 poor households (all lack a latrine, water and telecom; by name).
    assert "100,0% hộ nghèo thiếu nhà tiêu hợp vệ sinh" in _messages(loose, "Cao Minh")
    # At the default threshold the same unit is hidden everywhere.
    table, sentence = _ranking(_at(seven, 10))
    assert table["Cao Minh"][4] == HIDDEN and "Cao Minh" not in sentence + _messages(_at(seven, 10), "Pác Nặm")
