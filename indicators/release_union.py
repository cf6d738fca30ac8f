"""The release-wide audit of a release that has retained predecessors: one audit, of the union.

A reader who kept the retained earlier releases knows at least what the new release alone
tells: the model of their union (:func:`indicators.release_audit.with_earlier_releases`) holds
every value and relation of the release and more, so it bounds every hidden cell at least as
tightly. When earlier releases are retained, the union alone is audited (one pass of the
linear programmes per round instead of two: the release alone passes whenever the union
does), and :func:`release_view` turns that audit into the release's own: its cell counts
(``published.disclosure_audit``) counted from its values, the union's intervals of its hidden
cells.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from indicators.i18n import tn_both
from indicators.registry import Registry
from indicators.release_audit import CellInterval, ReleaseAudit
from indicators.release_model import GRAINS, KEY, protected_counts

EARLIER = "with earlier releases / com publicações anteriores"


def audited_cells(values: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    """The cells the reader's model counts (``indicators.release_model.reader_model``): one
    per key of a count under a small-cell rule at an audited grain, shown (a value, no ``c``
    flag) or suppressed (``c``), with ``suppressed``."""
    rules = list(protected_counts(registry))
    rows = (values.filter(pl.col("indicator").is_in(rules) & pl.col("grain").is_in(GRAINS))
            .unique(list(KEY), keep="first", maintain_order=True)
            .with_columns(suppressed=pl.col("flags").fill_null("").str.contains("c")))
    return rows.filter(pl.col("suppressed") | pl.col("value").is_not_null()).select(
        *KEY, "value", "suppressed")


def release_view(union: ReleaseAudit, values: pl.DataFrame, audited: pl.DataFrame,
                 registry: Registry) -> ReleaseAudit:
    """The audit of ``values`` (the release) from the audit ``union`` of ``audited`` (the
    release with its retained predecessors): the release's cell counts, the union's interval
    of every cell hidden in both (a disclosure says it is found with the earlier releases),
    and a hidden cell the earlier releases published with its count of today pinned to that
    value (the reader holds it)."""
    own = audited_cells(values, registry)
    hidden = own.filter("suppressed").select(KEY)
    known = (audited.join(hidden, on=list(KEY), how="semi")
             .filter(pl.col("value").is_not_null()))
    bad = {c.key for c in union.disclosed()}
    intervals = [replace(c, how=f"{EARLIER}: {c.how}") if c.key in bad else replace(c)
                 for c in union.intervals]
    for row in known.select(*KEY, "value").iter_rows():
        key, value = tuple(row[:6]), float(row[6])
        k = union.threshold.get(key[0], 1)
        intervals.append(CellInterval(key, value, value, f"{EARLIER}: published",
                                      true=int(value), primary=1 <= value < k))
    per = (own.group_by("indicator").agg(pl.len().alias("cells"),
                                         pl.col("suppressed").sum().alias("hidden"))
           .sort("indicator"))
    view = replace(union, cells=own.height, suppressed=int(own.get_column("suppressed").sum()),
                   intervals=intervals, notes=[
                       *union.notes, tn_both("gate.union_disclosed", len(bad))])
    view._counts = [(ind, int(n), int(h)) for ind, n, h in per.iter_rows()]
    return view
