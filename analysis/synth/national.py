"""A synthetic national household review on the new division (34 provinces, 3,321 communes).

**No record describes a real household.** The set exists so that the columnar engine, the
batch and ``make bench`` can be run at the size of the country: about 26.9M households at
``scale=1`` (the 2019 census), poor and near-poor households at the 2022 review's national
rates (4.03% and 3.49%, Decision 71/QĐ-LĐTBXH) on average, spread across provinces and
communes by the assumptions in ``data/SYNTHETIC.md`` ("The national set").

It is generated province by province in chunks (memory stays flat whatever the scale) and
written as Parquet partitioned by province, hive style (``province_code=19/part-0.parquet``),
into a temporary folder renamed into place when complete. Every file's metadata says
``synthetic=true``; a ``SYNTHETIC.md`` note sits beside the partitions. The same seed and
scale give the same files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..errors import UsageError
from ..review import columns as c
from ..review.standards import DEFAULT_STANDARD, get_standard
from ..review.units import NEW, national_units

DEFAULT_SEED = 2025
DEFAULT_YEAR = 2025

#: Households at scale 1: "about 26.9M households" at the census of 1/04/2019.
NATIONAL_HOUSEHOLDS = 26_900_000
#: National rates of the 2022 review under Decree 07 (percent of households), Decision 71/QĐ-LĐTBXH.
NATIONAL_POOR_RATE = 4.03
NATIONAL_NEAR_POOR_RATE = 3.49

# --- assumptions (documented in data/SYNTHETIC.md; no source gives them) ----------------
#: Log-normal spread of province poor rates around the national rate (sigma of the log).
PROVINCE_SPREAD = 1.0
#: Log-normal spread of commune rates around their province's.
COMMUNE_SPREAD = 0.6
#: Near-poor rates follow the poor rates with a weaker spread (elasticity of the log).
NEAR_POOR_ELASTICITY = 0.6
#: Wards (phường) are poorer less often than rural communes.
WARD_FACTOR = 0.3
#: Highest poor and near-poor rates of any commune.
MAX_POOR, MAX_NEAR_POOR = 0.6, 0.25
#: Spread of province and commune sizes (sigma of the log), wards larger than rural communes.
PROVINCE_SIZE_SPREAD, COMMUNE_SIZE_SPREAD, WARD_SIZE = 0.3, 0.45, 1.6
#: Ethnic-minority households: a province's share grows with its poverty; minority households
#: are this many times as likely to be poor or near-poor as Kinh households of their commune.
MINORITY_BASE_SHARE, MINORITY_RISK = 0.12, 3.0
MINORITY_GROUPS: dict[str, float] = {
    "Tày": 18.5, "Thái": 17.8, "Mường": 14.1, "Khmer": 13.1, "Mông": 12.2, "Nùng": 10.2,
    "Dao": 8.8, "Gia Rai": 5.0, "Ê Đê": 3.7, "Ba Na": 2.9, "Sán Chay": 2.0, "Chăm": 1.8,
    "Hoa": 7.3, "Khác": 8.0,
}
#: How often each indicator is among a household's deprivations (relative weights).
INDICATOR_WEIGHTS: dict[str, float] = {
    "employment": 0.8, "dependants": 0.9, "nutrition": 0.5, "health_insurance": 1.6,
    "adult_education": 0.9, "child_schooling": 0.4, "housing_quality": 1.0, "housing_area": 0.9,
    "water": 1.2, "sanitation": 1.5, "telecom": 0.4, "information_access": 1.0,
}
#: Of the households above the poverty line, the share with an average living standard.
AVERAGE_SHARE = 0.12
#: Members: 1 + Binomial(6, 0.43), about 3.6 a household (96.2M people / 26.9M households in 2019).
MEMBERS_TRIALS, MEMBERS_P = 6, 0.43

#: Records per row group written (and per chunk generated).
CHUNK_ROWS = 500_000

INDICATORS = c.DECREE_07_INDICATORS
SCHEMA = pa.schema(
    [
        (c.HOUSEHOLD_ID, pa.string()),
        (c.YEAR, pa.int16()),
        (c.PROVINCE, pa.string()),
        (c.DISTRICT, pa.string()),
        (c.COMMUNE, pa.string()),
        (c.AREA, pa.string()),
        (c.ETHNICITY, pa.string()),
        (c.MEMBERS, pa.int8()),
        (c.INCOME, pa.int32()),
        *[(i, pa.int8()) for i in INDICATORS],
    ]
)


def parse_scale(text: str) -> float:
    """``national`` (1) or a positive fraction such as ``0.1``."""
    if text.strip().lower() == "national":
        return 1.0
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"--scale takes 'national' or a number such as 0.1, not {text!r}") from None
    if not 0 < value <= 2:
        raise UsageError(f"--scale must be above 0 and at most 2 (1 = the whole country), not {text}")
    return value


def default_out(scale: float) -> Path:
    """``national/`` for the whole country, ``national-0.1/`` for a fraction (both git-ignored)."""
    return Path("national" if scale == 1 else f"national-{scale:g}")


@dataclass(frozen=True)
class Plan:
    """Every commune with its province, size and expected poor and near-poor rates (fractions)."""

    communes: pd.DataFrame  # province_code, province, commune_code, commune, urban, households, poor, near_poor
    minority_share: dict[int, float]


def plan(scale: float, seed: int = DEFAULT_SEED) -> Plan:
    """Sizes and rates of every commune, scaled so the national rates are the published ones."""
    units = national_units(NEW)
    provinces = units[units["level"] == "province"][["code", "name"]].rename(columns={"code": "province_code", "name": "province"})
    communes = units[units["level"] == "commune"][["code", "name", "division_type", "parent_code"]]
    communes = communes.rename(columns={"code": "commune_code", "name": "commune", "parent_code": "province_code"})
    communes = communes.merge(provinces, on="province_code", how="left").sort_values(["province_code", "commune_code"], kind="mergesort")
    communes = communes.reset_index(drop=True)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0]))
    codes = provinces["province_code"].to_numpy()
    province_risk = dict(zip(codes, rng.lognormal(-PROVINCE_SPREAD**2 / 2, PROVINCE_SPREAD, len(codes))))
    province_size = dict(zip(codes, rng.lognormal(0, PROVINCE_SIZE_SPREAD, len(codes))))
    urban = communes["division_type"].astype(str).str.strip().str.lower().eq("phường").to_numpy()
    size = rng.lognormal(0, COMMUNE_SIZE_SPREAD, len(communes)) * np.where(urban, WARD_SIZE, 1.0)
    size *= communes["province_code"].map(province_size).to_numpy()
    households = allocate(round(NATIONAL_HOUSEHOLDS * scale), size)
    risk = communes["province_code"].map(province_risk).to_numpy() * rng.lognormal(-COMMUNE_SPREAD**2 / 2, COMMUNE_SPREAD, len(communes))
    risk *= np.where(urban, WARD_FACTOR, 1.0)
    poor = calibrate(risk, households, NATIONAL_POOR_RATE / 100, MAX_POOR)
    near = calibrate(risk**NEAR_POOR_ELASTICITY, households, NATIONAL_NEAR_POOR_RATE / 100, MAX_NEAR_POOR)
    out = communes[["province_code", "province", "commune_code", "commune"]].assign(urban=urban, households=households, poor=poor, near_poor=near)
    minority = {int(k): float(np.clip(MINORITY_BASE_SHARE * v, 0.01, 0.9)) for k, v in province_risk.items()}
    return Plan(out, minority)


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole households in proportion to ``weights`` (largest remainders), at least one each."""
    share = weights / weights.sum() * max(total - len(weights), 0)
    base = np.floor(share).astype(np.int64)
    order = np.argsort(-(share - base), kind="mergesort")
    base[order[: max(total - len(weights), 0) - int(base.sum())]] += 1
    return base + 1


def calibrate(risk: np.ndarray, households: np.ndarray, rate: float, cap: float) -> np.ndarray:
    """Rates proportional to ``risk``, capped, whose household-weighted mean is ``rate``."""
    scale = rate / (np.average(risk, weights=households))
    for _ in range(50):
        rates = np.minimum(risk * scale, cap)
        mean = np.average(rates, weights=households)
        if abs(mean - rate) < 1e-12:
            break
        scale *= rate / mean
    return np.minimum(risk * scale, cap)


def _chunks(rows: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """Communes in groups of about CHUNK_ROWS households."""
    start, total = 0, 0
    sizes = rows["households"].to_numpy()
    for i, n in enumerate(sizes):
        total += int(n)
        if total >= CHUNK_ROWS:
            yield rows.iloc[start : i + 1]
            start, total = i + 1, 0
    if start < len(rows):
        yield rows.iloc[start:]


def households_of(communes: pd.DataFrame, minority_share: float, year: int, rng: np.random.Generator) -> pa.Table:
    """The household records of some communes of one province, consistent with Decree 07."""
    std = get_standard(DEFAULT_STANDARD)
    n_per = communes["households"].to_numpy()
    n = int(n_per.sum())
    index = np.repeat(np.arange(len(communes)), n_per)
    urban = communes["urban"].to_numpy()[index]
    minority = rng.random(n) < minority_share
    # Minority households are MINORITY_RISK times as likely to be poor (and near-poor); rates stay the commune's.
    risk_kinh = 1.0 / ((1 - minority_share) + MINORITY_RISK * minority_share)
    factor = np.where(minority, MINORITY_RISK * risk_kinh, risk_kinh)
    p_poor = np.minimum(communes["poor"].to_numpy()[index] * factor, 0.9)
    p_near = np.minimum(communes["near_poor"].to_numpy()[index] * factor, 0.95 - p_poor)
    u = rng.random(n)
    poor = u < p_poor
    near = ~poor & (u < p_poor + p_near)
    rest = ~poor & ~near
    average = rest & (rng.random(n) < AVERAGE_SHARE)
    above = rest & ~average

    if std.average_line is None:
        raise UsageError(f"{std.id} has no average-living-standard band to generate incomes above the line")
    line = np.where(urban, std.income_line[c.URBAN], std.income_line[c.RURAL]).astype(float)
    top = np.where(urban, std.average_line[c.URBAN], std.average_line[c.RURAL]).astype(float)
    income = np.empty(n)
    below = poor | near
    income[below] = np.floor(line[below] * rng.uniform(0.4, 1.0, int(below.sum())) / 1000) * 1000
    income[average] = np.floor(rng.uniform(line[average] + 1000, top[average] + 1000) / 1000) * 1000
    income[above] = top[above] + 1000 + np.floor(top[above] * rng.lognormal(-0.2, 0.7, int(above.sum())) / 1000) * 1000

    count = np.where(poor, 3 + rng.binomial(9, 0.18, n), 0)
    count = np.where(near, rng.binomial(2, 0.45, n), count)
    count = np.where(average, rng.binomial(12, 0.1, n), count)
    count = np.where(above, rng.binomial(12, 0.04, n), count)
    weights = np.array([INDICATOR_WEIGHTS[i] for i in INDICATORS])
    keys = rng.exponential(size=(n, len(INDICATORS))) / weights  # weighted sampling without replacement
    ranks = np.argsort(np.argsort(keys, axis=1), axis=1)
    flags = (ranks < count[:, None]).astype(np.int8)

    groups = list(MINORITY_GROUPS)
    group_p = np.array(list(MINORITY_GROUPS.values()))
    ethnicity = np.where(minority, np.array(groups, dtype=object)[rng.choice(len(groups), n, p=group_p / group_p.sum())], c.MAJORITY_ETHNICITY)
    members = 1 + rng.binomial(MEMBERS_TRIALS, MEMBERS_P, n)

    commune_code = communes["commune_code"].to_numpy()[index]
    province_code = communes["province_code"].to_numpy()[index]
    within = np.arange(n) - np.repeat(np.cumsum(n_per) - n_per, n_per) + 1
    number = pc.utf8_lpad(pa.array(within).cast(pa.string()), 6, "0")
    head = pc.binary_join_element_wise(
        pc.utf8_lpad(pa.array(province_code).cast(pa.string()), 2, "0"),
        pc.utf8_lpad(pa.array(commune_code).cast(pa.string()), 5, "0"),
        number,
        "-",
    )
    columns = {
        c.HOUSEHOLD_ID: head,
        c.YEAR: pa.array(np.full(n, year, dtype=np.int16)),
        c.PROVINCE: pa.array(communes["province"].to_numpy()[index].astype(str)),
        c.DISTRICT: pa.array(np.full(n, "", dtype=object), pa.string()),
        c.COMMUNE: pa.array(communes["commune"].to_numpy()[index].astype(str)),
        c.AREA: pa.array(np.where(urban, c.URBAN, c.RURAL)),
        c.ETHNICITY: pa.array(ethnicity.astype(str)),
        c.MEMBERS: pa.array(members.astype(np.int8)),
        c.INCOME: pa.array(income.astype(np.int32)),
    } | {i: pa.array(flags[:, j]) for j, i in enumerate(INDICATORS)}
    return pa.table(columns, schema=SCHEMA)


NOTE = """# SYNTHETIC national household review (dữ liệu mô phỏng)

**No record in this folder describes a real household.** Generated by
`python -m analysis synth --scale {scale_text} --year {year} --seed {seed}`
(`analysis/synth/national.py`) on the new division (34 provinces, 3,321 communes,
`data/units_new.csv`): {households:,} households, one record each for the {year} review.

- National rates match the 2022 review under Decree 07 on average (4.03% poor, 3.49% near-poor
  households; Decision 71/QĐ-LĐTBXH, 19/01/2023); here {poor:.2f}% and {near:.2f}%.
- Households: about 26.9M at scale 1 (census of 1/04/2019), times the scale.
- Every province, commune, ethnic-group and household figure is synthetic: how the rates and
  sizes are spread is assumed, not published (see `data/SYNTHETIC.md`, "The national set").
- Partitioned by province, hive style: `province_code=NN/part-0.parquet` (GSO code of the new
  division). Each file's Parquet metadata says `synthetic=true`.
"""


def write_national(
    out: Path | str,
    *,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    year: int = DEFAULT_YEAR,
    progress: Callable[[str], None] | None = None,
) -> dict[str, object]:
    """Generate the national set into ``out`` (replaced atomically); returns a summary."""
    out = Path(out)
    if year < 2025:
        raise UsageError(f"the national set is on the new division, whose reviews start with 2025; --year {year} is before it")
    made = plan(scale, seed)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    counts = {"households": 0, "poor": 0, "near_poor": 0}
    try:
        groups = list(made.communes.groupby("province_code", sort=True))
        for number, (key, rows) in enumerate(groups, start=1):
            code = int(str(key))
            rng = np.random.default_rng(np.random.SeedSequence([seed, 1, code]))
            folder = tmp / f"province_code={code:02d}"
            folder.mkdir()
            meta = {
                "synthetic": "true",
                "description": f"SYNTHETIC national household poverty review ({year}, new division, scale {scale:g}): invented records, not real households",
                "generator": "analysis.synth.national",
                "seed": str(seed),
                "scale": f"{scale:g}",
                "year": str(year),
            }
            schema = SCHEMA.with_metadata(meta)
            with pq.ParquetWriter(folder / "part-0.parquet", schema, compression="zstd") as writer:
                for chunk in _chunks(rows):
                    table = households_of(chunk, made.minority_share[code], year, rng).replace_schema_metadata(meta)
                    writer.write_table(table, row_group_size=CHUNK_ROWS)
                    counts["households"] += table.num_rows
                    status = _status_counts(table)
                    counts["poor"] += status[0]
                    counts["near_poor"] += status[1]
            if progress:
                progress(f"  {number}/{len(groups)} {rows['province'].iloc[0]}: {int(rows['households'].sum()):,} households")
        poor = counts["poor"] / counts["households"] * 100
        near = counts["near_poor"] / counts["households"] * 100
        scale_text = "national" if scale == 1 else f"{scale:g}"
        (tmp / "SYNTHETIC.md").write_text(
            NOTE.format(scale_text=scale_text, year=year, seed=seed, households=counts["households"], poor=poor, near=near), encoding="utf-8"
        )
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {"out": out, "households": counts["households"], "poor_rate": poor, "near_poor_rate": near, "provinces": len(groups), "communes": len(made.communes)}


def _status_counts(table: pa.Table) -> tuple[int, int]:
    """Poor and near-poor households of a generated chunk (for the summary line)."""
    frame = table.select([c.AREA, c.INCOME, *INDICATORS]).to_pandas()
    from ..measures.classification import household_status

    status = household_status(frame, DEFAULT_STANDARD)
    return int((status == "poor").sum()), int((status == "near_poor").sum())


def _replace(tmp: Path, out: Path) -> None:
    """Put the finished folder at ``out``; a previous set there is removed only once the new one is in place."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        if not (out / "SYNTHETIC.md").exists() and any(out.iterdir()):
            raise UsageError(f"{out} exists and is not a synthetic national set; choose another --out")
        out.rename(old)
    tmp.rename(out)
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(old)
