"""Brief metadata (title, province, unit, year, lang, synthetic, source, standard): what a
notebook's first cell emits as ``application/vnd.brief+json`` and the template reads for
the masthead, the running PDF header and the colophon; and the generation date."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from ...review.units import OLD, Units, clean_text, find_province, load_units, province_units, slugify
from ...words import DEFAULT_LANG, LANGS, check_lang

if TYPE_CHECKING:  # nbconvert and WeasyPrint are imported when used: notebooks import this module
    pass



BRIEF_MIME = "application/vnd.brief+json"

class BriefMetadata:
    """A display object carrying brief metadata; shows one line in JupyterLab.

    Its HTML also carries the sections' notebook styles (``notebook.css``, every rule scoped
    to ``.brief-section``), so headline figures, names and headers look in JupyterLab, VS Code
    and classic Notebook as they do in the brief. The exported brief drops this output and
    uses its own stylesheet.
    """

    def __init__(self, meta: Mapping[str, Any]) -> None:
        self.meta = dict(meta)

    def line(self) -> str:
        """``Brief: <title> (<lang>)``, the year added only when the title does not say it."""
        title = str(self.meta.get("title") or self.meta.get("unit") or "")
        year = self.meta.get("year")
        if year is not None and str(year) not in title:
            title = f"{title} · {year}" if title else str(year)
        lang = self.meta.get("lang")
        return f"Brief: {title}" + (f" ({lang})" if lang else "")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        import html

        page = f'<style>{notebook_css()}</style><p class="brief-line">{html.escape(self.line())}</p>'
        return {BRIEF_MIME: self.meta, "text/plain": self.line(), "text/html": page}


def notebook_css() -> str:
    """The sections' styles for notebook front ends (see :class:`BriefMetadata`)."""
    from ...paths import TEMPLATES_DIR

    return (TEMPLATES_DIR / "brief" / "notebook.css").read_text(encoding="utf-8")

def brief_metadata(meta: Mapping[str, Any]) -> BriefMetadata:
    """The object a notebook's first cell displays so the renderer knows what brief it is.

    Values become plain JSON types here (a numpy year would not serialise).
    """
    lang = check_lang(str(meta.get("lang", DEFAULT_LANG)))
    clean: dict[str, Any] = {k: clean_text(v) for k, v in meta.items() if isinstance(v, str)}
    clean["lang"] = lang
    if meta.get("year") is not None:
        clean["year"] = int(meta["year"])
    clean["synthetic"] = bool(meta.get("synthetic", False))
    return BriefMetadata(clean)

def read_brief(nb: Mapping[str, Any], *, name: str = "") -> dict[str, Any]:
    """Brief metadata of a notebook, with defaults, ready for the template."""
    meta: dict[str, Any] = dict(nb.get("metadata", {}).get("brief", {}) or {})
    meta.update(_brief_output(nb) or {})
    text = {k: clean_text(meta.get(k) or "") for k in ("title", "province", "unit", "source", "standard", "slug")}
    year = meta.get("year")
    text["title"] = text["title"] or text["unit"] or name
    return {
        **text,
        "year": int(year) if year not in (None, "") else None,
        "lang": meta.get("lang") if meta.get("lang") in LANGS else DEFAULT_LANG,
        "synthetic": bool(meta.get("synthetic", False)),
        # The province overview's unit is the province itself: named once ("Bắc Kạn · 2024").
        "running": " · ".join(dict.fromkeys(str(p) for p in (text["province"], text["unit"], year) if p not in (None, ""))),
    }

def brief_slug(brief: Mapping[str, Any], fallback: str = "brief") -> str:
    """ASCII file stem of a brief: its ``slug``, else its unit's canonical name, else ``fallback``.

    The canonical name drops a level word the reference list does not have, so
    ``Huyện Pác Nặm`` gives ``pac-nam`` while ``Thành phố Bắc Kạn`` stays ``thanh-pho-bac-kan``
    and ``Tỉnh Bắc Kạn`` (which the city's name would match) gives ``tinh-bac-kan``.
    """
    if brief.get("slug"):
        return slugify(brief["slug"])
    unit = clean_text(brief.get("unit") or "")
    if not unit:
        return slugify(fallback) or "brief"
    district = None
    if not unit.lower().startswith("tỉnh "):
        for units in _brief_units(clean_text(brief.get("province") or "")):
            district = district or units.canonical("district", unit)
    return slugify(district or unit)


def _brief_units(province: str) -> list[Units]:
    """The (old-division) units whose district names a brief's unit is read against: its
    province's first, then the bundled ones (a brief of Thái Nguyên may be of a former
    district of Bắc Kạn, the bundled province)."""
    name = find_province(province, OLD) if province else None
    return ([province_units(name, OLD)] if name else []) + [load_units()]

def _brief_output(nb: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The first ``application/vnd.brief+json`` output in the notebook, if any."""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data", {})
            if BRIEF_MIME in data and isinstance(data[BRIEF_MIME], Mapping):
                return data[BRIEF_MIME]
    return None

def generation_date(generated: date | None = None) -> date:
    """The footer date: given, else ``SOURCE_DATE_EPOCH`` (reproducible builds), else today."""
    if generated is not None:
        return generated
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()
