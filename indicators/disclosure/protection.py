"""``protect``: primary + secondary suppression of (linked) hierarchical tables, audited."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from indicators.disclosure.audit import AuditReport, audit, table_stats
from indicators.disclosure.hierarchy import Hierarchy
from indicators.disclosure.io import validate_inner
from indicators.disclosure.marks import cell_levels, cell_mask
from indicators.disclosure.primary import DEFAULT_POLICY, Policy, primary_suppression
from indicators.disclosure.secondary import Engine
from indicators.disclosure.tables import FullTable, TableSpec, build_full_table

PUBLISHED, PRIMARY, SECONDARY = "published", "primary", "secondary"
UNPUBLISHED = "unpublished"  # part of the tables, never published (see ``never_published``)
# Up to this many confidential cells the audit reports every cell's exact interval; above it,
# cells a checked whole-number table proves protected skip the exact LPs (same verdict).
EXACT_INTERVALS_UP_TO = 500


@dataclass
class ProtectionResult:
    cells: pl.DataFrame  # table, dimension codes, count (true), status
    audit: AuditReport | None
    summary: dict[str, float | int] = field(default_factory=dict)

    def published(self) -> pl.DataFrame:
        """The publishable view: the true count only where the status is ``published``."""
        return self.cells.with_columns(
            pl.when(pl.col("status") == PUBLISHED).then(pl.col("count")).alias("count")
        )


class ProtectionError(RuntimeError):
    """protect() could not produce a pattern its audit accepts (never returned silently)."""


def protect(
    inner: pl.DataFrame,
    hierarchies: Mapping[str, Hierarchy],
    tables: list[TableSpec] | None = None,
    policy: Policy = DEFAULT_POLICY,
    previous: pl.DataFrame | None = None,
    run_audit: bool = True,
    never_published: pl.DataFrame | None = None,
    never_hide: pl.DataFrame | None = None,
    exact_intervals: bool | None = None,
    unpublished_confidential: bool = False,
    levels: pl.DataFrame | None = None,
) -> ProtectionResult:
    """Protect every cell of the (linked) tables built from the ``inner`` cells.

    ``inner``: one column per dimension (leaf codes) and ``count``; leaf combinations that
    are missing count 0. ``tables``: the published tables (``None``: one table over every
    dimension with every total). ``previous``: an earlier release (dimension codes, ``status``
    and, if known, ``count``); its hidden cells whose count did not change stay hidden.
    With ``run_audit`` (default) the independent audit checks the result; if it fails the
    engine hides more and the audit runs again, so a returned pattern always passes.

    ``never_published`` (dimension columns, see :mod:`indicators.disclosure.marks`): cells
    the tables contain but that are never published (status ``unpublished``): never
    confidential, unknown to the reader (at least 0), never counted as suppressions.
    ``never_hide``: cells never chosen as secondary suppressions (headline figures); a
    ``previous`` hidden cell among them is released (callers that need stable suppression
    leave such cells out of the mark). Raises :class:`ProtectionError` when no pattern exists
    without them.
    ``unpublished_confidential``: a never-published cell of 1 .. k-1 stays confidential (the
    reader must not pin it nor bound it inside 1 .. k-1; it knows only that it is >= 0): for
    a breakdown left out of the release while its siblings are published.
    ``exact_intervals``: passed to :func:`audit` (``None``: exact intervals up to
    ``EXACT_INTERVALS_UP_TO`` confidential cells, else witnesses first; same verdict).
    ``levels`` (dimension columns + ``level``): protection levels. Each named cell is
    confidential (hidden, status ``primary``) and protected only when the reader's
    whole-number maximum of it reaches max(k, count + 1, level). For a revision: a cell an
    earlier release published as E, now E + d with 1 <= d < k, gets the level E + k (the
    reader must not confine the new value to E + 1 .. E + k - 1, which would tell that 1 .. k-1
    persons were added); one now E - d gets E (the reader must not exclude "unchanged").
    """
    start = time.perf_counter()
    validate_inner(inner, hierarchies)
    table = build_full_table(inner, dict(hierarchies), tables)
    unpublished = cell_mask(table, never_published)
    level = cell_levels(table, levels)
    if policy.zeros_publishable:  # a zero is published: no revision to hide
        level[table.counts == 0] = 0
    primary = primary_suppression(table, policy)
    confidential = primary | (level > 0)
    if not unpublished_confidential:
        confidential &= ~unpublished
    keep = cell_mask(table, never_hide) & ~confidential & ~unpublished
    hidden = confidential | (_previous_hidden(table, previous, policy) & ~keep)
    if exact_intervals is None:
        exact_intervals = int(confidential.sum()) <= EXACT_INTERVALS_UP_TO

    engine = Engine(table, policy)
    engine.eligible &= ~(keep | unpublished)
    engine.unpublished = unpublished
    hidden = _suppress_in_order(engine, hidden, confidential, (level > 0) & ~primary, level,
                                unpublished)
    seconds = time.perf_counter() - start

    report = None
    if run_audit:
        hidden, report = _audit_until_safe(table, engine, policy, confidential, hidden,
                                           unpublished, exact_intervals,
                                           unpublished_confidential, level)
    cells = _frame(table, confidential, hidden, unpublished)
    summary = _summary(table, confidential, hidden & ~confidential & ~unpublished, seconds,
                       report)
    return ProtectionResult(cells.drop("_cell"), report, summary)


def _suppress_in_order(engine: Engine, hidden: np.ndarray, confidential: np.ndarray,
                       revised: np.ndarray, level: np.ndarray, unpublished: np.ndarray
                       ) -> np.ndarray:
    """Secondary suppression, with ``revised`` cells (confidential only for their protection
    ``level``) last: first the other confidential cells with the revised ones published, so
    that their protection does not lean on a revised total another table bounds closely (a
    cell is hidden in every table that holds it, with the same value); then the revised
    cells with their levels."""
    revised = revised & confidential
    if revised.any():
        eligible = engine.eligible.copy()
        engine.eligible &= ~revised
        hidden = _suppress(engine, hidden & ~revised, confidential & ~revised, unpublished)
        engine.eligible = eligible
    engine.levels = level
    return _suppress(engine, hidden | confidential, confidential, unpublished)


def _suppress(engine: Engine, hidden: np.ndarray, confidential: np.ndarray,
              unpublished: np.ndarray) -> np.ndarray:
    """Secondary suppression: the equation heuristic, then the LP repair. The heuristic
    takes never-published cells as known (a lone one in an equation needs no partner); the
    LP repair and the audit take them as unknown."""
    hidden = engine.heuristic(hidden, confidential) | unpublished
    return engine.repair(hidden, confidential)


def _audit_until_safe(table: FullTable, engine: Engine, policy: Policy,
                      confidential: np.ndarray, hidden: np.ndarray, unpublished: np.ndarray,
                      exact_intervals: bool, unpublished_confidential: bool,
                      level: np.ndarray) -> tuple[np.ndarray, AuditReport]:
    """Audit the pattern; while it fails, hide more around the failing cells (twice), then
    every cell that may be hidden. Raises :class:`ProtectionError` when still unsafe."""
    report = None
    for attempt in range(4):
        cells = _frame(table, confidential, hidden, unpublished)
        if level.any():
            cells = cells.with_columns(level=pl.Series(level)[cells["_cell"]])
        report = audit(
            cells, table.hierarchies, table.tables, policy, exact_intervals=exact_intervals,
            unpublished_confidential=unpublished_confidential,
        )
        if report.ok:
            break
        failing = _failing_cells(table, report)
        if attempt < 2:
            engine.hide_around(failing, hidden)
            hidden = engine.repair(hidden, confidential)
        else:  # last resort: hide every cell that may be hidden
            for x in np.flatnonzero(engine.eligible & ~hidden):
                engine.hide(int(x), hidden)
    if report is None or not report.ok:
        raise ProtectionError(
            "não foi possível proteger a tabela / could not protect the table:\n"
            + (report.to_text() if report else "")
        )
    return hidden, report


def _summary(table: FullTable, confidential: np.ndarray, secondary: np.ndarray,
             seconds: float, report: AuditReport | None) -> dict:
    return {
        "cells": table.n_cells,
        "inner_cells": table.n_inner,
        "primary": int(confidential.sum()),
        "secondary": int(secondary.sum()),
        "information_loss_n": int(secondary.sum()),
        "information_loss_sum": int(table.counts[secondary].sum()),
        "seconds": round(seconds, 3),
        "audit_seconds": round(report.seconds, 3) if report else 0.0,
        "audit_ok": bool(report.ok) if report else None,
    }


def _frame(table: FullTable, confidential: np.ndarray, hidden: np.ndarray,
           unpublished: np.ndarray | None = None) -> pl.DataFrame:
    status = np.where(confidential, PRIMARY, np.where(hidden, SECONDARY, PUBLISHED))
    if unpublished is not None:
        status = np.where(unpublished, UNPUBLISHED, status)
    return table.frame(status)


def _failing_cells(table: FullTable, report: AuditReport) -> np.ndarray:
    keys = table.code_frame().with_row_index("_i")
    bad = pl.DataFrame(
        [f.codes for f in report.failures], schema={d: pl.String for d in table.dimensions}
    )
    return keys.join(bad, on=list(table.dimensions))["_i"].to_numpy()


def _previous_hidden(table: FullTable, previous: pl.DataFrame | None, policy: Policy) -> np.ndarray:
    out = np.zeros(table.n_cells, dtype=bool)
    if previous is None or previous.height == 0:
        return out
    dims = list(table.dimensions)
    prev = previous.filter(pl.col("status").is_in([PRIMARY, SECONDARY]))
    cols = [*dims, "count"] if "count" in prev.columns else dims
    prev = prev.select(cols).unique(subset=dims)
    if "count" in prev.columns:
        prev = prev.rename({"count": "_prev_count"})
    keys = table.code_frame().with_row_index("_i").with_columns(pl.Series("count", table.counts))
    joined = keys.join(prev.with_columns([pl.col(d).cast(pl.String) for d in dims]), on=dims)
    if "_prev_count" in joined.columns:
        joined = joined.filter(pl.col("_prev_count") == pl.col("count"))
    idx = joined["_i"].to_numpy()
    out[idx] = True
    if policy.zeros_publishable:
        out &= table.counts > 0
    return out


__all__ = ["UNPUBLISHED", "ProtectionResult", "ProtectionError", "protect", "table_stats"]
