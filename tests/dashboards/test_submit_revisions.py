"""What a partner reads on the Submit page after revisions and re-sends (user review, APF):
the calendar keeps an on-time return on time and shows a revision beside it, the history
says which upload replaced which, an identical re-send says it was not loaded again, times
are Lisbon time written as the calendar writes dates, an unknown return type is explained,
and the template sits beside the upload form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboards.pages import submit
from indicators import submissions as subs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "returns"
VALID = (FIXTURES / "victims_APF_2024-03.csv").read_bytes()
TODAY = date(2024, 4, 20)


def _append(settings, **kw) -> subs.Submission:
    fields = {"user": "ana", "partner": "APF", "file_name": "f.csv", "return_types": ("victims",),
              "periods": ("2026-10",), **kw}
    sub = subs.Submission(**fields)
    subs.AuditTrail(settings.data_dir).append(sub)
    return sub


@pytest.mark.parametrize(("lang", "expected"), [
    ("pt", "recebido; revisto em 30/11/2026"), ("en", "received; revised on 30 Nov 2026")])
def test_a_correction_does_not_turn_an_on_time_month_late_in_the_calendar(
        settings, store, monkeypatch, lang, expected):
    october = ("victims", "2026-10")
    monkeypatch.setattr(submit, "published_of",
                        lambda _store, _partner: ("R", {october: 1}, {october: "received"}))
    monkeypatch.setattr(submit, "published_late_of", lambda _store, _partner: {october: 0},
                        raising=False)
    _append(settings, id="c" * 32, received_at="2026-11-30T20:02:00+00:00",
            result=subs.ACCEPTED, versions={"victims/2026-10": 2})
    shown = str(submit.calendar_view(settings, store, "APF", lang, date(2026, 12, 1)))
    assert expected in shown
    assert ("recebido com atraso" if lang == "pt" else "received late") not in shown


def test_the_calendar_reads_the_first_deliverys_days_late_from_the_release(store):
    late = submit.published_late_of(store, "APF")
    states = submit.published_of(store, "APF")[2]
    assert late and set(late) <= set(states)
    assert {states[k] for k, days in late.items() if days > 0} <= {"late", "revised"}


def test_the_template_sits_beside_the_upload_form_not_under_the_history(settings, store,
                                                                        monkeypatch):
    monkeypatch.setattr(submit.access, "current_partner", lambda: "APF")
    shown = submit.content(settings, store, None, "pt")
    classes = [getattr(part, "className", None) for part in shown]
    assert classes.index("submit-template") == classes.index("submit-form") + 1
    assert classes.index("submit-template") < classes.index("submit-history")
