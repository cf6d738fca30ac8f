"""The Trends chart says its source inside the figure (a user review: a saved PNG of it said
nothing of where its figures came from or of which release): under the x labels, in small
grey text, on a 390 px phone and a 1440 px screen, without covering the period labels, the
legend or the plot, inside the chart's width; and the image the toolbar's camera saves
carries it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import apart, screenshot, wait_graphs_drawn

pytestmark = pytest.mark.browser

BOXES_JS = (
    "const box = e => { const r = e.getBoundingClientRect();"
    "  return [r.left, r.top, r.right, r.bottom]; };"
    "const g = document.querySelector('#trend-graph');"
    "const source = Array.from(g.querySelectorAll('.annotation'))"
    "  .filter(a => a.textContent.startsWith(arguments[0]));"
    "return {svg: box(g.querySelector('.main-svg')),"
    " source: source.map(box), text: source.map(a => a.textContent),"
    " ticks: Array.from(g.querySelectorAll('.xaxislayer-above text')).map(box)"
    "  .filter(b => b[3] > b[1]),"
    " legend: box(g.querySelector('.legend')),"
    " plots: Array.from(g.querySelectorAll('.nsewdrag')).map(box)};")

# The image the camera button saves, drawn as SVG (the PNG is this, rasterised).
IMAGE_JS = (
    "const done = arguments[arguments.length - 1];"
    "const gd = document.querySelector('#trend-graph .js-plotly-plot');"
    "Plotly.toImage(gd, {format: 'svg'})"
    "  .then(url => done(decodeURIComponent(url.slice(url.indexOf(',') + 1))))"
    "  .catch(e => done('error: ' + e));")

QUERIES = ("lang=pt&grain=month",  # two-line period labels
           "lang=en&indicator=THB_SIGNALLED_RATE&grain=year",  # rates: the population too
           "lang=en&grain=year&breakdown=sex&district=PT-11&compare=PT")  # one panel per area


@pytest.mark.parametrize("query", QUERIES)
def test_the_trend_chart_s_source_line_is_inside_it_and_covers_nothing(dash_duo, app, query):
    word = "Fonte:" if "lang=pt" in query else "Source:"
    dash_duo.start_server(app)
    driver = dash_duo.driver
    for width in (390, 1440):
        driver.set_window_size(width, 1000)
        driver.get(dash_duo.server_url + "/trends?" + query)
        dash_duo.wait_for_element("#trend-graph .main-svg", timeout=15)
        wait_graphs_drawn(driver, timeout=15)
        geo = driver.execute_script(BOXES_JS, word)
        (source,) = geo["source"]
        assert "20240710T060000000000Z-abc123" in geo["text"][0]  # the release
        assert geo["ticks"], geo
        for tick in geo["ticks"]:
            assert apart(source, tick), (width, source, tick)
            assert source[1] >= tick[3], (width, source, tick)  # below the period labels
        assert apart(source, geo["legend"]), (width, geo)
        for plot in geo["plots"]:
            assert apart(source, plot), (width, geo)
        svg_left, svg_top, svg_right, svg_bottom = geo["svg"]
        assert svg_left <= source[0] and source[2] <= svg_right, (width, geo)
        assert svg_top <= source[1] and source[3] <= svg_bottom, (width, geo)
        if query == QUERIES[0]:
            screenshot(driver, f"trends_source_{width}")
    image = driver.execute_async_script(IMAGE_JS)
    assert not image.startswith("error"), image
    assert word in image and "20240710T060000000000Z-abc123" in image
    assert dash_duo.get_logs() == []
