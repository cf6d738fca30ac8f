"""Periods a release leaves out of an area or a breakdown while it publishes their total.

Protection sometimes leaves a whole breakdown out of a period (a status too small to be
broken down without hiding its total) or an area out of a period (a district's quarters when
its yearly total is hidden); such a cell has no row in ``indicator_values``, and a reuser
adding up the rows would read "no data" or a smaller sum. The bulk download lists them
(``tables/not_published.csv``), as ``/api/v1/data`` does in ``not_published``. Only what the
release itself publishes is read: the list tells nothing the release does not.

A period counts only where the same thing is published in other periods: a breakdown never
published at a grain (by month) or an area never published in a period (the year to date by
area outside quarter ends) is not "left out".
"""

from __future__ import annotations

import polars as pl

NATIONAL = "PT"
TOTAL = "_T"
COLUMNS = ("indicator", "grain", "period_label", "geo", "breakdown")


def left_out_cells(values: pl.DataFrame) -> pl.DataFrame:
    """(indicator, grain, period_label, geo, breakdown) of every left-out cell of
    ``values`` (a release's ``indicator_values``): a breakdown missing from a period where
    its area's total is published, or an area's total missing from a period where the
    national total and other areas are published (``breakdown`` ``_T``).

    >>> rows = [("A", "year", "2021", "PT", "_T"), ("A", "year", "2022", "PT", "_T"),
    ...         ("A", "year", "2021", "PT", "sex"), ("A", "year", "2021", "PT-11", "_T"),
    ...         ("A", "year", "2022", "PT-13", "_T"), ("A", "year", "2021", "PT-13", "_T")]
    >>> v = pl.DataFrame(rows, schema=list(COLUMNS), orient="row")
    >>> left_out_cells(v).rows()
    [('A', 'year', '2022', 'PT', 'sex'), ('A', 'year', '2022', 'PT-11', '_T')]
    """
    cells = values.select(COLUMNS).unique()
    totals = cells.filter(pl.col("breakdown") == TOTAL).drop("breakdown")
    broken = cells.filter(pl.col("breakdown") != TOTAL).select(
        "indicator", "grain", "geo", "breakdown").unique()
    breakdowns = (totals.join(broken, on=["indicator", "grain", "geo"])
                  .join(cells, on=list(COLUMNS), how="anti"))
    areas = totals.filter(pl.col("geo") != NATIONAL)
    area_periods = cells.filter(pl.col("geo") != NATIONAL).select(
        "indicator", "grain", "period_label").unique()
    national = (totals.filter(pl.col("geo") == NATIONAL).drop("geo")
                .join(area_periods, on=["indicator", "grain", "period_label"], how="semi"))
    missing_areas = (national.join(areas.select("indicator", "grain", "geo").unique(),
                                   on=["indicator", "grain"])
                     .join(cells.select("indicator", "grain", "period_label", "geo").unique(),
                           on=["indicator", "grain", "period_label", "geo"], how="anti")
                     .with_columns(breakdown=pl.lit(TOTAL)))
    return (pl.concat([breakdowns.select(COLUMNS), missing_areas.select(COLUMNS)])
            .sort(*COLUMNS))
