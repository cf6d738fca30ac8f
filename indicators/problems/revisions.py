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

Worked example (k = 5): Lisboa 2022 was published as 77, now 80 (+3): level 82; Porto was
31, now 30 (-1): level 31; Faro was 12, now 12: no level; Braga was 20, now 26: no level.

>>> probe = pl.DataFrame({"geo": ["PT-11", "PT-13", "PT-08", "PT-03"],
...                       "count": [80, 30, 12, 26], "key": ["L", "P", "F", "B"]})
>>> known = pl.DataFrame({"key": ["L", "P", "F", "B"], "value": [77.0, 31.0, 12.0, 20.0]})
>>> revision_levels(probe, known, ["geo"], ["key"], 5).sort("geo").rows()
[('PT-11', 82), ('PT-13', 31)]
"""

from __future__ import annotations

import polars as pl


def known_values(earlier: list[pl.DataFrame] | None, key: list[str]) -> pl.DataFrame | None:
    """Every value the ``earlier`` releases published (``key`` + ``value``), each once;
    ``None`` when there are none."""
    if not earlier:
        return None
    parts = [e.filter(pl.col("value").is_not_null()).select(*key, pl.col("value")
                                                             .cast(pl.Float64))
             for e in earlier]
    known = pl.concat(parts).unique()
    return known if known.height else None


def revision_levels(probe: pl.DataFrame, known: pl.DataFrame | None, dims: list[str],
                    key: list[str], threshold: int) -> pl.DataFrame:
    """The protection level of each cell of a problem whose count differs by 1 .. k-1 from
    a value an earlier release published under one of its value keys, and equals none of
    them: ``dims`` + ``level`` (see the module's rule). ``probe``: the problem's cells with
    their value keys and ``count``; ``known``: :func:`known_values`."""
    empty = pl.DataFrame(schema={**dict.fromkeys(dims, pl.String), "level": pl.Int64})
    if known is None or probe.height == 0:
        return empty
    pairs = (probe.filter(pl.col("count") > 0).select(*dims, *key, "count")
             .join(known, on=key, how="inner")
             .with_columns(d=pl.col("count") - pl.col("value")))
    if pairs.height == 0:
        return empty
    k = threshold
    level = (pl.when((pl.col("d") >= 1) & (pl.col("d") < k)).then(pl.col("value") + k)
             .when((pl.col("d") <= -1) & (pl.col("d") > -k)).then(pl.col("value"))
             .otherwise(0))
    per_cell = (pairs.with_columns(level=level, same=pl.col("d") == 0)
                .group_by(dims).agg(pl.col("level").max(), pl.col("same").any()))
    return (per_cell.filter(~pl.col("same") & (pl.col("level") > 0))
            .select(*dims, pl.col("level").cast(pl.Int64)).sort(dims))
