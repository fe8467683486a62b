"""The lean ``summary`` (analysis/measures/columnar/lean.py): the columnar engine's table,
character for character, without importing pandas; anything it does not take is left to
the engine, which answers as before (same output, same errors)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import records

from analysis import cli
from analysis.measures.columnar import lean
from analysis.paths import BUNDLED_2025, BUNDLED_HOUSEHOLDS, PROJECT_DIR
from analysis.review import columns as c
from analysis.review import reference, units


@pytest.fixture(scope="module")
def panel_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled 2021–2024 panel in a folder (a folder is always the columnar engine's)."""
    folder = tmp_path_factory.mktemp("panel")
    shutil.copy(BUNDLED_HOUSEHOLDS, folder / "households.parquet")
    return folder


@pytest.fixture(scope="module")
def new_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The end-2025 review (the new division: no districts) in a folder, without its
    former communes (which the lean path leaves to the engine: see test_what_it_leaves_to_the_engine)."""
    folder = tmp_path_factory.mktemp("new")
    pd.read_parquet(BUNDLED_2025).drop(columns=[c.FORMER_COMMUNE]).to_parquet(folder / "households_2025.parquet", index=False)
    return folder


def _run(argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *, lean_on: bool) -> tuple[int, str, str, list[bool]]:
    """The CLI's exit code, stdout and stderr, and whether the lean path answered."""
    real = lean.lean_summary
    taken: list[bool] = []

    def spy(args: object) -> int | None:
        done = real(args) if lean_on else None
        taken.append(done is not None)
        return done

    monkeypatch.setattr(lean, "lean_summary", spy)
    code = cli.main(argv)
    out, err = capsys.readouterr()
    monkeypatch.setattr(lean, "lean_summary", real)
    return code, out, err, taken


def _same(argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> bool:
    """Both paths print the same; whether the lean one answered."""
    code, out, err, taken = _run(argv, monkeypatch, capsys, lean_on=True)
    code_engine, out_engine, err_engine, _ = _run(argv, monkeypatch, capsys, lean_on=False)
    assert (code, out, err) == (code_engine, out_engine, err_engine)
    assert code == 0 and out
    return taken == [True]


BY = [None, "province", "district", "commune", "area", "ethnicity", "ethnic_minority", "poor_district", "year",
      "ethnic_minority,area", "district,area", "year,area", "commune,ethnic_minority", "area,poor_district"]


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
@pytest.mark.parametrize("by", BY)
def test_panel_as_the_engine(panel_folder: Path, by: str | None, fmt: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["summary", "--data", str(panel_folder), "--format", fmt] + (["--by", by] if by else [])
    assert _same(argv, monkeypatch, capsys)


@pytest.mark.parametrize("by", [None, "commune", "ethnicity,area"])
def test_an_earlier_year_and_another_standard(panel_folder: Path, by: str | None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for extra in (["--year", "2022"], ["--standard", "decision-59-2015", "--year", "2021"]):
        argv = ["summary", "--data", str(panel_folder), "--format", "csv", *extra] + (["--by", by] if by else [])
        assert _same(argv, monkeypatch, capsys)


@pytest.mark.parametrize("by", ["province", "area", "ethnicity", "ethnic_minority", "poor_district"])
def test_new_division_as_the_engine(new_folder: Path, by: str | None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("json", "table"):
        argv = ["summary", "--data", str(new_folder), "--format", fmt] + (["--by", by] if by else [])
        assert _same(argv, monkeypatch, capsys)
    argv = ["summary", "--data", str(new_folder), "--format", "csv"] + (["--by", by] if by else [])
    assert _same(argv, monkeypatch, capsys)


@pytest.mark.parametrize("extra", [[], ["--by", "commune"], ["--by", "district"], ["--year", "2019"]])
def test_what_it_leaves_to_the_engine(new_folder: Path, extra: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """New-division communes (their order comes from the crosswalk; also the default without --by), errors."""
    argv = ["summary", "--data", str(new_folder), *extra]
    code, out, err, taken = _run(argv, monkeypatch, capsys, lean_on=True)
    assert taken == [False]
    assert (code, out, err) == _run(argv, monkeypatch, capsys, lean_on=False)[:3]


@pytest.mark.parametrize("by", ["area", "ethnic_minority"])
def test_former_communes_as_the_engine(by: str | None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The end-2025 review as bundled: former communes checked against the crosswalk."""
    argv = ["summary", "--data", str(BUNDLED_2025), "--engine", "columnar", "--format", "csv"] + (["--by", by] if by else [])
    assert _same(argv, monkeypatch, capsys)


@pytest.mark.parametrize("change", [
    {c.PROVINCE: "Tỉnh Bắc Kạn"},  # a spelling the engine maps to the canonical name
    {c.COMMUNE: "Xã Nghiên Loan"},
    {c.AREA: "Nông thôn"},
    {c.ETHNICITY: "tày"},
    {c.HOUSEHOLD_ID: " H000001"},  # an identifier needing trimming
    {c.FORMER_COMMUNE: "Bằng Thành"},  # another commune as the former one in an old-division year
])
def test_spellings_and_problems_go_to_the_engine(tmp_path: Path, change: dict[str, object], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    frame = pd.read_parquet(BUNDLED_HOUSEHOLDS)
    frame = frame[frame[c.YEAR] == 2024].reset_index(drop=True)
    first = frame.index[frame[c.COMMUNE] == "Nghiên Loan"][0]
    for column, value in change.items():
        frame[column] = frame[column].astype(object) if column in frame else None
        frame.loc[first, column] = value
    (tmp_path / "data").mkdir()
    frame.to_parquet(tmp_path / "data" / "review.parquet", index=False)
    argv = ["summary", "--data", str(tmp_path / "data"), "--by", "commune", "--format", "csv"]
    code, out, err, taken = _run(argv, monkeypatch, capsys, lean_on=True)
    assert taken == [False]
    assert (code, out, err) == _run(argv, monkeypatch, capsys, lean_on=False)[:3]


def test_a_former_commune_two_old_communes_share_is_refused_by_every_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Phường Kinh Môn (Hải Phòng) took two old communes named Long Xuyên, of two former
    districts: the lean path does not take the name (it is canonical, but of two units), and
    the columnar engine refuses it as the pandas path does (tests/test_divisions.py)."""
    base = {c.YEAR: 2025, c.DISTRICT: "", c.PROVINCE: "Hải Phòng", c.COMMUNE: "Kinh Môn", c.AREA: "urban", c.ETHNICITY: "Kinh"}
    (tmp_path / "data").mkdir()
    records({**base, c.FORMER_COMMUNE: "An Lưu"}, {**base, c.FORMER_COMMUNE: "Long Xuyên"}).to_parquet(tmp_path / "data" / "review.parquet", index=False)
    argv = ["summary", "--data", str(tmp_path / "data"), "--format", "csv"]
    code, out, err, taken = _run(argv, monkeypatch, capsys, lean_on=True)
    assert taken == [False] and code != 0 and out == ""
    assert "review.parquet, row 2, column 'former_commune': found 'Long Xuyên', expected the full name of one former commune of Kinh Môn" in err
    assert (code, out, err) == _run(argv, monkeypatch, capsys, lean_on=False)[:3]
    pandas = _run(["summary", "--data", str(tmp_path / "data" / "review.parquet"), "--engine", "pandas", "--format", "csv"], monkeypatch, capsys, lean_on=False)
    assert pandas[:3] == (code, out, err)
    # With the level word each names one: every path answers, the same.
    records({**base, c.FORMER_COMMUNE: "Phường Long Xuyên"}, {**base, c.FORMER_COMMUNE: "Xã Long Xuyên"}).to_parquet(tmp_path / "data" / "review.parquet", index=False)
    assert _same([*argv, "--by", "area"], monkeypatch, capsys)
    pandas = _run(["summary", "--data", str(tmp_path / "data" / "review.parquet"), "--engine", "pandas", "--format", "csv", "--by", "area"], monkeypatch, capsys, lean_on=False)
    assert pandas[:3] == _run([*argv, "--by", "area"], monkeypatch, capsys, lean_on=True)[:3]


def test_bad_records_reported_by_the_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    frame = pd.read_parquet(BUNDLED_HOUSEHOLDS)
    frame.loc[3, c.MEMBERS] = 0
    frame.loc[5, c.HOUSEHOLD_ID] = frame.loc[4, c.HOUSEHOLD_ID]
    frame.loc[7, c.COMMUNE] = "Nowhere"
    (tmp_path / "data").mkdir()
    frame.to_parquet(tmp_path / "data" / "review.parquet", index=False)
    argv = ["summary", "--data", str(tmp_path / "data"), "--by", "commune", "--format", "csv"]
    code, out, err, taken = _run(argv, monkeypatch, capsys, lean_on=True)
    assert (code, out, taken) == (1, "", [False])
    assert "members" in err and "household_id" in err and "Nowhere" in err
    assert (code, out, err) == _run(argv, monkeypatch, capsys, lean_on=False)[:3]


@pytest.mark.parametrize("decorated", ["{}\u00a0", "\u3000{}", "{}\u0085", "\u2009{}\u202f"])
def test_an_identifier_with_unicode_spaces_is_the_household_it_names(
    tmp_path: Path, decorated: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """An id that differs from another only by no-break or other Unicode spaces is the same
    household (the pandas path trims them): both columnar paths report the repeat as it does,
    even in a file sorted by id (whose shortcut took raw values that increase as distinct)."""
    frame = pd.read_parquet(BUNDLED_HOUSEHOLDS)
    frame = frame[frame[c.YEAR] == 2024].sort_values(c.HOUSEHOLD_ID).reset_index(drop=True)
    frame[c.HOUSEHOLD_ID] = frame[c.HOUSEHOLD_ID].astype(object)
    frame.loc[5, c.HOUSEHOLD_ID] = decorated.format(frame.loc[4, c.HOUSEHOLD_ID])
    (tmp_path / "data").mkdir()
    frame.to_parquet(tmp_path / "data" / "review.parquet", index=False)
    argv = ["summary", "--data", str(tmp_path / "data"), "--by", "commune", "--format", "csv"]
    code, out, err, taken = _run(argv, monkeypatch, capsys, lean_on=True)
    assert (code, out, taken) == (1, "", [False])
    expected = f"row 6, column 'household_id': found '{frame.loc[4, c.HOUSEHOLD_ID]}', expected a household_id unique within year 2024"
    assert expected in err
    assert (code, out, err) == _run(argv, monkeypatch, capsys, lean_on=False)[:3]
    pandas_code = cli.main([*argv[:2], str(tmp_path / "data" / "review.parquet"), *argv[3:], "--engine", "pandas"])
    assert pandas_code == 1 and expected in capsys.readouterr().err


WRAPPER = """
import json, runpy, sys
sys.argv = ['analysis'] + sys.argv[1:]
try:
    runpy.run_module('analysis', run_name='__main__', alter_sys=True)
except SystemExit as done:
    code = done.code
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'pyarrow', 'numpy', 'matplotlib', 'duckdb'})
sys.stderr.write('\\n@@HEAVY ' + json.dumps(heavy) + '\\n')
sys.exit(code)
"""


def _heavy_imports(*args: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_DIR))
    done = subprocess.run([sys.executable, "-c", WRAPPER, *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False)
    line = next(line for line in done.stderr.splitlines() if line.startswith("@@HEAVY "))
    return done, json.loads(line.split(" ", 1)[1])


def test_summary_imports_neither_pandas_nor_pyarrow(panel_folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The goal of `make bench` (20x today's path) needs a process that never imports pandas:
    its import alone costs more than the lean path's whole run. Nor the ``duckdb`` package's
    Python layer, where DuckDB's C++ extension can be imported alone (a seventh of the run)."""
    done, heavy = _heavy_imports("summary", "--by", "commune", "--format", "csv", "--data", str(panel_folder))
    assert done.returncode == 0, done.stderr
    assert heavy == ([] if importlib.util.find_spec("_duckdb") else ["duckdb"])
    expected = _run(["summary", "--by", "commune", "--format", "csv", "--data", str(panel_folder)], monkeypatch, capsys, lean_on=False)
    assert done.stdout == expected[1]
    done, heavy = _heavy_imports("--help")
    assert done.returncode == 0 and heavy == []


def test_plain_python_copies_agree() -> None:
    """The constants and reference tables the lean path reads without pandas are the pandas path's."""
    from analysis.measures.columnar import checks, choice

    assert (lean.COLUMNAR_ROWS, lean.SORTED_CHECK_ROWS) == (choice.COLUMNAR_ROWS, checks.SORTED_CHECK_ROWS)
    for division in units.DIVISIONS:
        assert list(reference.provinces(division)) == units.province_names(division)
    for name, division in [("Bắc Kạn", "old"), ("Hà Nội", "old"), ("Thái Nguyên", "new"), ("Lâm Đồng", "new")]:
        a, b = reference.province_names(name, division), units.province_units(name, division)
        assert (a.districts, a.communes_by_district, a.communes, a.poor_districts) == (b.districts, b.communes_by_district, b.communes, b.poor_districts)
        if division == "new":  # the old communes of each new one, as re-basing reads them (predecessors, in pandas)
            from analysis.measures.predecessors import predecessors

            assert a.commune_codes == b.commune_codes
            pred = predecessors().groupby("new_commune_code")
            for code in a.commune_codes.values():
                rows = pred.get_group(code)
                plain = sorted((f.code, f.name, f.district) for f in reference.former_communes(a.code, code))
                assert plain == sorted(zip(rows["old_commune_code"], rows["old_commune"], rows["old_district"])), code


@pytest.fixture(scope="module")
def national_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic national set (34 provinces, partitioned by province, no districts)."""
    from analysis.synth import national

    out = tmp_path_factory.mktemp("national") / "national"
    national.write_national(out, scale=0.002, seed=national.DEFAULT_SEED, year=national.DEFAULT_YEAR)
    return out


@pytest.mark.parametrize("by", ["province", "province,area", "ethnic_minority"])
def test_national_set_as_the_engine(national_folder: Path, by: str | None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Several provinces in partition folders: provinces in the engine's order."""
    for fmt in ("csv", "table"):
        argv = ["summary", "--data", str(national_folder), "--format", fmt] + (["--by", by] if by else [])
        assert _same(argv, monkeypatch, capsys)


@pytest.mark.parametrize(("data", "default"), [(BUNDLED_HOUSEHOLDS, "district"), (BUNDLED_2025, "commune")])
def test_without_by_every_path_gives_the_documented_default(data: Path, default: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`summary` without --by is by district, or by commune for a year on the new division
    (its --help), whichever path answers: the lean path and the columnar engine gave the
    province's total."""
    base = ["summary", "--data", str(data), "--format", "csv"]
    code, out, _, taken = _run([*base, "--engine", "columnar"], monkeypatch, capsys, lean_on=True)
    assert (code, taken) == (0, [default == "district"])  # the new division's communes are the engine's
    assert _run([*base, "--engine", "columnar"], monkeypatch, capsys, lean_on=False)[:2] == (0, out)
    assert _run([*base, "--engine", "pandas"], monkeypatch, capsys, lean_on=False)[:2] == (0, out)
    assert _run([*base, "--engine", "pandas", "--by", default], monkeypatch, capsys, lean_on=False)[:2] == (0, out)
    assert len(out.splitlines()) > 2
