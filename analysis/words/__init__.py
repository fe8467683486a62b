"""The words a reader sees: one catalogue per language and one formatter for numbers and dates.

``vi.toml`` and ``en.toml`` hold every label and sentence template (with named fields);
:class:`Formatter` writes numbers, percentages, percentage points and dates through Babel
(``1.234,5`` and a true minus sign in Vietnamese). Sentence logic lives once, in the modules
that choose which template to fill (:mod:`analysis.briefs.narrative`); nothing here, or
there, branches on the language.
"""

from .catalogue import DEFAULT_LANG, LANGS, Catalogue, catalogue, check_lang, dimension_label, indicator_label, label, nfc, status_label
from .format import (
    MINUS,
    Formatter,
    fmt_date,
    fmt_int,
    fmt_num,
    fmt_pct,
    fmt_pp,
    fmt_range_pp,
    fmt_signed,
    formatter,
    known,
)

__all__ = [
    "DEFAULT_LANG", "LANGS", "MINUS", "Catalogue", "Formatter", "catalogue", "check_lang", "dimension_label", "fmt_date",
    "fmt_int", "fmt_num", "fmt_pct", "fmt_pp", "fmt_range_pp", "fmt_signed", "formatter", "indicator_label", "known",
    "label", "nfc", "status_label",
]
