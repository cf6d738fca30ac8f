"""Hand-checked small tables: the classic cases of secondary suppression."""

from __future__ import annotations

import polars as pl

from indicators.disclosure import Hierarchy, Policy, audit, protect

from .helpers import grid, status_of, with_status

ROWS, COLS = ["r1", "r2", "r3"], ["c1", "c2", "c3"]
VALUES = [[2, 10, 12], [8, 9, 11], [7, 13, 6]]
FLAT = {"r": Hierarchy.flat("r", ROWS), "c": Hierarchy.flat("c", COLS)}
RECTANGLE = {
    ("r1", "c1"): "primary",
    ("r1", "c2"): "secondary",
    ("r2", "c1"): "secondary",
    ("r2", "c2"): "secondary",
}


def _inner_hidden(cells: pl.DataFrame) -> pl.DataFrame:
    return cells.filter(
        (pl.col("r") != "_T") & (pl.col("c") != "_T") & (pl.col("status") != "published")
    )


def test_single_small_cell_needs_at_least_four_suppressions():
    result = protect(grid(ROWS, COLS, VALUES), FLAT)
    hidden = _inner_hidden(result.cells)
    assert hidden.height >= 4
    # Every row and column touched by a hidden cell holds at least two hidden cells.
    for dim in ("r", "c"):
        assert hidden.group_by(dim).len()["len"].min() >= 2
    assert status_of(result.cells, r="r1", c="c1") == "primary"
    assert status_of(result.cells, r="_T", c="_T") == "published"
    assert result.audit is not None and result.audit.ok
    assert audit(result.cells, FLAT, None, Policy()).ok


def test_audit_interval_of_the_rectangle_is_hand_computed():
    # p + x12 = 12, p + x21 = 10, x21 + x22 = 17, every hidden cell >= 1  ->  p in [1, 9].
    cells = protect(grid(ROWS, COLS, VALUES), FLAT).cells
    pattern = with_status(cells, RECTANGLE, ("r", "c"))
    report = audit(pattern, FLAT, None, Policy())
    row = report.intervals.filter((pl.col("r") == "r1") & (pl.col("c") == "c1")).row(0, named=True)
    assert (row["int_low"], row["int_high"]) == (1, 9)
    assert report.ok
    # When zeros may be hidden, nothing forces hidden cells >= 1: p in [0, 10].
    loose = audit(pattern, FLAT, None, Policy(zeros_publishable=False))
    row = loose.intervals.filter((pl.col("r") == "r1") & (pl.col("c") == "c1")).row(0, named=True)
    assert (row["int_low"], row["int_high"]) == (0, 10)


def test_audit_catches_each_removed_secondary_of_the_rectangle():
    cells = protect(grid(ROWS, COLS, VALUES), FLAT).cells
    for key, status in RECTANGLE.items():
        if status != "secondary":
            continue
        broken = {k: v for k, v in RECTANGLE.items() if k != key}
        report = audit(with_status(cells, broken, ("r", "c")), FLAT, None, Policy())
        assert not report.ok, key
        assert [f.codes for f in report.failures] == [{"r": "r1", "c": "c1"}]
        assert (report.failures[0].int_low, report.failures[0].int_high) == (2, 2)


def test_audit_refuses_a_published_small_cell():
    cells = protect(grid(ROWS, COLS, VALUES), FLAT).cells.with_columns(status=pl.lit("published"))
    report = audit(cells, FLAT, None, Policy())
    assert not report.ok
    assert "published" in report.failures[0].reason


def test_never_suppress_zeros_policy_breaks_the_naive_pattern_and_the_engine_fixes_it():
    inner = pl.DataFrame({"x": ["A", "B", "C"], "count": [2, 3, 10]})
    flat = {"x": Hierarchy.flat("x", ["A", "B", "C"])}
    naive = with_status(protect(inner, flat).cells, {("A",): "primary", ("B",): "primary"}, ("x",))
    # Zeros published: A + B = 5, A >= 1 and B >= 1, so the reader proves A, B in [1, 4].
    report = audit(naive, flat, None, Policy())
    bounds = {f.codes["x"]: (f.int_low, f.int_high) for f in report.failures}
    assert bounds == {"A": (1, 4), "B": (1, 4)}
    # If zeros may be hidden, the same pattern leaves A and B anywhere in [0, 5]: protected.
    assert audit(naive, flat, None, Policy(zeros_publishable=False)).ok
    # The engine hides C as well (A + B + C = 15, B, C >= 1 -> A in [1, 13]).
    result = protect(inner, flat)
    assert [status_of(result.cells, x=c) for c in ("A", "B", "C", "_T")] == [
        "primary",
        "primary",
        "secondary",
        "published",
    ]
    a = result.audit.intervals.filter(pl.col("x") == "A").row(0, named=True)
    assert (a["int_low"], a["int_high"]) == (1, 13)


def test_zeros_are_never_hidden_when_zeros_are_publishable():
    values = [[2, 0, 12], [0, 9, 11], [7, 13, 0]]
    result = protect(grid(ROWS, COLS, values), FLAT)
    zeros = result.cells.filter(pl.col("count") == 0)
    assert zeros.height == 3
    assert set(zeros["status"]) == {"published"}
    assert result.audit.ok


def test_region_with_a_single_district():
    district = Hierarchy("district", {"R1": "_T", "R2": "_T", "D1": "R1", "D2": "R2", "D3": "R2"})
    hier = {"district": district, "sex": Hierarchy.flat("sex", ["F", "M"])}
    inner = grid(
        ["D1", "D2", "D3"], ["F", "M"], [[3, 9], [6, 7], [8, 12]], names=("district", "sex")
    )
    result = protect(inner, hier)
    # D1 is R1: a hidden D1 x F can only stay hidden if R1 x F is hidden with it.
    assert status_of(result.cells, district="D1", sex="F") == "primary"
    assert status_of(result.cells, district="R1", sex="F") == "primary"
    assert result.audit.ok
    hidden = {(d, s): "secondary" for d in ("D1", "D2") for s in ("F", "M")}
    hidden[("D1", "F")] = "primary"
    leaky = with_status(result.cells, hidden, ("district", "sex"))  # R1 x F published
    report = audit(leaky, hier, None, Policy())
    failure = next(f for f in report.failures if f.codes == {"district": "D1", "sex": "F"})
    assert (failure.int_low, failure.int_high) == (3, 3)


def test_group_disclosure_flags_a_total_held_by_one_child():
    age = Hierarchy(
        "age", {"minor": "_T", "adult": "_T", "0-11": "minor", "12-17": "minor", "18+": "adult"}
    )
    hier = {"district": Hierarchy.flat("district", ["D1", "D2", "D3"]), "age": age}
    inner = grid(
        ["D1", "D2", "D3"],
        ["0-11", "12-17", "18+"],
        [[6, 6, 0], [5, 7, 9], [8, 6, 10]],
        names=("district", "age"),
    )
    plain = protect(inner, hier)
    assert status_of(plain.cells, district="D1", age="minor") == "published"
    policy = Policy(group_disclosure={"age": None})
    result = protect(inner, hier, policy=policy)
    assert status_of(result.cells, district="D1", age="minor") == "primary"
    # adult = 0 is published, so minor = total unless the district total is hidden too.
    assert status_of(result.cells, district="D1", age="_T") != "published"
    assert result.audit.ok
    assert audit(result.cells, hier, None, policy).ok


def test_previous_release_suppressions_stay_when_counts_are_unchanged():
    inner = grid(ROWS, COLS, VALUES)
    first = protect(inner, FLAT)
    published = first.cells.filter(
        (pl.col("status") == "published") & (pl.col("r") == "r3") & (pl.col("c") != "_T")
    )
    cell = published.row(0, named=True)
    previous = pl.DataFrame(
        {"r": [cell["r"]], "c": [cell["c"]], "count": [cell["count"]], "status": ["secondary"]}
    )
    again = protect(inner, FLAT, previous=previous)
    assert status_of(again.cells, r=cell["r"], c=cell["c"]) == "secondary"
    assert again.audit.ok
    changed = previous.with_columns(pl.col("count") + 1)
    same = protect(inner, FLAT, previous=changed)
    assert same.cells.equals(first.cells)
