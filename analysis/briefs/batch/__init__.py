"""The batch: every brief of a review year as HTML and PDF, with an index page.

``python -m analysis reports`` runs the district notebook once per district and the
province notebook once, with papermill, in parallel, and renders each in process. The
flow, one module a step:

* :mod:`.run` checks the request, loads, validates and classifies the data **once** (bad
  data stop the batch with the ``validate`` report before anything is written), computes
  every district's tables of the year in one grouped pass each, and pickles those
  aggregates (no household record) to a private file that every notebook reads through its
  ``cache_path`` parameter;
* :mod:`.plan` lists the units to build (one brief each) with their notebook parameters;
* :mod:`.pool` runs them in worker processes started before the data load; each keeps a
  warm kernel (:mod:`.kernel`) that papermill drives through a small engine
  (:mod:`.engine`), and :mod:`.build` executes a notebook then writes its HTML and PDF
  (nbconvert and WeasyPrint imported once per worker; notebook N+1 runs while brief N is
  rendered);
* :mod:`.index` writes the index page from a Jinja template; :mod:`.command` is the
  command line's adapter.

Where the time goes (bundled data, 9 briefs of 2024, HTML and PDF, 2 cores; CPU seconds,
profiled on a busy machine; ``make bench`` for the ratio): per brief about 1.0 s in the
kernel (its five charts, each drawn at both widths, ~0.7 s; their glyph subsets ~0.2 s) and
1.2 s of WeasyPrint; once, about 13 s for the disclosure release chained over every year
up to the briefed one (the figures ~10 s, built in two processes by :mod:`.figures`; the
protections ~3 s, chained), 1.2 s to load and classify, 1 s of year tables, the fork
server's imports and a kernel start per worker (~1.5 s each). The summary workbook's
sheets are built on a thread while the briefs run (:mod:`.deferred`).

Failures are isolated: a notebook that fails leaves its executed copy (with papermill's
error banner) under ``notebooks/``, no HTML or PDF, a line in the summary, and exit code 1;
the other briefs are built. Files are written under a temporary name and renamed, so a
brief is either complete or absent.
"""

from .command import run_command
from .index import index_html
from .outcome import BatchResult, Outcome
from .plan import Settings, Unit, default_jobs, plan_units
from .run import BatchRequest, run_batch

__all__ = [
    "BatchRequest", "BatchResult", "Outcome", "Settings", "Unit",
    "default_jobs", "index_html", "plan_units", "run_batch", "run_command",
]
