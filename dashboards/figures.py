"""Pure figure builders: plain data in, plotly figure (or the map's layers) out; no data
access, no Dash.

Confidential values are never drawn as zero or left blank: on the map (server-built SVG,
``dashboards/map_svg.py``) they are a separate grey layer with its own legend entry; on
lines they are gaps with a cross on the baseline, in the line's colour, whose hover says
"confidential" (several lines: each period's markers side by side, so a zero and another
line's cross never make one glyph). Provisional points are hollow.
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from indicators.i18n import flag_words, fmt_value, keep_numbers_whole, t

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

# Extent of each map panel [west, south, east, north] (dashboards/map_svg.py fits each
# panel's districts to it: the mainland, and the Azores and Madeira insets).
MAP_EXTENTS: dict[str, tuple[float, float, float, float]] = {
    "mainland": (-9.6, 36.9, -6.1, 42.2), "azores": (-31.35, 36.9, -24.95, 39.8),
    "madeira": (-17.35, 32.36, -16.2, 33.15)}
ISLANDS = ("PT-20", "PT-30")


@dataclass(frozen=True)
class MapCell:
    geo: str
    name: str
    value: float | None
    flags: str
    left_out: bool = False  # the release leaves the district out of the period ("c" here)


@dataclass(frozen=True)
class Point:
    period_end: date
    label: str
    value: float | None
    flags: str
    shown: str = ""   # the readable period label drawn on the axis ("2024", "mar 2024")
    note: str = ""    # why the value is flagged (e.g. which partner return is missing)
    start: date | None = None  # first day of the period
    left_out: bool = False  # a period the release leaves out for this line: a gap, no mark


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[Point, ...]
    group: str = ""      # small multiples: one panel per group (e.g. per area)
    dash: str = "solid"


@cache
def load_geojson(path: Path = GEOJSON_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


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


@dataclass(frozen=True)
class MapLayer:
    """One legend entry of the map and the districts drawn in it."""

    key: str      # class0 … class4, "c" (confidential) or ":" (not available)
    label: str
    colour: str
    cells: tuple[MapCell, ...]


def map_layers(cells: Sequence[MapCell], unit: str, lang: str) -> list[MapLayer]:
    """The map's legend, in order: values in quantile classes (light = low), then
    confidential ``c`` districts (dark grey; the map adds a white dot) and not available
    ``:`` ones (pale grey). Every district is in exactly one layer."""
    shown = [c.value for c in cells if c.value is not None]
    breaks = class_breaks(shown)
    labels = class_labels(breaks, min(shown, default=0.0), unit, lang)
    colours = _class_colours(len(breaks))
    layers = [MapLayer(f"class{index}", label, colour, tuple(
        c for c in cells if c.value is not None and class_of(c.value, breaks) == index))
        for index, (label, colour) in enumerate(zip(labels, colours, strict=True))]
    layers.append(MapLayer("c", t("flag.legend_c", lang), CONFIDENTIAL_GREY, tuple(
        c for c in cells if c.value is None and "c" in c.flags)))
    layers.append(MapLayer(":", t("flag.legend_na", lang), NOT_AVAILABLE_GREY, tuple(
        c for c in cells if c.value is None and "c" not in c.flags)))
    return layers


def map_hover(cell: MapCell, unit: str, lang: str) -> list[str]:
    """What a district says on hover and focus: name, value (or why none), flags."""
    if cell.value is None and "c" in cell.flags:  # say why, once
        words = flag_words(cell.flags.replace("c", ""), lang)
        why = t("map.left_out_status" if cell.left_out else "tr.c_why", lang)
        return [part for part in (cell.name, t("flag.c", lang), why, words) if part]
    value = fmt_value(cell.value, unit, lang) if cell.value is not None else t("flag.:", lang)
    return [part for part in (cell.name, value, flag_words(cell.flags, lang)) if part]


def unit_text(unit: str, lang: str) -> str:
    return t(f"unit.{unit}", lang) if f"unit.{unit}" in _UNIT_KEYS else unit


_UNIT_KEYS = {"unit.persons", "unit.sessions", "unit.rate_100k", "unit.percent",
              "unit.documents", "unit.count"}


# Marker of a point by its flags: provisional hollow, revised a diamond, estimated a square
# (hollow when also provisional), final a dot.
PROVISIONAL_SYMBOL = "circle-open"
REVISED_SYMBOL = "diamond"
ESTIMATED_SYMBOL = "square"
FINAL_SYMBOL = "circle"
MAX_LINES = 8  # more lines than this are unreadable: the page keeps the largest (top-N)
DASHES = ("solid", "dot")


def point_symbol(flags: str) -> str:
    """The marker of ONE point: its own flags only (a provisional point never restyles the
    points after it). Estimated wins the shape (its value rests on an estimated population),
    provisional still makes it hollow."""
    if "e" in flags:
        return ESTIMATED_SYMBOL + ("-open" if "p" in flags else "")
    if "p" in flags:
        return PROVISIONAL_SYMBOL
    if "r" in flags:
        return REVISED_SYMBOL
    return FINAL_SYMBOL


BREAKABLE_SPACE = re.compile(r"[^\S\u00a0]+")  # whitespace a title may break at


def wrap_title(text: str, width: int = 48) -> str:
    """Break a long chart title into lines (``<br>``) so phones and the modebar do not cut it;
    never inside a number ("100 000": its digit groups are joined by a no-break space)."""
    words = [w for w in BREAKABLE_SPACE.split(keep_numbers_whole(text)) if w]
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(_escape(part) for part in lines)


def _hover(p: Point, unit: str, lang: str) -> list[str]:
    """(period, value, state and why) of a point's hover: a confidential point says why it is
    hidden, a period left out says "not published"."""
    if p.left_out:
        return [p.shown or p.label, t("tr.left_out_status", lang), ""]
    note = f"<br>{_escape(p.note)}" if p.note else ""
    if p.value is None and "c" in p.flags:  # "confidential" once, then why
        words = flag_words(p.flags.replace("c", ""), lang)
        why = _escape(t("tr.c_why", lang))
        return [p.shown or p.label, t("flag.c", lang), why + (f"<br>{words}" if words else "")
                + note]
    value = fmt_value(p.value, unit, lang) if p.value is not None else t("flag.:", lang)
    words = flag_words(p.flags, lang) or t("flag.none", lang)
    return [p.shown or p.label, value, words + note]


def _legend_keys(fig: go.Figure, flags: set[str], lang: str) -> None:
    """Legend entries for the marker styles (legend-only traces)."""
    for letter, symbol, key in (("p", PROVISIONAL_SYMBOL, "flag.legend_p"),
                                ("r", REVISED_SYMBOL, "flag.legend_r"),
                                ("e", ESTIMATED_SYMBOL, "flag.legend_e")):
        if letter in flags:
            fig.add_trace(go.Scatter(
                x=[None], y=[None], mode="markers", name=t(key, lang), legendgroup=letter,
                legendrank=1003,
                marker={"symbol": symbol, "size": 9, "color": "#404040",
                        "line": {"color": "#404040", "width": 2}}, hoverinfo="skip"))


def _confidential_hover(lang: str) -> str:
    """The hover of a confidential point's cross: series, period, "confidential" and why."""
    return (f"<b>%{{customdata[1]}}</b><br>%{{customdata[0]}}: {t('flag.c', lang)}<br>"
            f"{_escape(t('tr.c_why', lang))}<extra></extra>")


def trend_figure(series: Sequence[Series], unit: str, lang: str, title: str,
                 source: Sequence[str] = ()) -> go.Figure:
    """One line per series on a CATEGORY axis of readable period labels: each value sits at
    its own period (never at the period's end date). A provisional point is hollow, a revised
    one a diamond, an estimated one a square, each by its own flags; the hover says why
    (``Point.note``). Confidential points are gaps with an x on the baseline in the line's
    colour (the legend's "c" entry is grey). Series with a ``group`` are drawn as small
    multiples (one panel per group, same colours per category). ``source``: lines said under
    the plot, in the figure, so that its PNG says them too (:func:`add_source`)."""
    groups = list(dict.fromkeys(s.group for s in series if s.group))
    rows = max(len(groups), 1)
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=[_escape(g) for g in groups] if groups else None)
    order = _category_order(series)
    colour_of: dict[str, str] = {}
    flags_seen: set[str] = set()
    conf_legend = False
    conf_hover = _confidential_hover(lang)
    for one in series:
        row = groups.index(one.group) + 1 if one.group else 1
        key = one.name
        colour = colour_of.setdefault(key, SERIES_COLOURS[len(colour_of) % len(SERIES_COLOURS)])
        pts = list(one.points)
        flags_seen.update(ch for p in pts for ch in p.flags)
        fig.add_trace(go.Scatter(
            x=[p.shown or p.label for p in pts], y=[p.value for p in pts],
            mode="lines+markers", name=one.name, connectgaps=False, legendgroup=key,
            offsetgroup=key,  # its own slot in each period (scattermode "group", below)
            cliponaxis=False,  # a true zero sits on the baseline: drawn whole, not halved
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
                offsetgroup=key,  # beside, not on, another series' zero or cross
                name=t("flag.legend_c", lang), legendgroup="c", showlegend=False,
                # the series' colour: which category is confidential shows without a hover
                marker={"symbol": "x-thin-open", "size": 10, "color": colour,
                        "line": {"color": colour, "width": 2}},
                customdata=[[p.shown or p.label, one.name] for p in conf],
                hovertemplate=conf_hover), row=row, col=1)
            conf_legend = True
    if conf_legend:  # one legend entry for the crosses, in grey: their shape says "c"
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name=t("flag.legend_c", lang),
            legendgroup="c", legendrank=1002,  # after the series (default rank 1000)
            marker={"symbol": "x-thin-open", "size": 10, "color": CONFIDENTIAL_GREY,
                    "line": {"color": CONFIDENTIAL_GREY, "width": 2}}, hoverinfo="skip"))
    _legend_keys(fig, flags_seen, lang)
    per_panel = max((sum(1 for s in series if s.group == g) for g in groups or [""]),
                    default=0)
    lines = wrap_title(title, 80).count("<br>") + 1
    fig.update_layout(
        title={"text": wrap_title(title, 80), "x": 0.01, "xanchor": "left", "font": {"size": 15}},
        height=trend_height(rows, sum(1 for tr in fig.data if tr.showlegend is not False)),
        margin={"l": 60, "r": 16, "t": 28 + 20 * lines + (16 if groups else 0), "b": 40},
        font={"family": FONT}, plot_bgcolor="#ffffff", paper_bgcolor="#ffffff",
        hovermode="closest", separators=",\u00a0" if lang == "pt" else ".,",
        legend={"orientation": "h", "y": -0.18, "x": 0}, modebar={"orientation": "v"},
        # Lines with baseline marks in one period: each period's markers side by side (a zero
        # and another category's cross at one spot made one glyph); lines follow markers.
        scattermode="group" if per_panel > 1 and baseline_crowded(series) else "overlay",
        scattergap=1 - min(0.5, 0.12 * per_panel))
    fig.update_yaxes(title={"text": unit_text(unit, lang)}, rangemode="tozero", gridcolor="#e5e5e5",
                     separatethousands=True)
    tickvals = tick_labels(series)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=order,
                     tickmode="array", tickvals=tickvals,
                     ticktext=[_tick_text(label) for label in tickvals], tickangle=0,
                     ticklabelstandoff=BASELINE_MARK_PX, gridcolor="#f0f0f0", automargin=True)
    add_source(fig, source, rows, max((len(_tick_lines(v)) for v in tickvals), default=1))
    return fig


def baseline_crowded(series: Sequence[Series]) -> bool:
    """Do two lines of one panel have a mark on the baseline (a zero, or a confidential
    cross) in the same period? Only then are each period's markers set side by side
    (scattermode "group"): else every point sits on its period, as in any line chart (eight
    lines side by side over five years sat far from their year, a user review)."""
    seen: set[tuple[str, str]] = set()
    for one in series:
        for label in {p.label for p in one.points
                      if p.value == 0 or (p.value is None and "c" in p.flags)}:
            if (one.group, label) in seen:
                return True
            seen.add((one.group, label))
    return False


SOURCE_FONT_PX = 10
SOURCE_LINE_PX = 13  # plotly.js sets lines of text 1.3 em apart
SOURCE_CHARS = 60  # a line at 10 px fits the plot's width on a 360 px phone (about 280 px)
SOURCE_GREY = "#595959"  # 7:1 on white
TICK_LINE_PX = 16  # a line of the x labels (12 px font, 1.3 em)
SOURCE_GAP_PX = 6
SOURCE_INDENT_PX = 52  # from the plot's left edge (margin 60) to near the figure's


def source_lines(source: Sequence[str]) -> list[str]:
    """``source`` wrapped into lines that fit a phone's chart."""
    return [part for text in source for part in textwrap.wrap(text, SOURCE_CHARS)]


def add_source(fig: go.Figure, source: Sequence[str], panels: int = 1,
               tick_lines: int = 2) -> None:
    """The source under the x labels of the bottom panel (of ``panels``), in small grey text
    from the figure's left edge, as the title (a plotly annotation: on screen and in the PNG
    the toolbar saves), and the legend under it at the foot of the figure. An annotation
    makes no room for itself: the bottom x axis gets the same lines as its title, in
    transparent ink, whose margin does; the legend stands in the figure's own coordinates,
    so that its room is added below that (a plot-relative legend would take the same room)."""
    lines = source_lines(source)
    if not lines:
        return
    text = "<br>".join(_escape(line) for line in lines)
    fig.update_xaxes(title={"text": text, "standoff": 3 * SOURCE_GAP_PX,
                            "font": {"size": SOURCE_FONT_PX, "color": "rgba(0,0,0,0)"}},
                     row=panels, col=1)
    fig.add_annotation(
        text=text, name="source", xref="paper", yref="paper", x=0, y=0,
        xanchor="left", yanchor="top", align="left", showarrow=False,
        xshift=-SOURCE_INDENT_PX, yshift=-(BASELINE_MARK_PX + TICK_LINE_PX * tick_lines
                                           + SOURCE_GAP_PX),
        font={"size": SOURCE_FONT_PX, "color": SOURCE_GREY})
    fig.update_layout(height=(fig.layout.height or PLOT_HEIGHT) + SOURCE_LINE_PX * len(lines),
                      margin={"b": 0},
                      legend={"yref": "container", "y": 0, "yanchor": "bottom"})


# On a phone the legend under the chart has one entry a line (about 26 px each); a chart of
# fixed height would give those lines to the legend and squash the plot (or make the legend
# scroll), so each entry past the few a plain chart has adds its line to the height.
PLOT_HEIGHT = 440
# The period labels stand this far below the baseline, so that what sits on it (a true
# zero's marker, 8 px plus its 2 px outline; a confidential cross, 10 px) is not covered.
BASELINE_MARK_PX = 8
PANEL_HEIGHT = 180
LEGEND_LINE_PX = 26
LEGEND_LINES_INCLUDED = 3


def trend_height(panels: int, legend_entries: int) -> int:
    """The trend chart's height in px: one panel per area, room for a phone's legend."""
    extra_lines = max(0, legend_entries - LEGEND_LINES_INCLUDED)
    return PLOT_HEIGHT + PANEL_HEIGHT * (panels - 1) + LEGEND_LINE_PX * extra_lines


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
