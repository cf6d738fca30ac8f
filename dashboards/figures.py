"""Pure figure builders: plain data in, plotly figure out (no data access, no Dash).

Confidential values are never drawn as zero or left blank: on maps they are a separate grey
layer with its own legend entry; on lines they are gaps with a hollow grey marker on the
baseline whose hover says "confidential". Provisional periods are dashed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from indicators.i18n import flag_words, fmt_value, t

GEOJSON_PATH = Path(__file__).resolve().parents[1] / "indicators" / "reference" \
    / "pt_districts.geojson"
# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
                  "#882255")
CONFIDENTIAL_GREY = "#5f5f5f"  # dark: far from the pale "not available" grey
NOT_AVAILABLE_GREY = "#e3e3e3"
# The map's classes: ColorBrewer YlGnBu (colour-blind safe), light = low, dark = high; every
# class is clearly coloured, so none can pass for the grey of confidential districts.
CLASS_COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
SEQUENTIAL = [[i / (len(CLASS_COLOURS) - 1), c] for i, c in enumerate(CLASS_COLOURS)]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

# (subplot, region codes, centre, zoom, domain): insets large enough to read the islands
MAP_PANELS: tuple[tuple[str, tuple[str, ...] | None, dict, float, dict], ...] = (
    ("map", None, {"lat": 39.55, "lon": -8.0}, 5.4, {"x": [0.36, 1.0], "y": [0.0, 1.0]}),
    ("map2", ("PT-20",), {"lat": 38.75, "lon": -28.15}, 5.45, {"x": [0.0, 0.34],
                                                            "y": [0.55, 0.97]}),
    ("map3", ("PT-30",), {"lat": 32.85, "lon": -16.65}, 7.4, {"x": [0.0, 0.34],
                                                             "y": [0.05, 0.47]}),
)
# Extent of each panel [west, south, east, north]: assets/map_fit.js zooms each panel to fit
# it at the width the map is drawn at (phone or desktop).
MAP_EXTENTS: dict[str, tuple[float, float, float, float]] = {
    "map": (-9.6, 36.9, -6.1, 42.2), "map2": (-31.35, 36.9, -24.95, 39.8),
    "map3": (-17.35, 32.36, -16.2, 33.15)}
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
    shown: str = ""   # the readable period label drawn on the axis ("2024", "mar 2024")
    note: str = ""    # why the value is flagged (e.g. which partner return is missing)
    start: date | None = None  # first day of the period


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[Point, ...]
    group: str = ""      # small multiples: one panel per group (e.g. per area)
    dash: str = "solid"


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


def class_breaks(values: Sequence[float], classes: int = len(CLASS_COLOURS)) -> list[float]:
    """Upper bounds of up to ``classes`` quantile classes (distinct, ascending)."""
    ordered = sorted(values)
    if not ordered:
        return []
    bounds = []
    for i in range(1, classes + 1):
        bound = ordered[min(len(ordered) - 1, math.ceil(i * len(ordered) / classes) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def class_of(value: float, breaks: Sequence[float]) -> int:
    for index, bound in enumerate(breaks):
        if value <= bound:
            return index
    return len(breaks) - 1


def class_labels(breaks: Sequence[float], lowest: float, unit: str, lang: str) -> list[str]:
    """``0–12`` style labels of the classes, formatted like the values on screen."""
    out, low = [], lowest
    for index, bound in enumerate(breaks):
        lo, hi = fmt_value(low, unit, lang), fmt_value(bound, unit, lang)
        text = hi if lo == hi else f"{lo}\u2013{hi}"
        out.append(text if index == 0 else f">\u2009{text}")  # lower bound not included
        low = bound
    return out


def _class_colours(count: int) -> list[str]:
    """``count`` colours spread over the scale (light = low), ending with the darkest."""
    if count >= len(CLASS_COLOURS):
        return list(CLASS_COLOURS)
    step = (len(CLASS_COLOURS) - 1) / max(count - 1, 1)
    return [CLASS_COLOURS[round(i * step)] for i in range(count)]


def _hover_cells(group: Sequence[MapCell], unit: str, lang: str) -> list[list[str]]:
    return [[c.name, fmt_value(c.value, unit, lang) if c.value is not None else
             t("flag.c" if "c" in c.flags else "flag.:", lang), flag_words(c.flags, lang)]
            for c in group]


def map_figure(cells: Sequence[MapCell], unit: str, lang: str, title: str,
               geojson: dict | None = None, selected: str | None = None) -> go.Figure:
    """Choropleth of districts (mainland + Azores and Madeira insets, one figure).

    Values fall in quantile classes (one layer and legend entry per class, light = low);
    confidential ``c`` districts are a dark grey layer with a white dot, not available
    ``:`` a pale grey one; their legend entries sit in the same legend as the classes."""
    geojson = geojson or load_geojson()
    shown = [c.value for c in cells if c.value is not None]
    breaks = class_breaks(shown)
    labels = class_labels(breaks, min(shown, default=0.0), unit, lang)
    colours = _class_colours(len(breaks))
    layers: list[tuple[str, str, str, list[MapCell]]] = []  # (legend key, name, colour, cells)
    for index, (label, colour) in enumerate(zip(labels, colours, strict=True)):
        group = [c for c in cells if c.value is not None and class_of(c.value, breaks) == index]
        layers.append((f"class{index}", label, colour, group))
    layers.append(("c", t("flag.legend_c", lang), CONFIDENTIAL_GREY,
                   [c for c in cells if c.value is None and "c" in c.flags]))
    layers.append((":", t("flag.legend_na", lang), NOT_AVAILABLE_GREY,
                   [c for c in cells if c.value is None and "c" not in c.flags]))
    fig = go.Figure()
    for rank, (key, name, colour, group) in enumerate(layers):
        first = True
        for subplot, codes, _centre, _zoom, _domain in MAP_PANELS:
            panel = _panel_codes(codes, group)
            if not panel:
                continue
            fig.add_trace(go.Choroplethmap(
                geojson=_subset(geojson, [c.geo for c in panel]), featureidkey="properties.code",
                locations=[c.geo for c in panel],
                z=[c.value if c.value is not None else 1 for c in panel],
                colorscale=[[0, colour], [1, colour]], showscale=False, subplot=subplot,
                name=name, legendgroup=key, showlegend=first, legendrank=rank,
                customdata=_hover_cells(panel, unit, lang),
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
                              "%{customdata[2]}<extra></extra>",
                marker={"line": {"color": "#404040", "width": [
                    3 if c.geo == selected else 0.8 for c in panel]}, "opacity": 0.95}))
            first = False
    _mark_confidential(fig, layers[-2][3], geojson)
    _map_layout(fig, title, unit, lang)
    return fig


def _centroid(feature: dict) -> tuple[float, float]:
    """A rough centre of a (multi)polygon: the mean of its largest ring's points."""
    geom = feature["geometry"]
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    ring = max((poly[0] for poly in polys), key=len)
    return (sum(p[1] for p in ring) / len(ring), sum(p[0] for p in ring) / len(ring))


def _mark_confidential(fig: go.Figure, group: Sequence[MapCell], geojson: dict) -> None:
    """A white dot on each confidential district, so it reads as confidential without relying
    on its grey (a circle layer: text or symbols would need glyphs from the internet)."""
    features = {f["properties"]["code"]: f for f in geojson["features"]}
    for subplot, codes, _centre, _zoom, _domain in MAP_PANELS:
        panel = [c for c in _panel_codes(codes, group) if c.geo in features]
        if not panel:
            continue
        centres = [_centroid(features[c.geo]) for c in panel]
        fig.add_trace(go.Scattermap(
            lat=[lat for lat, _ in centres], lon=[lon for _, lon in centres], mode="markers",
            marker={"size": 9, "color": "#ffffff"}, name="c", legendgroup="c",
            hoverinfo="skip", showlegend=False, subplot=subplot))


def extent_centre(box: Sequence[float]) -> dict[str, float]:
    """The centre of [west, south, east, north] on a Web-Mercator map."""
    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    mid = (merc(box[1]) + merc(box[3])) / 2
    return {"lon": (box[0] + box[2]) / 2,
            "lat": math.degrees(2 * math.atan(math.exp(mid)) - math.pi / 2)}


def _map_layout(fig: go.Figure, title: str, unit: str, lang: str) -> None:
    unit_text = t(f"unit.{unit}", lang) if f"unit.{unit}" in _UNIT_KEYS else unit
    layout: dict = {
        "title": {"text": wrap_title(title, 60), "x": 0.01, "xanchor": "left",
                  "font": {"size": 15}},
        "margin": {"l": 4, "r": 4, "t": 30 + 20 * (wrap_title(title, 60).count("<br>") + 1),
                   "b": 4}, "height": 620,
        "font": {"family": FONT}, "paper_bgcolor": "#ffffff",
        # below the map, one entry a line under its title: never over a district, and never
        # past a phone's right edge (plotly's horizontal wrapping ran the last column off it)
        "legend": {"orientation": "v", "x": 0, "xanchor": "left", "y": -0.01,
                   "yanchor": "top", "bgcolor": "#ffffff", "traceorder": "normal",
                   "title": {"text": _escape(unit_text), "side": "top"}},
        "modebar": {"orientation": "v"},
        "meta": {"fit": {name: list(box) for name, box in MAP_EXTENTS.items()}},
    }
    shapes = []
    for subplot, codes, _centre, zoom, domain in MAP_PANELS:
        layout[subplot] = {"style": "white-bg", "center": extent_centre(MAP_EXTENTS[subplot]),
                           "zoom": zoom, "domain": domain}
        if codes is not None:
            shapes.append({"type": "rect", "xref": "paper", "yref": "paper",
                           "x0": domain["x"][0], "x1": domain["x"][1], "y0": domain["y"][0],
                           "y1": domain["y"][1], "line": {"color": "#9a9a9a", "width": 1}})
    fig.update_layout(**layout, shapes=shapes)
    # each label in its inset's empty corner (Azores: south-west; Madeira: north-west)
    for key, domain, bottom in (("map.azores", MAP_PANELS[1][4], True),
                                ("map.madeira", MAP_PANELS[2][4], False)):
        fig.add_annotation(text=f"<b>{t(key, lang)}</b>", x=domain["x"][0] + 0.01,
                           y=domain["y"][0] + 0.01 if bottom else domain["y"][1] - 0.01,
                           xref="paper", yref="paper", showarrow=False, xanchor="left",
                           yanchor="bottom" if bottom else "top", bgcolor="#ffffffcc")


_UNIT_KEYS = {"unit.persons", "unit.sessions", "unit.rate_100k", "unit.percent",
              "unit.documents", "unit.count"}


# Marker of a point by its flags: provisional hollow, revised a diamond, final a dot.
PROVISIONAL_SYMBOL = "circle-open"
REVISED_SYMBOL = "diamond"
FINAL_SYMBOL = "circle"
MAX_LINES = 8  # more lines than this are unreadable: the page keeps the largest (top-N)
DASHES = ("solid", "dot")


def point_symbol(flags: str) -> str:
    """The marker of ONE point: its own flags only (a provisional point never restyles the
    points after it)."""
    if "p" in flags:
        return PROVISIONAL_SYMBOL
    if "r" in flags:
        return REVISED_SYMBOL
    return FINAL_SYMBOL


def wrap_title(text: str, width: int = 48) -> str:
    """Break a long chart title into lines (``<br>``) so phones and the modebar do not cut it."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(_escape(part) for part in lines)


def _hover(p: Point, unit: str, lang: str) -> list[str]:
    value = fmt_value(p.value, unit, lang) if p.value is not None else \
        (t("flag.c", lang) if "c" in p.flags else t("flag.:", lang))
    words = flag_words(p.flags, lang) or t("flag.none", lang)
    note = f"<br>{_escape(p.note)}" if p.note else ""
    return [p.shown or p.label, value, words + note]


def _legend_keys(fig: go.Figure, flags: set[str], lang: str) -> None:
    """Legend entries for the marker styles (legend-only traces)."""
    for letter, symbol, key in (("p", PROVISIONAL_SYMBOL, "flag.legend_p"),
                                ("r", REVISED_SYMBOL, "flag.legend_r")):
        if letter in flags:
            fig.add_trace(go.Scatter(
                x=[None], y=[None], mode="markers", name=t(key, lang), legendgroup=letter,
                legendrank=1003,
                marker={"symbol": symbol, "size": 9, "color": "#404040",
                        "line": {"color": "#404040", "width": 2}}, hoverinfo="skip"))


def trend_figure(series: Sequence[Series], unit: str, lang: str, title: str) -> go.Figure:
    """One line per series on a CATEGORY axis of readable period labels: each value sits at
    its own period (never at the period's end date). A provisional point is hollow, a revised
    one a diamond, each by its own flags; the hover says why (``Point.note``). Confidential
    points are gaps with a grey x on the baseline. Series with a ``group`` are drawn as small
    multiples (one panel per group, same colours per category)."""
    groups = list(dict.fromkeys(s.group for s in series if s.group))
    rows = max(len(groups), 1)
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=[_escape(g) for g in groups] if groups else None)
    order = _category_order(series)
    colour_of: dict[str, str] = {}
    flags_seen: set[str] = set()
    conf_legend = False
    for one in series:
        row = groups.index(one.group) + 1 if one.group else 1
        key = one.name
        colour = colour_of.setdefault(key, SERIES_COLOURS[len(colour_of) % len(SERIES_COLOURS)])
        pts = list(one.points)
        flags_seen.update(ch for p in pts for ch in p.flags)
        fig.add_trace(go.Scatter(
            x=[p.shown or p.label for p in pts], y=[p.value for p in pts],
            mode="lines+markers", name=one.name, connectgaps=False, legendgroup=key,
            showlegend=row == 1 or key not in {tr.legendgroup for tr in fig.data},
            line={"color": colour, "width": 2.5, "dash": one.dash},
            marker={"size": 8, "color": colour, "symbol": [point_symbol(p.flags) for p in pts],
                    "line": {"color": colour, "width": 2}},
            customdata=[_hover(p, unit, lang) for p in pts],
            hovertemplate=f"<b>{_escape(one.name)}</b><br>%{{customdata[0]}}: "
                          "%{customdata[1]}<br>%{customdata[2]}<extra></extra>"),
            row=row, col=1)
        conf = [p for p in pts if p.value is None and "c" in p.flags]
        if conf:
            fig.add_trace(go.Scatter(
                x=[p.shown or p.label for p in conf], y=[0] * len(conf), mode="markers",
                cliponaxis=False,  # on the baseline: the lower half would be cut off
                name=t("flag.legend_c", lang), legendgroup="c", showlegend=not conf_legend,
                legendrank=1002,  # after the series (default rank 1000)
                marker={"symbol": "x-thin-open", "size": 10, "color": CONFIDENTIAL_GREY,
                        "line": {"color": CONFIDENTIAL_GREY, "width": 2}},
                customdata=[[p.shown or p.label, one.name] for p in conf],
                hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[0]}: "
                              + t("flag.c", lang) + "<extra></extra>"), row=row, col=1)
            conf_legend = True
    _legend_keys(fig, flags_seen, lang)
    unit_text = t(f"unit.{unit}", lang) if f"unit.{unit}" in _UNIT_KEYS else unit
    lines = wrap_title(title, 80).count("<br>") + 1
    fig.update_layout(
        title={"text": wrap_title(title, 80), "x": 0.01, "xanchor": "left", "font": {"size": 15}},
        height=440 + 180 * (rows - 1),
        margin={"l": 60, "r": 16, "t": 28 + 20 * lines + (16 if groups else 0), "b": 40},
        font={"family": FONT}, plot_bgcolor="#ffffff", paper_bgcolor="#ffffff",
        hovermode="closest", separators=",\u00a0" if lang == "pt" else ".,",
        legend={"orientation": "h", "y": -0.18, "x": 0}, modebar={"orientation": "v"})
    fig.update_yaxes(title={"text": unit_text}, rangemode="tozero", gridcolor="#e5e5e5",
                     separatethousands=True)
    tickvals = tick_labels(series)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=order,
                     tickmode="array", tickvals=tickvals,
                     ticktext=[_tick_text(label) for label in tickvals], tickangle=0,
                     gridcolor="#f0f0f0", automargin=True)
    return fig


def _category_order(series: Sequence[Series]) -> list[str]:
    """Every period label of every series, in time order."""
    seen: dict[str, date] = {}
    for one in series:
        for p in one.points:
            seen.setdefault(p.shown or p.label, p.period_end)
    return sorted(seen, key=lambda label: seen[label])


# The trend chart's x labels are horizontal and on two lines ("jan" over "2024"); there are
# only as many as fit the plot's width on a 390 px phone (about 280 px), so none is cut or
# rotated there, and the desktop shows the same calendar-aligned ticks.
PHONE_PLOT_PX = 280
TICK_CHAR_PX = 7  # a tick label character at Plotly's 12 px font, with room to spare
MAX_TICKS = 6
TICK_STEPS_MONTHS = (1, 2, 3, 6, 12, 24, 36, 60, 120, 240)


def _tick_lines(label: str) -> list[str]:
    """``jan 2024`` → [jan, 2024]; ``1.º trim. 2024`` → [1.º trim., 2024]; a range
    ``jan 2024–dez 2024`` breaks after the dash."""
    if "–" in label:
        head, tail = label.split("–", 1)
        return [f"{head}–", tail]
    return label.rsplit(maxsplit=1)  # regular or no-break space


def _tick_text(label: str) -> str:
    return "<br>".join(_escape(line) for line in _tick_lines(label))


def tick_labels(series: Sequence[Series]) -> list[str]:
    """The period labels that get a tick: at most as many as fit a phone, a calendar-aligned
    step (every January, every other year, …) where the periods allow one."""
    starts: dict[str, date] = {}
    for one in series:
        for p in one.points:
            starts.setdefault(p.shown or p.label, p.start or p.period_end)
    order = _category_order(series)
    if not order:
        return []
    widest = max(len(line) for label in order for line in _tick_lines(label))
    most = max(1, min(MAX_TICKS, PHONE_PLOT_PX // (widest * TICK_CHAR_PX + 8)))
    months = [starts[label].year * 12 + starts[label].month - 1 for label in order]
    for step in TICK_STEPS_MONTHS:
        picked = [label for label, month in zip(order, months, strict=True) if month % step == 0]
        if 0 < len(picked) <= most:
            return picked
    return order[::math.ceil(len(order) / most)]


def _escape(text: str) -> str:
    """Plotly renders a subset of HTML in hover text: escape what comes from data."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("%{", "%&#123;"))
