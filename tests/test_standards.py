"""Every boundary of both standards in both areas: exactly at each line and one VND above."""

from __future__ import annotations

import pytest
from conftest import deprived, records

from analysis import UsageError, classify, get_standard, standard_ids
from analysis.review import columns as c

D07, D59 = "decree-07-2021", "decision-59-2015"

# (standard, area, income, deprivations, expected status)
CASES = [
    # Decree 07, rural: line 1,500,000; average band to 2,250,000
    (D07, "rural", 0, 3, "poor"),
    (D07, "rural", 1_500_000, 3, "poor"),
    (D07, "rural", 1_500_000, 2, "near_poor"),
    (D07, "rural", 1_500_001, 3, "average"),
    (D07, "rural", 1_500_001, 12, "average"),
    (D07, "rural", 2_250_000, 0, "average"),
    (D07, "rural", 2_250_001, 0, "above_average"),
    # Decree 07, urban: line 2,000,000; average band to 3,000,000
    (D07, "urban", 2_000_000, 3, "poor"),
    (D07, "urban", 2_000_000, 2, "near_poor"),
    (D07, "urban", 2_000_001, 3, "average"),
    (D07, "urban", 3_000_000, 0, "average"),
    (D07, "urban", 3_000_001, 0, "above_average"),
    # Decision 59, rural: 700,000 poor outright; 1,000,000 with deprivations; average to 1,500,000
    (D59, "rural", 700_000, 0, "poor"),
    (D59, "rural", 700_001, 0, "near_poor"),
    (D59, "rural", 700_001, 3, "poor"),
    (D59, "rural", 1_000_000, 3, "poor"),
    (D59, "rural", 1_000_000, 2, "near_poor"),
    (D59, "rural", 1_000_001, 3, "average"),
    (D59, "rural", 1_500_000, 0, "average"),
    (D59, "rural", 1_500_001, 0, "above_average"),
    # Decision 59, urban: 900,000; 1,300,000; 1,950,000
    (D59, "urban", 900_000, 0, "poor"),
    (D59, "urban", 900_001, 0, "near_poor"),
    (D59, "urban", 900_001, 3, "poor"),
    (D59, "urban", 1_300_000, 3, "poor"),
    (D59, "urban", 1_300_000, 2, "near_poor"),
    (D59, "urban", 1_300_001, 3, "average"),
    (D59, "urban", 1_950_000, 0, "average"),
    (D59, "urban", 1_950_001, 0, "above_average"),
]


@pytest.mark.parametrize(("standard", "area", "income", "count", "expected"), CASES)
def test_status_at_every_boundary(standard, area, income, count, expected):
    households = records({c.AREA: area, c.INCOME: income, **deprived(count, get_standard(standard).indicators)})
    result = classify(households, standard)
    assert result[c.DEPRIVATIONS].iloc[0] == count
    assert result[c.STATUS].iloc[0] == expected


def test_deprivations_count_only_the_standards_indicators():
    only_d07 = {"employment": 1, "dependants": 1, "nutrition": 1}
    households = records({**only_d07, c.HEALTH_SERVICE_ACCESS: 1, c.INCOME: 800_000})
    assert classify(households, D07)[c.DEPRIVATIONS].iloc[0] == 3
    assert classify(households, D59)[c.DEPRIVATIONS].iloc[0] == 1
    assert classify(households, D07)[c.STATUS].iloc[0] == "poor"
    assert classify(households, D59)[c.STATUS].iloc[0] == "near_poor"


def test_classify_does_not_change_its_input():
    households = records({})
    before = households.copy()
    classify(households, D07)
    assert households.equals(before)


def test_standards_are_data_with_equal_nested_weights():
    d07, d59 = get_standard(D07), get_standard(D59)
    assert standard_ids() == (D07, D59, "decree-351-2025")
    assert len(d07.indicators) == 12 and set(d07.indicators) == set(c.DECREE_07_INDICATORS)
    assert len(d59.indicators) == 10 and c.HEALTH_SERVICE_ACCESS in d59.indicators
    assert all(w == pytest.approx(1 / 12) for w in d07.weights().values())
    assert all(w == pytest.approx(1 / 10) for w in d59.weights().values())
    assert d07.indicator_dimension["water"] == "water_sanitation"


def test_unknown_standard_names_the_known_ones():
    with pytest.raises(UsageError, match="decree-07-2021, decision-59-2015"):
        get_standard("decree-99")


def test_missing_indicator_for_the_standard_is_a_clear_error():
    from analysis import DataError

    households = records({}).drop(columns=[c.HEALTH_SERVICE_ACCESS])
    with pytest.raises(DataError, match="health_service_access"):
        classify(households, D59)
