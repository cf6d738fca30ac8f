"""Data quality (analysts): partner × month grid of returns, rejections, release history."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dash import html

from dashboards.components import View, downloads, dropdown, source_line, table
from dashboards.pages.common import pick, return_type_label
from indicators import release_reader as data
from indicators.i18n import fmt_date, fmt_period, norm_lang, rule_label, t
from indicators.open_data.tables import HISTORY_COUNTS
from indicators.release_reader import Release
from indicators.reports.exports import Table
from indicators.reports.status import read_status, reports_dir_of

PATH = "/quality"
TITLE_KEY = "page.quality"
AUDIENCE = "analyst"
PARAMS = ("dqyear",)  # one year of the grid at a time: ten years drew in about a minute
CONTROL_KEYS: tuple[str, ...] = ()
# A return first delivered late and then revised keeps its lateness beside the revision
# ("late_revised": the late letter with the revised mark), as the partner's calendar says
# "recebido com atraso; revisto em …"; one revised on time stays "V".
LETTER = {"received": "R", "late": "L", "missing": "M", "rejected": "X", "revised": "V",
          "late_revised": "L·V", "not_expected": "–"}
LETTER_PT = {"received": "R", "late": "A", "missing": "F", "rejected": "X", "revised": "V",
             "late_revised": "A·V", "not_expected": "–"}
LEGEND = ("received", "late", "missing", "rejected", "revised", "late_revised")


def _years(rel: Release) -> list[str]:
    return sorted({f"{m:%Y}" for m in data.data_quality(rel)["period"]})


def normalise(rel: Release, params: dict[str, Any]) -> dict[str, Any]:
    years = _years(rel)
    latest = rel.info.latest_period  # the release's last month of data, not a rejected claim
    default = f"{latest:%Y}" if latest and f"{latest:%Y}" in years else (
        years[-1] if years else None)
    return {"dqyear": pick(params.get("dqyear"), years, default)}


def controls(rel: Release, p: dict[str, Any], lang: str) -> list[Any]:
    years = _years(rel)
    return [dropdown("dqyear", lang, [(y, y) for y in reversed(years)], p["dqyear"],
                     "ctl.year")] if years else []


def letter(state: str, lang: str) -> str:
    return (LETTER if lang == "en" else LETTER_PT).get(state, "?")


def shown_state(state: str, days_late: int | None) -> str:
    """The grid's state of a return: the release's, except that a revised return whose FIRST
    delivery was late is ``late_revised`` (the release's ``revised`` hides the lateness)."""
    return "late_revised" if state == "revised" and (days_late or 0) > 0 else state


def _classes(state: str) -> str:
    return "dq dq-late dq-revised" if state == "late_revised" else f"dq dq-{state}"


def grid_table(rel: Release, lang: str, year: str | None = None) -> Table:
    """Partner x month states; ``year`` keeps that calendar year's months only."""
    frame = data.data_quality(rel)
    if year is not None:
        frame = frame.filter(frame["period"].dt.year() == int(year))
    months = sorted(set(frame["period"]))
    cols = (t("col.partner", lang), t("dq.return_type", lang),
            *[fmt_period(f"{m:%Y-%m}", "month", lang) for m in months])
    rows = []
    for (partner, rtype), part in frame.group_by(["partner", "return_type"],
                                                 maintain_order=True):
        states = {r["period"]: shown_state(r["state"], r.get("days_late"))
                  for r in part.iter_rows(named=True)}
        rows.append((partner, return_type_label(rtype, lang), *[
            t(f"dq.state.{states[m]}", lang) if m in states else "" for m in months]))
    title = t("dq.title_year", lang, year=year) if year else t("dq.title", lang)
    return Table(name="data_quality", title=title, columns=cols, rows=tuple(rows),
                 period=year or "", internal=True)


def rejections_table(rel: Release, lang: str) -> Table:
    frame = data.rejections(rel)
    cols = (t("col.received_at", lang), t("col.partner", lang), t("col.file", lang),
            t("col.rules", lang), t("col.reason", lang))
    rows = tuple((fmt_date(r["received_at"].date(), lang),
                  r["partner"] or t("dq.partner_unknown", lang), r["file_name"],
                  ", ".join(rule_label(rule, lang) for rule in (r["rules"] or [])),
                  _reason(r, lang))
                 for r in frame.iter_rows(named=True))
    return Table(name="rejections", title=t("dq.rejections", lang), columns=cols, rows=rows,
                 internal=True)


def _reason(row: dict, lang: str) -> str:
    """The release's summary ("1 problem; first: unknown_column, row 1") with each rule id
    in it replaced by its label in ``lang``, as in the Rules column."""
    summary = row["summary_en" if norm_lang(lang) == "en" else "summary_pt"]
    rules = sorted(row["rules"] or [], key=len, reverse=True)
    if not rules:
        return summary
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, rules)) + r")\b")
    return pattern.sub(lambda m: rule_label(m.group(1), lang), summary)


def history_table(rel: Release, lang: str) -> Table:
    """Every release named in this one, with the values added, changed, published before
    and not now (hidden or left out), and removed that the analysts read (donor-only values
    too: the public files count the public's own)."""
    frame = data.release_history(rel)
    counts = HISTORY_COUNTS
    cols = (t("col.release", lang), t("col.created", lang), t("col.summary", lang),
            *(t(f"col.{name}", lang) for name in counts))
    summary = "summary_en" if lang == "en" else "summary_pt"
    rows = tuple((r["release_id"], fmt_date(r["created_at"].date(), lang), r[summary],
                  *(r.get(name) for name in counts))
                 for r in frame.iter_rows(named=True))
    return Table(name="release_history", title=t("dq.history", lang), columns=cols, rows=rows,
                 internal=True)


def _grid(tbl: Table, rel: Release, lang: str) -> html.Div:
    state_of = {t(f"dq.state.{s}", lang): s for s in LETTER}
    head = html.Thead(html.Tr([html.Th(c, scope="col") for c in tbl.columns]))
    body = []
    for row in tbl.rows:
        cells: list[Any] = [html.Th(row[0], scope="row"), html.Td(row[1])]
        for word in row[2:]:
            state = state_of.get(word, "")
            cells.append(html.Td(html.Abbr(letter(state, lang), title=word) if state else "",
                                 className=_classes(state)))
        body.append(html.Tr(cells))
    legend = html.Ul(className="dq-legend", children=[
        html.Li([html.Span(letter(s, lang), className=_classes(s)),
                 " " + t(f"dq.state.{s}", lang)])
        for s in LEGEND])
    return html.Div([legend, html.Div(className="table-wrap", tabIndex=0, role="region",
                                      **{"aria-label": tbl.title},
                                      children=[html.Table(className="data grid", children=[
                                          html.Caption(tbl.title), head, html.Tbody(body)]),
                                          source_line(lang, release=rel)])])


def view(rel: Release, p: dict[str, Any], lang: str) -> View:
    grid = grid_table(rel, lang, p.get("dqyear"))
    rej = rejections_table(rel, lang)
    hist = history_table(rel, lang)
    children = [
        _grid(grid, rel, lang), downloads("data_quality", lang),
        html.H2(rej.title),
        html.P(t("dq.rejections_hint", lang), className="hint", id="rejections-hint"),
        table(rej, lang, caption=False, release=rel),
        downloads("rejections", lang),
        html.H2(hist.title), table(hist, lang, caption=False, release=rel),
        downloads("release_history", lang),
    ]
    return View(children=children, tables={"data_quality": grid, "rejections": rej,
                                           "release_history": hist})


def report_notice(serving_dir: Path, release_id: str, lang: str) -> list[Any]:
    """A warning when the refresh could not make a donor report PDF for this release (read
    on every view, not cached: the report step runs after the release is published)."""
    problems = read_status(reports_dir_of(serving_dir) / release_id)
    if not problems:
        return []
    other = "en" if lang == "pt" else "pt"
    langs = ", ".join(sorted({p.lang for p in problems}))
    return [html.Div(className="banner stale", role="status", id="report-pdf-warning", children=[
        html.P(t("dq.pdf_missing", lang, langs=langs)),
        html.P(t("dq.pdf_missing", other, langs=langs), lang=other),
        html.P(html.Code(problems[0].reason[:300])),
    ])]
