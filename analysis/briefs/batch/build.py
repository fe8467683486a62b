"""One brief: its notebook executed on a warm kernel, then its HTML and PDF written.

The two steps are separate so that a worker can run notebook N+1 while it renders brief N.
The executed notebook is kept under ``notebooks/`` whatever happens (papermill adds its error
banner on failure); the HTML and PDF are written under temporary names and renamed, both or
neither, so a brief is either complete or absent.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...paths import PROJECT_DIR
from .engine import ENGINE_NAME
from .kernel import WarmKernel
from .manifest import publish, withdraw
from .outcome import Outcome, error_text
from .plan import Settings, Unit

#: A cell running longer than this fails its brief (a brief's cells take well under a second).
CELL_TIMEOUT_S = 600

_THREAD = threading.local()


def font_config() -> Any:
    """This thread's WeasyPrint font configuration, set up once and kept for every PDF
    (a tenth of a PDF's time otherwise; the PDF is byte for byte the same)."""
    if getattr(_THREAD, "font_config", None) is None:
        from weasyprint.text.fonts import FontConfiguration

        _THREAD.font_config = FontConfiguration()
    return _THREAD.font_config


@dataclass(frozen=True)
class Executed:
    """A notebook that ran without error, waiting for its HTML and PDF."""

    unit: Unit
    settings: Settings
    nb: Any
    started: float
    phases: tuple[tuple[str, float], ...]


def execute_unit(unit: Unit, kernel: WarmKernel, settings: Settings, *, nb_dir: Path | None = None) -> Executed | Outcome:
    """Execute one notebook with papermill on a warm kernel: what to render, or the failure.

    The executed notebook goes to ``nb_dir`` (default: the output folder's ``notebooks/``).
    """
    import papermill as pm

    started = time.perf_counter()
    nb_dir = nb_dir or settings.out_dir / "notebooks"
    partial = nb_dir / f".{unit.slug}.partial.ipynb"
    (nb_dir / f"{unit.slug}.ipynb").unlink(missing_ok=True)  # a failure never points to an older run's notebook
    try:
        try:
            nb = pm.execute_notebook(
                str(unit.notebook),
                str(partial),
                parameters=dict(unit.parameters),
                kernel_name=settings.kernel_name,
                km=kernel.km,
                warm_kc=kernel.notebook_client,
                engine_name=ENGINE_NAME,
                execution_timeout=CELL_TIMEOUT_S,
                start_timeout=int(settings.kernel_timeout),
                progress_bar=False,
                request_save_on_cell_execute=False,
                cwd=str(PROJECT_DIR),
            )
        finally:
            if partial.exists():
                os.replace(partial, nb_dir / f"{unit.slug}.ipynb")
    except Exception as err:  # papermill raises many types
        return failed(unit, settings, started, err)
    return Executed(unit, settings, nb, started, (("execute", time.perf_counter() - started),))


def render_payloads(done: Executed, exporter: Any) -> tuple[dict[str, bytes | str], list[tuple[str, float]]]:
    """The HTML and PDF of an executed notebook, in memory (format -> content), and timings."""
    from .. import render

    unit, settings = done.unit, done.settings
    phases = list(done.phases)
    mark = time.perf_counter()
    page = render.notebook_to_html(done.nb, exporter, generated=settings.generated, name=unit.slug, beside=settings.files_beside(unit.slug))
    phases.append(("html", time.perf_counter() - mark))
    payloads: dict[str, bytes | str] = {}
    if "html" in settings.formats:
        payloads["html"] = page
    if "pdf" in settings.formats:
        mark = time.perf_counter()
        payloads["pdf"] = render.html_to_pdf(page, base_url=settings.out_dir.resolve().as_uri() + "/", font_config=font_config())
        phases.append(("pdf", time.perf_counter() - mark))
    return payloads, phases


def render_unit(done: Executed, exporter: Any) -> Outcome:
    """Write the HTML and PDF of an executed notebook, both or neither."""
    try:
        payloads, phases = render_payloads(done, exporter)
        files = publish(done.settings.out_dir, done.unit.slug, payloads)
        return Outcome(done.unit.slug, True, time.perf_counter() - done.started, tuple(files), phases=tuple(phases), digests=tuple(files.values()))
    except Exception as err:  # nbconvert and WeasyPrint raise many types
        return failed(done.unit, done.settings, done.started, err)


def failed(unit: Unit, settings: Settings, started: float, err: BaseException) -> Outcome:
    """The failure of a brief; any brief of that unit already on disk goes (no stale brief)."""
    if settings.publish:
        withdraw(settings.out_dir, unit.slug)
    return Outcome(unit.slug, False, time.perf_counter() - started, error=error_text(err))
