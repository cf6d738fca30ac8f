"""EEA Grants results (donor view): baseline, target, achieved, % of target, status, by sex."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from dash import html

from dashboards import data
from dashboards.components import View, downloads, dropdown, table
from dashboards.data import Release
from dashboards.exports import Table
from dashboards.i18n import t
from dashboards.pages.common import pick, status_words

PATH = "/results"
TITLE_KEY = "page.results"
AUDIENCE = "donor"
PARAMS = ("rperiod",)
CONTROL_KEYS: tuple[str, ...] = ()
STATUS_ICON = {"achieved": "✔", "on_track": "●", "at_risk": "▲", None: "○"}


def normalise(rel: Release, params: dict[str, Any]) -> dict[str, Any]:
    periods = data.reporting_periods(rel)
    return {"rperiod": pick(params.get("rperiod"), periods, periods[-1] if periods else None)}


def controls(rel: Release, p: dict[str, Any], lang: str) -> list[Any]:
    periods = data.reporting_periods(rel)
    return [dropdown("rperiod", lang, [(rp, rp) for rp in reversed(periods)], p["rperiod"],
                     "ctl.rperiod")] if periods else []


def status_text(status: str | None, lang: str) -> str:
    key = f"res.status.{status}" if status else "res.status.none"
    return f"{STATUS_ICON.get(status, '○')} {t(key, lang)}"


def table_for(rel: Release, rperiod: str | None, lang: str) -> Table:
    """Donor layout: one row per indicator, the sex disaggregation as extra columns."""
    meta = data.indicators(rel)
    frame = data.eea_results(rel)
    frame = frame.filter(frame["reporting_period"] == rperiod)
    name_col = "name_en" if lang == "en" else "name_pt"
    cols = (t("col.code", lang), t("col.indicator", lang), t("col.level", lang),
            t("col.reporting_period", lang), t("col.baseline", lang),
            t("col.baseline_year", lang), t("col.target", lang), t("col.target_year", lang),
            t("col.achieved", lang), t("col.flags", lang),
            f"{t('col.achieved', lang)} — {t('col.sex', lang)}: F",
            f"{t('col.flags', lang)} F",
            f"{t('col.achieved', lang)} — {t('col.sex', lang)}: M",
            f"{t('col.flags', lang)} M",
            t("col.pct_target", lang), t("col.status", lang), t("col.flag_text", lang))
    rows = []
    for m in meta.filter(meta["family"] == "eea_results").iter_rows(named=True):
        part = frame.filter(frame["indicator"] == m["code"])
        by = {(r["breakdown"], r["breakdown_code"]): r for r in part.iter_rows(named=True)}
        total = by.get(("_T", "_T"))
        if total is None:
            continue
        female, male = by.get(("sex", "F")), by.get(("sex", "M"))
        level = t(f"res.level.{m['level']}", lang) if m["level"] in ("outcome", "output") \
            else (m["level"] or "")
        rows.append((
            m["code"], m[name_col], level, rperiod,
            total["baseline"] if total["baseline"] is not None else m["baseline_value"],
            m["baseline_year"],
            total["target"] if total["target"] is not None else m["target_value"],
            m["target_year"], total["achieved"], total["flags"],
            female["achieved"] if female else None, female["flags"] if female else "z",
            male["achieved"] if male else None, male["flags"] if male else "z",
            total["pct_of_target"], status_text(total["status"], lang),
            status_words(total["flags"], total["achieved"], lang)))
    return Table(name="eea_results", title=t("res.title", lang, period=rperiod or ""),
                 columns=cols, rows=tuple(rows))


def report_href(p: dict[str, Any], lang: str, fmt: str = "html") -> str:
    """Link to the printable report (``fmt="html"``) or its PDF (``fmt="pdf"``)."""
    path = "/report/results.pdf" if fmt == "pdf" else "/report/results"
    return path + "?" + urlencode({"lang": lang, "rperiod": p["rperiod"] or ""})


def display_table(tbl: Table, lang: str) -> html.Div:
    """The table with each 'achieved' cell marked confidential by its own flag column."""
    out = table(tbl, lang, flag_column=t("col.flags", lang),
                value_columns=(t("col.achieved", lang),))
    # Sex columns: rebuild their cells with their own flag columns.
    f_idx = tbl.columns.index(f"{t('col.achieved', lang)} — {t('col.sex', lang)}: F")
    tbody = out.children.children[2]
    years = [tbl.columns.index(t(k, lang)) for k in ("col.baseline_year", "col.target_year")]
    for row_component, row in zip(tbody.children, tbl.rows, strict=True):
        for idx in years:  # a year, not a quantity: no thousands separator
            if isinstance(row[idx], int):
                row_component.children[idx] = html.Td(str(row[idx]), className="num")
        for idx in (f_idx, f_idx + 2):
            if row[idx] is None and "c" in (row[idx + 1] or ""):
                row_component.children[idx] = html.Td(
                    html.Abbr("c", title=t("flag.c", lang)), className="num confidential")
    return out


def view(rel: Release, p: dict[str, Any], lang: str) -> View:
    if p["rperiod"] is None:
        return View(children=[html.P(t("no_data", lang))])
    tbl = table_for(rel, p["rperiod"], lang)
    meta = data.indicators(rel)
    illustrative = any(meta.filter(meta["family"] == "eea_results")["targets_illustrative"]
                       .fill_null(False))
    children: list[Any] = []
    if illustrative:
        children.append(html.P(t("res.illustrative", lang), className="notice"))
    children += [
        display_table(tbl, lang),
        downloads("eea_results", lang),
        html.P(className="report-links", children=[
            html.A(t("res.print", lang), href=report_href(p, lang), target="_blank",
                   rel="noopener", className="btn-link"),
            " · ",
            html.A(t("res.pdf", lang), href=report_href(p, lang, "pdf"), id="report-pdf",
                   className="btn-link", download=""),
        ]),
    ]
    return View(children=children, tables={"eea_results": tbl})
