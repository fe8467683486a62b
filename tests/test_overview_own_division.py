"""The province overview's default division is each year's own: a year before the 2025
reorganisation is ranked by its own communes under their districts even where the data
reach a new-division year (as the batch plans it: no commune briefs for that year); the new
units only with ``division="new"`` or for a new-division year."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import deprived, records

from analysis.briefs import brief as br
from analysis.briefs import sections
from analysis.review import columns as c

POOR = {c.INCOME: 1_000_000, **deprived(3)}
NOT_POOR = {c.INCOME: 5_000_000}
#: (district, old commune, new unit): poor households of 20. Each old commune went whole into
#: its new unit except Việt Hưng, split between the new Việt Hưng and Phúc Lợi (data/crosswalk_2025.csv).
PLACES = {("Long Biên", "Việt Hưng", "Việt Hưng"): 1, ("Ba Vì", "Ba Vì", "Ba Vì"): 6, ("Sơn Tây", "Ngô Quyền", "Sơn Tây"): 3}


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> str:
    rows = [{c.HOUSEHOLD_ID: f"{year}-{d}-{i}", c.YEAR: year, c.PROVINCE: "Hà Nội", c.DISTRICT: d if year == 2024 else "",
             c.COMMUNE: old if year == 2024 else new, **(POOR if i < poor else NOT_POOR)}
            for year in (2024, 2025) for (d, old, new), poor in PLACES.items() for i in range(20)]
    path: Path = tmp_path_factory.mktemp("own") / "ha_noi.csv"
    records(*rows).to_csv(path, index=False)
    return str(path)


def test_a_year_before_the_reorganisation_is_ranked_by_its_own_communes(review: str) -> None:
    b = br.start(year=2024, data_path=review, threshold=1)
    assert sections.commune_ranking(b) is None  # the new units' ranking: not for 2024's own division
    poorest = sections.poorest_communes(b)
    assert poorest.table is not None
    listed = set(poorest.table.iloc[:, 1])
    assert listed == {"Ba Vì", "Ngô Quyền", "Việt Hưng"}  # the old communes, Ngô Quyền among them
    assert "địa giới mới" not in " ".join(poorest.paragraphs)
    # the same brief as --division old asks for
    old = br.start(year=2024, data_path=review, threshold=1, division="old")
    assert sections.poorest_communes(old).paragraphs == poorest.paragraphs


def test_the_new_units_where_asked_or_in_force(review: str) -> None:
    rebased = br.start(year=2024, data_path=review, threshold=1, division="new")
    ranking = sections.commune_ranking(rebased)
    assert ranking is not None and "địa giới mới" in " ".join(ranking.paragraphs)  # 2024 re-based onto the new units
    latest = br.start(data_path=review, threshold=1)  # 2025, on the division in force
    assert latest.year == 2025 and sections.commune_ranking(latest) is not None
