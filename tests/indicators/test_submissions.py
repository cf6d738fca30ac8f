"""Uploads through the dashboard (indicators.submissions): validated without the warehouse,
accepted files atomically in the inbox under a name the ingest reads, rejected files in
quarantine with their reports, re-submissions with a reason and the next version, the audit
trail, progress read from the file system, and the returns calendar."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from indicators import submission_status as status
from indicators import submissions as subs
from indicators.ingest import claimed_by_name, ingest_paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "returns"
VALID = (FIXTURES / "victims_APF_2024-03.csv").read_bytes()
TODAY = date(2024, 4, 20)


def _receive(settings, data=VALID, name="victims.csv", partner="APF", **kw):
    return subs.receive(data, name, user="pia", partner=partner, settings=settings,
                        today=TODAY, **kw)


def test_accepted_upload_lands_whole_in_the_inbox_under_a_name_the_ingest_reads(settings):
    outcome = _receive(settings, name="../../etc/passwd victims.csv")
    sub = outcome.submission
    assert outcome.accepted and outcome.problems == []
    assert (sub.partner, sub.return_types, sub.periods, sub.n_rows) == \
        ("APF", ("victims",), ("2024-03",), 3)
    assert sub.versions == {"victims/2024-03": 1}
    [stored] = list(settings.inbox_dir.iterdir())
    assert stored.read_bytes() == VALID  # no temporary or partial file left beside it
    assert stored.name.startswith("APF_victims_2024-03_web")
    assert claimed_by_name(stored.name) == (["victims"], [date(2024, 3, 1)])
    assert sub.file_name == "passwd_victims.csv"  # the partner's name, made safe
    assert "/" not in sub.file_name and ".." not in sub.file_name
    assert subs.AuditTrail(settings.data_dir).all() == [sub]


def test_rejected_upload_is_quarantined_with_reports_naming_row_and_column(settings):
    broken = VALID.replace(b"APF,2024-03,PT-13,M", b"APF,2024-03,PT-99,M")
    outcome = _receive(settings, data=broken, name="APF victims 2024-03 broken.csv")
    assert outcome.submission.result == "rejected"
    # the type and month the name claims, so the calendar counts the rejection
    assert (outcome.submission.return_types, outcome.submission.periods) == \
        (("victims",), ("2024-03",))
    problem = next(p for p in outcome.problems if p.rule == "unknown_code")
    assert (problem.row, problem.column, problem.value) == (3, "district", "PT-99")
    assert "linha 3" in problem.message_pt and "row 3" in problem.message_en
    assert list(settings.inbox_dir.iterdir()) == []
    names = sorted(p.name for p in settings.quarantine_dir.iterdir())
    original = next(n for n in names if n.endswith("_2024-03_broken.csv"))
    assert (settings.quarantine_dir / original).read_bytes() == broken
    assert {original + ".report.json", original + ".report.txt"} <= set(names)
    report = json.loads((settings.quarantine_dir / (original + ".report.json")).read_text())
    assert report["partner"] == "APF" and report["problems"][0]["rule"] == "unknown_code"
    text = (settings.data_dir / outcome.submission.report).read_text(encoding="utf-8")
    assert "PT-99" in text and "PORTUGUÊS" in text and "ENGLISH" in text


@pytest.mark.parametrize("name,data,rule", [
    ("victims.pdf", VALID, "unsupported_file_type"),
    ("victims.csv", b"x" * (subs.UPLOAD_MAX_BYTES + 1), "file_too_large"),
    ("victims.csv", b"", "empty_file"),
    ("victims.xlsx", b"PK\x03\x04" + b"\0" * 100, "not_a_workbook"),
])
def test_wrong_types_sizes_and_broken_workbooks_are_rejected(settings, name, data, rule):
    outcome = _receive(settings, data=data, name=name)
    assert outcome.submission.result == "rejected"
    assert outcome.problems[0].rule == rule
    assert list(settings.inbox_dir.iterdir()) == []


def test_a_file_of_another_partner_or_not_what_was_chosen_is_rejected(settings):
    assert [p.rule for p in _receive(settings, partner="DGS").problems] == ["partner_mismatch"]
    wrong = _receive(settings, period="2024-02", return_type="support").problems
    assert sorted(p.rule for p in wrong) == ["period_mismatch", "return_type_mismatch"]
    messages = " ".join(f"{p.message_en} {p.message_pt}" for p in wrong)
    assert "the file's returns are for 2024-03, not for 2024-02 as chosen" in messages
    assert "os reportes do ficheiro são do tipo victims, e não support" in messages
    assert "(s)" not in messages
    assert _receive(settings, period="2024-03", return_type="victims").accepted


def test_resubmission_needs_a_reason_and_gets_the_next_version(settings):
    first = _receive(settings)
    again = _receive(settings, data=VALID.replace(b",2\n", b",3\n", 1))
    assert again.submission.result == "reason_required"
    assert len(list(settings.inbox_dir.iterdir())) == 1  # nothing stored without a reason
    second = _receive(settings, data=VALID.replace(b",2\n", b",3\n", 1),
                      reason="corrected count in Lisboa")
    assert second.accepted and second.submission.versions == {"victims/2024-03": 2}
    assert second.submission.reason == "corrected count in Lisboa"
    assert first.submission.versions == {"victims/2024-03": 1}
    same = _receive(settings, data=VALID.replace(b",2\n", b",3\n", 1), reason="again")
    assert same.submission.result == "duplicate"
    assert len(list(settings.inbox_dir.iterdir())) == 2


def test_a_published_version_counts_as_an_earlier_submission(settings):
    published = {("victims", "2024-03"): 4}
    assert _receive(settings, published=published).submission.result == "reason_required"
    sub = _receive(settings, published=published, reason="revision").submission
    assert sub.versions == {"victims/2024-03": 5}


def test_progress_from_inbox_to_loaded_to_release(settings):
    sub = _receive(settings).submission
    assert status.progress(sub, settings).state == "received"
    outcomes = ingest_paths([settings.inbox_dir], settings, today=TODAY)
    assert [o.status for o in outcomes] == ["loaded"]
    assert outcomes[0].versions == {"victims/2024-03": 1}
    assert status.progress(sub, settings).state == "loaded"
    assert status.progress(sub, settings, "R1", {("victims", "2024-02"): 1}).state == "loaded"
    state = status.progress(sub, settings, "R1", {("victims", "2024-03"): 1})
    assert (state.state, state.release_id) == ("in_release", "R1")


def test_audit_trail_is_append_only_and_copied_into_the_warehouse(settings):
    _receive(settings)
    _receive(settings, partner="DGS")
    trail = subs.AuditTrail(settings.data_dir)
    with trail.path.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")  # a damaged line is skipped, never fatal
    assert [s.result for s in trail.all()] == ["accepted", "rejected"]
    assert [s.partner for s in trail.of_partner("DGS")] == ["DGS"]
    assert oct(trail.path.stat().st_mode & 0o777) == "0o600"
    con = duckdb.connect(":memory:")
    assert subs.copy_audit_into(con, settings.data_dir) == 2
    rows = con.sql("SELECT user, partner, result, file_name FROM core.submission_audit "
                   "ORDER BY received_at, result").fetchall()
    assert rows == [("pia", "APF", "accepted", "victims.csv"),
                    ("pia", "DGS", "rejected", "victims.csv")]


def _sub(result: str, when: str, period: str = "2024-03") -> subs.Submission:
    return subs.Submission(id=when, received_at=when, user="pia", partner="APF",
                           file_name="f.csv", result=result, return_types=("victims",),
                           periods=(period,))


def test_calendar_states_against_due_dates_from_the_registry():
    assert status.due_date(date(2024, 2, 1), 10) == date(2024, 3, 10)
    months = [date(2024, 2, 1), date(2024, 3, 1), date(2024, 4, 1)]
    sent = [_sub("accepted", "2024-03-05T10:00:00+00:00", "2024-02"),
            _sub("rejected", "2024-04-02T10:00:00+00:00", "2024-03"),
            _sub("accepted", "2024-05-20T10:00:00+00:00", "2024-04")]
    entries = status.calendar("APF", months, sent, {("support", "2024-02"): "late"},
                            today=date(2024, 5, 20))
    state = {(e.return_type, e.period): e.state for e in entries}
    assert {rt for rt, _ in state} == {"victims", "support", "activities"}  # registry
    assert state[("victims", "2024-02")] == "received"  # before 10 March
    assert state[("victims", "2024-03")] == "rejected"  # only a rejected file
    assert state[("victims", "2024-04")] == "late"  # due 10 May, sent 20 May
    assert state[("support", "2024-02")] == "late"  # from the published data quality
    assert state[("support", "2024-03")] == "missing"
    early = status.calendar("APF", [date(2024, 5, 1)], [], {}, today=date(2024, 5, 20))
    assert {e.state for e in early} == {"due"}
    assert status.months_before(date(2024, 1, 15), 3) == [date(2023, 11, 1), date(2023, 12, 1),
                                                        date(2024, 1, 1)]


def test_an_upload_refused_before_its_month_ended_is_no_failed_delivery():
    """An upload refused because its month had not ended (30 April for April) leaves the
    month ``due`` until its due date (10 May), then ``missing``; one rejected after the month
    ended is a failed delivery at once, before the due date too; the release's ``rejected``
    counts once the month has ended."""
    early = [_sub("rejected", "2024-04-30T10:00:00+00:00", "2024-04")]
    failed = [_sub("rejected", "2024-05-03T10:00:00+00:00", "2024-04")]
    april = date(2024, 4, 1)

    def victims(sent, published, today):
        entries = status.calendar("APF", [april], sent, published, today=today)
        return next(e.state for e in entries if e.return_type == "victims")

    assert victims(early, {}, date(2024, 4, 30)) == "due"  # April not ended
    assert victims(early, {}, date(2024, 5, 10)) == "due"  # the due date itself
    assert victims(early, {}, date(2024, 5, 11)) == "missing"
    assert victims(failed, {}, date(2024, 5, 3)) == "rejected"
    # 23:30 UTC on 30 April is 00:30 on 1 May in Lisbon (summer time): April has ended
    assert victims([_sub("rejected", "2024-04-30T23:30:00+00:00", "2024-04")], {},
                   date(2024, 5, 1)) == "rejected"
    rejected = {("victims", "2024-04"): "rejected"}
    assert victims([], rejected, date(2024, 5, 2)) == "rejected"
    assert victims([], rejected, date(2024, 4, 30)) == "due"


def test_the_inbox_sensor_and_ingest_never_see_a_half_written_upload(settings, monkeypatch):
    from indicators.ingest import expand_paths

    seen = []
    real_replace = subs.os.replace

    def replace_and_look(src, dst):  # what the sensor would list just before the rename
        seen.append([p.name for p in expand_paths([settings.inbox_dir])])
        partial = Path(src)
        assert partial.name.startswith(".") and partial.read_bytes() == VALID
        real_replace(src, dst)

    monkeypatch.setattr(subs.os, "replace", replace_and_look)
    sub = _receive(settings).submission
    assert seen == [[]]  # the temporary file is hidden from the sensor and the ingest
    assert [p.name for p in expand_paths([settings.inbox_dir])] == [Path(sub.stored).name]


def test_content_the_ingest_already_loaded_is_a_duplicate_not_a_new_version(settings):
    """The same bytes loaded earlier from the inbox (not through the dashboard) and then sent
    again with a reason: no new version promised, nothing handed to the inbox."""
    (settings.inbox_dir / "APF_victims_2024-03.csv").write_bytes(VALID)
    assert [o.status for o in ingest_paths([settings.inbox_dir], settings,
                                           today=TODAY)] == ["loaded"]
    before = sorted(settings.inbox_dir.iterdir())
    outcome = _receive(settings, reason="correction", published={("victims", "2024-03"): 1})
    assert outcome.submission.result == "duplicate"
    assert outcome.submission.versions == {"victims/2024-03": 1}
    assert sorted(settings.inbox_dir.iterdir()) == before
    assert status.progress(outcome.submission, settings).state == "duplicate"
