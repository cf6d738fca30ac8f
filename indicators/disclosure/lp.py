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
        time_limit: float = 60.0,
    ) -> None:
        self.n_cols = n_cols
        self.h = _quiet_highs()
        self.h.setOptionValue("output_flag", False)
        # Only the objective changes between queries: the previous basis stays primal
        # feasible, so the primal simplex from it is ~10x fewer iterations than dual simplex.
        self.h.setOptionValue("simplex_strategy", 4)
        self.h.setOptionValue("presolve", "off")
        self.time_limit = float(time_limit)
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

    def set_row(self, row: int, lower: float, upper: float) -> None:
        lo = -highspy.kHighsInf if math.isinf(lower) else lower
        hi = highspy.kHighsInf if math.isinf(upper) else upper
        self.h.changeRowBounds(int(row), float(lo), float(hi))

    def set_integer(self, integer: bool) -> None:
        if integer == self._integer or self.n_cols == 0:
            return
        # Integer programs get a time limit per solve; a stopped one reports its proven bound.
        self.h.setOptionValue("time_limit", self.time_limit if integer else highspy.kHighsInf)
        kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
        cols = np.arange(self.n_cols, dtype=np.int32)
        self.h.changeColsIntegrality(
            self.n_cols, cols, np.full(self.n_cols, int(kind.value), dtype=np.uint8)
        )
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
        self.h.run()
        status = self.h.getModelStatus()
        S = highspy.HighsModelStatus
        if status == S.kUnbounded or (status == S.kUnboundedOrInfeasible and maximise):
            return Bound(INF if maximise else -INF, False, True), None
        if status != S.kOptimal:
            if self._integer:
                info = self.h.getInfo()
                # Best proven bound of a stopped integer program (conservative side).
                dual = sign * info.mip_dual_bound
                return Bound(dual, False, False), None
            return Bound(math.nan, False, False), None
        sol = self.h.getSolution()
        values = np.asarray(sol.col_value)
        integral = bool(np.all(np.abs(values - np.round(values)) <= TOL))
        value = sign * self.h.getInfo().objective_function_value
        duals = None if self._integer else np.asarray(sol.row_dual)
        return Bound(value, integral or self._integer, True), duals


_BANNER_SHOWN = False


def _quiet_highs() -> highspy.Highs:
    """A Highs instance; its one-time copyright banner goes to /dev/null, not to our stdout."""
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        return highspy.Highs()
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
    return h
