"""How names are compared: Unicode form, whitespace, case, level words and tone-mark placement
(see :mod:`.units`), and the spellings of areas and ethnic groups that validation accepts.

Plain Python (no pandas): the columnar engine's lean ``summary`` checks names with it.
"""

from __future__ import annotations

import re
import unicodedata

from . import columns as c

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_LEVEL_PREFIX = re.compile(
    r"^(tỉnh|huyện|quận|thành phố|thị xã|thị trấn|xã|phường|đặc khu|tp\.?|h\.|q\.|x\.|p\.|tt\.?)\s+(?!\d+$)",
)


def clean_text(text: str) -> str:
    """Text as names are compared and shown: NFC, surrounding and repeated whitespace removed
    (plain NFC is :func:`analysis.words.nfc`)."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def _tones_last(syllable: str) -> str:
    """Move a syllable's tone mark to its end, so old and new placements compare equal."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = "".join(ch for ch in decomposed if ch in _TONE_MARKS)
    return "".join(ch for ch in decomposed if ch not in _TONE_MARKS) + tones


def name_key(name: str) -> str:
    """Matching key: case, Unicode form, level word and tone placement ignored."""
    text = _LEVEL_PREFIX.sub("", clean_text(name).lower())
    return " ".join(_tones_last(s) for s in text.replace("-", " ").split())


def full_key(name: str) -> str:
    """Matching key that keeps a leading level word (``Xã Yên Viên`` ≠ ``Thị trấn Yên Viên``)."""
    return " ".join(_tones_last(s) for s in clean_text(name).lower().replace("-", " ").split())


def name_index(names: list[str]) -> dict[str, str]:
    """Matching keys → canonical name; a bare key shared by two names maps to neither."""
    bare: dict[str, set[str]] = {}
    for n in names:
        bare.setdefault(name_key(n), set()).add(n)
    out = {k: next(iter(v)) for k, v in bare.items() if len(v) == 1}
    out.update({"\x00" + full_key(n): n for n in names})
    return out


def find_name(index: dict[str, str], name: str) -> str | None:
    """The canonical name ``name`` spells in an index of :func:`name_index` (None: none)."""
    return index.get("\x00" + full_key(name)) or index.get(name_key(name))


#: Spellings of the two areas.
AREA_WORDS: dict[str, str] = {
    name_key(word): code
    for word, code in {
        "rural": c.RURAL,
        "urban": c.URBAN,
        "nông thôn": c.RURAL,
        "thành thị": c.URBAN,
    }.items()
}

#: Spellings of ethnic groups normalised to one (others are kept as written, in NFC).
ETHNIC_SPELLINGS: dict[str, str] = {
    name_key(k): v
    for k, v in {
        "kinh": "Kinh", "tày": "Tày", "dao": "Dao", "nùng": "Nùng", "mông": "Mông",
        "h'mông": "Mông", "hmông": "Mông", "hmong": "Mông", "sán chay": "Sán Chay",
        "sán chỉ": "Sán Chay", "cao lan": "Sán Chay", "hoa": "Hoa", "thái": "Thái",
        "mường": "Mường", "sán dìu": "Sán Dìu", "khác": "Khác",
    }.items()
}
