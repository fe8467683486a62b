"""Household poverty review analysis for Vietnamese provinces, starting with Bắc Kạn.

The functions a notebook needs are importable from here; see README.md for the data
contract and the command line.
"""

from .classification import classify, deprivation_count, household_status
from .errors import DataError, Problem, UsageError
from .loading import check_files, load_households, read_table
from .selection import available_years, resolve_district, resolve_year, select_year
from .standards import DEFAULT_STANDARD, STATUSES, Standard, get_standard, standard_ids
from .units import Units, load_units, slugify

__all__ = [
    "DEFAULT_STANDARD",
    "STATUSES",
    "DataError",
    "Problem",
    "Standard",
    "Units",
    "UsageError",
    "available_years",
    "check_files",
    "classify",
    "deprivation_count",
    "get_standard",
    "household_status",
    "load_households",
    "load_units",
    "read_table",
    "resolve_district",
    "resolve_year",
    "select_year",
    "slugify",
    "standard_ids",
]
