"""The household record: the column names that form the data contract."""

from __future__ import annotations

HOUSEHOLD_ID = "household_id"
YEAR = "year"
PROVINCE = "province"
DISTRICT = "district"
COMMUNE = "commune"
AREA = "area"
ETHNICITY = "ethnicity"
MEMBERS = "members"
INCOME = "income_per_capita"

#: Columns every review file needs, whatever the standard.
IDENTITY_COLUMNS: tuple[str, ...] = (
    HOUSEHOLD_ID,
    YEAR,
    PROVINCE,
    DISTRICT,
    COMMUNE,
    AREA,
    ETHNICITY,
    MEMBERS,
    INCOME,
)

#: The twelve Decree-07 indicators, in the decree's order.
DECREE_07_INDICATORS: tuple[str, ...] = (
    "employment",
    "dependants",
    "nutrition",
    "health_insurance",
    "adult_education",
    "child_schooling",
    "housing_quality",
    "housing_area",
    "water",
    "sanitation",
    "telecom",
    "information_access",
)

#: The indicator Decision 59 had and Decree 07 dropped.
HEALTH_SERVICE_ACCESS = "health_service_access"

#: Every indicator column the contract knows.
ALL_INDICATORS: tuple[str, ...] = DECREE_07_INDICATORS + (HEALTH_SERVICE_ACCESS,)

#: Columns added by classification.
DEPRIVATIONS = "deprivations"
STATUS = "status"

#: Area codes.
RURAL = "rural"
URBAN = "urban"
AREAS: tuple[str, ...] = (RURAL, URBAN)

#: The one ethnic group that is not an ethnic minority.
MAJORITY_ETHNICITY = "Kinh"
