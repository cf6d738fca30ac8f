"""Release-wide disclosure audit: what can a reader prove about every suppressed count?

Each protection problem has its own audit; this one audits the release as one system, from
the published values only (``indicators.release_model``): every count of every protected
indicator, all grains, geographies, breakdowns, the status split, the migration split and
the numerators/denominators of derived values, linked through the cells they share.

For every suppressed cell it computes the integer interval the reader can prove:

1. propagation: a relation with a single unknown gives that unknown exactly (the derivation
   is kept, e.g. ``= 517 - 456 - 48``), repeated until nothing changes;
2. the remaining unknowns split into connected components (cells linked by a relation);
   each is a small HiGHS model: the minimum and maximum of every suppressed cell, by linear
   programming, then by integer programming where the LP bound is not a whole number.

Outsider's verdict (no true values needed): a suppressed cell is *disclosed* when the reader
proves 1 <= value <= k-1 (a single value from 1 to k-1 included). A suppressed cell pinned to
one value that is 0 or >= k is *recomputable*: no disclosure, but a suppression that protects
nothing. With the true counts (the pipeline's gate), a primary cell fails when its interval is
a single value or lies inside 1 .. k-1, and recomputable secondary cells are reported so that
they can be published.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace

import highspy
import numpy as np
import polars as pl

from indicators.disclosure.lp import MIP_MAX_NODES, quiet_highs, run
from indicators.registry import Registry
from indicators.release_audit_cache import CACHE, component_key
from indicators.release_model import KEY, NOT_MIGRATION, ReaderModel, reader_model

TOL = 1e-6


@dataclass
class CellInterval:
    key: tuple[str, ...]
    low: float
    high: float
    how: str
    true: int | None = None
    primary: bool | None = None


@dataclass
class ReleaseAudit:
    cells: int
    suppressed: int
    intervals: list[CellInterval]
    seconds: float
    threshold: dict[str, int]
    components: int = 0
    largest_component: int = 0
    notes: list[str] = field(default_factory=list)

    def _k(self, c: CellInterval) -> int:
        return self.threshold.get(c.key[0], 1)

    def disclosed(self) -> list[CellInterval]:
        """Cells the reader proves to hold 1 .. k-1 (or, with true counts, primary cells
        pinned to one value or bounded inside 1 .. k-1)."""
        out = []
        for c in self.intervals:
            k = self._k(c)
            small = c.low >= 1 and c.high <= k - 1
            unsolved = math.isnan(c.low) or math.isnan(c.high)
            if small or unsolved or (c.primary and c.low >= c.high):
                out.append(c)
        return out

    def recomputable(self) -> list[CellInterval]:
        """Suppressed cells pinned to one value (that protect nothing)."""
        return [c for c in self.intervals if c.low >= c.high]

    def recomputable_secondary(self) -> list[CellInterval]:
        return [c for c in self.recomputable() if c.primary is False]

    @property
    def ok(self) -> bool:
        return not self.disclosed()

    def summary(self) -> pl.DataFrame:
        """Per indicator: cells, published, suppressed, narrowest interval of a suppressed
        cell (what any reader can compute; no true value, no primary/secondary split)."""
        rows: dict[str, dict] = {}
        for ind, n_cells, n_hidden in self._per_indicator():
            rows[ind] = {"indicator": ind, "cells": n_cells, "published": n_cells - n_hidden,
                         "suppressed": n_hidden, "narrowest_low": None,
                         "narrowest_high": None}
        for c in self.intervals:
            r = rows[c.key[0]]
            width = c.high - c.low
            best = (None if r["narrowest_low"] is None
                    else r["narrowest_high"] - r["narrowest_low"])
            if best is None or width < best:
                r["narrowest_low"], r["narrowest_high"] = c.low, c.high
        return pl.DataFrame(list(rows.values()), schema={
            "indicator": pl.String, "cells": pl.Int64, "published": pl.Int64,
            "suppressed": pl.Int64, "narrowest_low": pl.Float64, "narrowest_high": pl.Float64})

    _counts: list[tuple[str, int, int]] = field(default_factory=list)

    def _per_indicator(self) -> list[tuple[str, int, int]]:
        return self._counts

    def to_text(self, limit: int = 40) -> str:
        bad, recomputable = self.disclosed(), self.recomputable()
        head = ("AUDITORIA DA PUBLICAÇÃO OK / RELEASE AUDIT OK" if self.ok else
                f"AUDITORIA DA PUBLICAÇÃO FALHOU / RELEASE AUDIT FAILED: {len(bad)} "
                "célula(s) divulgada(s) / disclosed cell(s)")
        lines = [head,
                 f"cells/células={self.cells} suppressed/suprimidas={self.suppressed} "
                 f"recomputable/recalculáveis={len(recomputable)} components/componentes="
                 f"{self.components} (largest/maior {self.largest_component}) "
                 f"{self.seconds:.2f} s"]
        for c in bad[:limit]:
            lines.append(f"  DISCLOSED {describe_cell(c)} in/em [{_fmt(c.low)}, {_fmt(c.high)}]"
                         f"{_true(c)}: {c.how}")
        for c in [c for c in recomputable if c not in bad][:limit]:
            lines.append(f"  recomputable {describe_cell(c)} = {_fmt(c.low)}{_true(c)}: {c.how}")
        lines.extend(f"  note: {n}" for n in self.notes[:limit])
        return "\n".join(lines)


def describe_cell(c: CellInterval) -> str:
    ind, grain, period, geo, bd, code = c.key
    return f"{ind} {grain} {period} {geo}" + ("" if bd == "_T" else f" {bd}={code}")


def _true(c: CellInterval) -> str:
    if c.true is None:
        return ""
    return f" (true {c.true}, {'primary' if c.primary else 'secondary'})"


def _fmt(x: float) -> str:
    return "inf" if math.isinf(x) else f"{x:g}"


def audit_release(values: pl.DataFrame, registry: Registry,
                  true_counts: pl.DataFrame | None = None,
                  eea_results: pl.DataFrame | None = None) -> ReleaseAudit:
    """Audit the published ``values`` (columns of ``published.indicator_values``) and EEA
    Grants results (``published.eea_results``, optional).

    ``true_counts`` (KEY + ``count``, warehouse only): the true counts of the protected
    cells, to tell primary cells (1 <= count < k) from secondary ones.
    """
    audit = _audit_once(values, registry, eea_results)
    if true_counts is not None:
        _attach_truth(audit.intervals, true_counts, audit.threshold)
    return audit


# The last audits computed, by exact content of their inputs: within one refresh the same
# release is audited where it is built (pipeline.protect_marts), by the blocking check
# (release_audit) and by the publication gate (publish.check_publishable).
_RECENT: list[tuple[pl.DataFrame, pl.DataFrame | None, Registry, ReleaseAudit]] = []


def _same(a: pl.DataFrame | None, b: pl.DataFrame | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if a.schema != b.schema or a.height != b.height:
        return False
    return _canonical(a).equals(_canonical(b))


def _canonical(frame: pl.DataFrame) -> pl.DataFrame:
    order = [c for c in frame.columns if frame.schema[c] != pl.Null]
    return frame.sort(order, nulls_last=True) if order else frame


def _audit_once(values: pl.DataFrame, registry: Registry,
                eea_results: pl.DataFrame | None) -> ReleaseAudit:
    """The audit without true counts, computed once per content of its inputs."""
    for old_values, old_eea, old_registry, audit in _RECENT:
        if (old_registry == registry and _same(old_values, values)
                and _same(old_eea, eea_results)):
            return _copy(audit)
    audit = _compute_audit(values, registry, eea_results)
    _RECENT.insert(0, (values, eea_results, registry, audit))
    del _RECENT[2:]
    return _copy(audit)


def _copy(audit: ReleaseAudit) -> ReleaseAudit:
    """A copy the caller may change (truth attached to its intervals) without touching the
    kept one."""
    # the constructor directly: ``dataclasses.replace`` per interval is ~4x slower (three
    # copies per refresh)
    intervals = [CellInterval(c.key, c.low, c.high, c.how, c.true, c.primary)
                 for c in audit.intervals]
    return replace(audit, intervals=intervals, notes=list(audit.notes),
                   threshold=dict(audit.threshold))


def _compute_audit(values: pl.DataFrame, registry: Registry,
                   eea_results: pl.DataFrame | None) -> ReleaseAudit:
    start = time.perf_counter()
    # rows in one canonical order: the linear programmes (and so a solver's rare failure to
    # reach an optimum) then depend on the published content only, not on how it was read
    values = _canonical(values)
    eea_results = None if eea_results is None else _canonical(eea_results)
    model = reader_model(values, registry, eea_results)
    known, how = _propagate(model)
    comps = _components(model, known)
    intervals: list[CellInterval] = []
    for i in np.flatnonzero(model.suppressed):
        if not math.isnan(known[i]):
            intervals.append(CellInterval(model.keys[i], known[i], known[i], how[i]))
    largest = 0
    for cells, rows in comps:
        largest = max(largest, len(cells))
        targets = [c for c in cells if model.suppressed[c]]
        if targets:
            bounds = _solve(model, known, cells, rows, targets)
            for c in targets:
                lo, hi = bounds[c]
                intervals.append(CellInterval(
                    model.keys[c], lo, hi,
                    f"linear/integer programme over {len(cells)} unknown(s), "
                    f"{len(rows)} relation(s)"))
    threshold = {key[0]: int(k) for key, k in zip(model.keys, model.threshold, strict=True)}
    per = _per_indicator(model)
    audit = ReleaseAudit(int(np.sum(~np.isnan(model.value) | model.suppressed)),
                         int(model.suppressed.sum()), intervals,
                         time.perf_counter() - start, threshold, len(comps), largest,
                         notes=_inconsistent(model, known))
    audit._counts = per
    return audit


def _per_indicator(model: ReaderModel) -> list[tuple[str, int, int]]:
    cells: dict[str, int] = defaultdict(int)
    hidden: dict[str, int] = defaultdict(int)
    for key, value, sup in zip(model.keys, model.value, model.suppressed, strict=True):
        if key[0] == NOT_MIGRATION or (math.isnan(value) and not sup):
            continue
        cells[key[0]] += 1
        hidden[key[0]] += int(sup)
    return [(ind, cells[ind], hidden[ind]) for ind in sorted(cells)]


def _attach_truth(intervals: list[CellInterval], true_counts: pl.DataFrame,
                  threshold: dict[str, int]) -> None:
    truth = {tuple(r[:6]): int(r[6]) for r in true_counts.select(*KEY, "count").iter_rows()}
    for c in intervals:
        c.true = truth.get(c.key)
        if c.true is not None:
            c.primary = 1 <= c.true < threshold.get(c.key[0], 1)


# ---------------------------------------------------------------- propagation


def _propagate(model: ReaderModel) -> tuple[np.ndarray, list[str]]:
    """Unknowns fixed by a relation in which they are the only unknown, to a fixpoint."""
    known = model.value.copy()
    how = ["published" if not math.isnan(v) else "" for v in known]
    by_cell: dict[int, list[int]] = defaultdict(list)
    for r, rel in enumerate(model.relations):
        for c in rel.terms:
            by_cell[c].append(r)
    queue = list(range(len(model.relations)))
    while queue:
        r = queue.pop()
        rel = model.relations[r]
        free = [c for c, a in rel.terms.items() if a != 0 and math.isnan(known[c])]
        if len(free) != 1:
            continue
        c = free[0]
        rest = sum(a * known[j] for j, a in rel.terms.items() if j != c)
        known[c] = (rel.rhs - rest) / rel.terms[c]
        how[c] = f"{rel.source}: " + _formula(model, rel, c, known)
        queue.extend(by_cell[c])
    return known, how


def _formula(model: ReaderModel, rel, c: int, known: np.ndarray) -> str:
    a = rel.terms[c]
    parts = [f"{rel.rhs / a:g}"] if rel.rhs else []
    for j, b in rel.terms.items():
        if j == c or b == 0:
            continue
        coef = -b / a
        sign = "+" if coef > 0 else "-"
        parts.append(f"{sign} {known[j]:g} [{model.describe(j)}]")
    return "= " + " ".join(parts).lstrip("+ ")


def _inconsistent(model: ReaderModel, known: np.ndarray) -> list[str]:
    notes = []
    for rel in model.relations:
        if all(not math.isnan(known[c]) for c in rel.terms):
            gap = sum(a * known[c] for c, a in rel.terms.items()) - rel.rhs
            if abs(gap) > 1e-6:
                notes.append(f"{rel.source}: published values differ by {gap:g}")
    for i in np.flatnonzero(model.suppressed):
        if known[i] < -TOL:
            notes.append(f"{model.describe(int(i))}: derived as {known[i]:g}")
    return notes


# ---------------------------------------------------------------- components and LP


def _components(model: ReaderModel, known: np.ndarray) -> list[tuple[list[int], list[int]]]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    live = []
    for r, rel in enumerate(model.relations):
        free = [c for c, a in rel.terms.items() if a != 0 and math.isnan(known[c])]
        if len(free) < 2:
            continue
        live.append((r, free))
        root = find(free[0])
        for c in free[1:]:
            other = find(c)
            if other != root:
                parent[other] = root
    for i in np.flatnonzero(model.suppressed):
        if math.isnan(known[i]):
            find(int(i))
    cells: dict[int, list[int]] = defaultdict(list)
    for c in list(parent):
        cells[find(c)].append(c)
    rows: dict[int, list[int]] = defaultdict(list)
    for r, free in live:
        rows[find(free[0])].append(r)
    return [(sorted(cs), rows.get(root, [])) for root, cs in cells.items()]


def _solve(model: ReaderModel, known: np.ndarray, cells: list[int], rows: list[int],
           targets: list[int]) -> dict[int, tuple[float, float]]:
    """The (min, max) of every target cell of one component; a component whose model is
    the same as in an earlier audit reuses its bounds (:mod:`indicators.release_audit_cache`).

    The component is passed to HiGHS (and keyed) in an order given by its content alone:
    columns by cell key, rows by their relation (source, terms by cell key, right-hand
    side), the terms of a row by column. The model's own numbering follows the order its
    cells were met in, which may vary from one process to another (Python's per-process
    string hashing): numbered as met, the same component missed the cache in a new process
    (11 of 61 components solved again on the bench state)."""
    cells = sorted(cells, key=model.keys.__getitem__)
    rows = sorted(rows, key=lambda r: _relation_order(model, r))
    col = {c: j for j, c in enumerate(cells)}
    arrays = _component_arrays(model, known, cells, rows, col)
    asked_cells = sorted(targets, key=model.keys.__getitem__)
    asked = np.array([col[c] for c in asked_cells], dtype=np.int32)
    key = component_key((*arrays, asked))
    bounds = CACHE.get(key)
    if bounds is None:
        bounds = _solve_component(*arrays, asked)
        CACHE.put(key, bounds)
    return {c: (float(lo), float(hi)) for c, (lo, hi) in zip(asked_cells, bounds, strict=True)}


def _relation_order(model: ReaderModel, r: int) -> tuple:
    rel = model.relations[r]
    return (rel.source, sorted((model.keys[c], a) for c, a in rel.terms.items()), rel.rhs)


def _component_arrays(model: ReaderModel, known: np.ndarray, cells: list[int],
                      rows: list[int], col: dict[int, int]) -> tuple[np.ndarray, ...]:
    """Column lower bounds and the row-wise matrix (starts, index, value) and right-hand
    sides of the component's unknowns (the known terms summed exactly: ``math.fsum`` does
    not depend on their order)."""
    lower = np.array([_lower(model, c) for c in cells], dtype=float)
    starts, index, value, rhs = [0], [], [], []
    for r in rows:
        rel = model.relations[r]
        fixed = math.fsum(a * known[c] for c, a in rel.terms.items()
                          if not math.isnan(known[c]))
        for j, a in sorted((col[c], a) for c, a in rel.terms.items()
                           if math.isnan(known[c]) and a != 0):
            index.append(j)
            value.append(a)
        starts.append(len(index))
        rhs.append(rel.rhs - fixed)
    return (lower, np.array(starts, dtype=np.int32), np.array(index, dtype=np.int32),
            np.array(value, dtype=float), np.array(rhs, dtype=float))


def _solve_component(lower: np.ndarray, starts: np.ndarray, index: np.ndarray,
                     value: np.ndarray, rhs: np.ndarray, asked: np.ndarray) -> np.ndarray:
    n = len(lower)
    h = _highs()
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(rhs)
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = lower
    lp.col_upper_ = np.full(n, highspy.kHighsInf)
    lp.row_lower_ = rhs
    lp.row_upper_ = rhs
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = len(rhs)
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    h.passModel(lp)
    return np.array([(_bound(h, int(j), n, maximise=False), _bound(h, int(j), n, maximise=True))
                     for j in asked], dtype=float).reshape(len(asked), 2)


def _lower(model: ReaderModel, c: int) -> float:
    return 1.0 if model.suppressed[c] and model.zeros_publishable[c] else 0.0


def _bound(h: highspy.Highs, j: int, n: int, maximise: bool) -> float:
    sign = -1.0 if maximise else 1.0
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.zeros(n))
    h.changeColCost(j, sign)
    value, integral = _run(h, sign, j)
    if value is None:
        return math.nan  # not solved: never counted as protected
    # A whole LP value at a fractional point is only an outer bound: the whole-number optimum
    # may be smaller (or larger, for a minimum); only an integral optimal point reaches it.
    if math.isinf(value) or integral:
        return round(value) if math.isfinite(value) else value
    kind = highspy.HighsVarType.kInteger
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                            np.full(n, int(kind.value), dtype=np.uint8))
    try:
        exact, _ = _run(h, sign, j)
    finally:
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                np.full(n, int(highspy.HighsVarType.kContinuous.value),
                                        dtype=np.uint8))
    if exact is None:  # fall back on the rounded LP bound (still a valid outer bound)
        return math.floor(value + TOL) if maximise else math.ceil(value - TOL)
    return math.floor(exact + TOL) if maximise else math.ceil(exact - TOL)


def _run(h: highspy.Highs, sign: float, j: int) -> tuple[float | None, bool]:
    run(h)
    status = h.getModelStatus()
    S = highspy.HighsModelStatus
    if status == S.kUnknown:
        # seen after a warm start on an unbounded direction (a small component of the
        # monthly series, 2022-Q3 of victims interviewed): a cold start answers
        h.clearSolver()
        run(h)
        status = h.getModelStatus()
    if status == S.kUnbounded or (status == S.kUnboundedOrInfeasible and sign < 0):
        return math.inf, True
    if status != S.kOptimal:
        return None, False
    sol = np.asarray(h.getSolution().col_value)
    integral = bool(np.all(np.abs(sol - np.round(sol)) <= TOL))
    return sign * h.getInfo().objective_function_value, integral


def _highs() -> highspy.Highs:
    """A silent, deterministic Highs instance (the engine's quiet constructor): integer
    programs stop after a number of nodes, never of seconds (an unsolved bound falls back on
    the rounded LP bound, the same on every machine)."""
    h = quiet_highs()
    h.setOptionValue("mip_max_nodes", MIP_MAX_NODES)
    return h


# ---------------------------------------------------------------- pipeline helpers


def publish_pinned(cells: pl.DataFrame, pinned: list[CellInterval]) -> pl.DataFrame:
    """Protected cells (KEY + count + status) with the recomputable secondary cells published:
    hiding a value the reader can compute protects nothing."""
    if not pinned:
        return cells
    keys = pl.DataFrame([c.key for c in pinned], schema=list(KEY), orient="row").with_columns(
        _pin=pl.lit(True))
    return (cells.join(keys, on=list(KEY), how="left")
            .with_columns(status=pl.when(pl.col("_pin") & (pl.col("status") == "secondary"))
                          .then(pl.lit("published")).otherwise(pl.col("status")))
            .drop("_pin"))


AUDIT_SCHEMA = {"indicator": pl.String, "cells": pl.Int64, "published": pl.Int64,
                "suppressed": pl.Int64, "primary": pl.Int64, "secondary": pl.Int64,
                "recomputable": pl.Int64, "disclosed": pl.Int64,
                "narrowest_low": pl.Float64, "narrowest_high": pl.Float64,
                "seconds": pl.Float64}
RELEASE_ROW = "_ALL"


def audit_frame(audit: ReleaseAudit) -> pl.DataFrame:
    """``published.disclosure_audit``: per indicator what any reader can compute (cells,
    suppressed, narrowest interval), and one ``_ALL`` row for the release with the primary /
    secondary split and the audit's time (never per indicator: with few hidden cells, a
    per-indicator primary count could tell the reader which cells are small)."""
    per = audit.summary().with_columns(
        primary=pl.lit(None, pl.Int64), secondary=pl.lit(None, pl.Int64),
        recomputable=pl.lit(None, pl.Int64), disclosed=pl.lit(None, pl.Int64),
        seconds=pl.lit(None, pl.Float64))
    known = [c for c in audit.intervals if c.primary is not None]
    primary = sum(1 for c in known if c.primary) if known else None
    lows = [c for c in audit.intervals if not math.isnan(c.low)]
    narrow = min(lows, key=lambda c: c.high - c.low) if lows else None
    total = pl.DataFrame([{
        "indicator": RELEASE_ROW, "cells": audit.cells,
        "published": audit.cells - audit.suppressed, "suppressed": audit.suppressed,
        "primary": primary,
        "secondary": (audit.suppressed - primary) if primary is not None else None,
        "recomputable": len(audit.recomputable()), "disclosed": len(audit.disclosed()),
        "narrowest_low": narrow.low if narrow else None,
        "narrowest_high": narrow.high if narrow else None,
        "seconds": round(audit.seconds, 3)}], schema=AUDIT_SCHEMA)
    return pl.concat([total, per.select(list(AUDIT_SCHEMA))])


def with_earlier_releases(values: pl.DataFrame, earlier: list[pl.DataFrame],
                          true_counts: pl.DataFrame | None) -> pl.DataFrame:
    """What a reader holding every retained release knows, as one release to audit.

    ``values``: the release to audit; ``earlier``: the published values (KEY + value) of the
    retained earlier releases; ``true_counts`` (KEY + ``count``, warehouse only). An earlier
    value published with the count it has now is known to the reader: a cell hidden now is
    filled in as published, and a cell the release no longer contains (e.g. a district's
    quarter left out at the year's end) is added as a published value, since the reader can
    combine it with the values published now. An earlier value that differs from the count
    now is the knowledge of a revised cell's OLD count, not of the new one, and is left out.
    """
    if not earlier or true_counts is None:
        return values
    key = list(KEY)
    old = (pl.concat([e.filter(pl.col("value").is_not_null()).select(*key, "value")
                      for e in earlier]).unique(key, keep="last")
           .join(true_counts.select(*key, "count"), on=key, how="inner")
           .filter(pl.col("value") == pl.col("count"))
           .select(*key, pl.col("value").cast(pl.Float64).alias("_old")))
    out = values.join(old, on=key, how="left")
    known = pl.col("value").is_null() & pl.col("_old").is_not_null()
    out = out.with_columns(
        value=pl.when(known).then(pl.col("_old")).otherwise(pl.col("value")),
        flags=pl.when(known).then(pl.col("flags").str.replace_all("c", ""))
        .otherwise(pl.col("flags"))).drop("_old")
    absent = (old.join(values.select(key), on=key, how="anti")
              .select(*key, value=pl.col("_old"), flags=pl.lit("")))
    return pl.concat([out, absent], how="diagonal_relaxed")


def publish_known(cells: pl.DataFrame, earlier: list[pl.DataFrame] | None) -> pl.DataFrame:
    """Protected cells (KEY + count + status) with every secondary cell published whose
    count an earlier retained release published (same value): the reader holds that
    release, hiding the value protects nothing and removes a figure already quoted. The
    release-wide audit then judges the pattern with that knowledge."""
    if not earlier:
        return cells
    key = list(KEY)
    old = (pl.concat([e.filter(pl.col("value").is_not_null()).select(*key, "value")
                      for e in earlier]).unique([*key, "value"])
           .with_columns(_known=pl.lit(True)))
    out = cells.join(old, on=key, how="left")
    known = ((pl.col("status") == "secondary") & pl.col("_known").fill_null(False)
             & (pl.col("value") == pl.col("count")))
    marked = out.with_columns(_hit=known.fill_null(False)).group_by(
        [*key, "count", "status"], maintain_order=True).agg(pl.col("_hit").any())
    return marked.with_columns(
        status=pl.when(pl.col("_hit")).then(pl.lit("published")).otherwise(pl.col("status"))
    ).drop("_hit").select(cells.columns)
