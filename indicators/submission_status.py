"""Where a partner's submissions stand, and the partner's returns calendar.

:func:`progress` reads the file system and the published release only (never the warehouse):
in the inbox → ``received``; archived and gone from the inbox → ``loaded``; its (return type,
month) at its version in a release → ``in_release``. :func:`calendar` lists the returns the
registry expects with their due dates and received / late / rejected / missing / due, judged
from the FIRST delivery of each return (a later revision never turns an on-time return late:
it is shown beside the state). :func:`replaced_by`, :func:`replaces` and :func:`identical_to`
tell how the partner's uploads relate to each other (history rows and receipts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from indicators.local_time import local_time, month_after
from indicators.submissions import ACCEPTED, DUPLICATE, REJECTED, Submission

if TYPE_CHECKING:
    from indicators.settings import Settings


@dataclass(frozen=True)
class Progress:
    """Where an accepted submission stands: received → loaded → in_release (or what the
    ingest decided instead: rejected_at_load, duplicate)."""

    state: str
    release_id: str | None = None


def _resolve(stored: str, settings: Settings) -> Path:
    path = Path(stored)
    return path if path.is_absolute() else settings.data_dir / path


def progress(sub: Submission, settings: Settings, release_id: str | None = None,
             release_versions: Mapping[tuple[str, str], int] | None = None) -> Progress:
    """From the file system and the published release (``release_versions``: (return type,
    YYYY-MM) → version in release ``release_id``); never the warehouse."""
    if sub.result != ACCEPTED:
        return Progress(sub.result)
    if _resolve(sub.stored, settings).exists():
        return Progress("received")
    digest = sub.sha256
    if any((settings.archive_dir / digest[:2]).glob(f"{digest}_*")):
        versions = release_versions or {}
        if release_id and sub.keys and all(
                versions.get(key, 0) >= sub.versions.get(f"{key[0]}/{key[1]}", 1)
                for key in sub.keys):
            return Progress("in_release", release_id)
        return Progress("loaded")
    if any(settings.quarantine_dir.glob(f"*_{digest[:12]}_*")):
        return Progress("rejected_at_load")
    if any((settings.archive_dir / "duplicates").glob(f"*_{digest[:12]}_*")):
        return Progress("duplicate")
    return Progress("received")


@dataclass(frozen=True)
class CalendarEntry:
    return_type: str
    period: str  # YYYY-MM
    due: date
    state: str  # received | late (the FIRST delivery) | rejected | missing | due (not yet)
    revised: bool = False  # a later version replaced the first delivery
    revised_at: datetime | None = None  # the newest revision handed in on the page (UTC)


def due_date(period: date, due_days: int) -> date:
    """The return for month M is due ``due_days`` days after the last day of M."""
    last = (period.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return last + timedelta(days=due_days)


def months_before(today: date, count: int) -> list[date]:
    """The ``count`` months up to and including the current one, oldest first."""
    months, month = [], today.replace(day=1)
    for _ in range(count):
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    return months[::-1]


def calendar(partner: str, months: list[date], submissions: list[Submission],
             published_states: Mapping[tuple[str, str], str], today: date,
             published_late: Mapping[tuple[str, str], int] | None = None
             ) -> list[CalendarEntry]:
    """Expected returns of ``partner`` (registry) per month with their due date and state.

    Timeliness is judged from the FIRST delivery of each (return type, month), whatever
    its channel: an upload on this page, or the release's first receipt (``published_late``:
    days late of the first delivery the release knows; else its state ``received`` /
    ``late``). A revision (a later version) never turns an on-time return late: it is
    flagged beside the state (``revised``, with the date of the newest revision sent here).
    Without any delivery: ``rejected`` if an upload sent after the month ended was rejected
    (one sent before was refused only for being early: no failed delivery, the history
    lists it), else ``missing`` once due (``due`` before)."""
    from indicators.registry import load_expected

    expected = load_expected()
    out = []
    for month in months:
        for entry in expected.entries:
            if entry.partner != partner or month < entry.first or (
                    entry.last is not None and month > entry.last):
                continue
            key = (entry.return_type, month.strftime("%Y-%m"))
            due = due_date(month, expected.due_days)
            out.append(_entry(key, due, submissions, published_states,
                              published_late or {}, today))
    return out


def _entry(key: tuple[str, str], due: date, submissions: list[Submission],
           published_states: Mapping[tuple[str, str], str],
           published_late: Mapping[tuple[str, str], int], today: date) -> CalendarEntry:
    sent = [s for s in submissions if key in s.keys]
    published = published_states.get(key)
    revisions = [s.received for s in sent if s.result == ACCEPTED
                 and s.versions.get(_version_key(key), 1) > 1]
    revised = published == "revised" or bool(revisions)
    delivered = [s.received.date() for s in sent if s.result in (ACCEPTED, DUPLICATE)]
    on_time = any(day <= due for day in delivered) or (
        published_late[key] <= 0 if key in published_late
        else published in ("received", "revised"))  # no date: as the release judged it
    if on_time or delivered or published in ("late", "revised"):
        return CalendarEntry(key[0], key[1], due, "received" if on_time else "late",
                             revised, max(revisions, default=None))
    ended = month_after(key[1])  # an attempt before the month ended was refused for that
    if any(s.result == REJECTED and local_time(s.received).date() >= ended for s in sent) or (
            published == "rejected" and today >= ended):
        return CalendarEntry(key[0], key[1], due, "rejected")
    return CalendarEntry(key[0], key[1], due, "missing" if today > due else "due")


# --------------------------------------------------------------------------- between uploads

def _version_key(key: tuple[str, str]) -> str:
    return f"{key[0]}/{key[1]}"


def replaced_by(sub: Submission, submissions: list[Submission]) -> int | None:
    """The newest version that replaced ``sub`` (an accepted upload) on this page: a later
    accepted upload of one of its returns with a higher version; ``None`` while ``sub`` is
    the latest. Only the partner's uploads here count (their versions are the ones the
    partner was given on the receipts)."""
    if sub.result != ACCEPTED:
        return None
    newest = 0
    for key in sub.keys:
        own = sub.versions.get(_version_key(key), 1)
        later = [s.versions.get(_version_key(key), 0) for s in submissions
                 if s.result == ACCEPTED and s.id != sub.id and key in s.keys]
        newest = max([newest, *[v for v in later if v > own]])
    return newest or None


def replaces(sub: Submission, submissions: list[Submission]
             ) -> list[tuple[int, datetime | None]]:
    """The versions ``sub`` (an accepted upload) replaces, each with when it was handed in on
    this page (``None``: it came another way, e.g. by e-mail, and the page has no date)."""
    if sub.result != ACCEPTED:
        return []
    out: list[tuple[int, datetime | None]] = []
    for key in sub.keys:
        previous = sub.versions.get(_version_key(key), 1) - 1
        if previous < 1:
            continue
        earlier = [s.received for s in submissions if s.result == ACCEPTED
                   and s.id != sub.id and s.received <= sub.received
                   and s.versions.get(_version_key(key)) == previous]
        found = (previous, max(earlier, default=None))
        if found not in out:
            out.append(found)
    return out


def identical_to(sub: Submission, submissions: list[Submission]) -> Submission | None:
    """The earlier accepted upload whose content ``sub`` (a duplicate) repeats byte for byte;
    ``None`` when the content was loaded from another channel (the inbox, e-mail)."""
    if sub.result != DUPLICATE:
        return None
    return next((s for s in submissions if s.result == ACCEPTED and s.sha256 == sub.sha256
                 and s.received <= sub.received), None)
