"""indicators.plausibility: a return far from the partner's usual month is a warning."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from indicators import plausibility
from indicators.warehouse import read_sql


def _con(totals: dict[str, list[int]], first: date = date(2023, 7, 1)) -> duckdb.DuckDBPyConnection:
    """pipeline.monthly_returns with one victims return a month per partner, from ``first``."""
    con = duckdb.connect()
    con.execute(read_sql("pipeline/schema.sql"))
    for partner, counts in totals.items():
        for i, total in enumerate(counts):
            n = first.month - 1 + i
            month = date(first.year + n // 12, n % 12 + 1, 1)
            con.execute("INSERT INTO pipeline.monthly_returns VALUES (?, ?, 'victims', 1, ?, "
                        "'x', 1, ?, now(), now())", [month, partner, i, total])
    return con


MARCH = date(2024, 3, 1)  # the ninth month from July 2023


def test_the_worked_example_warns_at_three_times_the_usual_month():
    con = _con({"APF": [7, 9, 8, 6, 10, 8, 9, 7, 48]})
    [warning] = plausibility.unusual_volumes(con, MARCH, MARCH)
    assert warning.startswith("APF/victims/2024-03: total 48, face a um mês habitual de 8")
    assert "against a usual month of 8 (median of 8 of the 12 months before): check the return" \
        in warning


@pytest.mark.parametrize("march", [20, 0, 9])
def test_a_month_within_three_times_or_ten_of_the_usual_is_quiet(march):
    """20 is under 3 x 8; 0 is 8 away only (small counts vary); 9 is usual."""
    con = _con({"APF": [7, 9, 8, 6, 10, 8, 9, 7, march]})
    assert plausibility.unusual_volumes(con, MARCH, MARCH) == []


def test_a_month_far_below_the_usual_warns_too():
    con = _con({"IEFP": [30, 31, 29, 35, 28, 30, 33, 30, 4]})
    [warning] = plausibility.unusual_volumes(con, MARCH, MARCH)
    assert "IEFP/victims/2024-03: total 4" in warning and "usual month of 30" in warning


def test_without_six_months_before_there_is_no_usual_month():
    con = _con({"APF": [8, 8, 8, 8, 8, 48]}, first=date(2023, 10, 1))
    assert plausibility.unusual_volumes(con, MARCH, MARCH) == []
    assert plausibility.unusual_volumes(duckdb.connect(), MARCH, MARCH) == []  # no snapshot


def test_only_the_asked_months_and_each_partner_against_its_own_usual():
    con = _con({"APF": [7, 9, 8, 6, 10, 8, 9, 7, 48], "IEFP": [40] * 9})
    assert len(plausibility.unusual_volumes(con, MARCH, MARCH)) == 1  # IEFP's 40 is its usual
    assert plausibility.unusual_volumes(con, date(2024, 2, 1), date(2024, 2, 1)) == []


def test_activities_come_in_campaigns_and_are_not_checked():
    con = _con({"APF": [7, 9, 8, 6, 10, 8, 9, 7, 48]})
    con.execute("UPDATE pipeline.monthly_returns SET return_type = 'activities'")
    assert plausibility.unusual_volumes(con, MARCH, MARCH) == []
