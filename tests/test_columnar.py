"""The columnar engine (DuckDB over Parquet) gives the pandas path's tables on the bundled data,
reads only the province asked for, and reports bad Parquet input clearly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.errors import DataError, UsageError
from analysis.measures.breakdowns import poverty_rates
from analysis.measures.classification import classify
from analysis.measures.columnar import ColumnarReview
from analysis.measures.flows import poverty_flows
from analysis.measures.mpi import af_dimensions, af_indicators, af_measures
from analysis.measures.profile import deprivation_profile, dimension_profile
from analysis.paths import BUNDLED_HOUSEHOLDS
from analysis.review import columns as c
from analysis.review.loading import load_households
from analysis.review.selection import select_year

D07, D59 = "decree-07-2021", "decision-59-2015"
BYS = [None, "district", "commune", "area", "ethnicity", "ethnic_minority", "poor_district", "poor_district,ethnic_minority", "district,area"]


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return load_households()


@pytest.fixture(scope="module")
def review() -> ColumnarReview:
    return ColumnarReview(BUNDLED_HOUSEHOLDS)


def same(columnar: pd.DataFrame, pandas_: pd.DataFrame) -> None:
    """Every column equal: names, order, rows; text and counts exactly, fractions to 1e-12."""
    assert list(columnar.columns) == list(pandas_.columns)
    assert len(columnar) == len(pandas_)
    for col in pandas_.columns:
        left, right = columnar[col].reset_index(drop=True), pandas_[col].reset_index(drop=True)
        if pd.api.types.is_float_dtype(right):
            np.testing.assert_allclose(left.to_numpy(dtype=float), right.to_numpy(dtype=float), rtol=1e-12, atol=1e-15, equal_nan=True, err_msg=col)
        else:
            assert left.astype(object).tolist() == right.astype(object).tolist(), col
            assert pd.api.types.is_integer_dtype(left) == pd.api.types.is_integer_dtype(right), col


@pytest.mark.parametrize("by", BYS)
def test_summary_equals_pandas(review: ColumnarReview, panel: pd.DataFrame, by: str | None) -> None:
    expected = poverty_rates(classify(select_year(panel, None), D07), by=by)
    same(review.poverty_rates(by), expected)


def test_summary_by_year_and_earlier_year(review: ColumnarReview, panel: pd.DataFrame) -> None:
    same(review.poverty_rates("year,district"), poverty_rates(classify(panel, D07), by="year,district"))
    same(review.poverty_rates("commune", year=2021), poverty_rates(classify(select_year(panel, 2021), D07), by="commune"))


@pytest.mark.parametrize("by", BYS[:6])
def test_mpi_equals_pandas(review: ColumnarReview, panel: pd.DataFrame, by: str | None) -> None:
    year = select_year(panel, None)
    same(review.af_measures(by=by), af_measures(year, D07, None, by))
    same(review.af_indicators(by=by), af_indicators(year, D07, None, by))
    same(review.af_dimensions(by=by), af_dimensions(year, D07, None, by))


def test_mpi_persons_and_k(review: ColumnarReview, panel: pd.DataFrame) -> None:
    year = select_year(panel, 2022)
    same(review.af_measures(0.5, "district", year=2022, weight="persons"), af_measures(year, D07, 0.5, "district", weight="persons"))
    same(review.af_indicators(2 / 12, "area", year=2022), af_indicators(year, D07, 2 / 12, "area"))


@pytest.mark.parametrize("by", [None, "district", "commune", "ethnicity", "poor_district,ethnic_minority"])
def test_profile_equals_pandas(review: ColumnarReview, panel: pd.DataFrame, by: str | None) -> None:
    classified = classify(select_year(panel, None), D07)
    same(review.deprivation_profile(by), deprivation_profile(classified, D07, by))
    same(review.dimension_profile(by), dimension_profile(classified, D07, by))


@pytest.mark.parametrize("by", [None, "district", "commune", "ethnic_minority", "area,poor_district"])
def test_flows_equal_pandas(review: ColumnarReview, panel: pd.DataFrame, by: str | None) -> None:
    classified = classify(panel, D07)
    for year in (2022, 2024):
        same(review.poverty_flows(year, by), poverty_flows(classified, year, by))


def test_other_standard(panel: pd.DataFrame) -> None:
    review = ColumnarReview(BUNDLED_HOUSEHOLDS, standard=D59)
    year = select_year(panel, 2021)
    same(review.poverty_rates("district", year=2021), poverty_rates(classify(year, D59), by="district"))
    same(review.af_indicators(by="district", year=2021), af_indicators(year, D59, None, "district"))


def test_classify_streams_the_same_rows(review: ColumnarReview, panel: pd.DataFrame) -> None:
    expected = classify(select_year(panel, None), D07)[[c.HOUSEHOLD_ID, c.YEAR, c.DEPRIVATIONS, c.STATUS]]
    batches = list(review.classify_batches(rows=50_000))
    assert len(batches) > 1
    got = pd.concat(batches, ignore_index=True)
    same(got, expected.astype({c.STATUS: str}).reset_index(drop=True))


# --- province push-down -----------------------------------------------------------------


def test_province_opens_only_its_partition(tmp_path: Path, panel: pd.DataFrame) -> None:
    """Another province's files are never opened: here they are not even Parquet."""
    ours = tmp_path / "national" / "province_code=6"
    ours.mkdir(parents=True)
    pq.write_table(pq.read_table(BUNDLED_HOUSEHOLDS), ours / "part-0.parquet")
    other = tmp_path / "national" / "province_code=99"
    other.mkdir()
    (other / "part-0.parquet").write_bytes(b"PAR1 this is not a Parquet file")
    review = ColumnarReview(tmp_path / "national", province="Bắc Kạn")
    assert review.source.files == [ours / "part-0.parquet"]
    same(review.poverty_rates("district"), poverty_rates(classify(select_year(panel, None), D07), by="district"))
    with pytest.raises(DataError, match="province_code=99"):
        ColumnarReview(tmp_path / "national").poverty_rates()


def test_province_filter_reads_rows_of_unpartitioned_files(tmp_path: Path) -> None:
    frame = pq.read_table(BUNDLED_HOUSEHOLDS).to_pandas()
    frame = frame[frame[c.YEAR] == 2024]
    path = tmp_path / "review.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    review = ColumnarReview(path, province="bắc kạn")
    assert review.poverty_rates()["households"].iloc[0] == 83288
    with pytest.raises(UsageError, match="unknown province"):
        ColumnarReview(path, province="Atlantis")


# --- bad Parquet input ----------------------------------------------------------------


def _write(tmp_path: Path, frame: pd.DataFrame, name: str = "review.parquet") -> Path:
    path = tmp_path / name
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    return path


@pytest.fixture
def small() -> pd.DataFrame:
    frame = pq.read_table(BUNDLED_HOUSEHOLDS).to_pandas()
    return frame[frame[c.YEAR] == 2024].head(1000).reset_index(drop=True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"household_id,year\nH1,2024\n", "not a Parquet file"),
        (b"PAR1" + b"\0" * 40, "not a readable Parquet file"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "review.parquet"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message) as err:
        ColumnarReview(path).poverty_rates()
    assert str(path) in err.value.report()


def test_truncated_file(tmp_path: Path, small: pd.DataFrame) -> None:
    path = _write(tmp_path, small)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match="not a readable Parquet file"):
        ColumnarReview(path).poverty_rates()


def test_empty_folder_and_other_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no Parquet files"):
        ColumnarReview(tmp_path).poverty_rates()
    (tmp_path / "review.csv").write_text("a,b\n")
    with pytest.raises(DataError, match="Parquet files or folders"):
        ColumnarReview(tmp_path / "review.csv")


def test_bad_records_reported_as_the_pandas_path_reports_them(tmp_path: Path, small: pd.DataFrame) -> None:
    bad = small.copy()
    bad.loc[3, c.COMMUNE] = "Nghien Loann"
    bad.loc[5, c.MEMBERS] = 0
    bad.loc[7, c.INCOME] = -5
    bad.loc[9, "water"] = 2
    bad.loc[11, c.HOUSEHOLD_ID] = bad.loc[10, c.HOUSEHOLD_ID]
    bad.loc[12, c.AREA] = "city"
    path = _write(tmp_path, bad)
    from analysis.review.loading import check_files

    expected = check_files([path])
    with pytest.raises(DataError) as err:
        ColumnarReview(path).poverty_rates()
    assert err.value.total == expected.total == 6
    assert [str(p) for p in err.value.problems] == [str(p) for p in expected.problems]
    assert "row 13, column 'area': found 'city'" in err.value.report()


def test_missing_and_renamed_columns(tmp_path: Path, small: pd.DataFrame) -> None:
    path = _write(tmp_path, small.drop(columns=["water"]))
    with pytest.raises(DataError, match="missing column 'water'"):
        ColumnarReview(path).poverty_rates()
    # Vietnamese headers of the review forms are aliases, as for any review file.
    path = _write(tmp_path, small.rename(columns={c.INCOME: "Thu nhập bình quân đầu người"}), "vi.parquet")
    from analysis.review.loading import load_aliases
    from analysis.review.units import name_key

    if load_aliases().get(name_key("Thu nhập bình quân đầu người")) == c.INCOME:
        assert ColumnarReview(path).poverty_rates()["households"].iloc[0] == 1000


def test_numbers_written_as_text(tmp_path: Path, small: pd.DataFrame) -> None:
    """``1.500.000`` in a text column is read by the pandas path (whose reading depends on the
    whole column); the columnar engine says so rather than read it another way."""
    text = small.astype({c.INCOME: str, c.MEMBERS: str})
    text[c.INCOME] = [f"{v:,}".replace(",", ".") for v in small[c.INCOME]]
    path = _write(tmp_path, text)
    with pytest.raises(UsageError, match=r"income_per_capita.*--engine pandas"):
        ColumnarReview(path).poverty_rates()
    from analysis.measures.columnar.choice import columnar_for

    assert columnar_for([path], "auto", D07, None) is None


def test_bounds_and_missing_values_as_the_pandas_path(tmp_path: Path, small: pd.DataFrame) -> None:
    from analysis.review.loading import check_files

    bad = small.astype({c.INCOME: float})
    bad.loc[2, c.INCOME] = float("nan")
    bad.loc[4, c.INCOME] = 1e15
    bad.loc[6, c.YEAR] = 1800
    bad.loc[8, c.HOUSEHOLD_ID] = "  "
    path = _write(tmp_path, bad)
    expected = check_files([path])
    with pytest.raises(DataError) as err:
        ColumnarReview(path).poverty_rates()
    assert err.value.total == expected.total >= 4
    assert [str(p) for p in err.value.problems] == [str(p) for p in expected.problems]
