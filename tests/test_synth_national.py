"""The synthetic national set: partitioned by province, labelled synthetic, deterministic,
every commune of the new division, national rates near the published 2022 figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from analysis.errors import UsageError
from analysis.measures.columnar import ColumnarReview
from analysis.review.units import NEW, national_units
from analysis.synth import national

SCALE = 0.001  # about 26,900 households


@pytest.fixture(scope="module")
def national_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "national"
    national.write_national(out, scale=SCALE)
    return out


def test_partitioned_by_province_and_labelled_synthetic(national_set: Path) -> None:
    units = national_units(NEW)
    codes = sorted(int(code) for code in units.loc[units["level"] == "province", "code"])
    folders = sorted(p.name for p in national_set.iterdir() if p.is_dir())
    assert folders == [f"province_code={code:02d}" for code in codes]
    assert len(folders) == 34
    assert "SYNTHETIC" in (national_set / "SYNTHETIC.md").read_text(encoding="utf-8")
    for folder in folders:
        meta = pq.read_schema(national_set / folder / "part-0.parquet").metadata
        assert meta[b"synthetic"] == b"true" and b"SYNTHETIC" in meta[b"description"]
    assert not list(national_set.parent.glob(".national*"))  # nothing half-written left beside it


def test_compact_types(national_set: Path) -> None:
    schema = pq.read_schema(next(national_set.glob("province_code=*/part-0.parquet")))
    assert str(schema.field("water").type) == "int8"
    assert str(schema.field("income_per_capita").type) == "int32"
    meta = pq.read_metadata(next(national_set.glob("province_code=*/part-0.parquet")))
    column = meta.row_group(0).column(schema.get_field_index("commune"))
    assert "RLE_DICTIONARY" in column.encodings or "PLAIN_DICTIONARY" in column.encodings


def test_every_commune_and_national_rates_near_published(national_set: Path) -> None:
    review = ColumnarReview(national_set)
    assert review.years == [2025]
    communes = review.poverty_rates("province,commune")
    units = national_units(NEW)
    assert len(communes) == int((units["level"] == "commune").sum()) == 3321
    total = review.poverty_rates()
    assert total["households"].iloc[0] == round(26_900_000 * SCALE)
    assert abs(total["poor_rate"].iloc[0] - 4.03) < 0.5
    assert abs(total["near_poor_rate"].iloc[0] - 3.49) < 0.5
    provinces = review.poverty_rates("province")
    assert len(provinces) == 34
    assert provinces["poor_rate"].max() > 3 * provinces["poor_rate"].min()  # rates vary by province
    assert review.attrs["synthetic"] is True


def test_deterministic(tmp_path: Path) -> None:
    a = national.write_national(tmp_path / "a", scale=0.0002, seed=7)
    b = national.write_national(tmp_path / "b", scale=0.0002, seed=7)
    national.write_national(tmp_path / "c", scale=0.0002, seed=8)
    assert a["households"] == b["households"]
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.parquet"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert any((tmp_path / "a" / f).read_bytes() != (tmp_path / "c" / f).read_bytes() for f in files)


def test_replaced_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "set"
    national.write_national(out, scale=0.0002)
    before = sorted(p.read_bytes() for p in out.rglob("*.parquet"))
    calls = {"n": 0}
    original = national.households_of

    def failing(*args: object, **kw: object) -> object:
        calls["n"] += 1
        if calls["n"] > 5:
            raise RuntimeError("disk full")
        return original(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(national, "households_of", failing)
    with pytest.raises(RuntimeError):
        national.write_national(out, scale=0.0002, seed=9)
    assert sorted(p.read_bytes() for p in out.rglob("*.parquet")) == before  # the old set is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set"]  # no temporary folder left
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep")
    monkeypatch.setattr(national, "households_of", original)
    with pytest.raises(UsageError, match="not a synthetic national set"):
        national.write_national(other, scale=0.0002)
    assert (other / "notes.txt").read_text() == "keep"


def test_command_line(tmp_path: Path) -> None:
    out = tmp_path / "n"
    run = [sys.executable, "-m", "analysis"]
    done = subprocess.run(run + ["synth", "--scale", "0.0002", "--out", str(out), "--seed", "3"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "SYNTHETIC" in done.stdout and "34 provinces" in done.stdout
    checked = subprocess.run(run + ["validate", str(out)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("OK: ") and "in 34 file(s)" in checked.stdout
    assert "synthetic" in checked.stderr
    summary = subprocess.run(run + ["summary", "--data", str(out), "--by", "province", "--province", "Thái Nguyên", "--format", "json"], capture_output=True, text=True, check=False)
    assert summary.returncode == 0, summary.stderr
    rows = json.loads(summary.stdout)
    assert [r["unit"] for r in rows] == ["Thái Nguyên"]
    bad = subprocess.run(run + ["synth", "--scale", "lots"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "--scale" in bad.stderr
