"""End-to-end: every page in both languages, axe-core, screenshots, clean console."""

from __future__ import annotations

import pytest

from tests.browser.conftest import run_axe, screenshot, sign_in, wait_graphs_drawn

pytestmark = pytest.mark.browser
PAGES = ("/", "/map", "/trends", "/results", "/quality", "/methodology")
RESTRICTED = {"/results": "donor", "/quality": "analyst"}


def _wait_ready(dash_duo) -> None:
    dash_duo.wait_for_element("#page-content > *", timeout=10)
    dash_duo.wait_for_element("#release-id", timeout=10)
    wait_graphs_drawn(dash_duo.driver)


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_in_both_languages_without_errors_or_axe_violations(dash_duo, app, path):
    dash_duo.start_server(app)
    if path in RESTRICTED:  # donor/analyst pages: sign in first (tests/browser/test_access.py)
        sign_in(dash_duo, RESTRICTED[path])
    for lang in ("pt", "en"):
        dash_duo.driver.get(dash_duo.server_url + path + f"?lang={lang}")
        _wait_ready(dash_duo)
        assert dash_duo.driver.execute_script("return document.documentElement.lang") == lang
        assert "20240710T060000000000Z-abc123" in dash_duo.find_element("#release-id").text
        assert dash_duo.find_element("#synthetic-banner").text
        name = "root" if path == "/" else path.strip("/")
        screenshot(dash_duo.driver, f"{name}_{lang}")
        violations = run_axe(dash_duo.driver)
        assert violations == [], [(v["id"], v["help"]) for v in violations]
    assert dash_duo.get_logs() == []
