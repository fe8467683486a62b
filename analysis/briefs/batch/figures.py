"""The year's aggregates, built by two processes before the briefs can start.

The year's disclosure protection is chained to every earlier year's release (each year's
protection is computed on the previous one's), so the batch needs the summary figures of every
year up to the one it briefs, and the year's section tables, before its first notebook runs:
the costliest part of its set-up. On a new-division year it needs them twice: by former
district and by new commune (the commune view, every year re-based). The figures of one year
do not depend on another's, nor the section tables on any protection, so a helper process (from
the workers' fork server, which has the measures imported) and this process take these pieces
of work one after another from a shared counter until none is left; each finishes about when
the other does, whatever the data and however busy the machine. The protections are then
chained here as before (:func:`analysis.tables.workbook.release`), on the same figures, so the
briefs are the same byte for byte. A helper that fails costs nothing but time: its pieces are
built here.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing.context as mpc
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from ...review.standards import get_standard
from ...tables.figures import build_figures
from ...tables.workbook import prime_figures
from .. import inputs as bi

#: The two views a year may be tabled in: the inputs as loaded (by district, or by former
#: district on the new division) and their commune view (:attr:`BriefInputs.communes`).
DISTRICTS, COMMUNES = "districts", "communes"
#: What a piece is of: the year's section tables (``FRAMES``) or the figures of a year.
FRAMES = "frames"
#: A piece of work: a view, and what of it.
Piece = tuple[str, int | str]


def views(inputs: bi.BriefInputs, year: int) -> dict[str, bi.BriefInputs]:
    """The views the batch tables ``year`` in: the commune view too when it has that year."""
    found = {DISTRICTS: inputs}
    if inputs.communes is not None and year in inputs.communes.years:
        found[COMMUNES] = inputs.communes
    return found


def pieces(inputs: bi.BriefInputs, year: int) -> list[Piece]:
    """Each view's section tables, then its years, latest first, the views' alike pieces side
    by side: a year followed from the one before (flows) costs more than the first year, so
    the cheapest pieces come last and neither process is left alone with a long one."""
    own: list[list[Piece]] = []
    for name, view in views(inputs, year).items():
        years: list[int | str] = sorted((y for y in view.years if y <= year), reverse=True)
        own.append([(name, what) for what in [FRAMES, *years]])
    return [piece for rank in itertools.zip_longest(*own) for piece in rank if piece is not None]


def _build(inputs: bi.BriefInputs, year: int, piece: Piece) -> Any:
    name, what = piece
    view = views(inputs, year)[name]
    if what == FRAMES:
        return bi.year_frames(view, year)
    return build_figures(view.panel, int(what), view.standard, view.units)


def _take(counter: Any, work: Sequence[Piece]) -> Piece | None:
    with counter.get_lock():
        index = counter.value
        counter.value += 1
    return work[index] if index < len(work) else None


def _drain(inputs: bi.BriefInputs, year: int, take: Callable[[], Piece | None]) -> dict[Piece, Any]:
    built: dict[Piece, Any] = {}
    while (piece := take()) is not None:
        built[piece] = _build(inputs, year, piece)
    return built


def _helper(conn: Any, counter: Any, inputs: bi.BriefInputs, year: int, work: Sequence[Piece]) -> None:
    built = _drain(inputs, year, lambda: _take(counter, work))
    # The standard (a registry object, not picklable) goes back by its id.
    conn.send({piece: value if piece[1] == FRAMES else replace(value, standard=None) for piece, value in built.items()})
    conn.close()


def year_tables_in_parallel(inputs: bi.BriefInputs, year: int, context: mpc.ForkServerContext | None) -> bi.BriefInputs:
    """The inputs with the year's tables (:func:`analysis.briefs.inputs.with_year_tables`),
    their commune view's too, their pieces built here and in a helper process; ``context``
    None: all of them here."""
    work = pieces(inputs, year)
    if context is None or len(work) < 2 or inputs.panel.empty:
        return bi.with_year_tables(inputs, year)
    counter = context.Value("i", 0)
    receive, send = context.Pipe(duplex=False)
    sent = replace(inputs, tables=None)
    helper = context.Process(target=_helper, args=(send, counter, sent, year, work), name="year-tables", daemon=True)
    helper.start()
    send.close()  # the helper's end: a helper that dies leaves this one at end of file
    try:
        built = _drain(inputs, year, lambda: _take(counter, work))
        with contextlib.suppress(EOFError, OSError):  # a helper that died: its pieces are built below
            std = get_standard(inputs.standard)
            built.update({piece: value if piece[1] == FRAMES else replace(value, standard=std) for piece, value in receive.recv().items()})
        built.update({piece: _build(inputs, year, piece) for piece in work if piece not in built})
    finally:
        receive.close()
        helper.join(timeout=5)
        if helper.is_alive():  # stopped early (SIGTERM) or wedged
            helper.kill()
            helper.join(timeout=5)
    for name, view in views(inputs, year).items():
        prime_figures(view.panel, {int(what): value for (of, what), value in built.items() if of == name and what != FRAMES}, view.standard)
    return bi.with_year_tables(inputs, year, frames=built[(DISTRICTS, FRAMES)], commune_frames=built.get((COMMUNES, FRAMES)))
