"""Whole-number tables of the reader's model close to the true table (audit witnesses).

The true table is itself a whole-number table of the reader's model. To show that a hidden
cell can reach ``need`` the audit wants *some* such table where the cell's sum does; the LP
maximum's optimal point is a poor start (on the 4-D benchmark table it differs from the true
table in ~540 of 902 unknowns, ~250 of them fractional, and is almost never whole). The
smallest change of the true table that lifts the cell (minimise the sum of ``|x - truth|``
subject to the reader's rows and ``sum(cell) >= need``) touches a few dozen unknowns and its
optimal vertex is a whole-number table more than half of the time; a few re-solves with
perturbed weights find whole vertices for some of the others; an integer program over the same
small-change model (stopped at its first solution) is the last cheap try.

Every point returned is checked exactly in integer arithmetic against the reader's model
(``ShiftedModel.integer_point``) and must bring the cell's sum to ``need``: correctness never
rests on the LP, the perturbation or the true table.
"""

from __future__ import annotations

import highspy
import numpy as np

from indicators.disclosure.audit_model import ShiftedModel
from indicators.disclosure.local_model import LocalModels
from indicators.disclosure.lp import (
    RANDOM_SEED,
    TOL,
    WITNESS_MAX_NODES,
    _highs_inf,
    quiet_highs,
    run,
)

PERTURBED_TRIES = 3  # re-solves with random weights when the least-change vertex is fractional
# (before the small integer programs: 3 tries 86-97 CPU s on 4-D, 8 tries 65 s; with them, on
# one stored pattern: 8 tries 4-D 62.1, 10^5 116.3 CPU s; 3 tries 55.6 and 101.2)


class NearestTables:
    """A persistent LP over changes ``x = truth + up - down`` of the reader's unknowns
    (shifted, as in the inner model), minimising ``sum(up + down)``; one extra row, the
    target cell's sum, is replaced per query."""

    def __init__(self, model: ShiftedModel, truth: np.ndarray,
                 groups: np.ndarray | None = None) -> None:
        inner = model.inner
        self.model = model
        self.n = n = model.n_cols
        self.base = (truth - model.shift).astype(float)  # the true table, shifted unknowns
        ptr, idx = inner.row_ptr, inner.row_idx
        n_rows = ptr.size - 1
        act = np.zeros(n_rows)
        nonempty = np.diff(ptr) > 0
        if idx.size:
            act[nonempty] = np.add.reduceat(self.base[idx], ptr[:-1][nonempty])
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = 2 * n, n_rows
        lp.col_cost_ = np.ones(2 * n)
        lp.col_lower_ = np.zeros(2 * n)
        lp.col_upper_ = np.concatenate([_highs_inf(inner.col_upper - self.base),
                                        self.base - inner.col_lower])
        lp.row_lower_ = _highs_inf(inner.row_lower - act)
        lp.row_upper_ = _highs_inf(inner.row_upper - act)
        lens = np.diff(ptr)
        owner = np.repeat(np.arange(n_rows), lens)
        # Row r holds its unknowns twice: +1 on ``up`` (column c), -1 on ``down`` (n + c).
        order = np.argsort(np.concatenate([owner, owner]), kind="stable")
        cols = np.concatenate([idx, idx + n])[order]
        vals = np.concatenate([np.ones(idx.size), -np.ones(idx.size)])[order]
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = 2 * n, n_rows
        lp.a_matrix_.start_ = (2 * ptr).astype(np.int32)
        lp.a_matrix_.index_ = cols.astype(np.int32)
        lp.a_matrix_.value_ = vals
        self.h = quiet_highs()
        self.h.setOptionValue("presolve", "off")
        self.h.passModel(lp)
        self.target_row = n_rows
        self.h.addRow(-highspy.kHighsInf, highspy.kHighsInf, 0, np.zeros(0, np.int32),
                      np.zeros(0))
        self._rng = np.random.default_rng(RANDOM_SEED)
        self._target = np.zeros(0, dtype=np.int64)
        self.local = LocalModels(ptr, idx, inner.row_lower, inner.row_upper, inner.col_lower,
                                 inner.col_upper, self.base, groups)
        self.lp_solves = 0
        self.ip_solves = 0
        self.local_solves = 0
        self.local_tables = 0

    @classmethod
    def checked(cls, model: ShiftedModel, truth: np.ndarray | None,
                groups: np.ndarray | None = None) -> NearestTables | None:
        """The lifter, if ``truth`` is a whole-number table of the model (else ``None``);
        ``groups``: each unknown's sub-table in every dimension (:class:`LocalModels`)."""
        if truth is None or truth.size != model.n_cols or (truth < 0).any():
            return None
        if model.integer_point((truth - model.shift).astype(float)) is None:
            return None
        return cls(model, truth, groups)

    def lift(self, cols: np.ndarray, need: int, integer: bool = False) -> np.ndarray | None:
        """A checked whole-number table of the reader's model where the sum of ``cols`` is at
        least ``need`` (reader values), or ``None`` if these cheap tries find none. With
        ``integer``, also the small-change integer program (stopped at its first table)."""
        cols = np.asarray(cols, dtype=np.int64)
        if cols.size == 0:
            return None
        self._set_target(cols, need)
        touched = np.zeros(self.n, dtype=bool)
        touched[cols] = True
        point = self._solve_lp(cols, need, touched)
        for _ in range(PERTURBED_TRIES if point is None else 0):
            self._set_costs(1.0 + self._rng.random(2 * self.n))
            point = self._solve_lp(cols, need, touched)
            if point is not None:
                break
        self._set_costs(np.ones(2 * self.n))
        if point is None:  # a small integer program: the finest sub-table + what LPs changed
            point = self._local_ip(cols, need, touched, sub_table=True)
        if point is None and integer:  # first over the unknowns the LPs changed only
            point = self._local_ip(cols, need, touched, sub_table=False)
        if point is None and integer:
            point = self._solve_ip(cols, need, np.zeros(0, dtype=np.int64))
        return point

    def _local_ip(self, cols: np.ndarray, need: int, touched: np.ndarray,
                  sub_table: bool) -> np.ndarray | None:
        """An integer program (no objective, stopped at its first table) over the unknowns
        the LPs changed (``touched``) and, with ``sub_table``, those of the cell's finest
        sub-table, as a small model (:class:`LocalModels`; ``None`` if that set is too large
        or finds no table). The point, completed with the true table, is checked exactly."""
        free = self.local.neighbourhood(cols, touched, sub_table)
        if free is None:  # too many for a small model: the whole one, the others frozen
            return None if sub_table else self._solve_ip(cols, need, np.flatnonzero(~touched))
        gap = self._gap(cols, need)
        # No objective: any whole-number point of the small model will do (it is checked
        # below), and HiGHS reaches a first feasible point sooner without one (80 programs
        # of the 10^5 audit: 7.4 -> 4.5-5.0 CPU s, the same 64 found).
        delta = self.local.least_change(free, cols, gap, costs=np.zeros(2 * free.size),
                                        integer=True)
        self.local_solves += 1
        point = None if delta is None else self._checked(self.base + delta, cols, need)
        self.local_tables += point is not None
        return point

    def _checked(self, values: np.ndarray, cols: np.ndarray, need: int) -> np.ndarray | None:
        """``values`` (shifted unknowns) as a checked table of the reader reaching ``need``."""
        point = self.model.integer_point(values)
        if point is None or int(point[cols].sum()) < need:
            return None
        return point

    def _gap(self, cols: np.ndarray, need: int) -> float:
        """How much the change over ``cols`` must add to lift the cell from its true sum to
        ``need`` (reader values; the unknowns are shifted)."""
        return float(need) - float(self.model.shift[cols].sum()) - float(self.base[cols].sum())

    def _set_target(self, cols: np.ndarray, need: int) -> None:
        """The target row: ``sum(up - down)`` over ``cols`` at least what lifts the cell to
        ``need`` (coefficients changed in place: the basis stays warm)."""
        gap = self._gap(cols, need)
        h, t, n = self.h, self.target_row, self.n
        for col in np.setdiff1d(self._target, cols).tolist():
            h.changeCoeff(t, col, 0.0)
            h.changeCoeff(t, col + n, 0.0)
        for col in np.setdiff1d(cols, self._target).tolist():
            h.changeCoeff(t, col, 1.0)
            h.changeCoeff(t, col + n, -1.0)
        self._target = cols
        h.changeRowBounds(t, gap, highspy.kHighsInf)

    def _set_costs(self, costs: np.ndarray) -> None:
        self.h.changeColsCost(2 * self.n, np.arange(2 * self.n, dtype=np.int32), costs)

    def _point(self, cols: np.ndarray, need: int) -> np.ndarray | None:
        """The solver's current point as a checked table of the reader reaching ``need``."""
        if self.h.getInfo().primal_solution_status != 2:
            return None
        sol = np.asarray(self.h.getSolution().col_value)
        if sol.size != 2 * self.n:
            return None
        return self._checked(self.base + sol[: self.n] - sol[self.n :], cols, need)

    def _solve_lp(self, cols: np.ndarray, need: int, touched: np.ndarray) -> np.ndarray | None:
        """Solve the LP; mark the unknowns its optimal point changes in ``touched``."""
        run(self.h)
        self.lp_solves += 1
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        sol = np.asarray(self.h.getSolution().col_value)
        touched |= np.abs(sol[: self.n] - sol[self.n :]) > TOL
        return self._point(cols, need)

    def _solve_ip(self, cols: np.ndarray, need: int, frozen: np.ndarray) -> np.ndarray | None:
        """The integer program over the least-change model (its objective set to zero: a
        feasibility program), stopped at its first table, with the unknowns ``frozen`` held at
        their true values."""
        h, n2 = self.h, 2 * self.n
        every = np.arange(n2, dtype=np.int32)
        both = np.concatenate([frozen, frozen + self.n]).astype(np.int32)
        upper = np.asarray(h.getLp().col_upper_)[both] if both.size else np.zeros(0)
        h.changeColsBounds(both.size, both, np.zeros(both.size), np.zeros(both.size))
        h.changeColsIntegrality(n2, every, np.ones(n2, dtype=np.uint8))
        h.setOptionValue("presolve", "choose")
        h.setOptionValue("mip_max_improving_sols", 1)
        h.setOptionValue("mip_max_nodes", WITNESS_MAX_NODES)
        self._set_costs(np.zeros(n2))  # a feasibility program: see _local_ip
        try:
            run(h)
            self.ip_solves += 1
            return self._point(cols, need)
        finally:
            self._set_costs(np.ones(n2))
            h.changeColsIntegrality(n2, every, np.zeros(n2, dtype=np.uint8))
            h.changeColsBounds(both.size, both, np.zeros(both.size), upper)
            h.setOptionValue("presolve", "off")
