"""EEA Grants results (donor view), by calendar year or interim-report period: baseline,
target, achieved in the period and to date (each with women and men), % of target, status.

The donor layout puts readable labels first and the indicator code last. A value cell holds
a number, or the flag letter in its place: ``c`` confidential, ``:`` not available."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import polars as pl
from dash import html

from dashboards import data
from dashboards.components import View, downloads, dropdown, table
from dashboards.data import Release
from dashboards.exports import Table
from dashboards.i18n import MONTHS_EN, MONTHS_PT, norm_lang, t
from dashboards.pages.common import status_words
from indicators.results import is_year

PATH = "/results"
TITLE_KEY = "page.results"
AUDIENCE = "donor"
PARAMS = ("rperiod",)
CONTROL_KEYS: tuple[str, ...] = ()
STATUS_ICON = {"achieved": "✔", "on_track": "●", "at_risk": "▲", "not_achieved": "✖",
               None: "○"}
CONFIDENTIAL, NOT_AVAILABLE = "c", ":"


def default_period(periods: list[str]) -> str | None:
    """The latest calendar year (donors report by year); else the latest period."""
    years = [p for p in periods if is_year(p)]
    return years[-1] if years else (periods[-1] if periods else None)


def normalise(rel: Release, params: dict[str, Any]) -> dict[str, Any]:
    """``rperiod``: the asked period when the release has it; otherwise the default period,
    with ``asked`` set so that the page says it shows another period (never silently)."""
    periods = data.reporting_periods(rel)
    asked = params.get("rperiod")
    if asked in periods:
        return {"rperiod": asked, "asked": None}
    return {"rperiod": default_period(periods), "asked": asked or None}


def period_label(code: str | None, lang: str) -> str:
    """``Year 2024`` / ``Interim period 2 of 2024 (May–Aug)``; unknown codes as given."""
    if not code:
        return ""
    if is_year(code):
        return t("res.period.year", lang, year=code)
    year, _, number = code.partition("-P")
    if not (year.isdigit() and number.isdigit()):
        return code
    from indicators.registry import load_registry

    spans = load_registry().interim_periods
    n = int(number)
    if not 1 <= n <= len(spans):
        return code
    months = MONTHS_EN if norm_lang(lang) == "en" else MONTHS_PT
    first, last = spans[n - 1]
    return t("res.period.interim", lang, n=n, year=year, first=months[first - 1],
             last=months[last - 1])


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


def status_text(status: str | None, lang: str, icon: bool = True) -> str:
    key = f"res.status.{status}" if status else "res.status.none"
    return f"{STATUS_ICON.get(status, '○')} {t(key, lang)}" if icon else t(key, lang)


def columns(lang: str) -> tuple[str, ...]:
    return (t("col.indicator", lang), t("col.level", lang), t("col.baseline", lang),
            t("col.baseline_year", lang), t("col.target", lang), t("col.target_year", lang),
            t("res.col.period_total", lang), t("res.col.period_women", lang),
            t("res.col.period_men", lang), t("res.col.to_date_total", lang),
            t("res.col.to_date_women", lang), t("res.col.to_date_men", lang),
            t("col.pct_target", lang), t("col.status", lang), t("res.col.value_status", lang),
            t("col.code", lang))


def cell(row: dict | None, value_col: str, flag_col: str) -> Any:
    """A published value, or the flag letter that stands in its place."""
    if row is None:
        return NOT_AVAILABLE
    value = row.get(value_col)
    if value is not None:
        return value
    flags = row.get(flag_col) or ""
    return CONFIDENTIAL if CONFIDENTIAL in flags else NOT_AVAILABLE


def _period_frame(rel: Release, rperiod: str | None) -> pl.DataFrame:
    frame = data.eea_results(rel)
    frame = frame.filter(frame["reporting_period"] == rperiod)
    for col, dtype in (("achieved_period", pl.Float64), ("period_flags", pl.String)):
        if col not in frame.columns:  # releases published before the period columns
            frame = frame.with_columns(pl.lit(None, dtype=dtype).alias(col))
    return frame


def table_for(rel: Release, rperiod: str | None, lang: str) -> Table:
    """Donor layout: one row per indicator, women and men beside each total."""
    meta = data.indicators(rel)
    frame = _period_frame(rel, rperiod)
    name_col = "name_en" if lang == "en" else "name_pt"
    rows = []
    eea = sorted(meta.filter(meta["family"] == "eea_results").iter_rows(named=True),
                 key=lambda m: (m["level"] != "outcome", m[name_col]))  # outcome first
    for m in eea:
        part = frame.filter(frame["indicator"] == m["code"])
        by = {(r["breakdown"], r["breakdown_code"]): r for r in part.iter_rows(named=True)}
        total = by.get(("_T", "_T"))
        if total is None:
            continue
        counts_people = m["unit"] == "persons"
        female, male = by.get(("sex", "F")), by.get(("sex", "M"))

        def sex(row: dict | None, value_col: str, flag_col: str,
                people: bool = counts_people) -> Any:
            return cell(row, value_col, flag_col) if people else None

        level = t(f"res.level.{m['level']}", lang) if m["level"] in ("outcome", "output") \
            else (m["level"] or "")
        rows.append((
            m[name_col], level,
            total["baseline"] if total["baseline"] is not None else m["baseline_value"],
            m["baseline_year"],
            total["target"] if total["target"] is not None else m["target_value"],
            m["target_year"],
            cell(total, "achieved_period", "period_flags"),
            sex(female, "achieved_period", "period_flags"),
            sex(male, "achieved_period", "period_flags"),
            cell(total, "achieved", "flags"),
            sex(female, "achieved", "flags"), sex(male, "achieved", "flags"),
            total["pct_of_target"], status_text(total["status"], lang, icon=False),
            status_words(total["flags"], total["achieved"], lang), m["code"]))
    return Table(name="eea_results",
                 title=t("res.title", lang, period=period_label(rperiod, lang)),
                 columns=columns(lang), rows=tuple(rows))


def report_href(p: dict[str, Any], lang: str, fmt: str = "html") -> str:
    """Link to the printable report (``fmt="html"``), its PDF, CSV or XLSX."""
    path = f"/report/results.{fmt}" if fmt in ("pdf", "csv", "xlsx") else "/report/results"
    return path + "?" + urlencode({"lang": lang, "rperiod": p["rperiod"] or ""})


def display_table(tbl: Table, lang: str) -> html.Div:
    """The table with flag letters as explained abbreviations, plain years and the status
    with its icon."""
    out = table(tbl, lang)
    out.children.className = "data results"
    tbody = out.children.children[2]
    years = [tbl.columns.index(t(k, lang)) for k in ("col.baseline_year", "col.target_year")]
    status_idx = tbl.columns.index(t("col.status", lang))
    labels = [{"data-label": str(c)} for c in tbl.columns]  # the phone's card layout
    for row_component, row in zip(tbody.children, tbl.rows, strict=True):
        cells = row_component.children
        for idx, value in enumerate(row):
            if value in (CONFIDENTIAL, NOT_AVAILABLE):
                cells[idx] = html.Td(html.Abbr(value, title=t(f"flag.{value}", lang)),
                                     className="num confidential" if value == CONFIDENTIAL
                                     else "num", **labels[idx])
        for idx in years:  # a year, not a quantity: no thousands separator
            if isinstance(row[idx], int):
                cells[idx] = html.Td(str(row[idx]), className="num", **labels[idx])
        icon = next((i for s, i in STATUS_ICON.items()
                     if s and row[status_idx] == t(f"res.status.{s}", lang)), "○")
        cells[status_idx] = html.Td(f"{icon} {row[status_idx]}", className="status nowrap",
                                    **labels[status_idx])
        cells[-1] = html.Td(row[-1], className="code", **labels[-1])  # never wrapped
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
        display_table(tbl, lang),
        html.P(t("res.sex_note", lang), className="hint"),
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
