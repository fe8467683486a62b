"""Shared helpers: small household tables written in the forms analysts' files come in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from batch_runs import bundled_batch  # noqa: F401  (session fixture)
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


# --- how `make test` shares the test files between its two processes (pytest-xdist) -------------
#
# `make test` runs `pytest -n 2 --dist loadgroup`: a group of test files runs whole in one
# process, so a file's module fixtures are built once, and files that read the same session
# build share a process and so one build. Every file is a group of its own unless named in
# GROUPS. The groups go out longest first (SECONDS), so the two processes finish together
# instead of one starting a long file when the other is nearly done. (xdist's own loadgroup
# reads ``xdist_group`` marks through a node id pytest 9 no longer lets it change: it would
# run every test on its own, module fixtures built in both processes.)

#: Files that read the same session build, run in one process so it is built once (a file that
#: uses one and is not listed still passes: its process builds its own copy).
GROUPS = {
    # shared_builds.bundled_inputs / bundled_inputs_all: the bundled briefs' inputs, and the
    # disclosure release chained over every year (the end-2025 overview's costs tens of seconds).
    **dict.fromkeys(("test_commune_brief", "test_overview_sections", "test_print", "test_notebooks", "test_brief_errors_language",
                     "test_browser", "test_links", "test_narrative", "test_overview", "test_verdicts_shown", "test_target_levels",
                     "test_year_tables_parallel", "test_former_district_unit_words", "test_near_poor"), "bundled-briefs"),
    # batch_runs.bundled_batch: every bundled brief, HTML and PDF, by the process pool.
    **dict.fromkeys(("test_batch", "test_batch_dask"), "bundled-batch"),
}

#: Seconds a file takes in a full run with both processes busy (the last measured; a file not
#: listed counts as SHORT). Only their order matters: the longest group goes first.
SECONDS = {
    "test_batch_robust": 195, "test_batch_dask": 180, "test_commune_brief": 170, "test_batch": 130, "test_overview_sections": 105,
    "test_near_poor": 90, "test_brief_errors_language": 65, "test_notebook_division": 60, "test_tables": 55, "test_notebooks": 55,
    "test_summary_lean": 45, "test_tables_columnar": 40, "test_browser": 35, "test_disclosure_years": 25, "test_national_out": 25,
    "test_lab": 25, "test_columnar": 20, "test_year_tables_parallel": 20, "test_print": 15, "test_headline_disclosure": 15,
    "test_national_words": 15, "test_reports_province": 15, "test_commune_key": 15, "test_assessment_2025": 15, "test_targets": 15,
    "test_disclosure": 10, "test_district_level": 10, "test_synth": 10, "test_hostile_input": 10, "test_reports_one_year": 10,
    "test_links": 10, "test_release_figures_cache": 10,
}
SHORT = 3


def group_of(path: str) -> str:
    """A test file's group: its shared build's, or the file itself."""
    return GROUPS.get(Path(path).stem, path)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The groups longest first (each process collects the same order, xdist hands it out so)."""
    def group(item: pytest.Item) -> str:
        return group_of(item.nodeid.split("::", 1)[0])

    seconds: dict[str, float] = {}
    for path in {i.nodeid.split("::", 1)[0] for i in items}:
        seconds[group_of(path)] = seconds.get(group_of(path), 0) + SECONDS.get(Path(path).stem, SHORT)
    items.sort(key=lambda i: (-seconds[group(i)], group(i)))  # stable: a file's tests keep their order


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup``: xdist's file scheduling, by GROUPS, in the collection's order."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadFileScheduling

    class GroupScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group_of(super()._split_scope(nodeid))

    config.option.loadscopereorder = False  # not by number of tests: the longest group first
    return GroupScheduling(config, log)


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
