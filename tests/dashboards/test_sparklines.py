"""Overview sparklines: a static, labelled graph per card; confidential months are gaps."""

from __future__ import annotations

from datetime import date

from dash import dcc, html

from dashboards.figures import Point, sparkline
from dashboards.pages import overview
from indicators import release_reader as data
from indicators.release_reader import ReleaseStore


def _pts(values: list[tuple[float | None, str]]) -> list[Point]:
    return [Point(period_end=date(2024, i + 1, 1), label=f"2024-{i + 1:02d}", value=v, flags=f)
            for i, (v, f) in enumerate(values)]


def test_sparkline_leaves_confidential_months_as_gaps_with_markers():
    fig = sparkline(_pts([(10.0, ""), (None, "c"), (12.0, "p"), (None, "cp")]))
    line, dots, marks = fig.data
    assert list(line.y) == [10.0, None, 12.0, None] and line.connectgaps is False
    assert list(dots.y) == [10.0, 12.0]  # each published month here stands alone
    assert list(marks.x) == [date(2024, 2, 1), date(2024, 4, 1)] and list(marks.y) == [0, 0]
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.height == 48
    # no default template: each sparkline stays small on the wire
    assert len(fig.to_json()) < 2000


def test_sparkline_draws_a_month_alone_between_gaps_as_a_dot():
    fig = sparkline(_pts([(None, "c"), (7.0, ""), (None, "c"), (3.0, ""), (4.0, "")]))
    line, dots, marks = fig.data
    assert list(line.y) == [None, 7.0, None, 3.0, 4.0]
    assert list(dots.x) == [date(2024, 2, 1)] and list(dots.y) == [7.0]
    assert list(marks.x) == [date(2024, 1, 1), date(2024, 3, 1)]


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
        graph = wrap.children
        assert isinstance(graph, dcc.Graph)
        assert graph.config["staticPlot"] is True and graph.config["displayModeBar"] is False
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
    assert list(first.children.figure.data[0].y) == list(up_to["value"])[-18:]
    assert f"Confidential periods (gaps in the line): {confidential}." in getattr(
        first, "aria-label")


def test_each_card_sparkline_is_its_own_series_grain_and_area(store: ReleaseStore):
    """A yearly card draws the yearly series of its own area with its dates, not the
    national monthly one."""
    rel = store.current()
    shown = overview.view(rel, {"district": "PT-11"}, "en")
    sections = _find(html.Div(shown.children), html.Section)
    yearly = [s for s in sections if "Latest complete year" in str(s.children[0].children)]
    assert yearly
    card = _find(yearly[0], html.Article)[0]
    graph = _find(card, dcc.Graph)[0]
    published = data.values(rel, "THB_SIGNALLED", "year", ("PT-11",), "_T", "_T")
    assert list(graph.figure.data[0].y) == list(published["value"])
    span = [p for p in _find(card, html.P) if p.className == "spark-span"][0]
    assert span.children == f"{published['period_label'][0]} – {published['period_label'][-1]}"
    label = getattr(_find(card, html.Div)[0], "aria-label")
    assert label.startswith("Yearly trend of Persons signalled")
