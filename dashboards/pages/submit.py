"""Submit (partners): hand in a monthly return, see at once whether it is accepted, the
returns calendar and the partner's own submissions.

Everything here is for the signed-in partner's OWN organisation: the partner code always
comes from the server-side session (:func:`dashboards.access.current_partner`), never from
the request. A URL naming another partner and a crafted download request for another
partner's submission are refused on the server. Uploads are validated without the warehouse
(:mod:`indicators.submissions`); the page is built per request, never cached per release.
"""

from __future__ import annotations

import base64
import binascii
import logging
from datetime import date
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboards import access, upload_audit
from dashboards import submission_words as words
from dashboards.components import View, dropdown_labels
from dashboards.pages.common import return_type_label
from dashboards.submission_words import Published, published_of
from indicators import submission_status as status
from indicators import submissions as subs
from indicators.i18n import fmt_date, fmt_period, norm_lang, rule_label, t
from indicators.local_time import local_time, stamp
from indicators.local_time import today as local_today
from indicators.release_reader import Release, ReleaseStore
from indicators.settings import Settings
from indicators.submissions import AuditTrail, Submission

log = logging.getLogger(__name__)
PATH = "/submit"
TITLE_KEY = "page.submit"
AUDIENCE = "partner"
UPLOAD_ACCEPT = ".csv,.xlsx"  # the file types the drop zone takes (the server checks again)
PARAMS: tuple[str, ...] = ()
CONTROL_KEYS: tuple[str, ...] = ()
CALENDAR_MONTHS = 12
TICK_MS = 15_000  # how often the history refreshes its status (received → loaded → release)


def normalise(rel: Release, params: dict[str, Any]) -> dict[str, Any]:
    return {}


def controls(rel: Release, p: dict[str, Any], lang: str) -> list[Any]:
    return []


def view(rel: Release, p: dict[str, Any], lang: str) -> View:
    """Nothing per release (the page depends on the user: see :func:`content`)."""
    return View(children=[html.P(t("submit.placeholder", lang))])


# --------------------------------------------------------------------------- layout

def _options(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"label": label, "value": value} for value, label in pairs]


def _return_types(partner: str) -> list[str]:
    from indicators.registry import load_expected

    return sorted({e.return_type for e in load_expected().entries if e.partner == partner})


def _months(today: date, count: int = 24) -> list[str]:
    """The months a return can be handed in for, newest first: those that have ended (the
    current month is refused until it is over, rule ``period_not_ended``)."""
    return [m.strftime("%Y-%m") for m in reversed(status.months_before(today, count + 1)[:-1])]


def _heading(label: str) -> str:
    """A label written for running text ("victims") as a heading or a choice ("Victims")."""
    return label[:1].upper() + label[1:]


def _labelled(label: str, component: Any, for_id: str) -> html.Div:
    return html.Div(className="control", children=[
        html.Label(label, htmlFor=for_id, className="control-label"), component])


def _form(partner: str, lang: str, today: date) -> html.Section:
    infer = ("", t("submit.infer", lang))
    types = [infer] + [(rt, _heading(return_type_label(rt, lang)))
                       for rt in _return_types(partner)]
    months = [infer] + [(m, fmt_period(m, "month", lang)) for m in _months(today)]
    kb = subs.UPLOAD_MAX_BYTES // 1024
    return html.Section(className="submit-form", children=[
        html.H2(t("submit.send", lang)),
        html.P(t("submit.intro", lang, partner=partner)),
        html.Div(className="controls", children=[
            _labelled(t("submit.return_type", lang), dcc.Dropdown(
                id="submit-rtype", options=_options(types), value="", clearable=False,
                labels=dropdown_labels(lang), searchable=False), "submit-rtype"),
            _labelled(t("submit.period", lang), dcc.Dropdown(
                id="submit-period", options=_options(months), value="", clearable=False,
                labels=dropdown_labels(lang)), "submit-period"),
        ]),
        _labelled(t("submit.reason", lang), dcc.Textarea(
            id="submit-reason", maxLength=500, rows=2, className="submit-reason"),
            "submit-reason"),
        dcc.Upload(id="submit-upload", accept=UPLOAD_ACCEPT, max_size=subs.UPLOAD_MAX_BYTES,
                   multiple=False, className="submit-upload", children=html.Div([
                       t("submit.drop", lang), html.A(t("submit.choose", lang), href="#",
                                                      className="btn-link")])),
        html.P(t("submit.limits", lang, kb=kb), className="hint"),
        # Filled and shown by assets/upload_size.js when the browser refuses a file over the
        # limit or of another type (dcc.Upload drops it without any callback or message).
        html.P(id="submit-too-large", className="upload-too-large", role="alert", hidden=True,
               **{"data-max-bytes": str(subs.UPLOAD_MAX_BYTES), "data-accept": UPLOAD_ACCEPT,
                  "data-message": t("submit.too_large", lang, kb=kb, name="{name}",
                                    size="{size}"),
                  "data-message-type": t("submit.wrong_type", lang, name="{name}")}),
        dcc.Loading(html.Div(id="submit-result", role="status", **{"aria-live": "polite"}),
                    type="dot"),
    ])


def _template(partner: str, lang: str, today: date) -> html.Section:
    months = [(m, fmt_period(m, "month", lang)) for m in _months(today)]
    return html.Section(id="submit-template", className="submit-template", children=[
        html.H2(t("submit.template", lang)),
        html.P(t("submit.template_body", lang)),
        html.Div(className="controls", children=[
            _labelled(t("submit.period", lang), dcc.Dropdown(
                id="submit-template-period", options=_options(months),
                value=months[0][0], clearable=False, labels=dropdown_labels(lang)),
                "submit-template-period"),
            html.Button(t("submit.template_button", lang), id="submit-template-btn",
                        className="btn", n_clicks=0),
        ]),
    ])


def content(settings: Settings, store: ReleaseStore, search: str | None,
            lang: str) -> list[Any]:
    """The page for the signed-in partner (``denied`` for anyone else or another partner's
    code in the URL)."""
    from dashboards.app import parse_search

    partner = access.current_partner()
    asked = parse_search(search).get("partner")
    if partner is None or (asked is not None and asked.upper() != partner):
        log.warning("submit page: %s asked for partner %r", partner or "no partner", asked)
        return [other_partner_denied(lang)]
    today, published = local_today(), published_of(store, partner)  # one release for both
    return [
        _form(partner, lang, today),
        _template(partner, lang, today),  # beside the upload, not under a long history
        html.Section(className="submit-calendar", children=[
            html.H2(t("submit.calendar", lang)),
            html.Div(className="controls", children=_labelled(
                t("submit.calendar_year", lang), dcc.Dropdown(
                    id="submit-cal-year", options=_options(_calendar_years(lang, today)),
                    value="", clearable=False, labels=dropdown_labels(lang), searchable=False),
                "submit-cal-year")),
            html.Div(id="submit-calendar", children=calendar_view(
                settings, store, partner, lang, today, published=published))]),
        html.Section(className="submit-history", children=[
            html.H2(t("submit.history", lang)),
            html.Div(id="submit-history", children=history_view(settings, store, partner,
                                                                 lang, published))]),
        dcc.Store(id="submit-last", data=None),
        dcc.Interval(id="submit-tick", interval=TICK_MS),
        dcc.Download(id="submit-dl"),
        dcc.Download(id="submit-template-dl"),
    ]


def other_partner_denied(lang: str) -> html.Div:
    other = "en" if lang == "pt" else "pt"
    return html.Div(className="denied", role="alert", id="denied", children=[
        html.P(t("submit.other_partner", lang)),
        html.P(t("submit.other_partner", other), lang=other)])


# --------------------------------------------------------------------------- parts

def _cell_table(caption: str, columns: list[str], rows: list[list[Any]],
                table_id: str, under_heading: bool = False) -> html.Div:
    """A table of cells; ``under_heading``: a heading already says ``caption``, so the table is
    named by ``aria-label`` instead of a visible caption repeating it."""
    named = {"aria-label": caption} if under_heading else {}
    return html.Div(className="table-wrap", tabIndex=0, role="region",
                    **{"aria-label": caption}, children=html.Table(
                        className="data", id=table_id, **named, children=[
                            *([] if under_heading else [html.Caption(caption)]),
                            html.Thead(html.Tr([html.Th(c, scope="col") for c in columns])),
                            html.Tbody([html.Tr([html.Td(c, **{"data-label": columns[i]})
                                                 for i, c in enumerate(row)])
                                        for row in rows])]))


def _calendar_years(lang: str, today: date) -> list[tuple[str, str]]:
    from indicators.contract import load_contract

    first = int(str(load_contract().first_period)[:4])
    return [("", t("submit.last_12", lang))] + [
        (str(y), str(y)) for y in range(today.year, first - 1, -1)]


def _calendar_months(today: date, year: str | None) -> list[date]:
    """The 12 months up to this one, or the 12 months of ``year`` (an asked year that is
    not a plain year falls back to the default)."""
    if year and year.isdigit() and 2000 <= int(year) <= today.year:
        return [date(int(year), m, 1) for m in range(1, 13)]
    return status.months_before(today, CALENDAR_MONTHS)


def calendar_view(settings: Settings, store: ReleaseStore, partner: str, lang: str,
                  today: date, year: str | None = None,
                  published: Published | None = None) -> list[Any]:
    """The returns calendar, from one release (``published``: already read for this
    screen, else read here once)."""
    from indicators.registry import load_expected

    if published is None:
        published = published_of(store, partner)
    months = _calendar_months(today, year)
    entries = status.calendar(partner, months, AuditTrail(settings.data_dir).of_partner(partner),
                              published.states, today, published.late)
    types = _return_types(partner)
    by_key = {(e.period, e.return_type): e for e in entries}
    rows = []
    for month in reversed(months):
        period = month.strftime("%Y-%m")
        due = next((e.due for e in entries if e.period == period), None)
        cells: list[Any] = [fmt_period(period, "month", lang), fmt_date(due, lang)]
        for rt in types:
            entry = by_key.get((period, rt))
            cells.append(_calendar_cell(entry, lang) if entry else "–")
        rows.append(cells)
    columns = [t("submit.col.period", lang), t("submit.col.due", lang),
               *[_heading(return_type_label(rt, lang)) for rt in types]]
    hint = t("submit.calendar_hint", lang, partner=partner, days=load_expected().due_days)
    return [html.P(hint, className="hint"),
            _cell_table(t("submit.calendar", lang), columns, rows, "submit-calendar-table",
                        under_heading=True)]


def _calendar_cell(entry: status.CalendarEntry, lang: str) -> html.Span:
    """The state of the first delivery; a later revision beside it ("recebido; revisto em
    30/11/2026"), never in its place."""
    text = t(f"submit.state.{entry.state}", lang)
    if entry.revised and entry.revised_at is not None:
        day = local_time(entry.revised_at).date()
        text = t("submit.state.revised_on", lang, state=text, date=fmt_date(day, lang))
    elif entry.revised:
        text = t("submit.state.revised", lang, state=text)
    return html.Span(text, className=f"dq dq-{entry.state}")


def _types_cell(sub: Submission, lang: str) -> Any:
    """The return types; a dash with why when neither the file nor its name says them."""
    if sub.return_types:
        return ", ".join(return_type_label(rt, lang) for rt in sub.return_types)
    return html.Span(["–", " ", html.Small(t("submit.type_unknown", lang))],
                     className="type-unknown")


def _doc_buttons(sub: Submission, lang: str) -> list[Any]:
    out = []
    if sub.result in (subs.ACCEPTED, subs.DUPLICATE):
        out.append(html.Button(t("submit.download_receipt", lang), className="btn",
                               id={"type": "sub-dl", "id": sub.id, "kind": "receipt"}))
    if sub.result == subs.REJECTED:
        out.append(html.Button(t("submit.download_report", lang), className="btn",
                               id={"type": "sub-dl", "id": sub.id, "kind": "report"}))
    return out


def history_view(settings: Settings, store: ReleaseStore, partner: str, lang: str,
                 published: Published | None = None) -> list[Any]:
    """The partner's uploads, newest first (``published``: as :func:`calendar_view`)."""
    mine = AuditTrail(settings.data_dir).of_partner(partner)
    if not mine:
        return [html.P(t("submit.history_empty", lang), id="submit-history-empty")]
    if published is None:
        published = published_of(store, partner)
    columns = [t("submit.col.received_local", lang), t("submit.col.file", lang),
               t("submit.col.return_type", lang), t("submit.col.period", lang),
               t("submit.col.version", lang), t("submit.col.status", lang),
               t("submit.col.reason", lang), t("submit.col.actions", lang)]
    rows = [[stamp(sub.received, lang), sub.file_name, _types_cell(sub, lang),
             ", ".join(sub.periods), words.version_text(sub, mine, lang),
             words.status_text(sub, mine, settings, published, lang),
             upload_audit.why(sub, settings.data_dir, lang), html.Div(_doc_buttons(sub, lang))]
            for sub in reversed(mine)]
    return [_cell_table(t("submit.history", lang), columns, rows, "submit-history-table",
                        under_heading=True)]


def _where(problem: Any, lang: str) -> str:
    parts = [t("submit.where.sheet", lang, sheet=problem.sheet) if problem.sheet else "",
             t("submit.where.row", lang, row=problem.row) if problem.row else "",
             t("submit.where.column", lang, column=problem.column) if problem.column else ""]
    return ", ".join(p for p in parts if p) or t("submit.where.file", lang)


def receipt_rows(sub: Submission, lang: str,
                 mine: list[Submission] | None = None) -> list[tuple[str, str]]:
    """The receipt's rows; ``mine``: the partner's uploads (what this one replaces, or is
    identical to)."""
    types = ", ".join(rt if return_type_label(rt, lang) == rt else
                      f"{return_type_label(rt, lang)} ({rt})" for rt in sub.return_types)
    mine = mine or []
    version = (words.identical_text(sub, mine, lang) if sub.result == subs.DUPLICATE
               else words.version_text(sub, mine, lang))
    return [(t("submit.col.receipt", lang), sub.id),
            (t("submit.col.partner", lang), sub.partner),
            (t("submit.col.return_type", lang), types),
            (t("submit.col.period", lang), ", ".join(sub.periods)),
            (t("submit.col.version", lang), version),
            (t("submit.col.rows", lang), str(sub.n_rows)),
            (t("submit.col.received", lang),
             f"{stamp(sub.received, lang)} ({t('submit.lisbon_time', lang)})"),
            (t("submit.col.file", lang), sub.file_name),
            (t("submit.col.user", lang), sub.user),
            (t("submit.col.reason", lang), sub.reason or "–")]


def receipt_text(sub: Submission, mine: list[Submission] | None = None) -> str:
    """The downloadable receipt, Portuguese then English (plain text); a value written
    differently in each language shows both ("PT / EN")."""
    lines = ["OTSH — Recibo de entrega / Submission receipt", ""]
    for (pt_label, pt_value), (en_label, en_value) in zip(
            receipt_rows(sub, "pt", mine), receipt_rows(sub, "en", mine), strict=True):
        value = pt_value if pt_value == en_value else f"{pt_value} / {en_value}"
        lines.append(f"{pt_label} / {en_label}: {value}")
    return "\n".join(lines) + "\n"


def outcome_view(outcome: subs.Outcome, lang: str,
                 mine: list[Submission] | None = None) -> list[Any]:
    """What the partner sees at once after an upload; ``mine``: the partner's uploads."""
    sub = outcome.submission
    if sub.result == subs.ACCEPTED:
        return [html.Div(className="submit-ok", id="submit-receipt", children=[
            html.H3(t("submit.accepted", lang)), html.P(t("submit.accepted_body", lang)),
            html.Dl([part for label, value in receipt_rows(sub, lang, mine)
                     for part in (html.Dt(label), html.Dd(value))]),
            html.Div(_doc_buttons(sub, lang))])]
    if sub.result in (subs.DUPLICATE, subs.NEEDS_REASON):
        key = "submit.duplicate" if sub.result == subs.DUPLICATE else "submit.reason_required"
        body = [html.H3(t(key, lang)), html.P(t(key + "_body", lang))]
        if sub.result == subs.DUPLICATE and sub.versions:
            body.append(html.P(t("submit.duplicate_version", lang,
                                 versions=words.versions_text(sub)), id="submit-duplicate-version"))
        if sub.result == subs.DUPLICATE:
            body.append(html.P(words.identical_text(sub, mine or [], lang),
                               id="submit-identical"))
        return [html.Div(className="submit-warn", id="submit-notice", children=body)]
    message = "message_en" if norm_lang(lang) == "en" else "message_pt"
    rows = [[_where(p, lang), rule_label(p.rule, lang), getattr(p, message)]
            for p in outcome.problems]
    return [html.Div(className="submit-bad", id="submit-problems", children=[
        html.H3(t("submit.rejected", lang)), html.P(t("submit.rejected_body", lang)),
        _cell_table(t("submit.problems", lang, n=len(rows)),
                    [t("submit.col.where", lang), t("submit.col.rule", lang),
                     t("submit.col.message", lang)], rows, "submit-problems-table"),
        html.P([t("submit.template_hint", lang), " ",
                html.A(t("submit.template_link", lang), href="#submit-template")]),
        html.Div(_doc_buttons(sub, lang))])]


# --------------------------------------------------------------------------- callbacks

def decode_upload(contents: str) -> bytes:
    """The bytes of a ``dcc.Upload`` data URL (``data:…;base64,XXXX``)."""
    _head, _comma, payload = contents.partition(",")
    return base64.b64decode(payload, validate=True)


def _lang(search: str | None) -> str:
    from dashboards.app import lang_of

    return lang_of(search)


def register(app: Dash, settings: Settings, store: ReleaseStore) -> None:
    """The page's callbacks; each checks the partner on the server."""

    # The handled file is forgotten (contents and name back to None): dcc.Upload tells the
    # server only when its contents CHANGE, so the same file chosen again (after "write the
    # reason and send the file again", or to retry) would otherwise do nothing.
    @app.callback(Output("submit-result", "children"), Output("submit-last", "data"),
                  Output("submit-upload", "contents"), Output("submit-upload", "filename"),
                  Input("submit-upload", "contents"), State("submit-upload", "filename"),
                  State("submit-rtype", "value"), State("submit-period", "value"),
                  State("submit-reason", "value"), State("url", "search"),
                  prevent_initial_call=True)
    def upload(contents: str | None, filename: str | None, return_type: str | None,
               period: str | None, reason: str | None, search: str | None) -> tuple:
        partner, lang = access.current_partner(), _lang(search)
        user = access.current_user()
        if partner is None or user is None or not isinstance(contents, str):
            raise PreventUpdate
        try:
            data = decode_upload(contents)
        except (binascii.Error, ValueError):
            return [html.P(t("submit.bad_upload", lang), className="submit-bad")], None, \
                None, None
        outcome = subs.receive(data, str(filename or "upload"), user=user.username,
                               partner=partner, settings=settings,
                               return_type=return_type or None, period=period or None,
                               reason=str(reason or ""),
                               published=published_of(store, partner).versions)
        log.info("upload by %s (%s): %s", user.username, partner, outcome.submission.result)
        mine = AuditTrail(settings.data_dir).of_partner(partner)
        return outcome_view(outcome, lang, mine), outcome.submission.id, None, None

    @app.callback(Output("submit-history", "children"), Output("submit-calendar", "children"),
                  Input("submit-last", "data"), Input("submit-tick", "n_intervals"),
                  Input("submit-cal-year", "value"), State("url", "search"),
                  prevent_initial_call=True)
    def refresh(_last: str | None, _ticks: int | None, year: str | None,
                search: str | None) -> tuple:
        partner, lang = access.current_partner(), _lang(search)
        if partner is None:
            raise PreventUpdate
        published = published_of(store, partner)  # one release for both
        return (history_view(settings, store, partner, lang, published),
                calendar_view(settings, store, partner, lang, local_today(), year, published))

    @app.callback(Output("submit-dl", "data"),
                  Input({"type": "sub-dl", "id": ALL, "kind": ALL}, "n_clicks"),
                  prevent_initial_call=True)
    def document(clicks: list[int | None]) -> dict:
        trigger = ctx.triggered_id
        if not trigger or not any(clicks or []):
            raise PreventUpdate
        return document_payload(settings, access.current_partner(), str(trigger["id"]),
                                str(trigger["kind"]))

    @app.callback(Output("submit-template-dl", "data"),
                  Input("submit-template-btn", "n_clicks"),
                  State("submit-template-period", "value"), prevent_initial_call=True)
    def template(clicks: int | None, period: str | None) -> dict:
        from indicators.template import build_template

        partner = access.current_partner()
        if partner is None or not clicks or period not in _months(local_today()):
            raise PreventUpdate
        return dcc.send_bytes(build_template(partner, period),
                              f"OTSH_{partner}_{period}_modelo_template.xlsx")


def document_payload(settings: Settings, partner: str | None, submission_id: str,
                     kind: str) -> dict:
    """A receipt or a rejection report, only of the asking partner's own submissions (any
    other request is refused: 204, nothing sent)."""
    sub = AuditTrail(settings.data_dir).get(submission_id)
    if partner is None or sub is None or sub.partner != partner:
        log.warning("submission document %r refused to partner %r", submission_id, partner)
        raise PreventUpdate
    if kind == "receipt" and sub.result in (subs.ACCEPTED, subs.DUPLICATE):
        mine = AuditTrail(settings.data_dir).of_partner(partner)
        return {"content": receipt_text(sub, mine),
                "filename": f"OTSH_recibo_receipt_{sub.id[:8]}.txt",
                "type": "text/plain", "base64": False}
    if kind == "report" and sub.result == subs.REJECTED and sub.report:
        text = (settings.data_dir / sub.report).read_text(encoding="utf-8")
        return {"content": text, "filename": f"OTSH_relatorio_report_{sub.id[:8]}.txt",
                "type": "text/plain", "base64": False}
    raise PreventUpdate
