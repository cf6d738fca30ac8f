"""Revisions a reader can subtract: counts published in two releases whose difference is a
small number of persons.

A late or corrected return changes counts that earlier releases published. A reader who kept
the earlier release subtracts: "Lisboa 2022: 77 -> 80" says that the revision added 3 persons
in Lisboa, and when the same +3 shows in the women, the 25-34 age group and the Brazilian
citizens of the same year, it says who they are. The release-wide audit protects the counts
of each release (also against a reader holding every retained release); it does not protect
the *difference* between two releases as a table of its own. This module measures that
exposure (it lists, it does not protect) so that analysts see it for every release
(``observatory audit-release``, the refresh's log) until OTSH chooses a revision policy
(docs/revisions.md; the methodology states the limit).

Worked example (k = 5): Lisboa 2022 published 77 then 80, Porto 2022 31 then 33, Faro 2022
12 then 12: two small revisions (+3, +2), none for Faro.
"""

from __future__ import annotations

import polars as pl

from indicators.registry import Registry
from indicators.release_model import GRAINS, KEY, protected_counts


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
    small = both.filter((pl.col("difference").abs() >= 1)
                        & (pl.col("difference").abs() < pl.col("k")))
    return (small.sort([*key, pl.col("difference").abs()]).unique(key, keep="first")
            .sort(key).select(*key, "earlier", "value", "difference"))


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
