"""What changed between two published releases, cell by cell.

A cell is one published key (indicator, grain, period, period end, area, breakdown,
category). Kinds: ``revised`` (published in both, value differs), ``newly_suppressed``
(published before, confidential now), ``newly_published`` (confidential before, published
now), ``finalised`` (published in both with the same value, provisional before and not
now), ``added`` / ``removed`` (the key is new / gone). Only what the two releases themselves
publish is compared: the comparison can reveal nothing that the two releases do not.
"""

from __future__ import annotations

import polars as pl

KEY = ("indicator", "grain", "period", "period_end", "geo", "breakdown", "breakdown_code")
KINDS = ("revised", "newly_suppressed", "newly_published", "finalised", "added", "removed")
KIND_MEANINGS = {  # what each kind says, for the API's description (one source)
    "revised": "published in both releases, with another value",
    "newly_suppressed": "published before, confidential (flag c) now: a late or corrected "
                        "return changed it or a value around it",
    "newly_published": "confidential before, published now",
    "finalised": "published in both with the same value, provisional (flag p) before and not "
                 "now: every expected return for the period has arrived",
    "added": "a cell the older release did not have (a new period, area or category)",
    "removed": "a cell the newer release no longer has (e.g. a period left out for an area "
               "to protect another table: see not_published in /data)",
}


def _suppressed(flags: pl.Expr) -> pl.Expr:
    return flags.str.contains("c", literal=True)


def compare_values(old: pl.DataFrame, new: pl.DataFrame, tolerance: float = 1e-9
                   ) -> pl.DataFrame:
    """One row per changed cell: the key, ``change`` (one of :data:`KINDS`), the old and the
    new value and flags."""
    cols = [*KEY, "value", "flags"]
    a = old.select(cols).rename({"value": "old_value", "flags": "old_flags"})
    b = new.select(cols).rename({"value": "new_value", "flags": "new_flags"})
    both = a.join(b, on=list(KEY), how="full", coalesce=True, nulls_equal=True)
    old_c, new_c = _suppressed(pl.col("old_flags")), _suppressed(pl.col("new_flags"))
    change = (
        pl.when(pl.col("old_flags").is_null()).then(pl.lit("added"))
        .when(pl.col("new_flags").is_null()).then(pl.lit("removed"))
        .when(~old_c & new_c).then(pl.lit("newly_suppressed"))
        .when(old_c & ~new_c & pl.col("new_value").is_not_null())
        .then(pl.lit("newly_published"))
        .when(pl.col("old_value").is_not_null() & pl.col("new_value").is_not_null()
              & ((pl.col("old_value") - pl.col("new_value")).abs() > tolerance))
        .then(pl.lit("revised"))
        .when(pl.col("old_value").is_not_null() & pl.col("new_value").is_not_null()
              & pl.col("old_flags").str.contains("p", literal=True)
              & ~pl.col("new_flags").str.contains("p", literal=True))
        .then(pl.lit("finalised"))
        .otherwise(None))
    return (both.with_columns(change=change).filter(pl.col("change").is_not_null())
            .select(*KEY, "change", "old_value", "old_flags", "new_value", "new_flags")
            .sort(*KEY))


def change_counts(changes: pl.DataFrame) -> dict[str, int]:
    counts = dict.fromkeys(KINDS, 0)
    for kind, n in changes.group_by("change").len().iter_rows():
        counts[kind] = int(n)
    return counts
