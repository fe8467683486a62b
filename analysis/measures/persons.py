"""Rates by people beside rates by households.

The official rates count households; a rate by people counts the members of the households
(``members``): the share of the population living in poor households. Where poor
households are larger than average the rate by people is the higher. The briefs say so when
the two differ by ``material_gap_pp`` (``[persons]`` of ``data/brief_settings.toml``).
"""

from __future__ import annotations

import pandas as pd

from .breakdowns import MEASURES

#: The columns :func:`with_person_rates` adds, in order.
PERSON_COLUMNS: tuple[str, ...] = (
    "persons",
    *(f"{m}_persons" for m in MEASURES),
    *(f"{m}_persons_rate" for m in MEASURES),
    *(f"{m}_persons_gap_pp" for m in MEASURES),
)


def with_person_rates(households: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    """``households`` (``poverty_rates``, household-weighted) with the same units' counts and
    rates by people (``poverty_rates(weight="persons")`` of the same households and grouping):
    ``persons``, ``<m>_persons``, ``<m>_persons_rate`` (percent of people) and
    ``<m>_persons_gap_pp`` (rate by people − rate by households, pp) for each measure."""
    keys = [col for col in households.columns if col in persons.columns and col not in ("households", *MEASURES, "average")
            and not col.endswith("_rate") and not col.endswith("_persons")]
    counted = ["persons", *(f"{m}_persons" for m in MEASURES)]
    rated = persons[keys + counted].copy()
    rated[counted] = rated[counted].round().astype("int64")  # members are whole people
    for m in MEASURES:
        rated[f"{m}_persons_rate"] = persons[f"{m}_rate"].to_numpy()
    out = households.merge(rated, on=keys, how="left", sort=False, validate="one_to_one")
    for m in MEASURES:
        out[f"{m}_persons_gap_pp"] = out[f"{m}_persons_rate"] - out[f"{m}_rate"]
    out.attrs.update(households.attrs)
    return out
