"""Pure figure builders: plain data in, plotly figure out (no data access, no Dash).

Confidential values are never drawn as zero or left blank: on maps they are a separate grey
layer with its own legend entry; on lines they are gaps with a hollow grey marker on the
baseline whose hover says "confidential". Provisional periods are dashed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import plotly.graph_objects as go

from dashboards.i18n import flag_words, fmt_value, t

GEOJSON_PATH = Path(__file__).resolve().parents[1] / "indicators" / "reference" \
    / "pt_districts.geojson"
# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
CONFIDENTIAL_GREY = "#8c8c8c"
NOT_AVAILABLE_GREY = "#d9d9d9"
# Viridis: ordered for colour-vision deficiencies and free of greys, so it cannot be taken for
# the grey of confidential districts (Cividis passes through grey).
SEQUENTIAL = "Viridis"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

# (subplot, region codes, centre, zoom, domain)
MAP_PANELS: tuple[tuple[str, tuple[str, ...] | None, dict, float, dict], ...] = (
    ("map", None, {"lat": 39.6, "lon": -8.1}, 5.3, {"x": [0.3, 1.0], "y": [0.0, 1.0]}),
    ("map2", ("PT-20",), {"lat": 38.4, "lon": -28.0}, 4.6, {"x": [0.0, 0.28], "y": [0.52, 1.0]}),
    ("map3", ("PT-30",), {"lat": 32.85, "lon": -16.75}, 6.4, {"x": [0.0, 0.28], "y": [0.0, 0.46]}),
)
ISLANDS = ("PT-20", "PT-30")


@dataclass(frozen=True)
class MapCell:
    geo: str
    name: str
    value: float | None
    flags: str


@dataclass(frozen=True)
class Point:
    period_end: date
    label: str
    value: float | None
    flags: str


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[Point, ...]


@cache
def load_geojson(path: Path = GEOJSON_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _subset(geojson: dict, codes: Sequence[str]) -> dict:
    wanted = set(codes)
    return {"type": "FeatureCollection",
            "features": [f for f in geojson["features"] if f["properties"]["code"] in wanted]}


def _panel_codes(panel_codes: tuple[str, ...] | None, cells: Sequence[MapCell]) -> list[MapCell]:
    if panel_codes is None:
        return [c for c in cells if c.geo not in ISLANDS]
    return [c for c in cells if c.geo in panel_codes]


def map_figure(cells: Sequence[MapCell], unit: str, lang: str, title: str,
               geojson: dict | None = None, selected: str | None = None) -> go.Figure:
    """Choropleth of districts (mainland + Azores and Madeira insets, one figure).

    Three layers per panel: published values (sequential colour scale), confidential ``c``
    (grey, legend "Confidential (c)"), not available ``:`` (light grey)."""
    geojson = geojson or load_geojson()
    shown = [c for c in cells if c.value is not None]
    zmin = min((c.value for c in shown), default=0.0)
    zmax = max((c.value for c in shown), default=1.0)
    if zmax <= zmin:
        zmax = zmin + 1.0
    fig = go.Figure()
    legend_done: set[str] = set()
    unit_text = t(f"unit.{unit}", lang) if f"unit.{unit}" in _UNIT_KEYS else unit
    for subplot, codes, _centre, _zoom, _domain in MAP_PANELS:
        panel = _panel_codes(codes, cells)
        values = [c for c in panel if c.value is not None]
        confidential = [c for c in panel if c.value is None and "c" in c.flags]
        missing = [c for c in panel if c.value is None and "c" not in c.flags]
        if values:
            fig.add_trace(go.Choroplethmap(
                geojson=_subset(geojson, [c.geo for c in values]), featureidkey="properties.code",
                locations=[c.geo for c in values], z=[c.value for c in values],
                zmin=zmin, zmax=zmax, colorscale=SEQUENTIAL, subplot=subplot,
                showscale=subplot == "map", name=unit_text,
                colorbar={"title": {"text": unit_text}, "x": 1.0, "len": 0.8},
                customdata=[[c.name, fmt_value(c.value, unit, lang), flag_words(c.flags, lang)]
                            for c in values],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
                              "%{customdata[2]}<extra></extra>",
                marker={"line": {"color": "#ffffff", "width": [
                    3 if c.geo == selected else 0.8 for c in values]}},
                showlegend=False))
        for layer, colour, legend_key, word in (
                ("c", CONFIDENTIAL_GREY, "flag.legend_c", "flag.c"),
                (":", NOT_AVAILABLE_GREY, "flag.legend_na", "flag.:")):
            group = confidential if layer == "c" else missing
            if not group:
                continue
            fig.add_trace(go.Choroplethmap(
                geojson=_subset(geojson, [c.geo for c in group]), featureidkey="properties.code",
                locations=[c.geo for c in group], z=[1] * len(group),
                colorscale=[[0, colour], [1, colour]], showscale=False, subplot=subplot,
                name=t(legend_key, lang), legendgroup=layer,
                showlegend=layer not in legend_done,
                customdata=[[c.name, t(word, lang), flag_words(c.flags, lang)] for c in group],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
                              "%{customdata[2]}<extra></extra>",
                marker={"line": {"color": "#404040", "width": 1.2}, "opacity": 0.9}))
            legend_done.add(layer)
    layout: dict = {
        "title": {"text": title, "x": 0.01, "font": {"size": 16}},
        "margin": {"l": 4, "r": 4, "t": 48, "b": 4}, "height": 560,
        "font": {"family": FONT}, "legend": {"x": 0.3, "y": 0.02, "bgcolor": "#ffffffcc"},
        "paper_bgcolor": "#ffffff",
    }
    for subplot, _codes, centre, zoom, domain in MAP_PANELS:
        layout[subplot] = {"style": "white-bg", "center": centre, "zoom": zoom,
                           "domain": domain}
    fig.update_layout(**layout)
    fig.add_annotation(text=t("map.azores", lang), x=0.01, y=0.99, xref="paper", yref="paper",
                       showarrow=False, xanchor="left", yanchor="top")
    fig.add_annotation(text=t("map.madeira", lang), x=0.01, y=0.45, xref="paper", yref="paper",
                       showarrow=False, xanchor="left", yanchor="top")
    return fig


_UNIT_KEYS = {"unit.persons", "unit.sessions", "unit.rate_100k", "unit.percent",
              "unit.documents", "unit.count"}


def trend_figure(series: Sequence[Series], unit: str, lang: str, title: str) -> go.Figure:
    """Lines per series; provisional stretch dashed; confidential points as gaps with a hollow
    grey marker on the baseline (hover: confidential)."""
    fig = go.Figure()
    conf_legend = prov_legend = False
    for index, one in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        pts = list(one.points)
        final = [p if "p" not in p.flags else None for p in pts]
        fig.add_trace(go.Scatter(
            x=[p.period_end for p in pts],
            y=[p.value if p is not None else None for p in final],
            mode="lines+markers", name=one.name, connectgaps=False,
            line={"color": colour, "width": 2.5}, marker={"size": 6, "color": colour},
            customdata=[[p.label, fmt_value(p.value, unit, lang), flag_words(p.flags, lang)]
                        for p in pts],
            hovertemplate=f"<b>{_escape(one.name)}</b><br>%{{customdata[0]}}: "
                          "%{customdata[1]}<br>%{customdata[2]}<extra></extra>"))
        prov_idx = [i for i, p in enumerate(pts) if "p" in p.flags]
        if prov_idx:
            start = max(prov_idx[0] - 1, 0)
            stretch = pts[start:]
            fig.add_trace(go.Scatter(
                x=[p.period_end for p in stretch], y=[p.value for p in stretch],
                mode="lines+markers", name=f"{one.name} — {t('flag.p', lang)}",
                connectgaps=False, opacity=0.75,
                line={"color": colour, "width": 2, "dash": "dash"},
                marker={"size": 7, "color": "#ffffff", "line": {"color": colour, "width": 2}},
                customdata=[[p.label, fmt_value(p.value, unit, lang), flag_words(p.flags, lang)]
                            for p in stretch],
                hovertemplate=f"<b>{_escape(one.name)}</b><br>%{{customdata[0]}}: "
                              "%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
                showlegend=not prov_legend, legendgroup=f"prov{index}"))
            prov_legend = True
        conf = [p for p in pts if p.value is None and "c" in p.flags]
        if conf:
            fig.add_trace(go.Scatter(
                x=[p.period_end for p in conf], y=[0] * len(conf), mode="markers",
                name=t("flag.legend_c", lang), legendgroup="c", showlegend=not conf_legend,
                marker={"symbol": "x-thin-open", "size": 10, "color": CONFIDENTIAL_GREY,
                        "line": {"color": CONFIDENTIAL_GREY, "width": 2}},
                customdata=[[p.label, one.name] for p in conf],
                hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[0]}: "
                              + t("flag.c", lang) + "<extra></extra>"))
            conf_legend = True
    unit_text = t(f"unit.{unit}", lang) if f"unit.{unit}" in _UNIT_KEYS else unit
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 16}}, height=440,
        margin={"l": 60, "r": 16, "t": 48, "b": 40}, font={"family": FONT},
        plot_bgcolor="#ffffff", paper_bgcolor="#ffffff", hovermode="closest",
        yaxis={"title": {"text": unit_text}, "rangemode": "tozero", "gridcolor": "#e5e5e5",
               "separatethousands": True},
        xaxis={"gridcolor": "#f0f0f0"},
        separators=",\u00a0" if lang == "pt" else ".,",
        legend={"orientation": "h", "y": -0.15})
    return fig


SPARK_HEIGHT = 48


def sparkline(points: Sequence[Point], colour: str = SERIES_COLOURS[0]) -> go.Figure:
    """A tiny line without axes; confidential points are gaps (``None``, never joined) with
    grey x markers on the baseline; a published month alone between gaps is a dot."""
    fig = go.Figure(go.Scatter(
        x=[p.period_end for p in points], y=[p.value for p in points], mode="lines",
        line={"color": colour, "width": 2}, connectgaps=False, hoverinfo="skip"))
    def known(i: int) -> bool:
        return 0 <= i < len(points) and points[i].value is not None

    # a published month between two gaps has no line segment: draw it as a dot
    alone = [p for i, p in enumerate(points) if known(i) and not known(i - 1)
             and not known(i + 1)]
    if alone:
        fig.add_trace(go.Scatter(
            x=[p.period_end for p in alone], y=[p.value for p in alone], mode="markers",
            marker={"color": colour, "size": 5}, hoverinfo="skip"))
    conf = [p for p in points if p.value is None and "c" in p.flags]
    if conf:
        fig.add_trace(go.Scatter(
            x=[p.period_end for p in conf], y=[0] * len(conf), mode="markers",
            marker={"symbol": "x-thin-open", "size": 6, "color": CONFIDENTIAL_GREY,
                    "line": {"color": CONFIDENTIAL_GREY, "width": 1.5}}, hoverinfo="skip"))
    # template "none": the default template would add ~7 KB of JSON to every sparkline.
    fig.update_layout(height=SPARK_HEIGHT, margin={"l": 0, "r": 0, "t": 4, "b": 4},
                      showlegend=False, template="none", hovermode=False, dragmode=False,
                      xaxis={"visible": False, "fixedrange": True},
                      yaxis={"visible": False, "rangemode": "tozero", "fixedrange": True},
                      plot_bgcolor="rgba(0,0,0,0)", paper_bgcolor="rgba(0,0,0,0)")
    return fig


def _escape(text: str) -> str:
    """Plotly renders a subset of HTML in hover text: escape what comes from data."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("%{", "%&#123;"))
