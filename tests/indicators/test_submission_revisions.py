"""How a partner's uploads relate to each other (indicators.submission_status): timeliness
is judged from the FIRST delivery of a return, a revision is flagged beside it, a replaced
upload knows what replaced it, an identical re-send knows which version it repeats, and a
rejected workbook still says its return type from its sheets."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from indicators import submission_status as status
from indicators import submissions as subs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "returns"
VALID = (FIXTURES / "victims_APF_2024-03.csv").read_bytes()
TODAY = date(2024, 4, 20)
OCTOBER = ("victims", "2026-10")  # due 10/11/2026


def _sub(result: str, when: str, version: int = 1, sha: str = "", **kw) -> subs.Submission:
    return subs.Submission(id=f"{when}-{version}", received_at=when, user="ana",
                           partner="APF", file_name="f.csv", result=result,
                           return_types=("victims",), periods=("2026-10",),
                           versions={"victims/2026-10": version}, sha256=sha, **kw)


def _october(entries: list[status.CalendarEntry]) -> status.CalendarEntry:
    return next(e for e in entries if (e.return_type, e.period) == OCTOBER)


def test_a_late_correction_of_an_on_time_return_stays_on_time_and_is_flagged_revised():
    """October 2026 came on time by e-mail (R in the release); a correction sent here on
    30/11 must not turn it late."""
    correction = _sub(subs.ACCEPTED, "2026-11-30T20:02:00+00:00", version=2)
    today = date(2026, 12, 1)
    published = {OCTOBER: "received"}
    months = [date(2026, 10, 1)]
    entry = _october(status.calendar("APF", months, [correction], published, today))
    assert entry.state == "received"  # the release's state alone: on time
    entry = _october(status.calendar("APF", months, [correction], published, today,
                                     {OCTOBER: 0}))  # with the release's days late
    assert entry.state == "received"
    assert entry.revised and entry.revised_at == datetime(2026, 11, 30, 20, 2, tzinfo=UTC)


def test_the_first_delivery_decides_timeliness_whatever_its_channel():
    today = date(2026, 12, 1)
    months = [date(2026, 10, 1)]
    first_late = _sub(subs.ACCEPTED, "2026-11-20T09:00:00+00:00")
    entry = _october(status.calendar("APF", months, [first_late], {}, today))
    assert (entry.state, entry.revised) == ("late", False)  # the first delivery was late
    # the release's first delivery was on time (days late 0) though its state says revised
    entry = _october(status.calendar("APF", months, [first_late], {OCTOBER: "revised"}, today,
                                     {OCTOBER: 0}))
    assert (entry.state, entry.revised) == ("received", True)
    # the release knows a late first delivery: a revision does not make it on time either
    revision = _sub(subs.ACCEPTED, "2026-11-30T09:00:00+00:00", version=2)
    entry = _october(status.calendar("APF", months, [revision], {OCTOBER: "late"}, today,
                                     {OCTOBER: 12}))
    assert (entry.state, entry.revised) == ("late", True)


def test_a_replaced_upload_knows_its_successor_and_the_successor_what_it_replaces():
    v2 = _sub(subs.ACCEPTED, "2026-11-29T10:00:00+00:00", version=2)
    v3 = _sub(subs.ACCEPTED, "2026-11-30T20:02:00+00:00", version=3)
    mine = [v2, v3]
    assert status.replaced_by(v2, mine) == 3
    assert status.replaced_by(v3, mine) is None
    assert status.replaces(v3, mine) == [(2, v2.received)]
    # v1 came another way (e-mail): the page knows its number but not its date
    assert status.replaces(v2, mine) == [(1, None)]
    assert status.replaces(_sub(subs.ACCEPTED, "2026-11-01T10:00:00+00:00"), mine) == []


def test_an_identical_resend_names_the_upload_it_repeats(settings):
    first = subs.receive(VALID, "victims.csv", user="ana", partner="APF", settings=settings,
                         today=TODAY).submission
    again = subs.receive(VALID, "victims.csv", user="ana", partner="APF", settings=settings,
                         today=TODAY, reason="reenvio").submission
    assert again.result == subs.DUPLICATE
    mine = subs.AuditTrail(settings.data_dir).of_partner("APF")
    assert status.identical_to(again, mine) == first
    assert status.identical_to(first, mine) is None
    # what really happens: nothing more in the inbox, nothing quarantined, no new version
    assert len(list(settings.inbox_dir.iterdir())) == 1
    assert list(settings.quarantine_dir.iterdir()) == []
    assert again.versions == first.versions == {"victims/2024-03": 1}


def test_a_rejected_workbook_says_its_return_type_from_its_sheet(settings):
    from indicators.template import build_template

    frame = pl.read_csv(FIXTURES / "victims_APF_2024-03.csv", infer_schema_length=0)
    frame = frame.with_columns(pl.col("count").cast(pl.Int64),
                               pl.col("district").replace("PT-13", "PT-99"))
    data = build_template("APF", "2024-03", rows={"victims": frame}, return_types=("victims",))
    outcome = subs.receive(data, "modelo preenchido.xlsx", user="ana", partner="APF",
                           settings=settings, today=TODAY)
    assert outcome.submission.result == subs.REJECTED
    assert outcome.submission.return_types == ("victims",)  # the name says nothing
