"""EEA Grants results (donor view), by calendar year or interim-report period: baseline,
target, achieved in the period and to date (each with women and men), % of target, status.

The donor layout puts readable labels first and the indicator code last. A value cell holds
a number, or the flag letter in its place: ``c`` confidential, ``:`` not available."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from dash import html

from dashboards.components import View, downloads, dropdown, phone_facts, table, table_of
from indicators import release_reader as data
from indicators.eea_results import is_year
from indicators.i18n import t
from indicators.release_reader import Release
from indicators.reports.exports import Table
from indicators.reports.results_table import (
    CONFIDENTIAL,
    FLAG_CELLS,
    STATUS_ICON,
    period_label,
    table_for,
)
from indicators.reports.results_table import normalise as normalise  # the page's normalise

PATH = "/results"
TITLE_KEY = "page.results"
AUDIENCE = "donor"
PARAMS = ("rperiod",)
CONTROL_KEYS: tuple[str, ...] = ()


def period_options(rel: Release, lang: str) -> list[tuple[str, str]]:
    """Years first (latest first), then interim periods (latest first)."""
    periods = data.reporting_periods(rel)
    years = [p for p in reversed(periods) if is_year(p)]
    interim = [p for p in reversed(periods) if not is_year(p)]
    return [(p, period_label(p, lang)) for p in years + interim]


def controls(rel: Release, p: dict[str, Any], lang: str) -> list[Any]:
    options = period_options(rel, lang)
    if not options:
        return []
    if p.get("asked"):
        # the asked period is not in the release: no value (so the address keeps what was
        # asked and the page says what it shows instead), the shown period as placeholder
        control = dropdown("rperiod", lang, options, None, "ctl.rperiod")
        control.children[1].placeholder = period_label(p["rperiod"], lang)
        return [control]
    return [dropdown("rperiod", lang, options, p["rperiod"], "ctl.rperiod")]


def report_href(p: dict[str, Any], lang: str, fmt: str = "html") -> str:
    """Link to the printable report (``fmt="html"``), its PDF, CSV or XLSX."""
    path = f"/report/results.{fmt}" if fmt in ("pdf", "csv", "xlsx") else "/report/results"
    return path + "?" + urlencode({"lang": lang, "rperiod": p["rperiod"] or ""})


def display_table(tbl: Table, lang: str, release: Release | None = None) -> html.Div:
    """The table with flag letters as explained abbreviations, plain years and the status
    with its icon, and its source line (with ``release``)."""
    out = table(tbl, lang, release=release)
    table_of(out).className = "data results"
    tbody = table_of(out).children[2]
    years = [tbl.columns.index(t(k, lang)) for k in ("col.baseline_year", "col.target_year")]
    status_idx = tbl.columns.index(t("col.status", lang))
    labels = [{"data-label": str(c)} for c in tbl.columns]  # the phone's card layout
    if tbody.children:  # columns with one value in every row stay left out of the cards
        for label, cell in zip(labels, tbody.children[0].children, strict=True):
            if getattr(cell, "data-constant", None):
                label["data-constant"] = "1"
    for row_component, row in zip(tbody.children, tbl.rows, strict=True):
        cells = row_component.children
        for idx, value in enumerate(row):
            if value in FLAG_CELLS:
                cells[idx] = html.Td(html.Abbr(value, title=t(f"flag.{value}", lang)),
                                     className="num confidential" if value == CONFIDENTIAL
                                     else "num", **labels[idx])
        for idx in years:  # a year, not a quantity: no thousands separator
            if isinstance(row[idx], int):
                cells[idx] = html.Td(str(row[idx]), className="num", **labels[idx])
        icon = next((i for s, i in STATUS_ICON.items()
                     if s and row[status_idx] == t(f"res.status.{s}", lang)), "○")
        # the icon stays with the first word; a long status ("Achieved after the target
        # year") wraps instead of pushing the code column off the page
        cells[status_idx] = html.Td(f"{icon}\u00a0{row[status_idx]}", className="status",
                                    **labels[status_idx])
        cells[-1] = html.Td(row[-1], className="code", **labels[-1])  # never wrapped
    out.children[0] = phone_facts(tbody.children)  # as the cells now show
    return out


def view(rel: Release, p: dict[str, Any], lang: str) -> View:
    if p["rperiod"] is None:
        return View(children=[html.P(t("no_data", lang))])
    tbl = table_for(rel, p["rperiod"], lang)
    meta = data.indicators(rel)
    illustrative = any(meta.filter(meta["family"] == "eea_results")["targets_illustrative"]
                       .fill_null(False))
    children: list[Any] = []
    if p.get("asked"):
        children.append(html.P(t("res.period_missing", lang, asked=p["asked"],
                                 shown=period_label(p["rperiod"], lang)),
                               className="notice", id="period-missing", role="alert"))
    if illustrative:
        children.append(html.P(t("res.illustrative", lang), className="notice"))
    children += [
        display_table(tbl, lang, rel),
        html.P(t("res.status_note", lang), className="hint", id="status-note"),
        html.P([t("res.sex_note", lang), " ", t("res.sex_na_note", lang)], className="hint"),
        downloads("eea_results", lang),
        html.P(className="report-links", children=[
            html.A(t("res.print", lang), href=report_href(p, lang), target="_blank",
                   rel="noopener", className="btn-link"),
            " · ",
            html.A(t("res.pdf", lang), href=report_href(p, lang, "pdf"), id="report-pdf",
                   className="btn-link", download=""),
            " · ",
            html.A(t("res.donor_xlsx", lang), href=report_href(p, lang, "xlsx"),
                   id="report-xlsx", className="btn-link", download=""),
            " · ",
            html.A(t("res.donor_csv", lang), href=report_href(p, lang, "csv"),
                   id="report-csv", className="btn-link", download=""),
        ]),
    ]
    return View(children=children, tables={"eea_results": tbl})
