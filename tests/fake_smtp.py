"""A fake SMTP server for the reminder tests: keeps the messages it is given, or refuses
the connection when ``refuse`` is set (tests reset both)."""

from __future__ import annotations


class FakeSMTP:
    sent: list = []
    refuse = False

    def __init__(self, host, port, timeout=None):
        if FakeSMTP.refuse:
            raise ConnectionRefusedError("mail server down")
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, message):
        FakeSMTP.sent.append(message)
