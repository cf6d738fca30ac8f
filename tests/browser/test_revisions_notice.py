"""End-to-end: a release that does not publish values its previous release published says
so on every page, in both languages, for the values the reader's role may read, with a link
to the release policy (in Chromium: visible, axe-clean, console-clean, on a phone too)."""

from __future__ import annotations

import json

import duckdb
import pytest

from bench.fixtures.users import write_test_users
from tests.browser.conftest import run_axe, screenshot, sign_in
from tests.dashboards.conftest import _release

pytestmark = pytest.mark.browser
PREVIOUS = "20240610T060000000000Z-fed987"  # the fixture's history names it (10 June 2024)
HIDDEN = {"public": 7, "donor": 9, "analyst": 11}


@pytest.fixture
def app(settings):
    """The fixture release, told that 7 public values (9 for donors, 11 for analysts) of the
    release before it are not published in it."""
    from dashboards.app import create_app

    path = _release(settings.serving_dir)
    changes = {"values_changed": 12, "previous_release_id": PREVIOUS,
               "by_audience": {a: {"values_hidden": n} for a, n in HIDDEN.items()}}
    con = duckdb.connect(str(path))
    try:
        con.execute("UPDATE published.release_info SET previous_release_id = ?, changes = ?",
                    [PREVIOUS, json.dumps(changes)])
    finally:
        con.close()
    write_test_users(settings.data_dir)
    return create_app(settings)


def _banner(dash_duo, path: str) -> str:
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element("#page-content > *", timeout=10)
    return dash_duo.wait_for_element("#revisions-banner", timeout=10).text


def test_the_notice_is_on_every_page_for_the_readers_role(dash_duo, app):
    dash_duo.start_server(app)
    for path in ("/?lang=en", "/trends?lang=en", "/map?lang=en", "/methodology?lang=en"):
        text = _banner(dash_duo, path)
        assert text.startswith("7 values published in the previous release (10 Jun 2024) "
                               "are not published in this one: hidden (c) or left out."), text
    pt = _banner(dash_duo, "/?lang=pt")
    assert pt.startswith("7 valores publicados na versão anterior"), pt
    assert "Política de versões" in pt
    violations = run_axe(dash_duo.driver)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    sign_in(dash_duo, "analyst", "/quality?lang=en")
    assert _banner(dash_duo, "/quality?lang=en").startswith("11 values published")
    assert dash_duo.get_logs() == []


def test_the_notice_links_to_the_release_policy_and_fits_a_phone(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(390, 844)
    _banner(dash_duo, "/trends?lang=en")
    width = dash_duo.driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width  # no sideways scrolling
    screenshot(dash_duo.driver, "revisions_notice_phone")
    dash_duo.find_element("#release-policy-link").click()
    heading = dash_duo.wait_for_element("#releases", timeout=10)
    assert heading.text == "Release policy"
    assert "release=" not in dash_duo.driver.current_url
    assert dash_duo.driver.current_url.endswith("/methodology?lang=en#releases")
    assert dash_duo.get_logs() == []
