"""What a partner reads on the Submit page after revisions and re-sends (user review, APF):
the calendar keeps an on-time return on time and shows a revision beside it, the history
says which upload replaced which, an identical re-send says it was not loaded again, times
are Lisbon time written as the calendar writes dates, an unknown return type is explained,
and the template sits beside the upload form."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from dash import html

from dashboards.pages import submit
from indicators import submissions as subs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "returns"
VALID = (FIXTURES / "victims_APF_2024-03.csv").read_bytes()
TODAY = date(2024, 4, 20)


def _text(node) -> str:
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return " ".join(_text(n) for n in node)
    children = getattr(node, "children", None)
    return "" if children is None else _text(children)


def _rows(shown) -> list[list[str]]:
    """The history table's body rows as cell texts (newest first)."""
    def walk(node):
        if isinstance(node, html.Tr):
            yield node
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list | tuple) else [children]:
            if child is not None and not isinstance(child, str):
                yield from walk(child)
    body = [tr for tr in walk(html.Div(shown))
            if all(isinstance(c, html.Td) for c in tr.children)]
    return [[" ".join(_text(td).split()) for td in tr.children] for tr in body]


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
    monkeypatch.setattr(submit, "published_of", lambda _store, _partner: submit.Published(
        "R", {october: 1}, {october: "received"}, {october: 0}))
    _append(settings, id="c" * 32, received_at="2026-11-30T20:02:00+00:00",
            result=subs.ACCEPTED, versions={"victims/2026-10": 2})
    shown = str(submit.calendar_view(settings, store, "APF", lang, date(2026, 12, 1)))
    assert expected in shown
    assert ("recebido com atraso" if lang == "pt" else "received late") not in shown


def test_the_calendar_reads_the_first_deliverys_days_late_from_the_release(store):
    published = submit.published_of(store, "APF")
    late, states = published.late, published.states
    assert late and set(late) <= set(states)
    assert {states[k] for k, days in late.items() if days > 0} <= {"late", "revised"}


class _Release:
    """A served release saying October's victims return arrived ``days_late`` days late."""

    def __init__(self, release_id: str, state: str, days_late: int) -> None:
        self.release_id, self._quality = release_id, pl.DataFrame(
            {"return_type": ["victims"], "period": ["2026-10"], "state": [state],
             "days_late": [days_late]})

    def query(self, name: str, params: dict | None = None) -> pl.DataFrame:
        if name == "partner_quality":
            return self._quality
        rows = [{"partner": "APF", "return_type": "victims", "period": "2026-10",
                 "version": 1}]
        return pl.DataFrame({"value": [json.dumps(rows)]})

    def cached(self, _key, compute):
        return compute()


class _FlippingStore:
    """The current release flips at each read: R1 (on time) then R2 (12 days late)."""

    def __init__(self) -> None:
        self.reads = 0
        self._releases = [_Release("R1", "received", 0), _Release("R2", "late", 12)]

    def current(self) -> _Release:
        self.reads += 1
        return self._releases[min(self.reads, 2) - 1]


@pytest.mark.parametrize(("lang", "answers"), [
    ("pt", {"recebido", "recebido com atraso"}), ("en", {"received", "received late"})])
def test_the_calendar_reads_one_release_even_when_it_flips(settings, lang, answers):
    """A release flip while the calendar is drawn never mixes two releases: October is on
    time (R1) or late (R2), never missing (R1's states judged by R2's days late)."""
    from indicators.i18n import fmt_period

    store = _FlippingStore()
    shown = submit.calendar_view(settings, store, "APF", lang, date(2026, 12, 1))
    [october] = [r for r in _rows(shown) if r[0] == fmt_period("2026-10", "month", lang)]
    assert october[2 + submit._return_types("APF").index("victims")] in answers
    assert store.reads == 1


def _three_versions(settings) -> list[subs.Outcome]:
    kw = {"user": "ana", "partner": "APF", "settings": settings, "today": TODAY}
    return [subs.receive(VALID, "victims.csv", **kw),
            subs.receive(VALID.replace(b",2\n", b",3\n", 1), "victims v2.csv",
                         reason="correção", **kw),
            subs.receive(VALID.replace(b",2\n", b",4\n", 1), "victims v3.csv",
                         reason="nova correção", **kw)]


@pytest.mark.parametrize(("lang", "replaced", "replaces"), [
    ("pt", "substituída pela v3", "substitui a v2 de "),
    ("en", "replaced by v3", "replaces v2 of ")])
def test_the_history_and_the_receipt_say_which_version_replaced_which(
        settings, store, lang, replaced, replaces):
    from indicators.i18n import fmt_date

    v1, v2, v3 = (o.submission for o in _three_versions(settings))
    assert v3.versions == {"victims/2024-03": 3}
    day = fmt_date(v2.received.astimezone(ZoneInfo("Europe/Lisbon")).date(), lang)
    rows = _rows(submit.history_view(settings, store, "APF", lang))
    assert [r[1] for r in rows] == ["victims_v3.csv", "victims_v2.csv", "victims.csv"]
    assert replaced in rows[1][5] and replaced in rows[2][5]  # v2's and v1's status: newest
    assert f"{replaces}{day}" in rows[0][4]  # v3's version cell
    assert replaced not in rows[0][5]
    mine = subs.AuditTrail(settings.data_dir).of_partner("APF")
    screen = str(submit.outcome_view(subs.Outcome(v3), lang, mine))
    assert f"{replaces}{day}" in screen
    receipt = submit.document_payload(settings, "APF", v3.id, "receipt")["content"]
    lisbon = v2.received.astimezone(ZoneInfo("Europe/Lisbon")).date()
    assert "substitui a v2 de " + fmt_date(lisbon, "pt") in receipt
    assert "replaces v2 of " + fmt_date(lisbon, "en") in receipt


def test_an_identical_resend_says_it_was_not_loaded_again(settings, store):
    kw = {"user": "ana", "partner": "APF", "settings": settings, "today": TODAY}
    subs.receive(VALID, "victims.csv", **kw)
    second = subs.receive(VALID.replace(b",2\n", b",3\n", 1), "v2.csv", reason="correção", **kw)
    again = subs.receive(VALID.replace(b",2\n", b",3\n", 1), "v2 outra vez.csv",
                         reason="reenvio", **kw).submission
    assert (again.result, second.submission.versions) == (subs.DUPLICATE,
                                                          {"victims/2024-03": 2})
    receipt = submit.document_payload(settings, "APF", again.id, "receipt")["content"]
    assert "Ficheiro idêntico à versão v2 — não foi carregado de novo" in receipt
    assert "Identical to version v2 — not loaded again" in receipt
    for lang, words in (("pt", "Ficheiro idêntico à versão v2 — não foi carregado de novo"),
                        ("en", "Identical to version v2 — not loaded again")):
        [row] = [r for r in _rows(submit.history_view(settings, store, "APF", lang))
                 if r[1] == "v2_outra_vez.csv"]
        assert words in row[5], row
        mine = subs.AuditTrail(settings.data_dir).of_partner("APF")
        assert words in str(submit.outcome_view(subs.Outcome(again), lang, mine))


def test_an_identical_file_loaded_another_way_says_so(settings):
    from indicators.ingest import ingest_paths

    (settings.inbox_dir / "APF_victims_2024-03.csv").write_bytes(VALID)
    ingest_paths([settings.inbox_dir], settings, today=TODAY)
    again = subs.receive(VALID, "victims.csv", user="ana", partner="APF", settings=settings,
                         today=TODAY, reason="reenvio").submission
    receipt = submit.document_payload(settings, "APF", again.id, "receipt")["content"]
    assert "Ficheiro idêntico a um ficheiro já carregado — não foi carregado de novo" in receipt
    assert "Identical to a file already loaded — not loaded again" in receipt


@pytest.mark.parametrize(("lang", "header", "when"), [
    ("pt", "Recebido em (hora de Lisboa)", "15/07/2026 21:02"),
    ("en", "Received at (Lisbon time)", "15 Jul 2026 21:02")])
def test_history_times_are_lisbon_time_in_the_calendars_date_format(settings, store, lang,
                                                                    header, when):
    sub = _append(settings, id="d" * 32, received_at="2026-07-15T20:02:00+00:00",
                  result=subs.ACCEPTED, versions={"victims/2026-10": 1})
    shown = submit.history_view(settings, store, "APF", lang)
    [row] = _rows(shown)
    assert row[0] == when  # summer time: UTC+1
    assert header in str(shown) and "UTC" not in str(shown)
    receipt = dict(submit.receipt_rows(sub, lang))
    assert receipt[submit.t("submit.col.received", lang)] == \
        f"{when} ({submit.t('submit.lisbon_time', lang)})"


@pytest.mark.parametrize(("lang", "unknown"), [
    ("pt", "– não indicado no ficheiro nem no nome do ficheiro"),
    ("en", "– not stated in the file or its name")])
def test_a_rejected_file_without_a_known_type_gets_a_dash_and_why(settings, store, lang,
                                                                  unknown):
    subs.receive(b"PK\x03\x04" + b"\0" * 100, "reporte.xlsx", user="ana", partner="APF",
                 settings=settings, today=TODAY)
    [row] = _rows(submit.history_view(settings, store, "APF", lang))
    assert row[2] == unknown


def test_the_template_sits_beside_the_upload_form_not_under_the_history(settings, store,
                                                                        monkeypatch):
    monkeypatch.setattr(submit.access, "current_partner", lambda: "APF")
    shown = submit.content(settings, store, None, "pt")
    classes = [getattr(part, "className", None) for part in shown]
    assert classes.index("submit-template") == classes.index("submit-form") + 1
    assert classes.index("submit-template") < classes.index("submit-history")
