"""Synthetic Bắc Kạn household review records, 2021–2024, calibrated to published totals.

The data are SYNTHETIC: no record describes a real household. They exist so the reports,
notebooks and tests have realistic input; ``data/SYNTHETIC.md`` says what is published and
what is assumed. Regenerate the bundled file with ``python -m analysis synth``.

It is the bundled province's generator on purpose: it reads the bundled units
(``data/units.csv``, :func:`~analysis.review.units.load_units`), never the units of a file
being analysed (:func:`~analysis.review.units.units_for` picks those elsewhere).

Method, in the order the generator runs:

1. **Places.** Every district and all 108 communes of ``data/units.csv``. District household
   counts for 2021 are assumptions (no source gives them; see ``DISTRICT_HOUSEHOLDS_2021``)
   summing to 81,488, the total that makes all four published 2021 rates round right.
   Wards (phường) and towns (thị trấn) are urban, communes (xã) rural.
2. **People.** Each commune gets an ethnic mix from a district prior (Kinh concentrated in
   wards and towns), raked so that province people shares match the 2019 census. Household
   size is drawn per ethnic group and area.
3. **Panel.** Households keep their ``household_id`` across years; each year a few dissolve
   and a few split off from existing ones (net about +600 a year, as 2019→2021).
4. **Welfare.** A latent score per household-year: commune + area + ethnic effects,
   persistent household noise, a household path (2021 level + the household's own steady
   trend + rare lasting setbacks + a small yearly wobble) and a household-size penalty.
   The path keeps last year's ordering mostly intact, so flows stay at the size review
   reports show: most poor stay poor, most who exit stay out, few fall back.
5. **Income by quota.** Within each district and year, households are ranked by welfare and
   the lowest get incomes at or below the Decree-07 line, as many as that district's
   poor + near-poor quota. District quotas come from assumed district rate paths
   (``DISTRICT_POOR_RATES``) scaled so the province totals hit the published figures
   exactly; Thành phố Bắc Kạn's 2023 rate is pinned to the published 1.97%. Within the
   below-line group, bands follow Decision 59 (≤ extreme line, ≤ its income line, ≤ the
   Decree-07 line) so the old standard can be hit exactly for 2021 too.
6. **Deprivations.** Each indicator has a latent margin (household deprivation latent ×
   loading + district, ethnic and area effects + persistent household-indicator noise).
   Within the below-line group the most deprived households (by a soft count) are chosen
   as poor, exactly the quota; then the fewest indicators are switched on or off so that
   chosen households have ≥ 3 Decree-07 deprivations and the others ≤ 2. In 2021's
   Decision-59 band between the extreme and the income line, ``health_service_access``
   (counted only by Decision 59) and the Decree-07-only indicators absorb the repair so that
   exactly the published number there has ≥ 3 Decision-59 deprivations. Years are done in
   order, and from 2022 each margin is tilted towards last year's value of the indicator
   (``INDICATOR_STATE_DEPENDENCE``), so deprivations, and who is poor within the below-line
   group, persist across years.

Status is never stored: ``analysis.classification.classify`` derives it from income and
indicators, and the published totals come out exactly because of the construction above.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..files import replacing
from ..paths import BUNDLED_HOUSEHOLDS, PUBLISHED_FIGURES
from ..review import columns as c
from ..review.standards import get_standard
from ..review.units import Units, load_units

DEFAULT_SEED: int = 2021

YEARS: tuple[int, ...] = (2021, 2022, 2023, 2024)
BASE_YEAR = YEARS[0]

#: Chosen inside the published range 81,478–81,498 (all four 2021 rates round right).
HOUSEHOLDS_2021 = 81_488

#: The province whose published figures (data/published.csv) the generator reproduces.
PROVINCE = "Bắc Kạn"


def _published(standard: str, measure: str) -> pd.Series:
    """One published province measure by year, read from data/published.csv."""
    figures = pd.read_csv(PUBLISHED_FIGURES, encoding="utf-8-sig")
    rows = figures[(figures["scope"] == "province") & (figures["standard"] == standard)
                   & (figures["measure"] == measure) & (figures["province"] == PROVINCE)]
    return rows.set_index("year")["value"]


#: Published province totals (households) of the base year the generator reproduces exactly
#: (the end-2021 review; see data/SYNTHETIC.md).
PUBLISHED_2021: Mapping[str, Mapping[str, int]] = MappingProxyType(
    {
        std: MappingProxyType({m: int(_published(std, m)[BASE_YEAR]) for m in ("poor", "near_poor")})
        for std in ("decree-07-2021", "decision-59-2015")
    }
)

#: Published Decree-07 province poor rates (% of households) for later reviews.
_RATES = _published("decree-07-2021", "poor_rate")
PUBLISHED_POOR_RATES: Mapping[int, float] = MappingProxyType(
    {y: float(v) for y, v in zip(_RATES.index.astype(int), _RATES) if BASE_YEAR < y <= YEARS[-1]}
)

#: Near-poor rates after 2021: NOT published; an assumed gentle decline.
ASSUMED_NEAR_POOR_RATES: Mapping[int, float] = MappingProxyType({2022: 9.45, 2023: 9.10, 2024: 8.70})

#: Yearly household dynamics (assumed; the province grew about +600 households a year 2019→2021).
DISSOLVED_PER_YEAR = 350
NEW_PER_YEAR = 950

#: Households with income at or below Decision 59's extreme line in 2021 (assumed); the
#: rest of Decision 59's poor are in the band above it with ≥ 3 deprivations.
EXTREME_LINE_HOUSEHOLDS_2021 = 5_400

#: Assumed 2021 district household counts (sum = HOUSEHOLDS_2021). Only Ngân Sơn has a
#: published anchor: about 7,400 households in 2019 (2,543 poor at 34.29%).
DISTRICT_HOUSEHOLDS_2021: Mapping[str, int] = MappingProxyType(
    {
        "Thành phố Bắc Kạn": 12_400,
        "Pác Nặm": 7_150,
        "Ba Bể": 12_700,
        "Ngân Sơn": 7_650,
        "Bạch Thông": 8_150,
        "Chợ Đồn": 13_000,
        "Chợ Mới": 10_150,
        "Na Rì": 10_288,
    }
)

#: Assumed Decree-07 district poor-rate paths 2021–2024 (%), shaped like the published 2019
#: district ordering; scaled each year so the province total is exact.
DISTRICT_POOR_RATES: Mapping[str, tuple[float, ...]] = MappingProxyType(
    {
        "Thành phố Bắc Kạn": (2.8, 2.4, 1.97, 1.7),
        "Pác Nặm": (56.0, 52.0, 47.0, 42.5),
        "Ba Bể": (29.0, 26.5, 23.5, 21.0),
        "Ngân Sơn": (50.5, 46.5, 42.0, 38.0),
        "Bạch Thông": (23.5, 21.5, 19.0, 17.0),
        "Chợ Đồn": (20.0, 18.0, 15.5, 13.5),
        "Chợ Mới": (21.0, 19.0, 16.5, 14.5),
        "Na Rì": (31.0, 28.5, 25.5, 22.5),
    }
)
#: Published district rates held exactly instead of scaled: (district, year) -> %.
PINNED_DISTRICT_POOR_RATES: Mapping[tuple[str, int], float] = MappingProxyType(
    {("Thành phố Bắc Kạn", 2023): 1.97}
)

#: Assumed near-poor rates by district (%), constant shape over the years, scaled to totals.
DISTRICT_NEAR_POOR_RATES: Mapping[str, float] = MappingProxyType(
    {
        "Thành phố Bắc Kạn": 1.8,
        "Pác Nặm": 14.0,
        "Ba Bể": 10.5,
        "Ngân Sơn": 14.0,
        "Bạch Thông": 10.0,
        "Chợ Đồn": 9.5,
        "Chợ Mới": 9.5,
        "Na Rì": 11.0,
    }
)

ETHNIC_GROUPS: tuple[str, ...] = ("Kinh", "Tày", "Dao", "Nùng", "Mông", "Sán Chay", "Hoa", "Khác")

#: Census 1/4/2019 people shares (%) by ethnic group, Bắc Kạn.
CENSUS_PEOPLE_SHARES: Mapping[str, float] = MappingProxyType(
    {"Kinh": 11.98, "Tày": 52.58, "Dao": 17.86, "Nùng": 9.15, "Mông": 7.2, "Sán Chay": 0.54, "Hoa": 0.26, "Khác": 0.43}
)

#: Assumed ethnic mix priors of rural communes by district (order of ETHNIC_GROUPS);
#: raked to the census afterwards, so only the pattern matters.
DISTRICT_ETHNIC_PRIORS: Mapping[str, tuple[float, ...]] = MappingProxyType(
    {
        "Thành phố Bắc Kạn": (25, 55, 6, 10, 0.5, 0.5, 1.5, 1.0),
        "Pác Nặm": (1, 25, 30, 8, 35, 0.2, 0.1, 0.7),
        "Ba Bể": (6, 55, 22, 5, 11, 0.2, 0.1, 0.7),
        "Ngân Sơn": (3, 45, 20, 25, 6, 0.2, 0.1, 0.7),
        "Bạch Thông": (8, 62, 15, 12, 2, 0.2, 0.1, 0.7),
        "Chợ Đồn": (7, 68, 13, 5, 5, 1.0, 0.1, 0.9),
        "Chợ Mới": (15, 42, 22, 15, 3, 2.0, 0.3, 0.7),
        "Na Rì": (5, 55, 16, 20, 3, 0.3, 0.1, 0.6),
    }
)
#: Wards and towns: Kinh and Hoa much more common than in the district's rural communes.
URBAN_ETHNIC_BOOST: tuple[float, ...] = (6.0, 1.0, 0.4, 1.0, 0.2, 1.0, 3.0, 1.0)

#: Mean household size (rural) by ethnic group; urban households are 0.3 smaller.
MEAN_MEMBERS_RURAL: tuple[float, ...] = (3.4, 3.7, 4.3, 3.9, 5.4, 4.0, 3.6, 4.0)
URBAN_MEMBERS_OFFSET = -0.3

#: Welfare effects (latent units) by ethnic group, and of living in a ward or town.
ETHNIC_WELFARE: tuple[float, ...] = (0.7, 0.1, -0.35, 0.0, -0.6, -0.1, 0.6, -0.2)
URBAN_WELFARE = 0.6

#: Income bands (VND/person/month) per area, lower bound exclusive, upper inclusive.
#: A ≤ Decision-59 extreme line < B ≤ its income line < C ≤ Decree-07 line < average ≤
#: Decree-07 average line < above average.
INCOME_FLOOR: Mapping[str, int] = MappingProxyType({c.RURAL: 200_000, c.URBAN: 300_000})
INCOME_CEILING: Mapping[str, int] = MappingProxyType({c.RURAL: 6_000_000, c.URBAN: 10_000_000})
#: Relative household counts of a ward, town and rural commune (assumed; towns of the
#: mountain districts are small).
COMMUNE_SIZE_WEIGHT: Mapping[str, float] = MappingProxyType({"Phường": 2.2, "Thị trấn": 1.4, "Xã": 1.0})

#: Share of households above the Decree-07 line that have an average living standard.
AVERAGE_SHARE_ABOVE_LINE = 0.3

SHARED_INDICATORS: tuple[str, ...] = c.DECREE_07_INDICATORS[3:]
DECREE_07_ONLY: tuple[str, ...] = c.DECREE_07_INDICATORS[:3]

@dataclass(frozen=True)
class IndicatorEffects:
    """Latent margin of one indicator: intercept, loading on the household deprivation
    latent, and extra margin for poor districts, Mông, Dao, Kinh/Hoa, urban areas and
    ethnic minorities in rural areas. Positive = more often deprived. Assumed values."""

    intercept: float
    loading: float
    poor_district: float = 0.0
    mong: float = 0.0
    dao: float = 0.0
    kinh_hoa: float = 0.0
    urban: float = 0.0
    rural_minority: float = 0.0


INDICATOR_EFFECTS: Mapping[str, IndicatorEffects] = MappingProxyType(
    {
        "employment": IndicatorEffects(-1.6, 0.8, 0.2, 0.2, 0.1, -0.2, 0.1),
        "dependants": IndicatorEffects(-1.7, 0.6, 0.1, 0.4, 0.2, -0.1, 0.0),
        "nutrition": IndicatorEffects(-2.2, 0.7, 0.4, 0.6, 0.4, -0.3, -0.3),
        "health_insurance": IndicatorEffects(-2.4, 0.3, -0.4, 0.0, 0.0, 0.4, 0.6, -0.8),
        "adult_education": IndicatorEffects(-2.0, 0.8, 0.5, 0.9, 0.6, -0.4, -0.4),
        "child_schooling": IndicatorEffects(-3.0, 0.7, 0.4, 0.7, 0.4, -0.3, -0.3),
        "housing_quality": IndicatorEffects(-1.7, 1.0, 0.5, 0.9, 0.6, -0.5, -0.6),
        "housing_area": IndicatorEffects(-2.4, 0.7, 0.2, 0.5, 0.3, -0.2, 0.2),
        "water": IndicatorEffects(-1.6, 0.9, 0.6, 0.9, 0.6, -0.4, -1.0),
        "sanitation": IndicatorEffects(-1.0, 1.0, 0.6, 1.0, 0.7, -0.5, -1.0),
        "telecom": IndicatorEffects(-2.8, 0.7, 0.3, 0.5, 0.3, -0.3, -0.6),
        "information_access": IndicatorEffects(-1.4, 0.9, 0.4, 0.6, 0.4, -0.4, -0.6),
        "health_service_access": IndicatorEffects(-1.8, 0.7, 0.6, 0.6, 0.4, -0.3, -0.8),
    }
)
#: Deprivations ease a little each year (programme investment), in latent units.
INDICATOR_YEARLY_EASING = 0.08
#: Sd of the fresh yearly noise on each indicator margin (the rest is persistent).
INDICATOR_YEARLY_NOISE = 0.05
#: Margin added (deprived last year) or subtracted (not deprived) from the year after.
INDICATOR_STATE_DEPENDENCE = 0.4

#: Household welfare path (latent units; see ``yearly_shocks``): sd of the 2021 level,
#: sd of each household's yearly trend, yearly chance and mean size of a lasting setback,
#: and sd of the yearly wobble around the path.
WELFARE_SHOCK_SD = 0.55
WELFARE_TREND_SD = 0.25
SETBACK_RATE = 0.04
SETBACK_SIZE = 1.2
WELFARE_WOBBLE_SD = 0.05

ID_PREFIX = "BK"


# --- allocation helpers ------------------------------------------------------------------


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total in proportion to weights (largest remainder), exactly."""
    weights = np.asarray(weights, dtype=float)
    raw = total * weights / weights.sum()
    counts = np.floor(raw).astype(np.int64)
    short = total - int(counts.sum())
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[:short]] += 1
    return counts


def count_for_rate(rate: float, households: int) -> int:
    """The household count whose share of ``households`` rounds to ``rate`` (%, 2 dp)."""
    guess = round(rate * households / 100)
    for count in sorted(range(guess - 3, guess + 4), key=lambda k: abs(k - guess)):
        if round(100 * count / households, 2) == round(rate, 2):
            return count
    raise ValueError(f"no count of {households} households rounds to {rate}%")


def rank_within(groups: np.ndarray, key: np.ndarray) -> np.ndarray:
    """0-based rank of each key within its group (ascending; ties by position)."""
    order = np.lexsort((np.arange(len(key)), key, groups))
    sorted_groups = groups[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_groups)) + 1]
    sizes = np.diff(np.r_[starts, len(order)])
    ranks = np.empty(len(key), dtype=np.int64)
    ranks[order] = np.arange(len(order)) - np.repeat(starts, sizes)
    return ranks


def rank_desc_rows(key: np.ndarray) -> np.ndarray:
    """Per row, 0-based rank of each column by descending key."""
    order = np.argsort(-key, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(key.shape[1])[None, :].repeat(len(key), 0), axis=1)
    return ranks


# --- places and people -------------------------------------------------------------------


def commune_table(units: Units, rng: np.random.Generator) -> pd.DataFrame:
    """One row per commune: district, area, 2021 households, welfare effect, ethnic mix."""
    rows = units.table[units.table["level"] == "commune"]
    code_district = {code: name for name, code in units.district_codes.items()}
    frame = pd.DataFrame(
        {
            c.DISTRICT: rows["parent_code"].astype(int).map(code_district).to_numpy(),
            c.COMMUNE: rows["name"].to_numpy(),
            "district_code": rows["parent_code"].astype(int).to_numpy(),
            "commune_code": rows["code"].astype(int).to_numpy(),
            c.AREA: np.where(rows["division_type"].isin(["Phường", "Thị trấn"]), c.URBAN, c.RURAL),
        }
    )
    urban = (frame[c.AREA] == c.URBAN).to_numpy()
    size_weight = np.array([COMMUNE_SIZE_WEIGHT[t] for t in rows["division_type"]]) * rng.lognormal(0.0, 0.3, len(frame))
    households = np.zeros(len(frame), dtype=np.int64)
    for district, total in DISTRICT_HOUSEHOLDS_2021.items():
        here = (frame[c.DISTRICT] == district).to_numpy()
        households[here] = allocate(total, size_weight[here])
    frame["households_2021"] = households
    frame["welfare_effect"] = rng.normal(0.0, 0.35, len(frame)) + np.where(urban, URBAN_WELFARE, 0.0)
    mix = ethnic_mix(frame, rng)
    for j, group in enumerate(ETHNIC_GROUPS):
        frame[f"share_{group}"] = mix[:, j]
    return frame


def mean_members(urban: np.ndarray) -> np.ndarray:
    """Expected household size, communes × ethnic groups."""
    return np.asarray(MEAN_MEMBERS_RURAL)[None, :] + np.where(urban, URBAN_MEMBERS_OFFSET, 0.0)[:, None]


def ethnic_mix(communes: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Household shares by ethnic group per commune, raked to the census people shares.

    District priors give the pattern (Kinh in wards and towns, Mông and Dao in the poor
    districts); multiplicative raking keeps it while matching the province totals.
    """
    urban = (communes[c.AREA] == c.URBAN).to_numpy()
    prior = np.array([DISTRICT_ETHNIC_PRIORS[d] for d in communes[c.DISTRICT]], dtype=float)
    prior *= np.where(urban[:, None], np.asarray(URBAN_ETHNIC_BOOST)[None, :], 1.0)
    prior *= rng.lognormal(0.0, 0.4, prior.shape)
    shares = prior / prior.sum(axis=1, keepdims=True)
    households = communes["households_2021"].to_numpy(dtype=float)[:, None]
    members = mean_members(urban)
    target = np.array([CENSUS_PEOPLE_SHARES[g] for g in ETHNIC_GROUPS]) / 100
    for _ in range(200):
        people = (households * shares * members).sum(axis=0)
        shares = shares * (target * people.sum() / people)[None, :]
        shares /= shares.sum(axis=1, keepdims=True)
    return shares


# --- the panel of households ---------------------------------------------------------------


@dataclass(frozen=True)
class Registry:
    """Every household that ever exists, with persistent traits and years alive."""

    commune: np.ndarray  # index into the commune table
    ethnicity: np.ndarray  # index into ETHNIC_GROUPS
    serial: np.ndarray  # number within the commune, for the id
    members: np.ndarray  # households × years
    welfare_base: np.ndarray
    deprivation_base: np.ndarray
    indicator_noise: np.ndarray  # households × indicators
    first_year: np.ndarray
    last_year: np.ndarray


def draw_members(mean: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Household size ≥ 1 with the given mean."""
    return 1 + rng.poisson(np.maximum(mean - 1.0, 0.1))


def initial_households(communes: pd.DataFrame, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The 2021 households: commune, ethnic group (by quota per commune), size, latents."""
    counts = communes["households_2021"].to_numpy()
    shares = communes[[f"share_{g}" for g in ETHNIC_GROUPS]].to_numpy()
    commune = np.repeat(np.arange(len(communes)), counts)
    ethnicity = np.concatenate(
        [rng.permutation(np.repeat(np.arange(len(ETHNIC_GROUPS)), allocate(n, s))) for n, s in zip(counts, shares)]
    )
    serial = np.concatenate([np.arange(1, n + 1) for n in counts])
    urban = (communes[c.AREA] == c.URBAN).to_numpy()[commune]
    members = draw_members(mean_members(urban)[np.arange(len(commune)), ethnicity], rng)
    return {
        "commune": commune,
        "ethnicity": ethnicity,
        "serial": serial,
        "members": members,
        "welfare_base": rng.normal(0.0, 1.0, len(commune)),
    }


def build_registry(communes: pd.DataFrame, rng: np.random.Generator) -> Registry:
    """2021 households plus the yearly split-offs; dissolutions set a last year."""
    first = initial_households(communes, rng)
    commune, ethnicity, members0 = [first["commune"]], [first["ethnicity"]], [first["members"]]
    welfare, first_year = [first["welfare_base"]], [np.full(len(first["commune"]), BASE_YEAR)]
    alive = np.arange(len(first["commune"]))
    last_year = {}
    size = len(first["commune"])
    for year in YEARS[1:]:
        dissolved = rng.choice(alive, DISSOLVED_PER_YEAR, replace=False)
        for h in dissolved:
            last_year[int(h)] = year - 1
        alive = np.setdiff1d(alive, dissolved)
        parents = rng.choice(alive, NEW_PER_YEAR, replace=False)
        all_commune = np.concatenate(commune)
        all_welfare = np.concatenate(welfare)
        commune.append(all_commune[parents])
        ethnicity.append(np.concatenate(ethnicity)[parents])
        members0.append(1 + rng.binomial(3, 0.5, NEW_PER_YEAR))
        welfare.append(0.7 * all_welfare[parents] + rng.normal(0.0, 0.7, NEW_PER_YEAR))
        first_year.append(np.full(NEW_PER_YEAR, year))
        alive = np.r_[alive, np.arange(size, size + NEW_PER_YEAR)]
        size += NEW_PER_YEAR
    commune_all = np.concatenate(commune)
    new = np.arange(len(first["commune"]), size)
    serial = np.r_[first["serial"], communes["households_2021"].to_numpy()[commune_all[new]] + rank_within(commune_all[new], new.astype(float)) + 1]
    last = np.full(size, YEARS[-1])
    last[list(last_year)] = list(last_year.values())
    return Registry(
        commune=commune_all,
        ethnicity=np.concatenate(ethnicity),
        serial=serial,
        members=evolve_members(np.concatenate(members0), rng),
        welfare_base=np.concatenate(welfare),
        deprivation_base=rng.normal(0.0, 1.0, size),
        indicator_noise=rng.normal(0.0, 0.8, (size, len(c.ALL_INDICATORS))),
        first_year=np.concatenate(first_year),
        last_year=last,
    )


def evolve_members(start: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Household size per year: mostly stable, occasionally one more or one fewer."""
    steps = rng.choice([-1, 0, 1], size=(len(start), len(YEARS) - 1), p=[0.05, 0.9, 0.05])
    return np.maximum(1, start[:, None] + np.c_[np.zeros(len(start), dtype=np.int64), np.cumsum(steps, axis=1)])


def yearly_shocks(households: int, rng: np.random.Generator) -> np.ndarray:
    """Household welfare path relative to 2021, households × years (latent units).

    Each household has a level, its own steady trend (most households that gain keep
    gaining, most that lose keep losing), rare lasting setbacks (illness, disaster, lost
    work) and a small yearly wobble. The trend and setbacks make the year-to-year ordering
    of households mostly stable: a household that leaves poverty seldom falls back.
    """
    steps = np.arange(len(YEARS), dtype=float)
    level = rng.normal(0.0, WELFARE_SHOCK_SD, households)
    trend = rng.normal(0.0, WELFARE_TREND_SD, households)
    hit = rng.random((households, len(YEARS))) < SETBACK_RATE
    hit[:, 0] = False
    size = rng.normal(SETBACK_SIZE, 0.25 * SETBACK_SIZE, (households, len(YEARS)))
    setbacks = np.cumsum(np.where(hit, -np.abs(size), 0.0), axis=1)
    wobble = rng.normal(0.0, WELFARE_WOBBLE_SD, (households, len(YEARS)))
    return level[:, None] + trend[:, None] * steps[None, :] + setbacks + wobble


# --- quotas ----------------------------------------------------------------------------------


def district_quotas(total: int, sizes: np.ndarray, rates: np.ndarray, pinned: Mapping[int, int]) -> np.ndarray:
    """Split a province count over districts in proportion to size × assumed rate.

    ``pinned`` maps district positions to counts held fixed (published district figures).
    """
    quotas = np.zeros(len(sizes), dtype=np.int64)
    free = np.ones(len(sizes), dtype=bool)
    for position, count in pinned.items():
        quotas[position] = count
        free[position] = False
    quotas[free] = allocate(total - int(quotas.sum()), sizes[free] * rates[free])
    return quotas


def province_targets(households: int, year: int) -> tuple[int, int]:
    """Decree-07 poor and near-poor province counts for a year."""
    if year == BASE_YEAR:
        published = PUBLISHED_2021["decree-07-2021"]
        return published["poor"], published["near_poor"]
    return (
        count_for_rate(PUBLISHED_POOR_RATES[year], households),
        count_for_rate(ASSUMED_NEAR_POOR_RATES[year], households),
    )


# --- indicators --------------------------------------------------------------------------------


def indicator_margins(panel: pd.DataFrame, deprivation: np.ndarray, noise: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Latent margins, rows × indicators: deprived where positive (before the quota repair)."""
    ethnicity = panel["ethnicity_index"].to_numpy()
    urban = panel[c.AREA].to_numpy() == c.URBAN
    poor_district = panel["poor_district"].to_numpy()
    mong = ethnicity == ETHNIC_GROUPS.index("Mông")
    dao = ethnicity == ETHNIC_GROUPS.index("Dao")
    kinh_hoa = np.isin(ethnicity, [ETHNIC_GROUPS.index("Kinh"), ETHNIC_GROUPS.index("Hoa")])
    rural_minority = ~urban & ~kinh_hoa
    years_on = (panel[c.YEAR].to_numpy() - BASE_YEAR).astype(float)
    margins = np.empty((len(panel), len(c.ALL_INDICATORS)))
    for j, name in enumerate(c.ALL_INDICATORS):
        e = INDICATOR_EFFECTS[name]
        margins[:, j] = (
            e.intercept
            + e.loading * deprivation
            + e.poor_district * poor_district
            + e.mong * mong
            + e.dao * dao
            + e.kinh_hoa * kinh_hoa
            + e.urban * urban
            + e.rural_minority * rural_minority
            - INDICATOR_YEARLY_EASING * years_on
        )
    return margins + noise + rng.normal(0.0, INDICATOR_YEARLY_NOISE, margins.shape)


def soft_count(margins: np.ndarray, columns: list[int]) -> np.ndarray:
    """Expected number of deprivations in ``columns``: ranks households by how deprived."""
    return (1.0 / (1.0 + np.exp(-2.0 * margins[:, columns]))).sum(axis=1)


def at_least(deprived: np.ndarray, margins: np.ndarray, rows: np.ndarray, columns: list[int], k: np.ndarray | int) -> None:
    """Switch on, in ``rows``, the most likely indicators of ``columns`` until ≥ k are on."""
    cells = np.ix_(rows, np.asarray(columns, dtype=np.intp))
    sub = deprived[cells]
    ranks = rank_desc_rows(margins[cells] + 1e6 * sub)
    deprived[cells] = sub | (ranks < np.broadcast_to(k, len(rows))[:, None])


def at_most(deprived: np.ndarray, margins: np.ndarray, rows: np.ndarray, columns: list[int], k: int) -> None:
    """Switch off, in ``rows``, the least likely indicators of ``columns`` until ≤ k are on."""
    cells = np.ix_(rows, np.asarray(columns, dtype=np.intp))
    sub = deprived[cells]
    ranks = rank_desc_rows(margins[cells] + 1e6 * sub)
    deprived[cells] = sub & (ranks < k)


# --- assembling ----------------------------------------------------------------------------------


def panel_frame(communes: pd.DataFrame, registry: Registry, units: Units) -> pd.DataFrame:
    """One row per household and year alive, with place, ethnic group and size."""
    household = np.concatenate([np.flatnonzero((registry.first_year <= y) & (registry.last_year >= y)) for y in YEARS])
    year = np.concatenate([np.full(((registry.first_year <= y) & (registry.last_year >= y)).sum(), y) for y in YEARS])
    commune = registry.commune[household]
    district = communes[c.DISTRICT].to_numpy()[commune]
    ids = [
        f"{ID_PREFIX}-{d:03d}-{m:04d}-{s:05d}"
        for d, m, s in zip(
            communes["district_code"].to_numpy()[commune],
            communes["commune_code"].to_numpy()[commune],
            registry.serial[household],
        )
    ]
    return pd.DataFrame(
        {
            "row_household": household,
            c.HOUSEHOLD_ID: ids,
            c.YEAR: year,
            c.DISTRICT: district,
            "district_index": pd.Categorical(district, categories=units.districts).codes.astype(np.int64),
            "poor_district": np.isin(district, units.poor_districts),
            c.COMMUNE: communes[c.COMMUNE].to_numpy()[commune],
            "commune_index": commune,
            c.AREA: communes[c.AREA].to_numpy()[commune],
            "ethnicity_index": registry.ethnicity[household],
            c.MEMBERS: registry.members[household, year - BASE_YEAR],
        }
    )


def welfare_scores(panel: pd.DataFrame, communes: pd.DataFrame, registry: Registry, shocks: np.ndarray) -> np.ndarray:
    """Latent welfare per household-year: place, ethnic group, household, shock, size."""
    household = panel["row_household"].to_numpy()
    return (
        communes["welfare_effect"].to_numpy()[panel["commune_index"].to_numpy()]
        + np.asarray(ETHNIC_WELFARE)[panel["ethnicity_index"].to_numpy()]
        + registry.welfare_base[household]
        + shocks[household, panel[c.YEAR].to_numpy() - BASE_YEAR]
        - 0.12 * (panel[c.MEMBERS].to_numpy() - 4)
    )


def band_quotas(panel: pd.DataFrame, units: Units) -> pd.DataFrame:
    """Per year and district: poor, near-poor and Decision-59 band counts."""
    records = []
    district_names = units.districts
    below_2021 = sum(PUBLISHED_2021["decree-07-2021"].values())
    d59 = PUBLISHED_2021["decision-59-2015"]
    for year in YEARS:
        sizes = panel.loc[panel[c.YEAR] == year, c.DISTRICT].value_counts().reindex(district_names).to_numpy()
        poor, near = province_targets(int(sizes.sum()), year)
        t = YEARS.index(year)
        pinned = {
            district_names.index(d): count_for_rate(rate, int(sizes[district_names.index(d)]))
            for (d, y), rate in PINNED_DISTRICT_POOR_RATES.items()
            if y == year
        }
        poor_d = district_quotas(poor, sizes, np.array([DISTRICT_POOR_RATES[d][t] for d in district_names]), pinned)
        near_d = district_quotas(near, sizes, np.array([DISTRICT_NEAR_POOR_RATES[d] for d in district_names]), {})
        below_d = poor_d + near_d
        scale = (poor + near) / below_2021
        extreme_d = allocate(round(EXTREME_LINE_HOUSEHOLDS_2021 * scale), below_d)
        d59_band_d = allocate(round((d59["poor"] + d59["near_poor"] - EXTREME_LINE_HOUSEHOLDS_2021) * scale), below_d)
        for i in range(len(district_names)):
            records.append(
                {
                    c.YEAR: year,
                    "district_index": i,
                    "households": int(sizes[i]),
                    "poor": int(poor_d[i]),
                    "below_line": int(below_d[i]),
                    "extreme": int(extreme_d[i]),
                    "d59_band": int(d59_band_d[i]),
                    "average": int(round(AVERAGE_SHARE_ABOVE_LINE * (sizes[i] - below_d[i]))),
                }
            )
    return pd.DataFrame(records)


def incomes(panel: pd.DataFrame, rank: np.ndarray, quotas: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Income per person by welfare rank within district-year; returns (income, band).

    Bands: 0 ≤ extreme line, 1 ≤ Decision-59 line, 2 ≤ Decree-07 line, 3 average, 4 above.
    Within a band income rises with welfare rank, spread evenly between the band's edges.
    """
    q = panel[[c.YEAR, "district_index"]].merge(quotas, how="left", on=[c.YEAR, "district_index"])
    edges = np.c_[
        np.zeros(len(q)),
        q["extreme"],
        q["extreme"] + q["d59_band"],
        q["below_line"],
        q["below_line"] + q["average"],
        q["households"],
    ].astype(np.int64)
    band = (rank[:, None] >= edges[:, 1:5]).sum(axis=1)
    rows = np.arange(len(q))
    start, stop = edges[rows, band], edges[rows, band + 1]
    position = (rank - start + 1) / np.maximum(stop - start, 1)  # in (0, 1]
    urban = panel[c.AREA].to_numpy() == c.URBAN
    money = income_edges(urban)
    low, high = money[rows, band], money[rows, band + 1]
    top = band == 4
    linear = low + np.ceil(position * (high - low) / 1_000) * 1_000
    logarithmic = np.ceil(low * np.exp(position * np.log(high / low)) / 1_000) * 1_000
    return np.where(top, logarithmic, linear).astype(np.int64), band


def income_edges(urban: np.ndarray) -> np.ndarray:
    """Money edges of the five bands per row, from the standards' lines (VND)."""
    d07, d59 = get_standard("decree-07-2021"), get_standard("decision-59-2015")

    def per_area(mapping: Mapping[str, int] | None) -> np.ndarray:
        assert mapping is not None, "both standards define these lines"
        return np.where(urban, mapping[c.URBAN], mapping[c.RURAL])

    return np.c_[
        per_area(INCOME_FLOOR),
        per_area(d59.extreme_line),
        per_area(d59.income_line),
        per_area(d07.income_line),
        per_area(d07.average_line),
        per_area(INCOME_CEILING),
    ].astype(float)


def select_poor(panel: pd.DataFrame, below: np.ndarray, margins: np.ndarray, quotas: pd.DataFrame) -> np.ndarray:
    """Within each district-year's below-line group, the most deprived, by quota."""
    d07 = [c.ALL_INDICATORS.index(i) for i in c.DECREE_07_INDICATORS]
    score = soft_count(margins, d07)
    group = panel[c.YEAR].to_numpy() * 100 + panel["district_index"].to_numpy()
    rank = rank_within(np.where(below, group, -1), -score)
    poor_quota = panel[[c.YEAR, "district_index"]].merge(quotas, how="left", on=[c.YEAR, "district_index"])["poor"].to_numpy()
    return below & (rank < poor_quota)


def deprivations(panel: pd.DataFrame, band: np.ndarray, poor07: np.ndarray, margins: np.ndarray) -> np.ndarray:
    """Indicator matrix satisfying the quota constraints with as few changes as possible."""
    col = {name: j for j, name in enumerate(c.ALL_INDICATORS)}
    d07 = [col[i] for i in c.DECREE_07_INDICATORS]
    d59 = [col[i] for i in SHARED_INDICATORS] + [col[c.HEALTH_SERVICE_ACCESS]]
    shared = [col[i] for i in SHARED_INDICATORS]
    only07 = [col[i] for i in DECREE_07_ONLY]
    deprived = margins > 0
    below = band <= 2
    base_year = panel[c.YEAR].to_numpy() == BASE_YEAR
    d59_band = base_year & (band == 1)

    poor59 = np.zeros(len(panel), dtype=bool)
    if base_year.any():
        candidates = np.flatnonzero(d59_band & poor07)
        published = PUBLISHED_2021["decision-59-2015"]
        needed = published["poor"] - int((base_year & (band == 0)).sum())
        if needed > len(candidates):
            raise ValueError("too few Decree-07 poor in Decision 59's band to reach its poor total")
        order = np.argsort(-soft_count(margins[candidates], d59), kind="stable")
        poor59[candidates[order[:needed]]] = True

    at_least(deprived, margins, np.flatnonzero(poor07 & ~(d59_band & ~poor59)), d07, 3)
    at_least(deprived, margins, np.flatnonzero(poor59), d59, 3)
    not_poor59 = np.flatnonzero(d59_band & ~poor59)
    at_most(deprived, margins, not_poor59, d59, 2)
    split = np.flatnonzero(d59_band & ~poor59 & poor07)
    at_least(deprived, margins, split, only07, 3 - deprived[np.ix_(split, np.asarray(shared, dtype=np.intp))].sum(axis=1))
    at_most(deprived, margins, np.flatnonzero(below & ~poor07), d07, 2)
    return deprived.astype(np.int8)


def yearly_deprivations(panel: pd.DataFrame, band: np.ndarray, margins: np.ndarray, quotas: pd.DataFrame, households: int) -> np.ndarray:
    """Indicators year by year; last year's value of each indicator tilts this year's margin.

    A household deprived last year gets ``INDICATOR_STATE_DEPENDENCE`` added to the margin,
    one that was not gets it subtracted (a non-durable house or a missing latrine stays so
    until something changes). Households new this year get no tilt. So deprivations, and
    the choice of the poor within the below-line group, persist across years.
    """
    household = panel["row_household"].to_numpy()
    years = panel[c.YEAR].to_numpy()
    indicators = np.zeros(margins.shape, dtype=np.int8)
    last = np.full((households, margins.shape[1]), -1, dtype=np.int8)  # -1: no record yet
    for year in YEARS:
        rows = np.flatnonzero(years == year)
        before = last[household[rows]]
        tilted = margins[rows] + np.where(before >= 0, INDICATOR_STATE_DEPENDENCE * (2.0 * before - 1.0), 0.0)
        here = panel.iloc[rows].reset_index(drop=True)
        poor07 = select_poor(here, band[rows] <= 2, tilted, quotas)
        indicators[rows] = deprivations(here, band[rows], poor07, tilted)
        last[household[rows]] = indicators[rows]
    return indicators


def generate_households(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Synthetic household review records 2021–2024 (see the module docstring).

    Pure and deterministic: the same seed gives the same frame. ``frame.attrs`` carries
    ``synthetic=True`` and the seed, which ``write_households`` stores in the file.
    """
    rng = np.random.default_rng(seed)
    units = load_units()
    communes = commune_table(units, rng)
    registry = build_registry(communes, rng)
    panel = panel_frame(communes, registry, units)
    shocks = yearly_shocks(len(registry.commune), rng)
    welfare = welfare_scores(panel, communes, registry, shocks)
    quotas = band_quotas(panel, units)

    group = panel[c.YEAR].to_numpy() * 100 + panel["district_index"].to_numpy()
    rank = rank_within(group, welfare)
    income, band = incomes(panel, rank, quotas)

    household = panel["row_household"].to_numpy()
    deprivation = 0.8 * -(welfare - welfare.mean()) / welfare.std() + 0.6 * registry.deprivation_base[household]
    margins = indicator_margins(panel, deprivation, registry.indicator_noise[household], rng)
    indicators = yearly_deprivations(panel, band, margins, quotas, len(registry.commune))

    frame = pd.DataFrame(
        {
            c.HOUSEHOLD_ID: panel[c.HOUSEHOLD_ID].to_numpy(),
            c.YEAR: panel[c.YEAR].to_numpy(dtype=np.int64),
            c.PROVINCE: units.province,
            c.DISTRICT: panel[c.DISTRICT].to_numpy(),
            c.COMMUNE: panel[c.COMMUNE].to_numpy(),
            c.AREA: panel[c.AREA].to_numpy(),
            c.ETHNICITY: np.asarray(ETHNIC_GROUPS, dtype=object)[panel["ethnicity_index"].to_numpy()],
            c.MEMBERS: panel[c.MEMBERS].to_numpy(dtype=np.int64),
            c.INCOME: income,
        }
    )
    for j, name in enumerate(c.ALL_INDICATORS):
        frame[name] = indicators[:, j]
    frame = frame.sort_values([c.YEAR, c.HOUSEHOLD_ID], kind="stable").reset_index(drop=True)
    frame.attrs = {"synthetic": True, "seed": seed}
    return frame


# --- writing ---------------------------------------------------------------------------------------


def file_metadata(seed: int | str) -> dict[bytes, bytes]:
    """Schema metadata that tells every reader the file is synthetic and how it was made."""
    description = (
        "SYNTHETIC household poverty review records for Bắc Kạn province, 2021–2024: not real "
        "records of any household. Made by `python -m analysis synth` (analysis.synth), "
        f"seed {seed}, calibrated to published province totals (end-2021 review under "
        "Decree 07/2021 and Decision 59/2015; Decree-07 poor rates 2022–2024). District, "
        "commune and household detail is synthetic. See data/SYNTHETIC.md."
    )
    return {
        b"synthetic": b"true",
        b"description": description.encode("utf-8"),
        b"generator": b"analysis.synth",
        b"seed": str(seed).encode("utf-8"),
    }


def households_table(frame: pd.DataFrame, seed: int | str | None = None, metadata: dict[bytes, bytes] | None = None) -> pa.Table:
    """The Arrow table written to disk: no index, no version-bearing pandas metadata
    (``metadata``: the file's own, instead of this panel's)."""
    seed = frame.attrs.get("seed", "unknown") if seed is None else seed
    table = pa.Table.from_pandas(frame, preserve_index=False)
    # pandas 3 hands Arrow large strings; plain strings keep the file the same under pandas 2 and 3.
    schema = pa.schema([pa.field(f.name, pa.string()) if pa.types.is_large_string(f.type) else f for f in table.schema])
    return table.cast(schema).replace_schema_metadata(metadata or file_metadata(seed))


def write_households(frame: pd.DataFrame, path: Path, *, seed: int | None = None, metadata: dict[bytes, bytes] | None = None) -> None:
    """Write Parquet atomically (:func:`analysis.files.replacing`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = households_table(frame, seed, metadata)
    with replacing(path) as temporary:
        pq.write_table(table, temporary, compression="zstd")


def build_bundled(path: Path = BUNDLED_HOUSEHOLDS, seed: int = DEFAULT_SEED) -> Path:
    """Generate the households and write them to ``path`` (the bundled file by default)."""
    write_households(generate_households(seed), path, seed=seed)
    return Path(path)
