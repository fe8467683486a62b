"""The batch's year tables built by two processes are the tables one process builds.

The batch shares the release's figures of every year and the year's section tables between
itself and a helper process (:mod:`analysis.briefs.batch.figures`); the briefs must not
depend on who built what, nor on a helper that died.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
from dataclasses import replace

import pytest

from analysis.briefs import inputs as bi
from analysis.briefs.batch import figures as bf

YEAR = 2024


def _tables(inputs: bi.BriefInputs) -> bytes:
    """The cached aggregates, as the batch hands them to its notebooks."""
    return pickle.dumps(inputs.without_households().tables, protocol=pickle.HIGHEST_PROTOCOL)


@pytest.fixture(scope="module")
def serial(bundled_inputs: bi.BriefInputs) -> bytes:
    return _tables(bi.with_year_tables(bundled_inputs, YEAR))


def _fresh(inputs: bi.BriefInputs) -> bi.BriefInputs:
    """The same inputs with a panel of their own: no release of it is cached in this process,
    so the release is chained on the figures the processes built."""
    return replace(inputs, panel=inputs.panel.copy())


def test_pieces_are_the_section_tables_then_every_year_up_to_the_briefs_one(bundled_inputs: bi.BriefInputs) -> None:
    assert bf.pieces(bundled_inputs, 2023) == [bf.FRAMES, 2023, 2022, 2021]
    assert bf.pieces(bundled_inputs, 2021) == [bf.FRAMES, 2021]


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
