"""What many test files read and none changes, built once per pytest session.

The briefs' inputs of the bundled data cost seconds to prepare, and their first brief pays the
disclosure release chained over every year (cached in process for the same panel object:
:func:`analysis.tables.workbook.release`); each brief then computes its year's tables again.
Files that only read briefs made from the bundled data share these inputs and their tables
instead of preparing their own; a test that needs other inputs (another threshold, no
tables) makes them with ``dataclasses.replace`` as before, and the session checks at its end
that no test changed the shared households or tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields

import pandas as pd
import pytest

from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.paths import BUNDLED_ALL


def _fingerprint(inputs: bi.BriefInputs) -> tuple[int, ...]:
    """A cheap hash of the households (and the commune view's) the inputs hold."""
    frames = [inputs.panel] + ([inputs.communes.panel] if inputs.communes is not None else [])
    return tuple(int(pd.util.hash_pandas_object(frame, index=True).sum()) for frame in frames)


def _tables_fingerprint(tables: bi.YearTables) -> dict[str, int]:
    frames = {f.name: getattr(tables, f.name) for f in fields(tables)}
    frames |= {f"province.{k}": v for k, v in tables.province.items()}
    return {k: int(pd.util.hash_pandas_object(v, index=True).sum()) for k, v in frames.items() if isinstance(v, pd.DataFrame)}


class _TablesOnce:
    """``year_tables`` of the shared inputs computed once per (year, district) for the session.

    A brief's tables are a pure function of its inputs, year and district (the sections only
    read them), so briefs of the shared inputs share them; inputs a test makes itself (another
    threshold, ``tables=None``) compute theirs as before. The session checks at its end that
    no test changed them.
    """

    def __init__(self) -> None:
        self.shared: list[bi.BriefInputs] = []
        self.done: dict[tuple[int, int, str | None], tuple[bi.YearTables, dict[str, int]]] = {}
        self.real = br.year_tables

    def __call__(self, inputs: bi.BriefInputs, year: int, district: str | None = None) -> bi.YearTables:
        if not any(inputs is s for s in self.shared):
            return self.real(inputs, year, district)
        key = (id(inputs), year, district)
        if key not in self.done:
            tables = self.real(inputs, year, district)
            self.done[key] = (tables, _tables_fingerprint(tables))
        return self.done[key][0]

    def unchanged(self) -> bool:
        return all(_tables_fingerprint(tables) == before for tables, before in self.done.values())


_ONCE = _TablesOnce()


def _shared(inputs: bi.BriefInputs) -> Iterator[bi.BriefInputs]:
    before = _fingerprint(inputs)
    _ONCE.shared += [inputs] + ([inputs.communes] if inputs.communes is not None else [])
    br.year_tables = _ONCE  # type: ignore[assignment]  (what Brief.tables calls)
    yield inputs
    br.year_tables = _ONCE.real
    assert _fingerprint(inputs) == before, "a test changed the shared inputs' households"
    assert _ONCE.unchanged(), "a test changed the shared inputs' tables"


@pytest.fixture(scope="session")
def bundled_inputs() -> Iterator[bi.BriefInputs]:
    """``prepare_inputs()``: the bundled 2021–2024 panel (no year on the new division), read-only."""
    yield from _shared(bi.prepare_inputs())


@pytest.fixture(scope="session")
def bundled_inputs_all() -> Iterator[bi.BriefInputs]:
    """``prepare_inputs`` of both bundled files (2021–2024 and the end-2025 review), read-only."""
    yield from _shared(bi.prepare_inputs([str(p) for p in BUNDLED_ALL]))

