"""The Trends chart on phones 360-414 px wide: the whole chart is on the screen (no sideways
page scroll) and the chart's toolbar (modebar) does not lie over the plot, its last points or
the last x label (it did on the right edge: a vertical toolbar over the plot's last 10 px)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, wait_graphs_drawn

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


def _apart(one: list[float], other: list[float]) -> bool:
    """Do two boxes [left, top, right, bottom] not overlap?"""
    return one[2] <= other[0] or other[2] <= one[0] or one[3] <= other[1] or other[3] <= one[1]


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
            assert _apart(geo["modebar"], plot), (width, geo)
        assert geo["last_tick"] and _apart(geo["modebar"], geo["last_tick"]), (width, geo)
        assert geo["modebar"][0] >= left and geo["modebar"][2] <= right, geo
        if width == 400:
            screenshot(driver, f"trends_phone_{query.split('&')[0][5:]}_{width}")
    assert dash_duo.get_logs() == []
