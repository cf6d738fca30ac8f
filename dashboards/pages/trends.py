"""Trends: time series by month, quarter or year, with breakdowns and a comparison area."""

from __future__ import annotations

from typing import Any

from dash import html

from dashboards import data
from dashboards.components import View, downloads, dropdown, graph, table
from dashboards.data import Release
from dashboards.exports import Table
from dashboards.figures import Series, trend_figure
from dashboards.i18n import breakdown_label, fmt_period, t
from dashboards.pages.common import (
    breakdown_code_label,
    district_options,
    geo_name,
    indicator_name,
    indicator_options,
    pick,
    points,
    status_words,
)

PATH = "/trends"
TITLE_KEY = "page.trends"
AUDIENCE = "public"
PARAMS = ("indicator", "grain", "breakdown", "district", "compare")
CONTROL_KEYS = ("indicator",)
TREND_GRAINS = ("month", "quarter", "year")
GRAPH_ID = "trend-graph"


def _dimensions(rel: Release, indicator: str) -> list[str]:
    dims: list[str] = []
    for breakdown, _code in data.breakdowns(rel, indicator):
        if breakdown not in dims:
            dims.append(breakdown)
    return dims


def normalise(rel: Release, params: dict[str, Any]) -> dict[str, Any]:
    inds = [c for c, _ in indicator_options(rel, "pt")]
    indicator = pick(params.get("indicator"), inds, inds[0] if inds else None)
    geos = [c for c, _ in district_options("pt")]
    district = pick(params.get("district"), geos, "PT")
    if indicator is None:
        return {"indicator": None, "grain": "month", "breakdown": "_T", "district": district,
                "compare": "none"}
    grains = [g for g in TREND_GRAINS if g in data.grains(rel, indicator)]
    compare = pick(params.get("compare"), ["none", *geos], "none" if district == "PT" else "PT")
    if compare == district:
        compare = "none"
    return {"indicator": indicator,
            "grain": pick(params.get("grain"), grains, grains[0] if grains else "month"),
            "breakdown": pick(params.get("breakdown"), _dimensions(rel, indicator), "_T"),
            "district": district, "compare": compare}


def controls(rel: Release, p: dict[str, Any], lang: str) -> list[Any]:
    if p["indicator"] is None:
        return []
    grains = [(g, t(f"grain.{g}", lang)) for g in TREND_GRAINS
              if g in data.grains(rel, p["indicator"])]
    dims = [(d, breakdown_label(d, lang)) for d in _dimensions(rel, p["indicator"])]
    return [
        dropdown("indicator", lang, indicator_options(rel, lang), p["indicator"], "ctl.indicator"),
        dropdown("grain", lang, grains, p["grain"], "ctl.grain"),
        dropdown("breakdown", lang, dims, p["breakdown"], "ctl.breakdown"),
        dropdown("district", lang, district_options(lang), p["district"], "ctl.district"),
        dropdown("compare", lang, [("none", t("ctl.none", lang)), *district_options(lang)],
                 p["compare"], "ctl.compare"),
    ]


def series(rel: Release, p: dict[str, Any], lang: str) -> list[tuple[str, str, str, Series]]:
    """(geo, breakdown, code, Series) for every line drawn."""
    geos = [p["district"]] + ([p["compare"]] if p["compare"] != "none" else [])
    out = []
    for geo in geos:
        frame = data.values(rel, p["indicator"], p["grain"], (geo,), p["breakdown"])
        codes = list(dict.fromkeys(frame["breakdown_code"]))
        for code in codes:
            part = frame.filter(frame["breakdown_code"] == code)
            name = geo_name(geo, lang)
            if p["breakdown"] != "_T":
                name = f"{name} — {breakdown_code_label(p['breakdown'], code, lang)}"
            out.append((geo, p["breakdown"], code, Series(name=name, points=points(part))))
    return out


def view(rel: Release, p: dict[str, Any], lang: str) -> View:
    if p["indicator"] is None:
        return View(children=[html.P(t("no_data", lang))])
    meta = data.indicator_meta(rel, p["indicator"]) or {}
    unit = meta.get("unit", "persons")
    lines = series(rel, p, lang)
    ind = indicator_name(rel, p["indicator"], lang)
    where = geo_name(p["district"], lang)
    if p["compare"] != "none":
        where += f" / {geo_name(p['compare'], lang)}"
    title = t("tr.title", lang, indicator=ind, geo=where)
    fig = trend_figure([s for *_, s in lines], unit, lang, title)
    cols = (t("col.indicator", lang), t("col.period", lang), t("col.geo_code", lang),
            t("col.geo", lang), t("col.breakdown", lang), t("col.category", lang),
            t("col.value", lang), t("col.unit", lang), t("col.flags", lang),
            t("col.flag_text", lang))
    rows = []
    for geo, breakdown, code, line in lines:
        for pt in line.points:
            rows.append((ind, fmt_period(pt.label, p["grain"], lang), geo, geo_name(geo, lang),
                         breakdown_label(breakdown, lang),
                         breakdown_code_label(breakdown, code, lang), pt.value,
                         t(f"unit.{unit}", lang), pt.flags,
                         status_words(pt.flags, pt.value, lang)))
    tbl = Table(name="trends", title=title, columns=cols, rows=tuple(rows))
    children = [
        graph(GRAPH_ID, fig, t("tr.alt", lang)),
        downloads("trends", lang, png_hint=True),
        table(tbl, lang, flag_column=t("col.flags", lang), value_columns=(t("col.value", lang),)),
    ]
    return View(children=children, tables={"trends": tbl}, figures={"trends": fig})
