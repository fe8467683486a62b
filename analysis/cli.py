"""The command line: ``python -m analysis COMMAND …``.

Every command validates its input before it does anything, prints problems without a
traceback, and exits 0 on success, 1 on bad data or a failed step, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DataError, UsageError, printable
from .files import check_output_file, check_output_folder
from .paths import check_project
from .review import columns as c
from .review.standards import DEFAULT_STANDARD, Standard, get_standard, parse_standards, standard_ids
from .spreadsheet import neutralise_frame

if TYPE_CHECKING:  # imported where a command needs it: `summary` on the lean path never does (see _run_summary)
    import pandas as pd

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


# --- shared plumbing -----------------------------------------------------------------


STANDARDS_HELP = (
    f"poverty standard, or several side by side: decree-07-2021,decree-351-2025 (default: {DEFAULT_STANDARD}; "
    f"known: {', '.join(standard_ids())})"
)


def add_data_options(parser: argparse.ArgumentParser, *, year: bool = True, standard: bool = True, several: bool = False) -> None:
    """The options every data command shares: --data, --year, --standard, --sheet
    (``several``: --standard takes a comma-separated list, classified side by side)."""
    parser.add_argument("--data", metavar="PATH", action="append", help="household review file(s) (CSV, .xlsx or Parquet); default: the bundled synthetic Bắc Kạn data")
    parser.add_argument("--sheet", help="Excel sheet name (default: the first sheet)")
    if year:
        parser.add_argument("--year", type=int, help="review year (default: the latest in the data)")
    if standard and several:
        parser.add_argument("--standard", default=DEFAULT_STANDARD, metavar="STANDARD[,STANDARD]", help=STANDARDS_HELP)
    elif standard:
        parser.add_argument("--standard", default=DEFAULT_STANDARD, choices=standard_ids(), help=f"poverty standard (default: {DEFAULT_STANDARD})")


def add_scale_options(parser: argparse.ArgumentParser, *, writes: bool = False) -> None:
    """--province (read only that province's records) and --engine (pandas or columnar)."""
    add_province_option(parser, writes=writes)
    parser.add_argument(
        "--engine", choices=("auto", "pandas", "columnar"), default="auto",
        help="auto (default): the columnar engine (DuckDB) for Parquet folders and Parquet files of 500,000 records or more, pandas otherwise",
    )


def add_province_option(parser: argparse.ArgumentParser, *, writes: bool = False) -> None:
    """--province: one province of a review that holds several (reports, tables and the measures);
    ``writes``: the command's files go to the province's own folder, said in the help."""
    parser.add_argument("--province", metavar="NAME", help="only this province's households (a partitioned Parquet folder opens only its files)"
                        + ("; written into OUT/<year>/<province-slug>/" if writes else ""))


def standards_of(args: argparse.Namespace) -> tuple[Standard, ...]:
    """The standard(s) of --standard, each provisional one noted on stderr."""
    chosen = parse_standards(getattr(args, "standard", DEFAULT_STANDARD))
    for std in chosen:
        if std.provisional:
            note(f"note: {std.provisional_note}")
    return chosen


def side_by_side(tables: Sequence[pd.DataFrame], standards: Sequence[Standard], columns: Sequence[str]) -> pd.DataFrame:
    """One table from one per standard: shared columns once, then ``column:standard`` for each."""
    if len(tables) == 1:
        return tables[0]
    shared = [col for col in tables[0].columns if col not in columns]
    out = tables[0][shared].copy()
    for table, std in zip(tables, standards):
        for col in [col for col in tables[0].columns if col in columns]:
            out[f"{col}:{std.id}"] = table[col].to_numpy()
    return out


def emit(frame: pd.DataFrame, fmt: str, *, round_to: int = 2) -> None:
    """Print a table for people (rounded), CSV, or JSON records (unrounded); key columns no
    output shows (a commune's province, named by its label) are left out."""
    from .measures.levels import shown

    frame = shown(frame)
    if fmt == "json":
        print(json.dumps(records(frame), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        neutralise_frame(frame).to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(frame.to_string(index=False, float_format=f"{{:.{round_to}f}}".format))


def output_folder(text: str) -> Path:
    """An ``--out`` folder checked before any work (argparse type: a bad one is a usage error, exit 2)."""
    try:
        return check_output_folder(Path(text))
    except UsageError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def output_file(text: str) -> Path:
    """An ``--out`` file checked before any work (argparse type)."""
    try:
        return check_output_file(Path(text))
    except UsageError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def count_at_least(low: int) -> Callable[[str], int]:
    """An argparse type: a whole number no smaller than ``low``."""

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, not {printable(text)!r}") from None
        if number < low:
            raise argparse.ArgumentTypeError(f"expected a whole number of at least {low}, not {number}")
        return number

    return parse


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready records: numpy scalars become plain Python numbers, NaN becomes null."""
    return json.loads(frame.to_json(orient="records", force_ascii=False, double_precision=15))


def note(text: str) -> None:
    """A note for people (stderr), so stdout stays machine-readable."""
    print(text, file=sys.stderr)


BY_HELP = (
    "grouping: province, district, commune, former_district, area, ethnicity, ethnic_minority, poor_district, "
    "or a crossing such as poor_district,ethnic_minority"
)

DIVISION_HELP = (
    "administrative division for every year: 'new' re-bases review years before 2025 onto the units of "
    "1 July 2025 through the crosswalk, 'old' puts new-division years back on the old units through "
    "former_commune (default: each year in its own division)"
)


def add_division_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--division", choices=("old", "new"), help=DIVISION_HELP)


def assumption_notes(frame: pd.DataFrame) -> list[str]:
    """What a synthetic file's figures assume (from its metadata), one line per statement."""
    stated = str(frame.attrs.get("assumes") or "")
    return [f"ASSUMPTION: {line}" for line in stated.splitlines() if line]


def geography_asked(args: argparse.Namespace) -> bool:
    """Whether the command asks for another division or former districts (the pandas engine's work)."""
    return bool(getattr(args, "division", None)) or "former_district" in str(getattr(args, "by", None) or "")


def on_division(args: argparse.Namespace, frame: pd.DataFrame, by: str | list[str] | None, year: int | None = None, *, panel: bool = False) -> pd.DataFrame:
    """The households on the geography ``--division`` asks for, ready to group ``by``.

    Units that are not exact on that geography (a split commune's households not placed,
    households of a straddling unit without a former district) are left out of unit figures
    and named on stderr; province and group totals keep every household. With ``year``, the
    households of that year only (the whole panel is re-based first: a split commune's
    households are placed by their later reviews); with ``panel``, every year.
    """
    from .measures.groups import FORMER_DISTRICT
    from .measures.levels import parse_by, require_districts
    from .measures.predecessors import NEW_DIVISION_FROM_YEAR
    from .measures.rebase import EXACT_UNIT, rebase
    from .review.selection import resolve_year

    levels = parse_by(by)
    division = getattr(args, "division", None)
    chosen = None if panel or "year" in levels else resolve_year(frame, year)
    if "district" in levels and division == "new":
        raise UsageError("the new division is made without districts (since 1 July 2025): use --by commune or --by former_district")
    if "district" in levels and division is None and not panel:
        named = frame[frame[c.DISTRICT].fillna("").astype(str) != ""] if c.DISTRICT in frame else frame.iloc[0:0]
        years = [chosen] if chosen is not None else sorted({int(y) for y in frame[c.YEAR]})
        require_districts(levels, years, sorted({int(y) for y in named[c.YEAR]}), division_option=True)
    if division is None and "former_district" not in levels and (frame[c.YEAR] < NEW_DIVISION_FROM_YEAR).all():
        households = frame
    else:
        rebased = rebase(frame, division)
        households = rebased.households
        touched = chosen is None or set(rebased.inexact["year"]) & {chosen}
        if {"commune", "district"} & set(levels):
            households = households[households[EXACT_UNIT]]
            for line in rebased.notes() if touched else []:
                note(f"note: {line}")
        if "former_district" in levels:
            unplaced = rebased.unplaced if chosen is None else rebased.unplaced[rebased.unplaced["year"] == chosen]
            for r in unplaced.to_dict("records"):
                note(f"note: {r['year']}: {r['households']} household(s) of {r[c.COMMUNE]} cannot be placed in a former district "
                     f"({r['former_districts']}): {r['reason']}; left out (household_id {r['household_ids']}"
                     f"{', …' if r['households'] > 10 else ''})")
            households = households[households[FORMER_DISTRICT].notna()]
    if chosen is not None:
        households = households[households[c.YEAR] == chosen]
    return households


def _columnar_by(text: str | None) -> str | list[str] | None:
    """``--by`` for the columnar engine: 'province' stays a level (a national set has 34)."""
    if text is None:
        return None
    levels = [level.strip() for level in text.split(",") if level.strip()]
    return levels[0] if len(levels) == 1 else levels


def _columnar_table(table: pd.DataFrame, text: str | None) -> pd.DataFrame:
    """The columnar table in the pandas path's shape: no key column for a single level already named by ``unit``."""
    by = _columnar_by(text)
    return table.drop(columns=[by], errors="ignore") if by == "province" else table


def _by_arg(text: str | None) -> str | list[str] | None:
    """``--by`` text as a level, a crossing list, or None for the province."""
    if text is None or text.strip() == "province":
        return None
    levels = [level.strip() for level in text.split(",") if level.strip()]
    return levels[0] if len(levels) == 1 else levels


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
        check_project()
        return int(args.run(args) or EXIT_OK)
    except DataError as err:
        print(printable(err.report(), keep_newlines=True), file=sys.stderr)
        return EXIT_DATA
    except UsageError as err:
        print(f"{parser.prog} {args.command}: error: {printable(str(err), keep_newlines=True)}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except OSError as err:  # a disk that fills up, a folder removed mid-run: said, not a traceback
        where = f": {printable(str(err.filename))}" if err.filename else ""
        print(f"{parser.prog} {args.command}: error: {err.strerror or type(err).__name__}{where}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        return 130


def load_for_command(args: argparse.Namespace) -> pd.DataFrame:
    """Validated households named by --data (the bundled data by default), with a provenance note."""
    from .review.loading import load_households

    first = parse_standards(getattr(args, "standard", DEFAULT_STANDARD))[0]  # the others' indicators: checked when classifying
    frame = load_households(args.data, standard=first, sheet=args.sheet)
    for line in _provenance_notes(frame):
        note(line)
    if getattr(args, "province", None):
        frame = _one_province(frame, args.province)
    return frame


def _provenance_notes(frame: pd.DataFrame, *, synthetic: bool = True) -> list[str]:
    """What loaded households' provenance tells their reader (``synthetic``: the synthetic note too)."""
    lines = [c.SYNTHETIC_NOTE] if synthetic and frame.attrs.get("synthetic") else []
    if frame.attrs.get("covers"):
        lines.append(f"note: the data cover only {frame.attrs['covers']}")
    return lines + [f"note: {line}" for line in assumption_notes(frame)]


def _one_province(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    from .measures.columnar.engine import canonical_province

    canonical = canonical_province(name)
    chosen = frame[frame[c.PROVINCE] == canonical]
    if chosen.empty:
        raise UsageError(f"no households of {canonical} in the data")
    chosen.attrs.update(frame.attrs)
    return chosen


def columnar_for_command(args: argparse.Namespace, paths: Sequence[str | Path] | None = None) -> Any:
    """The columnar review (analysis.measures.columnar) when --engine and the input call for it, else None."""
    from .measures.columnar.choice import columnar_for
    from .paths import BUNDLED_HOUSEHOLDS

    given = paths if paths is not None else (args.data or [BUNDLED_HOUSEHOLDS])
    review = columnar_for(given, getattr(args, "engine", "auto"), getattr(args, "standard", DEFAULT_STANDARD), getattr(args, "province", None))
    if review is not None and review.attrs.get("synthetic"):
        note(c.SYNTHETIC_NOTE)
    return review


@command
def _add_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check review files against the data contract", description="Check household review files; exit 0 when valid, 1 when not.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="CSV, .xlsx or Parquet files (checked together as one review)")
    p.add_argument("--standard", default=DEFAULT_STANDARD, choices=standard_ids(), help="standard whose indicators are required")
    p.add_argument("--sheet", help="Excel sheet name (default: the first sheet)")
    p.add_argument("--limit", type=count_at_least(0), default=50, help="most problems to list (default 50)")
    add_scale_options(p)
    p.set_defaults(run=_run_validate)


def _run_validate(args: argparse.Namespace) -> int:
    from .measures.columnar.checks import validate
    from .review.loading import check_files

    review = columnar_for_command(args, args.paths)
    if review is not None:
        found = validate(review.source, review.std, review.units)
        files = len(review.source.files)
        if found.total:
            print(printable(DataError(found.problems, total=found.total).report(args.limit), keep_newlines=True), file=sys.stderr)
            print(f"{found.total} problem(s) in {files} file(s)", file=sys.stderr)
            return EXIT_DATA
        years = ", ".join(str(y) for y in found.years)
        print(f"OK: {found.rows} household records ({years}) in {files} file(s), valid for {args.standard}")
        return EXIT_OK
    checked = check_files(args.paths, standard=args.standard, sheet=args.sheet)
    if get_standard(args.standard).provisional:
        note(f"note: {get_standard(args.standard).provisional_note}")
    if checked.total:
        print(printable(DataError(checked.problems, total=checked.total).report(args.limit), keep_newlines=True), file=sys.stderr)
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
    p.add_argument("--standard", default=DEFAULT_STANDARD, metavar="STANDARD[,STANDARD]", help=STANDARDS_HELP)
    p.add_argument("--sheet", help="Excel sheet name (default: the first sheet)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    add_scale_options(p)
    p.set_defaults(run=_run_classify)


def _run_classify(args: argparse.Namespace) -> int:
    from .measures.classification import classify
    from .review.selection import select_year

    args.data = args.path or None
    standards = standards_of(args)
    review = columnar_for_command(args) if len(standards) == 1 else None
    if review is not None:
        _stream_records(review.classify_batches(args.year), args.format)
        return EXIT_OK
    households = select_year(load_for_command(args), args.year)
    results = [
        classify(households, std)[[c.HOUSEHOLD_ID, c.YEAR, c.DEPRIVATIONS, c.STATUS]].astype({c.STATUS: str})
        for std in standards
    ]
    emit(side_by_side(results, standards, [c.DEPRIVATIONS, c.STATUS]), args.format)
    return EXIT_OK


@command
def _add_summary(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("summary", help="poor and near-poor counts and rates by unit", description="Households, poor and near-poor counts and rates (percent of households); under several standards side by side with --standard A,B.")
    add_data_options(p, several=True)
    p.add_argument("--by", help=BY_HELP + " (default: district, or commune for a year on the new division)")
    add_division_option(p)
    p.add_argument("--persons", action="store_true",
                   help="add rates by people beside the household rates: persons, poor_persons, poor_persons_rate (percent of "
                        "people), poor_persons_gap_pp (minus the household rate), the same for near_poor and poor_or_near_poor")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    add_scale_options(p)
    p.set_defaults(run=_run_summary)


def _stream_records(batches: Any, fmt: str) -> None:
    """Household rows a batch at a time, printed as ``emit`` prints one table (CSV or JSON records)."""
    first = True
    for batch in batches:
        if fmt == "csv":
            neutralise_frame(batch).to_csv(sys.stdout, index=False, header=first, lineterminator="\n")
        else:
            for rec in records(batch):
                body = json.dumps(rec, ensure_ascii=False, indent=2).replace("\n", "\n  ")
                sys.stdout.write(("[\n  " if first else ",\n  ") + body)
                first = False
            continue
        first = False
    if fmt == "json":
        sys.stdout.write("[]\n" if first else "\n]\n")


def _run_summary(args: argparse.Namespace) -> int:
    standards = standards_of(args)
    if len(standards) == 1 and not geography_asked(args) and not args.persons:
        from .measures.columnar.lean import lean_summary

        done = lean_summary(args)  # a large Parquet review without pandas; None: the engines below answer
        if done is not None:
            return done
    from .measures.breakdowns import MEASURES, poverty_rates
    from .measures.classification import classify
    from .measures.predecessors import division_of_year
    from .review.selection import resolve_year

    by = _by_arg(args.by or "district")
    review = columnar_for_command(args) if len(standards) == 1 and not geography_asked(args) and not args.persons else None
    if review is not None:
        by = _columnar_by(args.by)
        if args.by is None:  # the documented default, as below: district, or commune for a year on the new division
            by = "commune" if (args.division or division_of_year(review.resolve_year(args.year))) == "new" else "district"
        table = review.poverty_rates(by, year=args.year)
        if isinstance(by, str):
            table = table.drop(columns=[by], errors="ignore")
        emit(table, args.format)
        return EXIT_OK
    frame = load_for_command(args)
    if args.by is None:
        new = (args.division or division_of_year(resolve_year(frame, args.year))) == "new"
        by = "commune" if new else "district"
    households = on_division(args, frame, by, args.year)
    if by is None and args.by is not None and households[c.PROVINCE].nunique() > 1:
        by = "province"  # a review of several provinces: a row each (in code order), not one total under one province's name
    tables = [poverty_rates(classify(households, std), by=by) for std in standards]
    measured = [col for m in MEASURES for col in (m, f"{m}_rate")]
    if args.persons:
        from .measures.persons import PERSON_COLUMNS, with_person_rates

        tables = [with_person_rates(t, poverty_rates(classify(households, std), by=by, weight="persons")) for t, std in zip(tables, standards)]
        measured += [col for col in PERSON_COLUMNS if col != "persons"]
    table = side_by_side(tables, standards, measured)
    if isinstance(by, str):
        table = table.drop(columns=[by], errors="ignore")  # the unit column already names it
    emit(table, args.format)
    return EXIT_OK


@command
def _add_synth(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "synth",
        help="regenerate the bundled synthetic data, or generate a synthetic national set (--scale)",
        description=(
            "Regenerate data/households.parquet (2021–2024) and data/households_2025.parquet (the end-2025 review on the new "
            "division, continuing it); synthetic, seeded; see data/SYNTHETIC.md. With --scale: a SYNTHETIC national review on "
            "the new division (34 provinces, 3,321 communes, about 26.9M households at scale 1), written as Parquet partitioned "
            "by province (province_code=NN/), never into data/."
        ),
    )
    p.add_argument("--seed", type=int, help="random seed of the 2021–2024 panel or of the national set (default: the documented one)")
    p.add_argument("--out", type=Path, help="output file of the panel (default: data/households.parquet) or, with --scale, folder (default: national/ or national-SCALE/)")
    p.add_argument("--out-2025", type=output_file, help="output file of the end-2025 review (default: data/households_2025.parquet; with --out, beside it: NAME_2025.parquet)")
    p.add_argument("--only", choices=("panel", "2025"), help="regenerate only one of the two files (2025: from the panel at --out)")
    p.add_argument("--scale", metavar="national|FLOAT", help="a national set: 'national' (about 26.9M households) or a fraction such as 0.1")
    p.add_argument("--year", type=int, help="review year of the national set (default: 2025, the first on the new division)")
    p.set_defaults(run=_run_synth)


def _run_synth(args: argparse.Namespace) -> int:
    from .paths import BUNDLED_HOUSEHOLDS
    from .synth import panel as synth
    from .synth import review_2025

    if args.scale is not None:
        from .synth import national

        scale = national.parse_scale(args.scale)
        seed = national.DEFAULT_SEED if args.seed is None else args.seed
        year = national.DEFAULT_YEAR if args.year is None else args.year
        out = check_output_folder(args.out or national.default_out(scale))
        from .paths import DATA_DIR

        if DATA_DIR.resolve() in [out.resolve(), *out.resolve().parents]:
            raise UsageError(f"{out}: a national set is never written into data/ (it is generated, not committed); choose another --out")
        done = national.write_national(out, scale=scale, seed=seed, year=year, progress=note)
        print(
            f"wrote {done['out']}/ (SYNTHETIC, seed {seed}, scale {scale:g}, year {year}): {done['households']:,} households in "
            f"{done['provinces']} provinces and {done['communes']:,} communes; poor {done['poor_rate']:.2f}%, near-poor {done['near_poor_rate']:.2f}%"
        )
        return EXIT_OK
    if args.year is not None:
        raise UsageError("--year is for a national set (--scale); the bundled data keep their own years")
    seed = synth.DEFAULT_SEED if args.seed is None else args.seed
    panel_path = check_output_file(args.out) if args.out else BUNDLED_HOUSEHOLDS
    if args.only != "2025":
        out = synth.build_bundled(panel_path, seed=seed)
        print(f"wrote {out} (synthetic, seed {seed})")
    if args.only != "panel":
        default = review_2025.BUNDLED_2025 if args.out is None else args.out.with_name(f"{args.out.stem}_2025.parquet")
        out = review_2025.build_review_2025(panel_path, args.out_2025 or default)
        print(
            f"wrote {out} (synthetic end-2025 review on the new division, seed {review_2025.DEFAULT_SEED_2025}; "
            f"assumes a {review_2025.ASSUMED_POOR_FALL_PP} pp fall of the poor rate: no end-2025 figure is published)"
        )
    return EXIT_OK


@command
def _add_render(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="render an executed notebook as an HTML and/or PDF brief", description="Render a notebook you ran by hand (in JupyterLab) in the briefs' style; files are named by the brief's unit.")
    p.add_argument("notebook", type=Path, metavar="NOTEBOOK.ipynb", help="an executed notebook (run all cells and save first)")
    p.add_argument("--formats", default="html,pdf", help="comma-separated: html, pdf (default: html,pdf)")
    p.add_argument("--out", type=output_folder, metavar="DIR", help="output folder (default: the notebook's folder)")
    p.set_defaults(run=_run_render)


def _run_render(args: argparse.Namespace) -> int:
    from .briefs.render import parse_formats, render_notebook

    for path in render_notebook(args.notebook, parse_formats(args.formats), args.out):
        print(path)
    return EXIT_OK


# --- measures: flows, deprivation profile, Alkire-Foster, targets -----------------------

def _classified_panel(args: argparse.Namespace) -> pd.DataFrame:
    """Every year of the data, classified under --standard."""
    from .measures.classification import classify

    frame = load_for_command(args)
    return classify(frame, args.standard)


@command
def _add_flows(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "flows",
        help="households that exited poverty, newly poor, fallen back (counts)",
        description=(
            "Households followed by household_id from the previous review: exited poverty (thoát nghèo), "
            "newly poor (phát sinh mới), fallen back (tái nghèo), the same for near-poor, and new or departed "
            "households counted apart. Counts are households; definitions in analysis/measures/flows.py."
        ),
    )
    add_data_options(p)
    p.add_argument("--by", help=BY_HELP + " (default: province)")
    add_division_option(p)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    add_scale_options(p)
    p.set_defaults(run=_run_flows)


def _run_flows(args: argparse.Namespace) -> int:
    from .measures.flows import poverty_flows
    from .review.selection import resolve_year

    review = columnar_for_command(args) if not geography_asked(args) else None
    if review is not None:
        emit(_columnar_table(review.poverty_flows(args.year, _columnar_by(args.by)), args.by), args.format)
        return EXIT_OK
    panel = _classified_panel(args)
    year = resolve_year(panel, args.year)
    by = _by_arg(args.by)
    if by is not None or args.division:
        on_division(args, panel, by, year)  # checks, and notes for the year shown
        panel = on_division(args, panel, by, panel=True)
    table = poverty_flows(panel, year, by)
    emit(table, args.format)
    return EXIT_OK


@command
def _add_profile(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "profile",
        help="share of households and of poor households deprived in each indicator (percent)",
        description="Deprivation profile: per indicator (or dimension), percent of all households and of poor households deprived.",
    )
    add_data_options(p)
    p.add_argument("--by", help=BY_HELP + " (default: province)")
    p.add_argument("--dimensions", action="store_true", help="by dimension (deprived in any of its indicators) instead of by indicator")
    add_division_option(p)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    add_scale_options(p)
    p.set_defaults(run=_run_profile)


def _run_profile(args: argparse.Namespace) -> int:
    from .measures.classification import classify
    from .measures.profile import deprivation_profile, dimension_profile

    review = columnar_for_command(args) if not geography_asked(args) else None
    if review is not None:
        columnar = review.dimension_profile if args.dimensions else review.deprivation_profile
        emit(_columnar_table(columnar(_columnar_by(args.by), year=args.year), args.by), args.format, round_to=1)
        return EXIT_OK
    households = classify(on_division(args, load_for_command(args), _by_arg(args.by), args.year), args.standard)
    measure = dimension_profile if args.dimensions else deprivation_profile
    emit(measure(households, args.standard, _by_arg(args.by)), args.format, round_to=1)
    return EXIT_OK


@command
def _add_mpi(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "mpi",
        help="Alkire-Foster measures H, A, M0 with indicator contributions",
        description=(
            "Alkire-Foster measures with the standard's equal nested weights; a household is poor by k when its "
            "weighted deprivation score is at least k (income plays no part). JSON: unit, H, A, M0 (fractions) "
            "and indicators {name: {uncensored, censored (fractions), contribution_pct (percent)}}."
        ),
    )
    add_data_options(p)
    p.add_argument("--k", help="cut-off: a fraction (0.25 or 3/12) or a number of indicators (3); default: the standard's 3 indicators")
    p.add_argument("--by", help=BY_HELP + " (default: province)")
    p.add_argument("--weight", choices=("households", "persons"), default="households", help="count households (default) or persons (members)")
    add_division_option(p)
    p.add_argument("--format", choices=("json", "table", "csv"), default="json", help="json (default), table, or csv (one row per unit and indicator)")
    add_scale_options(p)
    p.set_defaults(run=_run_mpi)


def _run_mpi(args: argparse.Namespace) -> int:
    from .measures.mpi import af_dimensions, af_indicators, af_measures, default_k, parse_k
    from .measures.mpi import dimensions_from_indicators as af_dimensions_of

    k = default_k(args.standard) if args.k is None else parse_k(args.k, args.standard)
    by = _by_arg(args.by)
    review = columnar_for_command(args) if not geography_asked(args) else None
    if review is not None:
        measures = review.af_measures(k, _columnar_by(args.by), year=args.year, weight=args.weight)
        indicators = review.af_indicators(k, _columnar_by(args.by), year=args.year, weight=args.weight)
        dimensions = lambda: af_dimensions_of(indicators)  # noqa: E731
    else:
        households = on_division(args, load_for_command(args), by, args.year)
        measures = af_measures(households, args.standard, k, by, weight=args.weight)
        indicators = af_indicators(households, args.standard, k, by, weight=args.weight)
        dimensions = lambda: af_dimensions(households, args.standard, k, by, weight=args.weight)  # noqa: E731
    # Each unit's rows found by its keys (a label can repeat: a unit per year), in the measures' order.
    ids = [col for col in measures.columns if col in indicators.columns and col != "k"]
    row = "_unit_row"
    numbered = measures[ids].assign(**{row: range(len(measures))})
    detailed = indicators.merge(numbered, on=ids, how="left", sort=False)
    if args.format == "json":
        out = []
        by_row = dict(iter(detailed.groupby(row, sort=False)))
        for n, rec in enumerate(records(measures)):
            detail = records(by_row[n][["indicator", "uncensored", "censored", "contribution_pct"]]) if n in by_row else []
            ind = {d.pop("indicator"): d for d in detail}
            out.append({"unit": rec["unit"], "H": rec["H"], "A": rec["A"], "M0": rec["M0"], "indicators": ind})
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    if args.format == "csv":
        detail = detailed[[row, "indicator", "uncensored", "censored", "contribution_pct"]]
        joined = measures[["unit", "H", "A", "M0"]].assign(**{row: range(len(measures))}).merge(detail, on=row, how="left", sort=False)
        emit(joined.drop(columns=[row]), "csv")
        return EXIT_OK
    note(f"k = {k:.4g} of the weights; H, A, M0 are fractions; contributions (%) by dimension")
    dims = dimensions().merge(numbered, on=ids, how="left", sort=False)
    wide = dims.pivot_table(index=row, columns="dimension", values="contribution_pct", sort=False)
    table = measures[["unit", "households", "H", "A", "M0"]].assign(**{row: range(len(measures))})
    table = table.merge(wide.add_suffix(" %").reset_index(), on=row, how="left").drop(columns=[row])
    rounding = {"H": 3, "A": 3, "M0": 3} | {col: 1 for col in table.columns if col.endswith(" %")}
    print(table.round(rounding).to_string(index=False))
    return EXIT_OK


@command
def _add_targets(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "targets",
        help="annual falls of the poor-household rate against targets, and projections",
        description=(
            "Verdicts (exceeded / met / not_met / unattainable) on annual falls of the poor-household rate (pp) against "
            "data/targets.csv, and per scope the average fall to the latest year, projections to the end year and "
            "the pace still required. Default history: the household data plus the published province series."
        ),
    )
    p.add_argument("--history", metavar="PATH", help="CSV of scope, year, poor_rate[, households, poor] (replaces the default history)")
    p.add_argument("--targets", metavar="PATH", help="targets CSV (default: data/targets.csv)")
    add_data_options(p, year=False)
    p.add_argument("--baseline", choices=("programme", "review"), default="programme", help="2021 point of the published province series: the programme baseline (default, as the province reports progress) or the end-2021 review, both in data/published.csv")
    p.add_argument("--households", type=int, help="households assumed for every scope in households_to_exit_per_year (default: each scope's latest count)")
    p.add_argument("--division", choices=("old", "new"), help="history by district (default; new-division years by former district) or, with 'new', by new commune re-based from 2021")
    p.add_argument("--format", choices=("json", "table", "csv"), default="json", help="json (default), table, or csv (annual rows then period rows, told apart by the 'table' column)")
    p.add_argument("--threshold", type=threshold_arg, default=DEFAULT_THRESHOLD, metavar="N",
                   help=THRESHOLD_HELP.format(default=DEFAULT_THRESHOLD) + "; a scope's rates, falls and verdicts are hidden as in the summary workbook's targets sheet")
    p.set_defaults(run=_run_targets)


def _run_targets(args: argparse.Namespace) -> int:
    from .measures.commune_targets import history_and_targets
    from .measures.targets import (
        PROVINCE_COLUMN,
        SOURCE_NOT_GIVEN,
        UNITS,
        annual_verdicts,
        load_history,
        load_targets,
        period_assessment,
        published_history,
        targets_for,
    )
    from .paths import TARGETS_PATH
    from .review.units import provinces_of
    from .words import status_label

    targets = load_targets(args.targets or TARGETS_PATH)
    notes: list[str] = []
    if args.history:
        history = load_history(args.history)
    else:
        households = _classified_panel(args)
        provinces = provinces_of(households)
        kept = targets_for(targets, provinces)
        if len(kept) < len(targets):
            others = sorted(set(targets[PROVINCE_COLUMN]) - set(kept[PROVINCE_COLUMN]))
            notes.append(f"targets of {', '.join(others)} in {args.targets or 'data/targets.csv'} do not apply to "
                         f"{', '.join(sorted(provinces))}; add rows with its province (column '{PROVINCE_COLUMN}') or pass --targets")
        targets = kept
        # on the new division the communes are held to the targets their briefs hold them to (assumed, and said so)
        own, targets = history_and_targets(households, targets, args.division)
        published = published_history(args.baseline, provinces=provinces)
        import pandas as pd

        history = pd.concat([own, published], ignore_index=True)
        if households.attrs.get("synthetic"):
            local = "communes" if args.division == "new" else "districts"
            notes.append(f"household-data scopes (province, {local}, poor districts, ethnic minority households) are SYNTHETIC")
        notes += assumption_notes(households)
        notes += list(own.attrs.get("notes", []))
        if not published.empty:
            first = int(published["year"].min())
            base = float(published.loc[published["year"] == first, "poor_rate"].iloc[0])
            notes.append(f"'province (published)' is the published Decree-07 series with the {args.baseline} "
                         f"{first} baseline ({base:.2f}%, data/published.csv)")
    notes[:0] = [f"{scope}: target {SOURCE_NOT_GIVEN['source']}" for scope in targets.loc[targets["source"] == SOURCE_NOT_GIVEN["source"], "scope"]]
    annual = annual_verdicts(history, targets)
    period = period_assessment(history, targets, households=args.households)
    annual, period, hidden_note = _targets_disclosed(args, history, annual, period, None if args.history else households)
    if hidden_note:
        notes.append(hidden_note)
    notes += [f"{r.scope!s} {r.year!s}: {r.note!s}" for r in annual.itertuples() if r.note and r.note != "no target for this scope"]
    notes += [f"{r.scope!s}: {r.note!s}" for r in period.itertuples() if r.note]
    notes += [f"{r.scope}: {r.households_assumption}" for r in period.itertuples() if isinstance(r.households_assumption, str)]
    assumed = annual[annual["assumed_from"] != ""].drop_duplicates("scope")
    notes += [f"{r.scope!s}: target of {r.assumed_from!s} ({(r.target_note or 'assumed')!s})" for r in assumed.itertuples()]
    origin = ["assumed_from", "target_note"]  # where each scope's target comes from (after the keys of old)
    annual_keys = ["scope", "year", "poor_rate", "reduction_pp", "status", *origin]
    period_keys = [
        "scope", "baseline_year", "latest_year", "average_reduction_pp", "status", "projected_rate_low",
        "projected_rate_high", "projected_rate_observed", "required_reduction_pp", "households_to_exit_per_year", *origin,
    ]
    if args.format == "json":
        units = {k: v for k, v in UNITS.items() if k in annual_keys + period_keys}
        out = {"annual": records(annual[annual_keys]), "period": records(period[period_keys]), "units": units, "notes": notes}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    if args.format == "csv":
        import pandas as pd

        both = pd.concat([annual[annual_keys].assign(table="annual"), period[period_keys].assign(table="period")], ignore_index=True)
        for col in ("year", "baseline_year", "latest_year"):  # a year is 2021, not the 2021.0 of a column with blanks
            both[col] = both[col].astype("Int64")
        emit(both[["table"] + [k for k in dict.fromkeys(annual_keys + period_keys)]], "csv")
        for line in notes:
            note(f"note: {line}")
        return EXIT_OK
    headers = {k: f"{k} ({'%' if v.startswith('%') else 'pp/yr' if v.startswith('pp') else 'hh/yr' if 'a year' in v else v})" for k, v in UNITS.items()}
    # The tables name the target's origin (assumed_from); why is in the notes, one line per scope.
    annual_shown, period_shown = annual_keys[:-1], period_keys[:-1]
    shown = annual[annual_shown].assign(status=annual["status"].fillna(""), verdict=annual["status"].map(lambda s: status_label(s, "vi", empty="")))
    print("Annual falls of the poor-household rate")
    emit(shown.rename(columns=headers), "table")
    print("\nPeriod: baseline to latest year, projections to the end year")
    shown = period[period_shown[:4] + ["target_low_pp", "target_high_pp"] + period_shown[4:]].assign(verdict=period["status"].map(lambda s: status_label(s, "vi", empty="")))
    emit(shown.rename(columns=headers), "table")
    if notes:
        print("\nNotes:\n" + "\n".join(f"- {n}" for n in notes))
    return EXIT_OK


def _targets_disclosed(
    args: argparse.Namespace, history: pd.DataFrame, annual: pd.DataFrame, period: pd.DataFrame, households: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The targets tables with what the disclosure control hides set to None (the rule of the
    workbook's targets sheet, :mod:`analysis.tables.targets`), and a note saying so. From the
    household data: the protections of the latest year's release; from ``--history``: each
    scope's own counts, where the file has them."""
    from .tables.targets import hide_targets, targets_hiding

    protection, chain, rows = None, None, None
    if households is not None and not households.empty:
        from .tables.workbook import year_release

        rel, _ = year_release(households, int(households[c.YEAR].max()), args.standard, args.threshold,
                              division="new" if args.division == "new" else None)
        protection, chain, rows = rel.protection, rel.protections(), rel.rows()
    hiding = targets_hiding(annual, protection, chain, rows=rows or {}, history=history, threshold=args.threshold)
    if not hiding.any():
        return annual, period, ""
    annual, period = hide_targets(annual, period, hiding)
    return annual, period, (f"disclosure control: rates, falls, verdicts and period figures of scopes with fewer than {args.threshold} "
                            "households in a cell (or their complementary cells) are hidden (null), as in the summary workbook")


DEFAULT_THRESHOLD = 10  # the documented default of analysis.measures.disclosure (checked by a test)
THRESHOLD_HELP = "disclosure threshold: counts of fewer households are hidden, with complementary cells (default: {default})"


def threshold_arg(text: str) -> int:
    """``--threshold`` as a whole number of households, at least 1 (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of households, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 household (1 hides nothing), not {value}")
    return value


@command
def _add_tables(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tables",
        help="the review's summary tables as an Excel workbook (or CSV files)",
        description=(
            "Write OUT/<year>/bang-tong-hop-<year>.xlsx (with --province: OUT/<year>/<province-slug>/, the folder of that province's briefs): sheets Tổng hợp, Diễn biến hộ nghèo, Diễn biến hộ cận nghèo, "
            "Thiếu hụt hộ nghèo, Thiếu hụt hộ cận nghèo, Dân tộc, Mục tiêu, Ghi chú; rows are the units of --level with "
            "their district subtotals and the province total. Small cells are hidden by the briefs' disclosure rule. "
            "A folder holding another province's briefs or summary tables is refused (use --province or another --out)."
        ),
    )
    add_data_options(p)
    p.add_argument("--division", choices=("old", "new"), help="administrative division of the rows: 'new' puts a year before 2025 on the new communes "
                   "(re-based through the crosswalk); default: the year's own division (from 2025: the new communes, no districts)")
    p.add_argument("--level", choices=("district", "commune"), default="commune", help="rows: districts, or communes under their district subtotals (default: commune)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the sheets (default: vi)")
    p.add_argument("--out", type=output_folder, default="reports", help="output folder (default: reports/)")
    p.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", help="xlsx (default) or csv (one file per sheet)")
    p.add_argument("--threshold", type=threshold_arg, default=DEFAULT_THRESHOLD, help=THRESHOLD_HELP.format(default=DEFAULT_THRESHOLD))
    p.add_argument("--targets", metavar="PATH", help="targets table (default: data/targets.csv)")
    add_scale_options(p, writes=True)
    p.set_defaults(run=_run_tables)


def _run_tables(args: argparse.Namespace) -> int:
    from .briefs.batch.folder import check_province
    from .measures.classification import classify
    from .review.selection import resolve_year
    from .tables.folder import province_of_year, year_folder
    from .tables.workbook import write_tables

    review = columnar_for_command(args)
    if review is None:
        panel = _classified_panel(args)
    else:  # a large review: validated in bounded memory, then only one province's records are read
        provinces = sorted({str(p) for p in review.validated.distinct["_" + c.PROVINCE].dropna()}) if review.province is None else [review.province]
        if len(provinces) > 1:
            raise UsageError(f"the data hold {len(provinces)} provinces and the tables are one province's: choose one with --province (such as {provinces[0]!r})")
        households = review.households()
        for line in _provenance_notes(households, synthetic=False):
            note(line)
        panel = classify(households, args.standard)
    year = resolve_year(panel, args.year)
    # A province's workbook never replaces the one beside another province's briefs.
    check_province(year_folder(args.out, year, args.province), province_of_year(panel, year), out=Path(args.out), year=year, what="tables")
    for path in write_tables(panel, args.out, year, args.standard, level=args.level, lang=args.lang, fmt=args.format,
                             threshold=args.threshold, division=args.division, targets_path=args.targets, province=args.province):
        print(path)
    return EXIT_OK


@command
def _add_reports(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "reports",
        help="build every district brief (every commune brief for a year on the new division) and the province overview (HTML, PDF) with an index",
        description=(
            "Run the district (or, for a year on the new division, commune) and province notebooks with papermill, in parallel, and render each as "
            "HTML and PDF into OUT/<year>/ (with --province: OUT/<year>/<province-slug>/) with an index.html; executed notebooks go to "
            "OUT/<year>/notebooks/. A year folder holding another province's briefs is refused before anything is written "
            "(use --province or another --out). "
            "Exit 0 when every brief was built, 1 on bad data or when any brief failed."
        ),
    )
    add_data_options(p)
    p.add_argument("--district", nargs="+", action="extend", metavar="NAME", help="build only these districts (default: every district and the province overview)")
    p.add_argument("--division", choices=("old", "new"), help="'new': brief every commune of the new division, any year re-based onto the new units; 'old': districts only (from 2025 the former districts); default: each year in its own division")
    p.add_argument("--commune", nargs="+", action="extend", metavar="NAME", help="for a year on the new division: build only these new communes and the province overview (default: every commune, every former district and the overview)")
    add_province_option(p, writes=True)  # data of several provinces: the briefs of this one (required then)
    p.add_argument("--formats", default="html,pdf", help="comma-separated output formats: html, pdf (default: html,pdf)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the briefs (default: vi)")
    p.add_argument("--jobs", type=int, help="briefs built in parallel (default: the number of cores)")
    p.add_argument("--out", type=output_folder, default="reports", help="output folder (default: reports/)")
    p.add_argument("--targets", metavar="PATH", help="targets table (default: data/targets.csv)")
    p.add_argument("--threshold", type=threshold_arg, default=DEFAULT_THRESHOLD, help=THRESHOLD_HELP.format(default=DEFAULT_THRESHOLD) + "; the same protection in the briefs, the index and the Excel files")
    p.add_argument("--kernel-timeout", type=float, default=120.0, metavar="SECONDS",
                   help="seconds a notebook kernel may take to start and answer before it is retried (default: 120; raise it on a very busy machine)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="build on a Dask cluster: tcp://HOST:PORT of a running 'dask scheduler', or local:N to start N local worker processes (default: this machine's process pool)")
    p.add_argument("--collect", action="store_true",
                   help="with --scheduler: workers send the briefs back and they are written here (default: workers write into --out, which they must all see at the same path)")
    p.set_defaults(run=_run_reports)


def _run_reports(args: argparse.Namespace) -> int:
    from .briefs.batch import run_command

    return run_command(args)
