"""The upload audit trail on the analysts' data-quality page: who handed in what and when.

Read from ``$OBS_DATA_DIR/submissions/audit.jsonl`` on every view (it changes between
releases), never from a release: file names are internal and are never published. The page
callback shows it only after checking the analyst audience on the server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dash import html

from dashboards.pages.common import return_type_label
from indicators.i18n import rule_label, t
from indicators.local_time import stamp
from indicators.rejection_summaries import summary
from indicators.submissions import REJECTED, AuditTrail, Submission

LIMIT = 200  # newest lines shown


def section(data_dir: Path, lang: str) -> list[Any]:
    lines = AuditTrail(data_dir).all()[-LIMIT:]
    title = t("submit.audit", lang)
    if not lines:
        return [html.H2(title), html.P(t("submit.audit_empty", lang), id="upload-audit-empty")]
    columns = [t("submit.col.received_local", lang), t("submit.col.user", lang),
               t("submit.col.partner", lang), t("submit.col.file", lang),
               t("submit.col.return_type", lang), t("submit.col.period", lang),
               t("submit.col.result", lang), t("submit.col.rows", lang),
               t("submit.col.reason", lang)]
    rows = [[stamp(s.received, lang), s.user, s.partner, s.file_name,
             ", ".join(return_type_label(rt, lang) for rt in s.return_types),
             ", ".join(s.periods), t(f"submit.result.{s.result}", lang), str(s.n_rows),
             why(s, data_dir, lang)] for s in reversed(lines)]
    return [html.H2(title), html.P(t("submit.audit_hint", lang), className="hint"),
            html.Div(className="table-wrap", tabIndex=0, role="region",
                     **{"aria-label": title}, children=html.Table(
                         className="data", id="upload-audit", **{"aria-label": title},
                         children=[
                             html.Thead(html.Tr([html.Th(c, scope="col") for c in columns])),
                             html.Tbody([html.Tr([html.Td(c) for c in row])
                                         for row in rows])]))]


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
