"""Shared helpers: small household tables written in the forms analysts' files come in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from shared_builds import bundled_inputs, bundled_inputs_all  # noqa: F401  (session fixtures)

from analysis.errors import Problem
from analysis.review import columns as c
from analysis.review.loading import check_files

BASE_RECORD: dict[str, Any] = {
    c.HOUSEHOLD_ID: "H1",
    c.YEAR: 2024,
    c.PROVINCE: "Bắc Kạn",
    c.DISTRICT: "Pác Nặm",
    c.COMMUNE: "Nghiên Loan",
    c.AREA: "rural",
    c.ETHNICITY: "Tày",
    c.MEMBERS: 4,
    c.INCOME: 1_200_000,
    **{i: 0 for i in c.ALL_INDICATORS},
}


def records(*overrides: dict[str, Any]) -> pd.DataFrame:
    """Household records: the base record changed by each override, ids H1, H2, … unless given."""
    rows = []
    for n, change in enumerate(overrides, start=1):
        rows.append({**BASE_RECORD, c.HOUSEHOLD_ID: f"H{n}", **change})
    return pd.DataFrame(rows)


def deprived(n: int, standard_indicators: tuple[str, ...] = c.DECREE_07_INDICATORS[3:]) -> dict[str, int]:
    """Flags deprived in the first ``n`` of the given indicators (shared by both standards by default)."""
    return {i: 1 for i in standard_indicators[:n]}


@pytest.fixture
def write_csv(tmp_path: Path):
    """Write a frame as CSV text with the given encoding/line ends; returns the path."""

    def write(frame: pd.DataFrame, name: str = "review.csv", *, bom: bool = False, crlf: bool = False, sep: str = ",") -> Path:
        text = frame.to_csv(index=False, sep=sep, lineterminator="\r\n" if crlf else "\n")
        path = tmp_path / name
        path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
        return path

    return write


@pytest.fixture(scope="session")
def bundled_once():
    """``load_households`` of the bundled data (no paths given) loaded once per session and
    per standard; each caller gets its own copy, so a command that changes its frame cannot
    change another test's. Anything else loads as usual."""
    from analysis.review import loading

    real = loading.load_households
    cache: dict[tuple, pd.DataFrame] = {}

    def cached(paths=None, *, standard=loading.DEFAULT_STANDARD, sheet=None, units=None, aliases_path=loading.ALIASES_PATH):
        if paths or units is not None or sheet is not None or aliases_path != loading.ALIASES_PATH:
            return real(paths, standard=standard, sheet=sheet, units=units, aliases_path=aliases_path)
        key = (getattr(standard, "id", standard),)
        if key not in cache:
            cache[key] = real(None, standard=standard)
        frame = cache[key].copy()
        frame.attrs = dict(cache[key].attrs)
        return frame

    loading.load_households = cached
    yield cache
    loading.load_households = real


# Three valid households of the bundled province, and the problems a checked file gives:
# shared by the loading and hostile-input tests.
VALID = records(
    {},
    {c.DISTRICT: "Ngân Sơn", c.COMMUNE: "Trung Hoà", c.AREA: "rural", c.ETHNICITY: "Dao"},
    {c.DISTRICT: "Thành phố Bắc Kạn", c.COMMUNE: "Sông Cầu", c.AREA: "urban", c.ETHNICITY: "Kinh"},
)


def problems_of(path: Path, **kwargs: Any) -> list[Problem]:
    return check_files([path], **kwargs).problems


def one_problem(path: Path, **kwargs: Any) -> Problem:
    problems = problems_of(path, **kwargs)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]
