"""The upload audit trail on the analysts' data-quality page: who handed in what and when.

Read from ``$OBS_DATA_DIR/submissions/audit.jsonl`` on every view (it changes between
releases), never from a release: file names are internal and are never published. The page
callback shows it, and the download callback gives its CSV / XLSX (:func:`download`), only
after checking the analyst audience (:data:`AUDIENCE`) on the server.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dash import html

from dashboards import submission_words as words
from dashboards.components import downloads
from dashboards.pages.common import return_type_label
from indicators.i18n import fmt_date, norm_lang, rule_label, t
from indicators.local_time import local_time, stamp
from indicators.rejection_summaries import summary
from indicators.release_reader import ReleaseStore
from indicators.reports.exports import Table, span_words
from indicators.settings import Settings
from indicators.submissions import REJECTED, AuditTrail, Submission

LIMIT = 200  # newest lines shown
NAME = "upload_audit"  # the table's name: its download buttons and file name
AUDIENCE = "analyst"  # who may see the log and download it


def audit_table(settings: Settings, lang: str, store: ReleaseStore | None = None) -> Table:
    """The log as the page shows it (newest first, the newest :data:`LIMIT` lines), with
    what the page says beside it as the downloads' remarks. The result of an upload is
    worded as the partner's Submit page words it (:func:`submission_words.chain_text`:
    version, what it replaces or what replaced it, where it stands in ``store``'s current
    release), judged among all the partner's uploads."""
    every = AuditTrail(settings.data_dir).all()
    lines = every[-LIMIT:]
    columns = (t("submit.col.received_local", lang), t("submit.col.user", lang),
               t("submit.col.partner", lang), t("submit.col.file", lang),
               t("submit.col.return_type", lang), t("submit.col.period", lang),
               t("submit.col.result", lang), t("submit.col.rows", lang),
               t("submit.col.reason", lang))
    results = _results(every, lines, settings, store, lang)
    rows = tuple((stamp(s.received, lang), s.user, s.partner, s.file_name,
                  ", ".join(return_type_label(rt, lang) for rt in s.return_types),
                  ", ".join(s.periods), results[i], s.n_rows,
                  why(s, settings.data_dir, lang))
                 for i, s in reversed(list(enumerate(lines))))
    remarks = [t("submit.audit_hint", lang), t("submit.audit_internal", lang)]
    if len(every) > LIMIT:
        remarks.append(t("submit.audit_limit", lang, n=LIMIT))
    days = [fmt_date(local_time(s.received).date(), lang) for s in (lines[:1] + lines[-1:])]
    return Table(name=NAME, title=t("submit.audit", lang), columns=columns, rows=rows,
                 period_words=span_words(days[0], days[-1]) if days else "",
                 remarks=tuple(remarks),
                 internal=True)


def _results(every: list[Submission], lines: list[Submission], settings: Settings,
             store: ReleaseStore | None, lang: str) -> list[str]:
    """Each line's result in the partner's words, among ALL that partner's uploads (an old
    line past :data:`LIMIT` still tells what replaced it), every partner judged against ONE
    read of the current release (a flip between partners cannot mix two releases)."""
    by_partner: dict[str, list[Submission]] = {}
    for sub in every:
        by_partner.setdefault(sub.partner, []).append(sub)
    rel = words.current_release(store)
    published = {p: words.published_in(rel, p) for p in {s.partner for s in lines}}
    return [words.chain_text(s, by_partner[s.partner], settings, published[s.partner], lang)
            for s in lines]


def source_text(lang: str, now: datetime) -> str:
    """Where the log comes from and when it was read (the page's source line, the files')."""
    return t("submit.audit_source", lang, when=stamp(now, lang))


def notes(table: Table, lang: str, now: datetime) -> list[tuple[str, str]]:
    """(label, text) pairs that travel with the log's CSV / XLSX, as with every download:
    title, source, period, language and what the page says beside the log."""
    out = [(t("dl.title", lang), table.title), (t("dl.source", lang), source_text(lang, now))]
    if table.period_words:
        out.append((t("dl.uploads_period", lang), table.period_words))
    out.append((t("dl.language", lang), t("dl.language_name", lang)))
    out += [(t("dl.note", lang), remark) for remark in table.remarks]
    return out + [(t("dl.licence", lang), t("dl.licence_internal", lang))]


def download(settings: Settings, lang: str, store: ReleaseStore | None = None,
             now: datetime | None = None) -> tuple[Table, list[tuple[str, str]], str]:
    """The log's table, its notes and its file stem (``otsh_upload_audit_<lang>_<Lisbon time
    read>``: the log grows between releases, so the time, not a release, names the file).
    The caller checks :data:`AUDIENCE` first."""
    now = now or datetime.now(UTC)
    table = audit_table(settings, lang, store)
    stem = f"otsh_{NAME}_{norm_lang(lang)}_{local_time(now):%Y%m%dT%H%M}"
    return table, notes(table, lang, now), stem


def section(settings: Settings, lang: str, store: ReleaseStore | None = None,
            now: datetime | None = None) -> list[Any]:
    """The log on the data-quality page: its table, source line and download buttons."""
    tbl = audit_table(settings, lang, store)
    if not tbl.rows:
        return [html.H2(tbl.title),
                html.P(t("submit.audit_empty", lang), id="upload-audit-empty")]
    hint = " ".join((tbl.remarks[0], *tbl.remarks[2:]))  # not the downloads' own warning
    source = html.P([html.Span(f"{t('dl.source', lang)}: ", className="source-label"),
                     source_text(lang, now or datetime.now(UTC))], className="source-line")
    return [html.H2(tbl.title), html.P(hint, className="hint"),
            html.Div(className="table-wrap", tabIndex=0, role="region",
                     **{"aria-label": tbl.title}, children=[html.Table(
                         className="data", id="upload-audit", **{"aria-label": tbl.title},
                         children=[
                             html.Thead(html.Tr([html.Th(c, scope="col")
                                                 for c in tbl.columns])),
                             html.Tbody([html.Tr([html.Td(str(c)) for c in row])
                                         for row in tbl.rows])]), source]),
            downloads(NAME, lang)]


def why(sub: Submission, data_dir: Path, lang: str) -> str:
    """The reason typed for a replacement; for a rejected upload, its problems as the
    analysts' rejected-files table words them ("1 problema; primeiro: coluna desconhecida,
    linha 1"), read from the file's report in the quarantine (empty when it cannot be
    read). Shown in this log and in the partner's own history."""
    if sub.result != REJECTED or not sub.report:
        return sub.reason
    report = data_dir / Path(sub.report).with_suffix(".json")
    try:
        problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    except (OSError, ValueError, KeyError):
        return sub.reason
    if not problems:
        return sub.reason
    first = problems[0]
    row = str(first["row"]) if first.get("row") else None
    return summary(sub.problems or len(problems), rule_label(first.get("rule", ""), lang),
                   row, lang)
