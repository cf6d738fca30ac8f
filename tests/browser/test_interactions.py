"""End-to-end interactions: language switch, indicator/period/district changes, download."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def _query(dash_duo) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(dash_duo.driver.current_url).query).items()}


def _choose(dash_duo, name: str, option_text: str) -> None:
    """Open the dropdown of control ``name`` and click the option with that text."""
    selector = f'[id*=\'"name":"{name}"\']'
    dash_duo.find_element(selector).click()
    for _ in range(50):
        for option in dash_duo.driver.find_elements(By.CSS_SELECTOR, "[role='option']"):
            if " ".join(option.text.split()) == " ".join(option_text.split()):
                option.click()
                return
        time.sleep(0.1)
    raise AssertionError(f"option {option_text!r} of {name} not found")


def _wait_query(dash_duo, key: str, value: str) -> None:
    for _ in range(80):
        if _query(dash_duo).get(key) == value:
            return
        time.sleep(0.1)
    raise AssertionError(f"URL never had {key}={value}: {dash_duo.driver.current_url}")


def test_switch_language_and_change_indicator_period_district_on_map(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/map")
    dash_duo.wait_for_element("#map-graph svg", timeout=15)
    dash_duo.wait_for_text_to_equal("#page-title", "Mapa regional", timeout=10)
    dash_duo.find_element("#lang-toggle").click()
    dash_duo.wait_for_text_to_equal("#page-title", "Regional map", timeout=10)
    assert dash_duo.driver.execute_script("return document.documentElement.lang") == "en"
    _choose(dash_duo, "indicator", "Confirmed victims")
    _wait_query(dash_duo, "indicator", "THB_CONFIRMED")
    dash_duo.wait_for_contains_text("#page-content caption", "Confirmed victims", timeout=10)
    _choose(dash_duo, "grain", "Quarter")
    _wait_query(dash_duo, "grain", "quarter")
    dash_duo.wait_for_contains_text("#page-content caption", "Q", timeout=10)
    _choose(dash_duo, "period", "Q1\u00a02024")
    _wait_query(dash_duo, "period", "2024-Q1")
    _choose(dash_duo, "district", "Lisboa")
    _wait_query(dash_duo, "district", "PT-11")
    dash_duo.wait_for_contains_text("#page-content", "Selected district: Lisboa", timeout=10)
    # The district filter follows to the trends page.
    dash_duo.find_element("a.nav-link[href^='/trends']").click()
    dash_duo.wait_for_text_to_equal("#page-title", "Trends", timeout=10)
    dash_duo.wait_for_contains_text("#page-content caption", "Lisboa", timeout=10)
    assert _query(dash_duo)["district"] == "PT-11"
    assert dash_duo.get_logs() == []


def test_a_click_or_enter_on_a_district_of_the_map_selects_it(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/map?lang=en")
    dash_duo.wait_for_element("#map-graph svg", timeout=15)
    for _ in range(80):  # the page has written its normalised parameters into the address
        if "indicator" in _query(dash_duo):
            break
        time.sleep(0.1)
    district = dash_duo.wait_for_element("#map-graph a.district[data-district='PT-08']",
                                         timeout=15)
    ActionChains(dash_duo.driver).move_to_element(district).perform()
    dash_duo.wait_for_text_to_equal("#map-hover", district.get_attribute("aria-label"),
                                    timeout=5)
    assert dash_duo.find_element("#map-hover").text.startswith("Faro: ")
    district.click()
    _wait_query(dash_duo, "district", "PT-08")
    dash_duo.wait_for_contains_text("#page-content", "Selected district: Faro", timeout=10)
    assert "/map" in dash_duo.driver.current_url  # the same page, not a reload elsewhere
    # the keyboard: focus a district, Enter selects it
    dash_duo.wait_for_element("#map-graph a.district[data-district='PT-13']", timeout=10)
    dash_duo.driver.execute_script(
        "document.querySelector(\"#map-graph a.district[data-district='PT-13']\").focus()")
    assert dash_duo.find_element("#map-hover").text.startswith("Porto: ")
    ActionChains(dash_duo.driver).send_keys(Keys.ENTER).perform()
    _wait_query(dash_duo, "district", "PT-13")
    dash_duo.wait_for_contains_text("#page-content", "Selected district: Porto", timeout=10)
    assert dash_duo.get_logs() == []


def test_download_the_map_as_an_svg_image(dash_duo, app, tmp_path):
    dash_duo.start_server(app)
    dash_duo.driver.execute_cdp_cmd("Page.setDownloadBehavior",
                                    {"behavior": "allow", "downloadPath": str(tmp_path)})
    dash_duo.driver.get(dash_duo.server_url + "/map?lang=pt")
    dash_duo.wait_for_element("#map-graph svg", timeout=15)
    assert dash_duo.find_element("#map-image").text == "Descarregar o mapa (SVG)"
    dash_duo.find_element("#map-image").click()
    files = _downloaded(tmp_path, "otsh_map_*_pt_*.svg")
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith("<svg") and "Confidencial (c)" in text and "por distrito" in text
    assert "/map" in dash_duo.driver.current_url  # the page stays
    assert dash_duo.get_logs() == []


def _downloaded(folder, pattern: str) -> list:
    """The files matching ``pattern`` once Chromium has finished writing them (≤ 10 s)."""
    files: list = []
    for _ in range(100):
        files = list(folder.glob(pattern))
        if files and not list(folder.glob("*.crdownload")):
            break
        time.sleep(0.1)
    assert files, f"nothing downloaded matching {pattern}"
    return files


def test_download_csv_of_the_results_table(dash_duo, app, tmp_path):
    dash_duo.start_server(app)
    dash_duo.driver.execute_cdp_cmd("Page.setDownloadBehavior",
                                    {"behavior": "allow", "downloadPath": str(tmp_path)})
    sign_in(dash_duo, "donor")  # the results page is for donors
    dash_duo.driver.get(dash_duo.server_url + "/results?lang=en&rperiod=2023")
    dash_duo.wait_for_contains_text("#page-content caption", "2023", timeout=10)
    dash_duo.find_element("#page-content .downloads button").click()
    files = _downloaded(tmp_path, "*.csv")
    text = files[0].read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Indicator,Level,Baseline,Baseline year,Target")
    # fixture 2023: 52 supported in the year and to date, 49 women, 3 men (confidential)
    assert ("Victims of sexual exploitation supported (new cases),Outcome,40,2022,120,2025,"
            "52,49,c,52,49,c,") in text
    assert text.splitlines()[1].endswith(",EEA_VICTIMS_SUPPORTED")  # the code comes last
    assert dash_duo.get_logs() == []
