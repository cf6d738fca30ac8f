"""Readable failure alerts: a text file under $OBS_DATA_DIR/alerts/, and an e-mail when SMTP is
configured by environment variables. No Dagster imports: the run-failure sensor calls this.

| variable | meaning |
|---|---|
| OBS_SMTP_HOST | SMTP server; e-mail is sent only when set |
| OBS_SMTP_PORT | default 25 (587 with OBS_SMTP_STARTTLS=1) |
| OBS_SMTP_FROM, OBS_SMTP_TO | sender; comma-separated recipients |
| OBS_SMTP_USER, OBS_SMTP_PASSWORD | optional login |
| OBS_SMTP_STARTTLS | 1 to upgrade the connection with STARTTLS |
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from indicators.mail import send_mail
from indicators.settings import SmtpSettings


@dataclass(frozen=True)
class Alert:
    job: str
    run_id: str
    message: str
    when: datetime

    @property
    def subject(self) -> str:
        return f"[observatório/observatory] falha / failure: {self.job} ({self.run_id[:8]})"

    def text(self) -> str:
        return (
            f"{self.subject}\n\n"
            f"PT: A execução {self.run_id} do trabalho «{self.job}» falhou em "
            f"{self.when:%Y-%m-%d %H:%M:%S} UTC. Nenhuma nova publicação foi feita por esta "
            f"execução; a publicação anterior continua em linha.\n"
            f"EN: Run {self.run_id} of job '{self.job}' failed at "
            f"{self.when:%Y-%m-%d %H:%M:%S} UTC. This run published nothing new; the previous "
            f"release is still served.\n\n"
            f"Erro / error:\n{self.message}\n\n"
            f"Ver a interface Dagster (make dagster) para os detalhes. / See the Dagster UI "
            f"(make dagster) for details.\n")


def write_alert(alert: Alert, alerts_dir: Path) -> Path:
    """Write the alert as a text file (never overwriting another) and return its path."""
    alerts_dir.mkdir(parents=True, exist_ok=True)
    job = re.sub(r"[^A-Za-z0-9_.-]", "_", alert.job)[:60]
    path = alerts_dir / f"{alert.when:%Y%m%dT%H%M%S}Z_{job}_{alert.run_id[:8]}.txt"
    n = 1
    while path.exists():
        path = path.with_name(f"{path.stem}-{n}.txt")
        n += 1
    path.write_text(alert.text(), encoding="utf-8")
    return path


def send_email(alert: Alert, smtp_settings: SmtpSettings) -> bool:
    """E-mail the alert when OBS_SMTP_HOST and OBS_SMTP_TO are set; True when sent."""
    host, to = smtp_settings.host, smtp_settings.to
    if not host or not to:
        return False
    send_mail(smtp_settings, [a.strip() for a in to.split(",") if a.strip()], alert.subject,
              alert.text())
    return True


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
