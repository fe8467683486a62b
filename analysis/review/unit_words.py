"""Units and lists as a sentence names them, in the catalogue's words: ``huyện Pác Nặm cũ`` /
``former Pác Nặm district``, ``a, b và c`` / ``a, b and c``, and the new division's data notes.

Below the measures so that a table the measures build (the commune targets' notes,
:mod:`analysis.measures.commune_targets`) and the briefs' sentences
(:mod:`analysis.briefs.narrative`, which re-exports these) name a unit the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..words import catalogue, label, nfc
from .units import slugify


def fact_note(key: str, lang: str, **params: object) -> str:
    """A data note of the new division (``note_*`` labels) with its numbers filled in."""
    return nfc(label(key, lang).format(**params))


def join(parts: Sequence[str], lang: str) -> str:
    """``a, b và c`` / ``a, b and c``."""
    if len(parts) <= 1:
        return "".join(parts)
    return catalogue(lang).text("list_and", head=", ".join(parts[:-1]), last=parts[-1])


def unit_name(name: str, division_type: str, lang: str, *, former: bool = False) -> str:
    """A unit as a sentence names it: ``huyện Pác Nặm`` / ``Pác Nặm district``,
    ``thành phố Bắc Kạn`` / ``Bắc Kạn city``; ``former``: a unit that no longer exists (a
    district since 1 July 2025), ``huyện Pác Nặm cũ`` / ``former Pác Nặm district``.

    Reference names of cities start with their level word (``Thành phố Bắc Kạn``); it is
    taken off and the catalogue's form for the level put back, in lower case mid-sentence.
    """
    kind = nfc(division_type or "Huyện")
    name = nfc(name)
    bare = name[len(kind) + 1 :] if name.lower().startswith(kind.lower() + " ") else name
    words = catalogue(lang)
    proper = words.tables.get("proper_names", {}).get(slugify(f"{kind} {bare}"))
    if proper:  # a name that keeps its level word capitalised (Thành phố Hồ Chí Minh)
        return nfc(proper)
    key = slugify(kind).replace("-", "_")
    table = words.tables["divisions_former" if former else "divisions"]
    template = table.get(key) or table["huyen"]
    return nfc(template.format(name=bare))
