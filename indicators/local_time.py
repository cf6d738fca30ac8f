"""The observatory's clock: Lisbon, where partners and OTSH work. A month has ended, a return
is due or late, and a time is shown, by the Europe/Lisbon calendar, not the server's (UTC on
most servers: between 00:00 and 01:00 on a summer 1st they disagree on the month)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from indicators.i18n import fmt_date

LISBON = ZoneInfo("Europe/Lisbon")


def local_time(moment: datetime) -> datetime:
    """``moment`` (aware, e.g. UTC) in Lisbon local time, as a partner's office clock shows
    it."""
    return moment.astimezone(LISBON)


def stamp(moment: datetime, lang: str) -> str:
    """``moment`` as the pages write a time: the Lisbon date as the page dates
    (30/11/2026 in Portuguese) and the hour (20:02)."""
    local = local_time(moment)
    return f"{fmt_date(local.date(), lang)} {local:%H:%M}"


def today(now: datetime | None = None) -> date:
    """Today's date in Lisbon (``now``: an aware moment, default the current one)."""
    return local_time(now or datetime.now(UTC)).date()


def month_after(period: str) -> date:
    """The first day of the month after ``period`` (YYYY-MM): the day that month has ended."""
    first = date.fromisoformat(f"{period}-01")
    return (first + timedelta(days=31)).replace(day=1)
