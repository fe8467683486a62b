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

#: The household's commune before 1 July 2025 (optional; for review years on the new division).
FORMER_COMMUNE = "former_commune"

#: Columns every review file needs, whatever the standard (``district`` only for review years
#: up to 2024, made on the old division; from the end-2025 review it is absent or empty).
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

#: The indicator Decree 351/2025 adds (1 = household waste not collected or treated hygienically).
WASTE_DISPOSAL = "waste_disposal"

#: The indicators of Decree 07 and Decision 59 (the bundled 2021–2024 panel's columns).
ALL_INDICATORS: tuple[str, ...] = DECREE_07_INDICATORS + (HEALTH_SERVICE_ACCESS,)

#: Every indicator column the contract knows (Decree 351's ``waste_disposal`` too).
INDICATOR_COLUMNS: tuple[str, ...] = ALL_INDICATORS + (WASTE_DISPOSAL,)

#: Contract columns a file may have or not.
OPTIONAL_COLUMNS: tuple[str, ...] = (FORMER_COMMUNE,)

#: Columns added by classification.
DEPRIVATIONS = "deprivations"
STATUS = "status"

#: Area codes.
RURAL = "rural"
URBAN = "urban"
AREAS: tuple[str, ...] = (RURAL, URBAN)

#: The one ethnic group that is not an ethnic minority.
MAJORITY_ETHNICITY = "Kinh"

#: What every command says on stderr of a file whose metadata mark it synthetic.
SYNTHETIC_NOTE = "note: synthetic data (dữ liệu mô phỏng), not real household records"
