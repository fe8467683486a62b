"""The official poverty standards, as data: a new standard is a new registry entry.

Thresholds are VND per person per month and inclusive: income equal to a line is at or
below it. Sources and caveats are in ``data/README.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ..errors import UsageError
from . import columns as c

STATUSES: tuple[str, ...] = ("poor", "near_poor", "average", "above_average")


@dataclass(frozen=True)
class Standard:
    """A multidimensional poverty standard.

    A household with income at or below ``extreme_line`` is poor whatever its
    deprivations (Decision 59 has such a line; Decree 07 does not). At or below
    ``income_line`` it is poor when deprived in at least ``deprivation_cutoff``
    indicators and near-poor otherwise. Up to ``average_line`` it has an average living
    standard; above, above average.
    """

    id: str
    title: str
    title_vi: str
    dimensions: Mapping[str, tuple[str, ...]]
    income_line: Mapping[str, int]
    average_line: Mapping[str, int]
    extreme_line: Mapping[str, int] | None = None
    deprivation_cutoff: int = 3
    period: str = ""
    source: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def indicators(self) -> tuple[str, ...]:
        """Every indicator, dimension by dimension."""
        return tuple(i for group in self.dimensions.values() for i in group)

    @property
    def indicator_dimension(self) -> dict[str, str]:
        """Which dimension each indicator belongs to."""
        return {i: d for d, group in self.dimensions.items() for i in group}

    def weights(self) -> dict[str, float]:
        """Equal nested weights: each dimension equal, split equally among its indicators."""
        share = 1.0 / len(self.dimensions)
        return {i: share / len(group) for group in self.dimensions.values() for i in group}


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


_DECREE_07 = Standard(
    id="decree-07-2021",
    title="Decree 07/2021/NĐ-CP (multidimensional poverty standard 2022–2025)",
    title_vi="Nghị định 07/2021/NĐ-CP (chuẩn nghèo đa chiều giai đoạn 2022–2025)",
    dimensions=_frozen(
        {
            "employment": ("employment", "dependants"),
            "health": ("nutrition", "health_insurance"),
            "education": ("adult_education", "child_schooling"),
            "housing": ("housing_quality", "housing_area"),
            "water_sanitation": ("water", "sanitation"),
            "information": ("telecom", "information_access"),
        }
    ),
    income_line=_frozen({c.RURAL: 1_500_000, c.URBAN: 2_000_000}),
    average_line=_frozen({c.RURAL: 2_250_000, c.URBAN: 3_000_000}),
    period="2022–2025 (end-2021 review onwards)",
    source="Decree 07/2021/NĐ-CP, 27/01/2021",
    notes=(
        "Average-living-standard band (1.5–2.25 million rural, 2–3 million urban) "
        "not verified word for word; it matches Decree 30/2025.",
    ),
)

_DECISION_59 = Standard(
    id="decision-59-2015",
    title="Decision 59/2015/QĐ-TTg (multidimensional poverty standard 2016–2020)",
    title_vi="Quyết định 59/2015/QĐ-TTg (chuẩn nghèo đa chiều giai đoạn 2016–2020)",
    dimensions=_frozen(
        {
            "health": ("health_service_access", "health_insurance"),
            "education": ("adult_education", "child_schooling"),
            "housing": ("housing_quality", "housing_area"),
            "water_sanitation": ("water", "sanitation"),
            "information": ("telecom", "information_access"),
        }
    ),
    extreme_line=_frozen({c.RURAL: 700_000, c.URBAN: 900_000}),
    income_line=_frozen({c.RURAL: 1_000_000, c.URBAN: 1_300_000}),
    average_line=_frozen({c.RURAL: 1_500_000, c.URBAN: 1_950_000}),
    period="2016–2021",
    source="Decision 59/2015/QĐ-TTg, 19/11/2015",
)

_REGISTRY: Mapping[str, Standard] = _frozen({s.id: s for s in (_DECREE_07, _DECISION_59)})

DEFAULT_STANDARD = _DECREE_07.id


def standard_ids() -> tuple[str, ...]:
    """Identifiers of every known standard."""
    return tuple(_REGISTRY)


def get_standard(standard: str | Standard) -> Standard:
    """The standard with this identifier (a Standard passes through)."""
    if isinstance(standard, Standard):
        return standard
    try:
        return _REGISTRY[standard]
    except KeyError:
        known = ", ".join(_REGISTRY)
        raise UsageError(f"unknown standard {standard!r}; known standards: {known}") from None
