"""Partner reminders, unattended: ``partner_reminders_schedule`` starts the
``partner_reminders`` job Monday to Friday at ``OBS_REMINDER_TIME`` (Lisbon, default 08:00),
which does what ``observatory remind`` does (:func:`indicators.reminders.send_reminders`):
one e-mail per return coming due or missing, each sent once (``reminders/sent.jsonl``).

Off unless configured: the schedule starts switched on only when ``OBS_SMTP_HOST`` and
``OBS_PARTNER_CONTACTS`` are set, and a tick skips (saying why) when they are not, so a
schedule switched on by hand without them sends nothing. Working days only: an office
answers reminders on a working day, and a reminder not sent on Saturday goes on Monday (a
return missing stays missing; a return coming due is reminded within ``OBS_REMINDER_DAYS``).
A reminder that could not be sent fails the run, so the failure alert sensor tells the
operator; it is logged as failed and tried again on the next working day.

The time is read when the definitions load (a cron schedule is fixed then): a changed
``OBS_REMINDER_TIME`` takes effect when the code location is reloaded."""

from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

import dagster as dg

from indicators.local_time import today as local_today
from indicators.reminders import published_states, send_reminders
from indicators.settings import Settings, load_settings
from orchestration.defs.partitions import TIMEZONE
from orchestration.defs.resources import ObservatoryResource

WORKING_DAYS = "1-5"  # cron day-of-week: Monday to Friday


def reminder_cron(hh_mm: str) -> str:
    """The cron expression of ``HH:MM`` on working days."""
    hour, minute = (int(part) for part in hh_mm.split(":"))
    return f"{minute} {hour} * * {WORKING_DAYS}"


def reminders_configured(settings: Settings) -> bool:
    """Reminders can go out: an SMTP server and at least one partner address."""
    return bool(settings.smtp.host and settings.reminders.partner_contacts)


def default_status(settings: Settings) -> dg.DefaultScheduleStatus:
    return (dg.DefaultScheduleStatus.RUNNING if reminders_configured(settings)
            else dg.DefaultScheduleStatus.STOPPED)


class ReminderConfig(dg.Config):
    today: str | None = None  # YYYY-MM-DD; the schedule passes its day (default: today, UTC)


@dg.op(description="E-mail partners about returns coming due and missing (never a figure). "
                   "/ Lembretes por e-mail aos parceiros.")
def send_partner_reminders(context: dg.OpExecutionContext, config: ReminderConfig,
                           observatory: ObservatoryResource) -> dict[str, int]:
    settings = observatory.settings()
    today = date.fromisoformat(config.today) if config.today else local_today()
    results = send_reminders(settings.data_dir, today, published_states(settings.serving_dir))
    counts = dict(Counter(status for _, status in results))
    context.log.info(f"lembretes / reminders {today}: {counts or 'nenhum / none'}")
    failed = [reminder.key for reminder, status in results if status == "failed"]
    if failed:
        raise dg.Failure(description=f"lembretes não enviados / reminders not sent: {failed}",
                         metadata={"failed": len(failed)})
    return counts


@dg.job(executor_def=dg.in_process_executor,
        description="Send the partner reminders (observatory remind). / Enviar os lembretes.")
def partner_reminders() -> None:
    send_partner_reminders()


_AT_LOAD = load_settings()


@dg.schedule(name="partner_reminders_schedule", job=partner_reminders,
             cron_schedule=reminder_cron(_AT_LOAD.reminders.reminder_time),
             execution_timezone=TIMEZONE, default_status=default_status(_AT_LOAD),
             description="Monday to Friday at OBS_REMINDER_TIME (Lisbon): partner reminders; "
                         "on only with OBS_SMTP_HOST and OBS_PARTNER_CONTACTS. / Dias úteis: "
                         "lembretes aos parceiros.")
def partner_reminders_schedule(context: dg.ScheduleEvaluationContext,
                               ) -> dg.RunRequest | dg.SkipReason:
    if not reminders_configured(load_settings()):
        return dg.SkipReason("sem OBS_SMTP_HOST ou OBS_PARTNER_CONTACTS: nenhum lembrete / "
                             "OBS_SMTP_HOST or OBS_PARTNER_CONTACTS unset: no reminder")
    day = context.scheduled_execution_time.astimezone(ZoneInfo(TIMEZONE)).date().isoformat()
    return dg.RunRequest(run_key=f"partner_reminders_{day}", run_config={
        "ops": {"send_partner_reminders": {"config": {"today": day}}}})
