"""One exception root: every error the package raises on purpose is an AnalysisError."""

from __future__ import annotations

import pytest

from analysis import AnalysisError, DataError, Problem, UsageError
from analysis.briefs.brief import BriefParameterError


def test_one_root_with_data_and_usage_errors_under_it():
    assert issubclass(DataError, AnalysisError)
    assert issubclass(UsageError, AnalysisError)
    assert not issubclass(DataError, UsageError) and not issubclass(UsageError, DataError)


def test_notebook_parameter_errors_are_usage_errors():
    assert issubclass(BriefParameterError, UsageError)
    with pytest.raises(UsageError, match="unknown district"):
        raise BriefParameterError("unknown district 'X'")


def test_jupyter_shows_one_clean_line_without_traceback():
    assert UsageError("unknown year 1999")._render_traceback_() == ["UsageError: unknown year 1999"]
    err = DataError([Problem("a.csv", "a number", row=3, column="income", value="abc")])
    assert err._render_traceback_() == ["DataError: a.csv, row 3, column 'income': found 'abc', expected a number"]
