"""Every word the summary tables show: the ``[tables]`` part of the language catalogues
(``analysis/words/vi.toml``, ``en.toml``)."""

from __future__ import annotations

from ..words import LANGS, catalogue, check_lang

LANGUAGES = LANGS


def word(key: str, lang: str, **fields: object) -> str:
    """A label in ``lang``, with ``{fields}`` filled in (an unknown key reads as itself)."""
    text = catalogue(check_lang(lang)).tables["tables"].get(key, key)
    return text.format(**fields) if fields else text


def scope_word(key: str, variant: str, lang: str, **fields: object) -> str:
    """A label in the words of the whole of the data (:mod:`analysis.measures.coverage`): its
    ``<key>_city`` or ``<key>_former`` form where the catalogue has one (``Toàn thành phố``,
    ``Toàn khu vực`` for ``Toàn tỉnh``), else the label itself."""
    return word(catalogue(check_lang(lang)).variant("tables", key, variant), lang, **fields)
