"""The partner's returns calendar writes due dates as the rest of the dashboard writes dates
(28/11/2026 in Portuguese, 28 Nov 2026 in English), not as ISO codes."""

from __future__ import annotations

from datetime import date

from dashboards.pages import submit
from tests.dashboards.component_text import texts_of


def test_due_dates_are_written_in_the_page_language(settings, store):
    today = date(2024, 5, 20)
    for lang, april_due, march_due in (("en", "10 May 2024", "10 Apr 2024"),
                                       ("pt", "10/05/2024", "10/04/2024")):
        text = str(submit.calendar_view(settings, store, "APF", lang, today))
        assert april_due in text and march_due in text, lang
        assert "2024-05-10" not in text and "2024-04-10" not in text


def test_calendar_headings_and_return_type_choices_start_with_a_capital(settings, store):
    """Return types are written lower case for running text ("returns of victims"); as the
    calendar's column headings and the form's choices they start with a capital like the
    other headings (they read "activities", "vítimas")."""
    from dash import html

    from dashboards.pages.common import return_type_label

    today = date(2024, 5, 20)
    for lang, expected in (("en", ["Period", "Due", "Activities", "Support", "Victims"]),
                           ("pt", ["Período", "Prazo", "Atividades", "Apoio", "Vítimas"])):
        tables = submit.calendar_view(settings, store, "APF", lang, today)
        assert texts_of(html.Div(tables), html.Th) == expected, lang
        options = submit._form("APF", lang, today).to_plotly_json()
        labels = [o["label"] for o in _texts_options(options, "submit-rtype")]
        assert labels[1:] == expected[2:], (lang, labels)
        assert return_type_label("victims", lang) in ("victims", "vítimas")  # text: lower case


def _texts_options(node, component_id: str) -> list[dict]:
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == component_id:
            return list(props["options"])
        return [o for value in props.values() for o in _texts_options(value, component_id)]
    if isinstance(node, (list, tuple)):
        return [o for item in node for o in _texts_options(item, component_id)]
    if hasattr(node, "to_plotly_json"):
        return _texts_options(node.to_plotly_json(), component_id)
    return []
