"""The partner's returns calendar writes due dates as the rest of the dashboard writes dates
(28/11/2026 in Portuguese, 28 Nov 2026 in English), not as ISO codes."""

from __future__ import annotations

from datetime import date

from dashboards.pages import submit


def test_due_dates_are_written_in_the_page_language(settings, store):
    today = date(2024, 5, 20)
    for lang, april_due, march_due in (("en", "10 May 2024", "10 Apr 2024"),
                                       ("pt", "10/05/2024", "10/04/2024")):
        text = str(submit.calendar_view(settings, store, "APF", lang, today))
        assert april_due in text and march_due in text, lang
        assert "2024-05-10" not in text and "2024-04-10" not in text
