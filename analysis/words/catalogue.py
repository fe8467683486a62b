"""Language catalogues: ``<lang>.toml`` beside this module, read once, text in NFC."""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import UsageError

#: The languages a brief can be written in; the first is the default.
LANGS: tuple[str, ...] = ("vi", "en")
DEFAULT_LANG = LANGS[0]

_HERE = Path(__file__).resolve().parent


def nfc(text: str) -> str:
    """Text in NFC, the form every output uses (Vietnamese typed on some keyboards is NFD)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def check_lang(lang: object, *, error: type[UsageError] = UsageError) -> str:
    """The language code, or ``error`` naming the valid ones."""
    if lang not in LANGS:
        raise error(f"unknown language {lang!r}; valid languages: {', '.join(LANGS)}")
    return str(lang)


class _Fields(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"template field {{{key}}} not given")


class Catalogue:
    """The words of one language: ``label(section, key)`` and ``text(key, n=..., **fields)``."""

    def __init__(self, lang: str, tables: Mapping[str, Mapping[str, str]]) -> None:
        self.lang = lang
        self.tables = tables

    def label(self, table: str, key: str) -> str:
        """An entry of a table (``labels``, ``status``, ``indicators``…); unknown keys read as
        the key with spaces, so a new code in the data still shows."""
        found = self.tables.get(table, {}).get(str(key))
        return found if found is not None else nfc(str(key).replace("_", " "))

    def has(self, table: str, key: str) -> bool:
        return str(key) in self.tables.get(table, {})

    def variant(self, table: str, key: str, variant: str) -> str:
        """The key of ``key``'s ``<key>_<variant>`` form where ``table`` has one (``_city``,
        ``_former``, ``_new``), else ``key`` itself."""
        other = f"{key}_{variant}"
        return other if variant and self.has(table, other) else key

    def text(self, key: str, *, n: float | None = None, **fields: Any) -> str:
        """A sentence template filled in. With ``n``, the ``<key>_one`` form is used for 1
        when the language has one (English plurals; Vietnamese nouns do not change)."""
        sentences = self.tables["sentences"]
        template = sentences.get(f"{key}_one") if n == 1 else None
        if template is None:
            template = sentences[key]
        return nfc(template.format_map(_Fields(fields)))


@cache
def catalogue(lang: str) -> Catalogue:
    """The catalogue of ``lang`` (checked), read from ``<lang>.toml`` once per process."""
    check_lang(lang)
    raw = tomllib.loads((_HERE / f"{lang}.toml").read_text(encoding="utf-8"))
    tables = {name: {str(k): nfc(str(v)) for k, v in entries.items()} for name, entries in raw.items()}
    return Catalogue(lang, tables)


# --- one-call lookups -----------------------------------------------------------------------


def label(key: str, lang: str) -> str:
    """A label of the briefs (section titles, table headers, chart words)."""
    return catalogue(lang).label("labels", key)


def status_label(status: object, lang: str, *, empty: str = "–") -> str:
    """A verdict in the words review reports use (``vượt mục tiêu``, ``đạt``, ``không đạt``);
    ``empty`` for no verdict (``–`` on a page, ``""`` in a data file)."""
    if not isinstance(status, str) or not status:
        return empty
    return catalogue(lang).label("status", status)


def indicator_label(indicator: str, lang: str) -> str:
    """The name of a deprivation indicator as the standards word it."""
    return catalogue(lang).label("indicators", indicator)


def dimension_label(dimension: str, lang: str) -> str:
    """The name of a dimension of a standard."""
    return catalogue(lang).label("dimensions", dimension)
