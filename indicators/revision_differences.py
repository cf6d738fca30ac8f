"""Revisions a reader can subtract, as the publication gate checks them.

A late or corrected return changes counts that earlier releases published. A reader who kept
the earlier release subtracts: "Lisboa 2022: 77 -> 80" says that the revision added 3 persons
in Lisboa, and when the same +3 shows in the women, the 25-34 age group and the Brazilian
citizens of the same year, it says who they are. The protection hides such cells with a
protection level (:mod:`indicators.problems.revisions`); this module is the outsider's check
of the result, part of the publication gate.

What the reader knows of a count, in one release: its value if published, else the interval
the release-wide audit proves for it. For a count known as [lo, hi] now and as [a, b] in an
earlier publication, the revision lies in [lo - b, hi - a]; the gate refuses a release where
that interval lies within 1 .. k-1 or within -(k-1) .. -1 (a revision of a few persons, sign
known), except for a count published now with a value an earlier publication published too
(the reader held it already).

Worked example (k = 5): Lisboa 2022 published 77 then 80: [3, 3], refused; Porto 2022
published 31, now hidden in [28, 36]: [-3, 5], accepted; Faro 2022 hidden in [9, 14], now
published 16: [2, 7], accepted; Braga hidden in [9, 14], now 15: [1, 6], accepted.
"""

from __future__ import annotations

import math

import polars as pl

from indicators.problems.revisions import held, known_values, revision_level
from indicators.registry import Registry
from indicators.release_model import GRAINS, KEY, protected_counts

TOL = 1e-6
_SCHEMA = {**dict.fromkeys(KEY, pl.String), "earlier_low": pl.Float64,
           "earlier_high": pl.Float64, "low": pl.Float64, "high": pl.Float64}


def reader_knowledge(values: pl.DataFrame, intervals: list) -> pl.DataFrame:
    """What a reader knows of each value of a release: KEY + ``low`` + ``high``; a published
    value gives low = high = value, a hidden one the release-wide audit's interval (its
    ``intervals``: ``key``, ``low``, ``high``; rounded inwards to whole persons)."""
    key = list(KEY)
    value = pl.col("value").cast(pl.Float64)
    shown = (values.filter(pl.col("value").is_not_null())
             .select(*key, value.alias("low"), value.alias("high")))
    rows = [(*c.key, math.ceil(c.low - TOL),
             c.high if math.isinf(c.high) else math.floor(c.high + TOL))
            for c in intervals if not (math.isnan(c.low) or math.isnan(c.high))]
    hidden = pl.DataFrame(rows, schema={**dict.fromkeys(KEY, pl.String), "low": pl.Float64,
                                        "high": pl.Float64}, orient="row")
    return pl.concat([shown, hidden]).unique(key, keep="first")


def revision_disclosures(now: pl.DataFrame, earlier: list[pl.DataFrame] | None,
                         registry: Registry) -> pl.DataFrame:
    """Counts under a small-cell rule, at an audited grain, whose revision since an
    ``earlier`` publication a reader confines to 1 .. k-1 persons either way: ``now``
    (:func:`reader_knowledge`) against every earlier piece of knowledge
    (:func:`indicators.problems.revisions.known_values`). KEY, ``earlier_low``,
    ``earlier_high``, ``low``, ``high``: the first such pair per key, ordered by key.

    >>> key = {"indicator": "THB_SIGNALLED", "grain": "year", "period_label": "2022",
    ...        "breakdown": "_T", "breakdown_code": "_T"}
    >>> now = pl.DataFrame([{**key, "geo": g, "low": lo, "high": hi} for g, lo, hi in
    ...                     [("PT-11", 80, 80), ("PT-13", 28, 36), ("PT-08", 16, 16)]])
    >>> old = pl.DataFrame([{**key, "geo": g, "low": lo, "high": hi} for g, lo, hi in
    ...                     [("PT-11", 77, 77), ("PT-13", 31, 31), ("PT-08", 9, 14)]])
    >>> from indicators.registry import load_registry
    >>> found = revision_disclosures(now, [old], load_registry())
    >>> found.select("geo", "earlier_low", "low").rows()
    [('PT-11', 77.0, 80.0)]
    """
    known = known_values(earlier, list(KEY))
    if known is None:
        return pl.DataFrame(schema=_SCHEMA)
    rules = protected_counts(registry)
    key = list(KEY)
    k = _threshold(rules)
    pairs = (now.filter(pl.col("indicator").is_in(list(rules)) & pl.col("grain").is_in(GRAINS))
             .select(*key, pl.col("low").cast(pl.Float64), pl.col("high").cast(pl.Float64))
             .join(known.rename({"low": "earlier_low", "high": "earlier_high"}), on=key,
                   how="inner"))
    lo, hi = pl.col("low"), pl.col("high")
    a, b = pl.col("earlier_low"), pl.col("earlier_high")
    d_lo, d_hi = lo - b, hi - a
    held = pairs.filter((lo == hi) & (a == b) & (a == lo)).select(key)
    small = ((d_lo >= 1) & (d_hi <= k - 1)) | ((d_hi <= -1) & (d_lo >= 1 - k))
    return (pairs.filter(small).join(held, on=key, how="anti")
            .sort([*key, "earlier_low"]).unique(key, keep="first").sort(key)
            .select(list(_SCHEMA)))


def revision_failures(values: pl.DataFrame, earlier: list[pl.DataFrame] | None,
                      intervals: list, registry: Registry, limit: int = 20) -> list[str]:
    """The gate's refusals for revisions (:func:`revision_disclosures` of the release
    ``values`` with the release-wide audit's ``intervals``), described."""
    if not earlier:
        return []
    found = revision_disclosures(reader_knowledge(values, intervals), earlier, registry)
    return [f"revisão / revision: {line}" for line in describe(found, limit)]


def hidden_revisions(cells: pl.DataFrame, earlier: list[pl.DataFrame] | None,
                     registry: Registry) -> pl.DataFrame:
    """The revisions the protection hid: protected ``cells`` (KEY + true ``count`` +
    ``status``, warehouse only) not published, whose count a revision moved by fewer than
    k persons out of what an ``earlier`` publication told (the rule of
    :func:`indicators.problems.revisions.revision_levels`): KEY + ``earlier_low`` +
    ``earlier_high``, ordered by key. What analysts are told after a refresh."""
    out = pl.DataFrame(schema={**dict.fromkeys(KEY, pl.String), "earlier_low": pl.Float64,
                               "earlier_high": pl.Float64})
    known = known_values(earlier, list(KEY))
    if known is None:
        return out
    rules = protected_counts(registry)
    key = list(KEY)
    k = _threshold(rules)
    pairs = (cells.filter((pl.col("status") != "published") & (pl.col("count") > 0)
                          & pl.col("indicator").is_in(list(rules)))
             .select(*key, "count").join(known, on=key, how="inner"))
    holding = pairs.filter(held()).select(key)
    return (pairs.filter(revision_level(k) > 0).join(holding, on=key, how="anti")
            .sort([*key, "low"]).unique(key, keep="first").sort(key)
            .select(*key, pl.col("low").alias("earlier_low"),
                    pl.col("high").alias("earlier_high")))


def _threshold(rules: dict[str, tuple[int, bool]]) -> pl.Expr:
    """Each row's k, from its indicator (rows of indicators under a small-cell rule only)."""
    return pl.col("indicator").replace_strict({c: r[0] for c, r in rules.items()},
                                              return_dtype=pl.Int64)


def _span(low: float, high: float) -> str:
    return f"{low:g}" if low == high else f"[{low:g}, {high:g}]"


def describe(rows: pl.DataFrame, limit: int = 10) -> list[str]:
    """One line per revision ("THB_SIGNALLED year 2022 PT-11 _T=_T: 77 -> 80"; an interval
    where the value was hidden: "[9, 14] -> 15"), the first ``limit``, then how many more.
    Rows of :func:`hidden_revisions` (no new value) end in "-> c"."""
    out = []
    for r in rows.head(limit).iter_rows(named=True):
        new = _span(r["low"], r["high"]) if "low" in r else "c"
        out.append(f"{r['indicator']} {r['grain']} {r['period_label']} {r['geo']} "
                   f"{r['breakdown']}={r['breakdown_code']}: "
                   f"{_span(r['earlier_low'], r['earlier_high'])} -> {new}")
    if rows.height > limit:
        out.append(f"… e mais {rows.height - limit} / and {rows.height - limit} more")
    return out
