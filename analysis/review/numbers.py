"""Numbers read as a Vietnamese reader reads them, a whole column at a time.

In Vietnamese ``.`` groups thousands and ``,`` marks decimals: ``800.000`` is 800,000 and
``1.500.000,5`` is 1,500,000.5. Files also come with English grouping (``1,500,000``),
spaces (``1 500 000``), programs' floats (``1200000.0``, ``1e6``) and plain digits. A value
that can be read only one way is read that way, whatever the column holds. Two forms can
be read two ways, and the column decides:

* ``d.ddd`` (one dot, three digits after it: ``800.000``) groups thousands, as a
  Vietnamese reader reads it, unless the column also uses ``.`` as a decimal point
  (``12.5``, ``1200000.0``); then it is reported as ambiguous.
* ``d,ddd`` (one comma, three digits after it: ``1,500``) is a thousands group when the
  column elsewhere groups thousands with ``,`` (``1,500,000``) and never uses it as a
  decimal comma, a decimal when the column elsewhere uses ``,`` as a decimal comma
  (``12,5``) and never groups with it; otherwise it is reported, never guessed.

``inf``, ``NaN`` and anything that is not a number are unreadable (NaN), as are numbers too
long to be real. Each distinct text is parsed once (files repeat values), with pyarrow's
vectorised string kernels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Longest text read as a number (a longer one is a typing error, not an income).
MAX_NUMBER_LENGTH = 40

_S = r"^[+-]?"
_KINDS: list[tuple[str, str]] = [
    ("plain", _S + r"\d+$"),
    ("vi", _S + r"\d{1,3}(\.\d{3})+,\d+$|" + _S + r"\d{1,3}(\.\d{3}){2,}$"),
    ("en", _S + r"\d{1,3}(,\d{3})+\.\d+$|" + _S + r"\d{1,3}(,\d{3}){2,}$"),
    ("dot?", _S + r"[1-9]\d{0,2}\.\d{3}$"),
    ("comma?", _S + r"[1-9]\d{0,2},\d{3}$"),
    ("dot_decimal", _S + r"(\d+\.\d*|\.\d+)$"),
    ("comma_decimal", _S + r"(\d+,\d*|,\d+)$"),
    ("spaced", _S + r"\d{1,3}( \d{3})+([.,]\d+)?$"),
    ("exponent", _S + r"(\d+\.?\d*|\.\d+)[eE][+-]?\d+$"),
]
_KIND = {name: i for i, (name, _) in enumerate(_KINDS)}
_SPACES = "[\u00a0\u2007\u2009\u202f]"  # no-break and thin spaces used to group thousands


@dataclass
class Numbers:
    """A column read as numbers."""

    values: np.ndarray  #: float64; NaN where a cell is empty, not a finite number, or ambiguous
    ambiguous: np.ndarray  #: bool; cells whose reading the column cannot decide
    why: Callable[[int], str]  #: what was expected of the ambiguous cell at a position


def read_numbers(values: pd.Series) -> Numbers:
    """The numbers a Vietnamese reader reads in ``values`` (text, numbers or a mix)."""
    n = len(values)
    if pd.api.types.is_bool_dtype(values.dtype):
        return _plain(values.to_numpy(dtype=float, na_value=np.nan))
    if pd.api.types.is_numeric_dtype(values.dtype):
        return _plain(values.to_numpy(dtype=float, na_value=np.nan))
    if isinstance(values.dtype, pd.CategoricalDtype):  # each category read once
        inner = read_numbers(pd.Series(values.cat.categories))
        inner_whys = {int(k): inner.why(int(k)) for k in np.flatnonzero(inner.ambiguous)}
        return _spread(values.cat.codes.to_numpy(), np.append(inner.values, np.nan), np.append(inner.ambiguous, False), inner_whys)
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        codes, uniques = values.factorize(use_na_sentinel=True)
        parsed, ambiguous, why = _read_texts(pa.array(uniques, type=pa.large_string()))
        parsed = np.append(parsed, np.nan)  # the last slot is for missing cells (code -1)
        ambiguous = np.append(ambiguous, False)
        return _spread(codes, parsed, ambiguous, dict(enumerate(why)))
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        objects = np.asarray(uniques, dtype=object)
    except TypeError:  # unhashable cells (lists): each cell on its own
        codes, objects = np.arange(n), values.to_numpy(dtype=object)
    is_text = np.fromiter((isinstance(v, str) for v in objects), bool, len(objects))
    parsed = np.full(len(objects) + 1, np.nan)  # the last slot is for missing cells (code -1)
    for i in np.flatnonzero(~is_text):
        parsed[i] = _number_of(objects[i])
    ambiguous = np.zeros(len(objects) + 1, bool)
    whys: dict[int, str] = {}
    if is_text.any():
        at = np.flatnonzero(is_text)
        numbers, text_ambiguous, why = _read_texts(pa.array(objects[at].tolist(), type=pa.large_string()))
        parsed[at] = numbers
        ambiguous[at] = text_ambiguous
        whys = {int(at[k]): why[k] for k in np.flatnonzero(text_ambiguous)}
    return _spread(codes, parsed, ambiguous, whys)


def _spread(codes: np.ndarray, parsed: np.ndarray, ambiguous: np.ndarray, whys: dict[int, str]) -> Numbers:
    """Per-distinct-value results spread back to cells (code -1, a missing cell, takes the last slot)."""
    parsed[~np.isfinite(parsed)] = np.nan
    # code -1 (a missing cell) indexes the last slot, which every caller keeps for missing cells
    spread = ambiguous[codes] if ambiguous.any() else np.zeros(len(codes), dtype=bool)
    return Numbers(parsed[codes], spread, lambda i: whys.get(int(codes[i])) or "a number")


def _plain(numbers: np.ndarray) -> Numbers:
    numbers = numbers.copy()
    numbers[~np.isfinite(numbers)] = np.nan
    return Numbers(numbers, np.zeros(len(numbers), bool), lambda i: "a number")


def _number_of(value: object) -> float:
    """A cell that is not text: a number stays one (True/False are 1/0); anything else is unreadable."""
    if isinstance(value, (bool, np.bool_, int, float, np.integer, np.floating, Decimal)):
        try:
            return float(value)
        except (OverflowError, ValueError):
            return np.nan
    return np.nan


def _read_texts(texts: pa.Array) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Numbers of distinct texts, which of them are ambiguous, and why."""
    t = pc.utf8_trim_whitespace(pc.replace_substring_regex(texts, _SPACES, " "))
    too_long = np.asarray(pc.greater(pc.utf8_length(t), MAX_NUMBER_LENGTH).fill_null(True))
    kind = np.full(len(t), -1)
    for i, (_, pattern) in reversed(list(enumerate(_KINDS))):  # the first matching kind wins
        kind[np.asarray(pc.match_substring_regex(t, pattern).fill_null(False))] = i
    kind[too_long] = -1
    has_dot = np.asarray(pc.match_substring(t, ".").fill_null(False))
    has_comma = np.asarray(pc.match_substring(t, ",").fill_null(False))
    dot_decimal = (kind == _KIND["dot_decimal"]) | ((kind == _KIND["en"]) & has_dot)
    comma_group = kind == _KIND["en"]
    comma_decimal = (kind == _KIND["comma_decimal"]) | ((kind == _KIND["vi"]) & has_comma)

    dot_ambiguous = (kind == _KIND["dot?"]) & dot_decimal.any()
    comma_as_group = comma_group.any() and not comma_decimal.any()
    comma_as_decimal = comma_decimal.any() and not comma_group.any()
    comma_ambiguous = (kind == _KIND["comma?"]) & (not comma_as_group) & (not comma_as_decimal)

    vi_text = pc.replace_substring(pc.replace_substring(t, ".", ""), ",", ".")  # . groups, , is decimal
    en_text = pc.replace_substring(t, ",", "")  # , groups, . is decimal
    spaced_text = pc.replace_substring(pc.replace_substring(t, " ", ""), ",", ".")
    use_en = np.isin(kind, [_KIND["en"], _KIND["dot_decimal"], _KIND["exponent"]]) | (
        (kind == _KIND["comma?"]) & comma_as_group
    )
    use_spaced = kind == _KIND["spaced"]
    readable = (kind >= 0) & ~dot_ambiguous & ~comma_ambiguous
    chosen = pc.if_else(pa.array(use_en), en_text, pc.if_else(pa.array(use_spaced), spaced_text, vi_text))
    chosen = pc.if_else(pa.array(readable), chosen, pa.scalar(None, chosen.type))
    numbers = np.asarray(pc.cast(chosen, pa.float64()).fill_null(np.nan), dtype=float)

    dot_example = _example(texts, dot_decimal)
    comma_examples = _example(texts, comma_group), _example(texts, comma_decimal)
    why = [""] * len(t)
    for k in np.flatnonzero(dot_ambiguous):
        text = str(t[k].as_py())
        why[k] = (
            f"a number that reads one way: '.' groups thousands, but this column also uses '.' as a decimal point "
            f"({dot_example}), so {text!r} could be {_grouped(text)} or {_decimal(text)}; "
            "write it without a thousands separator"
        )
    for k in np.flatnonzero(comma_ambiguous):
        text = str(t[k].as_py())
        shows = (
            f"this column uses ',' both to group thousands ({comma_examples[0]}) and as a decimal comma ({comma_examples[1]})"
            if comma_group.any() else "nothing else in this column shows which"
        )
        why[k] = (
            f"a number that reads one way: {text!r} could be {_grouped(text)} (',' grouping thousands) or "
            f"{_decimal(text)} (',' as the decimal comma); {shows}; write it without a thousands separator"
        )
    return numbers, dot_ambiguous | comma_ambiguous, why


def _grouped(text: str) -> str:
    """``1.500`` or ``1,500`` read as whole thousands, written without a separator."""
    return text.replace(".", "").replace(",", "")


def _decimal(text: str) -> str:
    """``1.500`` or ``1,500`` read with a decimal point: ``1.5``."""
    return f"{float(text.replace(',', '.')):g}"


def _example(texts: pa.Array, mask: np.ndarray) -> str:
    positions = np.flatnonzero(mask)
    return repr(texts[int(positions[0])].as_py()) if len(positions) else ""
