"""Overview sparklines are drawn (with confidential gaps marked); the results page links the
PDF of the donor report and the browser receives a PDF."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import sign_in, wait_graphs_drawn

pytestmark = pytest.mark.browser

# Each sparkline: its wrapper's role and label, and in the SVG image the browser decoded, the
# pieces of the line (joined runs and lone dots) and the marks (lone dots, confidential
# markers) drawn, and whether a toolbar is.
DRAWN_JS = """
return Array.from(document.querySelectorAll('.sparkline-wrap')).map(w => {
  const img = w.querySelector('img.sparkline');
  const svg = new DOMParser().parseFromString(
      decodeURIComponent(img.src.split(',')[1]), 'image/svg+xml');
  return [w.getAttribute('role'), w.getAttribute('aria-label'),
          svg.querySelectorAll('.spark-line, .spark-dot').length,
          svg.querySelectorAll('.spark-dot, .spark-conf').length,
          w.querySelector('.modebar') !== null];
});
"""
IMAGES_DECODED_JS = """
const images = Array.from(document.querySelectorAll('img.sparkline'));
return images.length > 0 && images.every(i => i.complete && i.naturalWidth > 0
                                         && i.getBoundingClientRect().height === 48);
"""
FETCH_PDF_JS = """
const done = arguments[arguments.length - 1];
const href = document.querySelector('#report-pdf').getAttribute('href');
fetch(href).then(r => r.arrayBuffer().then(b => done({
    status: r.status, type: r.headers.get('content-type'),
    head: String.fromCharCode(...new Uint8Array(b.slice(0, 5))), href: href})))
  .catch(e => done({error: String(e)}));
"""


def test_overview_sparklines_are_drawn_and_results_page_serves_the_pdf(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/?lang=en&district=PT-20")
    dash_duo.wait_for_element("#page-content .card", timeout=10)
    wait_graphs_drawn(dash_duo.driver)
    WebDriverWait(dash_duo.driver, 10).until(lambda d: d.execute_script(IMAGES_DECODED_JS))
    drawn = dash_duo.driver.execute_script(DRAWN_JS)
    assert len(drawn) == 24  # 8 cards with a trend x (month, year to date, year)
    for role, label, lines, marks, modebar in drawn:
        assert role == "img" and label.startswith(
            ("Monthly trend of ", "Year-to-date trend of ", "Yearly trend of "))
        assert modebar is False
        if not label.endswith("no publishable values."):
            assert lines + marks >= 1, label  # something is drawn for the published months
    # the Azores have confidential months: gaps split the line and markers are drawn
    assert any(lines > 1 for _r, _l, lines, _m, _b in drawn)
    assert sum(marks for _r, _l, _n, marks, _b in drawn) > 0

    sign_in(dash_duo, "donor")  # the results page and its PDF are for donors
    dash_duo.driver.get(dash_duo.server_url + "/results?lang=en&rperiod=2023")
    dash_duo.wait_for_element("#report-pdf", timeout=10)
    assert dash_duo.find_element("#report-pdf").text == "Report as PDF"
    got = dash_duo.driver.execute_async_script(FETCH_PDF_JS)
    assert got == {"status": 200, "type": "application/pdf", "head": "%PDF-",
                   "href": "/report/results.pdf?lang=en&rperiod=2023"}
    assert dash_duo.get_logs() == []
