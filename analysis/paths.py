"""Where the project's bundled files live."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
TEMPLATES_DIR = PACKAGE_DIR / "briefs" / "templates"
FONTS_DIR = PACKAGE_DIR / "briefs" / "fonts"
BUNDLED_HOUSEHOLDS = DATA_DIR / "households.parquet"
PUBLISHED_FIGURES = DATA_DIR / "published.csv"
TARGETS_PATH = DATA_DIR / "targets.csv"
ALIASES_PATH = DATA_DIR / "column_aliases.csv"
