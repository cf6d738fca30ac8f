"""The Submit page offers, for the upload and the template, only months that have ended: the
current month's return is refused until the month is over (rule ``period_not_ended``), so
the page does not offer it."""

from __future__ import annotations

from datetime import date

from dashboards.pages import submit


def test_the_months_offered_end_with_the_last_month_that_has_ended():
    months = submit._months(date(2026, 11, 30))
    assert months[0] == "2026-10" and "2026-11" not in months
    assert len(months) == 24 and months[-1] == "2024-11"
    assert submit._months(date(2027, 1, 1))[0] == "2026-12"  # across the new year
