"""Overview sparklines: a static, labelled SVG image per card; confidential months are gaps."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from urllib.parse import unquote

from dash import html

from dashboards.figures import Point
from dashboards.pages import overview
from dashboards.sparklines import SPARK_HEIGHT, sparkline_svg
from indicators import release_reader as data
from indicators.release_reader import ReleaseStore

SVG = "{http://www.w3.org/2000/svg}"


def _pts(values: list[tuple[float | None, str]]) -> list[Point]:
    return [Point(period_end=date(2024, i + 1, 1), label=f"2024-{i + 1:02d}", value=v, flags=f)
            for i, (v, f) in enumerate(values)]


def _shapes(svg: str) -> dict[str, list[list[tuple[float, float]]]]:
    """The drawn shapes by class, each as its list of (x, y) points (a path: its start)."""
    out: dict[str, list[list[tuple[float, float]]]] = {
        "spark-line": [], "spark-dot": [], "spark-conf": []}
    for element in ET.fromstring(svg):
        if element.tag == f"{SVG}polyline":
            coords = [tuple(float(n) for n in pair.split(","))
                      for pair in element.get("points").split()]
        else:
            x, y = element.get("d")[1:].split("h")[0].split("l")[0].split()
            coords = [(float(x), float(y))]
        out[element.get("class")].append(coords)
    return out


def test_sparkline_leaves_confidential_months_as_gaps_with_markers():
    svg = sparkline_svg(_pts([(10.0, ""), (None, "c"), (12.0, "p"), (None, "cp")]))
    shapes = _shapes(svg)
    assert shapes["spark-line"] == []  # no two published months are adjacent: nothing joined
    (jan,), (mar,) = shapes["spark-dot"]  # each published month here stands alone
    (feb,), (apr,) = shapes["spark-conf"]
    assert jan[0] < feb[0] < mar[0] < apr[0]  # in date order
    assert mar[1] < jan[1]  # 12 is drawn above 10
    # the markers sit on the baseline (value 0), below every published value
    assert feb[1] - 3 == apr[1] - 3 > jan[1]
    root = ET.fromstring(svg)
    assert root.get("viewBox").split()[-1] == str(SPARK_HEIGHT)
    # no axes, no text: a small image on the wire
    assert not list(root.iter(f"{SVG}text")) and len(svg) < 2000


def test_sparkline_draws_a_month_alone_between_gaps_as_a_dot():
    shapes = _shapes(sparkline_svg(_pts([(None, "c"), (7.0, ""), (None, "c"), (3.0, ""),
                                         (4.0, "")])))
    (line,) = shapes["spark-line"]
    (dot,) = shapes["spark-dot"]
    assert len(line) == 2 and line[0][0] > dot[0][0]  # Apr-May joined, Feb alone
    assert dot[0][1] < line[0][1] < line[1][1] or dot[0][1] < line[1][1] < line[0][1]
    jan, mar = (marker[0][0] + 3 for marker in shapes["spark-conf"])  # markers' centres
    assert jan < dot[0][0] < mar < line[0][0]


def test_sparkline_alt_text_states_span_values_and_confidential_months():
    pts = _pts([(10.0, ""), (None, "c"), (12.0, ""), (9.0, "p")])
    assert overview.sparkline_alt(pts, "Persons signalled", "persons", "en") == (
        "Monthly trend of Persons signalled, Jan 2024 to Apr 2024: from 10 to 9 "
        "(lowest 9, highest 12). Confidential periods (gaps in the line): 1.")
    assert overview.sparkline_alt(pts[:1], "Minors", "percent", "pt") == (
        "Tendência mensal de Minors, jan 2024 a jan 2024: de 10,0\u00a0% para 10,0\u00a0% "
        "(mínimo 10,0\u00a0%, máximo 10,0\u00a0%).")
    assert overview.sparkline_alt(_pts([(None, "c")]), "X", "persons", "en") == (
        "Monthly trend of X: no publishable values.")


def _find(component, kind) -> list:
    found = [component] if isinstance(component, kind) else []
    children = getattr(component, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            found += _find(child, kind)
    elif children is not None and not isinstance(children, str):
        found += _find(children, kind)
    return found


def test_every_overview_card_but_change_has_a_static_labelled_sparkline(store: ReleaseStore):
    rel = store.current()
    shown = overview.view(rel, {"district": "PT-20"}, "en")
    cards = _find(html.Div(shown.children), html.Article)
    # the fixture publishes all 9 headline cards by month, year to date and year
    assert len(cards) == 27
    wraps = [w for c in cards for w in _find(c, html.Div)
             if getattr(w, "role", None) == "img"]
    assert len(wraps) == 27 - 3  # the three "change" cards show no trend
    for wrap in wraps:
        image = wrap.children
        assert isinstance(image, html.Img) and image.alt == ""  # the wrapper names it
        assert image.src.startswith("data:image/svg+xml")
        assert getattr(wrap, "aria-label").startswith(
            ("Monthly trend of ", "Year-to-date trend of ", "Yearly trend of "))
    # Azores, persons signalled: the published months that are confidential are gaps
    published = data.values(rel, "THB_SIGNALLED", "month", ("PT-20",), "_T", "_T")
    # the card's period is the latest complete month: the sparkline ends there
    latest = f"{rel.info.latest_complete_period:%Y-%m}"
    up_to = published.filter(published["period_label"] <= latest).tail(18)
    confidential = up_to.filter(up_to["flags"].str.contains("c")).height
    assert confidential > 0
    first = wraps[0]
    shapes = _shapes(_svg_of(first.children))
    drawn = sum(len(s) for s in shapes["spark-line"]) + len(shapes["spark-dot"])
    assert drawn == up_to.filter(up_to["value"].is_not_null()).height
    assert len(shapes["spark-conf"]) == confidential
    assert f"Confidential periods (gaps in the line): {confidential}." in getattr(
        first, "aria-label")


def _svg_of(image: html.Img) -> str:
    return unquote(image.src.split(",", 1)[1])


def test_each_card_sparkline_is_its_own_series_grain_and_area(store: ReleaseStore):
    """A yearly card draws the yearly series of its own area with its dates, not the
    national monthly one."""
    rel = store.current()
    shown = overview.view(rel, {"district": "PT-11"}, "en")
    sections = _find(html.Div(shown.children), html.Section)
    yearly = [s for s in sections if "Latest complete year" in str(s.children[0].children)]
    assert yearly
    card = _find(yearly[0], html.Article)[0]
    image = _find(card, html.Img)[0]
    published = data.values(rel, "THB_SIGNALLED", "year", ("PT-11",), "_T", "_T")
    shapes = _shapes(_svg_of(image))
    known = published.filter(published["value"].is_not_null())
    assert sum(len(s) for s in shapes["spark-line"]) + len(shapes["spark-dot"]) == known.height
    # the highest published year is drawn at the top of the image (top margin 4)
    tops = [y for line in shapes["spark-line"] for _x, y in line] + \
        [dot[0][1] for dot in shapes["spark-dot"]]
    assert min(tops) == 4.0
    span = [p for p in _find(card, html.P) if p.className == "spark-span"][0]
    assert span.children == f"{published['period_label'][0]} – {published['period_label'][-1]}"
    label = getattr(_find(card, html.Div)[0], "aria-label")
    assert label.startswith("Yearly trend of Persons signalled")


def test_overview_explains_the_confidential_cross_its_sparklines_draw(store: ReleaseStore):
    """The cards draw a grey × for a confidential period (Azores: fixture months with "c");
    the overview says what it means, in the reader's language, not only in the alt text."""
    rel = store.current()
    for lang, words in (("en", ("×", "confidential", "(c)")),
                        ("pt", ("×", "confidencial", "(c)"))):
        shown = overview.view(rel, {"district": "PT-20"}, lang)
        crosses = [w for w in _find(html.Div(shown.children), html.Img)
                   if "spark-conf" in _svg_of(w)]
        assert crosses  # the legend explains a mark that is on the page
        notes = [p.children for p in _find(html.Div(shown.children), html.P)
                 if isinstance(p.children, str) and "×" in p.children]
        assert len(notes) == 1 and all(word in notes[0] for word in words), notes
