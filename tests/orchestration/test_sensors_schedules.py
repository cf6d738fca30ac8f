"""The inbox sensor (file system only), the monthly schedule and the run-failure alert."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg

from indicators.settings import load_settings
from orchestration.alerts import Alert, send_email, write_alert
from orchestration.defs.jobs import monthly_refresh
from orchestration.defs.resources import ObservatoryResource
from orchestration.defs.schedules import monthly_refresh_schedule
from orchestration.defs.sensors import failure_alert_sensor, inbox_sensor
from orchestration.runner import load_defs

LISBON = ZoneInfo("Europe/Lisbon")


def _tick(cursor: str | None) -> dg.SensorResult:
    return inbox_sensor(dg.build_sensor_context(
        cursor=cursor, resources={"observatory": ObservatoryResource()}))


def test_new_file_starts_a_run_keyed_by_its_content_hash(settings):
    content = b"partner,period\nOTSH,2024-03\n"
    path = settings.inbox_dir / "otsh.csv"
    path.write_bytes(content)
    result = _tick(None)
    assert len(result.run_requests) == 1
    request = result.run_requests[0]
    assert request.run_key == hashlib.sha256(content).hexdigest()
    assert request.run_config["ops"]["loaded_returns"]["config"]["files"] == [str(path)]


def test_same_file_again_starts_nothing_and_a_changed_file_starts_a_new_run(settings):
    path = settings.inbox_dir / "otsh.csv"
    path.write_bytes(b"version 1\n")
    first = _tick(None)
    assert len(first.run_requests) == 1
    again = _tick(first.cursor)
    assert again.run_requests == []
    path.write_bytes(b"version 2, revised\n")
    changed = _tick(again.cursor)
    assert [r.run_key for r in changed.run_requests] == [
        hashlib.sha256(b"version 2, revised\n").hexdigest()]


def test_sensor_ignores_unfinished_files_and_litter_and_never_opens_the_warehouse(settings):
    (settings.inbox_dir / "big.csv.part").write_bytes(b"still copying")
    (settings.inbox_dir / ".DS_Store").write_bytes(b"x")
    (settings.inbox_dir / "~$otsh.xlsx").write_bytes(b"x")
    result = _tick(None)
    assert result.run_requests == []
    assert json.loads(result.cursor) == {}
    assert not settings.warehouse_path.exists()


def test_sensor_starts_a_run_for_a_hidden_return_so_it_is_rejected_with_its_reason(settings):
    """``.otsh.csv`` is not skipped in silence: its run rejects it (rule hidden_file)."""
    path = settings.inbox_dir / ".otsh.csv"
    path.write_bytes(b"partner,period\nOTSH,2024-03\n")
    [request] = _tick(None).run_requests
    assert request.run_config["ops"]["loaded_returns"]["config"]["files"] == [str(path)]


def test_schedule_runs_on_the_5th_at_6_lisbon_for_the_previous_month():
    assert monthly_refresh_schedule.cron_schedule == "0 6 5 * *"
    assert monthly_refresh_schedule.execution_timezone == "Europe/Lisbon"
    assert monthly_refresh_schedule.job_name == monthly_refresh.name
    repo = load_defs().get_repository_def()
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2024, 4, 5, 6, 0, tzinfo=LISBON), repository_def=repo)
    requests = monthly_refresh_schedule.evaluate_tick(context).run_requests
    assert [r.partition_key for r in requests] == ["2024-03-01"]
    january = dg.build_schedule_context(
        scheduled_execution_time=datetime(2025, 1, 5, 6, 0, tzinfo=LISBON), repository_def=repo)
    assert [r.partition_key for r in
            monthly_refresh_schedule.evaluate_tick(january).run_requests] == ["2024-12-01"]


def test_failed_run_writes_a_readable_alert(settings):
    @dg.op
    def broken() -> None:
        raise RuntimeError("warehouse is on fire")

    @dg.job
    def failing_job() -> None:
        broken()

    instance = dg.DagsterInstance.ephemeral()
    result = failing_job.execute_in_process(instance=instance, raise_on_error=False)
    failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE"
                   or e.event_type_value == "RUN_FAILURE")
    context = dg.build_run_status_sensor_context(
        sensor_name="failure_alert_sensor", dagster_event=failure, dagster_instance=instance,
        dagster_run=result.dagster_run).for_run_failure()
    failure_alert_sensor(context, observatory=ObservatoryResource())
    alerts = list((settings.data_dir / "alerts").glob("*.txt"))
    assert len(alerts) == 1
    text = alerts[0].read_text(encoding="utf-8")
    assert "failing_job" in text and result.run_id in text
    assert "falhou" in text and "failed" in text


def test_alert_files_never_overwrite_each_other(tmp_path):
    alert = Alert(job="monthly_refresh", run_id="abcdef0123456789", message="boom",
                  when=datetime(2024, 4, 5, 6, 0))
    first, second = write_alert(alert, tmp_path), write_alert(alert, tmp_path)
    assert first != second and first.exists() and second.exists()


def test_email_only_when_smtp_is_configured():
    alert = Alert(job="j", run_id="r" * 16, message="m", when=datetime(2024, 4, 5))
    assert send_email(alert, load_settings({}).smtp) is False
    no_recipient = load_settings({"OBS_SMTP_HOST": "mail.example"}).smtp
    assert send_email(alert, no_recipient) is False
