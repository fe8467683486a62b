"""A synthetic end-2025 review on the new division, continuing the bundled 2021–2024 panel.

The data are SYNTHETIC: no record describes a real household, and **no end-2025 figure is
published**, so the 2025 fall is an assumption (``ASSUMED_POOR_FALL_PP``: the middle of the
province's 2–2.5 pp plan). ``data/SYNTHETIC.md`` says what else is assumed.

Method, in the order the generator runs:

1. **Households.** The panel's 2024 households persist by ``household_id``; a few dissolve
   and a few split off from existing ones (the panel's yearly numbers), new ones taking an
   id under their commune's prefix.
2. **Places.** Each household's 2024 commune becomes its ``former_commune``; its new unit
   and new province come from the crosswalk (``data/crosswalk_2025.csv``; a split commune's
   households are spread over its new units at random). ``district`` is empty: the new
   division has none. ``area`` follows the new unit: phường urban, xã and đặc khu rural.
3. **Income.** Incomes grow by a random factor; within each former district the
   households lowest relative to their line are put at or below the Decree-07 line, as many
   as that district's poor + near-poor quota. Quotas: each former district's 2024 rates
   scaled by one factor, so the whole falls by exactly ``ASSUMED_POOR_FALL_PP`` (poor) and
   reaches ``ASSUMED_NEAR_POOR_RATE`` (near-poor).
4. **Deprivations.** 2024's indicators persist; a few ease (``INDICATOR_EASING``). Within the
   below-line group the most deprived are the poor, exactly the quota; the fewest indicators
   are switched so the poor have ≥ 3 Decree-07 deprivations and the others ≤ 2.
   ``waste_disposal`` (Decree 351's new indicator) is drawn from assumed probabilities.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from ..measures.classification import classify
from ..paths import DATA_DIR
from ..review import columns as c
from ..review.standards import get_standard
from ..review.units import NEW, OLD, crosswalk, national_units, province_units
from . import panel

REVIEW_YEAR = 2025
DEFAULT_SEED_2025 = 2025
BUNDLED_2025 = DATA_DIR / "households_2025.parquet"

#: ASSUMPTION (no end-2025 figure is published): the poor-household rate falls by the middle
#: of the province's 2–2.5 pp plan (data/targets.csv, scope "province").
ASSUMED_POOR_FALL_PP = 2.25
#: ASSUMPTION: near-poor households 8.30% (the synthetic 2022–2024 path 9.45, 9.10, 8.70 continued).
ASSUMED_NEAR_POOR_RATE = 8.30
#: ASSUMPTION: incomes grow by a log-normal factor (median +6%).
INCOME_GROWTH_LOG_MEAN = 0.06
INCOME_GROWTH_LOG_SD = 0.10
#: ASSUMPTION: each deprivation of 2024 eases with this probability (programme investment).
INDICATOR_EASING = 0.05
#: ASSUMPTION: chance that household waste is not collected or treated hygienically, by area
#: and by whether the household lacks a hygienic latrine.
WASTE_PROBABILITY = {(c.RURAL, 1): 0.60, (c.RURAL, 0): 0.20, (c.URBAN, 1): 0.30, (c.URBAN, 0): 0.05}


def _former_places(last: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """New province, new unit and area for each household, from its 2024 commune."""
    province = str(last[c.PROVINCE].iloc[0])
    units = province_units(province, OLD)
    rows = units.table[units.table["level"] == "commune"]
    code_of = {(d, n): int(k) for d, n, k in zip(
        rows["parent_code"].map({v: k for k, v in units.district_codes.items()}), rows["name"], rows["code"])}
    walk = crosswalk()
    walk = walk[walk["old_province_code"] == units.province_code]
    new_units = national_units(NEW)
    names = dict(zip(new_units["code"].where(new_units["level"] == "commune"), new_units["name"]))
    kinds = dict(zip(new_units["code"].where(new_units["level"] == "commune"), new_units["division_type"]))
    provinces = dict(zip(new_units["code"].where(new_units["level"] == "province"), new_units["name"]))
    targets: dict[int, list[tuple[int, int]]] = {}
    for old, prov, unit in zip(walk["old_commune_code"], walk["new_province_code"], walk["new_commune_code"]):
        targets.setdefault(int(old), []).append((int(prov), int(unit)))
    old_codes = [code_of[(d, m)] for d, m in zip(last[c.DISTRICT], last[c.COMMUNE])]
    chosen = [targets[k][int(rng.integers(len(targets[k]))) if len(targets[k]) > 1 else 0] for k in old_codes]
    new_province = [p for p, _ in chosen]
    new_code = [u for _, u in chosen]
    return pd.DataFrame(
        {
            c.PROVINCE: [provinces[p] for p in new_province],
            c.COMMUNE: [names[k] for k in new_code],
            c.AREA: [c.URBAN if kinds[k] == "Phường" else c.RURAL for k in new_code],
        },
        index=last.index,
    )


def _households(last: pd.DataFrame, everyone: pd.Series, rng: np.random.Generator) -> pd.DataFrame:
    """2024's households less the dissolved, plus the new ones (split off from others)."""
    kept = last.drop(index=last.index[rng.choice(len(last), panel.DISSOLVED_PER_YEAR, replace=False)])
    donors = kept.iloc[rng.choice(len(kept), panel.NEW_PER_YEAR, replace=False)].copy()
    prefix = everyone.str.rsplit("-", n=1).str[0]
    serial = everyone.str.rsplit("-", n=1).str[1].astype(int)
    top = serial.groupby(prefix).max().to_dict()
    ids = []
    for household in donors[c.HOUSEHOLD_ID]:
        head, number = household.rsplit("-", 1)
        top[head] += 1
        ids.append(f"{head}-{top[head]:0{len(number)}d}")
    donors[c.HOUSEHOLD_ID] = ids
    donors[c.MEMBERS] = rng.integers(1, 4, len(donors))
    donors[c.INCOME] = (donors[c.INCOME] * np.exp(rng.normal(0.0, 0.2, len(donors)))).round(-3).astype("int64")
    return pd.concat([kept, donors]).reset_index(drop=True)


def _quotas(last: pd.DataFrame, frame: pd.DataFrame, district: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Poor and near-poor households per former district, summing to the assumed totals."""
    classified = classify(last, "decree-07-2021")
    poor24 = (classified[c.STATUS] == "poor").groupby(last[c.DISTRICT]).mean()
    near24 = (classified[c.STATUS] == "near_poor").groupby(last[c.DISTRICT]).mean()
    whole_poor = float((classified[c.STATUS] == "poor").mean()) * 100
    whole_near = float((classified[c.STATUS] == "near_poor").mean()) * 100
    sizes = district.value_counts()
    poor = _apportion(poor24 * (whole_poor - ASSUMED_POOR_FALL_PP) / whole_poor * sizes, len(frame) * (whole_poor - ASSUMED_POOR_FALL_PP) / 100)
    near = _apportion(near24 * ASSUMED_NEAR_POOR_RATE / whole_near * sizes, len(frame) * ASSUMED_NEAR_POOR_RATE / 100)
    return poor, near


def _apportion(shares: pd.Series, total: float) -> pd.Series:
    """Whole numbers near ``shares`` summing to round(total) (largest remainders)."""
    scaled = shares * total / shares.sum()
    out = np.floor(scaled).astype(int)
    rest = int(round(total)) - int(out.sum())
    order = (scaled - out).sort_values(ascending=False, kind="stable").index[:rest]
    out[order] += 1
    return out


def _line(area: pd.Series) -> np.ndarray:
    return area.map(dict(get_standard("decree-07-2021").income_line)).to_numpy(dtype=float)


def generate_review_2025(history: pd.DataFrame, seed: int = DEFAULT_SEED_2025) -> pd.DataFrame:
    """The synthetic end-2025 review (see the module docstring) continuing ``history``'s 2024."""
    rng = np.random.default_rng(seed)
    last = history[history[c.YEAR] == REVIEW_YEAR - 1].sort_values(c.HOUSEHOLD_ID).reset_index(drop=True)
    frame = _households(last, history[c.HOUSEHOLD_ID].drop_duplicates(), rng)
    former_district = frame[c.DISTRICT].copy()
    places = _former_places(frame, rng)
    frame[c.FORMER_COMMUNE] = frame[c.COMMUNE]
    frame[c.PROVINCE], frame[c.COMMUNE], frame[c.AREA] = places[c.PROVINCE], places[c.COMMUNE], places[c.AREA]
    frame[c.DISTRICT] = ""
    frame[c.YEAR] = REVIEW_YEAR

    line = _line(frame[c.AREA])
    grown = frame[c.INCOME].to_numpy(dtype=float) * np.exp(rng.normal(INCOME_GROWTH_LOG_MEAN, INCOME_GROWTH_LOG_SD, len(frame)))
    poor_quota, near_quota = _quotas(last, frame, former_district)
    score = np.log(np.maximum(grown, 1.0) / line) + rng.normal(0.0, 0.05, len(frame))
    indicators = frame[list(c.ALL_INDICATORS)].to_numpy(dtype=np.int8, copy=True)
    indicators[(indicators == 1) & (rng.random(indicators.shape) < INDICATOR_EASING)] = 0
    d07 = [c.ALL_INDICATORS.index(i) for i in c.DECREE_07_INDICATORS]
    below = np.zeros(len(frame), dtype=bool)
    poor = np.zeros(len(frame), dtype=bool)
    for name in sorted(poor_quota.index):
        at = np.flatnonzero(former_district.to_numpy() == name)
        lowest = at[np.argsort(score[at], kind="stable")[: int(poor_quota[name] + near_quota[name])]]
        below[lowest] = True
        depth = indicators[lowest][:, d07].sum(axis=1) + rng.random(len(lowest))
        poor[lowest[np.argsort(-depth, kind="stable")[: int(poor_quota[name])]]] = True

    income = np.where(
        below,
        np.where(grown <= line, np.floor(grown / 1000) * 1000, np.floor(line * rng.uniform(0.85, 1.0, len(frame)) / 1000) * 1000),
        np.where(grown > line, np.round(grown / 1000) * 1000, np.ceil(line * rng.uniform(1.01, 1.3, len(frame)) / 1000) * 1000),
    )
    income = np.where(below, np.minimum(income, line), np.maximum(income, line + 1000))
    frame[c.INCOME] = income.astype("int64")
    _repair(indicators, d07, poor, below & ~poor, rng)
    for j, name in enumerate(c.ALL_INDICATORS):
        frame[name] = indicators[:, j]
    chance = np.array([WASTE_PROBABILITY[(a, int(s))] for a, s in zip(frame[c.AREA], frame["sanitation"])])
    frame[c.WASTE_DISPOSAL] = (rng.random(len(frame)) < chance).astype(np.int8)
    columns = [*c.IDENTITY_COLUMNS, *c.ALL_INDICATORS, c.WASTE_DISPOSAL, c.FORMER_COMMUNE]
    frame = frame[columns].sort_values(c.HOUSEHOLD_ID, kind="stable").reset_index(drop=True)
    for col in (c.YEAR, c.MEMBERS, c.INCOME):
        frame[col] = frame[col].astype("int64")
    frame.attrs = {"synthetic": True, "seed": seed}
    return frame


def _repair(indicators: np.ndarray, d07: list[int], poor: np.ndarray, near: np.ndarray, rng: np.random.Generator) -> None:
    """Fewest switches so the poor have ≥ 3 Decree-07 deprivations and the near-poor ≤ 2."""
    counts = indicators[:, d07].sum(axis=1)
    for row in np.flatnonzero(poor & (counts < 3)):
        off = [j for j in d07 if indicators[row, j] == 0]
        indicators[row, rng.choice(off, 3 - counts[row], replace=False)] = 1
    for row in np.flatnonzero(near & (counts > 2)):
        on = [j for j in d07 if indicators[row, j] == 1]
        indicators[row, rng.choice(on, counts[row] - 2, replace=False)] = 0


def file_metadata_2025(frame: pd.DataFrame, history: pd.DataFrame, seed: int) -> dict[bytes, bytes]:
    """Schema metadata: synthetic, what it covers, and what the 2025 fall assumes."""
    old = str(history[c.PROVINCE].iloc[0])
    new = str(frame[c.PROVINCE].iloc[0])
    units = frame[c.COMMUNE].nunique()
    description = (
        f"SYNTHETIC household poverty review records for the end-{REVIEW_YEAR} review on the new division "
        f"(from 1 July 2025): province {new}, the former {old} part only ({units} communes), with former_commune. "
        "Not real records of any household. Households persist by household_id from the synthetic 2021–2024 panel "
        f"(households.parquet). No end-{REVIEW_YEAR} figure is published: the poor rate ASSUMES a fall of "
        f"{ASSUMED_POOR_FALL_PP} pp from 2024 (the middle of the province's 2–2.5 pp plan) and near-poor "
        f"{ASSUMED_NEAR_POOR_RATE}%. Made by `python -m analysis synth` (analysis.synth.review_2025), seed {seed}. "
        "See data/SYNTHETIC.md."
    )
    return {
        b"synthetic": b"true",
        b"description": description.encode("utf-8"),
        b"generator": b"analysis.synth.review_2025",
        b"seed": str(seed).encode("utf-8"),
        b"covers": f"{new}: the former {old} part only".encode(),
        b"assumed_poor_fall_pp": str(ASSUMED_POOR_FALL_PP).encode("utf-8"),
        b"assumed_near_poor_rate": str(ASSUMED_NEAR_POOR_RATE).encode("utf-8"),
    }


def read_history(path: Path = panel.BUNDLED_HOUSEHOLDS) -> pd.DataFrame:
    """The synthetic 2021–2024 panel as written (no validation: it is the project's own file)."""
    return pq.read_table(path).to_pandas()


def build_review_2025(history_path: Path = panel.BUNDLED_HOUSEHOLDS, path: Path = BUNDLED_2025, seed: int = DEFAULT_SEED_2025) -> Path:
    """Generate the end-2025 review from the panel at ``history_path`` and write it to ``path``."""
    history = read_history(history_path)
    frame = generate_review_2025(history, seed)
    panel.write_households(frame, path, seed=seed, metadata=file_metadata_2025(frame, history, seed))
    return Path(path)
