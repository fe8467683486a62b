"""Formula-like text from data is neutralised; numbers and ordinary text are not."""

from __future__ import annotations

import pandas as pd

from analysis.spreadsheet import neutralise, neutralise_frame


def test_formula_text_gets_an_apostrophe() -> None:
    for text in ("=1+1", "+SUM(A1)", "-2+3*cmd|' /C calc'!A0", "@SUM(1)", "\t=1", "\r=1"):
        assert neutralise(text) == "'" + text


def test_numbers_and_plain_text_stay() -> None:
    for value in ("-1.5", "+3", "Tày", "Pác Nặm", "", 12, -3.5, None):
        assert neutralise(value) == value
    assert neutralise("-inf") == "'-inf"


def test_frame_cells_and_headers() -> None:
    frame = pd.DataFrame({"=id": ["=HYPERLINK(1)", "ok"], "n": [-1, 2]})
    out = neutralise_frame(frame)
    assert list(out.columns) == ["'=id", "n"]
    assert out["'=id"].tolist() == ["'=HYPERLINK(1)", "ok"]
    assert out["n"].tolist() == [-1, 2]
    assert frame["=id"].tolist() == ["=HYPERLINK(1)", "ok"]  # the caller's frame is untouched
