"""Disclosure control of the briefs: groups smaller than :data:`MIN_CELL` households show
counts but no rates, since a rate over two or three households is close to a household record."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .. import narrative as nv

#: Groups smaller than this show counts but no rates (see the module docstring).
MIN_CELL = 10


def suppress(frame: pd.DataFrame, lang: str, rate_cols: Sequence[str]) -> tuple[pd.DataFrame, bool]:
    small = frame["households"] < MIN_CELL
    out = frame.copy()
    for col in rate_cols:
        out[col] = out[col].astype(object).where(~small, None)
    return out, bool(small.any())


def suppressed_note(lang: str) -> str:
    """Why some rates are not shown."""
    return nv.suppressed_note(MIN_CELL, lang)
