"""The map on a release made by the real pipeline (issue 14): persons signalled by district for
the current year by quarter and year to date; months offered disabled, saying why."""

from __future__ import annotations

import shutil

import pytest
from selenium.webdriver.common.by import By

from tests.browser.conftest import screenshot, wait_graphs_drawn
from tests.dashboards.test_pipeline_release import _BUILT, _pipeline_release

pytestmark = pytest.mark.browser


@pytest.fixture
def pipeline_app(settings, tmp_path_factory):
    from dashboards.app import create_app

    if "serving" not in _BUILT:   # shared with tests/dashboards/test_pipeline_release.py
        _BUILT["serving"] = _pipeline_release(tmp_path_factory.mktemp("pipeline"))
    shutil.copytree(_BUILT["serving"], settings.serving_dir, dirs_exist_ok=True)
    return create_app(settings)


def _grain_options(dash_duo) -> dict[str, bool]:
    """Option text -> disabled, read from the open grain dropdown."""
    dash_duo.find_element('[id*=\'"name":"grain"\']').click()
    dash_duo.wait_for_element("[role='option']", timeout=10)
    out = {}
    for option in dash_duo.driver.find_elements(By.CSS_SELECTOR, "[role='option']"):
        # dash 4 marks a disabled option on its radio input
        radio = option.find_element(By.CSS_SELECTOR, "input")
        disabled = radio.get_attribute("disabled") is not None
        out[" ".join(option.text.split())] = disabled
    return out


def test_the_map_shows_the_current_quarter_by_district(dash_duo, pipeline_app):
    dash_duo.start_server(pipeline_app)
    dash_duo.driver.get(dash_duo.server_url
                        + "/map?lang=en&indicator=THB_SIGNALLED&grain=quarter")
    dash_duo.wait_for_element("#map-graph svg", timeout=15)
    dash_duo.wait_for_contains_text("#page-content caption", "Q2", timeout=10)
    wait_graphs_drawn(dash_duo.driver)
    screenshot(dash_duo.driver, "map_district_quarter")
    cells = [" ".join(td.text.split()) for td in
             dash_duo.driver.find_elements(By.CSS_SELECTOR, "#page-content table tbody tr")]
    assert len(cells) >= 20
    options = _grain_options(dash_duo)
    assert options["Quarter"] is False and options["Year to date"] is False
    assert options["Month (not published by district)"] is True
    assert dash_duo.get_logs() == []
