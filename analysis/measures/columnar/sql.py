"""SQL text shared by the columnar engine's queries: identifiers, literals and the status rule.

Plain Python (no pandas, no pyarrow), so the lean ``summary`` (:mod:`.lean`) builds its
queries with the same rule as the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
