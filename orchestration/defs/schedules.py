"""The monthly refresh: on the 5th of each month at 06:00 Lisbon time, for the previous month
(the last complete partition), recomputing everything downstream."""

from datetime import date
from zoneinfo import ZoneInfo

import dagster as dg

from orchestration.defs.jobs import monthly_refresh
from orchestration.defs.partitions import TIMEZONE


def previous_month(day: date) -> str:
    """Partition key of the month before ``day``'s month."""
    year, month = (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
    return date(year, month, 1).isoformat()


@dg.schedule(name="monthly_refresh_schedule", job=monthly_refresh, cron_schedule="0 6 5 * *",
             execution_timezone=TIMEZONE, default_status=dg.DefaultScheduleStatus.RUNNING,
             description="5th of each month, 06:00 Lisbon: refresh the previous month and "
                         "publish. / Dia 5, 06:00 (Lisboa): atualizar o mês anterior.")
def monthly_refresh_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    local = context.scheduled_execution_time.astimezone(ZoneInfo(TIMEZONE))
    key = previous_month(local.date())
    return dg.RunRequest(run_key=f"monthly_refresh_{key}", partition_key=key)
