"""The observatory's clock is Lisbon's: on a summer 1st between 00:00 and 01:00 Lisbon time
the UTC date is still the last day of the previous month, and a return for that month, now
ended in Lisbon, must not be refused as "not ended"."""

from __future__ import annotations

from datetime import UTC, date, datetime

from indicators.local_time import local_time, today


def test_a_summer_first_in_lisbon_is_still_the_last_day_in_utc():
    moment = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert moment.date() == date(2026, 6, 30)
    assert today(moment) == date(2026, 7, 1)
    assert local_time(moment).hour == 0


def test_in_winter_lisbon_is_utc():
    moment = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert today(moment) == date(2026, 11, 30) and local_time(moment).hour == 23
