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
