"""Linked tables sharing cells, and time hierarchies with year-to-date / rolling totals."""

from __future__ import annotations

import polars as pl

from indicators.disclosure import (
    Hierarchy,
    Policy,
    TableSpec,
    audit,
    protect,
    rolling_sums,
    time_hierarchy,
    year_to_date_sums,
)

from .helpers import status_of, with_status

# district x sex x age inner cube; D1 holds 3 persons.
CUBE = {
    ("D1", "F", "a1"): 1,
    ("D1", "F", "a2"): 0,
    ("D1", "M", "a1"): 0,
    ("D1", "M", "a2"): 2,
    ("D2", "F", "a1"): 3,
    ("D2", "F", "a2"): 4,
    ("D2", "M", "a1"): 5,
    ("D2", "M", "a2"): 6,
    ("D3", "F", "a1"): 6,
    ("D3", "F", "a2"): 3,
    ("D3", "M", "a1"): 4,
    ("D3", "M", "a2"): 5,
}
INNER = pl.DataFrame(
    [(*k, v) for k, v in CUBE.items()], schema=["district", "sex", "age", "count"], orient="row"
)
HIER = {
    "district": Hierarchy.flat("district", ["D1", "D2", "D3"]),
    "sex": Hierarchy.flat("sex", ["F", "M"]),
    "age": Hierarchy.flat("age", ["a1", "a2"]),
}
BY_SEX = TableSpec("by_sex", ("district", "sex"))
BY_AGE = TableSpec("by_age", ("district", "age"))
DIMS = ("district", "sex", "age")


def _pattern(cells: pl.DataFrame, table: str, hidden_districts: set[str]) -> pl.DataFrame:
    part = cells.filter(pl.col("table") == table)
    hidden = {}
    for row in part.iter_rows(named=True):
        if row["district"] in hidden_districts:
            key = (row["district"], row["sex"], row["age"])
            hidden[key] = "primary" if 1 <= row["count"] < 5 else "secondary"
    return with_status(part, hidden, DIMS)


def test_linked_tables_protected_separately_leak_and_jointly_do_not():
    cells = protect(INNER, HIER, [BY_SEX, BY_AGE]).cells
    # by sex alone hides D1 and D2; by age alone hides D1 and D3. Each passes on its own...
    by_sex = _pattern(cells, "by_sex", {"D1", "D2"})
    by_age = _pattern(cells, "by_age", {"D1", "D3"})
    assert audit(by_sex, HIER, None, Policy()).ok
    assert audit(by_age, HIER, None, Policy()).ok
    # ...but together D1 = 39 - D2 (published by age) - D3 (published by sex) = 3.
    report = audit(pl.concat([by_sex, by_age]), HIER, None, Policy())
    failed = {tuple(f.codes.values()): (f.int_low, f.int_high) for f in report.failures}
    assert failed[("D1", "_T", "_T")] == (3, 3)


def test_joint_protection_of_linked_tables():
    result = protect(INNER, HIER, [BY_SEX, BY_AGE])
    assert set(result.cells["table"]) == {"by_sex", "by_age"}
    shared = result.cells.filter(
        (pl.col("district") == "D1") & (pl.col("sex") == "_T") & (pl.col("age") == "_T")
    )
    assert shared.height == 2  # the district total is in both tables, with one status
    assert set(shared["status"]) == {"primary"}
    assert result.audit.ok
    # The inner cube is not published: only the two tables' cells appear.
    assert result.cells.filter((pl.col("sex") != "_T") & (pl.col("age") != "_T")).height == 0
    assert result.cells.height == 2 * 4 * 3


def test_time_hierarchy_codes():
    h = time_hierarchy(["2024-02", "2024-01", "2024-04", "2025-12"])
    assert h.parents["2024-02"] == "2024-Q1"
    assert h.parents["2024-04"] == "2024-Q2"
    assert h.parents["2024-Q1"] == "2024"
    assert h.parents["2025-12"] == "2025-Q4"
    assert h.parents["2024"] == "_T"
    assert sorted(h.leaves()) == ["2024-01", "2024-02", "2024-04", "2025-12"]


def test_rolling_and_year_to_date_sums():
    months = ["2024-01", "2024-02", "2024-03"]
    assert rolling_sums(months, window=2) == {
        "2024-02-R2": ("2024-01", "2024-02"),
        "2024-03-R2": ("2024-02", "2024-03"),
    }
    assert year_to_date_sums(months) == {
        "2024-02-YTD": ("2024-01", "2024-02"),
        "2024-03-YTD": ("2024-01", "2024-02", "2024-03"),
    }


MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
MONTH_COUNTS = [10, 2, 9, 12, 8, 11]


def test_month_quarter_year_protection():
    inner = pl.DataFrame({"month": MONTHS, "count": MONTH_COUNTS})
    hier = {"month": time_hierarchy(MONTHS)}
    result = protect(inner, hier)
    codes = set(result.cells["month"])
    assert codes == {*MONTHS, "2024-Q1", "2024-Q2", "2024", "_T"}
    assert status_of(result.cells, month="2024-02") == "primary"
    q1 = result.cells.filter(
        pl.col("month").is_in(["2024-01", "2024-02", "2024-03"]) & (pl.col("status") != "published")
    )
    assert q1.height >= 2
    assert status_of(result.cells, month="2024") == "published"
    assert result.audit.ok


def test_year_to_date_totals_are_linked_cells():
    hier = {"month": time_hierarchy(MONTHS).with_sums(year_to_date_sums(MONTHS))}
    inner = pl.DataFrame({"month": MONTHS, "count": MONTH_COUNTS})
    result = protect(inner, hier)
    ytd = result.cells.filter(pl.col("month") == "2024-02-YTD").row(0, named=True)
    assert ytd["count"] == 12
    # Hiding February with March as complement protects the quarter, but the published
    # year-to-date total for February gives 12 - 10 = 2 exactly.
    leaky = with_status(
        result.cells, {("2024-02",): "primary", ("2024-03",): "secondary"}, ("month",)
    )
    report = audit(leaky, hier, None, Policy())
    failure = next(f for f in report.failures if f.codes == {"month": "2024-02"})
    assert (failure.int_low, failure.int_high) == (2, 2)
    without_ytd = {"month": time_hierarchy(MONTHS)}
    assert audit(
        leaky.filter(~pl.col("month").str.ends_with("YTD")), without_ytd, None, Policy()
    ).ok
    # February = YTD(Feb) - January: one of the two must be hidden as well.
    assert {status_of(result.cells, month=m) for m in ("2024-02-YTD", "2024-01")} != {"published"}
    assert result.audit.ok
