"""Send one plain-text e-mail through the SMTP settings (alerts and partner reminders)."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from email.message import EmailMessage

from indicators.settings import SmtpSettings


def send_mail(smtp: SmtpSettings, to: Sequence[str], subject: str, text: str) -> None:
    """Send ``text`` to ``to`` (raises ``OSError``/``smtplib.SMTPException`` on failure).

    The caller checks that ``smtp.host`` is set."""
    if not smtp.host:
        raise ValueError("OBS_SMTP_HOST is not set")
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = smtp.sender
    message["To"] = ", ".join(to)
    message.set_content(text)
    with smtplib.SMTP(smtp.host, smtp.effective_port, timeout=30) as server:
        if smtp.starttls:
            server.starttls()
        if smtp.user:
            password = smtp.password
            server.login(smtp.user, password.get_secret_value() if password else "")
        server.send_message(message)
