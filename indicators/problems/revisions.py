"""Protection levels for revised cells: a reader who kept an earlier release must not learn
from the new one that a revision added or removed 1 .. k-1 persons.

A late or corrected return changes counts that earlier releases published. If a count E was
published and the count is now N = E + d with 1 <= |d| <= k - 1, publishing N (or hiding it
where the reader can confine it to E + 1 .. E + k - 1) tells the reader that d persons were
added (removed): a table of a few persons, the difference of two releases. So such a cell is
made confidential (hidden, a primary suppression) with a *protection level*
(:func:`indicators.disclosure.protect`'s ``levels``): the reader's whole-number maximum of
the new value must reach

* E + k when persons were added (then the difference may be k or more), or
* E when persons were removed (then the difference may be 0: "unchanged").

A count equal to a value some earlier release published is not protected this way: the
reader holds that release, so hiding the value again would protect nothing. Zeros are never
revised this way (a published count is 0 or >= k, so a zero differs from it by 0 or >= k).

A count hidden in an earlier release is known to the reader as an interval [a, b] (what the
release-wide audit proved about it then): a count now above b by little (N - a < k) is a
revision of 1 .. k-1 persons too, with the level a + k.

Worked example (k = 5): Lisboa 2022 was published as 77, now 80 (+3): level 82; Porto was
31, now 30 (-1): level 31; Faro was 12, now 12: no level; Braga was 20, now 26: no level;
Setúbal was hidden, known to lie in [18, 21], now 22: level 23.

>>> probe = pl.DataFrame({"geo": ["PT-11", "PT-13", "PT-08", "PT-03", "PT-15"],
...                       "count": [80, 30, 12, 26, 22], "key": ["L", "P", "F", "B", "S"]})
>>> known = known_values([pl.DataFrame({"key": ["L", "P", "F", "B"],
...                                     "value": [77.0, 31.0, 12.0, 20.0]}),
...                       pl.DataFrame({"key": ["S"], "low": [18.0], "high": [21.0]})],
...                      ["key"])
>>> revision_levels(probe, known, ["geo"], ["key"], 5).sort("geo").rows()
[('PT-11', 82), ('PT-13', 31), ('PT-15', 23)]
"""

from __future__ import annotations

import polars as pl


def known_values(earlier: list[pl.DataFrame] | None, key: list[str]) -> pl.DataFrame | None:
    """What the ``earlier`` publications told a reader about each count: ``key`` + ``low`` +
    ``high``, one row per distinct piece of knowledge. A frame with ``value`` (a release's
    published values; nulls are hidden values and skipped) gives low = high = value; a frame
    with ``low`` and ``high`` (the warehouse's record, :mod:`indicators.pipeline`) gives the
    interval the release-wide audit proved for a hidden count (or low = high for a published
    one). ``None`` when there is nothing."""
    if not earlier:
        return None
    parts = []
    for e in earlier:
        if "low" in e.columns:
            parts.append(e.select(*key, pl.col("low").cast(pl.Float64),
                                  pl.col("high").cast(pl.Float64)))
        else:
            value = pl.col("value").cast(pl.Float64)
            parts.append(e.filter(pl.col("value").is_not_null())
                         .select(*key, value.alias("low"), value.alias("high")))
    known = pl.concat(parts).unique()
    return known if known.height else None


def revision_level(threshold: int | pl.Expr) -> pl.Expr:
    """The rule, on columns ``count`` (N), ``low`` (a) and ``high`` (b): the protection
    level a + k when N is above b with N - a < k, a when N is below a with b - N < k, else
    0 (no level: the difference reaches 0 or k). ``threshold``: k, a number or an
    expression (one k per indicator)."""
    n, a, b, k = pl.col("count"), pl.col("low"), pl.col("high"), threshold
    return (pl.when((n > b) & (n - a < k)).then(a + k)
            .when((n < a) & (b - n < k)).then(a)
            .otherwise(0))


def held() -> pl.Expr:
    """An earlier publication published ``count`` itself (``low`` = ``high`` = count): the
    reader holds it, so hiding it again protects nothing."""
    return (pl.col("low") == pl.col("high")) & (pl.col("low") == pl.col("count"))


def revision_levels(probe: pl.DataFrame, known: pl.DataFrame | None, dims: list[str],
                    key: list[str], threshold: int) -> pl.DataFrame:
    """The protection level of each cell of a problem whose count N a revision moved out of
    what an earlier publication told a reader ([a, b]: a published value a = b, or a hidden
    value's interval) by fewer than k persons, and that no earlier publication published as
    N: ``dims`` + ``level``. N above b with N - a < k: level a + k (the reader must not
    confine the difference N - x, x in [a, b], to 1 .. k-1); N below a with b - N < k: level
    a (the difference may then be 0). ``probe``: the problem's cells with their value keys
    and ``count``; ``known``: :func:`known_values`."""
    empty = pl.DataFrame(schema={**dict.fromkeys(dims, pl.String), "level": pl.Int64})
    if known is None or probe.height == 0:
        return empty
    pairs = (probe.filter(pl.col("count") > 0).select(*dims, *key, "count")
             .join(known, on=key, how="inner"))
    if pairs.height == 0:
        return empty
    per_cell = (pairs.with_columns(level=revision_level(threshold), held=held())
                .group_by(dims).agg(pl.col("level").max(), pl.col("held").any()))
    return (per_cell.filter(~pl.col("held") & (pl.col("level") > 0))
            .select(*dims, pl.col("level").cast(pl.Int64)).sort(dims))
