"""Protection is deterministic (issue 19): the same problem gives the same pattern on every
run, whatever the machine's load. No wall-clock limit decides a pattern: HiGHS runs
single-threaded with a fixed seed, integer programs stop after a number of nodes, and a solve
that reaches the wall-clock safety net raises instead of returning a different answer."""

from __future__ import annotations

import itertools

import numpy as np
import polars as pl
import pytest

from indicators.disclosure import Hierarchy, lp, protect


def _problem(shape: tuple[int, ...] = (6, 5, 4), seed: int = 7):
    """A 3-D table with many small cells (a few hundred cells: cheap)."""
    dims = ("a", "b", "c")
    hierarchies = {d: Hierarchy.flat(d, [f"{d}{i}" for i in range(n)])
                   for d, n in zip(dims, shape, strict=True)}
    rng = np.random.default_rng(seed)
    combos = list(itertools.product(*[hierarchies[d].leaves() for d in dims]))
    counts = rng.choice([0, 1, 2, 3, 5, 8, 13], size=len(combos),
                        p=[0.2, 0.2, 0.15, 0.15, 0.1, 0.1, 0.1])
    inner = pl.DataFrame([(*c, int(v)) for c, v in zip(combos, counts, strict=True)],
                         schema=[*dims, "count"], orient="row")
    return inner, hierarchies


def test_the_same_problem_is_protected_alike_twice_and_whatever_the_row_order():
    inner, hierarchies = _problem()
    first = protect(inner, hierarchies)
    again = protect(inner, hierarchies)
    shuffled = protect(inner.sample(fraction=1.0, shuffle=True, seed=3), hierarchies)
    assert first.summary["secondary"] > 0  # the problem needs secondary suppressions
    assert first.cells.equals(again.cells)
    assert first.cells.equals(shuffled.cells)


def test_highs_runs_single_threaded_with_a_fixed_seed_and_no_short_clock():
    h = lp.quiet_highs()
    assert h.getOptionValue("threads")[1] == 1
    assert h.getOptionValue("random_seed")[1] == lp.RANDOM_SEED
    # the clock is only a safety net, far above any solve of the sample or the benchmarks
    assert h.getOptionValue("time_limit")[1] == lp.SAFETY_SECONDS >= 600


def test_integer_programs_stop_at_a_node_limit_not_a_time_limit():
    model = lp.PersistentModel(2, np.array([0, 2]), np.array([0, 1]), np.array([3.0]),
                               np.array([3.0]))
    assert model.h.getOptionValue("mip_max_nodes")[1] == lp.MIP_MAX_NODES
    model.set_integer(True)
    assert model.h.getOptionValue("time_limit")[1] == lp.SAFETY_SECONDS
    bound, _ = model.optimise(np.array([0]), maximise=True)
    assert bound.proven and bound.value == 3


def test_a_solve_that_reaches_the_safety_net_raises(monkeypatch):
    inner, hierarchies = _problem((4, 4, 3))
    monkeypatch.setattr(lp, "SAFETY_SECONDS", 0.0)
    with pytest.raises(lp.SolverTimeout):
        protect(inner, hierarchies)
