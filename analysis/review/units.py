"""Administrative units: reference list, name normalisation and matching.

Names in review files come in many spellings of the same unit: with or without the level
word (``Huyện Pác Nặm`` / ``Pác Nặm``), in NFC or NFD, with the old or new tone-mark
placement (``Trung Hoà`` / ``Trung Hòa``). All of them map to one canonical name from
``data/units.csv``; a name that maps to none gets the closest known name as a suggestion.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..paths import DATA_DIR

UNITS_PATH = DATA_DIR / "units.csv"

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_LEVEL_PREFIX = re.compile(
    r"^(tỉnh|huyện|thành phố|thị xã|thị trấn|xã|phường|tp\.?|h\.|x\.|p\.|tt\.?)\s+",
)


def nfc(text: str) -> str:
    """NFC form with surrounding and repeated whitespace removed."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def _tones_last(syllable: str) -> str:
    """Move a syllable's tone mark to its end, so old and new placements compare equal."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = "".join(ch for ch in decomposed if ch in _TONE_MARKS)
    return "".join(ch for ch in decomposed if ch not in _TONE_MARKS) + tones


def name_key(name: str) -> str:
    """Matching key: case, Unicode form, level word and tone placement ignored."""
    text = _LEVEL_PREFIX.sub("", nfc(name).lower())
    return " ".join(_tones_last(s) for s in text.replace("-", " ").split())


def ascii_fold(text: str) -> str:
    """Text without diacritics (``đ`` becomes ``d``)."""
    text = unicodedata.normalize("NFD", nfc(text)).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def slugify(name: str) -> str:
    """ASCII file-name slug: ``Thành phố Bắc Kạn`` -> ``thanh-pho-bac-kan``."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(name).lower()).strip("-")


def closest(name: str, candidates: list[str]) -> str | None:
    """The candidate most like ``name`` (compared without diacritics), if any is close."""
    folded = {ascii_fold(name_key(c)): c for c in candidates}
    hits = difflib.get_close_matches(ascii_fold(name_key(name)), list(folded), n=1, cutoff=0.6)
    return folded[hits[0]] if hits else None


@dataclass(frozen=True)
class Units:
    """The reference units of one division: a province, its districts and communes."""

    table: pd.DataFrame

    @cached_property
    def province(self) -> str:
        return str(self.table.loc[self.table["level"] == "province", "name"].iloc[0])

    @cached_property
    def districts(self) -> list[str]:
        """District names in GSO code order."""
        return self.table.loc[self.table["level"] == "district", "name"].tolist()

    @cached_property
    def poor_districts(self) -> list[str]:
        rows = self.table[(self.table["level"] == "district") & (self.table["poor_district"] == 1)]
        return rows["name"].tolist()

    @cached_property
    def district_codes(self) -> dict[str, int]:
        rows = self.table[self.table["level"] == "district"]
        return dict(zip(rows["name"], rows["code"].astype(int)))

    @cached_property
    def communes_by_district(self) -> dict[str, list[str]]:
        """Commune names of each district, in GSO code order."""
        codes = {v: k for k, v in self.district_codes.items()}
        rows = self.table[self.table["level"] == "commune"]
        out: dict[str, list[str]] = {d: [] for d in self.districts}
        for parent, name in zip(rows["parent_code"].astype(int), rows["name"]):
            out[codes[parent]].append(name)
        return out

    @cached_property
    def commune_district(self) -> dict[str, str]:
        return {com: d for d, coms in self.communes_by_district.items() for com in coms}

    @cached_property
    def _keys(self) -> dict[str, dict[str, str]]:
        return {
            "province": {name_key(self.province): self.province},
            "district": {name_key(d): d for d in self.districts},
            "commune": {name_key(m): m for m in self.commune_district},
        }

    def canonical(self, level: str, name: str) -> str | None:
        """The canonical name of a unit at ``level`` ('province', 'district', 'commune')."""
        return self._keys[level].get(name_key(name))

    def suggest(self, level: str, name: str, district: str | None = None) -> str | None:
        """The closest known name at ``level`` (within ``district`` for communes)."""
        if level == "commune" and district in self.communes_by_district:
            return closest(name, self.communes_by_district[district]) or closest(
                name, list(self.commune_district)
            )
        return closest(name, list(self._keys[level].values()))

    def is_poor_district(self, district: str) -> bool:
        return district in self.poor_districts


def load_units(path: Path | str = UNITS_PATH) -> Units:
    """Read a units table (``level, code, name, division_type, parent_code, poor_district``)."""
    table = pd.read_csv(path, dtype={"name": str}, encoding="utf-8-sig")
    table["name"] = table["name"].map(nfc)
    table["poor_district"] = table["poor_district"].fillna(0).astype(int)
    return Units(table)
