"""Data quality mart and availability flags (p, :) computed from core.* fixtures."""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from indicators.compute import compute_all
from indicators.registry import load_registry
from tests.indicators.test_compute import (
    add_rejected,
    add_submission,
    con,  # noqa: F401  (fixture)
    expectations,
    value,
    victim,
)


def build(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:  # noqa: F811
    """OTSH and APF expected monthly (victims) from 2024-01; data 2024-01..2024-03.

    2024-01: both on time (received 2024-02-05; due 2024-02-10). 2024-02: OTSH only,
    received 2024-03-15 (due 2024-03-10: 5 days late), then revised 2024-04-01; APF missing,
    one rejected APF file. 2024-03: nobody sent victims; APF sent a support return.
    """
    add_submission(con, "OTSH", "victims", "2024-01", [victim(count=6)],
                   received_at=datetime(2024, 2, 5))
    add_submission(con, "APF", "victims", "2024-01", [victim(count=2)],
                   received_at=datetime(2024, 2, 5))
    add_submission(con, "OTSH", "victims", "2024-02", [victim(count=3)],
                   received_at=datetime(2024, 3, 15))
    add_submission(con, "OTSH", "victims", "2024-02", [victim(count=4)],
                   received_at=datetime(2024, 4, 1), supersede=True)
    add_rejected(con, "APF", "victims", "2024-02")
    add_submission(con, "APF", "support", "2024-03", [], received_at=datetime(2024, 4, 2))
    compute_all(con, load_registry(), expectations(("OTSH", "victims"), ("APF", "victims"),
                                                   first="2024-01"))
    return con.sql("SELECT * FROM marts.data_quality").pl()


def dq_row(df: pl.DataFrame, partner: str, return_type: str, month: str) -> dict:
    sub = df.filter((pl.col("partner") == partner) & (pl.col("return_type") == return_type)
                    & (pl.col("period").dt.strftime("%Y-%m") == month))
    assert sub.height == 1
    return sub.row(0, named=True)


def test_data_quality_expected_received_late_revised_rejected(con) -> None:  # noqa: F811
    df = build(con)
    jan = dq_row(df, "OTSH", "victims", "2024-01")
    assert (jan["expected"], jan["received"], jan["days_late"], jan["versions"],
            jan["revisions"]) == (True, True, 0, 1, 0)
    feb = dq_row(df, "OTSH", "victims", "2024-02")
    assert str(feb["due_date"]) == "2024-03-10"
    assert (feb["days_late"], feb["versions"], feb["revisions"]) == (5, 2, 1)
    missing = dq_row(df, "APF", "victims", "2024-02")
    assert (missing["expected"], missing["received"], missing["days_late"],
            missing["rejected_files"]) == (True, False, None, 1)
    unexpected = dq_row(df, "APF", "support", "2024-03")
    assert (unexpected["expected"], unexpected["received"]) == (False, True)


def test_provisional_and_not_available_flags(con) -> None:  # noqa: F811
    build(con)
    df = con.sql("SELECT * FROM marts.indicator_values").pl()
    assert value(df, "THB_SIGNALLED", "month", "2024-01") == (8, "")
    assert value(df, "THB_SIGNALLED", "month", "2024-02") == (4, "p")   # APF missing
    assert value(df, "THB_SIGNALLED", "month", "2024-03") == (None, ":")   # nobody reported
    assert value(df, "THB_PRESUMED", "quarter", "2024-Q1") == (12, "p")
    assert value(df, "THB_SIGNALLED", "ytd", "2024-01..2024-01") == (8, "")
