"""A persistent HiGHS model over non-negative unknowns: only the objective changes per query.

Plumbing only (no reader model, no suppression logic): build once from a row-wise sparse
matrix, then ask for the minimum or maximum of a sum of unknowns, as an LP (warm-started
from the previous basis) or as an integer program.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np

INF = math.inf
TOL = 1e-6
MIN_BATCH = 10  # fewer targets than this: no batch witness search (per-cell LPs are cheap)
# Deterministic limits (issue 19): a suppression pattern never depends on how fast or how
# loaded the machine is. Integer programs stop after a number of branch-and-bound nodes,
# never after a number of seconds; HiGHS runs single-threaded with a fixed random seed.
MIP_MAX_NODES = 20_000  # an exact bound (engine check, audit): stopped = not proven
WITNESS_MAX_NODES = 200  # a witness search: the best whole-number point found so far
RANDOM_SEED = 0
# Wall-clock safety net only: a solve that reaches it raises SolverTimeout (never a silently
# different pattern); no solve of the sample or of the benchmarks comes near it.
SAFETY_SECONDS = 900.0


class SolverTimeout(RuntimeError):
    """A HiGHS solve hit the wall-clock safety net (``SAFETY_SECONDS``)."""


@dataclass(frozen=True)
class Bound:
    value: float  # optimum (inf / -inf when unbounded); nan when not solved
    integral: bool  # the optimal solution found is integral (so the bound is an integer bound)
    proven: bool  # solved to optimality (or proven unbounded)


class PersistentModel:
    def __init__(
        self,
        n_cols: int,
        row_ptr: np.ndarray,
        row_idx: np.ndarray,
        row_lower: np.ndarray,
        row_upper: np.ndarray,
        col_upper: np.ndarray | None = None,
        max_nodes: int = MIP_MAX_NODES,
    ) -> None:
        self.n_cols = n_cols
        self.row_ptr = np.asarray(row_ptr, dtype=np.int64)
        self.row_idx = np.asarray(row_idx, dtype=np.int64)
        self.row_lower = np.asarray(row_lower, dtype=float).copy()
        self.row_upper = np.asarray(row_upper, dtype=float).copy()
        self.col_upper = (
            np.full(n_cols, INF) if col_upper is None else np.asarray(col_upper, dtype=float)
        )
        self.col_lower = np.zeros(n_cols)  # see set_col_bounds
        self.solution: np.ndarray | None = None  # columns of the last optimal solution
        self.col_dual: np.ndarray | None = None  # reduced costs of the last LP optimum
        self.h = quiet_highs()
        # Only the objective changes between queries: the previous basis stays primal
        # feasible, so the primal simplex from it is ~10x fewer iterations than dual simplex.
        self.h.setOptionValue("simplex_strategy", 4)
        self.h.setOptionValue("presolve", "off")
        self.h.setOptionValue("mip_max_nodes", int(max_nodes))
        lp = highspy.HighsLp()
        lp.num_col_ = n_cols
        lp.num_row_ = int(row_ptr.size - 1)
        lp.col_cost_ = np.zeros(n_cols)
        lp.col_lower_ = np.zeros(n_cols)
        lp.col_upper_ = (
            np.full(n_cols, highspy.kHighsInf)
            if col_upper is None
            else np.asarray(col_upper, dtype=float)
        )
        lp.row_lower_ = np.where(np.isinf(row_lower), -highspy.kHighsInf, row_lower).astype(float)
        lp.row_upper_ = np.where(np.isinf(row_upper), highspy.kHighsInf, row_upper).astype(float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = n_cols
        lp.a_matrix_.num_row_ = lp.num_row_
        lp.a_matrix_.start_ = row_ptr.astype(np.int32)
        lp.a_matrix_.index_ = row_idx.astype(np.int32)
        lp.a_matrix_.value_ = np.ones(row_idx.size)
        self.h.passModel(lp)
        self._cost_cols = np.zeros(0, dtype=np.int32)
        self._integer = False
        self._lp_basis: highspy.HighsBasis | None = None
        self._solves, self._iterations = 0, 0

    def iterations_per_solve(self) -> float:
        """Mean simplex iterations of the solves so far (a deterministic measure of work;
        50 before the first)."""
        return self._iterations / self._solves if self._solves else 50.0

    def set_row(self, row: int, lower: float, upper: float) -> None:
        self.row_lower[row], self.row_upper[row] = lower, upper
        lo = -highspy.kHighsInf if math.isinf(lower) else lower
        hi = highspy.kHighsInf if math.isinf(upper) else upper
        self.h.changeRowBounds(int(row), float(lo), float(hi))

    def set_col_bounds(self, cols: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Bounds of some unknowns (a cell with one unknown is a bound, not a row)."""
        cols = np.asarray(cols, dtype=np.int32)
        if cols.size == 0:
            return
        lower, upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
        self.col_lower[cols], self.col_upper[cols] = lower, upper
        self.h.changeColsBounds(cols.size, cols, lower, _highs_inf(upper))

    def set_integer(self, integer: bool) -> None:
        if integer == self._integer or self.n_cols == 0:
            return
        # Integer programs stop after ``max_nodes`` nodes; a stopped one reports its proven bound.
        # An integer solve discards the LP basis: keep it, and give it back afterwards so the
        # next LP starts warm instead of from scratch. Integer programs get HiGHS's presolve
        # (LP re-solves from a basis do better without it).
        if integer:
            self._lp_basis = self.h.getBasis()
        kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
        cols = np.arange(self.n_cols, dtype=np.int32)
        self.h.changeColsIntegrality(
            self.n_cols, cols, np.full(self.n_cols, int(kind.value), dtype=np.uint8)
        )
        self.h.setOptionValue("presolve", "choose" if integer else "off")
        if not integer and self._lp_basis is not None and self._lp_basis.valid:
            self.h.setBasis(self._lp_basis)
        self._integer = integer

    def optimise(self, cols: np.ndarray, maximise: bool) -> tuple[Bound, np.ndarray | None]:
        """Minimum or maximum of the sum of ``cols``; also the row duals (LP only)."""
        if cols.size == 0:
            return Bound(0.0, True, True), None
        if self._cost_cols.size:
            self.h.changeColsCost(
                self._cost_cols.size, self._cost_cols, np.zeros(self._cost_cols.size)
            )
        cols = cols.astype(np.int32)
        sign = -1.0 if maximise else 1.0
        self.h.changeColsCost(cols.size, cols, np.full(cols.size, sign))
        self._cost_cols = cols
        self.solution = None
        run(self.h)
        self._solves += 1
        self._iterations += int(self.h.getInfo().simplex_iteration_count)
        status = self.h.getModelStatus()
        S = highspy.HighsModelStatus
        if status == S.kUnbounded or (status == S.kUnboundedOrInfeasible and maximise):
            return Bound(INF if maximise else -INF, False, True), None
        if status != S.kOptimal:
            if self._integer and self.h.getInfo().primal_solution_status == 2:
                self.solution = np.asarray(self.h.getSolution().col_value)
            if self._integer:
                info = self.h.getInfo()
                # Best proven bound of a stopped integer program (conservative side).
                dual = sign * info.mip_dual_bound
                return Bound(dual, False, False), None
            return Bound(math.nan, False, False), None
        sol = self.h.getSolution()
        values = np.asarray(sol.col_value)
        self.solution = values
        integral = bool(np.all(np.abs(values - np.round(values)) <= TOL))
        value = sign * self.h.getInfo().objective_function_value
        duals = None if self._integer else np.asarray(sol.row_dual)
        self.col_dual = None if self._integer else np.asarray(sol.col_dual)
        return Bound(value, integral or self._integer, True), duals

    def reaches(self, cols: np.ndarray, maximise: bool, target: int) -> bool | None:
        """Can a whole-number point of the model bring the sum of ``cols`` to ``target`` (at
        least ``target`` when ``maximise``, at most it otherwise)? An integer program that
        stops at the first such point (HiGHS ``objective_target``) and prunes every node whose
        LP bound cannot reach it (``objective_bound``), instead of proving the optimum.
        True: ``self.solution`` holds such a point; False: proven impossible; None: stopped at
        the node limit. Node counts only: the answer never depends on the clock."""
        if cols.size == 0:
            return (target <= 0) if maximise else (target >= 0)
        sign = -1.0 if maximise else 1.0
        # minimise sign * sum: a point reaches the target iff its objective < sign*target + 1/2
        cut = sign * target + 0.5
        self.h.setOptionValue("objective_target", cut)
        self.h.setOptionValue("objective_bound", cut)
        was_integer = self._integer
        self.set_integer(True)
        try:
            self.optimise(cols, maximise)
            status = self.h.getModelStatus()
            info = self.h.getInfo()
        finally:
            self.h.setOptionValue("objective_target", -highspy.kHighsInf)
            self.h.setOptionValue("objective_bound", highspy.kHighsInf)
            self.set_integer(was_integer)
        S = highspy.HighsModelStatus
        if info.primal_solution_status == 2 and self.solution is not None:
            total = float(np.asarray(self.solution)[cols.astype(np.int64)].sum())
            if (total >= target - TOL) if maximise else (total <= target + TOL):
                return True
        if status in (S.kInfeasible, S.kObjectiveBound):
            return False  # every node pruned: no such point
        if status == S.kOptimal and info.mip_dual_bound > sign * target + TOL:
            return False  # the proven bound excludes the target (not only the relative gap)
        return None

    def reaches_near(self, cols: np.ndarray, maximise: bool, target: int, known: np.ndarray,
                     relaxed: np.ndarray) -> np.ndarray | None:
        """A quick try at :meth:`reaches`: the integer program with every unknown fixed at the
        whole-number point ``known`` where the LP point ``relaxed`` agrees with it (the idea
        of RINS), a much smaller program. The point found (exactly checked against the
        unrestricted model), or ``None``: then nothing is known, ask :meth:`reaches`."""
        agree = np.flatnonzero(np.abs(relaxed - known) <= TOL)
        lower, upper = self.col_lower[agree].copy(), self.col_upper[agree].copy()
        self.set_col_bounds(agree, known[agree], known[agree])
        try:
            answer = self.reaches(cols, maximise, target)
            solution = self.solution
        finally:
            self.set_col_bounds(agree, lower, upper)
        point = self.integer_point(solution) if answer else None
        if point is None:
            return None
        total = int(point[np.asarray(cols, dtype=np.int64)].sum())
        return point if ((total >= target) if maximise else (total <= target)) else None

    def integer_point(self, values: np.ndarray | None) -> np.ndarray | None:
        """``values`` rounded, if that is a whole-number point of the model (checked exactly in
        integer arithmetic: bounds and every row), else ``None``. Such a point is a witness:
        every sum of unknowns it attains is attainable by the reader's whole-number tables."""
        if values is None or values.size != self.n_cols:
            return None
        x = np.round(values)
        if (np.abs(values - x).max(initial=0.0) > TOL or (x < self.col_lower - TOL).any()
                or (x > self.col_upper + TOL).any()):
            return None
        xi = x.astype(np.int64)
        act = np.zeros(self.row_ptr.size - 1, dtype=np.int64)
        nz = np.diff(self.row_ptr) > 0
        if self.row_idx.size:
            act[nz] = np.add.reduceat(xi[self.row_idx], self.row_ptr[:-1][nz])
        if (act < self.row_lower - TOL).any() or (act > self.row_upper + TOL).any():
            return None
        return xi

    def search_witness(
        self, target_ptr: np.ndarray, target_idx: np.ndarray, need: np.ndarray,
        max_nodes: int = WITNESS_MAX_NODES,
    ) -> tuple[np.ndarray | None, int]:
        """One whole-number point of the model that brings as many target sums as possible up
        to their ``need`` (maximise the sum of min(target, need), an integer program stopped
        after ``max_nodes`` nodes). Returns the point (exactly checked) or ``None``, and the
        simplex iterations the search took."""
        n, q = self.n_cols, int(target_ptr.size - 1)
        if q == 0 or n == 0:
            return None, 0
        h = quiet_highs()
        h.setOptionValue("mip_max_nodes", int(max_nodes))
        h.setOptionValue("mip_rel_gap", 0.0)
        lp = highspy.HighsLp()
        lp.num_col_ = n + q
        lp.num_row_ = int(self.row_ptr.size - 1) + q
        lp.col_cost_ = np.concatenate([np.zeros(n), -np.ones(q)])
        lp.col_lower_ = np.concatenate([self.col_lower, np.zeros(q)])
        lp.col_upper_ = np.concatenate([_highs_inf(self.col_upper), need.astype(float)])
        lens = np.diff(target_ptr)
        t_rows_idx = np.empty(target_idx.size + q, dtype=np.int64)
        t_rows_val = np.empty(target_idx.size + q)
        starts = target_ptr[:-1] + np.arange(q)
        pos = np.arange(target_idx.size) + np.repeat(np.arange(q), lens) + 1
        t_rows_idx[starts] = n + np.arange(q)
        t_rows_val[starts] = 1.0
        t_rows_idx[pos] = target_idx
        t_rows_val[pos] = -1.0
        lp.row_lower_ = np.concatenate([_highs_inf(self.row_lower), np.full(q, -highspy.kHighsInf)])
        lp.row_upper_ = np.concatenate([_highs_inf(self.row_upper), np.zeros(q)])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = n + q
        lp.a_matrix_.num_row_ = lp.num_row_
        lp.a_matrix_.start_ = np.concatenate(
            [self.row_ptr[:-1], self.row_idx.size + starts, [self.row_idx.size + t_rows_idx.size]]
        ).astype(np.int32)
        lp.a_matrix_.index_ = np.concatenate([self.row_idx, t_rows_idx]).astype(np.int32)
        lp.a_matrix_.value_ = np.concatenate([np.ones(self.row_idx.size), t_rows_val])
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n + [
            highspy.HighsVarType.kContinuous
        ] * q
        h.passModel(lp)
        run(h)
        info = h.getInfo()
        if info.primal_solution_status != 2:  # no feasible point found
            return None, int(info.simplex_iteration_count)
        point = self.integer_point(np.asarray(h.getSolution().col_value)[:n])
        return point, int(info.simplex_iteration_count)


class _PointRing:
    """Points (one per row) kept in a ring buffer of at most ``size`` rows, grown by doubling:
    a new point replaces the oldest once the buffer is full."""

    def __init__(self, n_cols: int, size: int, dtype: type) -> None:
        self._store = np.zeros((0, n_cols), dtype=dtype)
        self._filled, self._next = 0, 0
        self.size = size

    @property
    def points(self) -> np.ndarray:
        """The points kept (at most ``size``)."""
        return self._store[: self._filled]

    def add(self, point: np.ndarray | None) -> None:
        if point is None:
            return
        if self._filled == self._store.shape[0] < self.size:  # grow by doubling, in place after
            grown = np.zeros((min(self.size, max(8, 2 * self._filled)), point.size),
                             self._store.dtype)
            grown[: self._filled] = self._store[: self._filled]
            self._store = grown
        self._store[self._next] = point
        self._filled = min(self._filled + 1, self.size)
        self._next = (self._next + 1) % self.size


class WitnessPool(_PointRing):
    """Whole-number points of the reader's model (each checked exactly when it was found).

    Hiding more cells only removes equalities (a hidden cell keeps the policy's lower bound,
    which its published value met), so a witness stays a point of the model as the pattern
    grows. ``reaches(cols, need)``: some witness gives the sum of ``cols`` at least ``need``,
    a proof that the reader's whole-number maximum of that sum is at least ``need``."""

    def __init__(self, n_cols: int, size: int = 64) -> None:
        super().__init__(n_cols, size, np.int64)

    def reaches(self, cols: np.ndarray, need: float) -> bool:
        return self.best(cols) >= need

    def best(self, cols: np.ndarray) -> int:
        """The largest sum of ``cols`` over the witnesses (0 without witnesses)."""
        if not self.points.shape[0] or cols.size == 0:
            return 0
        return int(self.points[:, cols].sum(axis=1).max())


class RelaxedPool(_PointRing):
    """Points of the reader's LP relaxation (optimal LP points, whole or not).

    Like a witness (see :class:`WitnessPool`), such a point stays a point of the relaxation
    while the pattern grows (hiding a cell only relaxes rows and bounds). ``reaches(cols,
    need)``: some point gives the sum of ``cols`` at least ``need`` (within ``TOL``), a proof
    that the LP maximum of that sum is at least ``need``: that LP need not be solved. Points
    are kept in a ring buffer of at most ``size`` rows and ``MAX_ELEMENTS`` numbers."""

    MAX_ELEMENTS = 4_000_000  # 32 MB of float64

    def __init__(self, n_cols: int, size: int = 1024) -> None:
        super().__init__(n_cols, max(1, min(size, self.MAX_ELEMENTS // max(n_cols, 1))), float)

    def add(self, point: np.ndarray | None) -> None:
        if point is not None and point.size == self._store.shape[1]:
            super().add(point)

    def reaches(self, cols: np.ndarray, need: float) -> bool:
        if not self._filled or cols.size == 0:
            return False
        return bool(self.points[:, cols].sum(axis=1).max() >= need - TOL)


def search_witnesses(
    model: PersistentModel,
    pool: WitnessPool,
    ptr: np.ndarray,
    idx: np.ndarray,
    need: np.ndarray,
    max_nodes: int = WITNESS_MAX_NODES,
    rounds: int = 4,
) -> tuple[np.ndarray, int]:
    """Witness searches for the target sums (CSR ``ptr``/``idx`` over the model's columns):
    each search covers the targets no witness reaches yet; repeated while a search settles
    at least a tenth of them. Returns which targets some witness of ``pool`` reaches, and
    the simplex iterations the searches took."""
    lens = np.diff(ptr)
    work = 0
    todo = np.ones(lens.size, dtype=bool)
    for attempt in range(rounds + 1):
        if pool.points.shape[0] and lens.size:
            nonempty = lens > 0
            best = np.zeros(lens.size, dtype=np.int64)
            sums = np.add.reduceat(pool.points[:, idx], ptr[:-1][nonempty], axis=1)
            best[nonempty] = sums.max(axis=0)
            todo &= best < need
        if attempt == rounds or todo.sum() < MIN_BATCH:
            break
        sel = np.flatnonzero(todo)
        sub_ptr = np.concatenate([[0], np.cumsum(lens[sel])]).astype(np.int64)
        sub_idx = gather(idx, ptr[sel], lens[sel])
        point, iterations = model.search_witness(sub_ptr, sub_idx, need[sel], max_nodes)
        work += iterations
        if point is None:
            break
        pool.add(point)
        if (np.add.reduceat(point[sub_idx], sub_ptr[:-1]) >= need[sel]).sum() < sel.size / 10:
            break
    return ~todo, work


def gather(values: np.ndarray, starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Concatenation of ``values[s : s + n]`` for every (s, n), without a Python loop."""
    total = int(lens.sum())
    offsets = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
    return values[np.repeat(starts, lens) + offsets]


def _highs_inf(values: np.ndarray) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    inf = highspy.kHighsInf
    return np.where(np.isposinf(v), inf, np.where(np.isneginf(v), -inf, v))


_BANNER_SHOWN = False


def quiet_highs() -> highspy.Highs:
    """A silent, deterministic Highs instance (one thread, fixed random seed, the wall-clock
    safety net of :func:`run`); its one-time copyright banner goes to /dev/null."""
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        return _deterministic(highspy.Highs())
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _BANNER_SHOWN = True
    return _deterministic(h)


def _deterministic(h: highspy.Highs) -> highspy.Highs:
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", RANDOM_SEED)
    h.setOptionValue("time_limit", SAFETY_SECONDS)
    return h


def run(h: highspy.Highs) -> None:
    """``h.run()``; raises :class:`SolverTimeout` if the solve hit the wall-clock safety net
    (a result cut short by the clock would depend on the machine's load)."""
    h.run()
    if h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit:
        raise SolverTimeout(
            f"HiGHS solve stopped by the {SAFETY_SECONDS:g} s safety net / resolução HiGHS "
            f"interrompida pelo limite de segurança de {SAFETY_SECONDS:g} s")
