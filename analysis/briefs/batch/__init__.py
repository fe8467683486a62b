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

Where the time goes (bundled data, 9 briefs of 2024, HTML and PDF, 2 cores; CPU seconds of
the whole process tree, measured on a machine shared with other work, load average 10-17;
``make bench`` for the ratio): 45 CPU-s in all (56 before the release was made cheaper).
Per brief about 1.4 s in the kernel (its five charts, each drawn at both widths, most of it;
the phone variant is a layout of its own, with wrapped names and larger text, so it cannot be
a scaled copy of the wide one without changing the briefs; their glyph subsets about a third)
and about 1.3 s of WeasyPrint; once, about 8 s for the disclosure release chained over every
year up to the briefed one (17.5 s before: households followed once per year for every level,
the cell system read from each frame once, the audit's linear algebra on one BLAS thread), its
figures built in two processes by :mod:`.figures` (kept: it shortens the wait for the first
brief by a couple of seconds for a fraction of a CPU-second of pickling), 1.2 s to load and
classify, 1 s of year tables, the fork server's imports and a kernel start per worker (~1.5 s
each). The summary workbook's sheets are built on a thread while the briefs run
(:mod:`.deferred`).

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
