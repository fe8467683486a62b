"""``tables`` on the columnar engine (large Parquet reviews, national sets: validated in bounded
memory, one province's records read) writes the same sheets as the pandas path."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.cli import main
from analysis.paths import BUNDLED_HOUSEHOLDS
from analysis.review import columns as c

BUNDLED_2025 = BUNDLED_HOUSEHOLDS.with_name("households_2025.parquet")


def _tables(tmp_path: Path, name: str, *args: str) -> dict[str, str]:
    out = tmp_path / name
    assert main(["tables", "--format", "csv", "--out", str(out), *args]) == 0
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.csv"))}


@pytest.mark.parametrize(("data", "extra"), [(BUNDLED_HOUSEHOLDS, []), (BUNDLED_HOUSEHOLDS, ["--year", "2023", "--level", "district"]), (BUNDLED_2025, [])])
def test_same_sheets_as_the_pandas_path(tmp_path: Path, data: Path, extra: list[str]) -> None:
    args = ["--data", str(data), *extra]
    columnar = _tables(tmp_path, "columnar", *args, "--engine", "columnar")
    pandas_ = _tables(tmp_path, "pandas", *args, "--engine", "pandas")
    assert len(columnar) == 8
    assert columnar == pandas_


def test_several_provinces_need_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A review of several provinces (a national set): the tables are one province's."""
    frame = pq.read_table(BUNDLED_2025).to_pandas()
    other = frame.head(10).copy()
    other[c.HOUSEHOLD_ID] = [f"HN-{i}" for i in range(len(other))]
    other[c.PROVINCE], other[c.COMMUNE], other[c.FORMER_COMMUNE] = "Hà Nội", "Hoàn Kiếm", ""
    path = tmp_path / "two.parquet"
    pq.write_table(pa.Table.from_pandas(pd.concat([frame, other], ignore_index=True), preserve_index=False), path)
    assert main(["tables", "--data", str(path), "--engine", "columnar", "--format", "csv", "--out", str(tmp_path / "out")]) == 2
    assert "choose one with --province" in capsys.readouterr().err
    one = _tables(tmp_path, "one", "--data", str(path), "--engine", "columnar", "--province", "thái nguyên")
    bundled = _tables(tmp_path, "bundled", "--data", str(BUNDLED_2025), "--engine", "pandas")
    sheets = [name for name in bundled if not name.endswith("ghi-chu.csv")]  # the notes name the source file
    assert len(sheets) == 7
    one = {name.replace("2025/thai-nguyen/", "2025/"): text for name, text in one.items()}  # the province's own folder, as its briefs'
    assert {name: one[name] for name in sheets} == {name: bundled[name] for name in sheets}


def test_load_review_and_the_batch_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A large Parquet review (here: any size) reaches the batch through the columnar engine:
    the same households as load_households, the same inputs for the briefs."""
    from analysis.briefs.inputs import prepare_inputs
    from analysis.measures.columnar import choice
    from analysis.review.loading import load_households

    pandas_ = prepare_inputs(str(BUNDLED_HOUSEHOLDS))
    monkeypatch.setattr(choice, "COLUMNAR_ROWS", 0)
    pd.testing.assert_frame_equal(choice.load_review(BUNDLED_2025, standard="decree-07-2021"), load_households(BUNDLED_2025))
    columnar = prepare_inputs(str(BUNDLED_HOUSEHOLDS))
    pd.testing.assert_frame_equal(columnar.panel, pandas_.panel)
    assert columnar.panel.attrs == pandas_.panel.attrs
    for name in ("history", "verdicts", "period", "district_rates", "province_rates"):
        pd.testing.assert_frame_equal(getattr(columnar, name), getattr(pandas_, name), obj=name)
