"""The command line: ``python -m analysis COMMAND …``.

Every command validates its input before it does anything, prints problems without a
traceback, and exits 0 on success, 1 on bad data or a failed step, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd

from . import columns as c
from .errors import DataError, UsageError
from .standards import DEFAULT_STANDARD, standard_ids

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


# --- shared plumbing -----------------------------------------------------------------


def add_data_options(parser: argparse.ArgumentParser, *, year: bool = True, standard: bool = True) -> None:
    """The options every data command shares: --data, --year, --standard, --sheet."""
    parser.add_argument("--data", metavar="PATH", action="append", help="household review file(s) (CSV, .xlsx or Parquet); default: the bundled synthetic Bắc Kạn data")
    parser.add_argument("--sheet", help="Excel sheet name (default: the first sheet)")
    if year:
        parser.add_argument("--year", type=int, help="review year (default: the latest in the data)")
    if standard:
        parser.add_argument("--standard", default=DEFAULT_STANDARD, choices=standard_ids(), help=f"poverty standard (default: {DEFAULT_STANDARD})")


def emit(frame: pd.DataFrame, fmt: str, *, round_to: int = 2) -> None:
    """Print a table for people (rounded), CSV, or JSON records (unrounded)."""
    if fmt == "json":
        print(json.dumps(records(frame), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(frame.round(round_to).to_string(index=False))


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready records: numpy scalars become plain Python numbers, NaN becomes null."""
    return json.loads(frame.to_json(orient="records", force_ascii=False, double_precision=15))


def note(text: str) -> None:
    """A note for people (stderr), so stdout stays machine-readable."""
    print(text, file=sys.stderr)


# --- commands --------------------------------------------------------------------------
# Each command has an `_add_<name>(subparsers)` that builds its parser and sets `run`.


COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def command(add: Callable[[argparse._SubParsersAction], None]) -> Callable[[argparse._SubParsersAction], None]:
    COMMANDS.append(add)
    return add


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Household poverty review: validation, classification, summaries, measures and briefs.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or EXIT_OK)
    except DataError as err:
        print(err.report(), file=sys.stderr)
        return EXIT_DATA
    except UsageError as err:
        print(f"{parser.prog} {args.command}: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


def load_for_command(args: argparse.Namespace) -> pd.DataFrame:
    """Validated households named by --data (the bundled data by default), with a provenance note."""
    from .loading import load_households

    frame = load_households(args.data, standard=getattr(args, "standard", DEFAULT_STANDARD), sheet=args.sheet)
    if frame.attrs.get("synthetic"):
        note("note: synthetic data (dữ liệu mô phỏng), not real household records")
    return frame


@command
def _add_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check review files against the data contract", description="Check household review files; exit 0 when valid, 1 when not.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="CSV, .xlsx or Parquet files (checked together as one review)")
    p.add_argument("--standard", default=DEFAULT_STANDARD, choices=standard_ids(), help="standard whose indicators are required")
    p.add_argument("--sheet", help="Excel sheet name (default: the first sheet)")
    p.add_argument("--limit", type=int, default=50, help="most problems to list (default 50)")
    p.set_defaults(run=_run_validate)


def _run_validate(args: argparse.Namespace) -> int:
    from .loading import check_files

    checked = check_files(args.paths, standard=args.standard, sheet=args.sheet)
    if checked.total:
        print(DataError(checked.problems, total=checked.total).report(args.limit), file=sys.stderr)
        print(f"{checked.total} problem(s) in {len(args.paths)} file(s)", file=sys.stderr)
        return EXIT_DATA
    years = ", ".join(str(y) for y in sorted(checked.frame[c.YEAR].unique()))
    print(f"OK: {len(checked.frame)} household records ({years}) in {len(args.paths)} file(s), valid for {args.standard}")
    return EXIT_OK


@command
def _add_classify(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("classify", help="status of every household under a standard", description="One record per household: household_id, year, deprivations, status.")
    p.add_argument("path", nargs="*", metavar="PATH", help="review file(s); default: the bundled synthetic data")
    p.add_argument("--year", type=int, help="review year (default: the latest in the data)")
    p.add_argument("--standard", default=DEFAULT_STANDARD, choices=standard_ids(), help=f"poverty standard (default: {DEFAULT_STANDARD})")
    p.add_argument("--sheet", help="Excel sheet name (default: the first sheet)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(run=_run_classify)


def _run_classify(args: argparse.Namespace) -> int:
    from .classification import classify
    from .selection import select_year

    args.data = args.path or None
    households = select_year(load_for_command(args), args.year)
    result = classify(households, args.standard)[[c.HOUSEHOLD_ID, c.YEAR, c.DEPRIVATIONS, c.STATUS]]
    emit(result.astype({c.STATUS: str}), args.format)
    return EXIT_OK


SUMMARY_LEVELS = ("province", "district", "commune", "ethnicity", "area")


@command
def _add_summary(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("summary", help="poor and near-poor counts and rates by unit", description="Households, poor and near-poor counts and rates (percent of households).")
    add_data_options(p)
    p.add_argument("--by", default="district", help=f"grouping: {', '.join(SUMMARY_LEVELS)} (default: district)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(run=_run_summary)


def _run_summary(args: argparse.Namespace) -> int:
    from .breakdowns import poverty_rates
    from .classification import classify
    from .selection import select_year

    households = select_year(load_for_command(args), args.year)
    table = poverty_rates(classify(households, args.standard), by=None if args.by == "province" else args.by)
    emit(table, args.format)
    return EXIT_OK


@command
def _add_synth(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("synth", help="regenerate the bundled synthetic household data", description="Regenerate data/households.parquet (synthetic, seeded; see data/SYNTHETIC.md).")
    p.add_argument("--seed", type=int, help="random seed (default: the documented one)")
    p.add_argument("--out", type=Path, help="output file (default: data/households.parquet)")
    p.set_defaults(run=_run_synth)


def _run_synth(args: argparse.Namespace) -> int:
    from . import synth
    from .paths import BUNDLED_HOUSEHOLDS

    seed = synth.DEFAULT_SEED if args.seed is None else args.seed
    out = synth.build_bundled(args.out or BUNDLED_HOUSEHOLDS, seed=seed)
    print(f"wrote {out} (synthetic, seed {seed})")
    return EXIT_OK


@command
def _add_render(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="render an executed notebook as an HTML and/or PDF brief", description="Render a notebook you ran by hand (in JupyterLab) in the briefs' style; files are named by the brief's unit.")
    p.add_argument("notebook", type=Path, metavar="NOTEBOOK.ipynb", help="an executed notebook (run all cells and save first)")
    p.add_argument("--formats", default="html,pdf", help="comma-separated: html, pdf (default: html,pdf)")
    p.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: the notebook's folder)")
    p.set_defaults(run=_run_render)


def _run_render(args: argparse.Namespace) -> int:
    from .render import parse_formats, render_notebook

    for path in render_notebook(args.notebook, parse_formats(args.formats), args.out):
        print(path)
    return EXIT_OK
