"""What a batch builds: one unit a brief, with its notebook and parameters, in index order."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ...paths import NOTEBOOKS_DIR
from ...review.units import NEW, division_of_year
from .. import brief as br
from .. import inputs as bi
from .. import narrative as nv

DISTRICT_NOTEBOOK = NOTEBOOKS_DIR / "district_brief.ipynb"
PROVINCE_NOTEBOOK = NOTEBOOKS_DIR / "province_overview.ipynb"
COMMUNE_NOTEBOOK = NOTEBOOKS_DIR / "commune_brief.ipynb"
KERNEL_NAME = "python3"


def default_notebooks() -> dict[str, Path]:
    """The notebook of each kind of brief (looked up when a batch is requested)."""
    return {"district": DISTRICT_NOTEBOOK, "province": PROVINCE_NOTEBOOK, "commune": COMMUNE_NOTEBOOK}


@dataclass(frozen=True)
class Unit:
    """One brief to build: its file slug, display name and notebook parameters."""

    slug: str
    name: str
    notebook: Path
    parameters: Mapping[str, Any]
    district: str | None = None
    #: Position in the index among every brief the data allow (the province first).
    order: int = 0
    #: ``province``, ``district`` or ``commune`` (a new unit: its figures are the commune view's).
    level: str = "district"
    #: The index's heading over this unit's group (a label key; empty: no heading).
    group: str = ""


@dataclass(frozen=True)
class Settings:
    """What a worker needs to know: where to write, which formats, the footer date."""

    out_dir: Path
    formats: tuple[str, ...]
    generated: date
    kernel_name: str = KERNEL_NAME
    #: Seconds a kernel may take to start and answer (a busy machine is slow, not broken).
    kernel_timeout: float = 120.0
    #: Whether workers write the briefs into ``out_dir`` themselves (else they return them).
    publish: bool = True
    #: The files the batch writes beside every brief (``{slug}``: the brief's own), which its
    #: links may point to; None: links as the sections made them.
    beside: tuple[str, ...] | None = None

    def files_beside(self, slug: str) -> tuple[str, ...] | None:
        return None if self.beside is None else tuple(name.format(slug=slug) for name in self.beside)


def default_jobs() -> int:
    """As many parallel briefs as the machine has cores."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def plan_units(
    inputs: bi.BriefInputs,
    year: int,
    districts: Sequence[str] | None,
    *,
    lang: str,
    data: Sequence[str] | None,
    targets: str | None,
    cache_path: Path,
    notebooks: Mapping[str, Path],
    communes: Sequence[str] | None = None,
    division: str | None = None,
    threshold: int | None = None,
) -> list[Unit]:
    """The province overview, then (for a year on the new division) each new commune, then each
    district (from 2025: the former districts' end-of-period briefs), in GSO order.

    Asked for some districts, only those; asked for some communes, those and the overview.
    ``division="new"`` briefs any year by new commune (no district briefs); ``"old"`` by
    district only (from 2025 the former districts).
    """
    on_new = (division or division_of_year(year)) == NEW
    view = inputs.communes if inputs.communes is not None and on_new else None
    data_path: Any = None if not data else (str(data[0]) if len(data) == 1 else [str(p) for p in data])
    common = {
        "year": year,
        "data_path": data_path,
        "standard": inputs.standard,
        "lang": lang,
        "targets_path": str(targets) if targets else None,
        "cache_path": str(cache_path),
    }
    if threshold is not None:
        common["threshold"] = threshold
    units = []
    grouped = view is not None
    if not districts:
        overview = common | ({"division": division} if division else {})  # its commune ranking on the batch's division
        own = br.Brief(inputs, year, lang)
        units.append(Unit(own.slug, nv.capitalize(own.unit), notebooks["province"], overview,
                          level="province", group=("_".join(filter(None, ("group_province", own.variant))) if grouped else "")))
    if view is not None and (communes or not districts):
        asked = {br.check_commune(view, m) for m in communes} if communes else set(view.districts)
        for i, m in enumerate(view.districts):
            if m in asked:
                brief = br.Brief(view, year, lang, m)
                units.append(Unit(brief.slug, nv.capitalize(brief.unit), notebooks["commune"], common | {"commune": m, "division": NEW},
                                  district=m, order=1 + i, level="commune", group="group_communes"))
    chosen = [br.check_district(inputs, d) for d in districts] if districts else ([] if communes or division == NEW else inputs.districts)
    position = {d: i + 1 for i, d in enumerate(inputs.districts)}
    for d in [d for d in inputs.districts if d in set(chosen)]:
        brief = br.Brief(inputs, year, lang, d)
        units.append(Unit(brief.slug, d, notebooks["district"], common | {"district": d} | ({"division": division} if division == "old" else {}), district=d, order=10_000 + position[d],
                          group="group_districts" if grouped else ""))
    return units
