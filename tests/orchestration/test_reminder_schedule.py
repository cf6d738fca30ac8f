"""The partner-reminder schedule: loaded with the other definitions, working days at the
settings' time (Lisbon), off and skipping unless SMTP and partner contacts are set, and its
job sends what ``observatory remind`` sends, through a fake mail server, once."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from indicators import reminders
from indicators.settings import load_settings
from orchestration.definitions import defs as lazy_defs
from orchestration.defs import reminders as schedule_module
from orchestration.defs.reminders import (
    default_status,
    partner_reminders,
    partner_reminders_schedule,
    reminder_cron,
)
from orchestration.defs.resources import ObservatoryResource
from tests.fake_smtp import FakeSMTP

LISBON = ZoneInfo("Europe/Lisbon")
CONTACTS = json.dumps({"APF": "dados@apf.example"})


@pytest.fixture
def mail(settings, monkeypatch):
    FakeSMTP.sent, FakeSMTP.refuse = [], False
    monkeypatch.setattr(reminders.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setenv("OBS_SMTP_HOST", "mail.example")
    monkeypatch.setenv("OBS_PARTNER_CONTACTS", CONTACTS)
    return FakeSMTP


def _tick(day: datetime) -> dg.RunRequest | dg.SkipReason:
    context = dg.build_schedule_context(scheduled_execution_time=day)
    return partner_reminders_schedule.evaluate_tick(context)


def _run(settings, today: str) -> dg.ExecuteInProcessResult:
    return partner_reminders.execute_in_process(
        run_config={"ops": {"send_partner_reminders": {"config": {"today": today}}}},
        resources={"observatory": ObservatoryResource(data_dir=str(settings.data_dir))},
        raise_on_error=False)


def test_the_schedule_is_loaded_with_the_other_definitions():
    repo = lazy_defs().get_repository_def()
    assert "partner_reminders_schedule" in {s.name for s in repo.schedule_defs}
    assert repo.get_job("partner_reminders").executor_def is dg.in_process_executor


def test_working_days_at_the_settings_time_in_lisbon():
    assert partner_reminders_schedule.cron_schedule == "0 8 * * 1-5"  # OBS_REMINDER_TIME 08:00
    assert partner_reminders_schedule.execution_timezone == "Europe/Lisbon"
    assert partner_reminders_schedule.job_name == "partner_reminders"
    assert reminder_cron("07:30") == "30 7 * * 1-5"


def test_the_time_comes_from_the_settings_object(monkeypatch):
    monkeypatch.setenv("OBS_REMINDER_TIME", "17:05")
    assert load_settings().reminders.reminder_time == "17:05"
    monkeypatch.setenv("OBS_REMINDER_TIME", "8h")
    with pytest.raises(ValueError, match="OBS_REMINDER_TIME"):
        load_settings()


def test_off_unless_smtp_and_contacts_are_set(settings, monkeypatch):
    assert default_status(settings) == dg.DefaultScheduleStatus.STOPPED
    assert schedule_module.partner_reminders_schedule.default_status == (
        dg.DefaultScheduleStatus.STOPPED)  # the test environment sets neither
    monkeypatch.setenv("OBS_SMTP_HOST", "mail.example")
    assert default_status(load_settings()) == dg.DefaultScheduleStatus.STOPPED
    skipped = _tick(datetime(2024, 4, 8, 8, 0, tzinfo=LISBON))
    assert skipped.run_requests == [] and "OBS_PARTNER_CONTACTS" in skipped.skip_message
    monkeypatch.setenv("OBS_PARTNER_CONTACTS", CONTACTS)
    assert default_status(load_settings()) == dg.DefaultScheduleStatus.RUNNING


def test_a_tick_asks_for_one_run_for_its_lisbon_day(mail):
    # 00:30 in Lisbon on 9 April is still 8 April in UTC: the run is for Lisbon's day
    [request] = _tick(datetime(2024, 4, 9, 0, 30, tzinfo=LISBON)).run_requests
    assert request.run_key == "partner_reminders_2024-04-09"
    assert request.run_config["ops"]["send_partner_reminders"]["config"] == {
        "today": "2024-04-09"}


def test_the_job_sends_each_reminder_once_through_the_mail_server(settings, mail):
    first = _run(settings, "2024-04-07")  # March due on 10 April, February missing
    assert first.success
    subjects = sorted(m["Subject"] for m in mail.sent)
    assert subjects and all(m["To"] == "dados@apf.example" for m in mail.sent)
    assert any("2024-03" in s and "2024-04-10" in s for s in subjects)
    assert any("2024-02" in s and "em falta" in s for s in subjects)
    assert first.output_for_node("send_partner_reminders") == {"sent": len(subjects)}
    log = (settings.data_dir / "reminders" / "sent.jsonl").read_text().splitlines()
    assert len(log) == len(subjects)
    again = _run(settings, "2024-04-08")
    assert again.success and len(mail.sent) == len(subjects)  # nothing sent twice


def test_a_reminder_that_cannot_be_sent_fails_the_run_and_is_tried_again(settings, mail):
    mail.refuse = True
    failed = _run(settings, "2024-04-07")
    assert not failed.success and mail.sent == []
    statuses = [json.loads(line)["status"] for line in
                (settings.data_dir / "reminders" / "sent.jsonl").read_text().splitlines()]
    assert statuses and set(statuses) == {"failed"}
    mail.refuse = False
    assert _run(settings, "2024-04-08").success and len(mail.sent) == len(statuses)
    assert date(2024, 4, 8).weekday() == 0  # the next working day
