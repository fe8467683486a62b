"""Errors that carry what a person needs to act on bad input."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what was expected."""

    file: str
    expected: str
    row: int | None = None
    column: str | None = None
    value: Any = None

    def __str__(self) -> str:
        where = [printable(self.file)]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{printable(self.column)}'")
        text = ", ".join(where)
        if self.value is None:
            return f"{text}: {self.expected}"
        return f"{text}: found {_show(self.value)}, expected {self.expected}"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """Text safe to echo on a terminal: control and other invisible characters escaped.

    ``a\x00b`` shows as ``a\\x00b``; an escape sequence or a right-to-left override taken
    from a file name or a cell cannot rewrite what the user sees.
    """
    text = str(text)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or (keep_newlines and ch == "\n"):
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1] if ch not in "'\"" else ch)
    return "".join(out)


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class AnalysisError(Exception):
    """Root of the package's errors: input or a request the package cannot work with.

    Jupyter shows only the message (no traceback): it says what is wrong and what was
    expected, which is all an analyst needs.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


class DataError(AnalysisError):
    """Raised when input data cannot be used; holds every problem found."""

    def __init__(self, problems: Iterable[Problem], *, total: int | None = None) -> None:
        self.problems = list(problems)
        self.total = len(self.problems) if total is None else total
        super().__init__(self.report())

    def report(self, limit: int = 50) -> str:
        """A readable list of problems, capped at ``limit`` lines."""
        lines = [str(p) for p in self.problems[:limit]]
        hidden = self.total - min(limit, len(self.problems))
        if hidden > 0:
            lines.append(f"... and {hidden} more problem(s)")
        return "\n".join(lines)


class UsageError(AnalysisError):
    """A request that cannot be carried out as asked (unknown standard, year, unit)."""
