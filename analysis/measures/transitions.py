"""The transition matrix of poor and near-poor households between two reviews.

Households are followed by ``household_id`` (:func:`analysis.measures.flows.poverty_flows`);
a row is the status in the previous review, a column the status now:

* ``poor``, ``near_poor``; ``neither``: listed, neither poor nor near-poor;
* ``new_household`` (row): not in the previous review (split off, moved in), so where it
  came from cannot be followed; ``left`` (column): no longer listed (moved away, merged),
  so where it went cannot be followed.

Households neither poor nor near-poor in both reviews, and those that were neither and left
or arrived as neither, are not what the matrix is about: those cells are NaN, never 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

#: Rows (status in the previous review) and columns (status now), in display order.
FROM_STATES: tuple[str, ...] = ("poor", "near_poor", "neither", "new_household")
TO_STATES: tuple[str, ...] = ("poor", "near_poor", "neither", "left")

#: (from, to) → the flows column counting it (``total`` is the row's or column's total).
TRANSITION_COLUMNS: dict[tuple[str, str], str] = {
    ("poor", "poor"): "stayed_poor",
    ("poor", "near_poor"): "poor_to_near_poor",
    ("poor", "neither"): "poor_to_neither",
    ("poor", "left"): "left_poor",
    ("poor", "total"): "poor_previous",
    ("near_poor", "poor"): "near_poor_to_poor",
    ("near_poor", "near_poor"): "stayed_near_poor",
    ("near_poor", "neither"): "near_poor_to_neither",
    ("near_poor", "left"): "left_near_poor",
    ("near_poor", "total"): "near_poor_previous",
    ("neither", "poor"): "neither_to_poor",
    ("neither", "near_poor"): "neither_to_near_poor",
    ("new_household", "poor"): "new_household_poor",
    ("new_household", "near_poor"): "new_household_near_poor",
    ("total", "poor"): "poor",
    ("total", "near_poor"): "near_poor",
}


def transition_matrix(flows_row: Mapping[str, Any] | pd.Series) -> pd.DataFrame:
    """One unit's matrix from its row of ``poverty_flows``: index ``FROM_STATES`` + ``total``,
    columns ``TO_STATES`` + ``total``; NaN where households are not followed (see above)."""
    index, columns = [*FROM_STATES, "total"], [*TO_STATES, "total"]
    out = pd.DataFrame(np.nan, index=index, columns=columns)
    for (source, target), column in TRANSITION_COLUMNS.items():
        out.loc[source, target] = float(flows_row[column])
    return out
