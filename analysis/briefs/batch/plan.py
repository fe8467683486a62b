"""What a batch builds: one unit a brief, with its notebook and parameters, in index order."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ...paths import NOTEBOOKS_DIR
from .. import brief as br
from .. import inputs as bi
from .. import narrative as nv

DISTRICT_NOTEBOOK = NOTEBOOKS_DIR / "district_brief.ipynb"
PROVINCE_NOTEBOOK = NOTEBOOKS_DIR / "province_overview.ipynb"
KERNEL_NAME = "python3"


def default_notebooks() -> dict[str, Path]:
    """The notebook of each kind of brief (looked up when a batch is requested)."""
    return {"district": DISTRICT_NOTEBOOK, "province": PROVINCE_NOTEBOOK}


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
) -> list[Unit]:
    """The province overview (when all districts are built) then each district, in GSO order."""
    chosen = [br.check_district(inputs, d) for d in districts] if districts else inputs.districts
    chosen = [d for d in inputs.districts if d in set(chosen)]
    data_path: Any = None if not data else (str(data[0]) if len(data) == 1 else [str(p) for p in data])
    common = {
        "year": year,
        "data_path": data_path,
        "standard": inputs.standard,
        "lang": lang,
        "targets_path": str(targets) if targets else None,
        "cache_path": str(cache_path),
    }
    units = []
    if not districts:
        units.append(Unit(br.province_slug(inputs.units), nv.capitalize(nv.province_name(inputs.province, lang)), notebooks["province"], common))
    position = {d: i + 1 for i, d in enumerate(inputs.districts)}
    for d in chosen:
        brief = br.Brief(inputs, year, lang, d)
        units.append(Unit(brief.slug, d, notebooks["district"], common | {"district": d}, district=d, order=position[d]))
    return units
