"""Policy groups of households: ethnic minority vs Kinh, poor districts vs other districts.

Both are derived, never read from a review file: ethnicity and district are in the data
contract, and which districts are poor comes from the reference units (Decision 353/QĐ-TTg).
The labels double as the target scopes used in ``data/targets.csv``.
"""

from __future__ import annotations

import pandas as pd

from ..review import columns as c
from ..review.units import Units, load_units, units_for
from .scopes import (
    ETHNIC_MINORITY,
    ETHNIC_MINORITY_SCOPE,
    FORMER_DISTRICT,
    GROUP_LABELS,
    KINH_SCOPE,
    OTHER_DISTRICTS_SCOPE,
    POOR_DISTRICT,
    POOR_DISTRICTS_SCOPE,
    PROVINCE_SCOPE,
)

#: The groups' names live in :mod:`.scopes` (plain Python); used from here as before.
__all__ = [
    "ETHNIC_MINORITY",
    "ETHNIC_MINORITY_SCOPE",
    "FORMER_DISTRICT",
    "GROUP_LABELS",
    "KINH_SCOPE",
    "OTHER_DISTRICTS_SCOPE",
    "POOR_DISTRICT",
    "POOR_DISTRICTS_SCOPE",
    "PROVINCE_SCOPE",
    "is_ethnic_minority",
    "is_poor_district",
    "with_groups",
]


def is_ethnic_minority(ethnicity: pd.Series) -> pd.Series:
    """Every group except Kinh is an ethnic minority (unknown ethnicity stays unknown: False)."""
    # Decided once per distinct name (a few dozen), not per household.
    names = pd.unique(ethnicity.dropna())
    minority = [name for name in names if str(name).strip() != c.MAJORITY_ETHNICITY]
    return ethnicity.isin(minority).astype(bool)

def is_poor_district(district: pd.Series, units: Units | None = None, province: pd.Series | None = None) -> pd.Series:
    """Whether each district is on the poor-district list of the reference units: with
    ``province``, only a district of the units' province (a district of another province
    that bears the same name is not one of its poor districts)."""
    units = units or load_units()
    poor = district.isin(units.poor_districts)
    if province is not None:
        poor &= province.isin([units.province])
    return poor.astype(bool)

def with_groups(classified: pd.DataFrame, units: Units | None = None) -> pd.DataFrame:
    """A copy with boolean ``ethnic_minority`` and ``poor_district`` columns added.

    A ``poor_district`` column already there is kept: new-division years have no district,
    and their poor-district flag comes from the former district (:mod:`.rebase`).
    """
    if POOR_DISTRICT in classified:
        poor = classified[POOR_DISTRICT].fillna(False).astype(bool)
    else:
        poor = is_poor_district(classified[c.DISTRICT], units or units_for(classified), classified.get(c.PROVINCE))
    return classified.assign(**{ETHNIC_MINORITY: is_ethnic_minority(classified[c.ETHNICITY]), POOR_DISTRICT: poor})
