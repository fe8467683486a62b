"""The new division's release is computed once per panel object, and only for that panel.

:func:`analysis.tables.workbook.year_release` re-based the households on every call, so the
release (cached by the re-based panel) was computed again for each: the workbook's two levels,
the ``targets`` command's disclosure. It is now kept per panel object, year, standard and
threshold; a memo like that must never hand one panel's (or threshold's) figures to another.
The data: Thành phố Bắc Kạn's 2024 review and the 2025 review of the new units it went into.
"""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

from analysis.measures.classification import classify
from analysis.paths import BUNDLED_ALL
from analysis.review import columns as c
from analysis.review.loading import load_households
from analysis.tables import workbook as wb

STANDARD = "decree-07-2021"
DISTRICT = "Thành phố Bắc Kạn"


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    households = load_households([str(p) for p in BUNDLED_ALL])
    old = households[(households[c.YEAR] == 2024) & (households[c.DISTRICT] == DISTRICT)]
    new = households[(households[c.YEAR] == 2025) & households[c.FORMER_COMMUNE].isin(set(old[c.COMMUNE]))]
    return classify(pd.concat([old, new]).reset_index(drop=True), STANDARD)


def _published(rel: wb.Release, left_out: list[str]) -> bytes:
    """What a release publishes (its figures' frames and every year's protection), comparable."""
    frames = [rel.figures.households, rel.figures.minority, rel.figures.flows, *rel.figures.movements.values()]
    return pickle.dumps((frames, rel.protections(), rel.predecessors, left_out), protocol=pickle.HIGHEST_PROTOCOL)


def test_a_second_year_release_of_the_same_panel_is_the_first(panel: pd.DataFrame) -> None:
    first, left_out = wb.year_release(panel, 2025, STANDARD, 10)
    again, left_again = wb.year_release(panel, 2025, STANDARD, 10)
    assert again is first and left_again == left_out
    left_again.append("changed by a caller")  # the notes handed out are the caller's own list
    assert wb.year_release(panel, 2025, STANDARD, 10)[1] == left_out


def test_each_panel_and_threshold_gets_its_own_release(panel: pd.DataFrame) -> None:
    lenient = wb.year_release(panel, 2025, STANDARD, 10)
    strict = wb.year_release(panel, 2025, STANDARD, 400)
    assert strict[0] is not lenient[0] and strict[0].protection != lenient[0].protection
    assert _published(*strict) == _published(*wb.year_release(panel.copy(), 2025, STANDARD, 400))  # as a fresh panel's

    fewer = panel.drop(panel.index[panel[c.YEAR] == 2025][:100])  # another panel: another release, counted anew
    other = wb.year_release(fewer, 2025, STANDARD, 10)
    assert other[0] is not lenient[0]
    assert other[0].figures.households.loc["*", "households"] == lenient[0].figures.households.loc["*", "households"] - 100
    assert _published(*other) == _published(*wb.year_release(fewer.copy(), 2025, STANDARD, 10))
    assert _published(*wb.year_release(panel, 2025, STANDARD, 10)) == _published(*lenient)
