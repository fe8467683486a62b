"""Numbers, percentages, percentage points and dates as each language writes them (Babel).

Vietnamese: ``21.946``, ``12,34%``, ``−2,66``, ``29/11/2026``; English: ``21,946``,
``12.34%``, ``−2.66``, ``29 November 2026``. Negative numbers take the true minus sign
(U+2212) in both. Missing values (None, NaN) are written ``–``.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from .catalogue import Catalogue, catalogue

MINUS = "\u2212"
MISSING = "–"


def known(x: object) -> float | None:
    """A number as a float, or None when missing (None, NA, NaN, not a number)."""
    if x is None:
        return None
    try:
        value = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


class Formatter:
    """One language's number and date formats, with its catalogue for the unit words."""

    def __init__(self, lang: str) -> None:
        self.words: Catalogue = catalogue(lang)
        self.lang = lang
        self.locale = Locale.parse(lang)

    def _decimal(self, value: float, digits: int, *, trim: bool = False) -> str:
        rounded = round(value, digits) + 0.0  # Python's rounding of the binary value; no "-0.00"
        pattern = "#,##0" + ("." + ("#" if trim else "0") * digits if digits else "")
        text = format_decimal(Decimal(f"{rounded:.{digits}f}"), format=pattern, locale=self.locale)
        return text.replace("-", MINUS)

    def count(self, n: object) -> str:
        """A whole number with the thousands separator (``21.946`` / ``21,946``)."""
        value = known(n)
        return MISSING if value is None else self._decimal(value, 0)

    def num(self, x: object, digits: int = 2, *, trim: bool = False) -> str:
        """A decimal number (``12,34`` / ``12.34``); ``trim`` drops trailing zeros (``2,5``)."""
        value = known(x)
        return MISSING if value is None else self._decimal(value, digits, trim=trim)

    def signed(self, x: object, digits: int = 2) -> str:
        """A change with its sign: ``+1,50``, ``−0,26``, ``0,00``."""
        value = known(x)
        if value is None:
            return MISSING
        text = self._decimal(value, digits)
        return "+" + text if round(value, digits) > 0 else text

    def direction(self, x: float, digits: int = 2) -> int:
        """Which way a change goes as the reader sees it printed with ``digits`` decimals: 1 up,
        −1 down, 0 where it rounds to zero. The one rule of every sentence that words a change
        ("không đổi" / "unchanged", never "giảm 0,00" nor "tăng −0,5"): the same rounding as
        :meth:`num` prints."""
        shown = round(x, digits)
        return int(shown > 0) - int(shown < 0)

    def pct(self, x: object, digits: int = 2) -> str:
        """A percentage (``12,34%`` / ``12.34%``)."""
        value = known(x)
        return MISSING if value is None else self._decimal(value, digits) + "%"

    def pp(self, x: object, digits: int = 2, *, signed: bool = False) -> str:
        """Percentage points, short form for tables and figures (``−2,66 điểm %`` / ``+2.66 pp``)."""
        value = known(x)
        if value is None:
            return MISSING
        number = self.signed(value, digits) if signed else self._decimal(abs(value), digits)
        return self.words.text("pp_short", value=number)

    def pp_words(self, x: float, digits: int = 2) -> str:
        """The size of a change in percentage points, spelt out for sentences (no sign)."""
        return self.words.text("pp_long", value=self._decimal(abs(x), digits))

    def range_pp(self, low: object, high: object, *, long: bool = False) -> str:
        """A target band in pp a year as plans write it: ``2–2,5 điểm %/năm`` (tables) or
        ``2–2,5 điểm phần trăm mỗi năm`` (sentences); ``trên 3 …`` without a high end."""
        lo, hi = known(low), known(high)
        if lo is None:
            return MISSING
        style = "long" if long else "short"
        if hi is None:
            return self.words.text(f"band_open_{style}", low=self.num(lo, trim=True))
        return self.words.text(f"band_{style}", low=self.num(lo, trim=True), high=self.num(hi, trim=True))

    def date(self, day: date) -> str:
        """A date as the language writes it (``29/11/2026`` / ``29 November 2026``)."""
        return format_date(day, self.words.label("formats", "date"), locale=self.locale)

    def ordinal(self, n: int) -> str:
        """``3rd`` / ``thứ 3``: the CLDR ordinal category picks the catalogue's form."""
        key = f"ordinal_{self.locale.ordinal_form(n)}"
        return self.words.text(key if self.words.has("sentences", key) else "ordinal_other", number=n)


@cache
def formatter(lang: str) -> Formatter:
    """The formatter of ``lang`` (checked), built once per process."""
    return Formatter(lang)


# --- one-call forms for code that holds a language code rather than a formatter ----------


def fmt_int(n: object, lang: str) -> str:
    """:meth:`Formatter.count` in ``lang``."""
    return formatter(lang).count(n)


def fmt_num(x: object, lang: str, digits: int = 2) -> str:
    """:meth:`Formatter.num` in ``lang``."""
    return formatter(lang).num(x, digits)


def fmt_signed(x: object, lang: str, digits: int = 2) -> str:
    """:meth:`Formatter.signed` in ``lang``."""
    return formatter(lang).signed(x, digits)


def fmt_pct(x: object, lang: str, digits: int = 2) -> str:
    """:meth:`Formatter.pct` in ``lang``."""
    return formatter(lang).pct(x, digits)


def fmt_pp(x: object, lang: str, digits: int = 2, *, signed: bool = False) -> str:
    """:meth:`Formatter.pp` in ``lang``."""
    return formatter(lang).pp(x, digits, signed=signed)


def fmt_range_pp(low: object, high: object, lang: str, *, long: bool = False) -> str:
    """:meth:`Formatter.range_pp` in ``lang``."""
    return formatter(lang).range_pp(low, high, long=long)


def fmt_date(day: date, lang: str) -> str:
    """:meth:`Formatter.date` in ``lang``."""
    return formatter(lang).date(day)
