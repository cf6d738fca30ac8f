"""Overview sparklines as small static SVG images built on the server.

A card's trend is decoration beside its number (its text alternative is on the wrapper), so
it needs no interactive chart: a few SVG shapes in an ``<img>`` draw at once, without loading
and running plotly.js for 24 graphs. Confidential periods are gaps in the line with a grey
× on the baseline; a published period alone between gaps is a dot (as on the other charts).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from dashboards.figures import CONFIDENTIAL_GREY, SERIES_COLOURS, Point

SPARK_HEIGHT = 48
SPARK_WIDTH = 240  # viewBox units; the image is stretched to the card's width
MARGIN = 4  # above the highest and below the baseline, as the former Plotly margins


def _xs(points: Sequence[Point]) -> list[float]:
    """Horizontal positions by date (unequal months keep their spacing)."""
    days = [p.period_end.toordinal() for p in points]
    span = (days[-1] - days[0]) if days else 0
    if span == 0:
        return [SPARK_WIDTH / 2] * len(points)
    return [round((d - days[0]) / span * SPARK_WIDTH, 2) for d in days]


def _y_scale(points: Sequence[Point]) -> tuple[float, float]:
    """(low, high) of the vertical axis: from zero (or below) to the highest value."""
    values = [p.value for p in points if p.value is not None]
    low = min([0.0, *values])
    high = max([low, *values])
    return low, (high if high > low else low + 1)


def _runs(points: Sequence[Point]) -> list[list[int]]:
    """Indexes of consecutive published points (each run is a line, or a dot if alone)."""
    runs: list[list[int]] = []
    for i, p in enumerate(points):
        if p.value is None:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def sparkline_svg(points: Sequence[Point], colour: str = SERIES_COLOURS[0]) -> str:
    """The SVG text of a card's sparkline: lines (``spark-line``), lone dots (``spark-dot``)
    and confidential markers on the baseline (``spark-conf``)."""
    xs = _xs(points)
    low, high = _y_scale(points)

    def y(value: float) -> float:
        inner = SPARK_HEIGHT - 2 * MARGIN
        return round(MARGIN + inner * (1 - (value - low) / (high - low)), 2)

    shapes = []
    for run in _runs(points):
        if len(run) == 1:  # a zero-length round-capped path: a dot that does not stretch
            i = run[0]
            shapes.append(f'<path class="spark-dot" d="M{xs[i]} {y(points[i].value)}h0" '
                          f'stroke="{colour}" stroke-width="5" stroke-linecap="round" '
                          'vector-effect="non-scaling-stroke"/>')
        else:
            coords = " ".join(f"{xs[i]},{y(points[i].value)}" for i in run)
            shapes.append(f'<polyline class="spark-line" points="{coords}" fill="none" '
                          f'stroke="{colour}" stroke-width="2" stroke-linejoin="round" '
                          'vector-effect="non-scaling-stroke"/>')
    base = y(max(low, 0.0))
    for i, p in enumerate(points):
        if p.value is None and "c" in p.flags:
            shapes.append(f'<path class="spark-conf" d="M{xs[i] - 3} {base - 3}l6 6m0 -6l-6 6" '
                          f'stroke="{CONFIDENTIAL_GREY}" stroke-width="1.5" fill="none" '
                          'vector-effect="non-scaling-stroke"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-4 0 {SPARK_WIDTH + 8} '
            f'{SPARK_HEIGHT}" preserveAspectRatio="none">{"".join(shapes)}</svg>')


def sparkline_src(points: Sequence[Point], colour: str = SERIES_COLOURS[0]) -> str:
    """The sparkline as a ``data:`` URL for an ``<img>`` (the CSP allows ``img-src data:``)."""
    return "data:image/svg+xml;charset=utf-8," + quote(sparkline_svg(points, colour), safe="")
