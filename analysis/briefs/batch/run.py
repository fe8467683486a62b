"""A whole batch: check the request, load the data once, plan, build in the pool, write the index."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import UsageError
from ...review.standards import DEFAULT_STANDARD, get_standard
from .. import brief as br
from .. import inputs as bi
from .. import narrative as nv
from .index import index_html
from .outcome import BatchResult, Outcome
from .plan import Settings, default_jobs, default_notebooks, plan_units
from .pool import Pool


@dataclass(frozen=True)
class BatchRequest:
    """What to build (the ``reports`` command's options)."""

    data: tuple[str, ...] | None = None
    year: int | None = None
    districts: tuple[str, ...] | None = None
    formats: tuple[str, ...] = ("html", "pdf")
    lang: str = "vi"
    jobs: int | None = None
    out: Path = Path("reports")
    standard: str = DEFAULT_STANDARD
    targets: str | None = None
    sheet: str | None = None
    notebooks: Mapping[str, Path] = field(default_factory=default_notebooks)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def check_request(request: BatchRequest) -> tuple[str, ...]:
    """Usage errors found without reading any data; the formats to build."""
    from .. import render

    formats = render.parse_formats(request.formats)
    if request.lang not in nv.LANGS:
        raise UsageError(f"unknown language {request.lang!r}; choose one of: {', '.join(nv.LANGS)}")
    if request.jobs is not None and request.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {request.jobs}")
    for kind, path in request.notebooks.items():
        if not Path(path).is_file():
            raise UsageError(f"{kind} notebook not found: {path}")
    get_standard(request.standard)
    return formats


def run_batch(request: BatchRequest, *, log: Callable[[str], None] = _say) -> BatchResult:
    """Build the briefs; raises DataError / UsageError before anything is written."""
    from .. import render

    started = time.perf_counter()
    formats = check_request(request)
    jobs = request.jobs or default_jobs()
    pool = Pool(min(jobs, len(request.districts)) if request.districts else jobs)
    try:
        inputs = bi.prepare_inputs(list(request.data) if request.data else None, standard=request.standard, targets_path=request.targets, sheet=request.sheet)
        try:
            year = br.check_year(inputs, request.year)
            for d in request.districts or ():
                br.check_district(inputs, d)
        except br.BriefParameterError as err:
            raise UsageError(str(err)) from None
        # Every district's tables in one pass each; from here on the batch holds aggregates only.
        inputs = bi.with_year_tables(inputs, year).without_households()
        generated = render.generation_date()
        out_dir = Path(request.out) / str(year)
        with tempfile.TemporaryDirectory(prefix="briefs-") as tmp:
            # Aggregates only: kernels never see a household record and load the cache instantly.
            cache = bi.save_inputs(inputs, Path(tmp) / "inputs.pkl")
            units = plan_units(inputs, year, request.districts, lang=request.lang, data=request.data, targets=request.targets, cache_path=cache, notebooks=request.notebooks)
            (out_dir / "notebooks").mkdir(parents=True, exist_ok=True)
            clean_stale(out_dir)
            settings = Settings(out_dir=out_dir, formats=formats, generated=generated)
            log(f"building {len(units)} brief(s) for {year} with {len(pool.procs)} worker(s) into {out_dir} (data ready at {time.perf_counter() - started:.1f} s)")

            def on_done(outcome: Outcome, done: int, total: int) -> None:
                state = ", ".join(outcome.files) if outcome.ok else f"FAILED: {outcome.error}"
                if outcome.phases:
                    state += "  (" + ", ".join(f"{name} {secs:.1f} s" for name, secs in outcome.phases) + ")"
                log(f"[{done}/{total}] {outcome.slug}: {outcome.seconds:.1f} s (at {time.perf_counter() - started:.1f} s)  {state}")

            outcomes = pool.run(units, settings, on_done)
    finally:
        pool.close()

    index = out_dir / "index.html"
    render.write_atomic(index, index_html(inputs, units, outcomes, year=year, lang=request.lang, generated=generated))
    ordered = tuple(outcomes[u.slug] for u in units)
    result = BatchResult(out_dir, ordered, time.perf_counter() - started, index)
    failed = result.failures
    log(f"{len(ordered) - len(failed)} of {len(ordered)} brief(s) built in {result.seconds:.1f} s; index: {index}")
    for outcome in failed:
        log(f"failed: {outcome.slug}: {outcome.error} (executed notebook: {out_dir / 'notebooks' / (outcome.slug + '.ipynb')})")
    return result


def clean_stale(out_dir: Path) -> None:
    """Remove temporary files a killed batch may have left (``.*.tmp``, ``.*.partial.ipynb``)."""
    for pattern in (".*.tmp", "notebooks/.*.partial.ipynb"):
        for path in out_dir.glob(pattern):
            path.unlink(missing_ok=True)
