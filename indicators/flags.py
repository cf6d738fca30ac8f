"""Eurostat-style flags carried beside every value (pure functions over polars frames).

``c`` confidential (suppressed by disclosure control; the value is NULL),
``z`` not applicable (the value cannot exist, e.g. a rate for persons signalled abroad),
``:`` not available (not yet reported: no partner has sent the return for the period),
``p`` provisional (some partner expected for the period has not reported yet),
``e`` estimated (computed from an estimated input: a rate by sex whose population by sex is
an estimate, not INE's figure — see ``indicators/reference/SOURCES.md``),
``r`` revised (the value differs from the one published in the previous release).

Flags combine as a string in the fixed order ``c e p r``; ``z`` and ``:`` stand alone;
``e`` and ``r`` are dropped when ``c`` is present (there is no value to qualify).
A value with ``c``, ``z`` or ``:`` is always NULL; a zero is a true zero and has no flag.
"""

from __future__ import annotations

import polars as pl

CONFIDENTIAL = "c"
NOT_APPLICABLE = "z"
NOT_AVAILABLE = ":"
ESTIMATED = "e"
PROVISIONAL = "p"
REVISED = "r"

# The order every legend explains the letters in (methodology page, donor report, download
# notes): what stands in place of a value first, then what qualifies a value.
LETTERS = (CONFIDENTIAL, NOT_APPLICABLE, NOT_AVAILABLE, ESTIMATED, PROVISIONAL, REVISED)

KEY = ["indicator", "grain", "period_label", "geo", "breakdown", "breakdown_code"]
_ORDER = (CONFIDENTIAL, ESTIMATED, PROVISIONAL, REVISED)


def combine_flags(*flags: str | None) -> str:
    """Merge flag strings: ``z`` wins, then ``:``; otherwise ``c``, ``e``, ``p``, ``r`` in
    that order.

    ``e`` and ``r`` are dropped when ``c`` is present (a suppressed value is neither an
    estimated nor a revised value).
    """
    letters = set("".join(f for f in flags if f))
    if NOT_APPLICABLE in letters:
        return NOT_APPLICABLE
    if NOT_AVAILABLE in letters:
        return NOT_AVAILABLE
    if CONFIDENTIAL in letters:
        letters.discard(REVISED)
        letters.discard(ESTIMATED)
    return "".join(letter for letter in _ORDER if letter in letters)


def combine_flags_expr(*exprs: pl.Expr) -> pl.Expr:
    """Vectorised :func:`combine_flags` over string columns (NULL counts as no flag)."""
    joined = pl.concat_str([e.fill_null("") for e in exprs])

    def has(letter: str) -> pl.Expr:
        return joined.str.contains(letter, literal=True)

    body = pl.concat_str([
        pl.when(has(CONFIDENTIAL)).then(pl.lit(CONFIDENTIAL)).otherwise(pl.lit("")),
        pl.when(has(ESTIMATED) & ~has(CONFIDENTIAL)).then(pl.lit(ESTIMATED))
        .otherwise(pl.lit("")),
        pl.when(has(PROVISIONAL)).then(pl.lit(PROVISIONAL)).otherwise(pl.lit("")),
        pl.when(has(REVISED) & ~has(CONFIDENTIAL)).then(pl.lit(REVISED)).otherwise(pl.lit("")),
    ])
    return (pl.when(has(NOT_APPLICABLE)).then(pl.lit(NOT_APPLICABLE))
            .when(has(NOT_AVAILABLE)).then(pl.lit(NOT_AVAILABLE))
            .otherwise(body))


def month_status(data_quality: pl.DataFrame) -> pl.DataFrame:
    """Per return type and month: provisional (an expected return is missing) and
    unreported (no return of that type received at all).

    ``data_quality`` has the columns of ``marts.data_quality`` (at least return_type, period,
    expected, received).
    """
    if data_quality.is_empty():
        return pl.DataFrame(schema={"return_type": pl.String, "period": pl.Date,
                                    "provisional": pl.Boolean, "unreported": pl.Boolean})
    return (
        data_quality.group_by("return_type", "period")
        .agg(
            provisional=(pl.col("expected") & ~pl.col("received")).any(),
            unreported=~pl.col("received").any(),
        )
        .sort("return_type", "period")
    )


def _span_months(df: pl.DataFrame) -> pl.DataFrame:
    """One row per value and month covered by its period (``_row`` identifies the value)."""
    return (
        df.select(
            "_row", "return_type",
            month=pl.date_ranges(pl.col("period"), pl.col("period_end"), interval="1mo"),
        )
        .explode("month")
    )


def flag_availability(values: pl.DataFrame, status: pl.DataFrame,
                      family_returns: dict[str, str]) -> pl.DataFrame:
    """Add ``:`` (value set to NULL) where no month of the period was reported, and ``p``
    where any month of the period is provisional.

    ``values`` needs indicator, period, period_end, value, flags and a ``family`` column or a
    mapping indicator -> return type given as ``family_returns`` (indicator code -> return
    type). Months absent from ``status`` count as reported and final.
    """
    if values.is_empty():
        return values
    df = values.with_row_index("_row").with_columns(
        return_type=pl.col("indicator").replace_strict(family_returns, default=None)
    )
    months = _span_months(df).join(
        status.rename({"period": "month"}), on=["return_type", "month"], how="left"
    )
    per_row = months.group_by("_row").agg(
        any_provisional=pl.col("provisional").fill_null(False).any(),
        all_unreported=pl.col("unreported").fill_null(False).all(),
    )
    df = df.join(per_row, on="_row", how="left")
    flag_add = (
        pl.when(pl.col("all_unreported")).then(pl.lit(NOT_AVAILABLE))
        .when(pl.col("any_provisional")).then(pl.lit(PROVISIONAL))
        .otherwise(pl.lit(""))
    )
    df = df.with_columns(
        value=pl.when(pl.col("all_unreported")).then(None).otherwise(pl.col("value")),
        flags=combine_flags_expr(pl.col("flags"), flag_add),
    )
    return df.sort("_row").drop("_row", "return_type", "any_provisional", "all_unreported")


def flag_revised(current: pl.DataFrame, previous: pl.DataFrame | None,
                 tolerance: float = 1e-9) -> pl.DataFrame:
    """Add ``r`` where both releases published a value for the same key and it changed.

    A value that was suppressed before and is published now, or the reverse, is not a
    revision (its flag says why it is, or was, missing). A value the previous release
    flagged ``r`` (``previous`` with ``flags``) keeps the flag while it is unchanged: a
    refresh on the same data publishes the same flags.
    """
    if previous is None or previous.is_empty() or current.is_empty():
        return current
    was_revised = (pl.col("flags").fill_null("").str.contains(REVISED, literal=True)
                   if "flags" in previous.columns else pl.lit(False))
    prev = previous.select(*KEY, pl.col("value").alias("_prev"), was_revised.alias("_prev_r"))
    df = current.with_row_index("_row").join(prev, on=KEY, how="left")
    differs = (pl.col("value") - pl.col("_prev")).abs() > tolerance
    changed = (
        pl.col("value").is_not_null() & pl.col("_prev").is_not_null()
        & (differs | pl.col("_prev_r").fill_null(False))
    )
    df = df.with_columns(
        flags=combine_flags_expr(
            pl.col("flags"), pl.when(changed).then(pl.lit(REVISED)).otherwise(pl.lit("")))
    )
    return df.sort("_row").drop("_row", "_prev", "_prev_r")


def merge_input_flags(flag_lists: list[str]) -> str:
    """Flags of a derived value from the flags of its inputs (``r`` never propagates)."""
    merged = combine_flags(*flag_lists)
    return merged.replace(REVISED, "")
