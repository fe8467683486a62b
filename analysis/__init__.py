"""Household poverty review analysis for Vietnamese provinces, starting with Bắc Kạn.

The functions a notebook needs are importable from here; see README.md for the data
contract and the command line.
"""

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
