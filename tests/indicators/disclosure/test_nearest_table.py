"""The least change of the true table (audit witnesses): every table it returns is a
whole-number table of the reader's model, checked here independently of the audit's model
(published cells equal their counts, hidden cells >= 1, inner cells >= 0, sums by walking
the hierarchies), and it never returns one where the reader's whole-number maximum is below
the need, even when the LP reaches the need at fractional points."""

from __future__ import annotations

import importlib
import itertools

import numpy as np
import polars as pl
import pytest

from indicators.disclosure import Hierarchy, Policy, protect
from indicators.disclosure.local_model import LocalModels
from indicators.disclosure.nearest_table import NearestTables

from .helpers import ancestors, with_status
from .test_integral_lp_gap import CELL, DIMS, _case

audit_module = importlib.import_module("indicators.disclosure.audit")


def _setup(pattern: pl.DataFrame, hier: dict[str, Hierarchy], k: int):
    reader = audit_module.reader_model(pattern, hier, Policy(threshold=k))
    truth = audit_module._true_table(reader)
    return reader, NearestTables.checked(reader.model, truth)


def _inner_values(reader, point: np.ndarray, dims: tuple[str, ...]) -> dict[tuple, int]:
    """The table a model point stands for, as inner code tuple -> value (pinned cells 0)."""
    leaves = [reader.hier[d].leaves() for d in dims]
    values = {}
    for leaf in itertools.product(*leaves):
        i = reader.unique.with_row_index("_i").filter(
            pl.all_horizontal([pl.col(d) == c for d, c in zip(dims, leaf, strict=True)]))
        cols = reader.cols_of_cell[int(i["_i"][0])]
        values[leaf] = int(point[cols].sum()) if cols.size else 0
    return values


def _is_reader_table(values: dict[tuple, int], pattern: pl.DataFrame,
                     hier: dict[str, Hierarchy], dims: tuple[str, ...]) -> bool:
    if min(values.values()) < 0:
        return False
    for row in pattern.iter_rows(named=True):
        codes = tuple(row[d] for d in dims)
        total = sum(v for leaf, v in values.items()
                    if all(codes[j] in ancestors(hier[d], leaf[j]) for j, d in enumerate(dims)))
        if row["status"] == "published" and total != row["count"]:
            return False
        if row["status"] != "published" and total < 1:
            return False
    return True


def _cell_cols(reader, codes: tuple[str, ...], dims: tuple[str, ...]) -> np.ndarray:
    i = reader.unique.with_row_index("_i").filter(
        pl.all_horizontal([pl.col(d) == c for d, c in zip(dims, codes, strict=True)]))
    return reader.cols_of_cell[int(i["_i"][0])]


@pytest.mark.parametrize("integer", [False, True])
def test_no_table_where_only_fractional_points_reach_the_need(integer):
    # LP maximum of CELL is 11 (fractional tables only), whole-number maximum 10.
    _, hier, pattern = _case()
    reader, lifter = _setup(pattern, hier, 11)
    assert lifter is not None
    assert lifter.lift(_cell_cols(reader, CELL, DIMS), 11, integer=integer) is None


def test_a_table_reaching_the_whole_number_maximum_is_a_table_of_the_reader():
    _, hier, pattern = _case()
    reader, lifter = _setup(pattern, hier, 10)
    cols = _cell_cols(reader, CELL, DIMS)
    point = lifter.lift(cols, 10, integer=True)
    assert point is not None and int(point[cols].sum()) >= 10
    values = _inner_values(reader, point, DIMS)
    assert values[CELL] >= 10
    assert _is_reader_table(values, pattern, hier, DIMS)


def test_a_true_table_outside_the_model_gives_no_lifter():
    _, hier, pattern = _case()
    reader = audit_module.reader_model(pattern, hier, Policy(threshold=5))
    truth = audit_module._true_table(reader)
    assert NearestTables.checked(reader.model, truth) is not None
    broken = truth.copy()
    broken[0] += 1  # one inner cell off by one: published totals no longer add up
    assert NearestTables.checked(reader.model, broken) is None


@pytest.mark.parametrize("seed", range(6))
def test_every_lifted_table_is_a_table_of_the_reader(seed):
    # Random 3x3x3 tables, the engine's pattern with a few secondary cells published again
    # (damaged, so some cells cannot be lifted): every table returned is checked
    # independently, and it lifts the cell to the asked need.
    rng = np.random.default_rng(seed)
    hier = {d: Hierarchy.flat(d, [f"{d}{i}" for i in range(3)]) for d in DIMS}
    leaves = list(itertools.product(*[[f"{d}{i}" for i in range(3)] for d in DIMS]))
    counts = rng.choice([0, 0, 1, 2, 3, 4, 6, 9], size=len(leaves))
    inner = pl.DataFrame([(*leaf, int(n)) for leaf, n in zip(leaves, counts, strict=True)],
                         schema=[*DIMS, "count"], orient="row")
    cells = protect(inner, hier, policy=Policy(threshold=5), run_audit=False).cells
    hidden = {tuple(r[:3]): r[3] for r in cells.select(*DIMS, "status").iter_rows()
              if r[3] != "published" and not (r[3] == "secondary" and rng.random() < 0.3)}
    pattern = with_status(cells, hidden, DIMS)
    reader, lifter = _setup(pattern, hier, 5)
    assert lifter is not None
    lifted = 0
    for codes in hidden:
        cols = _cell_cols(reader, codes, DIMS)
        count = int(pattern.filter(pl.all_horizontal(
            [pl.col(d) == c for d, c in zip(DIMS, codes, strict=True)]))["count"][0])
        for need in (count + 1, count + 3):
            point = lifter.lift(cols, need, integer=True)
            if point is None:
                continue
            lifted += 1
            values = _inner_values(reader, point, DIMS)
            assert int(point[cols].sum()) >= need
            assert _is_reader_table(values, pattern, hier, DIMS)
    assert lifted > 0



def test_a_local_point_is_checked_against_the_whole_model(monkeypatch):
    # The gap case at need 11: only fractional tables reach it, so lift runs its local
    # integer programs. Here they answer a change that lifts the cell to 11 and breaks the
    # published totals: lift must still find no table (each local point is checked exactly
    # against the whole model, never trusted because the small model produced it).
    _, hier, pattern = _case()
    reader, lifter = _setup(pattern, hier, 11)
    cols = _cell_cols(reader, CELL, DIMS)
    calls = []

    def unchecked(self, free, cells, gap, costs=None, integer=False):
        calls.append(free)
        delta = np.zeros(self.n)
        delta[cells[0]] = gap  # the cell alone raised: its published totals no longer add up
        return delta

    monkeypatch.setattr(LocalModels, "least_change", unchecked)
    assert lifter.lift(cols, 11, integer=True) is None
    assert calls  # the local path ran


@pytest.mark.parametrize("seed", range(8))
def test_a_local_change_completed_with_the_base_satisfies_every_row(seed):
    # A random 0/1 model with a known whole-number point: any point of the small model over
    # a random set of unknowns, completed with the base point, satisfies every row and bound
    # of the whole model (checked here row by row), and raises the target sum by the gap.
    rng = np.random.default_rng(seed)
    n, n_rows = 30, 18
    base = rng.integers(0, 6, size=n).astype(float)
    rows = [np.sort(rng.choice(n, size=rng.integers(2, 9), replace=False)) for _ in range(n_rows)]
    ptr = np.concatenate([[0], np.cumsum([r.size for r in rows])])
    idx = np.concatenate(rows)
    act = np.array([base[r].sum() for r in rows])
    equal = rng.random(n_rows) < 0.6
    lower = np.where(equal, act, np.maximum(act - rng.integers(0, 3, n_rows), 0))
    upper = np.where(equal, act, np.inf)
    local = LocalModels(ptr, idx, lower, upper, np.zeros(n), np.full(n, np.inf), base)
    found = 0
    for _ in range(30):
        free = np.sort(rng.choice(n, size=rng.integers(3, 20), replace=False))
        cols = rng.choice(free, size=2, replace=False)
        for integer in (False, True):
            delta = local.least_change(free, cols, 1.0, integer=integer)
            if delta is None:
                continue
            found += 1
            x = base + delta
            assert np.all(delta[np.setdiff1d(np.arange(n), free)] == 0)
            assert x.min() >= -1e-9
            assert x[cols].sum() >= base[cols].sum() + 1 - 1e-9
            for r, lo, hi in zip(rows, lower, upper, strict=True):
                assert lo - 1e-9 <= x[r].sum() <= hi + 1e-9
            if integer:
                assert np.allclose(x, np.round(x))
    assert found > 0
