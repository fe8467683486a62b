"""Alkire-Foster measures: identities and a hand-computed case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataError, UsageError
from analysis.measures.mpi import af_decomposition, af_dimensions, af_indicators, af_measures, default_k, parse_k
from analysis.review import columns as c
from analysis.review.standards import get_standard

#: Commands without --data read the bundled panel: loaded once for the whole session.
pytestmark = pytest.mark.usefixtures("bundled_once")

D07 = "decree-07-2021"
D59 = "decision-59-2015"


def households(deprived: list[list[str]], districts: list[str] | None = None) -> pd.DataFrame:
    """One household per list of indicators it is deprived in (all others not deprived)."""
    n = len(deprived)
    df = pd.DataFrame({i: [i in d for d in deprived] for i in c.ALL_INDICATORS})
    return df.assign(
        household_id=[f"h{j}" for j in range(n)],
        year=2022,
        province="Bắc Kạn",
        district=districts or ["Pác Nặm"] * n,
        commune="Bằng Thành",
        area="rural",
        ethnicity="Tày",
        members=[1, 2, 3, 4][:n] if n <= 4 else 1,
    )


# Decree 07, weights 1/12: scores 3/12 (poor), 6/12 (poor), 2/12 (not poor), 0.
HAND = households(
    [
        ["employment", "nutrition", "water"],
        ["employment", "dependants", "nutrition", "health_insurance", "adult_education", "child_schooling"],
        ["water", "sanitation"],
        [],
    ],
    districts=["Pác Nặm", "Ngân Sơn", "Pác Nặm", "Ngân Sơn"],
)


def test_weights_and_default_k() -> None:
    assert list(get_standard(D07).weights().values()) == pytest.approx([1 / 12] * 12)
    assert list(get_standard(D59).weights().values()) == pytest.approx([1 / 10] * 10)
    assert default_k(D07) == pytest.approx(3 / 12)
    assert default_k(D59) == pytest.approx(3 / 10)
    assert parse_k("3", D07) == pytest.approx(0.25)
    assert parse_k("3/12", D07) == pytest.approx(0.25)
    assert parse_k("0.3", D59) == pytest.approx(0.3)
    with pytest.raises(UsageError):
        parse_k("0", D07)
    with pytest.raises(UsageError):
        parse_k("abc", D07)


def test_hand_computed_measures() -> None:
    row = af_measures(HAND, D07).iloc[0]
    assert row["H"] == pytest.approx(0.5)
    assert row["A"] == pytest.approx(0.375)
    assert row["M0"] == pytest.approx(0.1875)
    assert row["households"] == 4


def test_hand_computed_indicators() -> None:
    ind = af_indicators(HAND, D07).set_index("indicator")
    assert list(ind.index) == list(get_standard(D07).indicators)
    assert ind.loc["water", "uncensored"] == pytest.approx(0.5)
    assert ind.loc["water", "censored"] == pytest.approx(0.25)
    assert ind.loc["sanitation", "uncensored"] == pytest.approx(0.25)
    assert ind.loc["sanitation", "censored"] == pytest.approx(0.0)
    assert ind.loc["employment", "censored"] == pytest.approx(0.5)
    assert ind.loc["employment", "contribution_pct"] == pytest.approx(1 / 12 * 0.5 / 0.1875 * 100)
    dims = af_dimensions(HAND, D07).set_index("dimension")
    assert dims.loc["employment", "weight"] == pytest.approx(1 / 6)
    assert dims.loc["employment", "censored"] == pytest.approx(0.375)
    assert dims.loc["employment", "contribution_pct"] == pytest.approx(100 / 3)


def test_k_changes_identification() -> None:
    row = af_measures(HAND, D07, k=2 / 12).iloc[0]
    assert row["H"] == pytest.approx(0.75)
    assert row["M0"] == pytest.approx((3 + 6 + 2) / 12 / 4)


def random_households(n: int = 400, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = households([[]] * n, districts=list(rng.choice(["Pác Nặm", "Ngân Sơn", "Ba Bể", "Na Rì"], n)))
    for i in c.ALL_INDICATORS:
        df[i] = rng.random(n) < 0.3
    df["members"] = rng.integers(1, 8, n)
    df["ethnicity"] = rng.choice(["Tày", "Kinh", "Dao"], n)
    return df


@pytest.mark.parametrize("standard", [D07, D59])
@pytest.mark.parametrize("weight", ["households", "persons"])
def test_identities(standard: str, weight: str) -> None:
    df = random_households()
    std = get_standard(standard)
    m = af_measures(df, standard, weight=weight).iloc[0]
    assert m["M0"] == pytest.approx(m["H"] * m["A"])
    ind = af_indicators(df, standard, weight=weight)
    w = ind["indicator"].map(std.weights())
    assert (w * ind["censored"]).sum() == pytest.approx(m["M0"])
    assert ind["contribution_pct"].sum() == pytest.approx(100.0)
    assert (ind["censored"] <= ind["uncensored"] + 1e-12).all()
    dims = af_dimensions(df, standard, weight=weight)
    assert dims["contribution_pct"].sum() == pytest.approx(100.0)
    assert (dims["weight"] * dims["censored"]).sum() == pytest.approx(m["M0"])
    assert (dims["censored"] <= dims["uncensored"] + 1e-12).all()


@pytest.mark.parametrize("by", ["district", "ethnic_minority", ["poor_district", "ethnicity"]])
@pytest.mark.parametrize("weight", ["households", "persons"])
def test_decomposition_adds_up(by: str, weight: str) -> None:
    df = random_households()
    total = af_measures(df, D07, weight=weight).iloc[0]
    dec = af_decomposition(df, D07, by, weight=weight)
    assert dec["population_share"].sum() == pytest.approx(1.0)
    assert (dec["population_share"] * dec["M0"]).sum() == pytest.approx(total["M0"])
    assert dec["contribution_pct"].sum() == pytest.approx(100.0)
    by_group = af_indicators(df, D07, by=by, weight=weight)
    sums = by_group.groupby("unit", sort=False)["contribution_pct"].sum()
    assert np.allclose(sums.to_numpy(), 100.0)


def test_hand_decomposition() -> None:
    dec = af_decomposition(HAND, D07, "district").set_index("unit")
    assert list(dec.index) == ["Pác Nặm", "Ngân Sơn"]  # GSO order
    assert dec.loc["Pác Nặm", "M0"] == pytest.approx(0.125)
    assert dec.loc["Ngân Sơn", "M0"] == pytest.approx(0.25)
    assert dec.loc["Pác Nặm", "contribution_pct"] == pytest.approx(0.5 * 0.125 / 0.1875 * 100)


def test_nobody_poor() -> None:
    df = households([[], ["water"]])
    row = af_measures(df, D07).iloc[0]
    assert row["H"] == 0 and row["M0"] == 0 and np.isnan(row["A"])
    assert af_indicators(df, D07)["contribution_pct"].isna().all()


def test_missing_indicator_values_are_reported() -> None:
    df = HAND.astype({"water": object})
    df.loc[0, "water"] = None
    with pytest.raises(DataError, match="water"):
        af_measures(df, D07)


def test_input_not_mutated() -> None:
    before = HAND.copy()
    af_indicators(HAND, D07, by="district")
    af_decomposition(HAND, D07, "ethnic_minority")
    pd.testing.assert_frame_equal(HAND, before)


def test_cli_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from analysis.cli import main

    assert main(["mpi", "--by", "district", "--year", "2024"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out) == 8
    for row in out:
        assert set(row) == {"unit", "H", "A", "M0", "indicators"}
        assert 0 <= row["H"] <= 1 and 0 <= row["A"] <= 1 and 0 <= row["M0"] <= 1
        assert row["M0"] == pytest.approx(row["H"] * row["A"])
        assert list(row["indicators"]) == list(get_standard(D07).indicators)
        for values in row["indicators"].values():
            assert set(values) == {"uncensored", "censored", "contribution_pct"}
        assert sum(v["contribution_pct"] for v in row["indicators"].values()) == pytest.approx(100.0)
    assert main(["mpi", "--standard", D59, "--k", "3/10", "--format", "table"]) == 0
    assert "M0" in capsys.readouterr().out
    assert main(["mpi", "--by", "village"]) == 2
    assert main(["mpi", "--k", "2.5"]) == 2
