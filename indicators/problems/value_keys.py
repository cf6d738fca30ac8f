"""How the cells of a problem become value keys of ``published.indicator_values``
(``KEY``): time codes -> (grain, period_label), split codes -> indicators, district -> geo,
the breakdown dimension -> (breakdown, breakdown_code)."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from indicators.problems.model import period_code_to_grain

CITIZENSHIP_GROUP = "GROUP_"   # prefix of a group code in the citizenship dimension


def _time_keys(cells: pl.DataFrame, dim: str, first_quarter_ytd: bool = False
               ) -> pl.DataFrame:
    """Codes of a time dimension -> (grain, period_label): months, quarters, year, the
    year-to-date sums (``YYYY-MM-YTD``); January is also the year to date at its end, and
    with ``first_quarter_ytd`` the first quarter is also the year to date at the end of
    March (a problem of complete quarters with year-to-date sums)."""
    rows = []
    for c in cells[dim].unique().to_list():
        mapped = period_code_to_grain(c)
        if mapped is None:
            continue
        rows.append((c, *mapped))
        if mapped[0] == "month" and c.endswith("-01"):
            rows.append((c, "ytd", f"{c}..{c}"))
        if first_quarter_ytd and c.endswith("-Q1"):
            rows.append((c, "ytd", f"{c[:4]}-01..{c[:4]}-03"))
    table = pl.DataFrame(rows, schema={dim: pl.String, "grain": pl.String,
                                       "period_label": pl.String}, orient="row")
    return cells.join(table, on=dim, how="inner")


def _year_keys(cells: pl.DataFrame) -> pl.DataFrame:
    return cells.filter(pl.col("year") != "_T").with_columns(
        grain=pl.lit("year"), period_label=pl.col("year"))


def _finish_keys(df: pl.DataFrame, breakdown_dim: str | None) -> pl.DataFrame:
    if breakdown_dim is None:
        df = df.with_columns(breakdown=pl.lit("_T"), breakdown_code=pl.lit("_T"))
    else:
        df = df.with_columns(
            breakdown=pl.when(pl.col(breakdown_dim) == "_T").then(pl.lit("_T"))
            .otherwise(pl.lit(breakdown_dim)),
            breakdown_code=pl.col(breakdown_dim))
    return df


def _citizenship_groups(df: pl.DataFrame) -> pl.DataFrame:
    """A group of countries is the citizenship-group cell of the same year and status
    (shared with that problem, so that both hide it alike)."""
    group = pl.col("citizenship").str.starts_with(CITIZENSHIP_GROUP)
    return df.with_columns(
        breakdown=pl.when(group).then(pl.lit("citizenship_group"))
        .otherwise(pl.col("breakdown")),
        breakdown_code=pl.when(group)
        .then(pl.col("citizenship").str.slice(len(CITIZENSHIP_GROUP)))
        .otherwise(pl.col("breakdown_code")))


@dataclass(frozen=True)
class ValueKeys:
    """The value keys of a problem's cells (a problem's ``to_keys``).

    ``split_indicators``: code of the ``split`` dimension -> indicator (``_T`` included;
    cells of other codes have no value key); ``group_indicators``: a breakdown code that is
    also another indicator's total."""

    time: str                      # the time dimension: month | quarter | year
    complete_quarters: bool
    indicator: str
    split: str | None = None
    split_indicators: dict[str, str] = field(default_factory=dict)
    geo: str | None = None
    breakdown: str | None = None
    group_indicators: dict[str, str] = field(default_factory=dict)

    def _time(self, cells: pl.DataFrame) -> pl.DataFrame:
        if self.time == "year":
            return _year_keys(cells)
        return _time_keys(cells, self.time, first_quarter_ytd=self.complete_quarters)

    def __call__(self, cells: pl.DataFrame) -> pl.DataFrame:
        df = self._time(cells)
        if self.split is not None and self.split in df.columns:
            df = df.filter(pl.col(self.split).is_in(list(self.split_indicators))).with_columns(
                indicator=pl.col(self.split).replace_strict(self.split_indicators))
        else:
            df = df.with_columns(indicator=pl.lit(self.indicator))
        df = df.with_columns(geo=pl.lit("PT") if self.geo is None else
                             pl.when(pl.col(self.geo) == "_T").then(pl.lit("PT"))
                             .otherwise(pl.col(self.geo)))
        out = _finish_keys(df, self.breakdown)
        if self.breakdown == "citizenship":
            out = _citizenship_groups(out)
        if not self.group_indicators:
            return out
        groups = df.filter(pl.col(self.breakdown).is_in(list(self.group_indicators)))
        totals = groups.with_columns(
            indicator=pl.col(self.breakdown).replace_strict(self.group_indicators),
            breakdown=pl.lit("_T"), breakdown_code=pl.lit("_T"))
        return pl.concat([out, totals], how="diagonal_relaxed")
