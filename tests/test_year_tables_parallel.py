"""The batch's year tables built by two processes are the tables one process builds.

The batch shares the release's figures of every year and the year's section tables between
itself and a helper process (:mod:`analysis.briefs.batch.figures`); the briefs must not
depend on who built what, nor on a helper that died.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
from dataclasses import fields, is_dataclass, replace
from typing import Any

import pandas as pd
import pytest

from analysis.briefs import inputs as bi
from analysis.briefs.batch import figures as bf

YEAR = 2024


def _canonical(value: Any) -> Any:
    """``value`` with each table as its columns, types, index and values: how pandas lays a
    table out in memory (a table built in the helper and unpickled here may hold its columns
    in other blocks) is no part of what the briefs read."""
    if isinstance(value, pd.DataFrame):
        return (tuple(value.columns), tuple(map(str, value.dtypes)), value.attrs, tuple(value.index), tuple(tuple(value[col].tolist()) for col in value))
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple(_canonical(getattr(value, f.name)) for f in fields(value)))
    if isinstance(value, dict):
        return tuple((key, _canonical(item)) for key, item in value.items())
    return value


def _same(tables: Any) -> bytes:
    return pickle.dumps(_canonical(tables), protocol=pickle.HIGHEST_PROTOCOL)


def _tables(inputs: bi.BriefInputs) -> bytes:
    """The cached aggregates, as the batch hands them to its notebooks."""
    return _same(inputs.without_households().tables)


@pytest.fixture(scope="module")
def serial(bundled_inputs: bi.BriefInputs) -> bytes:
    return _tables(bi.with_year_tables(bundled_inputs, YEAR))


def _fresh(inputs: bi.BriefInputs) -> bi.BriefInputs:
    """The same inputs with a panel of their own (their commune view's too): no release of it
    is cached in this process, so the release is chained on the figures the processes built."""
    communes = _fresh(inputs.communes) if inputs.communes is not None else None
    return replace(inputs, panel=inputs.panel.copy(), communes=communes)


def test_pieces_are_the_section_tables_then_every_year_up_to_the_briefs_one(bundled_inputs: bi.BriefInputs) -> None:
    d = bf.DISTRICTS
    assert bf.pieces(bundled_inputs, 2023) == [(d, bf.FRAMES), (d, 2023), (d, 2022), (d, 2021)]
    assert bf.pieces(bundled_inputs, 2021) == [(d, bf.FRAMES), (d, 2021)]


def test_a_new_division_year_is_tabled_by_former_district_and_by_commune_side_by_side(bundled_inputs_all: bi.BriefInputs) -> None:
    d, m = bf.DISTRICTS, bf.COMMUNES
    years = (2025, 2024, 2023, 2022, 2021)
    assert bf.pieces(bundled_inputs_all, 2025) == [(d, bf.FRAMES), (m, bf.FRAMES), *((v, y) for y in years for v in (d, m))]
    # an old-division year of the same data: its commune view is re-based onto the new units
    assert bf.pieces(bundled_inputs_all, 2022) == [(d, bf.FRAMES), (m, bf.FRAMES), (d, 2022), (m, 2022), (d, 2021), (m, 2021)]


def test_two_processes_build_the_tables_one_builds(serial: bytes, bundled_inputs: bi.BriefInputs) -> None:
    inputs = _fresh(bundled_inputs)
    parallel = bf.year_tables_in_parallel(inputs, YEAR, mp.get_context("forkserver"))
    assert parallel.tables is not None and parallel.tables.year == YEAR
    assert _tables(parallel) == serial


def _takes_a_piece_and_dies(conn: object, counter: object, inputs: object, year: int, work: list[bf.Piece]) -> None:
    bf._take(counter, work)
    os._exit(3)


def test_a_helper_that_dies_costs_nothing_but_time(serial: bytes, bundled_inputs: bi.BriefInputs, monkeypatch: pytest.MonkeyPatch) -> None:
    # A forked helper runs the patched function: it takes a piece from the counter and exits
    # without sending anything; this process builds what is missing.
    monkeypatch.setattr(bf, "_helper", _takes_a_piece_and_dies)
    inputs = _fresh(bundled_inputs)
    assert _tables(bf.year_tables_in_parallel(inputs, YEAR, mp.get_context("fork"))) == serial


def test_the_commune_view_of_a_new_division_year_is_built_by_both_processes_too(bundled_inputs_all: bi.BriefInputs) -> None:
    # What one process builds: the tables the briefs of this session read (computed once).
    from analysis.briefs import brief as br

    assert bundled_inputs_all.communes is not None
    by_district = _same(br.year_tables(bundled_inputs_all, 2025))
    by_commune = _same(br.year_tables(bundled_inputs_all.communes, 2025))
    parallel = bf.year_tables_in_parallel(_fresh(bundled_inputs_all), 2025, mp.get_context("forkserver"))
    assert parallel.communes is not None and parallel.communes.tables is not None
    assert _tables(parallel) == by_district
    assert _same(parallel.communes.tables) == by_commune
