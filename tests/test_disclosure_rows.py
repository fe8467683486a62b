"""A row id named twice is a bug caught with a clear internal error, never a float() TypeError."""

import pandas as pd
import pytest

from analysis.measures.disclosure import CellSystem, DuplicateRowError


def test_duplicate_row_ids_are_an_internal_error():
    frame = pd.DataFrame({"households": [12, 30]}, index=["Pác Nặm/Cao Minh", "Pác Nặm/Cao Minh"])
    with pytest.raises(DuplicateRowError, match="Cao Minh"):
        CellSystem().add_frame(frame, {"households": "households"})
    with pytest.raises(DuplicateRowError, match="more than one row"):
        CellSystem().add("Pác Nặm/Cao Minh", "households", frame["households"])


def test_unique_row_ids_are_cells():
    system = CellSystem()
    system.add_frame(pd.DataFrame({"households": [12, 30]}, index=["a", "b"]), {"households": "households"})
    assert system.values == {("a", "households"): 12.0, ("b", "households"): 30.0}
