"""Revisions a reader can subtract: counts published in two releases whose difference is a
small number of persons, and the gate's check of them.

A late or corrected return changes counts that earlier releases published. A reader who kept
the earlier release subtracts: "Lisboa 2022: 77 -> 80" says that the revision added 3 persons
in Lisboa, and when the same +3 shows in the women, the 25-34 age group and the Brazilian
citizens of the same year, it says who they are. The protection hides such cells with a
protection level (:mod:`indicators.problems.revisions`); this module is the outsider's check
of the result, part of the publication gate: no count published now may differ by 1 .. k-1
from a value an earlier release published (unless it equals another value published before,
which the reader holds already), and no hidden count may be confined by the release-wide
audit's interval to 1 .. k-1 above or below such a value.

Worked example (k = 5): Lisboa 2022 published 77 then 80, Porto 2022 31 then 33, Faro 2022
12 then 12: two small revisions (+3, +2), none for Faro.
"""

from __future__ import annotations

import math

import polars as pl

from indicators.registry import Registry
from indicators.release_model import GRAINS, KEY, protected_counts

TOL = 1e-6


def small_revisions(new: pl.DataFrame, earlier: list[pl.DataFrame],
                    registry: Registry) -> pl.DataFrame:
    """Counts under a small-cell rule, at an audited grain, published (a value) both in
    ``new`` and in one of the ``earlier`` releases (KEY + ``value`` each), whose difference
    is 1 .. k-1 persons either way: KEY, ``earlier``, ``value`` (new) and ``difference``,
    the smallest difference per key, ordered by key.

    >>> key = {"indicator": "THB_SIGNALLED", "grain": "year", "period_label": "2022",
    ...        "breakdown": "_T", "breakdown_code": "_T"}
    >>> new = pl.DataFrame([{**key, "geo": "PT-11", "value": 80.0},
    ...                     {**key, "geo": "PT-08", "value": 12.0}])
    >>> old = pl.DataFrame([{**key, "geo": "PT-11", "value": 77.0},
    ...                     {**key, "geo": "PT-08", "value": 12.0}])
    >>> from indicators.registry import load_registry
    >>> found = small_revisions(new, [old], load_registry())
    >>> found.select("geo", "earlier", "value", "difference").rows()
    [('PT-11', 77.0, 80.0, 3.0)]
    """
    rules = protected_counts(registry)
    threshold = pl.DataFrame({"indicator": list(rules), "k": [k for k, _z in rules.values()]},
                             schema={"indicator": pl.String, "k": pl.Int64})
    key = list(KEY)
    shown = (new.filter(pl.col("value").is_not_null() & pl.col("grain").is_in(GRAINS))
             .select(*key, "value").join(threshold, on="indicator", how="inner"))
    found = [shown.join(e.filter(pl.col("value").is_not_null())
                        .select(*key, pl.col("value").alias("earlier")), on=key, how="inner")
             for e in earlier]
    if not found:
        return _empty()
    both = pl.concat(found).with_columns(difference=pl.col("value") - pl.col("earlier"))
    held = both.filter(pl.col("difference") == 0).select(key)  # published before: known
    small = both.filter((pl.col("difference").abs() >= 1)
                        & (pl.col("difference").abs() < pl.col("k"))).join(
        held, on=key, how="anti")
    return (small.sort([*key, pl.col("difference").abs()]).unique(key, keep="first")
            .sort(key).select(*key, "earlier", "value", "difference"))


def bounded_revisions(intervals: list, earlier: list[pl.DataFrame],
                      registry: Registry) -> pl.DataFrame:
    """Hidden counts (the release-wide audit's ``intervals``: ``key``, ``low``, ``high``) whose
    interval lies within 1 .. k-1 above, or within 1 .. k-1 below, a value an ``earlier``
    release published for the same key: the reader proves that a revision changed the
    count by a few persons. KEY, ``earlier``, ``low``, ``high``, ordered by key.

    >>> key = ("THB_SIGNALLED", "year", "2022", "PT-11", "_T", "_T")
    >>> class Interval:  # what indicators.release_audit.CellInterval carries
    ...     key, low, high = key, 78.0, 81.0
    >>> old = pl.DataFrame([dict(zip(KEY, key)) | {"value": 77.0}])
    >>> from indicators.registry import load_registry
    >>> bounded_revisions([Interval()], [old], load_registry()).select(
    ...     "geo", "earlier", "low", "high").rows()
    [('PT-11', 77.0, 78.0, 81.0)]
    """
    rules = protected_counts(registry)
    key = list(KEY)
    rows = [(*c.key, float(c.low), float(c.high)) for c in intervals
            if c.key[0] in rules and not (math.isnan(c.low) or math.isnan(c.high))]
    if not rows or not earlier:
        return pl.DataFrame(schema={**dict.fromkeys(KEY, pl.String), "earlier": pl.Float64,
                                    "low": pl.Float64, "high": pl.Float64})
    hidden = pl.DataFrame(rows, schema={**dict.fromkeys(KEY, pl.String), "low": pl.Float64,
                                        "high": pl.Float64}, orient="row")
    k = pl.col("indicator").replace_strict({c: r[0] for c, r in rules.items()},
                                           return_dtype=pl.Int64)
    lo, hi = (pl.col("low") - TOL).ceil(), (pl.col("high") + TOL).floor()
    e = pl.col("earlier")
    above = (lo >= e + 1) & (hi <= e + k - 1)
    below = (hi <= e - 1) & (lo >= e - k + 1)
    old = pl.concat([x.filter(pl.col("value").is_not_null())
                     .select(*key, pl.col("value").cast(pl.Float64).alias("earlier"))
                     for x in earlier]).unique()
    return (hidden.join(old, on=key, how="inner").filter(above | below)
            .sort(key).select(*key, "earlier", "low", "high"))


def revision_failures(values: pl.DataFrame, earlier: list[pl.DataFrame] | None,
                      intervals: list, registry: Registry, limit: int = 20) -> list[str]:
    """The gate's refusals for revisions: every count published now 1 .. k-1 persons away
    from a value an earlier release published (:func:`small_revisions`), and every hidden
    count whose interval a reader confines so (:func:`bounded_revisions`), described."""
    if not earlier:
        return []
    published = small_revisions(values, earlier, registry)
    bounded = bounded_revisions(intervals, earlier, registry)
    out = [f"revisão / revision: {line}" for line in describe(published, limit)]
    for r in bounded.head(limit).iter_rows(named=True):
        out.append(f"revisão / revision: {r['indicator']} {r['grain']} {r['period_label']} "
                   f"{r['geo']} {r['breakdown']}={r['breakdown_code']}: {r['earlier']:g} -> "
                   f"[{r['low']:g}, {r['high']:g}] (suprimido / suppressed)")
    return out


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema={**dict.fromkeys(KEY, pl.String), "earlier": pl.Float64,
                                "value": pl.Float64, "difference": pl.Float64})


def describe(rows: pl.DataFrame, limit: int = 10) -> list[str]:
    """One line per revision ("THB_SIGNALLED year 2022 PT-11 _T=_T: 77 -> 80 (+3)"), the
    first ``limit``, then how many more there are."""
    out = []
    for r in rows.head(limit).iter_rows(named=True):
        out.append(f"{r['indicator']} {r['grain']} {r['period_label']} {r['geo']} "
                   f"{r['breakdown']}={r['breakdown_code']}: {r['earlier']:g} -> "
                   f"{r['value']:g} ({r['difference']:+g})")
    if rows.height > limit:
        out.append(f"… e mais {rows.height - limit} / and {rows.height - limit} more")
    return out
