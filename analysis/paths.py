"""Where the project's bundled files live.

The package itself carries its templates, fonts and language catalogues (package data).
The reference data (``data/``) and the notebooks (``notebooks/``) belong to the project
folder: the checkout the package is imported from, or — for a non-editable ``pip install .``
— the folder named by the environment variable ``ANALYSIS_PROJECT_DIR`` (see README,
"Installation").
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UsageError

#: The environment variable naming the project folder of an installed package.
PROJECT_DIR_VARIABLE = "ANALYSIS_PROJECT_DIR"

PACKAGE_DIR = Path(__file__).resolve().parent


def _project_dir() -> Path:
    configured = os.environ.get(PROJECT_DIR_VARIABLE, "").strip()
    return Path(configured).expanduser().resolve() if configured else PACKAGE_DIR.parent


PROJECT_DIR = _project_dir()
DATA_DIR = PROJECT_DIR / "data"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
TEMPLATES_DIR = PACKAGE_DIR / "briefs" / "templates"
FONTS_DIR = PACKAGE_DIR / "briefs" / "fonts"
BUNDLED_HOUSEHOLDS = DATA_DIR / "households.parquet"
#: The synthetic end-2025 review on the new division, continuing the bundled panel.
BUNDLED_2025 = DATA_DIR / "households_2025.parquet"
#: Both bundled files: the 2021–2024 panel and the end-2025 review (what a commune brief reads by default).
BUNDLED_ALL = (BUNDLED_HOUSEHOLDS, BUNDLED_2025)
PUBLISHED_FIGURES = DATA_DIR / "published.csv"
TARGETS_PATH = DATA_DIR / "targets.csv"
ALIASES_PATH = DATA_DIR / "column_aliases.csv"


def check_project() -> Path:
    """The project folder, or a usage error saying how to name it (an installed package
    has no ``data/`` beside it)."""
    if not (DATA_DIR / "units.csv").is_file():
        raise UsageError(
            f"the project's data folder is not at {DATA_DIR}: set {PROJECT_DIR_VARIABLE} to the project folder "
            "(a checkout with data/ and notebooks/), or install it editable (pip install -e .)"
        )
    return PROJECT_DIR
BOUNDARIES_DIR = DATA_DIR / "geo"
