"""Facts of one province live in data/, never in the package's code."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.paths import PUBLISHED_FIGURES
from analysis.synth import panel

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"


def test_no_published_figure_is_written_into_the_code() -> None:
    figures = pd.read_csv(PUBLISHED_FIGURES, encoding="utf-8-sig")
    rates = {f"{v:.2f}" for v in figures.loc[figures["measure"].str.contains("rate"), "value"] if v >= 10}
    found = [f"{p.relative_to(PACKAGE)}: {m}" for p in PACKAGE.rglob("*.py")
             for m in re.findall(r"\b\d{2}\.\d{2}\b", p.read_text(encoding="utf-8")) if m in rates]
    assert found == []


def test_synthetic_panel_takes_its_targets_from_published_csv() -> None:
    figures = pd.read_csv(PUBLISHED_FIGURES, encoding="utf-8-sig")
    d07 = figures[(figures["scope"] == "province") & (figures["standard"] == "decree-07-2021") & (figures["province"] == panel.PROVINCE)]
    poor_2021 = d07[(d07["measure"] == "poor") & (d07["year"] == panel.BASE_YEAR)]["value"].iloc[0]
    assert panel.PUBLISHED_2021["decree-07-2021"]["poor"] == int(poor_2021)
    later = d07[(d07["measure"] == "poor_rate") & (d07["year"] > panel.BASE_YEAR)].set_index("year")["value"]
    assert dict(panel.PUBLISHED_POOR_RATES) == {int(y): float(v) for y, v in later.items() if y <= panel.YEARS[-1]}
