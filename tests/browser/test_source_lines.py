"""The source line under every table and chart shows on a phone and on a wide screen: visible,
inside the screen's width (it wraps, never widens the page), at the table's left edge even in
a table that scrolls sideways."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in, wait_graphs_drawn

pytestmark = pytest.mark.browser

SOURCES_JS = (
    "const boxes = Array.from(document.querySelectorAll("
    "  '#page-content .table-wrap, #page-content figure.chart'));"
    "return {width: window.innerWidth, page: document.documentElement.scrollWidth,"
    "  items: boxes.map(b => { const s = b.querySelector(':scope > .source-line');"
    "    if (!s) return null; const r = s.getBoundingClientRect();"
    "    const w = b.getBoundingClientRect();"
    "    return {text: s.innerText, left: r.left, right: r.right, height: r.height,"
    "            box_left: w.left, shown: getComputedStyle(s).display !== 'none'}; })};")


@pytest.mark.parametrize(("role", "path", "word"), [
    ("analyst", "/?lang=pt", "Fonte:"), ("analyst", "/map?lang=en", "Source:"),
    ("analyst", "/trends?lang=pt", "Fonte:"), ("donor", "/results?lang=en", "Source:"),
    ("analyst", "/quality?lang=pt", "Fonte:")])
def test_source_lines_show_on_phone_and_wide_screen(dash_duo, app, role, path, word):
    dash_duo.start_server(app)
    sign_in(dash_duo, role)
    driver = dash_duo.driver
    for width, height in ((400, 844), (1366, 900)):
        driver.set_window_size(width, height)
        driver.get(dash_duo.server_url + path)
        dash_duo.wait_for_element("#page-content .source-line", timeout=15)
        wait_graphs_drawn(driver)
        got = driver.execute_script(SOURCES_JS)
        assert got["items"] and None not in got["items"], got  # every table and chart
        assert got["page"] <= got["width"], got  # the page never scrolls sideways
        for item in got["items"]:
            assert item["shown"] and item["height"] > 0 and item["text"].startswith(word), item
            assert item["right"] <= got["width"] + 1, item  # wraps inside the screen
            assert abs(item["left"] - item["box_left"]) <= 1, item  # at the left edge
    assert dash_duo.get_logs() == []
