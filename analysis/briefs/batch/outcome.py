"""How building a brief went, and how a whole batch went."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Outcome:
    """How building one brief went."""

    slug: str
    ok: bool
    seconds: float
    files: tuple[str, ...] = ()
    error: str = ""
    phases: tuple[tuple[str, float], ...] = ()
    #: SHA-256 of each file, in the order of ``files`` (for the brief's manifest).
    digests: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchResult:
    """The outcome of a batch: one entry per brief, in index order, and the wall time."""

    out_dir: Path
    outcomes: tuple[Outcome, ...]
    seconds: float
    index: Path | None = None

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def error_text(err: BaseException) -> str:
    """One line for the summary: the exception's name and the first line of its message."""
    name = getattr(err, "ename", "") or type(err).__name__
    value = getattr(err, "evalue", "") or str(err)
    return f"{name}: {value}".strip().splitlines()[0][:300] if value else name
