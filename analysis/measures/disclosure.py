"""Statistical disclosure control for published tables of household counts.

Every table a release publishes (the summary workbook, each brief, the index) is a set of
*cells*: a count of households in a unit (a commune, a district, the province) with a
property (poor, Tày and near-poor, exited poverty …). The same cell may appear in several
tables; it is one cell here, so one protection covers all of them.

The rule, applied once to all cells of a review year:

1. **Primary suppression.** A count from 1 to ``threshold − 1`` households (default
   :data:`DEFAULT_THRESHOLD`, 10) is hidden, and so is every cell of a group smaller than
   the threshold (its *base*): "3 Hoa households, 0 poor" says something about each of them.
   Counts that are derivable (households above the average standard = households − poor −
   near-poor − average) are cells too, so a small remainder is protected like a shown count.
2. **Complementary suppression.** Tables add up: a unit's statuses make its households,
   communes make their district, districts the province, the movement of the period makes
   the end count. Wherever one of these sums would hold exactly one hidden cell, another
   cell of the sum is hidden as well (the smallest non-zero one, parts before totals), until
   no sum has a single hidden cell.
3. **Audit.** The hidden cells are then checked against all sums together (linear algebra
   on the system of sums, one connected part at a time): a hidden small cell that the sums
   determine gets one more complementary cell, until none is determined.

Rates and counts of persons follow their household cells: a rate is hidden when its count
or its base is hidden, a count of persons when the count of households is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from ..errors import UsageError
from ..words import catalogue

#: Smallest count of households shown (a documented setting: ``--threshold``).
DEFAULT_THRESHOLD = 10

Cell = tuple[str, str]  # (row id, measure)
Term = tuple[Cell, int]  # a cell and its coefficient in a sum that is zero


def check_threshold(threshold: int) -> int:
    """The threshold as an int, or a clear error (1 means: nothing suppressed)."""
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)) or threshold < 1:
        raise UsageError(f"the disclosure threshold must be a whole number of households, at least 1, not {threshold!r}")
    return int(threshold)


class DuplicateRowError(RuntimeError):
    """A bug, not bad input: two rows of the cells share a row id (their cells would merge)."""


@dataclass
class CellSystem:
    """Cells (household counts) and the sums that tie them together."""

    values: dict[Cell, float] = field(default_factory=dict)
    bases: dict[Cell, Cell] = field(default_factory=dict)
    equations: list[list[Term]] = field(default_factory=list)
    totals: set[Cell] = field(default_factory=set)
    implicit: set[Cell] = field(default_factory=set)
    keep: set[Cell] = field(default_factory=set)  # chosen as complementary cells last
    #: Cells another release of the same figure hides (the previous review's): hidden here
    #: too, and protected like small cells (see :mod:`analysis.measures.disclosure_years`).
    forced: set[Cell] = field(default_factory=set)
    #: Cells another release shows: hiding them here would protect nothing, so they are
    #: never chosen as complementary cells.
    fixed: set[Cell] = field(default_factory=set)

    def add(self, row: str, measure: str, value: Any, base: str | None = None, *, shown: bool = True) -> None:
        """A cell; ``shown=False`` for one never published but derivable from those that are."""
        if not np.ndim(value) == 0:
            # Two rows sharing a row id: the cells would be ambiguous, and so the protection.
            raise DuplicateRowError(f"internal error: row id {row!r} names more than one row (measure {measure!r}); "
                                    "row ids of a cell system must be unique")
        self.values[(row, measure)] = float(value)
        if base is not None and base != measure:
            self.bases[(row, measure)] = (row, base)
        if not shown:
            self.implicit.add((row, measure))

    def has(self, row: str, measure: str) -> bool:
        return (row, measure) in self.values

    def sum_of(self, total: Cell, parts: Sequence[Term]) -> None:
        """``total = Σ coefficient × part`` (only when every cell is known)."""
        terms = [(total, 1)] + [(cell, -sign) for cell, sign in parts]
        if all(cell in self.values for cell, _ in terms) and len(parts):
            self.equations.append(terms)
            self.totals.add(total)

    def add_frame(
        self,
        frame: pd.DataFrame,
        measures: Mapping[str, str],
        *,
        bases: Mapping[str, str] | None = None,
    ) -> None:
        """Cells from a frame indexed by row id: column → measure name (base: measure → its base)."""
        bases = bases or {}
        duplicated = frame.index[frame.index.duplicated()]
        if len(duplicated):
            raise DuplicateRowError(f"internal error: row ids {sorted(map(str, set(duplicated)))[:5]} name more than one row "
                                    f"of a frame of cells ({', '.join(measures.values())}); row ids of a cell system must be unique")
        for row, values in frame.iterrows():
            for column, measure in measures.items():
                value = values[column]
                if pd.notna(value):
                    self.add(str(row), measure, value, bases.get(measure))

    def row_sums(self, rows: Iterable[str], total: str, parts: Sequence[tuple[str, int] | str]) -> None:
        """In every row: ``total = Σ parts`` (a part may be ``(measure, sign)``)."""
        terms = [(p, 1) if isinstance(p, str) else p for p in parts]
        for row in rows:
            self.sum_of((row, total), [((row, m), s) for m, s in terms])

    def hierarchy(self, children: Mapping[str, Sequence[str]], measures: Iterable[str] | None = None) -> None:
        """For every measure: a parent row is the sum of its children's."""
        by_row: dict[str, set[str]] = defaultdict(set)
        for row, measure in self.values:
            by_row[row].add(measure)
        for parent, kids in children.items():
            # Not for implicit cells: their sums follow from the shown cells' sums (a remainder
            # of sums is the sum of remainders), so they would add nothing but size.
            shared = {m for m in by_row.get(parent, ()) if (parent, m) not in self.implicit}
            for kid in kids:
                shared &= by_row.get(kid, set())
            if measures is not None:
                shared &= set(measures)
            for measure in sorted(shared):
                self.sum_of((parent, measure), [((kid, measure), 1) for kid in kids])


@dataclass(frozen=True)
class Protection:
    """Which cells are hidden, and why."""

    threshold: int
    primary: frozenset[Cell]
    suppressed: frozenset[Cell]
    implicit: frozenset[Cell] = frozenset()
    forced: frozenset[Cell] = frozenset()  # hidden because another release hides the same figure

    def hides(self, row: str, *measures: str) -> bool:
        """Whether a figure built from these cells of a row must be hidden."""
        return any((row, m) in self.suppressed for m in measures)

    @property
    def complementary(self) -> frozenset[Cell]:
        return self.suppressed - self.primary

    @property
    def hidden_small(self) -> frozenset[Cell]:
        """The small (primary) cells that are published ones, all hidden."""
        return self.primary - self.implicit

    def mask(self, frame: pd.DataFrame, rows: Sequence[str], columns: Mapping[str, Sequence[str]]) -> pd.DataFrame:
        """A copy with NaN (object None for text) where a column's cells are hidden.

        ``rows``: the row id of each row of ``frame``; ``columns``: column → the measures it
        is built from (a count: its own measure; a rate: count and base).
        """
        out = frame.copy()
        for column, measures in columns.items():
            if column not in out:
                continue
            hidden = np.array([self.hides(row, *measures) for row in rows], dtype=bool)
            if hidden.any():
                series = out[column]
                if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
                    out[column] = series.astype(float).mask(hidden)
                else:
                    out[column] = series.astype(object).mask(hidden, None)
        return out


def protect(system: CellSystem, threshold: int = DEFAULT_THRESHOLD) -> Protection:
    """Primary and complementary suppression of a cell system (see the module docstring)."""
    threshold = check_threshold(threshold)
    values = system.values
    small = {cell for cell, v in values.items() if 0 < v < threshold}
    primary = set(small) | {cell for cell, base in system.bases.items() if base in small}
    implicit = system.implicit
    forced = set(system.forced) & set(values)
    guarded = primary | forced  # what must not be worked out
    suppressed = guarded - implicit
    by_cell: dict[Cell, list[int]] = defaultdict(list)
    for i, eq in enumerate(system.equations):
        for cell, _ in eq:
            by_cell[cell].append(i)

    def unknown(cell: Cell) -> bool:
        return cell in suppressed or cell in implicit

    def partner(eq: list[Term]) -> Cell | None:
        open_cells = [cell for cell, _ in eq if not unknown(cell) and cell not in system.fixed]
        if not open_cells:
            return None
        return min(open_cells, key=lambda k: (k in system.keep, values[k] == 0, k in system.totals, values[k], k))

    def nearest_open_sum(cell: Cell) -> list[Term] | None:
        """The sum with a published cell closest to ``cell`` through sums of hidden cells
        (its own sums first, fewest published cells first)."""
        seen_cells, seen_eqs = {cell}, set()
        frontier = [cell]
        while frontier:
            found = [system.equations[i] for c in frontier for i in by_cell[c] if i not in seen_eqs and partner(system.equations[i]) is not None]
            if found:
                return min(found, key=lambda eq: sum(not unknown(c) for c, _ in eq))
            nxt = []
            for c in frontier:
                for i in by_cell[c]:
                    if i in seen_eqs:
                        continue
                    seen_eqs.add(i)
                    for other, _ in system.equations[i]:
                        if other not in seen_cells:
                            seen_cells.add(other)
                            nxt.append(other)
            frontier = nxt
        return None

    def close(pending: Iterable[int]) -> None:
        queue = list(pending)
        while queue:
            i = queue.pop()
            eq = system.equations[i]
            hidden = [cell for cell, _ in eq if unknown(cell)]
            if len(hidden) == 1 and (hidden[0] in suppressed or hidden[0] in guarded):
                extra = partner(eq)
                if extra is not None:
                    suppressed.add(extra)
                    queue.extend(by_cell[extra])

    close(range(len(system.equations)))
    for _ in range(len(values) + 1):
        exposed = [cell for cell in _determined(system, suppressed | implicit) if cell in guarded]
        if not exposed:
            break
        for cell in exposed:  # one more partner for each exposed cell, then check again
            best = nearest_open_sum(cell)
            if best is None:
                raise RuntimeError(f"disclosure control could not protect the cell {cell}")  # every published cell hidden: cannot happen
            extra = partner(best)
            assert extra is not None
            suppressed.add(extra)
            close(by_cell[extra])
    return Protection(threshold, frozenset(primary), frozenset(suppressed), frozenset(implicit), frozenset(forced))


def _determined(system: CellSystem, unknown: set[Cell]) -> list[Cell]:
    """Unknown cells whose value the known cells and the sums fix exactly.

    Exact reductions first (a sum with one unknown fixes it; a cell in only one remaining sum
    is free and takes that sum with it), then linear algebra on what is left.
    """
    eqs: dict[int, set[Cell]] = {}
    coefs: dict[int, dict[Cell, int]] = {}
    where: dict[Cell, set[int]] = defaultdict(set)
    for i, eq in enumerate(system.equations):
        cells = {cell for cell, _ in eq if cell in unknown}
        if cells:
            eqs[i] = cells
            coefs[i] = {cell: coef for cell, coef in eq if cell in unknown}
            for cell in cells:
                where[cell].add(i)
    found: set[Cell] = set()
    changed = True
    while changed:
        changed = False
        for i in list(eqs):
            if i not in eqs:
                continue
            cells = eqs[i]
            if len(cells) == 1:
                (cell,) = cells
                found.add(cell)
                for j in list(where[cell]):
                    if j in eqs:
                        eqs[j].discard(cell)
                        if not eqs[j]:
                            del eqs[j]
                del where[cell]
                changed = True
                continue
            lone = [cell for cell in cells if len(where[cell]) == 1]
            if lone:  # that cell absorbs the sum, which then says nothing about the others
                for cell in cells:
                    where[cell].discard(i)
                del eqs[i]
                changed = True
    # Linear algebra on what remains, one connected part at a time.
    parent: dict[Cell, Cell] = {}

    def find(x: Cell) -> Cell:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for cells in eqs.values():
        first, *rest = sorted(cells)
        for other in rest:
            parent[find(other)] = find(first)
    groups: dict[Cell, list[int]] = defaultdict(list)
    for i, cells in eqs.items():
        groups[find(min(cells))].append(i)
    # One BLAS thread: the parts are small (a few hundred sums), and on a busy machine a
    # second thread spinning for its share made the eigen-decompositions 20x dearer in CPU.
    with threadpool_limits(1, user_api="blas"):
        for members in groups.values():
            _determined_part([eqs[i] for i in members], [coefs[i] for i in members], found)
    return sorted(found)


def _determined_part(eqs: list[set[Cell]], coefs: list[dict[Cell, int]], found: set[Cell]) -> None:
    """Add to ``found`` the cells of one connected part of the sums that they fix exactly."""
    part = sorted({cell for cells in eqs for cell in cells})
    index = {cell: j for j, cell in enumerate(part)}
    matrix = np.zeros((len(eqs), len(part)))
    for row, (cells, coef) in enumerate(zip(eqs, coefs)):
        for cell in cells:
            matrix[row, index[cell]] = coef[cell]
    # A cell is determined when its unit vector lies in the row space of the sums: the
    # squared length of its projection on that space (from the Gram matrix) is one.
    gram = matrix @ matrix.T
    eigenvalues, vectors = np.linalg.eigh(gram)
    keep = eigenvalues > 1e-9 * max(1.0, float(eigenvalues.max(initial=0.0)))
    basis = (matrix.T @ vectors[:, keep]) / np.sqrt(eigenvalues[keep])
    reach = (basis**2).sum(axis=1)
    found.update(cell for cell, r in zip(part, reach) if r > 1 - 1e-6)


def recoverable(system: CellSystem, protection: Protection) -> list[Cell]:
    """Hidden small cells that the published cells and sums still determine (should be none)."""
    unknown = set(protection.suppressed) | set(system.implicit)
    return [cell for cell in _determined(system, unknown) if cell in protection.primary | protection.forced]


def sentence(protection: Protection, lang: str = "vi") -> str:
    """What was done, in one sentence for readers."""
    return threshold_sentence(protection.threshold, lang)


def threshold_sentence(threshold: int, lang: str = "vi") -> str:
    """What the protection of a threshold does, in one sentence for readers (the methods box
    says it before any table is built)."""
    words = catalogue(lang)
    return words.text("protection_none") if threshold <= 1 else words.text("protection", below=threshold - 1, threshold=threshold)
