"""The core commands: outputs, exit codes, and no traceback ever reaching the user."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import deprived, records

from analysis.cli import build_parser, main
from analysis.review import columns as c

ROOT = Path(__file__).resolve().parents[1]

#: The commands without --data read the bundled panel: loaded once for the whole session.
pytestmark = pytest.mark.usefixtures("bundled_once")

SMALL = records(
    {c.INCOME: 1_000_000, **deprived(3)},  # poor
    {c.INCOME: 1_400_000, **deprived(1)},  # near-poor
    {c.INCOME: 3_000_000},  # above average
    {c.DISTRICT: "Ngân Sơn", c.COMMUNE: "Trung Hoà", c.INCOME: 1_500_000, **deprived(4)},  # poor
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_exit_codes(capsys, write_csv):
    good = write_csv(SMALL, "good.csv")
    code, out, _ = run(capsys, "validate", str(good))
    assert code == 0 and "OK: 4 household records (2024)" in out
    bad = SMALL.copy()
    bad.loc[0, c.DISTRICT] = "Pac Nam"
    code, _, err = run(capsys, "validate", str(write_csv(bad, "bad.csv")))
    assert code == 1
    assert "bad.csv, row 2, column 'district': found 'Pac Nam'" in err and "did you mean 'Pác Nặm'?" in err
    assert "1 problem(s) in 1 file(s)" in err
    with pytest.raises(SystemExit) as usage:
        main(["validate"])
    assert usage.value.code == 2


def test_classify_json_and_csv(capsys, write_csv):
    path = write_csv(SMALL)
    code, out, _ = run(capsys, "classify", str(path), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["status"] for r in rows] == ["poor", "near_poor", "above_average", "poor"]
    assert rows[0] == {"household_id": "H1", "year": 2024, "deprivations": 3, "status": "poor"}
    code, out, _ = run(capsys, "classify", str(path))
    assert out.splitlines()[0] == "household_id,year,deprivations,status"


def test_summary_json_has_the_contract_keys_unrounded(capsys, write_csv):
    code, out, _ = run(capsys, "summary", "--data", str(write_csv(SMALL)), "--by", "district", "--format", "json")
    assert code == 0
    rows = {r["unit"]: r for r in json.loads(out)}
    assert {"unit", "households", "poor", "near_poor", "poor_rate", "near_poor_rate"} <= set(rows["Pác Nặm"])
    assert rows["Pác Nặm"]["households"] == 3 and rows["Pác Nặm"]["poor"] == 1
    assert rows["Pác Nặm"]["poor_rate"] == pytest.approx(100 / 3, abs=1e-12)
    assert rows["Ngân Sơn"]["poor_rate"] == 100.0


def test_summary_table_is_rounded_for_people(capsys, write_csv):
    _, out, _ = run(capsys, "summary", "--data", str(write_csv(SMALL)), "--by", "district")
    assert "33.33" in out and "33.333" not in out  # 1 of 3 households poor in Pác Nặm


def test_summary_unknown_year_is_a_usage_error(capsys, write_csv):
    code, _, err = run(capsys, "summary", "--data", str(write_csv(SMALL)), "--year", "2019")
    assert code == 2 and "valid years: 2024" in err


def test_every_command_has_help(capsys):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"validate", "classify", "summary", "synth"} <= set(commands)
    for name in commands:
        with pytest.raises(SystemExit) as done:
            main([name, "--help"])
        assert done.value.code == 0
        assert "usage:" in capsys.readouterr().out


def test_bundled_data_reproduce_the_published_2021_figures(capsys):
    for standard, poor, near, rate, near_rate in [
        ("decree-07-2021", 21_946, 7_935, "26.93", "9.74"),
        ("decision-59-2015", 13_867, 8_239, "17.02", "10.11"),
    ]:
        code, out, err = run(capsys, "summary", "--year", "2021", "--standard", standard, "--by", "province", "--format", "json")
        assert code == 0 and "synthetic" in err
        (row,) = json.loads(out)
        assert (row["poor"], row["near_poor"]) == (poor, near)
        assert 81_478 <= row["households"] <= 81_498
        assert f"{row['poor_rate']:.2f}" == rate and f"{row['near_poor_rate']:.2f}" == near_rate


@pytest.mark.parametrize("argv", [["validate", "/nonexistent.csv"], ["summary", "--data", "/nonexistent.csv"], ["classify", "/x/y.xlsx"]])
def test_no_traceback_reaches_the_user(argv):
    done = subprocess.run([sys.executable, "-m", "analysis", *argv], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "no such file" in done.stderr
