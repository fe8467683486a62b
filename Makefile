# The two commands a fresh machine needs: `make reports` and `make test`.
# Each sets up the virtual environment first (quick when it is already up to date).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARGS ?=

.PHONY: setup reports test bench lab browser clean synth

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip uninstall --quiet --yes bac-kan-poverty-briefs 2>/dev/null || true
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

# The briefs of the latest review in the bundled data: the 2021–2024 panel and its end-2025
# review on the new division together, so 2025's commune briefs show each unit's trend from 2021.
# `make reports ARGS="--year 2024"` builds the end-2024 (district) briefs from the same data.
REPORTS_DATA ?= --data data/households.parquet --data data/households_2025.parquet

reports: setup
	$(PY) -m analysis reports $(REPORTS_DATA) $(ARGS)

# The tests run in two processes (pytest-xdist), a group of test files each at a time, so
# module-scoped builds stay whole and files sharing a session build share one process; the
# longest groups go first (tests/conftest.py names the groups). TEST_WORKERS=0 runs them in
# this process (e.g. with a debugger).
TEST_WORKERS ?= 2

test: setup browser
	$(VENV)/bin/ruff check analysis tests scripts
	$(VENV)/bin/mypy
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(ARGS)

bench: setup
	$(PY) scripts/bench.py $(BENCH_ARGS)
	$(PY) scripts/bench_validation.py
	$(PY) scripts/bench_scale.py $(BENCH_SCALE_ARGS)

synth: setup
	$(PY) -m analysis synth

# JupyterLab for analysts in its own venv (.venv-lab), so the batch's venv stays lean: the
# lab server lives there, and its "python3" kernel is the batch venv's Python (the project,
# pinned notebook stack and all). As root (containers, CI-like machines) it adds
# --allow-root. LAB_ARGS passes options (e.g. --no-browser --port=8899); LAB_SETUP= skips
# refreshing the batch venv (the tests run against the venv they are in).
LAB_VENV ?= .venv-lab
LAB_STAMP := $(LAB_VENV)/.installed
LAB_ARGS ?=
LAB_SETUP ?= setup
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

$(LAB_STAMP): pyproject.toml
	@test -x $(LAB_VENV)/bin/python || $(PYTHON) -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install --quiet --disable-pip-version-check "jupyterlab>=4.2"
	$(PY) -m ipykernel install --prefix "$(abspath $(LAB_VENV))" --name python3 --display-name "Python 3 (briefs)" >/dev/null
	@touch $@

lab: $(LAB_SETUP) $(LAB_STAMP)
	$(LAB_VENV)/bin/jupyter lab $(ROOT_FLAG) $(LAB_ARGS) notebooks/

# System tools the tests use, from Debian's packages (installing needs root): headless
# Chromium for the browser tests, poppler-utils (pdftotext) for the print-layout tests.
browser:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="chromium"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing system packages:$$missing (sudo apt-get install$$missing); the tests that need them will fail"; fi; fi

clean:
	rm -rf reports/[0-9]* .pytest_cache
