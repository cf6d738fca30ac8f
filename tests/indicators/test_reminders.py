"""Partner reminders: only with SMTP and a contact address, due and missing returns from the
registry and the upload trail, sent once, logged, and never a figure in the e-mail."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from indicators import reminders
from indicators.submissions import receive
from tests.fake_smtp import FakeSMTP

VALID = (Path(__file__).resolve().parents[1] / "fixtures" / "returns"
         / "victims_APF_2024-03.csv").read_bytes()
ENV = {"OBS_SMTP_HOST": "mail.example", "OBS_PARTNER_CONTACTS": json.dumps(
    {"APF": "dados@apf.example, b@apf.example"})}


@pytest.fixture
def smtp(monkeypatch):
    FakeSMTP.sent, FakeSMTP.refuse = [], False
    monkeypatch.setattr(reminders.smtplib, "SMTP", FakeSMTP)
    return FakeSMTP.sent


def test_due_and_missing_reminders_are_sent_once_without_figures(settings, smtp):
    receive(VALID, "victims.csv", user="pia", partner="APF", settings=settings,
            today=date(2024, 4, 20))  # victims 2024-03 handed in
    today = date(2024, 4, 7)  # March due on 10 April, February missing since 10 March
    results = reminders.send_reminders(settings.data_dir, today, {}, env=ENV)
    got = {(r.kind, r.return_type, r.period): status for r, status in results}
    assert got[("due", "support", "2024-03")] == "sent"
    assert got[("missing", "victims", "2024-02")] == "sent"
    assert ("due", "victims", "2024-03") not in got  # already handed in
    assert all(r.partner == "APF" for r, _ in results)  # no contact: no reminder
    assert smtp and all(m["To"] == "dados@apf.example, b@apf.example" for m in smtp)
    for message in smtp:
        body = message.get_content()
        assert "2024-04-10" in body or "2024-03-10" in body
        numbers = re.findall(r"\b\d+\b", re.sub(r"\d{4}-\d{2}(-\d{2})?", "", body))
        assert numbers == [], body  # dates only: never a count
    assert reminders.send_reminders(settings.data_dir, today, {}, env=ENV) == []  # once
    log = (settings.data_dir / "reminders" / "sent.jsonl").read_text().splitlines()
    assert len(log) == len(results) and all(json.loads(x)["status"] == "sent" for x in log)


def test_nothing_is_sent_without_smtp_or_contacts(settings, smtp):
    today = date(2024, 4, 7)
    no_smtp = reminders.send_reminders(settings.data_dir, today, {},
                                       env={"OBS_PARTNER_CONTACTS": ENV["OBS_PARTNER_CONTACTS"]})
    assert no_smtp and {status for _, status in no_smtp} == {"no_smtp"}
    assert reminders.send_reminders(settings.data_dir, today, {},
                                    env={"OBS_SMTP_HOST": "mail.example"}) == []
    assert smtp == []
    with pytest.raises(ValueError, match="OBS_PARTNER_CONTACTS"):
        reminders.contacts({"OBS_PARTNER_CONTACTS": "{not json"})


def test_a_published_return_needs_no_reminder(settings, smtp):
    states = {"APF": {("victims", "2024-02"): "received", ("support", "2024-02"): "late",
                      ("activities", "2024-02"): "received"}}
    results = reminders.send_reminders(settings.data_dir, date(2024, 4, 7), states, env=ENV)
    assert not [r for r, _ in results if r.period == "2024-02"]
