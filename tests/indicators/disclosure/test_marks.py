"""The never-published and never-hidden marks of ``protect``."""

from __future__ import annotations

import polars as pl

from indicators.disclosure import Hierarchy, Policy, audit, protect

from .helpers import grid, status_of

MONTHS = ["2024-01", "2024-02", "2024-03"]
MIGRATION = Hierarchy.flat("migration", ["MIGRATION", "NOT_MIGRATION"])
SPLIT = {"month": Hierarchy.flat("month", MONTHS), "migration": MIGRATION}
# NOT_MIGRATION in January is 2: small, but never published
SUPPORT = grid(MONTHS, ["MIGRATION", "NOT_MIGRATION"], [[20, 2], [15, 9], [30, 12]],
               ("month", "migration"))
NEVER = pl.DataFrame({"migration": ["NOT_MIGRATION"]})


def test_small_cell_that_is_never_published_forces_no_suppression():
    forced = protect(SUPPORT, SPLIT)
    assert status_of(forced.cells, month="2024-01", migration="NOT_MIGRATION") == "primary"
    assert forced.summary["secondary"] > 0  # without the mark, other cells are hidden

    result = protect(SUPPORT, SPLIT, never_published=NEVER)
    statuses = dict(zip(*result.cells.select(
        pl.concat_str("month", "migration", separator="/"), "status"), strict=True))
    assert {s for k, s in statuses.items() if k.endswith("/NOT_MIGRATION")} == {"unpublished"}
    assert {s for k, s in statuses.items() if not k.endswith("/NOT_MIGRATION")} == {
        "published"}
    assert result.summary["primary"] == 0 and result.summary["secondary"] == 0
    assert result.audit is not None and result.audit.ok


def test_audit_does_not_take_never_published_cells_as_known():
    # Hide MIGRATION in January and February: with NOT_MIGRATION published the reader gets
    # them from the totals; never published, every hidden cell keeps a wide interval.
    result = protect(SUPPORT, SPLIT, never_published=NEVER)
    cells = result.cells.with_columns(
        status=pl.when((pl.col("migration") == "MIGRATION")
                       & pl.col("month").is_in(["2024-01", "2024-02"]))
        .then(pl.lit("primary")).otherwise(pl.col("status")))
    report = audit(cells, SPLIT, None, Policy())
    wide = report.intervals.filter(pl.col("month") == "2024-01").row(0, named=True)
    # Jan + Feb = 65 - 30 = 35; Jan <= 22 and Feb <= 24 (totals, NOT_MIGRATION >= 0), so
    # Jan in [35 - 24, 22]; with NOT_MIGRATION known, Jan would be pinned to 20.
    assert (wide["int_low"], wide["int_high"]) == (11, 22)
    assert report.ok


def test_never_hidden_total_stays_published_when_a_pattern_exists():
    rows, cols = ["r1", "r2", "r3"], ["c1", "c2", "c3"]
    flat = {"r": Hierarchy.flat("r", rows), "c": Hierarchy.flat("c", cols)}
    # r1/c1 = 2 is small; the cheapest complements are cells of row r1 and column c1
    inner = grid(rows, cols, [[2, 30, 40], [6, 7, 50], [60, 8, 9]])
    keep = pl.DataFrame({"r": ["r1", "_T", "r2"], "c": ["_T", "c1", "c2"]})
    result = protect(inner, flat, never_hide=keep)
    for r, c in keep.iter_rows():
        assert status_of(result.cells, r=r, c=c) == "published"
    assert status_of(result.cells, r="r1", c="c1") == "primary"
    assert result.audit is not None and result.audit.ok


def _status_by_age():
    """Signalled = presumed + confirmed + not confirmed, by age; confirmed is small in every
    age (1, 3, 0, 2: total 6), presumed and not confirmed are large."""
    status = Hierarchy.flat("classification", ["P", "C", "N"])
    age = Hierarchy.flat("age", ["a1", "a2", "a3", "a4"])
    counts = {"P": [20, 30, 25, 40], "C": [1, 3, 0, 2], "N": [10, 12, 9, 11]}
    inner = pl.DataFrame([(s, f"a{i + 1}", n) for s, ns in counts.items()
                          for i, n in enumerate(ns)], schema=["classification", "age", "count"],
                         orient="row")
    dropped = pl.DataFrame({"classification": ["C"] * 4, "age": ["a1", "a2", "a3", "a4"]})
    return inner, {"classification": status, "age": age}, dropped


def test_a_dropped_breakdown_stays_protected_from_its_siblings():
    # the confirmed breakdown is not published (its total is); a reader who has signalled,
    # presumed and not confirmed of an age has its confirmed count: signalled - P - N
    inner, hierarchies, dropped = _status_by_age()
    total = pl.DataFrame({"classification": ["C"], "age": ["_T"]})
    res = protect(inner, hierarchies, never_published=dropped, never_hide=total,
                  unpublished_confidential=True)
    cells = res.cells
    assert status_of(cells, classification="C", age="_T") == "published"
    for age, confirmed in (("a1", 1), ("a2", 3), ("a4", 2)):
        assert status_of(cells, classification="C", age=age) == "unpublished"
        siblings = [status_of(cells, classification=s, age=age) for s in ("_T", "P", "N")]
        assert siblings.count("published") < 3, (age, confirmed, siblings)
    assert res.audit is not None and res.audit.ok


def test_without_the_option_a_dropped_breakdown_is_not_confidential():
    inner, hierarchies, dropped = _status_by_age()
    res = protect(inner, hierarchies, never_published=dropped,
                  never_hide=pl.DataFrame({"classification": ["C"], "age": ["_T"]}))
    statuses = [status_of(res.cells, classification=s, age="a1") for s in ("_T", "P", "N")]
    assert statuses == ["published"] * 3  # confirmed a1 = 31 - 20 - 10: why the option exists
