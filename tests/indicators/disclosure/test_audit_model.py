"""The audit's reduced model (implied rows dropped, one-unknown rows as shifted bounds) and the
verdict from the maximum alone give what the full reader model and a brute-force reader give."""

from __future__ import annotations

import importlib
import math

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings

from indicators.disclosure import Hierarchy, audit, lp, protect
from indicators.disclosure.audit_model import implied_rows

from .helpers import brute_force_intervals
from .test_screening import patterns

audit_module = importlib.import_module("indicators.disclosure.audit")


def _no_row_implied(codes, hier, group, row_lens, lower, upper):
    return np.zeros(lower.size, dtype=bool)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patterns())
def test_dropping_implied_rows_keeps_every_exact_interval(case):
    _, hierarchies, pattern, policy = case
    reduced = audit(pattern, hierarchies, None, policy).intervals
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(audit_module, "implied_rows", _no_row_implied)
        full = audit(pattern, hierarchies, None, policy).intervals
    assert reduced["ok"].to_list() == full["ok"].to_list()
    for a, b in zip(reduced.iter_rows(named=True), full.iter_rows(named=True), strict=True):
        for key in ("int_low", "int_high", "lp_low", "lp_high"):
            assert math.isclose(a[key], b[key], abs_tol=1e-6) or a[key] == b[key], (key, a, b)


def _cells_2x2(values: list[list[int]], hidden: set[tuple[str, str]]) -> tuple:
    flat = {"r": Hierarchy.flat("r", ["r1", "r2"]), "c": Hierarchy.flat("c", ["c1", "c2"])}
    inner = pl.DataFrame(
        [(r, c, values[i][j]) for i, r in enumerate(["r1", "r2"])
         for j, c in enumerate(["c1", "c2"])],
        schema=["r", "c", "count"], orient="row")
    cells = protect(inner, flat, run_audit=False).cells
    status = ["secondary" if k in hidden else "published" for k in cells.select("r", "c").rows()]
    return cells.with_columns(pl.Series("status", status)), flat


def test_a_fully_published_table_keeps_only_its_inner_cells_as_bounds():
    cells, flat = _cells_2x2([[6, 7], [8, 9]], set())
    reader = audit_module.reader_model(cells, flat)
    # every total is the sum of published parts: no row with two or more unknowns stays
    assert reader.model.inner.row_ptr.size - 1 == 0
    inner = cells.filter((pl.col("r") != "_T") & (pl.col("c") != "_T"))
    shifts = {tuple(k): reader.model.shift[reader.cols_of_cell[i][0]]
              for i, k in enumerate(reader.unique.select("r", "c").rows())
              if reader.cols_of_cell[i].size == 1}
    assert shifts == {(r, c): n for r, c, n in inner.select("r", "c", "count").rows()}


def test_a_total_with_a_hidden_part_stays_and_a_hidden_total_over_a_hidden_part_goes():
    # r1 row: (r1,c1) and (r1,_T) hidden; everything else published.
    cells, flat = _cells_2x2([[6, 7], [8, 9]], {("r1", "c1"), ("r1", "_T")})
    reader = audit_module.reader_model(cells, flat)
    dims = reader.dims
    codes = [reader.unique[d].to_list() for d in dims]
    n_rows = int(reader.group.max()) + 1
    lens = np.zeros(n_rows, dtype=np.int64)
    lower, upper = np.zeros(n_rows), np.full(n_rows, math.inf)
    for i, g in enumerate(reader.group):
        lens[g] = reader.cols_of_cell[i].size
        if not reader.hidden[i]:
            lower[g] = upper[g] = reader.counts[i]
        else:
            lower[g] = 1.0
    implied = implied_rows(codes, reader.hier, reader.group, lens, lower, upper)
    row = {k: int(reader.group[i]) for i, k in enumerate(reader.unique.select("r", "c").rows())}
    assert implied[row[("r1", "_T")]]  # >= 1, holds the part (r1, c2) = 7
    assert implied[row[("_T", "_T")]]  # = (_T,c1) + (_T,c2), both published
    assert not implied[row[("_T", "c1")]]  # its part (r1, c1) is hidden
    assert not implied[row[("r1", "c1")]]  # one unknown: a bound, never implied


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patterns())
def test_maximum_only_verdict_matches_the_brute_force_reader(case):
    inner, hierarchies, pattern, policy = case
    truth = brute_force_intervals(inner, hierarchies, pattern, policy.zeros_publishable)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(lp, "MIN_BATCH", 1)
        fast = audit(pattern, hierarchies, None, policy, exact_intervals=False).intervals
    k = policy.threshold
    for row in fast.iter_rows(named=True):
        if row["status"] == "published":
            continue
        low, high = truth[(row["r"], row["c"])]
        assert row["ok"] == (low < high and (low <= 0 or high >= k)), (row, low, high)
        if math.isnan(row["int_low"]):  # no minimum computed: the maximum reaches the need
            assert row["ok"] and high >= max(k, row["count"] + 1), (row, low, high)
