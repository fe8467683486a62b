"""The release's figures of every review year, built two at a time before the briefs can start.

The year's disclosure protection is chained to every earlier year's release (each year's
protection is computed on the previous one's), so the batch needs the summary figures of every
year up to the one it briefs before its first notebook runs: the costliest part of its set-up,
and one process's work. The figures of one year do not depend on another's, so a helper
process (from the workers' fork server, which has the measures imported) builds some years
while this process builds the others; the protections are then chained here as before
(:func:`analysis.tables.workbook.release`), on the same figures, so the briefs are the same
byte for byte. A helper that fails costs nothing but time: its years are built here.
"""

from __future__ import annotations

import contextlib
import multiprocessing.context as mpc
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from ...review.standards import get_standard
from ...review.units import Units
from ...tables.figures import Figures, build_figures
from ...tables.workbook import prime_figures
from .. import inputs as bi


def _build(panel: pd.DataFrame, years: Sequence[int], standard: str, units: Units) -> dict[int, Figures]:
    return {year: build_figures(panel, year, standard, units) for year in years}


def _helper(conn: Any, panel: pd.DataFrame, years: Sequence[int], standard: str, units: Units) -> None:
    # The standard (a registry object, not picklable) goes back by its id.
    conn.send({year: replace(built, standard=None) for year, built in _build(panel, years, standard, units).items()})  # type: ignore[arg-type]
    conn.close()


def figures_in_parallel(inputs: bi.BriefInputs, year: int, context: mpc.ForkServerContext | None) -> None:
    """Build the figures of ``year`` and every earlier year, half of them in a helper process,
    and hand them to the release (:func:`prime_figures`)."""
    years = sorted((y for y in inputs.years if y <= year), reverse=True)
    if context is None or len(years) < 2 or inputs.panel.empty:
        return
    # Later years cost more (flows against the year before): alternate them between the two.
    mine, theirs = years[0::2], years[1::2]
    receive, send = context.Pipe(duplex=False)
    helper = context.Process(target=_helper, args=(send, inputs.panel, theirs, inputs.standard, inputs.units), name="release-figures", daemon=True)
    helper.start()
    send.close()  # the helper's end: a helper that dies leaves this one at end of file
    try:
        built = _build(inputs.panel, mine, inputs.standard, inputs.units)
        with contextlib.suppress(EOFError, OSError):  # a helper that died: release() builds its years here
            std = get_standard(inputs.standard)
            built.update({year: replace(theirs_built, standard=std) for year, theirs_built in receive.recv().items()})
        prime_figures(inputs.panel, built, inputs.standard)
    finally:
        receive.close()
        helper.join(timeout=5)
        if helper.is_alive():  # stopped early (SIGTERM) or wedged
            helper.kill()
            helper.join(timeout=5)
