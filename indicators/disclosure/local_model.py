"""Least changes of a known whole-number point over a few unknowns only (local models).

Hold every unknown outside a set ``F`` at its value in a point ``base`` that satisfies every
row. A row over no unknown of ``F`` then keeps its value; any other row becomes a row over
``F`` alone whose bounds are the old ones minus the held part. So any point of that small
model, completed with ``base`` outside ``F``, satisfies the whole model: a least-change
integer program over tens to a few hundred unknowns stands in for one over the whole model
(4-D benchmark audit: ~0.1 s on average over 100-400 unknowns; the whole model's integer
programs, ~1 s each, fell from 60 to 8).

Measured on the engine's patterns (issue 14, third pass): the least changes of the true
table reach across the whole table (every dimension up to its total), so the cell's finest
sub-table alone (HiTaS: the unknowns whose code in every dimension is under the same parent
as the cell's) rarely holds one; ``F`` is that sub-table *plus* the unknowns the whole
model's least-change LPs changed.

This module knows nothing about the audit: it takes the model as CSR rows and returns changes
(``delta``, a float vector over every unknown). The caller checks the completed point exactly
against the whole model before trusting it (``ShiftedModel.integer_point``).
"""

from __future__ import annotations

import highspy
import numpy as np

from indicators.disclosure.lp import WITNESS_MAX_NODES, _highs_inf, gather, quiet_highs, run

MAX_FREE = 450  # a neighbourhood larger than this is not tried (the whole model is next)


class LocalModels:
    """Small least-change models of ``base`` (a point satisfying every row) over a few
    unknowns, the others held at ``base``. Rows: CSR (``row_ptr``, ``row_idx``), every
    coefficient 1; bounds ``row_lower <= row <= row_upper``, ``col_lower <= x <= col_upper``.
    ``groups``: each unknown's group in every dimension (unknowns x dimensions; e.g. the
    parent of its code there), for :meth:`neighbourhood`'s sub-tables."""

    def __init__(self, row_ptr: np.ndarray, row_idx: np.ndarray, row_lower: np.ndarray,
                 row_upper: np.ndarray, col_lower: np.ndarray, col_upper: np.ndarray,
                 base: np.ndarray, groups: np.ndarray | None = None) -> None:
        self.n = n = int(base.size)
        self.row_ptr, self.row_idx = row_ptr.astype(np.int64), row_idx.astype(np.int64)
        lens = np.diff(self.row_ptr)
        owner = np.repeat(np.arange(lens.size), lens)
        act = np.bincount(owner, weights=base[self.row_idx], minlength=lens.size)
        self.change_lower = row_lower - act  # bounds of each row's change
        self.change_upper = row_upper - act
        self.up_cap = col_upper - base
        self.down_cap = base - col_lower
        order = np.argsort(self.row_idx, kind="stable")  # the rows of each unknown (CSC)
        self.col_rows = owner[order]
        self.col_ptr = np.concatenate(
            [[0], np.cumsum(np.bincount(self.row_idx, minlength=n))]).astype(np.int64)
        self.groups = groups

    def neighbourhood(self, cols: np.ndarray, extra: np.ndarray, sub_table: bool
                      ) -> np.ndarray | None:
        """``cols`` and the unknowns marked in ``extra`` (a mask), with ``sub_table`` also
        those whose group in every dimension is the group of one of ``cols`` there: sorted,
        or ``None`` when above :data:`MAX_FREE` unknowns."""
        inside = extra.copy()
        inside[cols] = True
        if sub_table and self.groups is not None:
            sub = np.ones(self.n, dtype=bool)
            for j in range(self.groups.shape[1]):
                sub &= np.isin(self.groups[:, j], self.groups[cols, j])
            inside |= sub
        free = np.flatnonzero(inside)
        return None if free.size > MAX_FREE else free

    def least_change(self, free: np.ndarray, cols: np.ndarray, gap: float,
                     costs: np.ndarray | None = None, integer: bool = False
                     ) -> np.ndarray | None:
        """The change of ``base`` over ``free`` only (a vector over every unknown) that
        minimises ``costs . |change|`` subject to every row and ``sum(change[cols]) >= gap``,
        or ``None`` if the small model finds none (``integer``: an integer program stopped at
        its first solution). Not checked: the caller checks the completed point exactly."""
        m = free.size
        pos = np.full(self.n, -1, dtype=np.int64)
        pos[free] = np.arange(m)
        starts, ends = self.col_ptr[free], self.col_ptr[free + 1]
        rows = np.unique(gather(self.col_rows, starts, ends - starts))
        lens = self.row_ptr[rows + 1] - self.row_ptr[rows]
        entries = pos[gather(self.row_idx, self.row_ptr[rows], lens)]
        owner = np.repeat(np.arange(rows.size), lens)
        keep = entries >= 0
        entries, owner = entries[keep], owner[keep]
        target = pos[cols]
        target = np.sort(target[target >= 0])
        if target.size == 0:
            return None
        owner = np.concatenate([owner, np.full(target.size, rows.size)])
        entries = np.concatenate([entries, target])
        lower = np.concatenate([self.change_lower[rows], [gap]])
        upper = np.concatenate([self.change_upper[rows], [np.inf]])
        solution = _solve(m, owner, entries, lower, upper, self.up_cap[free],
                          self.down_cap[free], costs, integer)
        if solution is None:
            return None
        delta = np.zeros(self.n)
        delta[free] = solution
        return delta


def _solve(m: int, owner: np.ndarray, entries: np.ndarray, lower: np.ndarray,
           upper: np.ndarray, up_cap: np.ndarray, down_cap: np.ndarray,
           costs: np.ndarray | None, integer: bool) -> np.ndarray | None:
    """``min costs . (up + down)`` over ``change = up - down`` with rows (``owner``,
    ``entries``: coefficient 1 on the change) between ``lower`` and ``upper``."""
    n_rows = lower.size
    # Row r holds each of its unknowns twice: +1 on ``up`` (column c), -1 on ``down`` (m + c).
    both_owner = np.concatenate([owner, owner])
    order = np.argsort(both_owner, kind="stable")
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 2 * m, n_rows
    lp.col_cost_ = np.ones(2 * m) if costs is None else costs
    lp.col_lower_ = np.zeros(2 * m)
    lp.col_upper_ = _highs_inf(np.concatenate([up_cap, down_cap]))
    lp.row_lower_ = _highs_inf(lower)
    lp.row_upper_ = _highs_inf(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = 2 * m, n_rows
    lp.a_matrix_.start_ = np.concatenate(
        [[0], np.cumsum(np.bincount(both_owner, minlength=n_rows))]).astype(np.int32)
    lp.a_matrix_.index_ = np.concatenate([entries, entries + m])[order].astype(np.int32)
    lp.a_matrix_.value_ = np.concatenate([np.ones(entries.size), -np.ones(entries.size)])[order]
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * (2 * m)
    h = quiet_highs()
    if integer:
        h.setOptionValue("mip_max_improving_sols", 1)
        h.setOptionValue("mip_max_nodes", WITNESS_MAX_NODES)
    h.passModel(lp)
    run(h)
    if h.getInfo().primal_solution_status != 2:
        return None
    sol = np.asarray(h.getSolution().col_value)
    return sol[:m] - sol[m:] if sol.size == 2 * m else None
