"""LP points kept by the engine (``lp.RelaxedPool``) settle a cell only when its LP maximum
reaches the need, also after more cells are hidden (hiding only relaxes the reader's model)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.disclosure import Policy, lp, protect
from indicators.disclosure.primary import primary_suppression
from indicators.disclosure.secondary import Engine
from indicators.disclosure.tables import build_full_table

from .helpers import brute_force_intervals
from .test_screening import _table_3x3x3, patterns


def _hidden(table, cells, dims) -> np.ndarray:
    status = dict(zip(cells.select(*dims).rows(), cells["status"], strict=True))
    return np.array([status[key] != "published" for key in table.code_frame().rows()])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patterns(), st.randoms(use_true_random=False))
def test_pooled_lp_points_settle_only_cells_the_reader_cannot_confine(case, rnd):
    # LP points found before some cells are hidden; a cell whose sum reaches its need at one
    # of them has, in the final model, an LP maximum and a brute-force maximum >= the need.
    inner, hierarchies, pattern, policy = case
    truth = brute_force_intervals(inner, hierarchies, pattern, policy.zeros_publishable)
    table = build_full_table(inner, hierarchies)
    keys = table.code_frame().rows()
    hidden = _hidden(table, pattern, ("r", "c"))
    confidential = primary_suppression(table, policy)
    later = [int(x) for x in np.flatnonzero(hidden & ~confidential) if rnd.random() < 0.7]
    start = hidden.copy()
    start[later] = False
    engine = Engine(table, policy)
    engine.build_model(start)
    pool = lp.RelaxedPool(engine.model.n_cols)
    cells = np.flatnonzero(confidential & (engine.group >= 0))
    for p in cells:
        for maximise in (True, False):
            engine.model.optimise(engine.cols[engine.cols_ptr[p] : engine.cols_ptr[p + 1]],
                                  maximise)
            pool.add(engine.model.solution)
    for x in later:
        engine.hide(x, start)
    for p in cells:
        cols = engine.cols[engine.cols_ptr[p] : engine.cols_ptr[p + 1]]
        need = max(policy.threshold, int(table.counts[p]) + 1)
        if pool.reaches(cols, need):
            bound, _ = engine.model.optimise(cols, maximise=True)
            assert bound.value >= need - lp.TOL, keys[p]
            assert truth[keys[p]][1] >= need, (keys[p], truth[keys[p]])


def test_a_pooled_point_spares_the_lp_of_a_later_cell():
    # The 3x3x3 table and its protected pattern: once every confidential cell was checked,
    # a second check of a cell the pool reaches solves no LP and agrees with its LP maximum.
    dims, hierarchies, inner = _table_3x3x3()
    cells = protect(inner, hierarchies, run_audit=False).cells
    table = build_full_table(inner, hierarchies)
    engine = Engine(table, Policy())
    engine.build_model(_hidden(table, cells, dims))
    confidential = np.flatnonzero(primary_suppression(table, Policy()) & (engine.group >= 0))
    for p in confidential:
        engine.check(int(p))
    engine.passed.clear()
    engine.witnesses = lp.WitnessPool(engine.model.n_cols)  # only the LP points are left
    settled = 0
    for p in confidential:
        cols = engine.cols[engine.cols_ptr[p] : engine.cols_ptr[p + 1]]
        need = max(5, int(table.counts[p]) + 1)
        if not engine.relaxed.reaches(cols, need):
            continue
        solves = engine.model._solves
        assert engine.check(int(p)) == (True, [])
        assert engine.model._solves == solves  # no LP
        bound, _ = engine.model.optimise(cols, maximise=True)
        assert bound.value >= need - lp.TOL
        settled += 1
    assert settled > 0  # the case this test is about


def test_the_pool_keeps_the_newest_points_up_to_its_size():
    pool = lp.RelaxedPool(2, size=2)
    for point in ([5.0, 0.0], [0.0, 1.0], [0.0, 2.0]):
        pool.add(np.array(point))
    cols = np.array([0])
    assert not pool.reaches(cols, 1.0)  # [5, 0] was replaced
    assert pool.reaches(np.array([1]), 2.0) and not pool.reaches(np.array([1]), 2.5)
