"""Text that is safe to open in a spreadsheet.

Spreadsheets execute a cell whose text starts with ``=``, ``+``, ``-``, ``@`` (or a tab or
carriage return before one of them). Text taken from data (household ids, names, ethnic
groups) is written with a leading apostrophe in that case, the usual rule, so that the value
stays readable and is never run. Numbers are never touched: ``-1.5`` stays a number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could take this text for a formula."""
    return text.startswith(FORMULA_STARTS) and not _is_plain_number(text)


def neutralise(value: Any) -> Any:
    """The value, with a leading apostrophe if it is text a spreadsheet would run."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell and column name neutralised; numbers unchanged."""
    import pandas as pd  # here: the lean summary neutralises cells without pandas

    out = frame.copy()
    out.columns = [neutralise(name) for name in out.columns]
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype) or isinstance(series.dtype, pd.CategoricalDtype):
            out[column] = series.map(neutralise, na_action="ignore")
    return out


def _is_plain_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower().lstrip("+-") not in ("inf", "infinity", "nan")
