"""Rates, shares and changes computed from count values (pure polars).

Used twice with the same code: on the unprotected counts (internal marts) and on the
*published* counts after disclosure control. A derived value is NULL, flagged ``c``, wherever
its numerator or denominator is suppressed; ``:`` where an input is not available; ``z``
where it cannot exist (rate abroad, percentage change on a zero).

Input and output frames have the columns of :data:`VALUE_COLUMNS`.
"""

from __future__ import annotations

import polars as pl

from indicators.contract import load_contract
from indicators.flags import ESTIMATED, NOT_APPLICABLE, NOT_AVAILABLE, combine_flags_expr
from indicators.reference import districts, national_census_2021, national_population
from indicators.registry import Indicator, Registry

VALUE_SCHEMA: dict[str, pl.DataType] = {
    "indicator": pl.String(), "grain": pl.String(), "period": pl.Date(),
    "period_end": pl.Date(), "period_label": pl.String(), "geo": pl.String(),
    "breakdown": pl.String(), "breakdown_code": pl.String(), "value": pl.Float64(),
    "numerator": pl.Float64(), "denominator": pl.Float64(), "unit": pl.String(),
    "flags": pl.String(),
}
VALUE_COLUMNS = list(VALUE_SCHEMA)
SERIES_KEY = ["grain", "period", "period_end", "period_label", "geo"]


def empty_values() -> pl.DataFrame:
    return pl.DataFrame(schema=VALUE_SCHEMA)


def district_population() -> pl.DataFrame:
    """Census 2021 resident population per district: breakdown_code _T, F (women), M (men).

    ``pop_flags`` is ``e`` where the split by sex is an estimate (``sex_estimated`` in the
    reference data); population NULL where the reference data has no split by sex at all.
    """
    rows = []
    for d in districts():
        by_sex = ESTIMATED if d.sex_estimated else ""
        rows += [(d.code, "_T", d.pop_2021, ""), (d.code, "F", d.women_2021, by_sex),
                 (d.code, "M", d.men_2021, by_sex)]
    return pl.DataFrame(rows, schema={"geo": pl.String, "breakdown_code": pl.String,
                                      "population": pl.Float64, "pop_flags": pl.String},
                        orient="row")


def national_population_frame(populations: dict[int, int] | None = None,
                              by_sex: dict[str, int] | None = None) -> pl.DataFrame:
    """National population per year (1 January), breakdown _T; by sex only when given."""
    populations = populations if populations is not None else national_population()
    rows = [(year, "_T", float(pop)) for year, pop in populations.items()]
    for sex, pop in (by_sex or {}).items():
        rows += [(year, sex, float(pop)) for year in populations]
    return pl.DataFrame(rows, schema={"year": pl.Int32, "breakdown_code": pl.String,
                                      "population": pl.Float64}, orient="row")


def national_sex_population() -> dict[str, int]:
    """Portugal's Census 2021 population by sex (INE, tables Q01/Q04): the denominator of
    the national rates by sex for every year (INE's yearly estimates by sex are not in the
    reference data)."""
    census = national_census_2021()
    return {"F": census.women, "M": census.men}


def _scope(df: pl.DataFrame, ind: Indicator, breakdowns: list[str] | None = None
           ) -> pl.DataFrame:
    """Rows of the base series inside the derived indicator's geo x grain scope."""
    national = (pl.col("geo") == "PT") & (
        ((pl.col("breakdown") == "_T") & pl.col("grain").is_in(list(ind.grains)))
        | ((pl.col("breakdown") != "_T")
           & pl.col("grain").is_in(list(ind.national_grains("sex")))))
    district = (pl.col("geo") != "PT") & pl.col("grain").is_in(list(ind.district_grains))
    out = df.filter(national | district)
    if breakdowns is not None:
        nat_b = (pl.col("geo") == "PT") & pl.col("breakdown").is_in(breakdowns)
        out = out.filter(nat_b | ((pl.col("geo") != "PT")
                                  & pl.col("breakdown").is_in(breakdowns)))
    return out


def _finish(df: pl.DataFrame, ind: Indicator, value: pl.Expr, flags: pl.Expr) -> pl.DataFrame:
    blocked = (pl.col("flags").str.contains("c", literal=True)
               | pl.col("flags").is_in([NOT_APPLICABLE, NOT_AVAILABLE]))
    return df.with_columns(
        indicator=pl.lit(ind.code), unit=pl.lit(ind.unit), _value=value, flags=flags,
    ).with_columns(
        value=pl.when(blocked).then(None).otherwise(pl.col("_value")),
    ).with_columns(
        # never carry a suppressed input into a published row
        numerator=pl.when(pl.col("flags").str.contains("c", literal=True)).then(None)
        .otherwise(pl.col("numerator")),
        denominator=pl.when(pl.col("flags").str.contains("c", literal=True)).then(None)
        .otherwise(pl.col("denominator")),
    ).select(VALUE_COLUMNS)


def _rate(counts: pl.DataFrame, ind: Indicator, district_pop: pl.DataFrame,
          national_pop: pl.DataFrame) -> pl.DataFrame:
    base = counts.filter(pl.col("indicator") == ind.base)
    nat = _scope(base, ind).filter(
        (pl.col("geo") == "PT") & pl.col("breakdown").is_in(list(ind.breakdowns)))
    dist = _scope(base, ind).filter(
        (pl.col("geo") != "PT") & pl.col("breakdown").is_in(list(ind.district_breakdowns)))
    df = pl.concat([nat, dist]).filter(
        (pl.col("breakdown") == "_T") | pl.col("breakdown_code").is_in(["F", "M"]))
    years = national_pop.select("year").unique().sort("year")["year"].to_list()
    df = df.with_columns(year=pl.col("period_end").dt.year().cast(pl.Int32))
    if years:
        # the population of the year in which the period ends; the nearest earlier year
        # when that year is not yet in the series (the earliest year before the series)
        df = df.with_columns(
            year=pl.col("year").clip(years[0], None)
        ).sort("year")
        df = df.join_asof(pl.DataFrame({"year": years}, schema={"year": pl.Int32})
                          .with_columns(pop_year=pl.col("year")),
                          on="year", strategy="backward")
    else:
        df = df.with_columns(pop_year=pl.lit(None, dtype=pl.Int32))
    df = df.join(national_pop.rename({"year": "pop_year", "population": "nat_pop"}),
                 on=["pop_year", "breakdown_code"], how="left")
    if "pop_flags" not in district_pop.columns:
        district_pop = district_pop.with_columns(pop_flags=pl.lit(""))
    df = df.join(district_pop.rename({"population": "dist_pop"}),
                 on=["geo", "breakdown_code"], how="left")
    abroad = pl.col("geo").is_in(list(load_contract().outside_districts))
    pop = pl.when(pl.col("geo") == "PT").then(pl.col("nat_pop")).otherwise(pl.col("dist_pop"))
    df = df.with_columns(numerator=pl.col("value"), denominator=pop)
    flags = combine_flags_expr(
        pl.col("flags"),
        pl.when(abroad).then(pl.lit(NOT_APPLICABLE))
        .when(pl.col("denominator").is_null()).then(pl.lit(NOT_AVAILABLE))
        .otherwise(pl.lit("")),
        # an estimated district population by sex makes the rate an estimate; a rate of
        # zero persons is exactly 0 whatever the population, so it is no estimate
        pl.when((pl.col("geo") != "PT") & (pl.col("value") != 0)).then(pl.col("pop_flags"))
        .otherwise(pl.lit("")),
    ).str.replace("r", "", literal=True)
    value = pl.col("numerator") / pl.col("denominator") * float(ind.per or 100000)
    df = df.with_columns(denominator=pl.when(abroad).then(None).otherwise(pl.col("denominator")))
    return _finish(df, ind, value, flags)


def _share(counts: pl.DataFrame, ind: Indicator) -> pl.DataFrame:
    assert ind.numerator is not None
    num_breakdown, num_codes = ind.numerator
    base = counts.filter(pl.col("indicator") == ind.base)
    base = pl.concat([
        _scope(base, ind).filter(pl.col("geo") == "PT") if "_T" in ind.breakdowns
        else base.clear(),
        _scope(base, ind).filter(pl.col("geo") != "PT") if "_T" in ind.district_breakdowns
        else base.clear(),
    ])
    den = base.filter(pl.col("breakdown") == "_T").select(
        *SERIES_KEY, denominator=pl.col("value"), den_flags=pl.col("flags"))
    num = (
        base.filter((pl.col("breakdown") == num_breakdown)
                    & pl.col("breakdown_code").is_in(list(num_codes)))
        .group_by(SERIES_KEY)
        .agg(
            numerator=pl.when(pl.col("value").is_null().any()).then(None)
            .otherwise(pl.col("value").sum()),
            num_flags=pl.col("flags").str.join(""),
            n=pl.len(),
        )
        .filter(pl.col("n") == len(num_codes))
    )
    df = den.join(num, on=SERIES_KEY, how="inner").with_columns(
        breakdown=pl.lit("_T"), breakdown_code=pl.lit("_T"))
    flags = combine_flags_expr(
        pl.col("num_flags"), pl.col("den_flags"),
        pl.when(pl.col("denominator") == 0).then(pl.lit(NOT_APPLICABLE)).otherwise(pl.lit("")),
    ).str.replace("r", "", literal=True)
    value = pl.col("numerator") / pl.col("denominator") * 100.0
    return _finish(df, ind, value, flags)


def _change(counts: pl.DataFrame, ind: Indicator, percent: bool) -> pl.DataFrame:
    base = counts.filter(pl.col("indicator") == ind.base)
    nat = _scope(base, ind).filter(
        (pl.col("geo") == "PT") & pl.col("breakdown").is_in(list(ind.breakdowns)))
    dist = _scope(base, ind).filter(
        (pl.col("geo") != "PT") & pl.col("breakdown").is_in(list(ind.district_breakdowns)))
    cur = pl.concat([nat, dist])
    key = ["grain", "period", "_end_month", "geo", "breakdown", "breakdown_code"]
    end_month = pl.col("period_end").dt.truncate("1mo")
    prev = base.with_columns(_end_month=end_month).select(
        *key, prev_value=pl.col("value"), prev_flags=pl.col("flags")
    ).with_columns(period=pl.col("period").dt.offset_by("1y"),
                   _end_month=pl.col("_end_month").dt.offset_by("1y"))
    df = cur.with_columns(_end_month=end_month).join(prev, on=key, how="inner")
    if percent:
        df = df.with_columns(numerator=pl.col("value") - pl.col("prev_value"),
                             denominator=pl.col("prev_value"))
        zero = pl.col("prev_value") == 0
        value = pl.col("numerator") / pl.col("denominator") * 100.0
    else:
        df = df.with_columns(numerator=pl.col("value"), denominator=pl.col("prev_value"))
        zero = pl.lit(False)
        value = pl.col("numerator") - pl.col("denominator")
    flags = combine_flags_expr(
        pl.col("flags"), pl.col("prev_flags"),
        pl.when(zero).then(pl.lit(NOT_APPLICABLE)).otherwise(pl.lit("")),
    ).str.replace("r", "", literal=True)
    return _finish(df, ind, value, flags)


def derive(counts: pl.DataFrame, registry: Registry,
           district_pop: pl.DataFrame | None = None,
           national_pop: pl.DataFrame | None = None) -> pl.DataFrame:
    """Every derived indicator of the registry, from ``counts`` (count indicators only)."""
    district_pop = district_population() if district_pop is None else district_pop
    if national_pop is None:
        national_pop = national_population_frame(by_sex=national_sex_population())
    parts = []
    for ind in registry.derived():
        if ind.method == "rate":
            parts.append(_rate(counts, ind, district_pop, national_pop))
        elif ind.method == "share":
            parts.append(_share(counts, ind))
        elif ind.method == "change":
            parts.append(_change(counts, ind, percent=False))
        elif ind.method == "change_pct":
            parts.append(_change(counts, ind, percent=True))
    parts = [p for p in parts if not p.is_empty()]
    if not parts:
        return empty_values()
    return pl.concat(parts, how="vertical_relaxed").sort(
        "indicator", "grain", "period", "geo", "breakdown", "breakdown_code")

