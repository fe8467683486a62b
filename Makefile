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

reports: setup
	$(PY) -m analysis reports $(ARGS)

test: setup browser
	$(VENV)/bin/ruff check analysis tests scripts
	$(VENV)/bin/mypy
	$(PY) -m pytest $(ARGS)

bench: setup
	$(PY) scripts/bench.py
	$(PY) scripts/bench_validation.py

synth: setup
	$(PY) -m analysis synth

# JupyterLab for analysts, kept out of the batch environment's imports.
lab: setup
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[lab]"
	$(VENV)/bin/jupyter lab notebooks/

# Headless Chromium for the browser test (Debian's package; needs root to install).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed: the browser test will be skipped (sudo apt-get install chromium)"; fi; }

clean:
	rm -rf reports/[0-9]* .pytest_cache
