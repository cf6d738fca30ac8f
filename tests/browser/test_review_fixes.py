"""Reviewer's browser findings (November 2026): the map legend on a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in, wait_graphs_drawn

pytestmark = pytest.mark.browser

LEGEND_JS = (
    "return Array.from(document.querySelectorAll('#map-legend .legend-item')).map(e => "
    " [e.textContent, e.getBoundingClientRect().right - window.innerWidth]);")


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_map_legend_fits_a_phone_screen(dash_duo, app, lang):
    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(390, 844)
    dash_duo.driver.get(dash_duo.server_url + f"/map?lang={lang}")
    dash_duo.wait_for_element("#map-legend .legend-item", timeout=15)
    wait_graphs_drawn(dash_duo.driver, timeout=15)
    entries = dash_duo.driver.execute_script(LEGEND_JS)
    dash_duo.driver.execute_script(
        "document.querySelector('#map-graph').scrollIntoView({block: 'start'})")
    screenshot(dash_duo.driver, f"map_legend_phone_{lang}")
    assert any("(c)" in name for name, _ in entries)
    assert [(name, overflow) for name, overflow in entries if overflow > 0] == []
    assert dash_duo.get_logs() == []


NAV_JS = (
    "return Array.from(document.querySelectorAll('.site-header a.nav-link')).map(a => {"
    "  const r = a.getBoundingClientRect();"
    "  return [a.textContent, Math.round(r.left), Math.round(r.right - window.innerWidth)]; });")


@pytest.mark.parametrize(("lang", "role"), [("pt", None), ("en", "donor")])
def test_every_page_link_is_whole_on_a_phone(dash_duo, app, lang, role):
    """Review of 30 Nov 2026: on a phone the menu's last link was cut ("Met…", "EEA
    Grants…") with no sign that the menu scrolls. Every link must be whole on screen."""
    dash_duo.start_server(app)
    if role:
        sign_in(dash_duo, role)
    dash_duo.driver.set_window_size(390, 844)
    dash_duo.driver.get(dash_duo.server_url + f"/trends?lang={lang}")
    dash_duo.wait_for_element("a.nav-link", timeout=15)
    links = dash_duo.driver.execute_script(NAV_JS)
    screenshot(dash_duo.driver, f"nav_phone_{lang}_{role or 'public'}")
    assert len(links) >= 4, links
    assert [(name, left, over) for name, left, over in links if left < 0 or over > 0] == []
