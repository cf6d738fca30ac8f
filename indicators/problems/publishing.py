"""From protected counts to ``published.indicator_values``: rolling-12-month windows from
published months only, counts without a disclosure rule as they are, derived values from
published counts only."""

from __future__ import annotations

import polars as pl

from indicators.compute import family_returns
from indicators.derived_values import VALUE_COLUMNS, derive
from indicators.flags import CONFIDENTIAL, flag_availability, flag_revised
from indicators.problems.model import KEY, PUBLISHED
from indicators.registry import Registry


def rolling_from_published(r12: pl.DataFrame, published: pl.DataFrame) -> pl.DataFrame:
    """Rolling-12-month counts of protected indicators from published counts only.

    A window is published when its 12 months are all published (it is then a sum of
    published numbers), or when it is a calendar year whose yearly count is published;
    otherwise it is NULL and flagged ``c``. ``r12``: the windows (value columns, true
    values); ``published``: protected count rows (month and year grains, NULL = hidden).
    """
    if r12.is_empty():
        return r12
    series = ["indicator", "geo", "breakdown", "breakdown_code"]
    months = published.filter(pl.col("grain") == "month").select(
        *series, month=pl.col("period"), month_value=pl.col("value"))
    years = published.filter(pl.col("grain") == "year").select(
        *series, period=pl.col("period"), year_value=pl.col("value"))
    windows = r12.with_row_index("_row")
    parts = (windows.select("_row", *series,
                            month=pl.date_ranges(pl.col("period"), pl.col("period_end"),
                                                 interval="1mo"))
             .explode("month")
             .join(months, on=[*series, "month"], how="left")
             .group_by("_row")
             .agg(n_published=pl.col("month_value").is_not_null().sum(),
                  total=pl.col("month_value").sum()))
    out = (windows.join(parts, on="_row", how="left")
           .join(years, on=[*series, "period"], how="left"))
    publishable_year = (pl.col("period").dt.month() == 1) & pl.col("year_value").is_not_null()
    value = (pl.when(pl.col("n_published") == 12).then(pl.col("total"))
             .when(publishable_year).then(pl.col("year_value"))
             .otherwise(None))
    return out.with_columns(value=value).with_columns(
        flags=pl.when(pl.col("value").is_null()).then(pl.lit(CONFIDENTIAL))
        .otherwise(pl.lit(""))).sort("_row").select(VALUE_COLUMNS)


def build_published_values(protected_cells: pl.DataFrame, registry: Registry,
                           counts: pl.DataFrame, status: pl.DataFrame, release_id: str,
                           previous: pl.DataFrame | None = None) -> pl.DataFrame:
    """``published.indicator_values``: protected counts + derived values from them.

    ``protected_cells``: KEY + status (from :func:`protect_all`); ``counts``: the internal
    count values (``marts.count_values`` in value columns, flags empty) that give periods,
    units and the counts of indicators without a disclosure rule; ``status``: month status
    from :func:`indicators.flags.month_status`; ``previous``: the previous release's
    published values (for ``r``). Suppressed counts have value NULL and flag ``c``; counts
    the protection does not cover are left out; derived values use only published counts.
    """
    open_codes = [i.code for i in registry.counts() if not i.disclosure.applies]
    free = counts.filter(pl.col("indicator").is_in(open_codes))
    guarded = counts.filter(~pl.col("indicator").is_in(open_codes)).join(
        protected_cells.select(*KEY, "status"), on=KEY, how="inner")
    guarded = guarded.with_columns(
        value=pl.when(pl.col("status") == PUBLISHED).then(pl.col("value")).otherwise(None),
        flags=pl.when(pl.col("status") == PUBLISHED).then(pl.col("flags"))
        .otherwise(pl.lit(CONFIDENTIAL)),
    ).drop("status")
    rolling = rolling_from_published(
        counts.filter(~pl.col("indicator").is_in(open_codes) & (pl.col("grain") == "r12")),
        guarded)
    published_counts = pl.concat([free.select(VALUE_COLUMNS), guarded.select(VALUE_COLUMNS),
                                  rolling.select(VALUE_COLUMNS)])
    published_counts = flag_availability(published_counts, status, family_returns(registry))
    derived = derive(published_counts, registry)
    values = pl.concat([published_counts, derived], how="vertical_relaxed")
    values = flag_revised(values, previous)
    return values.with_columns(release_id=pl.lit(release_id)).sort(
        "indicator", "grain", "period", "geo", "breakdown", "breakdown_code")
