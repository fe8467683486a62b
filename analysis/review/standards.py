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

#: ``above_line``: above the income line under a standard that publishes no
#: average-living-standard band (Decree 351/2025), so "average" cannot be told apart.
STATUSES: tuple[str, ...] = ("poor", "near_poor", "average", "above_average", "above_line")


@dataclass(frozen=True)
class Standard:
    """A multidimensional poverty standard.

    A household with income at or below ``extreme_line`` is poor whatever its
    deprivations (Decision 59 has such a line; Decree 07 does not). At or below
    ``income_line`` it is poor when deprived in at least ``deprivation_cutoff``
    indicators and near-poor otherwise. Up to ``average_line`` it has an average living
    standard; above, above average. A standard with no published band (``average_line``
    None) calls every household above the income line ``above_line``. A ``provisional``
    standard's text is not yet checked: every output that uses it says so.
    """

    id: str
    title: str
    title_vi: str
    dimensions: Mapping[str, tuple[str, ...]]
    income_line: Mapping[str, int]
    average_line: Mapping[str, int] | None
    extreme_line: Mapping[str, int] | None = None
    deprivation_cutoff: int = 3
    period: str = ""
    source: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    provisional: bool = False
    provisional_note: str = ""
    provisional_note_vi: str = ""

    def title_in(self, lang: str) -> str:
        """The title in a brief's language (Vietnamese, else English)."""
        return {"vi": self.title_vi}.get(lang, self.title)

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

_DECREE_351 = Standard(
    id="decree-351-2025",
    title="Decree 351/2025/NĐ-CP (multidimensional poverty standard 2027–2030; provisional)",
    title_vi="Nghị định 351/2025/NĐ-CP (chuẩn nghèo đa chiều giai đoạn 2027–2030; tạm thời)",
    dimensions=_frozen(
        {
            "employment": ("employment", "dependants"),
            "health": ("nutrition", "health_insurance"),
            "education": ("adult_education", "child_schooling"),
            "housing": ("housing_quality", "housing_area"),
            "water_sanitation": ("water", "sanitation", c.WASTE_DISPOSAL),
            "information": ("telecom",),
        }
    ),
    income_line=_frozen({c.RURAL: 2_200_000, c.URBAN: 2_800_000}),
    average_line=None,
    period="2027–2030 (the end-2026 review classifies under it to set the new period's baseline)",
    source=(
        "Decree 351/2025/NĐ-CP, signed 30/12/2025 per the press (vietnamnet.vn/en 2484119, huengaynay.vn 161540, "
        "sggp.org.vn post831518); indicators as reported of the September 2025 draft (vietnam.vn/en; news.laodong.vn 1576677)"
    ),
    notes=(
        "Provisional: the income lines come from press reports and the indicators from reports of the "
        "September 2025 draft; neither is checked against the gazetted text.",
        "Indicators: Decree 07's twelve without 'means of access to information', plus household waste "
        "treatment (waste_disposal) in the water, sanitation and environment dimension.",
        "No average-living-standard band is published for this standard: households above the line are "
        "'above_line', not split into average and above average.",
        "The draft's lower line (1,900,000 rural / 2,500,000 urban, poor whatever the deprivations) is not in "
        "the reports of the signed decree and is not applied.",
    ),
    provisional=True,
    provisional_note=(
        "decree-351-2025 is provisional: its lines are from press reports and its indicators from the 2025 draft, "
        "not yet checked against the gazetted text; it publishes no average-living-standard band"
    ),
    provisional_note_vi=(
        "chuẩn nghèo theo Nghị định 351/2025/NĐ-CP là tạm thời: chuẩn thu nhập theo báo chí, chỉ số theo dự thảo 2025, "
        "chưa đối chiếu văn bản chính thức; không có chuẩn hộ có mức sống trung bình"
    ),
)

_REGISTRY: Mapping[str, Standard] = _frozen({s.id: s for s in (_DECREE_07, _DECISION_59, _DECREE_351)})

DEFAULT_STANDARD = _DECREE_07.id


def standard_ids() -> tuple[str, ...]:
    """Identifiers of every known standard."""
    return tuple(_REGISTRY)


def parse_standards(text: str) -> tuple[Standard, ...]:
    """Standards named in ``A`` or ``A,B`` (to classify one file under several side by side)."""
    ids = [part.strip() for part in str(text).split(",") if part.strip()]
    if not ids:
        raise UsageError(f"no standard named; known standards: {', '.join(_REGISTRY)}")
    if len(set(ids)) != len(ids):
        raise UsageError(f"a standard named twice in {text!r}")
    return tuple(get_standard(i) for i in ids)


def get_standard(standard: str | Standard) -> Standard:
    """The standard with this identifier (a Standard passes through)."""
    if isinstance(standard, Standard):
        return standard
    try:
        return _REGISTRY[standard]
    except KeyError:
        known = ", ".join(_REGISTRY)
        raise UsageError(f"unknown standard {standard!r}; known standards: {known}") from None
