"""SQL text shared by the columnar engine's queries: identifiers, literals and the status rule.

Plain Python (no pandas, no pyarrow), so the lean ``summary`` (:mod:`.lean`) builds its
queries with the same rule as the engine.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from ...review import columns as c
from ...review.standards import Standard


def quote(name: str) -> str:
    """A SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    """A SQL literal for a string or a number."""
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def line(mapping: Mapping[str, int] | None, area: str = "area", *, urban: str | None = None) -> str:
    """A poverty line by area as SQL (-1 where the standard has no such line, as in classification).

    ``urban``: SQL that is 1 for an urban record and 0 for a rural one, for records whose area
    is known to be one of the two: the line is then arithmetic, with no text compared per record."""
    if mapping is None:
        return "-1.0"
    if urban is not None and set(mapping) == {c.RURAL, c.URBAN}:
        rural, step = float(mapping[c.RURAL]), float(mapping[c.URBAN]) - float(mapping[c.RURAL])
        return f"({rural!r} + {urban} * {step!r})"
    cases = " ".join(f"WHEN {literal(name)} THEN {float(value)!r}" for name, value in mapping.items())
    return f"(CASE {area} {cases} END)"


#: What :func:`status` gives each status: its name (SQL literals, as the records carry them).
STATUS_NAMES: tuple[str, ...] = ("'poor'", "'near_poor'", "'average'", "'above_average'")


def status(
    std: Standard, *, area: str = "area", income: str = quote(c.INCOME), deprivations: str = quote(c.DEPRIVATIONS), labels: Sequence[str] = STATUS_NAMES,
    urban: str | None = None,
) -> str:
    """The status rule of :func:`analysis.measures.classification.household_status`, in SQL
    (``labels``: what to give poor, near-poor, average and above average, in that order;
    ``urban``: see :func:`line`)."""
    poor, near_poor, average, above_average = labels
    extreme, income_line, average_line = (line(m, area, urban=urban) for m in (std.extreme_line, std.income_line, std.average_line))
    return (
        f"CASE WHEN {income} <= {extreme} THEN {poor} "
        f"WHEN {income} <= {income_line} AND {deprivations} >= {std.deprivation_cutoff} THEN {poor} "
        f"WHEN {income} <= {income_line} THEN {near_poor} "
        f"WHEN {income} <= {average_line} THEN {average} ELSE {above_average} END"
    )


#: The characters an identifier is trimmed of, as the pandas path trims it (pyarrow's
#: ``utf8_trim_whitespace``, Python's ``str.strip``): ASCII whitespace, the separators
#: U+001C–U+001F, NEL, the no-break and other Unicode spaces. None lies above U+3000.
TRIMMED = tuple(ch for ch in map(chr, range(0x3001)) if ch.isspace())


def needs_exact_id_check(text: str) -> str:
    """SQL true where an identifier (``text``, a VARCHAR expression) is empty, starts or ends
    with a character it is trimmed of (or any control character), or holds NUL: such an
    identifier may equal another once trimmed, so the file goes to the exact check, which
    trims as the pandas path does. Only a first or last character beyond ASCII is looked up."""
    wide = ", ".join(f"chr({ord(ch)})" for ch in TRIMMED if ord(ch) > 127)
    first = f"({text} < '!' OR ({text} >= chr(128) AND {text}[1] IN ({wide})))"
    last = f"(CASE WHEN {text}[-1] < '!' THEN true WHEN {text}[-1] < chr(128) THEN false ELSE {text}[-1] IN ({wide}) END)"
    return f"({first} OR {last} OR contains({text}, chr(0)))"


#: Files of more records than this skip the sortedness shortcut (its window keeps one column of a file in memory).
SORTED_CHECK_ROWS = 8_000_000


def ranges_apart(ranges: list[tuple[Any, Any]]) -> bool:
    """Whether no two files' (lowest, highest) identifiers overlap (values of one type only)."""
    if len({type(v) for r in ranges for v in r}) != 1:
        return False
    ordered = sorted(ranges, key=lambda r: r[0])
    return all(a[1] < b[0] for a, b in itertools.pairwise(ordered))
