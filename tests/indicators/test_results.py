"""EEA Grants results: achieved to date, % of target, status on the linear path (edges)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl
import pytest

from indicators.registry import Target, load_registry
from indicators.results import (
    ACHIEVED,
    AT_RISK,
    ON_TRACK,
    expected_to_date,
    months_between,
    path_fraction,
    results_table,
    status,
)

TARGET = Target(baseline_value=0, baseline_year=2020, target_value=120, target_year=2024)
START = date(2021, 1, 1)


def test_months_and_path_fraction() -> None:
    assert months_between(date(2021, 1, 1), date(2021, 1, 1)) == 1
    assert months_between(date(2021, 1, 1), date(2024, 12, 1)) == 48
    assert months_between(date(2021, 3, 1), date(2021, 1, 1)) == 0
    assert path_fraction(START, date(2022, 12, 1), 2024) == pytest.approx(0.5)
    assert path_fraction(START, date(2026, 6, 1), 2024) == 1.0   # capped after the target


def test_expected_on_the_linear_path() -> None:
    # halfway (24 of 48 months): 0 + (120 - 0) x 0.5 = 60
    assert expected_to_date(TARGET, START, date(2022, 12, 1)) == pytest.approx(60)
    with_baseline = replace(TARGET, baseline_value=20)
    assert expected_to_date(with_baseline, START, date(2022, 12, 1)) == pytest.approx(70)


def test_status_edges() -> None:
    expected, tol = 60.0, 0.10
    assert status(120, expected, 120, tol) == ACHIEVED           # exactly the target
    assert status(119.9, 140, 120, tol) == AT_RISK               # 119.9 < 140 x 0.9 = 126
    assert status(60, expected, 120, tol) == ON_TRACK            # exactly on the path
    assert status(54, expected, 120, tol) == ON_TRACK            # exactly 10 % below
    assert status(53.99, expected, 120, tol) == AT_RISK          # just below the tolerance
    assert status(None, expected, 120, tol) is None              # suppressed / unavailable
    assert status(59.99, expected, 120, 0.0) == AT_RISK          # no tolerance


def values(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"indicator": pl.String, "grain": pl.String,
                                      "period_label": pl.String, "geo": pl.String,
                                      "breakdown": pl.String, "breakdown_code": pl.String,
                                      "value": pl.Float64, "flags": pl.String}, orient="row")


def test_results_table_sums_whole_years_and_months() -> None:
    registry = load_registry()   # start 2021-01, tolerance 0.10, migrants target 120 in 2024
    code = "EEA_MIGRANTS_ASSISTED"
    rows = [(code, "year", "2021", "PT", "_T", "_T", 20.0, ""),
            (code, "year", "2022", "PT", "_T", "_T", 30.0, ""),
            (code, "month", "2023-01", "PT", "_T", "_T", 4.0, ""),
            (code, "month", "2023-02", "PT", "_T", "_T", 6.0, "p"),
            (code, "month", "2023-03", "PT", "_T", "_T", 1.0, ""),     # beyond as_of
            (code, "year", "2021", "PT", "sex", "F", 15.0, ""),
            (code, "year", "2022", "PT", "sex", "F", 10.0, ""),
            (code, "month", "2023-01", "PT", "sex", "F", None, "c"),
            (code, "month", "2023-02", "PT", "sex", "F", 5.0, "")]
    out = results_table(values(rows), registry, date(2023, 2, 1))
    total = out.filter((pl.col("indicator") == code) & (pl.col("breakdown") == "_T")).row(
        0, named=True)
    assert total["achieved"] == 60                      # 20 + 30 + 4 + 6
    assert total["pct_of_target"] == pytest.approx(50.0)
    # 26 of 48 months: E = 120 x 26 / 48 = 65; 60 >= 65 x 0.9 = 58.5 -> on track
    assert total["expected_to_date"] == pytest.approx(65.0)
    assert total["status"] == ON_TRACK
    assert total["flags"] == "p"
    assert total["illustrative_target"] is True
    women = out.filter((pl.col("indicator") == code) & (pl.col("breakdown_code") == "F")).row(
        0, named=True)
    assert (women["achieved"], women["status"], women["flags"]) == (None, None, "c")


def test_results_table_missing_months_are_not_available() -> None:
    registry = load_registry()
    code = "EEA_TRAINING_SESSIONS"
    rows = [(code, "month", "2021-01", "PT", "_T", "_T", 3.0, "")]
    out = results_table(values(rows), registry, date(2021, 2, 1))
    total = out.filter(pl.col("indicator") == code).row(0, named=True)
    assert (total["achieved"], total["flags"], total["status"]) == (None, ":", None)


def test_a_suppressed_month_does_not_hide_achieved_when_year_to_date_is_published() -> None:
    registry = load_registry()
    code = "EEA_VICTIMS_SUPPORTED"
    rows = [(code, "year", "2021", "PT", "_T", "_T", 40.0, ""),
            (code, "month", "2022-01", "PT", "_T", "_T", None, "c"),   # suppressed month
            (code, "month", "2022-02", "PT", "_T", "_T", 9.0, ""),
            (code, "ytd", "2022-01..2022-02", "PT", "_T", "_T", 12.0, "")]
    out = results_table(values(rows), registry, date(2022, 2, 1))
    total = out.filter(pl.col("indicator") == code).row(0, named=True)
    assert (total["achieved"], total["flags"]) == (52.0, "")            # 40 + 12
