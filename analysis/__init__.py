"""Household poverty review analysis for Vietnamese provinces, starting with Bắc Kạn.

The functions a notebook needs are importable from here; see README.md for the data
contract and the command line. Names are imported on first use (PEP 562), so a command
that needs a few modules (such as ``python -m analysis summary`` on the columnar engine)
does not pay for all of them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import AnalysisError, DataError, Problem, UsageError
    from .measures.breakdowns import poverty_rates, rate_changes
    from .measures.classification import classify, deprivation_count, household_status
    from .measures.flows import poverty_flows
    from .measures.groups import with_groups
    from .measures.mpi import af_decomposition, af_dimensions, af_indicators, af_measures
    from .measures.profile import deprivation_profile, dimension_profile
    from .measures.targets import annual_verdicts, history_from_households, load_history, load_targets, period_assessment, published_history
    from .review.loading import check_files, load_households, read_table
    from .review.selection import available_years, resolve_year, select_year
    from .review.standards import DEFAULT_STANDARD, STATUSES, Standard, get_standard, standard_ids
    from .review.units import Units, load_units, slugify

#: Each public name and the module that defines it.
_WHERE: dict[str, str] = {
    "AnalysisError": ".errors",
    "DataError": ".errors",
    "Problem": ".errors",
    "UsageError": ".errors",
    "poverty_rates": ".measures.breakdowns",
    "rate_changes": ".measures.breakdowns",
    "classify": ".measures.classification",
    "deprivation_count": ".measures.classification",
    "household_status": ".measures.classification",
    "poverty_flows": ".measures.flows",
    "with_groups": ".measures.groups",
    "af_decomposition": ".measures.mpi",
    "af_dimensions": ".measures.mpi",
    "af_indicators": ".measures.mpi",
    "af_measures": ".measures.mpi",
    "deprivation_profile": ".measures.profile",
    "dimension_profile": ".measures.profile",
    "annual_verdicts": ".measures.targets",
    "history_from_households": ".measures.targets",
    "load_history": ".measures.targets",
    "load_targets": ".measures.targets",
    "period_assessment": ".measures.targets",
    "published_history": ".measures.targets",
    "check_files": ".review.loading",
    "load_households": ".review.loading",
    "read_table": ".review.loading",
    "available_years": ".review.selection",
    "resolve_year": ".review.selection",
    "select_year": ".review.selection",
    "DEFAULT_STANDARD": ".review.standards",
    "STATUSES": ".review.standards",
    "Standard": ".review.standards",
    "get_standard": ".review.standards",
    "standard_ids": ".review.standards",
    "Units": ".review.units",
    "load_units": ".review.units",
    "slugify": ".review.units",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_STANDARD",
    "STATUSES",
    "AnalysisError",
    "DataError",
    "Problem",
    "Standard",
    "Units",
    "UsageError",
    "af_decomposition",
    "af_dimensions",
    "af_indicators",
    "af_measures",
    "annual_verdicts",
    "available_years",
    "check_files",
    "classify",
    "deprivation_count",
    "deprivation_profile",
    "dimension_profile",
    "get_standard",
    "history_from_households",
    "household_status",
    "load_history",
    "load_households",
    "load_targets",
    "load_units",
    "period_assessment",
    "poverty_flows",
    "poverty_rates",
    "published_history",
    "rate_changes",
    "read_table",
    "resolve_year",
    "select_year",
    "slugify",
    "standard_ids",
    "with_groups",
]
