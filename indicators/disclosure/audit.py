"""Independent audit: what can a reader prove about every confidential cell?

Built only from the published pattern (codes, counts, statuses), the hierarchies and the policy,
not from the suppression code. The reader's unknowns are the inner cells (one leaf code per
dimension), non-negative whole numbers. The reader knows every published value (an equality
over inner cells), the additivity of every table and linked table (implied by those equalities)
and the policy: with zeros always published, every hidden cell is at least 1.

For every confidential cell (recomputed here from the counts: 1 <= count < k, plus group
disclosure when the policy asks for it) the audit computes the interval the reader can prove
by linear programming (one persistent HiGHS model, the objective changed per cell) and, where
the LP answer is not already integral or decisive, by integer programming. A cell fails when
the whole numbers the reader can prove are a single value, or lie inside 1 .. k-1.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import polars as pl

from indicators.disclosure.audit_model import ShiftedModel, implied_rows, shifted_model
from indicators.disclosure.hierarchy import TOTAL, Hierarchy
from indicators.disclosure.lift_shards import (
    LIFT_CHUNK,
    SHARD_WORK,
    LazyHelper,
    LiftHelper,
    chunks,
    shares,
)
from indicators.disclosure.lp import (
    MIN_BATCH,
    MIP_MAX_NODES,
    TOL,
    Bound,
    WitnessPool,
    search_witnesses,
)
from indicators.disclosure.nearest_table import NearestTables
from indicators.disclosure.primary import DEFAULT_POLICY, Policy
from indicators.i18n import tn_both

NON_DIMENSION = ("table", "count", "status", "_cell", "level")
HIDDEN = ("primary", "secondary", "unpublished")
UNPUBLISHED = "unpublished"  # in the tables, never published: not confidential, >= 0
# Batch witness searches for cells whose LP maximum reaches the need at a fractional point,
# before one early-stopping integer program per cell still open.
WITNESS_ROUNDS = 6
# Witnesses kept for reuse across cells (the least-change tables are many and sparse: on the
# 4-D table 512 instead of 64 saves ~170 of ~1,050 least-change searches).
AUDIT_POOL = 512


@dataclass
class CellCheck:
    codes: dict[str, str]
    count: int
    status: str
    lp_low: float
    lp_high: float
    int_low: float
    int_high: float
    ok: bool
    reason: str
    level: int = 0  # a protection level (see protect's ``levels``): the maximum must reach it

    def describe(self) -> str:
        where = ", ".join(f"{d}={c}" for d, c in self.codes.items())
        return (
            f"[{where}] count={self.count} status={self.status} "
            f"LP=[{_fmt(self.lp_low)}, {_fmt(self.lp_high)}] "
            f"int=[{_fmt(self.int_low)}, {_fmt(self.int_high)}]: {self.reason}"
        )


@dataclass
class AuditReport:
    ok: bool
    failures: list[CellCheck]
    tables: dict[str, dict[str, int]]
    intervals: pl.DataFrame
    seconds: float
    threshold: int
    notes: list[str] = field(default_factory=list)

    def to_text(self) -> str:
        head = (
            "AUDITORIA OK / AUDIT OK: nenhuma célula confidencial é dedutível / "
            "no confidential cell can be narrowed down"
            if self.ok
            else tn_both("audit.failed", len(self.failures))
        )
        lines = [head, f"k={self.threshold}; {self.seconds:.2f} s"]
        for name, st in self.tables.items():
            lines.append(
                f"  {name}: cells/células={st['cells']} primary/primárias={st['primary']} "
                f"secondary/secundárias={st['secondary']} information loss/perda de "
                f"informação: n={st['secondary']} sum/soma={st['information_loss']}"
            )
        for failure in self.failures[:50]:
            lines.append("  FAIL " + failure.describe())
        if len(self.failures) > 50:
            lines.append(f"  ... +{len(self.failures) - 50}")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


def audit(
    cells: pl.DataFrame,
    hierarchies: Mapping[str, Hierarchy],
    tables: object = None,
    policy: Policy = DEFAULT_POLICY,
    mip_max_nodes: int = MIP_MAX_NODES,
    exact_intervals: bool = True,
    unpublished_confidential: bool = False,
) -> AuditReport:
    """Check a publication pattern. ``cells``: table, dimension codes, count, status.

    With ``exact_intervals`` (default) every confidential cell gets the reader's exact LP and
    whole-number interval. Without, whole-number tables of the reader's model (witnesses, found
    by integer programs over many cells at once, each checked exactly in integer arithmetic)
    are tried first: one where the cell reaches max(k, count + 1) proves it protected, and
    its value is reported as ``int_high`` (the reader's maximum is at least this; ``lp_*`` and
    ``int_low`` are NaN when no LP ran, else the LP's outer bounds). The verdict is the same
    either way; only cells no witness settles get LPs (the maximum first: one that reaches
    the need settles the cell, whose ``lp_low`` and ``int_low`` then stay NaN), and integer
    programs only where those leave the verdict open.

    ``unpublished_confidential``: a never-published cell of 1 .. k-1 is confidential too (the
    breakdown of a status left out of the release is still derivable from its siblings); it
    fails when the reader pins it or bounds it inside 1 .. k-1 (the reader only knows >= 0).

    ``tables`` is accepted for symmetry with :func:`protect`; the pattern's own ``table``
    column says which cells are published where.

    Three steps: :func:`reader_model` (what a reader knows), :func:`cell_intervals` (what
    the reader can prove about each confidential cell), :func:`audit_report`.
    """
    start = time.perf_counter()
    reader = reader_model(cells, hierarchies, policy, mip_max_nodes)
    helper = None if exact_intervals else LazyHelper(cells, hierarchies, policy, mip_max_nodes)
    try:
        checks = cell_intervals(reader, policy, exact_intervals, unpublished_confidential,
                                helper=helper)
    finally:
        if helper is not None:
            helper.close()
    return audit_report(cells, reader, checks, time.perf_counter() - start, policy.threshold)


@dataclass
class ReaderModel:
    """What a reader of the pattern knows: one row per distinct published or suppressed
    set of inner unknowns, as a persistent LP/IP model."""

    dims: list[str]
    hier: dict[str, Hierarchy]
    unique: pl.DataFrame  # one row per distinct cell: dimension codes, count, status, hidden
    codes: list[list[str]]  # per dimension, the code of each distinct cell
    counts: np.ndarray
    hidden: np.ndarray
    unpublished: np.ndarray
    group: np.ndarray  # cell -> model row (-1: no free unknown)
    cols_of_cell: list[np.ndarray]  # cell -> its free unknowns (model columns)
    model: ShiftedModel
    notes: list[str]
    inner_of_col: np.ndarray  # model column -> its inner cell (flat index over the leaves)
    levels: np.ndarray | None = None  # protection levels (0: none), see protect's ``levels``

    def codes_of(self, i: int) -> dict[str, str]:
        return {d: self.codes[j][i] for j, d in enumerate(self.dims)}


def _free_unknowns(unique: pl.DataFrame, dims: list[str], hier: dict[str, Hierarchy],
                   counts: np.ndarray, hidden: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Each cell's inner unknowns that a published zero does not pin to 0, as model
    columns, and each column's inner cell (flat index over the dimensions' leaves)."""
    codes = [unique[d].to_list() for d in dims]
    leaves = {d: hier[d].leaves() for d in dims}
    shape = tuple(len(leaves[d]) for d in dims)
    under = {}
    for d in dims:
        pos = {leaf: i for i, leaf in enumerate(leaves[d])}
        under[d] = {c: np.array([pos[x] for x in ls]) for c, ls in hier[d].leaves_under().items()}
    # Reader's equations: cell -> its inner unknowns (CSR, built one dimension at a time).
    member_ptr, member_idx = _member_csr(codes, dims, under, shape)
    # Published zeros pin their inner cells to 0 (sound: non-negative parts of a zero sum).
    n_inner = int(np.prod(shape))
    fixed = np.zeros(n_inner, dtype=bool)
    for i in np.flatnonzero(~hidden & (counts == 0)):
        fixed[member_idx[member_ptr[i] : member_ptr[i + 1]]] = True
    col_of = np.full(n_inner, -1, dtype=np.int64)
    free = np.flatnonzero(~fixed)
    col_of[free] = np.arange(free.size)
    cols_of_cell = []
    for i in range(unique.height):
        cols = np.sort(col_of[member_idx[member_ptr[i] : member_ptr[i + 1]]])
        cols_of_cell.append(cols[cols >= 0])
    return cols_of_cell, free


def reader_model(cells: pl.DataFrame, hierarchies: Mapping[str, Hierarchy],
                 policy: Policy = DEFAULT_POLICY,
                 mip_max_nodes: int = MIP_MAX_NODES) -> ReaderModel:
    """The reader's model of a pattern: one row per distinct set of free unknowns (cells
    over the same free inner cells say the same thing): an equality if any of those cells is
    published, else the policy's lower bound."""
    dims = [c for c in cells.columns if c not in NON_DIMENSION]
    hier = {d: hierarchies.get(d) or _flat_from(cells, d) for d in dims}
    unique = _unique_cells(cells, dims)
    counts = unique["count"].to_numpy().astype(np.int64)
    hidden = unique["hidden"].to_numpy()
    cols_of_cell, inner_of_col = _free_unknowns(unique, dims, hier, counts, hidden)
    n_cols = int(inner_of_col.size)
    notes: list[str] = []
    group_of: dict[bytes, int] = {}
    group = np.full(unique.height, -1, dtype=np.int64)
    for i, cols in enumerate(cols_of_cell):
        if cols.size == 0:
            if counts[i] != 0 and not hidden[i]:
                notes.append(f"published cell {i} is not the sum of its parts")
            continue
        group[i] = group_of.setdefault(cols.tobytes(), len(group_of))
    n_rows = len(group_of)
    value = np.full(n_rows, np.nan)
    for i in np.flatnonzero((group >= 0) & ~hidden):
        g = group[i]
        if not np.isnan(value[g]) and value[g] != counts[i]:
            notes.append(f"published cells with the same parts differ ({value[g]} != {counts[i]})")
        value[g] = counts[i]
    first = np.full(n_rows, -1, dtype=np.int64)
    for i in range(unique.height - 1, -1, -1):
        if group[i] >= 0:
            first[group[i]] = i
    published_row = ~np.isnan(value)
    hidden_lo = 1.0 if policy.zeros_publishable else 0.0
    unpublished = unique["status"].to_numpy() == UNPUBLISHED
    suppressed_row = np.zeros(n_rows, dtype=bool)
    suppressed_row[group[(group >= 0) & hidden & ~unpublished]] = True
    row_lengths = np.array([cols_of_cell[i].size for i in first], dtype=np.int64)
    lower = np.where(published_row, value, np.where(suppressed_row, hidden_lo, 0.0))
    upper = np.where(published_row, value, math.inf)
    codes = [unique[d].to_list() for d in dims]
    model = shifted_model(
        n_cols,
        np.concatenate([[0], np.cumsum(row_lengths)]).astype(np.int64),
        np.concatenate([cols_of_cell[i] for i in first]) if n_rows else np.zeros(0, np.int64),
        lower, upper, implied_rows(codes, {d: hier[d] for d in dims}, group, row_lengths,
                                   lower, upper),
        max_nodes=mip_max_nodes,
    )
    return ReaderModel(dims=dims, hier=hier, unique=unique,
                       codes=codes, counts=counts, hidden=hidden,
                       unpublished=unpublished, group=group, cols_of_cell=cols_of_cell,
                       model=model, notes=notes, inner_of_col=inner_of_col,
                       levels=unique["level"].cast(pl.Int64).to_numpy())


def _confidential(reader: ReaderModel, policy: Policy,
                  unpublished_confidential: bool = False) -> np.ndarray:
    """Cells the policy makes confidential (recomputed from the counts, not the statuses)."""
    k = policy.threshold
    counts, unique = reader.counts, reader.unique
    confidential = ((counts >= 1) & (counts < k)) | _group_flags(unique, reader.dims,
                                                                  reader.hier, policy)
    confidential |= unique["status"].to_numpy() == "primary"
    return confidential if unpublished_confidential else confidential & ~reader.unpublished


def cell_intervals(reader: ReaderModel, policy: Policy = DEFAULT_POLICY,
                   exact_intervals: bool = True, unpublished_confidential: bool = False,
                   helper: LazyHelper | None = None) -> list[CellCheck]:
    """The interval a reader can prove for every confidential cell, and its verdict.

    ``helper``: a process, started once the rows to settle times the model's unknowns
    reach ``SHARD_WORK``: it runs the first witness search while the LP bounds run here,
    then shares the least-change lifts, the searches between the rounds and the integer
    tries of the rows left open (:mod:`lift_shards`).

    Without ``exact_intervals``, a cell whose whole-number maximum is shown to reach
    max(k, count + 1) is protected whatever its minimum (it can be >= k, and the count is
    below it), so it gets no minimum: its ``lp_low`` and ``int_low`` are NaN."""
    k = policy.threshold
    counts, hidden, group = reader.counts, reader.hidden, reader.group
    model, cols_of_cell = reader.model, reader.cols_of_cell
    confidential = _confidential(reader, policy, unpublished_confidential)
    checks: list[CellCheck] = []
    pending: list[tuple[int, int]] = []
    high_open: list[tuple[int, int]] = []
    open_rows: set[int] = set()
    bounds = _LpBounds(model)
    statuses = reader.unique["status"].to_list()
    pool = WitnessPool(model.n_cols, size=AUDIT_POOL)
    levels = reader.levels if reader.levels is not None else np.zeros_like(counts)
    need = np.maximum(np.maximum(k, counts + 1), levels)
    searching = None  # the helper's first witness search, while the LP bounds run here
    if not exact_intervals:  # witnesses first: one search over every cell it may settle
        settle = np.flatnonzero(confidential & hidden & (counts > 0) & (group >= 0))
        searching = _search_elsewhere(reader, helper, settle, need)
        if searching is None:
            _witnesses_for(reader, pool, settle, need)
    for i in np.flatnonzero(confidential):
        codes_i, count, status = reader.codes_of(i), int(counts[i]), statuses[int(i)]
        if not hidden[i] or (policy.zeros_publishable and count == 0):
            checks.append(CellCheck(
                codes=codes_i, count=count, status=status, lp_low=count, lp_high=count,
                int_low=count, int_high=count, ok=False,
                reason="published / publicada" if not hidden[i]
                else "zero hidden against the policy / zero ocultado"))
            continue
        g = int(group[i])
        reach = 0 if exact_intervals or g < 0 else pool.best(cols_of_cell[i])
        if reach >= need[i]:  # a checked whole-number table proves the cell protected
            checks.append(CellCheck(codes=codes_i, count=count, status=status,
                                    lp_low=math.nan, lp_high=math.nan, int_low=math.nan,
                                    int_high=reach, ok=True, reason=""))
            continue
        high = bounds.high(g, cols_of_cell[i], pool)
        if not exact_intervals and _clears(high, need[i]):  # the LP maximum reaches the need
            int_high = _integer_bounds(high, high)[1]
            if not high.integral:  # a whole LP value at a fractional point proves nothing
                high_open.append((len(checks), int(i)))
                open_rows.add(g)
                if helper is not None and len(open_rows) * model.n_cols >= SHARD_WORK:
                    helper.start()  # it gets ready while the rest of this loop runs
            checks.append(CellCheck(codes=codes_i, count=count, status=status,
                                    lp_low=math.nan, lp_high=high.value, int_low=math.nan,
                                    int_high=int_high, ok=True, reason=""))
            continue
        low = bounds.low(g, cols_of_cell[i])
        int_low, int_high = _integer_bounds(low, high)
        check = CellCheck(codes=codes_i, count=count, status=status, lp_low=low.value,
                          lp_high=high.value, int_low=int_low, int_high=int_high, ok=False,
                          reason="", level=int(levels[i]))
        _decide(check, low, high, k)
        if check.reason == "undecided":
            pending.append((len(checks), int(i)))
        checks.append(check)
    if searching is not None:
        _searched(reader, searching.receive(), pool, settle, need)
    pending += _settle_maxima(reader, bounds, pool, checks, high_open, need, k,
                              None if helper is None else helper.started)
    if pending and not exact_intervals:
        pending = _settle_with_witnesses(reader, pool, checks, pending, need)
    if pending:
        _integer_intervals(reader, bounds, checks, pending, k)
    return checks


def _search_elsewhere(reader: ReaderModel, helper: LazyHelper | None, settle: np.ndarray,
                      need: np.ndarray) -> LiftHelper | None:
    """The helper, asked for the first witness search over ``settle``, when the pattern is
    large enough to share (``SHARD_WORK``, counted on the rows ``settle`` spans) and the
    helper started; else ``None`` (the search then runs here, first)."""
    if helper is None or settle.size == 0:
        return None
    rows = np.unique(reader.group[settle]).size
    if rows < 2 or rows * reader.model.n_cols < SHARD_WORK:
        return None
    helper.start()
    started = helper.started
    return started if started is not None and started.search(settle, need) else None


def _searched(reader: ReaderModel, answer: list[np.ndarray | None] | None,
              pool: WitnessPool, cells: np.ndarray, need: np.ndarray) -> None:
    """The tables of a search the helper ran over ``cells`` (``answer``; each checked here,
    exactly, before it counts) into ``pool``; if the helper gave no answer, the same search
    runs here. Cells they settle that the LP bounds sent to the least-change lifts are
    settled there by the pool."""
    if answer is None:
        _witnesses_for(reader, pool, cells, need)
        return
    for point in answer:
        pool.add(_checked(reader.model, point, np.zeros(0, dtype=np.int64), 0))


class _LpBounds:
    """The LP maximum and minimum of each model row, each solved once (warm-started).

    A bound is ``integral`` only when the LP's optimal point itself, rounded, is a
    whole-number table of the reader's model (checked exactly in integer arithmetic,
    ``integer_point``): then the bound is reached and is the reader's whole-number bound. A
    whole LP value at a fractional point is only an outer bound (the whole-number optimum
    may be smaller, or larger for a minimum) and proves nothing."""

    def __init__(self, model: ShiftedModel) -> None:
        self.model = model
        self.highs: dict[int, Bound] = {}
        self.lows: dict[int, Bound] = {}
        self.solves = 0
        self.integral_points = 0  # LP optimal points that are checked whole-number tables

    def _solve(self, cols: np.ndarray, maximise: bool, pool: WitnessPool | None) -> Bound:
        bound = self.model.optimise(cols, maximise=maximise)[0]
        point = self.model.integer_point(self.model.solution)
        self.solves += 1
        if pool is not None:
            pool.add(point)
        if point is None or not (bound.proven and math.isfinite(bound.value)):
            return Bound(bound.value, False, bound.proven)
        self.integral_points += 1
        return Bound(float(point[cols].sum()), True, True)

    def high(self, g: int, cols: np.ndarray, pool: WitnessPool) -> Bound:
        if g not in self.highs:
            self.highs[g] = self._solve(cols, True, pool)
        return self.highs[g]

    def low(self, g: int, cols: np.ndarray) -> Bound:
        if g not in self.lows:
            self.lows[g] = self._solve(cols, False, None)
        return self.lows[g]


def _clears(high: Bound, need: int) -> bool:
    return high.proven and math.isfinite(high.value) and math.floor(high.value + TOL) >= need


def _witnesses_for(reader: ReaderModel, pool: WitnessPool, cells: np.ndarray,
                   need: np.ndarray, rounds: int = 1, min_rows: int = 1) -> list[np.ndarray]:
    """Witness searches (one integer program over all the cells no witness reaches yet,
    lp.PersistentModel.search_witness), ``rounds`` times at most, while each one reaches
    at least one more cell and at least ``min_rows`` rows are left to reach. The tables
    found go into ``pool`` and are returned."""
    found: list[np.ndarray] = []
    rows = _rows_of(reader, cells)
    for _ in range(rounds):
        rows = _unreached(reader, pool, rows, need)
        if rows.size < max(min_rows, 1):
            return found
        lens = np.array([reader.cols_of_cell[i].size for i in rows], dtype=np.int64)
        ptr = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
        idx = np.concatenate([reader.cols_of_cell[i] for i in rows]).astype(np.int64)
        point, _ = reader.model.search_witness(ptr, idx, need[rows])
        if point is None or not (np.add.reduceat(point[idx], ptr[:-1]) >= need[rows]).any():
            return found
        pool.add(point)
        found.append(point)
    return found


def _shared_searches(reader: ReaderModel, pool: WitnessPool, cells: np.ndarray,
                     need: np.ndarray, helper: LiftHelper | None, rounds: int) -> None:
    """:func:`_witnesses_for` over ``cells``, ``rounds`` times at most; with a ``helper``,
    the rows no witness reaches yet dealt alternately between the two processes, each
    searching its half at the same time (every table of the helper checked here)."""
    if helper is None:
        _witnesses_for(reader, pool, cells, need, rounds=rounds)
        return
    rows = _rows_of(reader, cells)
    for _ in range(rounds):
        rows = _unreached(reader, pool, rows, need)
        if rows.size < 2 * MIN_BATCH:  # too few to halve: searched here while worth it
            _witnesses_for(reader, pool, rows, need, rounds=rounds, min_rows=MIN_BATCH)
            return
        mine, theirs = rows[0::2], rows[1::2]
        asked = helper.search(theirs, need)
        _witnesses_for(reader, pool, mine, need)
        _searched(reader, helper.receive() if asked else None, pool, theirs, need)
        if _unreached(reader, pool, rows, need).size == rows.size:
            return  # this round reached no row: the next would search the same rows


def _rows_of(reader: ReaderModel, cells: np.ndarray) -> np.ndarray:
    """One cell of ``cells`` per model row (the cells of a row share its unknowns)."""
    _, first = np.unique(reader.group[cells], return_index=True)
    return cells[first]


def _unreached(reader: ReaderModel, pool: WitnessPool, rows: np.ndarray, need: np.ndarray
               ) -> np.ndarray:
    """The cells of ``rows`` that no table of ``pool`` brings to their need."""
    return rows[[pool.best(reader.cols_of_cell[i]) < need[i] for i in rows]]


class _Settler:
    """Cells settled by checked whole-number tables, one try per (row, step) at most."""

    def __init__(self, reader: ReaderModel, pool: WitnessPool, need: np.ndarray) -> None:
        self.reader, self.pool, self.need = reader, pool, need
        self.reached: dict[int, int] = {}  # position of the check -> the sum reached
        self.tried: set[tuple[int, int]] = set()  # (row, step) already tried
        self.best: dict[int, int] = {}  # row -> largest sum of a witness found for it
        self.found: list[np.ndarray] = []  # tables this process's own tries found

    def settle(self, pos: int, i: int, step: int, find: Callable[[], np.ndarray | None],
               own: bool = True) -> None:
        cols, g = self.reader.cols_of_cell[i], int(self.reader.group[i])
        best = max(self.best.get(g, 0), self.pool.best(cols))
        if best < self.need[i] and (g, step) not in self.tried:
            self.tried.add((g, step))
            point = find()
            self.pool.add(point)
            if point is not None:
                best = max(best, int(point[cols].sum()))
                if own:
                    self.found.append(point)
        self.best[g] = best
        if best >= self.need[i]:
            self.reached[pos] = best


def _settle_maxima(reader: ReaderModel, bounds: _LpBounds, pool: WitnessPool,
                   checks: list[CellCheck], high_open: list[tuple[int, int]],
                   need: np.ndarray, k: int, helper: LiftHelper | None = None
                   ) -> list[tuple[int, int]]:
    """Cells whose fractional LP maximum clears the need: a checked whole-number table
    reaching the need proves them protected. Tried in order: the witnesses found so far, the
    least change of the true table (:class:`NearestTables`, LPs; the first round shared with
    ``helper`` when large), batch witness searches, the small and whole-model integer
    programs over the least-change model, an integer program stopped at the first table
    reaching the need. The others get their LP minimum and go to the exact integer bounds."""
    still: list[tuple[int, int]] = []
    lifter = lifter_of(reader) if high_open else None
    s = _Settler(reader, pool, need)

    if lifter is not None:
        finds = _finds(reader, lifter, need)
        order = sorted(high_open, key=lambda c: reader.cols_of_cell[c[1]].size)
        _shared_round(s, order, (0,), finds, helper)
        rest = np.array([i for pos, i in high_open if pos not in s.reached], dtype=np.int64)
        _shared_searches(reader, pool, rest, need, helper, WITNESS_ROUNDS)
        _shared_round(s, [c for c in high_open if c[0] not in s.reached], (1, 2), finds,
                      helper)
    for pos, i in high_open:
        if pos in s.reached:
            checks[pos].int_high = s.reached[pos]
            continue
        cols, g = reader.cols_of_cell[i], int(reader.group[i])
        c, low, high = checks[pos], bounds.low(g, cols), bounds.highs[g]
        c.lp_low = low.value
        c.int_low, c.int_high = _integer_bounds(low, high)
        _decide(c, low, high, k)
        if c.reason == "undecided":
            still.append((pos, i))
    return still


def _finds(reader: ReaderModel, lifter: NearestTables, need: np.ndarray
           ) -> dict[int, Callable[[int], np.ndarray | None]]:
    """The tries of each step for a distinct cell: 0 the least-change lift, 1 the same with
    its integer programs, 2 an integer program of the reader's model stopped at the first
    table reaching the need."""
    model = reader.model

    def reaches(i: int) -> np.ndarray | None:
        cols = reader.cols_of_cell[i]
        hit = model.reaches(cols, True, int(need[i]))
        return model.integer_point(model.solution) if hit else None

    return {0: lambda i: lifter.lift(reader.cols_of_cell[i], int(need[i])),
            1: lambda i: lifter.lift(reader.cols_of_cell[i], int(need[i]), True),
            2: reaches}


def _shared_round(s: _Settler, order: list[tuple[int, int]], steps: tuple[int, ...],
                  finds: dict[int, Callable[[int], np.ndarray | None]],
                  helper: LiftHelper | None) -> None:
    """The ``steps`` tried for each cell of ``order`` still open, in that order. With a
    ``helper`` and at least two distinct rows, the rows in chunks of
    ``LIFT_CHUNK`` dealt between the two processes, the tables found exchanged after each
    chunk; every table of the helper is checked here again before it counts."""
    group = s.reader.group

    def own(chunk: list[tuple[int, int]]) -> None:
        for pos, i in chunk:
            for step in steps:
                if pos not in s.reached:
                    s.settle(pos, i, step, lambda i=i, step=step: finds[step](i))

    if helper is None or len(np.unique(group[[i for _, i in order]])) < 2:
        own(order)
        return
    sent, new = len(s.found), s.pool.points.copy()  # the whole pool, then what is new
    for chunk in chunks(order, group, LIFT_CHUNK):
        mine, theirs = shares(chunk, group)
        alive = helper.send([(i, int(s.need[i]), steps) for _, i in theirs], new)
        own(mine)
        answers = helper.receive() if alive else None
        if answers is None or len(answers) != len(theirs):
            own(theirs)
        else:
            for (pos, i), a in zip(theirs, answers, strict=True):
                # The helper tried every step: its table (if any) counts once, checked here;
                # the later steps are tried already and find nothing new.
                checked = partial(_checked, s.reader.model, a, s.reader.cols_of_cell[i],
                                  int(s.need[i]))
                for n, step in enumerate(steps):
                    s.settle(pos, i, step, checked if n == 0 else (lambda: None), own=False)
        new = np.array(s.found[sent:], dtype=np.int64).reshape(-1, s.pool.points.shape[1])
        sent = len(s.found)


def lifter_of(reader: ReaderModel) -> NearestTables | None:
    """The least-change lifter of the reader's model around the true table (``None`` if
    the pattern does not give the true table of every free unknown)."""
    return NearestTables.checked(reader.model, _true_table(reader), _sub_tables(reader))


def _checked(model: ShiftedModel, point: object, cols: np.ndarray, need: int
             ) -> np.ndarray | None:
    """``point`` (reader values, from elsewhere) if it is a whole-number table of ``model``,
    checked exactly, where the sum of ``cols`` reaches ``need``; else ``None``."""
    if not isinstance(point, np.ndarray) or point.shape != (model.n_cols,):
        return None
    if not np.issubdtype(point.dtype, np.integer):
        return None
    table = model.integer_point((point - model.shift).astype(float))
    if table is None or not np.array_equal(table, point) or int(table[cols].sum()) < need:
        return None
    return table


def _sub_tables(reader: ReaderModel) -> np.ndarray:
    """Each unknown's parent code in every dimension (unknowns x dimensions, as indices):
    the unknowns sharing the parents of a cell's codes are its finest sub-table (HiTaS)."""
    shape = tuple(len(reader.hier[d].leaves()) for d in reader.dims)
    leaf = np.unravel_index(reader.inner_of_col, shape)
    groups = np.zeros((reader.inner_of_col.size, len(reader.dims)), dtype=np.int64)
    for j, d in enumerate(reader.dims):
        parents, ids = reader.hier[d].parents, {}
        up = [ids.setdefault(parents.get(code, TOTAL), len(ids))
              for code in reader.hier[d].leaves()]
        groups[:, j] = np.array(up, dtype=np.int64)[leaf[j]]
    return groups


def _true_table(reader: ReaderModel) -> np.ndarray | None:
    """The true value of every free unknown (a cell over one free unknown is that unknown:
    the others it holds are pinned to 0 by published zeros), or ``None`` if one is missing."""
    truth = np.full(reader.model.n_cols, -1, dtype=np.int64)
    single = np.array([cols.size == 1 for cols in reader.cols_of_cell], dtype=bool)
    if single.any():
        cols = np.array([reader.cols_of_cell[i][0] for i in np.flatnonzero(single)])
        truth[cols] = reader.counts[single]
    return None if (truth < 0).any() else truth


def _settle_with_witnesses(reader: ReaderModel, pool: WitnessPool, checks: list[CellCheck],
                           pending: list[tuple[int, int]], need: np.ndarray
                           ) -> list[tuple[int, int]]:
    """A witness settles an undecided cell without an integer program; the rest stay."""
    undecided = np.array([i for _, i in pending], dtype=np.int64)
    _search(reader.model, pool, undecided, reader.group, reader.cols_of_cell, need)
    still = []
    for pos, i in pending:
        reach = pool.best(reader.cols_of_cell[i])
        if reach >= need[i]:
            checks[pos].int_high, checks[pos].ok, checks[pos].reason = reach, True, ""
        else:
            still.append((pos, i))
    return still


def _integer_intervals(reader: ReaderModel, bounds: _LpBounds, checks: list[CellCheck],
                       pending: list[tuple[int, int]], k: int) -> None:
    """Exact integer bounds where the LP was not enough: every bound whose LP optimum is not
    a checked whole-number table gets an integer program (a whole LP value is not enough)."""
    model = reader.model
    model.set_integer(True)
    ip_memo: dict[tuple[int, bool], tuple[float, bool]] = {}

    def bound(i: int, maximise: bool) -> tuple[float, bool]:
        key = (int(reader.group[i]), maximise)
        if key not in ip_memo:
            ip_memo[key] = _integer_bound(model, reader.cols_of_cell[i], maximise)
        return ip_memo[key]

    for pos, i in pending:
        c, g = checks[pos], int(reader.group[i])
        unproven = False
        if not bounds.lows[g].integral:
            value, proven = bound(i, maximise=False)
            unproven |= not proven
            c.int_low = value if proven else c.int_low
        if not bounds.highs[g].integral and math.isfinite(c.lp_high):
            value, proven = bound(i, maximise=True)
            unproven |= not proven
            c.int_high = value if proven else c.int_high
        c.ok = (_protected(c.int_low, c.int_high, k) and c.int_high >= c.level
                and not unproven)
        if c.ok:
            c.reason = ""
        elif unproven:
            c.reason = ("integer program stopped at its node limit / "
                        "programa inteiro parado no limite de nós")
        else:
            c.reason = _why(c.int_low, c.int_high, k, c.level)
    model.set_integer(False)


def _integer_bound(model: ShiftedModel, cols: np.ndarray, maximise: bool) -> tuple[float, bool]:
    """The integer program's optimum of the sum of ``cols``, as the sum over its optimal
    point checked exactly (a whole-number table of the reader that reaches it); not proven
    when the program stopped or its point fails the exact check."""
    result = model.optimise(cols, maximise=maximise)[0]
    point = model.integer_point(model.solution)
    if not result.proven or point is None:
        return result.value, False
    return float(point[cols].sum()), True


INTERVAL_SCHEMA = {"count": pl.Int64, "status": pl.String, "lp_low": pl.Float64,
                   "lp_high": pl.Float64, "int_low": pl.Float64, "int_high": pl.Float64,
                   "ok": pl.Boolean}


def audit_report(cells: pl.DataFrame, reader: ReaderModel, checks: list[CellCheck],
                 seconds: float, threshold: int) -> AuditReport:
    """The verdict, the failures, each table's statistics and every interval."""
    failures = [c for c in checks if not c.ok]
    intervals = pl.DataFrame(
        [{**c.codes, "count": c.count, "status": c.status, "lp_low": float(c.lp_low),
          "lp_high": float(c.lp_high), "int_low": float(c.int_low),
          "int_high": float(c.int_high), "ok": c.ok} for c in checks],
        schema={**{d: pl.String for d in reader.dims}, **INTERVAL_SCHEMA},
    )
    return AuditReport(ok=not failures and not reader.notes, failures=failures,
                       tables=table_stats(cells), intervals=intervals, seconds=seconds,
                       threshold=threshold, notes=reader.notes)


def _search(
    model: ShiftedModel,
    pool: WitnessPool,
    cells: np.ndarray,
    group: np.ndarray,
    cols_of_cell: list[np.ndarray],
    need: np.ndarray,
) -> None:
    """Witness searches (lp.search_witnesses) over one cell of each row group of ``cells``."""
    _, first = np.unique(group[cells], return_index=True)
    rows = cells[first]
    if rows.size == 0:
        return
    lens = np.array([cols_of_cell[i].size for i in rows], dtype=np.int64)
    ptr = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
    idx = np.concatenate([cols_of_cell[i] for i in rows]).astype(np.int64)
    search_witnesses(model, pool, ptr, idx, need[rows])


def _member_csr(
    codes: list[list[str]],
    dims: list[str],
    under: dict[str, dict[str, np.ndarray]],
    shape: tuple[int, ...],
) -> tuple[np.ndarray, np.ndarray]:
    """Cell i -> the flat indices of its inner cells (the product of each code's leaves)."""
    n = len(codes[0]) if codes else 0
    owner = np.arange(n, dtype=np.int64)
    flat = np.zeros(n, dtype=np.int64)
    for j, d in enumerate(dims):
        names = list(under[d])
        index = {c: i for i, c in enumerate(names)}
        lens = np.array([under[d][c].size for c in names], dtype=np.int64)
        ptr = np.concatenate([[0], np.cumsum(lens)])
        cat = np.concatenate([under[d][c] for c in names]).astype(np.int64)
        code = np.array([index[c] for c in codes[j]], dtype=np.int64)[owner]
        reps = lens[code]
        offset = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
        leaf = cat[np.repeat(ptr[code], reps) + offset]
        owner = np.repeat(owner, reps)
        flat = np.repeat(flat, reps) * shape[j] + leaf
    counts = np.bincount(owner, minlength=n)
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64), flat


def table_stats(cells: pl.DataFrame) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for (name,), part in cells.group_by("table", maintain_order=True):
        secondary = part.filter(pl.col("status") == "secondary")
        out[str(name)] = {
            "cells": part.height,
            "primary": int((part["status"] == "primary").sum()),
            "secondary": secondary.height,
            "information_loss": int(secondary["count"].sum() or 0),
        }
    return out


def _integer_bounds(low: Bound, high: Bound) -> tuple[float, float]:
    if math.isnan(low.value) or math.isnan(high.value):  # an LP not solved: _decide says so
        return low.value, high.value
    lo = low.value if low.integral else math.ceil(low.value - TOL)
    hi = high.value if (high.integral or math.isinf(high.value)) else math.floor(high.value + TOL)
    return (round(lo) if math.isfinite(lo) else lo), (round(hi) if math.isfinite(hi) else hi)


def _decide(c: CellCheck, low: Bound, high: Bound, k: int) -> None:
    if not (low.proven and high.proven) or math.isnan(low.value) or math.isnan(high.value):
        c.ok, c.reason = False, "LP not solved / LP sem solução"
        return
    # The true integer interval lies inside [int_low, int_high] (outer bounds from the LP).
    if not _protected(c.int_low, c.int_high, k) or c.int_high < c.level:
        c.ok, c.reason = False, _why(c.int_low, c.int_high, k, c.level)
        return
    if low.integral and (high.integral or math.isinf(high.value)):
        c.ok, c.reason = True, ""  # both bounds attained by whole-number tables
        return
    c.reason = "undecided"


def _protected(low: float, high: float, k: int) -> bool:
    return low < high and (low <= 0 or high >= k)


def _why(low: float, high: float, k: int, level: int = 0) -> str:
    if low >= high:
        return "value can be derived exactly / valor dedutível exatamente"
    if high < level and _protected(low, high, k):
        return (f"reader can prove value <= {_fmt(high)} < {level}, its protection level "
                f"(a revision) / o leitor prova valor <= {_fmt(high)} < {level}, o seu nível "
                "de proteção (uma revisão)")
    return f"reader can prove 1 <= value <= {k - 1} / o leitor prova 1 <= valor <= {k - 1}"


def _fmt(x: float) -> str:
    return "inf" if math.isinf(x) else f"{x:g}"


def _flat_from(cells: pl.DataFrame, d: str) -> Hierarchy:
    codes = [c for c in cells[d].unique().sort().to_list() if c != TOTAL]
    return Hierarchy.flat(d, codes)


def _unique_cells(cells: pl.DataFrame, dims: list[str]) -> pl.DataFrame:
    """One row per code tuple; hidden if it is hidden in the pattern (published anywhere wins)."""
    return (
        cells.with_columns(pl.col("status").is_in(HIDDEN).alias("_h"))
        .group_by(dims, maintain_order=True)
        .agg(
            pl.col("count").first(),
            pl.col("_h").all().alias("hidden"),
            pl.col("status").sort_by(pl.col("status") == "primary", descending=True).first(),
            (pl.col("level").max() if "level" in cells.columns else pl.lit(0)).alias("level"),
        )
    )


def _group_flags(
    unique: pl.DataFrame, dims: list[str], hier: Mapping[str, Hierarchy], policy: Policy
) -> np.ndarray:
    flags = np.zeros(unique.height, dtype=bool)
    if not policy.group_disclosure:
        return flags
    lookup = {tuple(r[:-1]): r[-1] for r in unique.select(*dims, "count").iter_rows()}
    rows = unique.select(*dims, "count").iter_rows()
    for i, row in enumerate(rows):
        key, count = row[:-1], row[-1]
        if count <= 0:
            continue
        for d, watched in policy.group_disclosure.items():
            if d not in dims:
                continue
            j = dims.index(d)
            h = hier[d]
            code = key[j]
            parent = h.parents.get(code)
            if parent is None or (watched is not None and code not in watched):
                continue
            if sum(1 for p in h.parents.values() if p == parent) < 2:
                continue
            parent_key = (*key[:j], parent, *key[j + 1 :])
            if lookup.get(parent_key) == count:
                flags[i] = True
    return flags
