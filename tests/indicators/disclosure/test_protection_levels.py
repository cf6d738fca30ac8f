"""Protection levels: a revised cell is hidden, and the reader's whole-number maximum of it
must reach its level (an earlier release published E; the new count E + d, 1 <= d < k, gets
the level E + k, so the reader cannot confine the difference to 1 .. k-1)."""

from __future__ import annotations

import polars as pl

from indicators.disclosure import Hierarchy, audit, protect
from indicators.problems.revisions import revision_levels

GEO = Hierarchy.flat("geo", ["A", "B", "C", "D"])
SEX = Hierarchy.flat("sex", ["F", "M"])
INNER = pl.DataFrame({"geo": ["A", "A", "B", "B", "C", "C", "D", "D"],
                      "sex": ["F", "M"] * 4, "count": [40, 37, 20, 13, 30, 31, 25, 22]})


def _reader_max(cells: pl.DataFrame, geo: str, sex: str) -> float:
    """The reader's whole-number maximum of one hidden cell (the audit's exact interval)."""
    report = audit(cells, {"geo": GEO, "sex": SEX})
    row = report.intervals.filter((pl.col("geo") == geo) & (pl.col("sex") == sex))
    return float(row["int_high"][0])


def test_a_cell_without_a_small_count_is_hidden_when_it_has_a_level():
    plain = protect(INNER, {"geo": GEO, "sex": SEX})
    assert plain.cells.filter(pl.col("status") != "published").is_empty()
    # A-F was published as 37 before; it is 40 now (+3): level 37 + 5 = 42
    levels = pl.DataFrame({"geo": ["A"], "sex": ["F"], "level": [42]})
    result = protect(INNER, {"geo": GEO, "sex": SEX}, levels=levels)
    status = {(r["geo"], r["sex"]): r["status"] for r in result.cells.iter_rows(named=True)}
    assert status[("A", "F")] == "primary"
    assert result.audit is not None and result.audit.ok
    assert _reader_max(result.cells.with_columns(level=pl.lit(0)), "A", "F") >= 42


def test_the_audit_refuses_a_pattern_that_confines_a_revised_cell_below_its_level():
    """A and B hidden by sex, the rest published: the reader knows A-F + A-M = 77,
    A-F + B-F = 60, B-F + B-M = 33, each >= 1, so 28 <= A-F <= 59: protected at the level
    42, not at the level 60."""
    status = {("A", "F"): "primary", ("A", "M"): "secondary", ("B", "F"): "secondary",
              ("B", "M"): "secondary"}
    frame = protect(INNER, {"geo": GEO, "sex": SEX}).cells.with_columns(
        status=pl.struct("geo", "sex").map_elements(
            lambda r: status.get((r["geo"], r["sex"]), "published"), return_dtype=pl.String))
    level = pl.when((pl.col("geo") == "A") & (pl.col("sex") == "F"))
    ok = audit(frame.with_columns(level=level.then(42).otherwise(0)), {"geo": GEO, "sex": SEX})
    assert ok.ok
    refused = audit(frame.with_columns(level=level.then(60).otherwise(0)),
                    {"geo": GEO, "sex": SEX})
    assert not refused.ok
    assert any("protection level" in f.reason for f in refused.failures)


def test_levels_follow_the_revision_rule():
    """+3 -> E + k; -1 -> E; +5 (= k) none; equal to a value published before: none."""
    probe = pl.DataFrame({"geo": ["A", "B", "C", "D"], "count": [40, 30, 17, 22],
                          "key": ["a", "b", "c", "d"]})
    known = pl.DataFrame({"key": ["a", "b", "c", "d", "d"],
                          "value": [37.0, 31.0, 12.0, 20.0, 22.0]})
    got = revision_levels(probe, known, ["geo"], ["key"], 5).rows()
    assert got == [("A", 42), ("B", 31)]
