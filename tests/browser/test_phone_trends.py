"""The Trends chart on phones 360-414 px wide: the whole chart is on the screen (no sideways
page scroll) and the chart's toolbar (modebar) does not lie over the plot, its last points or
the last x label (it did on the right edge: a vertical toolbar over the plot's last 10 px)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import apart, screenshot, wait_graphs_drawn

pytestmark = pytest.mark.browser

GEOMETRY_JS = (
    "const box = e => { const r = e.getBoundingClientRect();"
    "  return [r.left, r.top, r.right, r.bottom]; };"
    "const g = document.querySelector('#trend-graph');"
    "const ticks = Array.from(g.querySelectorAll('.xtick text'));"
    "return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
    " svg: box(g.querySelector('.main-svg')),"
    " plots: Array.from(g.querySelectorAll('.nsewdrag')).map(box),"
    " modebar: box(g.querySelector('.modebar')),"
    " buttons: g.querySelectorAll('.modebar-btn').length,"
    " legend: box(g.querySelector('.legend')),"
    " last_tick: ticks.length ? box(ticks[ticks.length - 1]) : null};")


@pytest.mark.parametrize("query", ["lang=pt&grain=month", "lang=en&grain=year&breakdown=sex"])
def test_trend_chart_fits_phones_and_the_toolbar_leaves_the_plot_free(dash_duo, app, query):
    dash_duo.start_server(app)
    driver = dash_duo.driver
    for width in (360, 400, 414):
        driver.set_window_size(width, 844)
        driver.get(dash_duo.server_url + "/trends?" + query)
        dash_duo.wait_for_element("#trend-graph .main-svg", timeout=15)
        wait_graphs_drawn(driver, timeout=15)
        geo = driver.execute_script(GEOMETRY_JS)
        assert geo["inner"] == width
        assert geo["scroll"] <= width, geo  # no sideways scroll of the page
        left, _top, right, _bottom = geo["svg"]
        assert left >= 0 and right <= width, geo  # the whole chart on the screen
        assert geo["legend"][0] >= left and geo["legend"][2] <= right, geo
        assert geo["buttons"] > 0  # the toolbar is there (PNG download, zoom)...
        for plot in geo["plots"]:  # ...but not over any plot area or the last x label
            assert apart(geo["modebar"], plot), (width, geo)
        assert geo["last_tick"] and apart(geo["modebar"], geo["last_tick"]), (width, geo)
        assert geo["modebar"][0] >= left and geo["modebar"][2] <= right, geo
        if width == 400:
            screenshot(driver, f"trends_phone_{query.split('&')[0][5:]}_{width}")
    assert dash_duo.get_logs() == []



LEGEND_JS = (
    "const g = document.querySelector('#legend-graph');"
    "const svg = g.querySelector('.main-svg').getBoundingClientRect();"
    "const bar = g.querySelector('.legend .scrollbar');"
    "const items = Array.from(g.querySelectorAll('.legend .traces'))"
    "  .map(e => e.getBoundingClientRect());"
    "return {plots: Array.from(g.querySelectorAll('.nsewdrag'))"
    "  .map(e => e.getBoundingClientRect().height), svg_bottom: svg.bottom,"
    " items: items.length, item_bottom: Math.max(...items.map(r => r.bottom)),"
    " scrollbar: bar ? bar.getBoundingClientRect().height : 0};")

CATEGORIES = ("Forced begging", "Forced criminal activities", "Labour exploitation", "Other",
              "Domestic servitude", "Online sexual exploitation",
              "Sexual exploitation in prostitution", "Unknown")


def _breakdown_series(groups: tuple[str, ...]) -> list:
    """Eight categories over five years (like the sample's forms of exploitation), with a
    confidential and a provisional point, in one panel per area of ``groups``."""
    from datetime import date

    from dashboards.figures import Point, Series

    out = []
    for group in groups:
        for index, name in enumerate(CATEGORIES):
            hidden = {(3, 2022)}  # one confidential point
            points = tuple(Point(period_end=date(year, 12, 31), label=str(year),
                                 value=None if (index, year) in hidden
                                 else 10.0 * index + year % 7,
                                 flags="c" if (index, year) in hidden
                                 else "p" if year == 2025 else "", shown=str(year))
                           for year in range(2021, 2026))
            out.append(Series(name=name, points=points, group=group))
    return out


@pytest.mark.parametrize("groups", [("",), ("Lisboa", "Portugal")])
def test_phone_legend_of_a_breakdown_does_not_squash_the_plot_or_scroll(dash_duo, groups):
    """A breakdown's legend on a 400 px phone has one entry a line: the chart grows with it,
    so each plot keeps its height and every legend entry shows (no scrolling legend)."""
    from dash import Dash

    from dashboards.components import graph
    from dashboards.figures import trend_figure

    fig = trend_figure(_breakdown_series(groups), "persons", "en", "Persons signalled")
    app = Dash(__name__)
    app.layout = graph("legend-graph", fig, "alt", "Persons signalled", lang="en")
    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(400, 844)
    dash_duo.driver.refresh()
    dash_duo.wait_for_element("#legend-graph .main-svg", timeout=15)
    wait_graphs_drawn(dash_duo.driver, timeout=15)
    geo = dash_duo.driver.execute_script(LEGEND_JS)
    assert geo["items"] == len(CATEGORIES) + 2, geo  # and the confidential, provisional keys
    assert geo["scrollbar"] == 0, geo
    assert geo["item_bottom"] <= geo["svg_bottom"], geo
    assert len(geo["plots"]) == len(groups)
    assert min(geo["plots"]) >= 150, geo  # each panel keeps room for its lines
    assert dash_duo.get_logs() == []
