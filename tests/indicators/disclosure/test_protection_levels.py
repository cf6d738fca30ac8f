"""Protection levels: a revised cell is hidden, and the reader's whole-number maximum of it
must reach its level (an earlier release published E; the new count E + d, 1 <= d < k, gets
the level E + k, so the reader cannot confine the difference to 1 .. k-1)."""

from __future__ import annotations

import polars as pl

from indicators.disclosure import Hierarchy, audit, protect
from indicators.problems.revisions import known_values, revision_levels

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
    known = known_values([pl.DataFrame({"key": ["a", "b", "c", "d", "d"],
                                        "value": [37.0, 31.0, 12.0, 20.0, 22.0]})], ["key"])
    got = revision_levels(probe, known, ["geo"], ["key"], 5).rows()
    assert got == [("A", 42), ("B", 31)]


def test_a_count_hidden_before_is_judged_against_the_interval_the_reader_proved():
    """Hidden before, in [35, 38] (the release-wide audit's interval). Published now, 40
    tells that 2 .. 5 persons were added (5 = k: no level), 39 that 1 .. 4 were: level
    35 + 5 = 40, so that the reader's maximum of the hidden 39 reaches 40."""
    probe = pl.DataFrame({"geo": ["A", "B", "C"], "count": [40, 45, 36], "key": ["a", "b", "c"]})
    known = known_values([pl.DataFrame({"key": ["a", "b", "c"], "low": [35.0, 35.0, 35.0],
                                        "high": [38.0, 38.0, 38.0]})], ["key"])
    got = revision_levels(probe, known, ["geo"], ["key"], 5).rows()
    # A: 40 - 35 = 5 = k at most, 40 - 38 = 2 at least: not confined to 1..4, no level;
    # B: 45 is 7 .. 10 above: no level; C: 36 lies in [35, 38]: no level
    assert got == []
    probe = probe.with_columns(count=pl.Series([39, 45, 36]))
    assert revision_levels(probe, known, ["geo"], ["key"], 5).rows() == [("A", 40)]
