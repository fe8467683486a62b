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

Where the time goes (bundled data, 9 briefs, HTML and PDF, 2 cores; ``make bench``): per
brief ~0.4 s of WeasyPrint and ~0.25 s in the kernel; once, the fork server's imports, the
parent's data load and tables, and a kernel start per worker.

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
