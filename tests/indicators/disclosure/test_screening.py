"""The shortcuts that skip LPs (witness tables, the LP floor below the need) decide exactly as
a brute-force reader who enumerates every whole-number table consistent with the pattern."""

from __future__ import annotations

import itertools
import math

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indicators.disclosure import Hierarchy, Policy, audit, lp, protect
from indicators.disclosure.primary import primary_suppression
from indicators.disclosure.secondary import Engine
from indicators.disclosure.tables import build_full_table

from .helpers import brute_force_intervals


@st.composite
def patterns(draw):
    """A tiny 2-D table (one dimension maybe grouped), its cells and a random hidden set:
    the small cells plus some others, never the grand total."""
    rows = [f"r{i}" for i in range(draw(st.integers(2, 3)))]
    cols = [f"c{i}" for i in range(2)]
    if len(rows) == 3 and draw(st.booleans()):
        r = Hierarchy("r", {"g1": "_T", "g2": "_T", "r0": "g1", "r1": "g1", "r2": "g2"})
    else:
        r = Hierarchy.flat("r", rows)
    hierarchies = {"r": r, "c": Hierarchy.flat("c", cols)}
    counts = draw(st.lists(st.integers(0, 5), min_size=len(rows) * 2, max_size=len(rows) * 2))
    inner = pl.DataFrame(
        [(a, b, n) for (a, b), n in zip(itertools.product(rows, cols), counts, strict=True)],
        schema=["r", "c", "count"],
        orient="row",
    )
    k = draw(st.integers(3, 4))
    assume(sum(counts) >= k)  # the grand total is published: every inner cell is bounded
    zeros = draw(st.booleans())
    policy = Policy(threshold=k, zeros_publishable=zeros)
    cells = protect(inner, hierarchies, policy=policy, run_audit=False).cells
    keys = cells.select("r", "c").rows()
    small = [(c >= 1) & (c < k) for c in cells["count"]]
    eligible = [
        key != ("_T", "_T") and (c > 0 or not zeros)
        for key, c in zip(keys, cells["count"], strict=True)
    ]
    extra = draw(st.lists(st.booleans(), min_size=len(keys), max_size=len(keys)))
    status = [
        "primary" if s else ("secondary" if e and x else "published")
        for s, e, x in zip(small, eligible, extra, strict=True)
    ]
    return inner, hierarchies, cells.with_columns(pl.Series("status", status)), policy


@pytest.fixture(autouse=True)
def _batch_search_even_for_few_cells(monkeypatch):
    monkeypatch.setattr(lp, "MIN_BATCH", 1)


def _oracle_protected(low: int, high: int, k: int) -> bool:
    return low < high and (low <= 0 or high >= k)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patterns())
def test_witness_audit_gives_the_brute_force_verdict_and_sound_bounds(case):
    inner, hierarchies, pattern, policy = case
    truth = brute_force_intervals(inner, hierarchies, pattern, policy.zeros_publishable)
    report = audit(pattern, hierarchies, None, policy, exact_intervals=False)
    exact = audit(pattern, hierarchies, None, policy)
    for fast_row, exact_row in zip(
        report.intervals.iter_rows(named=True), exact.intervals.iter_rows(named=True), strict=True
    ):
        key = (fast_row["r"], fast_row["c"])
        if fast_row["status"] == "published":
            assert not fast_row["ok"]
            continue
        low, high = truth[key]
        assert fast_row["ok"] == _oracle_protected(low, high, policy.threshold), (key, truth)
        assert (exact_row["int_low"], exact_row["int_high"]) == (low, high), key
        if math.isnan(fast_row["lp_high"]):  # settled by a witness table
            assert max(policy.threshold, fast_row["count"] + 1) <= fast_row["int_high"] <= high


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patterns())
def test_engine_check_decides_like_the_brute_force_reader(case):
    inner, hierarchies, pattern, policy = case
    truth = brute_force_intervals(inner, hierarchies, pattern, policy.zeros_publishable)
    table = build_full_table(inner, hierarchies)
    keys = pl.DataFrame(
        {
            d: np.array(table.codes[d], dtype=object)[table.cell_codes[:, j]].tolist()
            for j, d in enumerate(table.dimensions)
        }
    ).rows()
    status = dict(zip(pattern.select("r", "c").rows(), pattern["status"], strict=True))
    hidden = np.array([status[key] != "published" for key in keys])
    confidential = primary_suppression(table, policy)
    engine = Engine(table, policy)
    engine.build_model(hidden)
    engine.search_witness(np.flatnonzero(confidential))
    for p in np.flatnonzero(confidential & (engine.group >= 0)):
        low, high = truth[keys[p]]
        assert engine.check(int(p))[0] == _oracle_protected(low, high, policy.threshold), (
            keys[p],
            truth[keys[p]],
        )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patterns(), st.randoms(use_true_random=False))
def test_engine_check_after_incremental_hides_decides_like_the_brute_force_reader(case, rnd):
    # The engine's model keeps only binding rows (one-unknown cells as column bounds, hidden
    # cells implied by their unknowns left out) and updates them as cells are hidden: build
    # it from part of the pattern, hide the rest one cell at a time, then compare.
    inner, hierarchies, pattern, policy = case
    truth = brute_force_intervals(inner, hierarchies, pattern, policy.zeros_publishable)
    table = build_full_table(inner, hierarchies)
    keys = table.code_frame().rows()
    status = dict(zip(pattern.select("r", "c").rows(), pattern["status"], strict=True))
    hidden = np.array([status[key] != "published" for key in keys])
    confidential = primary_suppression(table, policy)
    later = [int(x) for x in np.flatnonzero(hidden & ~confidential) if rnd.random() < 0.7]
    start = hidden.copy()
    start[later] = False
    engine = Engine(table, policy)
    engine.build_model(start)
    for x in later:
        engine.hide(x, start)
    assert (start == hidden).all()
    for p in np.flatnonzero(confidential & (engine.group >= 0)):
        low, high = truth[keys[p]]
        assert engine.check(int(p))[0] == _oracle_protected(low, high, policy.threshold), (
            keys[p],
            truth[keys[p]],
        )


def test_a_witness_settles_the_rectangle_with_a_hand_computed_bound():
    # p + x12 = 12, p + x21 = 10, x21 + x22 = 17, hidden cells >= 1: the reader's p is in [1, 9].
    rows, cols = ["r1", "r2", "r3"], ["c1", "c2", "c3"]
    flat = {"r": Hierarchy.flat("r", rows), "c": Hierarchy.flat("c", cols)}
    inner = pl.DataFrame(
        [
            (r, c, v)
            for r, vs in zip(rows, [[2, 10, 12], [8, 9, 11], [7, 13, 6]], strict=True)
            for c, v in zip(cols, vs, strict=True)
        ],
        schema=["r", "c", "count"],
        orient="row",
    )
    hidden = {
        ("r1", "c1"): "primary",
        ("r1", "c2"): "secondary",
        ("r2", "c1"): "secondary",
        ("r2", "c2"): "secondary",
    }
    cells = protect(inner, flat, run_audit=False).cells
    keys = cells.select("r", "c").rows()
    pattern = cells.with_columns(pl.Series("status", [hidden.get(k, "published") for k in keys]))
    row = audit(pattern, flat, None, Policy(), exact_intervals=False).intervals.row(0, named=True)
    assert math.isnan(row["lp_high"])  # settled by a whole-number table, no LP for p
    assert 5 <= row["int_high"] <= 9 and row["ok"]


def _table_3x3x3() -> tuple[tuple[str, ...], dict[str, Hierarchy], pl.DataFrame]:
    """A 3x3x3 table whose protected pattern has a hidden cell with a fractional LP bound."""
    dims = ("a", "b", "c")
    hierarchies = {d: Hierarchy.flat(d, [f"{d}{i}" for i in range(3)]) for d in dims}
    counts = [2, 2, 6, 9, 0, 0, 6, 9, 0, 1, 9, 1, 0, 6, 0, 1, 3, 2, 0, 0, 9, 6, 6, 2, 6, 1, 2]
    combos = itertools.product(*[hierarchies[d].leaves() for d in dims])
    inner = pl.DataFrame([(*c, n) for c, n in zip(combos, counts, strict=True)],
                         schema=[*dims, "count"], orient="row")
    return dims, hierarchies, inner


@pytest.mark.parametrize("witnesses", [True, False])
def test_witness_first_audit_handles_cells_the_lp_leaves_open(witnesses, monkeypatch):
    # A 3x3x3 table whose pattern has a hidden cell with a fractional LP bound (8.5): the
    # witness-first audit must reach the exact audit's verdict there too, also when no
    # witness is found (every cell then takes the LP and integer-program path).
    dims, hierarchies, inner = _table_3x3x3()
    cells = protect(inner, hierarchies, run_audit=False).cells
    exact = audit(cells, hierarchies)
    fractional = exact.intervals.filter((pl.col("lp_high") - pl.col("lp_high").round()).abs() > 0)
    assert fractional.height > 0  # the case this test is about
    if not witnesses:
        monkeypatch.setattr(lp.WitnessPool, "best", lambda self, cols: 0)
    fast = audit(cells, hierarchies, exact_intervals=False)
    assert fast.ok == exact.ok
    assert fast.intervals["ok"].to_list() == exact.intervals["ok"].to_list()
    for f, e in zip(
        fast.intervals.iter_rows(named=True), exact.intervals.iter_rows(named=True), strict=True
    ):
        assert f["int_high"] <= e["int_high"]


def test_reaches_near_returns_only_checked_points_that_reach_the_target():
    # The 3x3x3 table above, with its protected pattern: for every confidential cell whose LP
    # maximum is fractional, the restricted integer program near the LP point returns a
    # whole-number table of the reader's model that reaches the target, or nothing; never a
    # point above the LP maximum (no whole-number table can go there).
    dims, hierarchies, inner = _table_3x3x3()
    cells = protect(inner, hierarchies, run_audit=False).cells
    table = build_full_table(inner, hierarchies)
    status = dict(zip(cells.select(*dims).rows(), cells["status"], strict=True))
    hidden = np.array([status[key] != "published" for key in table.code_frame().rows()])
    engine = Engine(table, Policy())
    engine.build_model(hidden)
    model = engine.model
    assert model.integer_point(engine.known) is not None  # the true table is a point
    fractional = 0
    for p in np.flatnonzero(primary_suppression(table, Policy()) & (engine.group >= 0)):
        cols = engine.cols[engine.cols_ptr[p] : engine.cols_ptr[p + 1]]
        bound, _ = model.optimise(cols, maximise=True)
        if bound.integral:
            continue
        fractional += 1
        relaxed = model.solution.copy()
        floor = math.floor(bound.value)
        point = model.reaches_near(cols, True, floor, engine.known, relaxed)
        if point is not None:
            assert model.integer_point(point.astype(float)) is not None
            assert point[cols].sum() >= floor
        assert model.reaches_near(cols, True, floor + 1, engine.known, relaxed) is None
    assert fractional > 0  # the case this test is about
