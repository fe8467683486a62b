"""A commune is a unit of its province: from the end-2025 review there are no districts and
names repeat across provinces (Xã Tân Lập is a commune of Lâm Đồng and of Tây Ninh), so the
grouping key keeps the province and the label names it where the name is ambiguous."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import deprived, records

from analysis.review import columns as c

LAM_DONG = {c.YEAR: 2025, c.PROVINCE: "Lâm Đồng", c.DISTRICT: "", c.COMMUNE: "Tân Lập"}
TAY_NINH = {**LAM_DONG, c.PROVINCE: "Tây Ninh"}
POOR = {c.INCOME: 500_000, **deprived(3)}


@pytest.fixture(scope="module")
def two_provinces(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Lâm Đồng's Tân Lập: 3 households, 1 poor; Tây Ninh's: 1 household, poor; and one
    commune whose name is Tây Ninh's alone."""
    frame = records(
        {**LAM_DONG, **POOR}, LAM_DONG, LAM_DONG,
        {**TAY_NINH, **POOR},
        {**TAY_NINH, c.COMMUNE: "Tân Biên"},
    )
    path = tmp_path_factory.mktemp("communes") / "review.parquet"
    frame.to_parquet(path, index=False)
    return path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("engine", ["pandas", "columnar"])
def test_summary_keeps_same_named_communes_apart(two_provinces: Path, engine: str) -> None:
    done = run("summary", "--data", str(two_provinces), "--by", "commune", "--format", "json", "--engine", engine)
    assert done.returncode == 0, done.stderr
    rows = {r["unit"]: (r["households"], r["poor"]) for r in json.loads(done.stdout)}
    assert rows == {"Tân Lập (Lâm Đồng)": (3, 1), "Tân Lập (Tây Ninh)": (1, 1), "Tân Biên": (1, 0)}


@pytest.mark.parametrize("engine", ["pandas", "columnar"])
@pytest.mark.parametrize("command", ["profile", "mpi"])
def test_profile_and_mpi_keep_same_named_communes_apart(two_provinces: Path, engine: str, command: str) -> None:
    done = run(command, "--data", str(two_provinces), "--by", "commune", "--format", "json", "--engine", engine)
    assert done.returncode == 0, done.stderr
    units = {r["unit"] for r in json.loads(done.stdout)}
    assert units == {"Tân Lập (Lâm Đồng)", "Tân Lập (Tây Ninh)", "Tân Biên"}


def test_one_province_labels_unchanged() -> None:
    from analysis.measures.levels import unit_labels

    frame = pd.DataFrame({c.PROVINCE: ["Thái Nguyên"] * 2, c.DISTRICT: ["", ""], c.COMMUNE: ["Tân Lập", "Đức Xuân"]})
    assert unit_labels(frame, ["commune"], "").tolist() == ["Tân Lập", "Đức Xuân"]


@pytest.mark.parametrize("engine", ["pandas", "columnar"])
def test_flows_keep_same_named_communes_apart(tmp_path: Path, engine: str) -> None:
    """Two new-division reviews (2025, 2026): the households of each Tân Lập stay in their row."""
    later = {c.YEAR: 2026}
    frame = records(
        {**LAM_DONG, **POOR}, {**LAM_DONG, c.HOUSEHOLD_ID: "H1", **later},
        {**TAY_NINH, **POOR, c.HOUSEHOLD_ID: "H2"}, {**TAY_NINH, **POOR, c.HOUSEHOLD_ID: "H2", **later},
    )
    path = tmp_path / "flows.parquet"
    frame.to_parquet(path, index=False)
    done = run("flows", "--data", str(path), "--by", "commune", "--format", "json", "--engine", engine)
    assert done.returncode == 0, done.stderr
    rows = {r["unit"]: r for r in json.loads(done.stdout)}
    assert set(rows) == {"Tân Lập (Lâm Đồng)", "Tân Lập (Tây Ninh)"}
    assert rows["Tân Lập (Lâm Đồng)"]["exited_poverty"] == 1 and rows["Tân Lập (Tây Ninh)"]["exited_poverty"] == 0


# --- both engines on a multi-province new-division panel -----------------------------------

#: (province, commune) pairs of the new division: Tân Lập and Trần Phú are communes of
#: several provinces, Đức Xuân of Thái Nguyên alone.
PLACES = [
    ("Lâm Đồng", "Tân Lập"), ("Tây Ninh", "Tân Lập"), ("Tây Ninh", "Tân Biên"),
    ("Thái Nguyên", "Trần Phú"), ("Hà Nội", "Trần Phú"), ("Hải Phòng", "Trần Phú"), ("Thái Nguyên", "Đức Xuân"),
]


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two new-division reviews (2025, 2026) of 1,400 households in the places above, random
    incomes and deprivations; a tenth of the households move to another place in 2026."""
    import numpy as np

    rng = np.random.default_rng(12)
    n = 1400
    place = rng.integers(0, len(PLACES), n)
    rows = []
    for year in (2025, 2026):
        if year == 2026:
            moved = rng.random(n) < 0.1
            place = np.where(moved, rng.integers(0, len(PLACES), n), place)
        income = rng.choice([400_000, 900_000, 1_400_000, 2_500_000, 4_000_000], n)
        flags = rng.random((n, len(c.DECREE_07_INDICATORS))) < 0.25
        for i in range(n):
            province, commune = PLACES[place[i]]
            row = {c.HOUSEHOLD_ID: f"H{i}", c.YEAR: year, c.PROVINCE: province, c.DISTRICT: "", c.COMMUNE: commune,
                   c.INCOME: int(income[i]), c.AREA: "rural" if i % 3 else "urban", c.ETHNICITY: "Kinh" if i % 4 else "Tày",
                   c.MEMBERS: 1 + i % 6}
            row.update({ind: int(flags[i, j]) for j, ind in enumerate(c.DECREE_07_INDICATORS)})
            rows.append(row)
    frame = records(*rows[:-n // 10])  # the last 140 households of 2026 left
    path = tmp_path_factory.mktemp("national") / "review.parquet"
    frame.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize("by", ["commune", "commune,area", "year,commune", "ethnic_minority,commune", "province,commune"])
def test_both_engines_agree_on_several_provinces(national: Path, by: str) -> None:
    """Summary, MPI and profile by commune: the columnar engine gives the pandas path's table,
    row for row, and the counts are those of each (province, commune) counted by hand."""
    from test_columnar import same

    from analysis.measures.breakdowns import poverty_rates
    from analysis.measures.classification import classify
    from analysis.measures.columnar import ColumnarReview
    from analysis.measures.mpi import af_indicators, af_measures
    from analysis.measures.profile import deprivation_profile, dimension_profile
    from analysis.review.loading import load_households

    d07 = "decree-07-2021"
    panel = classify(load_households(national), d07)
    review = ColumnarReview(national)
    year = None if by.startswith("year") else 2025
    one = panel if year is None else panel[panel[c.YEAR] == year]
    expected = poverty_rates(one, by)
    same(review.poverty_rates(by, year=year), expected)
    if year is not None:
        same(review.af_measures(by=by, year=year), af_measures(one, d07, None, by))
        same(review.af_indicators(by=by, year=year), af_indicators(one, d07, None, by))
        same(review.deprivation_profile(by, year=year), deprivation_profile(one, d07, by))
        same(review.dimension_profile(by, year=year), dimension_profile(one, d07, by))
    assert not expected.duplicated(["unit", c.YEAR] if year is None else ["unit"]).any()
    if by == "commune":
        by_hand = one.groupby([c.PROVINCE, c.COMMUNE]).agg(households=(c.STATUS, "size"), poor=(c.STATUS, lambda s: int((s == "poor").sum())))
        assert len(expected) == len(PLACES) == len(by_hand)
        for (province, commune), row in by_hand.iterrows():
            unit = commune if commune in ("Tân Biên", "Đức Xuân") else f"{commune} ({province})"
            got = expected.set_index("unit").loc[unit]
            assert (got["households"], got["poor"]) == (row["households"], row["poor"]), unit


@pytest.mark.parametrize("by", ["commune", "commune,area"])
def test_both_engines_agree_on_flows_of_several_provinces(national: Path, by: str) -> None:
    from test_columnar import same

    from analysis.measures.classification import classify
    from analysis.measures.columnar import ColumnarReview
    from analysis.measures.flows import poverty_flows
    from analysis.review.loading import load_households

    panel = classify(load_households(national), "decree-07-2021")
    expected = poverty_flows(panel, 2026, by)
    same(ColumnarReview(national).poverty_flows(2026, by), expected)
    assert expected["unit"].is_unique and expected["households"].sum() == 1260 and expected["households_previous"].sum() == 1400


def test_labels_through_the_catalogues() -> None:
    """The province in brackets comes from each language's catalogue, only where the name repeats."""
    from analysis.measures.levels import COMMUNE_PROVINCE, unit_labels
    from analysis.words import catalogue

    frame = pd.DataFrame({c.DISTRICT: ["", "", "", "Pác Nặm"], c.COMMUNE: ["Tân Lập", "Tân Lập", "Tân Biên", "Tân Lập"],
                          COMMUNE_PROVINCE: ["Lâm Đồng", "Tây Ninh", "Tây Ninh", ""]})
    for lang in ("vi", "en"):
        template = catalogue(lang).label("labels", "unit_in_province")
        assert unit_labels(frame, ["commune"], "", lang).tolist() == [
            template.format(name="Tân Lập", province="Lâm Đồng"), template.format(name="Tân Lập", province="Tây Ninh"), "Tân Biên", "Tân Lập"]
    assert unit_labels(frame.iloc[[0, 2, 3]], ["commune"], "").tolist() == ["Tân Lập", "Tân Biên", "Tân Lập"]


@pytest.mark.parametrize("by", ["commune", "year,commune", "commune,area"])
def test_summary_from_counted_combinations_keeps_communes_apart(national: Path, by: str) -> None:
    """The columnar summary's one-pass path (validation's counts per distinct combination)
    keys communes as the records' SQL does, and is taken for communes too."""
    from analysis.measures.columnar import ColumnarReview
    from analysis.measures.levels import parse_by

    year = None if by.startswith("year") else 2026
    review = ColumnarReview(national)
    assert review._status_sums(parse_by(by), year) is not None
    quick = review.poverty_rates(by, year=year)
    slow = ColumnarReview(national)
    slow._status_sums = lambda levels, chosen: None  # type: ignore[method-assign]
    pd.testing.assert_frame_equal(quick, slow.poverty_rates(by, year=year))
    assert not quick.duplicated(["unit", c.YEAR] if year is None else ["unit"]).any()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_tables_keep_same_named_communes_apart(national: Path, tmp_path: Path, lang: str) -> None:
    """The summary tables' rows: one per (province, commune), a repeated name with its
    province (each language's catalogue), households as counted by hand."""
    from analysis.measures.levels import commune_label

    done = run("tables", "--data", str(national), "--format", "csv", "--lang", lang, "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    first = sorted((tmp_path / "2026").glob("*.csv"))
    summary = next(p for p in first if p.name.endswith(("tong-hop.csv", "summary.csv")))
    table = pd.read_csv(summary)
    households = dict(zip(table.iloc[1:, 1], table.iloc[1:, 2]))
    frame = pd.read_parquet(national)
    by_hand = frame[frame[c.YEAR] == 2026].groupby([c.PROVINCE, c.COMMUNE]).size()
    expected = {(m if m in ("Tân Biên", "Đức Xuân") else commune_label(m, p, lang)): n for (p, m), n in by_hand.items()}
    assert households == expected


def test_new_communes_in_their_provinces_gso_order() -> None:
    """A name that a commune of another province also bears (Chợ Mới of An Giang) keeps its
    own province's place: the 2025 summary lists the 37 communes in Thái Nguyên's code order."""
    from analysis.measures.predecessors import new_communes

    done = run("summary", "--data", "data/households_2025.parquet", "--year", "2025", "--by", "commune", "--format", "json")
    assert done.returncode == 0, done.stderr
    listed = [row["unit"] for row in json.loads(done.stdout)]
    table = new_communes()
    ours = table[table["new_province"] == "Thái Nguyên"].sort_values("new_commune_code")["new_commune"].tolist()
    assert listed == [name for name in ours if name in set(listed)]
    assert len(listed) == 37 and listed.index("Chợ Mới") < listed.index("Xuân Dương")
