"""The district map as SVG built on the server: no plotly.js (4.8 MB to load and parse) and
no WebGL, so the map page draws as fast as a table.

Three panels in one drawing (the mainland; the Azores and Madeira insets, each fitted to its
own extent, framed and labelled), Web-Mercator like the former tile map. Each district is a
link (keyboard focus, Enter or click selects it, as a click on the former map did) named by
its hover text: name, value or why there is none, flags. Confidential districts are dark grey
with a white dot, not-available ones pale grey, estimated values (flag ``e``) hatched over
their class colour; the legend is HTML beside the drawing
(``legend``). The page script ``assets/map_svg.js`` puts the SVG into the page and makes a
click set the district control.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from textwrap import wrap
from typing import Any

from dash import html

from dashboards.figures import (
    ISLANDS,
    MAP_EXTENTS,
    MapCell,
    MapLayer,
    load_geojson,
    map_hover,
    unit_text,
)
from indicators.i18n import t

WIDTH, HEIGHT = 640, 640  # viewBox units (pixels on a desktop)
LINE = "#404040"
HATCH_ID = "hatch-e"
# Estimated values: diagonal lines, dark edged with white, readable on light and dark classes
HATCH_DEFS = (f'<defs><pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="7" '
              'height="7" patternTransform="rotate(45)">'
              f'<line x1="1.5" y1="0" x2="1.5" y2="7" stroke="{LINE}" stroke-width="2.6"/>'
              '<line x1="1.5" y1="0" x2="1.5" y2="7" stroke="#ffffff" stroke-width="1"/>'
              '</pattern></defs>')


def is_estimated(cell: MapCell) -> bool:
    """A published value on an estimated population (flag ``e``): hatched on the map."""
    return cell.value is not None and "e" in cell.flags


@dataclass(frozen=True)
class Panel:
    name: str  # a key of figures.MAP_EXTENTS
    codes: tuple[str, ...] | None  # None: every district not on an island
    box: tuple[float, float, float, float]  # x, y, width, height in the drawing
    label_key: str | None = None
    label_at_bottom: bool = False


PANELS = (
    Panel("mainland", None, (300.0, 0.0, 340.0, 640.0)),
    Panel("azores", ("PT-20",), (0.0, 4.0, 290.0, 190.0), "map.azores", label_at_bottom=True),
    Panel("madeira", ("PT-30",), (0.0, 214.0, 290.0, 250.0), "map.madeira"),
)
PAD = 0.05  # share of each panel left empty around its extent


def _merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _projector(panel: Panel) -> Any:
    """lon/lat → drawing x/y: the panel's extent fitted (aspect kept) and centred in its box."""
    west, south, east, north = MAP_EXTENTS[panel.name]
    x0, y0, width, height = panel.box
    span_x, span_y = math.radians(east - west), _merc(north) - _merc(south)
    scale = min(width * (1 - 2 * PAD) / span_x, height * (1 - 2 * PAD) / span_y)
    left = x0 + (width - span_x * scale) / 2
    top = y0 + (height - span_y * scale) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (round(left + math.radians(lon - west) * scale, 1),
                round(top + (_merc(north) - _merc(lat)) * scale, 1))
    return project


def _panel_of(code: str) -> Panel:
    return next(p for p in PANELS if p.codes is not None and code in p.codes) \
        if code in ISLANDS else PANELS[0]


@cache
def district_shapes() -> dict[str, tuple[str, tuple[float, float]]]:
    """Every district's SVG path and a point inside it for the confidential dot (the centre
    of its largest ring), projected into its panel. Static reference geometry: built once."""
    out = {}
    for feature in load_geojson()["features"]:
        code = feature["properties"]["code"]
        panel = _panel_of(code)
        project = _projector(panel)
        west, south, east, north = MAP_EXTENTS[panel.name]
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" \
            else [geom["coordinates"]]
        parts, largest = [], []
        for polygon in polygons:
            for ring in polygon:
                if not any(west <= lon <= east and south <= lat <= north
                           for lon, lat, *_ in ring):
                    continue  # outside the panel (the Selvagens, as on the former map)
                points: list[tuple[float, float]] = []
                for lon, lat, *_ in ring:
                    point = project(lon, lat)
                    if not points or point != points[-1]:
                        points.append(point)
                if len(points) < 3:
                    continue
                largest = max(largest, points, key=len)
                parts.append("M" + " ".join(f"{x:g} {y:g}" for x, y in points) + "Z")
        centre = (round(sum(x for x, _ in largest) / len(largest), 1),
                  round(sum(y for _, y in largest) / len(largest), 1))
        out[code] = ("".join(parts), centre)
    return out


def _frames(lang: str) -> list[str]:
    out = []
    for panel in PANELS:
        if panel.label_key is None:
            continue
        x, y, width, height = panel.box
        out.append(f'<rect class="inset-frame" x="{x + 0.5:g}" y="{y + 0.5:g}" '
                   f'width="{width - 1:g}" height="{height - 1:g}" fill="none" '
                   'stroke="#9a9a9a"/>')
        # 22 units: about 18 px on a desktop, 12 px on a 390 px phone
        label_y = y + height - 10 if panel.label_at_bottom else y + 26
        out.append(f'<text class="inset-label" x="{x + 8:g}" y="{label_y:g}" '
                   f'font-weight="700" font-size="22" fill="#1a1a1a">'
                   f'{escape(t(panel.label_key, lang))}</text>')
    return out


def _district(cell: MapCell, layer: MapLayer, unit: str, lang: str, href: str,
              selected: bool) -> str:
    path, (cx, cy) = district_shapes()[cell.geo]
    hover = map_hover(cell, unit, lang)
    label = escape(f"{hover[0]}: {', '.join(hover[1:])}")
    dot = (f'<circle class="conf-dot" cx="{cx:g}" cy="{cy:g}" r="4.5" fill="#ffffff" '
           f'stroke="{LINE}" stroke-width="0.8"/>' if layer.key == "c" else "")
    if is_estimated(cell):
        dot += (f'<path class="est-hatch" d="{path}" fill="url(#{HATCH_ID})" '
                'fill-rule="evenodd" stroke="none" pointer-events="none"/>')
    link = f' href="{escape(href)}"' if href else ""
    return (f'<a class="district{" selected" if selected else ""}"{link} '
            f'data-district="{escape(cell.geo)}" data-layer="{escape(layer.key)}" '
            f'aria-label="{label}"><title>{escape(chr(10).join(hover))}</title>'
            f'<path d="{path}" fill="{layer.colour}" fill-rule="evenodd" stroke="{LINE}" '
            f'stroke-width="{3 if selected else 0.8}" stroke-linejoin="round"/>{dot}</a>')


def _body(layers: Sequence[MapLayer], unit: str, lang: str, hrefs: dict[str, str],
          selected: str | None) -> str:
    shapes = district_shapes()
    drawn = [(cell, layer) for layer in layers for cell in layer.cells if cell.geo in shapes]
    drawn.sort(key=lambda item: item[0].geo == selected)  # stable: selected on top
    return HATCH_DEFS + "".join(_frames(lang)) + "".join(
        _district(cell, layer, unit, lang, hrefs.get(cell.geo, ""), cell.geo == selected)
        for cell, layer in drawn)


def map_svg(layers: Sequence[MapLayer], unit: str, lang: str, title: str,
            hrefs: dict[str, str], selected: str | None = None) -> str:
    """The SVG text of the map: every district of ``layers`` (``hrefs``: the address that
    selects each district), the selected one drawn last with a thick outline."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'class="district-map" role="group" aria-label="{escape(title)}" '
            f'font-family="system-ui, sans-serif">{_body(layers, unit, lang, hrefs, selected)}'
            '</svg>')


FOOTER_CHARS = 88  # characters a footer line holds at 12 px, with room to the right edge
FOOTER_LINE = 16


def image_file(layers: Sequence[MapLayer], unit: str, lang: str, title: str,
               selected: str | None = None, footer: Sequence[str] = ()) -> str:
    """The map as an image file (the page's download): the title above the districts, the
    legend below them, each district's hover text kept, and the ``footer`` lines (source,
    release; a file travels without the page) wrapped under the legend."""
    top, row = 44, 24
    shown = [layer for layer in layers if layer.cells]
    legend = [f'<text x="0" y="{HEIGHT + top + 28}" font-weight="600" font-size="14">'
              f'{escape(unit_text(unit, lang))}</text>']
    for index, layer in enumerate(shown):
        y = HEIGHT + top + 40 + index * row
        legend.append(f'<rect x="0" y="{y}" width="16" height="16" fill="{layer.colour}" '
                      f'stroke="{LINE}"/>')
        if layer.key == "c":
            legend.append(f'<circle cx="8" cy="{y + 8}" r="3.5" fill="#ffffff"/>')
        legend.append(f'<text x="24" y="{y + 13}" font-size="14">{escape(layer.label)}</text>')
    rows = len(shown)
    if any(is_estimated(c) for layer in shown for c in layer.cells):
        y = HEIGHT + top + 40 + rows * row
        legend.append(f'<rect x="0" y="{y}" width="16" height="16" fill="url(#{HATCH_ID})" '
                      f'stroke="{LINE}"/><text x="24" y="{y + 13}" font-size="14">'
                      f'{escape(t("flag.legend_e", lang))}</text>')
        rows += 1
    height = HEIGHT + top + 48 + rows * row
    for line in (part for text in footer for part in wrap(text, FOOTER_CHARS)):
        height += FOOTER_LINE
        legend.append(f'<text x="0" y="{height - 4}" font-size="12" fill="#404040">'
                      f'{escape(line)}</text>')
    if footer:
        height += 8
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" font-family="system-ui, sans-serif">'
            f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>'
            f'<text x="0" y="22" font-weight="700" font-size="16">{escape(title)}</text>'
            f'<g transform="translate(0 {top})">{_body(layers, unit, lang, {}, selected)}</g>'
            f'{"".join(legend)}</svg>')


def legend(layers: Sequence[MapLayer], unit: str, lang: str) -> html.Div:
    """The colour key as HTML: the unit, the value classes (light = low), then the
    confidential, not-available and estimated entries (only those drawn on the map)."""
    items = [html.Li(className="legend-item", children=[
        html.Span(className="swatch conf" if layer.key == "c" else "swatch",
                  style={"backgroundColor": layer.colour}, **{"aria-hidden": "true"}),
        html.Span(layer.label, className="legend-label")])
        for layer in layers if layer.cells]
    if any(is_estimated(c) for layer in layers for c in layer.cells):
        items.append(html.Li(className="legend-item", id="map-legend-estimated", children=[
            html.Span(className="swatch est", **{"aria-hidden": "true"}),
            html.Span(t("flag.legend_e", lang), className="legend-label")]))
    return html.Div(className="map-legend", id="map-legend", children=[
        html.P(unit_text(unit, lang), className="map-legend-title", id="map-legend-title"),
        html.Ul(items, className="legend-items",
                **{"aria-labelledby": "map-legend-title"}),
    ])
