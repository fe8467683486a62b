"""The issuing unit, edition and contact of the briefs: settings in one file,
``data/brief_settings.toml``, read and checked here, printed in each brief's colophon."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, Problem
from ..paths import DATA_DIR

SETTINGS_PATH = DATA_DIR / "brief_settings.toml"
_KEYS = ("unit_vi", "unit_en", "contact", "version")


@dataclass(frozen=True)
class Issuer:
    """Who issues the briefs (empty strings where not set)."""

    unit_vi: str = ""
    unit_en: str = ""
    contact: str = ""
    version: str = ""

    def unit(self, lang: str) -> str:
        return str(getattr(self, f"unit_{lang}", "") or self.unit_en)


def load_issuer(path: Path = SETTINGS_PATH) -> Issuer:
    """The ``[issuer]`` table of the settings file; a missing file means nothing is set."""
    if not Path(path).is_file():
        return Issuer()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise DataError([Problem(str(path), f"a TOML settings file ({err})")]) from None
    table = data.get("issuer", {})
    problems = [Problem(str(path), f"text for '{key}' in [issuer]", column=key, value=table[key])
                for key in _KEYS if key in table and not isinstance(table[key], str | int)]
    unknown = [key for key in table if key not in _KEYS]
    problems += [Problem(str(path), f"one of {', '.join(_KEYS)} in [issuer]", column=key) for key in unknown]
    if problems:
        raise DataError(problems)
    return Issuer(**{key: str(table.get(key, "")).strip() for key in _KEYS})


#: Used when the settings file has no ``[persons]`` table: a gap of one percentage point.
DEFAULT_MATERIAL_GAP_PP = 1.0


def load_material_gap(path: Path = SETTINGS_PATH) -> float:
    """``material_gap_pp`` of ``[persons]``: how many percentage points between a person-weighted
    and a household rate make a material difference (a sentence in the briefs says so)."""
    if not Path(path).is_file():
        return DEFAULT_MATERIAL_GAP_PP
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise DataError([Problem(str(path), f"a TOML settings file ({err})")]) from None
    value = data.get("persons", {}).get("material_gap_pp", DEFAULT_MATERIAL_GAP_PP)
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise DataError([Problem(str(path), "a number of percentage points, 0 or more, in [persons]",
                                 column="material_gap_pp", value=value)])
    return float(value)
