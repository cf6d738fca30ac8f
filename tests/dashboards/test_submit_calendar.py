"""The partner's returns calendar writes due dates as the rest of the dashboard writes dates
(28/11/2026 in Portuguese, 28 Nov 2026 in English), not as ISO codes; a month not yet due
stays "not yet due" after an early upload was refused (the history lists it), while a due
month whose only upload was rejected shows "rejected"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from dash import html

from dashboards.pages import submit
from indicators import submissions as subs
from tests.dashboards.component_text import texts_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "returns"
VALID = (FIXTURES / "victims_APF_2024-03.csv").read_bytes()


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


def _victims_column(settings, store, lang: str, today: date) -> dict[str, str]:
    """The calendar's victims column: month as written on the page → state."""
    shown = submit.calendar_view(settings, store, "APF", lang, today)
    [table] = [n for n in _nodes(html.Div(shown)) if isinstance(n, html.Table)]
    heads = texts_of(table, html.Th)
    column = heads.index("Vítimas" if lang == "pt" else "Victims")
    rows = [tr.children for tr in _nodes(table) if isinstance(tr, html.Tr)
            and all(isinstance(td, html.Td) for td in tr.children)]
    return {_plain(r[0].children): _plain(r[column].children) for r in rows}


def _nodes(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str):
            yield from _nodes(child)


def _plain(node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, list | tuple):
        return " ".join(_plain(n) for n in node)
    return _plain(getattr(node, "children", "") or "")


def _send(settings, data: bytes, period: str, today: date) -> subs.Submission:
    return subs.receive(data, f"victims {period}.csv", user="ana", partner="APF",
                        settings=settings, return_type="victims", period=period,
                        today=today).submission


@pytest.mark.parametrize(("lang", "due", "rule"), [
    ("pt", "por entregar", "mês ainda não terminado"),
    ("en", "not yet due", "month not ended yet")])
def test_a_refused_early_upload_leaves_a_month_not_yet_due(settings, store, lang, due, rule,
                                                           monkeypatch):
    """November sent on 30 November is refused (``period_not_ended``): the calendar keeps
    November "not yet due" (its deadline is in December), the history still lists the
    refused upload with its reason. The upload's clock is set to that day too (the test first
    ran on 30 November and failed once the real clock reached 1 December)."""
    from datetime import UTC, datetime

    from indicators.i18n import fmt_period

    monkeypatch.setattr(subs, "_now", lambda: datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    today = date(2026, 11, 30)
    early = _send(settings, VALID.replace(b"2024-03", b"2026-11"), "2026-11", today)
    assert early.result == subs.REJECTED
    november = _victims_column(settings, store, lang, today)[fmt_period("2026-11", "month",
                                                                        lang)]
    assert november == due
    [row] = [r for r in _rows(submit.history_view(settings, store, "APF", lang))
             if r[1] == early.file_name]
    assert rule in row[6], row


@pytest.mark.parametrize(("lang", "rejected"), [("pt", "rejeitado"), ("en", "rejected")])
def test_a_due_month_whose_only_upload_was_rejected_shows_rejected(settings, store, lang,
                                                                   rejected):
    """October (due 10 November) with only a rejected upload, seen on 30 November."""
    from indicators.i18n import fmt_period

    today = date(2026, 11, 30)
    broken = VALID.replace(b"2024-03", b"2026-10").replace(b"PT-13", b"PT-99")
    assert _send(settings, broken, "2026-10", today).result == subs.REJECTED
    states = _victims_column(settings, store, lang, today)
    assert states[fmt_period("2026-10", "month", lang)] == rejected


def _rows(shown) -> list[list[str]]:
    """The body rows of a table as cell texts."""
    return [[" ".join(_plain(td.children).split()) for td in tr.children]
            for tr in _nodes(html.Div(shown)) if isinstance(tr, html.Tr)
            and all(isinstance(td, html.Td) for td in tr.children)]
