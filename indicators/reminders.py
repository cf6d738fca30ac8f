"""E-mail reminders to partners: a return coming due, and a return missing after its due date.

Only when SMTP is configured (the ``OBS_SMTP_*`` variables of the alerts) and the partner has
a contact address in ``OBS_PARTNER_CONTACTS`` (a JSON object, partner code → address or
comma-separated addresses). A reminder names the return type, the month and the due date,
never any figure. Each reminder is sent once (``$OBS_DATA_DIR/reminders/sent.jsonl`` logs
what was sent and when, and what could not be sent).

Settings: ``OBS_PARTNER_CONTACTS`` and ``OBS_REMINDER_DAYS`` (:mod:`indicators.settings`).
"""

from __future__ import annotations

import json
import smtplib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from indicators.mail import send_mail
from indicators.settings import load_settings
from indicators.submission_status import calendar, months_before
from indicators.submissions import AuditTrail

LOG_FILE = "sent.jsonl"


@dataclass(frozen=True)
class Reminder:
    partner: str
    kind: str  # due | missing
    return_type: str
    period: str  # YYYY-MM
    due: str  # YYYY-MM-DD

    @property
    def key(self) -> str:
        return f"{self.partner}/{self.kind}/{self.return_type}/{self.period}"

    @property
    def subject(self) -> str:
        if self.kind == "due":
            return (f"OTSH: reporte {self.return_type} {self.period} até {self.due} / "
                    f"return due {self.due}")
        return (f"OTSH: reporte {self.return_type} {self.period} em falta / "
                f"return missing")

    def text(self) -> str:
        if self.kind == "due":
            pt = (f"O reporte \"{self.return_type}\" de {self.period} da entidade {self.partner} "
                  f"deve ser entregue até {self.due}.")
            en = (f"The {self.return_type} return of {self.partner} for {self.period} is due "
                  f"on {self.due}.")
        else:
            pt = (f"O reporte \"{self.return_type}\" de {self.period} da entidade {self.partner} "
                  f"venceu em {self.due} e ainda não foi recebido.")
            en = (f"The {self.return_type} return of {self.partner} for {self.period} was due "
                  f"on {self.due} and has not been received.")
        how = ("Entregue-o na página «Enviar» do painel do observatório. / Hand it in on the "
               "observatory dashboard's Submit page.")
        return f"{pt}\n\n{en}\n\n{how}\n"


def contacts(env: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """Partner code → addresses, from ``OBS_PARTNER_CONTACTS`` (bad JSON: a
    :class:`~indicators.settings.SettingsError`, a ``ValueError`` naming the variable)."""
    return load_settings(env).reminders.partner_contacts


def reminders_for(partner: str, today: date, data_dir: Path,
                  published_states: Mapping[tuple[str, str], str],
                  remind_days: int = 5) -> list[Reminder]:
    """The partner's returns coming due within ``remind_days`` and those missing (last 3
    months), from the registry, the upload audit trail and the published data quality."""
    sent = AuditTrail(data_dir).of_partner(partner)
    out = []
    for entry in calendar(partner, months_before(today, 3), sent, published_states, today):
        days_left = (entry.due - today).days
        if entry.state == "due" and 0 <= days_left <= remind_days:
            kind = "due"
        elif entry.state == "missing":
            kind = "missing"
        else:
            continue
        out.append(Reminder(partner, kind, entry.return_type, entry.period,
                            entry.due.isoformat()))
    return out


class ReminderLog:
    """Which reminders were sent (JSON lines); a reminder is sent once."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / "reminders" / LOG_FILE

    def sent_keys(self) -> set[str]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return set()
        keys = set()
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("status") == "sent":
                keys.add(record["key"])
        return keys

    def write(self, reminder: Reminder, to: list[str], status: str, detail: str = "") -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {**asdict(reminder), "key": reminder.key, "to": to, "status": status,
                  "detail": detail[:300],
                  "at": datetime.now(UTC).isoformat(timespec="seconds")}
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def send_reminders(data_dir: Path, today: date,
                   published_states: Mapping[str, Mapping[tuple[str, str], str]],
                   env: Mapping[str, str] | None = None,
                   dry_run: bool = False) -> list[tuple[Reminder, str]]:
    """Send every reminder not sent before to the partners with a contact address; returns
    (reminder, status) with status sent | failed | would_send (dry run) | no_smtp."""
    settings = load_settings(env)
    log, done = ReminderLog(data_dir), ReminderLog(data_dir).sent_keys()
    days = settings.reminders.reminder_days
    out = []
    for partner, to in sorted(settings.reminders.partner_contacts.items()):
        for reminder in reminders_for(partner, today, data_dir,
                                      published_states.get(partner, {}), days):
            if reminder.key in done:
                continue
            if dry_run or not settings.smtp.host:
                out.append((reminder, "would_send" if dry_run else "no_smtp"))
                continue
            try:
                send_mail(settings.smtp, to, reminder.subject, reminder.text())
                status, detail = "sent", ""
            except (OSError, smtplib.SMTPException) as error:
                status, detail = "failed", str(error)
            log.write(reminder, to, status, detail)
            out.append((reminder, status))
    return out


def published_states(serving_dir: Path) -> dict[str, dict[tuple[str, str], str]]:
    """Partner → (return type, YYYY-MM) → data-quality state in the current release (read
    only; empty when there is none)."""
    import duckdb

    from indicators.release_files import current_release_id, release_file
    from indicators.warehouse import read_sql

    release_id = current_release_id(serving_dir)
    if release_id is None:
        return {}
    with duckdb.connect(str(release_file(serving_dir, release_id)), read_only=True) as con:
        rows = con.execute(read_sql("publish/data_quality_states.sql")).fetchall()
    out: dict[str, dict[tuple[str, str], str]] = {}
    for partner, return_type, period, state in rows:
        out.setdefault(partner, {})[(return_type, period)] = state
    return out
