"""Web addresses in the reference tables (the ``source_url`` of targets, the ``source`` of
published figures): read, checked and named, so a brief links only real ``http(s)`` pages."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_BAD = re.compile(r"[\s\"'<>\\\x00-\x1f\x7f]")


def is_web_address(text: object) -> bool:
    """Whether ``text`` is one absolute ``http``/``https`` address (no spaces, quotes or
    control characters): nothing else becomes a link (never ``javascript:`` or a file)."""
    if not isinstance(text, str) or not text or _BAD.search(text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def web_addresses(text: object) -> tuple[str, ...]:
    """The addresses of a cell that lists them separated by spaces (empty: none); a value
    that is not an address is left out (the loaders report it)."""
    if not isinstance(text, str):
        return ()
    return tuple(dict.fromkeys(part for part in text.split() if is_web_address(part)))


def bad_addresses(text: object) -> list[str]:
    """The parts of a cell of addresses that are not web addresses."""
    return [part for part in text.split() if not is_web_address(part)] if isinstance(text, str) else []


def site(address: str) -> str:
    """The site an address is on, as a reader names it (``baodansinh.vn``)."""
    host = urlsplit(address).hostname or address
    return host.removeprefix("www.")
