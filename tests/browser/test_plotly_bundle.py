"""In the browser, /trends draws its chart with the vendored basic plotly.js bundle: Dash's
full bundle is never requested, pages without a graph load no plotly.js at all, and the
chart keeps its flag markers (hollow = provisional, diamond = revised, grey x =
confidential), legend and hover."""

from __future__ import annotations

import pytest
from plotly.offline import get_plotlyjs_version

from dashboards.components import PLOTLY_BUNDLE
from tests.browser.conftest import screenshot, wait_graphs_drawn

pytestmark = pytest.mark.browser
# Porto by month: a revised point (March) and confidential months in the fixture release
FLAGGED = "/trends?lang=en&grain=month&district=PT-13"
PLOTLY_FILES_JS = ("return performance.getEntriesByType('resource').map(e => e.name)"
                   ".filter(n => n.includes('plotly')).map(n => new URL(n).pathname);")
SYMBOLS_JS = ("return document.querySelector('#trend-graph .js-plotly-plot')._fullData"
              ".map(t => [].concat(t.marker ? t.marker.symbol : []).join(' '));")


def _open(dash_duo, path: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element("#page-content > *", timeout=15)
    wait_graphs_drawn(dash_duo.driver, timeout=15)


def test_trends_draws_with_the_basic_bundle_and_never_requests_the_full_one(dash_duo, app):
    dash_duo.start_server(app)
    driver = dash_duo.driver
    _open(dash_duo, "/?lang=en")
    assert [f for f in driver.execute_script(PLOTLY_FILES_JS) if f.endswith(".min.js")] == []
    _open(dash_duo, FLAGGED)
    files = driver.execute_script(PLOTLY_FILES_JS)
    assert "/assets/" + PLOTLY_BUNDLE in files, files
    assert not any(f.endswith("/plotly.min.js") for f in files), files
    assert driver.execute_script("return window.Plotly.version") == get_plotlyjs_version()
    # drawn: lines with markers, the legend, and the flag markers by their own symbol
    assert dash_duo.find_elements("#trend-graph .scatterlayer .trace path.js-line")
    assert dash_duo.find_elements("#trend-graph .legend .traces")
    symbols = " ".join(driver.execute_script(SYMBOLS_JS))
    assert "circle-open" in symbols and "diamond" in symbols and "x-thin-open" in symbols
    point = dash_duo.find_elements("#trend-graph .scatterlayer .trace .points path")[-1]
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).move_to_element(point).perform()
    dash_duo.wait_for_element("#trend-graph .hoverlayer .hovertext", timeout=5)
    screenshot(driver, "plotly-basic-trends-desktop")
    driver.set_window_size(390, 844)
    _open(dash_duo, FLAGGED.replace("lang=en", "lang=pt"))
    screenshot(driver, "plotly-basic-trends-phone")
    assert dash_duo.get_logs() == []  # no CSP violation, no script error
