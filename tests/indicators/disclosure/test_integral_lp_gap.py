"""A cell whose LP maximum is a whole number reached only at fractional points: the reader's
whole-number maximum is smaller, and the audit must not take the LP value as reached.

The 3x3x3 table and pattern were found by a seeded random search (LP maximum of a hidden cell
vs its integer maximum) over 3-D tables with every total; 3-D tables with all 2-D margins are
not totally unimodular. The independent reader below is an integer program over the inner
cells built from ``helpers.ancestors`` (not from the audit's reduced model)."""

from __future__ import annotations

import itertools

import highspy
import numpy as np
import polars as pl
import pytest

from indicators.disclosure import Hierarchy, Policy, audit, protect

from .helpers import ancestors, with_status

DIMS = ("a", "b", "c")
COUNTS = [2, 4, 1, 9, 9, 1, 3, 4, 2, 0, 0, 4, 3, 4, 9, 0, 4, 0, 3, 3, 0, 6, 1, 0, 0, 0, 6]
HIDDEN = [
    ("_T", "b0", "c0"), ("_T", "b0", "c1"), ("_T", "b0", "c2"), ("_T", "b1", "_T"),
    ("_T", "b1", "c2"), ("_T", "b2", "c0"), ("_T", "b2", "c1"), ("_T", "b2", "c2"),
    ("a0", "_T", "_T"), ("a0", "_T", "c0"), ("a0", "_T", "c2"), ("a0", "b0", "_T"),
    ("a0", "b0", "c0"), ("a0", "b0", "c1"), ("a0", "b0", "c2"), ("a0", "b1", "c0"),
    ("a0", "b1", "c1"), ("a0", "b1", "c2"), ("a0", "b2", "_T"), ("a0", "b2", "c0"),
    ("a0", "b2", "c1"), ("a0", "b2", "c2"), ("a1", "_T", "c0"), ("a1", "_T", "c1"),
    ("a1", "_T", "c2"), ("a1", "b0", "_T"), ("a1", "b0", "c2"), ("a1", "b1", "c0"),
    ("a1", "b1", "c1"), ("a1", "b1", "c2"), ("a1", "b2", "_T"), ("a1", "b2", "c1"),
    ("a2", "_T", "c0"), ("a2", "_T", "c1"), ("a2", "_T", "c2"), ("a2", "b0", "_T"),
    ("a2", "b0", "c0"), ("a2", "b0", "c1"), ("a2", "b1", "_T"), ("a2", "b1", "c0"),
    ("a2", "b1", "c1"), ("a2", "b2", "_T"), ("a2", "b2", "c2"),
]
CELL = ("a0", "b2", "c1")  # count 4


def _case() -> tuple[pl.DataFrame, dict[str, Hierarchy], pl.DataFrame]:
    hier = {d: Hierarchy.flat(d, [f"{d}{i}" for i in range(3)]) for d in DIMS}
    leaves = list(itertools.product(*[[f"{d}{i}" for i in range(3)] for d in DIMS]))
    inner = pl.DataFrame([(*leaf, n) for leaf, n in zip(leaves, COUNTS, strict=True)],
                         schema=[*DIMS, "count"], orient="row")
    cells = protect(inner, hier, policy=Policy(threshold=5), run_audit=False).cells
    pattern = with_status(cells, {h: "secondary" for h in HIDDEN}, DIMS)
    return inner, hier, pattern


def _reader_bound(inner: pl.DataFrame, hier: dict[str, Hierarchy], pattern: pl.DataFrame,
                  integer: bool) -> float:
    """The reader's maximum of CELL over non-negative inner tables (published cells equal
    their counts, hidden cells >= 1), as an LP or an integer program."""
    leaves = inner.select(*DIMS).rows()
    h = highspy.Highs()
    # one thread, as the engine: HiGHS starts one scheduler per process, and an engine
    # model (threads=1) run after a default one in the same process is refused
    h.setOptionValue("threads", 1)
    h.setOptionValue("output_flag", False)
    n = len(leaves)
    for _ in range(n):
        h.addVar(0.0, highspy.kHighsInf)
    for row in pattern.iter_rows(named=True):
        codes = tuple(row[d] for d in DIMS)
        members = [i for i, leaf in enumerate(leaves)
                   if all(codes[j] in ancestors(hier[d], leaf[j]) for j, d in enumerate(DIMS))]
        lo, hi = ((1.0, highspy.kHighsInf) if row["status"] != "published"
                  else (float(row["count"]), float(row["count"])))
        h.addRow(lo, hi, len(members), np.array(members, dtype=np.int32), np.ones(len(members)))
    if integer:
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                np.full(n, highspy.HighsVarType.kInteger.value, dtype=np.uint8))
    target = [i for i, leaf in enumerate(leaves) if leaf == CELL]
    h.changeColCost(target[0], -1.0)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return -h.getInfo().objective_function_value


def test_the_lp_maximum_is_whole_but_the_whole_number_maximum_is_smaller():
    inner, hier, pattern = _case()
    assert _reader_bound(inner, hier, pattern, integer=False) == pytest.approx(11.0)
    assert _reader_bound(inner, hier, pattern, integer=True) == pytest.approx(10.0)


@pytest.mark.parametrize("exact", [True, False])
def test_a_whole_lp_maximum_reached_only_at_fractional_points_does_not_protect(exact):
    # k = 11: the cell (count 4, hidden, so >= 1) reaches at most 10 in whole numbers: the
    # reader proves 1 <= value <= 10. Its LP maximum is 11 (fractional tables only).
    inner, hier, pattern = _case()
    report = audit(pattern, hier, None, Policy(threshold=11), exact_intervals=exact)
    row = report.intervals.filter(
        (pl.col("a") == CELL[0]) & (pl.col("b") == CELL[1]) & (pl.col("c") == CELL[2]))
    assert row["ok"].to_list() == [False]
    assert row["int_high"].to_list() == [10.0]
    assert any(f.codes == dict(zip(DIMS, CELL, strict=True)) for f in report.failures)


def test_protect_leaves_the_cell_reaching_k_in_whole_numbers():
    # The engine's own check may take the whole LP value as reached; the audit-and-repair
    # loop must then hide more, so that an independent whole-number reader cannot bound it.
    inner, hier, _ = _case()
    result = protect(inner, hier, policy=Policy(threshold=11))
    assert result.audit is not None and result.audit.ok
    assert _reader_bound(inner, hier, result.cells, integer=True) >= 11
