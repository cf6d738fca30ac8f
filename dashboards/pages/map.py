"""Regional map: a district choropleth with Azores and Madeira insets."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from dash import html

from dashboards import map_svg
from dashboards.components import View, downloads, dropdown, image_footer, source_line, table
from dashboards.figures import MapCell, map_layers
from dashboards.pages.common import (
    GEOS_ORDER,
    breakdown_code_label,
    district_options,
    geo_name,
    indicator_name,
    indicator_options,
    pick,
    round_as_shown,
)
from indicators import release_reader as data
from indicators.flags import CONFIDENTIAL, NOT_AVAILABLE
from indicators.i18n import (
    breakdown_label,
    fmt_period,
    fmt_value,
    status_words,
    t,
    unit_decimals,
)
from indicators.release_reader import Release
from indicators.reports.exports import Table
from indicators.sdmx.codes import NATIONAL

PATH = "/map"
TITLE_KEY = "page.map"
AUDIENCE = "public"
PARAMS = ("indicator", "grain", "period", "breakdown", "district")
CONTROL_KEYS = ("indicator", "grain")
MAP_GRAINS = ("month", "quarter", "year", "ytd", "r12")
GRAPH_ID = "map-graph"
OUTSIDE = ("ABROAD", "UNKNOWN")  # persons counted nationally but on no district of the map
IMAGE_PATH = "/download/map.svg"  # the map as an image file (dashboards/app.py serves it)


def _bd_value(breakdown: str, code: str) -> str:
    return "_T" if breakdown == "_T" else f"{breakdown}={code}"


def _bd_split(value: str) -> tuple[str, str]:
    if value == "_T" or "=" not in value:
        return "_T", "_T"
    breakdown, code = value.split("=", 1)
    return breakdown, code


def _district_indicators(rel: Release, lang: str) -> list[tuple[str, str]]:
    """Indicators published by district; rates first (the map's default: counts mostly show
    where people live), each group in the registry's order (:func:`indicator_options`)."""
    out = [(code, name) for code, name in indicator_options(rel, lang)
           if any(not national for _g, national, _b in data.combinations(rel, code))]
    units = {code: (data.indicator_meta(rel, code) or {}).get("unit") for code, _ in out}
    return sorted(out, key=lambda item: units[item[0]] != "rate_100k")  # stable


def _grains(rel: Release, indicator: str) -> list[str]:
    """Grains with district values (the only ones a district map can show)."""
    combos = data.combinations(rel, indicator)
    return [g for g in MAP_GRAINS if (g, False, "_T") in combos]


def _grain_options(rel: Release, indicator: str, lang: str) -> list[dict[str, Any]]:
    """Every grain the indicator is published at; those without district values are disabled
    and say so (e.g. months: too small to protect people by district)."""
    by_district = _grains(rel, indicator)
    out = []
    for grain in (g for g in MAP_GRAINS if g in data.grains(rel, indicator)):
        label = t(f"grain.{grain}", lang)
        if grain not in by_district:
            label = f"{label} ({t('map.not_by_district', lang)})"
        out.append({"label": label, "value": grain, "disabled": grain not in by_district})
    return out


def _breakdowns(rel: Release, indicator: str, grain: str) -> list[tuple[str, str]]:
    combos = data.combinations(rel, indicator)
    return [(b, c) for b, c in data.breakdowns(rel, indicator) if (grain, False, b) in combos]


def normalise(rel: Release, params: dict[str, Any]) -> dict[str, Any]:
    indicators = [c for c, _ in _district_indicators(rel, "pt")]
    indicator = pick(params.get("indicator"), indicators, indicators[0] if indicators else None)
    if indicator is None:
        return {"indicator": None, "grain": "year", "period": None, "breakdown": "_T",
                "district": "PT"}
    available = _grains(rel, indicator)
    grain = pick(params.get("grain"), available, "year" if "year" in available else
                 (available[0] if available else "month"))
    labels = [label for label, _ in data.district_periods(rel, indicator, grain)]
    period = pick(params.get("period"), labels, labels[-1] if labels else None)
    bds = [_bd_value(b, c) for b, c in _breakdowns(rel, indicator, grain)]
    breakdown = pick(params.get("breakdown"), bds, "_T")
    codes = [c for c, _ in district_options("pt")]
    return {"indicator": indicator, "grain": grain, "period": period, "breakdown": breakdown,
            "district": pick(params.get("district"), codes, "PT")}


def controls(rel: Release, p: dict[str, Any], lang: str) -> list[Any]:
    if p["indicator"] is None:
        return []
    indicator = p["indicator"]
    periods = [(label, fmt_period(label, p["grain"], lang))
               for label, _ in reversed(data.district_periods(rel, indicator, p["grain"]))]
    bds = [(_bd_value(b, c), t("bd._T", lang) if b == "_T" else
            f"{breakdown_label(b, lang)}: {breakdown_code_label(b, c, lang)}")
           for b, c in _breakdowns(rel, indicator, p["grain"])]
    grain = dropdown("grain", lang, [], p["grain"], "ctl.grain")
    grain.children[1].options = _grain_options(rel, indicator, lang)
    return [
        dropdown("indicator", lang, _district_indicators(rel, lang), indicator, "ctl.indicator"),
        grain,
        dropdown("period", lang, periods, p["period"], "ctl.period"),
        dropdown("breakdown", lang, bds, p["breakdown"], "ctl.breakdown"),
        dropdown("district", lang, district_options(lang), p["district"], "ctl.district"),
    ]


def _left_out(rel: Release, p: dict[str, Any], frame, geos: tuple[str, ...]) -> set[str]:
    """The ``geos`` protection left out of the release for the period although the national
    value is published (:func:`release_reader.left_out`; e.g. by quarter and year to date, a
    district whose yearly count is small): confidential, not "not available"."""
    breakdown, code = _bd_split(p["breakdown"])
    national = data.values(rel, p["indicator"], p["grain"], (NATIONAL,), breakdown, code,
                           p["period"])
    return {geo for _grain, _label, geo in data.left_out(national, frame, geos)}


def cells(rel: Release, p: dict[str, Any], lang: str) -> list[MapCell]:
    """One cell per district: its published value and flags; a district left out of the
    release for the period is confidential (``c``), one with no value at all ``:``."""
    breakdown, code = _bd_split(p["breakdown"])
    frame = data.values(rel, p["indicator"], p["grain"], GEOS_ORDER, breakdown, code,
                        p["period"])
    found = {r["geo"]: r for r in frame.iter_rows(named=True)}
    left_out = _left_out(rel, p, frame, GEOS_ORDER)
    out = []
    for geo in GEOS_ORDER:
        row = found.get(geo)
        missing = CONFIDENTIAL if geo in left_out else NOT_AVAILABLE
        out.append(MapCell(geo=geo, name=geo_name(geo, lang),
                           value=row["value"] if row else None,
                           flags=(row["flags"] or "") if row else missing,
                           left_out=row is None and geo in left_out))
    return out


def table_for(rel: Release, p: dict[str, Any], lang: str, map_cells: list[MapCell],
              unit: str) -> Table:
    breakdown, code = _bd_split(p["breakdown"])
    cols = (t("col.indicator", lang), t("col.period", lang), t("col.breakdown", lang),
            t("col.category", lang), t("col.geo_code", lang), t("col.geo", lang),
            t("col.value", lang), t("col.unit", lang), t("col.flags", lang),
            t("col.flag_text", lang))
    ind = indicator_name(rel, p["indicator"], lang)
    shown_period = fmt_period(p["period"] or "", p["grain"], lang)
    rows = tuple((ind, shown_period, breakdown_label(breakdown, lang),
                  breakdown_code_label(breakdown, code, lang), c.geo, c.name,
                  round_as_shown(c.value, unit),
                  t(f"unit.{unit}", lang), c.flags,
                  f"{status_words(c.flags, c.value, lang)}: {t('map.left_out_status', lang)}"
                  if c.left_out else status_words(c.flags, c.value, lang))
                 for c in map_cells)
    title = t("map.title", lang, indicator=ind, period=fmt_period(p["period"] or "", p["grain"],
                                                                   lang))
    return Table(name="map", title=title, columns=cols, rows=rows, period=p["period"] or "",
                 indicators=(p["indicator"],), value_column=t("col.value", lang),
                 subject=(p["indicator"], p["breakdown"] if breakdown != "_T" else ""),
                 value_decimals=(unit_decimals(unit),) * len(rows))


def fact_columns(lang: str) -> tuple[str, ...]:
    """Columns said once above the table when every district has the same (the downloads
    keep them on every row)."""
    return tuple(t(f"col.{name}", lang) for name in ("indicator", "period", "breakdown",
                                                      "category", "unit"))


def outside_note(rel: Release, p: dict[str, Any], unit: str, lang: str) -> str:
    """Persons not on the map (abroad, unknown district), so the districts add up to the
    national total; for rates, what the national rate includes."""
    breakdown, code = _bd_split(p["breakdown"])
    frame = data.values(rel, p["indicator"], p["grain"], (NATIONAL, *OUTSIDE), breakdown,
                        code, p["period"])
    found = {r["geo"]: r for r in frame.iter_rows(named=True)}
    if NATIONAL not in found:
        return ""
    left_out = _left_out(rel, p, frame, OUTSIDE)

    def shown(geo: str) -> str:
        row = found.get(geo)
        if row is None:
            return t("flag.c" if geo in left_out else "flag.:", lang)
        if row["value"] is None:
            return t("flag.c" if "c" in (row["flags"] or "") else "flag.:", lang)
        return fmt_value(row["value"], unit, lang)

    if unit in ("rate_100k", "percent"):
        return t("map.outside_rate", lang, national=shown(NATIONAL))
    return t("map.outside", lang, abroad=shown("ABROAD"), unknown=shown("UNKNOWN"),
             national=shown(NATIONAL))


def _district_hrefs(p: dict[str, Any]) -> dict[str, str]:
    """The address that selects each district (followed when scripts do not run; the page
    script sets the district control instead, as a click on the map always did)."""
    return {geo: PATH + "?" + urlencode({**{k: v for k, v in p.items() if v}, "district": geo})
            for geo in GEOS_ORDER}


def map_figure(map_cells: list[MapCell], p: dict[str, Any], unit: str, lang: str,
               title: str, release: Release | None = None) -> tuple[html.Figure, str]:
    """The map (SVG put into ``#map-graph`` by assets/map_svg.js), its title, the line that
    shows the district under the pointer or focus, and the legend; and the map as an image
    file (served by the app at IMAGE_PATH)."""
    selected = p["district"] if p["district"] != "PT" else None
    layers = map_layers(map_cells, unit, lang)
    svg = map_svg.map_svg(layers, unit, lang, title, _district_hrefs(p), selected)
    image = map_svg.image_file(layers, unit, lang, title, selected,
                               image_footer(lang, unit == "rate_100k", release))
    return html.Figure(className="chart map-chart", children=[
        html.Figcaption(title, className="map-title", id="map-title"),
        html.P(t("map.click", lang), className="hint"),
        html.P(id="map-hover", className="map-hover", **{"aria-hidden": "true"}),
        html.Div(id=GRAPH_ID, className="map-svg", **{"data-svg": svg}),
        map_svg.legend(layers, unit, lang),
        source_line(lang, unit == "rate_100k", release),
        html.P(t("map.alt", lang), className="visually-hidden"),
    ]), image


def view(rel: Release, p: dict[str, Any], lang: str) -> View:
    if p["indicator"] is None or p["period"] is None:
        return View(children=[html.P(t("no_data", lang))])
    meta = data.indicator_meta(rel, p["indicator"]) or {}
    unit = meta.get("unit", "persons")
    map_cells = cells(rel, p, lang)
    tbl = table_for(rel, p, lang, map_cells, unit)
    breakdown, code = _bd_split(p["breakdown"])
    title = tbl.title if breakdown == "_T" else \
        f"{tbl.title} — {breakdown_code_label(breakdown, code, lang)}"
    children: list[Any] = []
    if p["district"] != "PT":
        children.append(html.P(t("map.selected", lang, name=geo_name(p["district"], lang)),
                               className="lead"))
    figure, image = map_figure(map_cells, p, unit, lang, title, rel)
    children += [figure, html.P(t("map.classes", lang), className="footnote", id="map-classes")]
    note = outside_note(rel, p, unit, lang)
    if note:
        children.append(html.P(note, className="notice", id="map-outside"))
        tbl = replace(tbl, remarks=(note,))  # the downloads carry it too
    buttons = downloads("map", lang)
    buttons.children.append(html.A(t("dl.svg", lang), className="btn", id="map-image",
                                   href=IMAGE_PATH + "?" + urlencode(
                                       {k: v for k, v in p.items() if v}), download=""))
    children += [
        buttons,
        table(tbl, lang, flag_column=t("col.flags", lang), value_columns=(t("col.value", lang),),
              facts=fact_columns(lang), rates=unit == "rate_100k", release=rel),
    ]
    return View(children=children, tables={"map": tbl}, figures={"map": image})
