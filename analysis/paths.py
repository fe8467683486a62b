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
#: The synthetic end-2025 review on the new division, continuing the bundled panel.
BUNDLED_2025 = DATA_DIR / "households_2025.parquet"
#: Both bundled files: the 2021–2024 panel and the end-2025 review (what a commune brief reads by default).
BUNDLED_ALL = (BUNDLED_HOUSEHOLDS, BUNDLED_2025)
PUBLISHED_FIGURES = DATA_DIR / "published.csv"
TARGETS_PATH = DATA_DIR / "targets.csv"
ALIASES_PATH = DATA_DIR / "column_aliases.csv"
