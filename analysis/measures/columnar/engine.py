"""The measures of the pandas path, computed by DuckDB over Parquet with bounded memory.

Each measure is one grouped SQL query that returns a row per unit; the small table of sums
then goes through the pandas path's own finishing steps (rates, labels, reporting order,
the long indicator tables), so the results are the same table, column for column.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import UsageError
from ...review import columns as c
from ...review.standards import DEFAULT_STANDARD, Standard, get_standard
from ...review.units import DIVISIONS, NEW, OLD, Units, closest, find_province, load_units, national_units, province_names, units_for
from ..breakdowns import EXTRA_MEASURES, MEASURES
from ..groups import ETHNIC_MINORITY, POOR_DISTRICT
from ..levels import COMMUNE_PROVINCE, DISTRICT_PROVINCE, group_keys, parse_by, province_label, require_districts, sort_units, unit_labels
from ..mpi import _check_k as check_k
from ..mpi import default_k, dimensions_from_indicators, indicators_from_sums, measures_from_sums
from ..profile import _long as profile_long
from .checks import Validated, require_valid
from .records import COUNTED_STATUSES, NAME_COLUMNS, key_expressions, normalised, status_areas, status_count, status_counts, text_numbers
from .source import PathLike, Source, literal, quote

By = str | list[str] | tuple[str, ...] | None

#: Records per batch when a command streams household rows (``classify``).
BATCH_ROWS = 200_000


def canonical_province(name: str) -> str:
    """A province of either division, in any spelling (``--province``)."""
    for division in (NEW, OLD):
        found = find_province(name, division)
        if found is not None:
            return found
    hint = closest(name, province_names(NEW) + province_names(OLD))
    raise UsageError(f"unknown province {name!r}" + (f" (did you mean {hint!r}?)" if hint else ""))


class ColumnarReview:
    """A review in Parquet, validated once, measured by SQL.

    ``province`` keeps one province: its partition folders only are opened and its records
    only are read. ``units`` are the reference units names are checked against.
    """

    def __init__(
        self,
        paths: PathLike | Sequence[PathLike],
        *,
        standard: str | Standard = DEFAULT_STANDARD,
        province: str | None = None,
        units: Units | None = None,
    ) -> None:
        self.std = get_standard(standard)
        self.check_units = units  # None: names checked against the national units of each year's division
        self._given_units = units
        listed = [paths] if isinstance(paths, (str, Path)) else list(paths)
        self.province = self._canonical_province(province) if province else None
        codes = None if self.province is None else self._province_codes(self.province)
        self.source = Source.open(listed, province_codes=codes)
        self.attrs: dict[str, object] = dict(self.source.description)

    # --- what the data hold ---------------------------------------------------------

    def _canonical_province(self, name: str) -> str:
        return canonical_province(name)

    def _province_codes(self, name: str) -> set[int]:
        codes = set()
        for division in DIVISIONS:
            table = national_units(division)
            rows = table[(table["level"] == "province") & (table["name"] == name)]
            codes |= {int(code) for code in rows["code"]}
        return codes

    @cached_property
    def units(self) -> Units:
        """The units that order the rows and name the poor districts: the data's own, as
        :func:`analysis.review.units.units_for` picks them for the pandas measures."""
        if self._given_units is not None:
            return self._given_units
        d = self.validated.distinct
        if self.province is not None:
            d = d[d["_" + c.PROVINCE] == self.province]
        cols = [col for col in (c.YEAR, c.PROVINCE, c.FORMER_COMMUNE) if "_" + col in d]
        counts = d.groupby(["_" + col for col in cols], sort=True, dropna=False)["_n"].sum().reset_index()
        counts.columns = [*cols, "_n"]
        if counts.empty:
            return load_units()
        # One row per distinct combination, repeated in proportion to its households (value_counts picks the same province).
        repeats = 1 + (counts["_n"].to_numpy() * 1000 // max(int(counts["_n"].sum()), 1))
        frame = counts.loc[counts.index.repeat(repeats), cols].reset_index(drop=True)
        return units_for(frame)

    @cached_property
    def validated(self) -> Validated:
        text = text_numbers(self.source)
        if text:
            raise UsageError(
                f"{self.source.files[0]}: the columnar engine reads numbers from numeric Parquet columns, and "
                f"{', '.join(text)} hold{'s' if len(text) == 1 else ''} text; use --engine pandas (it reads numbers written as text) or write them as numbers"
            )
        return require_valid(self.source, self.std, self.check_units, status_counts(self.std, list(self.source.columns)))

    @property
    def years(self) -> list[int]:
        return self.validated.years

    def resolve_year(self, year: int | None) -> int:
        """The requested review year, or the latest (as :func:`analysis.review.selection.resolve_year`)."""
        years = self.years
        if not years:
            raise UsageError("the data hold no households")
        if year is None:
            return years[-1]
        if int(year) not in years:
            raise UsageError(f"no households for year {year}; years in the data: {', '.join(map(str, years))}")
        return int(year)

    def records(self, where: str = "TRUE") -> str:
        """SQL of the normalised, classified records (of ``--province`` only)."""
        names = self.validated.names_table
        if self.province is not None:
            where = f"({where}) AND {quote(c.PROVINCE)} = {literal(self.province)}"
        return normalised(self.source, self.std, names, where)

    def _year_records(self, year: int | None, levels: list[str]) -> tuple[str, int | None]:
        """One year's records (every year when ``year`` is a grouping level and none is asked for)."""
        if year is None and "year" in levels:
            self.require_districts(levels, self.years)
            return self.records(), None
        chosen = self.resolve_year(year)
        self.require_districts(levels, [chosen])
        return self.records(f"{quote(c.YEAR)} = {chosen}"), chosen

    def require_districts(self, levels: list[str], years: list[int]) -> None:
        """The district level only for years whose records name districts (see :func:`..levels.require_districts`)."""
        if "district" not in levels:
            return
        d = self.validated.distinct
        if self.province is not None:
            d = d[d["_" + c.PROVINCE] == self.province]
        named = d[d["_" + c.DISTRICT].fillna("").astype(str) != ""] if "_" + c.DISTRICT in d else d.iloc[0:0]
        district_years = sorted({int(y) for y in named["_" + c.YEAR]}) if "_" + c.YEAR in named else ([] if named.empty else years)
        require_districts(levels, years, district_years)

    def _grouped(self, sql: str, levels: list[str], sums: dict[str, str]) -> pd.DataFrame:
        keys = key_expressions(levels, self.units.poor_districts, self.units.province)
        select = [f"{expr} AS {quote(key)}" for key, expr in keys.items()] + [f"{expr} AS {quote(name)}" for name, expr in sums.items()]
        group = " GROUP BY ALL" if keys else ""
        out = self.source.query(f"SELECT {', '.join(select)} FROM ({sql}) h{group}")
        _type_keys(out, keys)
        if not keys and out.empty:
            out = pd.DataFrame([dict.fromkeys(sums, 0)])
        return out

    def _status_sums(self, levels: list[str], year: int | None) -> pd.DataFrame | None:
        """The sums of :meth:`poverty_rates` from the households by status that validation
        counted per distinct combination of the text columns (no further scan of the files),
        keyed as :meth:`_grouped` keys them; None when a key is not one the combinations name."""
        d = self.validated.distinct
        keys = group_keys(levels)
        columns = {col: "_" + col for col in (*NAME_COLUMNS, c.YEAR)}
        named = [k for k in keys if k not in (ETHNIC_MINORITY, POOR_DISTRICT, COMMUNE_PROVINCE, DISTRICT_PROVINCE)]
        named += [c.PROVINCE, c.DISTRICT] if COMMUNE_PROVINCE in keys or DISTRICT_PROVINCE in keys else []
        if any(k not in columns or (k in self.source.columns and columns[k] not in d) for k in named):
            return None
        if POOR_DISTRICT in keys and ((c.DISTRICT in self.source.columns and "_" + c.DISTRICT not in d) or "_" + c.PROVINCE not in d):
            return None
        if not all(status_count(s, a) in d for s in COUNTED_STATUSES for a in status_areas(self.std)):
            return None
        if year is not None and "_" + c.YEAR in d:
            d = d[d["_" + c.YEAR] == year]
        if self.province is not None:
            d = d[d["_" + c.PROVINCE] == self.province]

        def canonical(col: str) -> pd.Series:
            """A text column as the records give it: canonical, '' where the files lack it."""
            if col in self.source.columns or col == c.YEAR:
                return d[columns[col]]
            return pd.Series("", index=d.index, dtype=object)

        frame = pd.DataFrame(index=d.index)
        for key in keys:
            if key == ETHNIC_MINORITY:
                frame[key] = canonical(c.ETHNICITY).fillna("").astype(str).str.strip(" ") != c.MAJORITY_ETHNICITY
            elif key == POOR_DISTRICT:
                frame[key] = canonical(c.DISTRICT).isin(list(self.units.poor_districts)) & (canonical(c.PROVINCE) == self.units.province)
            elif key == COMMUNE_PROVINCE:  # as key_expressions: the province where there is no district
                blank = canonical(c.DISTRICT).fillna("").astype(str).str.strip() == ""
                frame[key] = canonical(c.PROVINCE).astype(object).where(blank, "")
            elif key == DISTRICT_PROVINCE:  # as key_expressions: the province where there is a district
                blank = canonical(c.DISTRICT).fillna("").astype(str).str.strip() == ""
                frame[key] = canonical(c.PROVINCE).astype(object).where(~blank, "")
            else:
                frame[key] = canonical(key)
        area = canonical(c.AREA).astype(object)
        frame["households"] = d["_n"].astype("int64")
        for name in COUNTED_STATUSES:
            counts = np.zeros(len(d), dtype="int64")
            for a in status_areas(self.std):
                counts += np.where(area == a, d[status_count(name, a)].to_numpy(dtype="int64"), 0)
            frame[name] = counts
        frame["poor_or_near_poor"] = frame["poor"] + frame["near_poor"]
        sums = ["households", "poor", "near_poor", "poor_or_near_poor", "average"]
        if keys:
            out = frame.groupby(keys, sort=True, dropna=False)[sums].sum().reset_index()
        else:
            out = frame[sums].sum().to_frame().T
        _type_keys(out, keys)
        return out[[*keys, *sums]]

    def _labels(self, year: int | None) -> tuple[str, list[str]]:
        """The province label and the ethnic groups by size, as the pandas path derives them,
        from the distinct combinations validation counted (no further scan of the files)."""
        d = self.validated.distinct
        if year is not None and "_" + c.YEAR in d:
            d = d[d["_" + c.YEAR] == year]
        if self.province is not None:
            d = d[d["_" + c.PROVINCE] == self.province]
        provinces = pd.unique(d["_" + c.PROVINCE].dropna())
        # Several provinces (a national set): the total is theirs, not the reference province's.
        label = f"{len(provinces)} provinces" if len(provinces) > 1 else province_label(pd.DataFrame({c.PROVINCE: d["_" + c.PROVINCE].astype(object)}), self.units)
        by_group = d.groupby("_" + c.ETHNICITY, sort=False)["_n"].sum()
        order = sorted(by_group.index, key=lambda e: (-by_group[e], str(e)))
        return label, order

    def _finish(self, out: pd.DataFrame, levels: list[str], year: int | None, *, default_label: str | None = None) -> pd.DataFrame:
        keys = group_keys(levels)
        label, order = self._labels(year)
        out.insert(0, "unit", unit_labels(out, levels, label if default_label is None else default_label))
        if keys:
            out = sort_units(out, keys, self.units, ethnicity_order=order)
        return out.reset_index(drop=True)

    # --- measures ---------------------------------------------------------------------

    def poverty_rates(self, by: By = None, *, year: int | None = None) -> pd.DataFrame:
        """As :func:`analysis.measures.breakdowns.poverty_rates` (household-weighted)."""
        levels = parse_by(by)
        sql, chosen = self._year_records(year, levels)
        status = quote(c.STATUS)
        sums = {
            "households": "count(*)",
            "poor": f"count_if({status} = 'poor')",
            "near_poor": f"count_if({status} = 'near_poor')",
            "poor_or_near_poor": f"count_if({status} IN ('poor', 'near_poor'))",
            "average": f"count_if({status} = 'average')",
        }
        counted = list(sums)
        out = self._status_sums(levels, chosen)
        if out is None:
            out = self._grouped(sql, levels, sums)
        out[counted] = out[counted].astype("int64")
        for m in MEASURES + EXTRA_MEASURES:
            denominator = out["households"].to_numpy(dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                out[f"{m}_rate"] = np.where(denominator > 0, out[m] / denominator * 100.0, np.nan)
        labelled = any(level != "year" for level in levels)
        out = self._finish(out, levels, chosen, default_label=None if not labelled else "")
        out.attrs.update({"weight": "households", "rate_unit": "% of households"} | {k: v for k, v in self.attrs.items() if k in ("synthetic", "source")})
        return out

    def _af_sums(self, k: float | None, by: By, year: int | None, weight: str, indicators: bool) -> tuple[pd.DataFrame, list[str], str, float]:
        k = default_k(self.std) if k is None else check_k(k)
        if weight not in ("households", "persons"):
            raise UsageError(f"weight must be 'households' or 'persons', not {weight!r}")
        levels = parse_by(by)
        sql, chosen = self._year_records(year, levels)
        weights = self.std.weights()
        score = " + ".join(f"(CASE WHEN {quote(i)} > 0 THEN {weights[i]!r} ELSE 0.0 END)" for i in self.std.indicators)
        w = f"CAST({quote(c.MEMBERS)} AS DOUBLE)" if weight == "persons" else "1.0"
        scored = f"SELECT *, {w} AS _wt, {score} AS _score, ({score}) >= {k - 1e-9!r} AS _poor FROM ({sql}) s"
        sums = {"households": "count(*)", "_w": "sum(_wt)", "_q": "sum(CASE WHEN _poor THEN _wt ELSE 0.0 END)", "_cs": "sum(CASE WHEN _poor THEN _wt * _score ELSE 0.0 END)"}
        if indicators:
            sums.pop("_q")
            sums.pop("households")
            for i in self.std.indicators:
                sums[f"_u_{i}"] = f"sum(CASE WHEN {quote(i)} > 0 THEN _wt ELSE 0.0 END)"
            for i in self.std.indicators:
                sums[f"_c_{i}"] = f"sum(CASE WHEN {quote(i)} > 0 AND _poor THEN _wt ELSE 0.0 END)"
        out = self._grouped(scored, levels, sums)
        return self._finish(out, levels, chosen), levels, sql, k

    def af_measures(self, k: float | None = None, by: By = None, *, year: int | None = None, weight: str = "households") -> pd.DataFrame:
        """As :func:`analysis.measures.mpi.af_measures`."""
        sums, levels, _, k = self._af_sums(k, by, year, weight, indicators=False)
        keys = group_keys(levels)
        out = measures_from_sums(sums, k)
        return out[["unit", *keys, "households", "H", "A", "M0", "k"]]

    def af_indicators(self, k: float | None = None, by: By = None, *, year: int | None = None, weight: str = "households") -> pd.DataFrame:
        """As :func:`analysis.measures.mpi.af_indicators`."""
        sums, levels, _, k = self._af_sums(k, by, year, weight, indicators=True)
        return indicators_from_sums(sums, self.std, group_keys(levels), k)

    def af_dimensions(self, k: float | None = None, by: By = None, *, year: int | None = None, weight: str = "households") -> pd.DataFrame:
        """As :func:`analysis.measures.mpi.af_dimensions`."""
        return dimensions_from_indicators(self.af_indicators(k, by, year=year, weight=weight))

    def _profile_sums(self, items: dict[str, list[str]], by: By, year: int | None) -> tuple[pd.DataFrame, list[str]]:
        levels = parse_by(by)
        sql, chosen = self._year_records(year, levels)
        status = quote(c.STATUS)
        sums = {"households": "count(*)", "poor": f"count_if({status} = 'poor')", "near_poor": f"count_if({status} = 'near_poor')"}
        for name, group in items.items():
            deprived = "(" + " OR ".join(f"coalesce({quote(i)} <> 0, false)" for i in group) + ")"
            sums[f"_all_{name}"] = f"count_if({deprived})"
            sums[f"_poor_{name}"] = f"count_if({deprived} AND {status} = 'poor')"
            sums[f"_near_{name}"] = f"count_if({deprived} AND {status} = 'near_poor')"
        out = self._grouped(sql, levels, sums)
        out[list(sums)] = out[list(sums)].astype("int64")
        return self._finish(out, levels, chosen), ["unit", *group_keys(levels)]

    def deprivation_profile(self, by: By = None, *, year: int | None = None) -> pd.DataFrame:
        """As :func:`analysis.measures.profile.deprivation_profile`."""
        items = {i: [i] for i in self.std.indicators}
        sums, ids = self._profile_sums(items, by, year)
        extra: dict[str, dict[str, str]] = {"dimension": dict(self.std.indicator_dimension)}
        out = profile_long(sums, ids, list(self.std.indicators), "indicator", extra)
        return out[ids + ["indicator", "dimension"] + [col for col in out.columns if col not in ids + ["indicator", "dimension"]]]

    def dimension_profile(self, by: By = None, *, year: int | None = None) -> pd.DataFrame:
        """As :func:`analysis.measures.profile.dimension_profile`."""
        items = {d: list(group) for d, group in self.std.dimensions.items()}
        sums, ids = self._profile_sums(items, by, year)
        extra: dict[str, dict[str, str]] = {"indicators": {d: ", ".join(group) for d, group in self.std.dimensions.items()}}
        out = profile_long(sums, ids, list(self.std.dimensions), "dimension", extra)
        return out[ids + ["dimension", "indicators"] + [col for col in out.columns if col not in ids + ["dimension", "indicators"]]]

    def poverty_flows(self, year: int | None = None, by: By = None) -> pd.DataFrame:
        """As :func:`analysis.measures.flows.poverty_flows` (households followed by id from the previous review)."""
        from .flows import flows

        return flows(self, self.resolve_year(year), parse_by(by))

    # --- records ----------------------------------------------------------------------

    def households(self) -> pd.DataFrame:
        """The validated households (of ``--province`` only) as
        :func:`analysis.review.loading.load_households` gives them: the contract columns,
        normalised, in file order, in the same types, with its provenance ``attrs``. For what
        is computed in pandas (the summary tables): a province's records, read with the
        province filter pushed down, never the whole of a national file."""
        from ...review.loading import describe_source
        from ...review.units import NEW_DIVISION_FROM_YEAR

        self.validated  # noqa: B018 -- validation first: bad records are reported, never loaded
        indicators = [i for i in c.INDICATOR_COLUMNS if i in self.source.columns]
        former = c.FORMER_COMMUNE in self.source.columns or any(y >= NEW_DIVISION_FROM_YEAR for y in self.years)
        columns = [*c.IDENTITY_COLUMNS, *indicators, *([c.FORMER_COMMUNE] if former else [])]
        listed = ", ".join(quote(col) for col in columns)
        try:
            table = self.source.con.sql(f"SELECT {listed} FROM ({self.records()}) h ORDER BY _file, _row").to_arrow_table()
        except Exception as err:  # duckdb.Error
            raise self.source.error(err) from None
        frame = table.to_pandas()
        del table
        types: dict[str, object] = {c.HOUSEHOLD_ID: "str", c.YEAR: "int64", c.AREA: "str", c.ETHNICITY: "str", c.MEMBERS: "int64", c.INCOME: "float64"}
        types |= {col: object for col in (c.PROVINCE, c.DISTRICT, c.COMMUNE, c.FORMER_COMMUNE) if col in frame}
        types |= dict.fromkeys(indicators, "int8")
        frame = frame.astype(types)
        frame.attrs.update(describe_source(self.source.files))
        return frame

    def classify_batches(self, year: int | None = None, *, rows: int = BATCH_ROWS) -> Iterator[pd.DataFrame]:
        """``household_id, year, deprivations, status`` of one year, in file order, a batch at a time."""
        chosen = self.resolve_year(year)
        cols = ", ".join(quote(col) for col in (c.HOUSEHOLD_ID, c.YEAR, c.DEPRIVATIONS, c.STATUS))
        sql = f"SELECT {cols} FROM ({self.records(f'{quote(c.YEAR)} = {chosen}')}) h ORDER BY _file, _row"
        try:
            reader = self.source.con.sql(sql).to_arrow_reader(rows)
            for batch in reader:
                yield batch.to_pandas()
        except Exception as err:  # duckdb.Error while streaming
            if isinstance(err, UsageError):
                raise
            raise self.source.error(err) from None


def _type_keys(out: pd.DataFrame, keys: Iterable[str]) -> None:
    """The grouping keys in the pandas path's types (flags bool, year int64, names object),
    so that both engines' tables compare equal."""
    for key in keys:
        if key in (ETHNIC_MINORITY, POOR_DISTRICT):
            out[key] = out[key].astype(bool)
        elif key == c.YEAR:
            out[key] = out[key].astype("int64")
        else:
            out[key] = out[key].astype(object)
