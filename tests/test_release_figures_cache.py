"""A release at another disclosure threshold protects the same year's figures, counted once.

The figures of a review year do not depend on the threshold; only their protection does. So a
stricter rule tried on the same data (a test, an analyst's second look) takes the figures
already built for the panel, and must publish exactly what a fresh panel would: the tables of
one threshold never carry anything of another's protection.
"""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

from analysis.measures.classification import classify
from analysis.review import columns as c
from analysis.review.loading import load_households
from analysis.tables import workbook as wb

STANDARD = "decree-07-2021"


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    households = load_households()
    return classify(households[households[c.YEAR] >= 2023].reset_index(drop=True), STANDARD)


def _sheets(panel: pd.DataFrame, threshold: int) -> bytes:
    return pickle.dumps(wb.build_sheets(panel, 2024, STANDARD, threshold=threshold), protocol=pickle.HIGHEST_PROTOCOL)


def test_another_threshold_protects_the_figures_already_counted(panel: pd.DataFrame) -> None:
    lenient = wb.release(panel, 2024, STANDARD, 10)
    strict = wb.release(panel, 2024, STANDARD, 400)
    assert strict.figures is lenient.figures and strict.previous is not None and lenient.previous is not None
    assert strict.previous.figures is lenient.previous.figures
    assert strict.protection != lenient.protection  # the rule, not the figures, differs
    assert len(strict.protection.suppressed) > len(lenient.protection.suppressed)


def test_each_thresholds_tables_are_a_fresh_panels(panel: pd.DataFrame) -> None:
    first = _sheets(panel, 10)
    strict = _sheets(panel, 400)
    assert strict != first
    assert _sheets(panel, 10) == first  # after the strict tables, on the same (cached) figures
    assert _sheets(panel.copy(), 400) == strict  # a fresh panel: figures counted anew
    assert _sheets(panel.copy(), 10) == first
