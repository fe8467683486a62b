"""The columnar engine's shortcuts give what the long way gives: the summary from the statuses
validation counts per distinct combination equals the summary from the records (and the pandas
path's), names spelled any accepted way; repeated identifiers are found whether or not the
identifiers are sorted."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.errors import DataError
from analysis.measures.breakdowns import poverty_rates
from analysis.measures.classification import classify
from analysis.measures.columnar import ColumnarReview
from analysis.paths import BUNDLED_HOUSEHOLDS
from analysis.review import columns as c
from analysis.review.loading import check_files, load_households

BYS = [None, "district", "commune", "area", "ethnicity", "ethnic_minority", "poor_district", "district,area", "year,commune"]


def _write(path: Path, frame: pd.DataFrame) -> Path:
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    return path


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two review years of 3,000 households, names spelled as the forms spell them."""
    frame = pq.read_table(BUNDLED_HOUSEHOLDS).to_pandas()
    frame = pd.concat([frame[frame[c.YEAR] == y].head(1500) for y in (2023, 2024)], ignore_index=True)
    frame.loc[::3, c.AREA] = frame.loc[::3, c.AREA].map({c.RURAL: "Nông thôn", c.URBAN: "Thành thị"})
    frame.loc[::4, c.COMMUNE] = frame.loc[::4, c.COMMUNE].str.upper()
    frame.loc[::5, c.ETHNICITY] = frame.loc[::5, c.ETHNICITY].str.lower()
    frame.loc[::7, c.DISTRICT] = frame.loc[::7, c.DISTRICT].str.lower()
    return _write(tmp_path_factory.mktemp("messy") / "review.parquet", frame)


def _from_records(review: ColumnarReview, by: str | None, year: int | None = None) -> pd.DataFrame:
    """The summary the long way: grouped over the records in SQL."""
    review._status_sums = lambda levels, chosen: None  # type: ignore[method-assign]
    return review.poverty_rates(by, year=year)


@pytest.mark.parametrize("by", BYS)
def test_summary_from_counted_combinations(messy: Path, by: str | None) -> None:
    review = ColumnarReview(messy)
    assert review.validated.names_table is not None  # the names are mapped: the case worth testing
    quick = review.poverty_rates(by)
    pd.testing.assert_frame_equal(quick, _from_records(ColumnarReview(messy), by))
    if by != "year,commune":
        households = load_households(messy)
        expected = poverty_rates(classify(households[households[c.YEAR] == 2024], "decree-07-2021"), by=by)
        pd.testing.assert_frame_equal(quick.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False)


def test_summary_of_an_earlier_year_and_a_province(messy: Path) -> None:
    quick = ColumnarReview(messy, province="Bắc Kạn").poverty_rates("commune", year=2023)
    pd.testing.assert_frame_equal(quick, _from_records(ColumnarReview(messy, province="Bắc Kạn"), "commune", year=2023))
    assert quick["households"].sum() == 1500


@pytest.fixture
def sorted_ids() -> pd.DataFrame:
    frame = pq.read_table(BUNDLED_HOUSEHOLDS).to_pandas()
    frame = frame[frame[c.YEAR] == 2024].head(2000).reset_index(drop=True)
    frame[c.HOUSEHOLD_ID] = [f"H{i:06d}" for i in range(len(frame))]
    return frame


def _same_problems(review: ColumnarReview, paths: list[Path]) -> None:
    expected = check_files(paths)
    assert expected.total
    with pytest.raises(DataError) as err:
        review.poverty_rates()
    assert err.value.total == expected.total
    assert [str(p) for p in err.value.problems] == [str(p) for p in expected.problems]


def test_sorted_ids_with_a_repeat_far_apart(tmp_path: Path, sorted_ids: pd.DataFrame) -> None:
    sorted_ids.loc[1900, c.HOUSEHOLD_ID] = sorted_ids.loc[5, c.HOUSEHOLD_ID]
    path = _write(tmp_path / "review.parquet", sorted_ids)
    _same_problems(ColumnarReview(path), [path])


def test_sorted_files_repeating_each_other(tmp_path: Path, sorted_ids: pd.DataFrame) -> None:
    """Each file sorted, the second repeating an id of the first."""
    first = _write(tmp_path / "a.parquet", sorted_ids.iloc[:1000])
    second = sorted_ids.iloc[1000:].copy()
    second.loc[1999, c.HOUSEHOLD_ID] = "H000999"
    later = _write(tmp_path / "b.parquet", second)
    _same_problems(ColumnarReview([first, later]), [first, later])


def test_unsorted_ids_valid_and_repeated(tmp_path: Path, sorted_ids: pd.DataFrame) -> None:
    shuffled = sorted_ids.sample(frac=1.0, random_state=3).reset_index(drop=True)
    path = _write(tmp_path / "review.parquet", shuffled)
    assert ColumnarReview(path).poverty_rates()["households"].iloc[0] == 2000
    shuffled.loc[17, c.HOUSEHOLD_ID] = shuffled.loc[1234, c.HOUSEHOLD_ID]
    path = _write(tmp_path / "repeat.parquet", shuffled)
    _same_problems(ColumnarReview(path), [path])


def test_ids_needing_a_trim_that_repeat(tmp_path: Path, sorted_ids: pd.DataFrame) -> None:
    """'H000010 ' sorts after 'H000010' but is the same household once trimmed."""
    sorted_ids.loc[11, c.HOUSEHOLD_ID] = "H000010 "
    path = _write(tmp_path / "review.parquet", sorted_ids)
    _same_problems(ColumnarReview(path), [path])


def test_sorted_files_overlapping_or_apart(tmp_path: Path, sorted_ids: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file sorted: files apart need no hash; files whose ranges overlap are hashed, a
    repeat found, no repeat passing; files too big for the shortcut are hashed."""
    first = _write(tmp_path / "a.parquet", sorted_ids.iloc[:1000])
    later = _write(tmp_path / "b.parquet", sorted_ids.iloc[1000:])
    assert ColumnarReview([later, first]).poverty_rates()["households"].iloc[0] == 2000
    odd = sorted_ids.iloc[1000:].copy()
    odd[c.HOUSEHOLD_ID] = [f"H{i:06d}x" for i in range(1000)]  # inside the first file's range, none repeated
    overlapping = _write(tmp_path / "c.parquet", odd)
    assert ColumnarReview([first, overlapping]).poverty_rates()["households"].iloc[0] == 2000
    odd.iloc[0, odd.columns.get_loc(c.HOUSEHOLD_ID)] = "H000000"  # still sorted, repeats the first file's first id
    repeating = _write(tmp_path / "d.parquet", odd)
    _same_problems(ColumnarReview([first, repeating]), [first, repeating])
    from analysis.measures.columnar import checks

    monkeypatch.setattr(checks, "SORTED_CHECK_ROWS", 10)
    assert ColumnarReview([later, first]).poverty_rates()["households"].iloc[0] == 2000
    _same_problems(ColumnarReview([first, repeating]), [first, repeating])
