"""Access in the browser: the login page (axe, clean console), signing in and out, a forbidden
page, escaped partner text, the CSP enforced, and the maintenance page."""

from __future__ import annotations

import pytest

from bench.fixtures.users import write_test_users
from tests.browser.conftest import run_axe, screenshot, sign_in
from tests.security.hostile_release import HOSTILE_NAME, write_hostile_release

pytestmark = pytest.mark.browser


def test_login_page_is_accessible_and_sign_in_out_works(dash_duo, app):
    dash_duo.start_server(app)
    for lang, title in (("pt", "Iniciar sessão"), ("en", "Sign in")):
        dash_duo.driver.get(dash_duo.server_url + f"/login?lang={lang}&next=/results")
        dash_duo.wait_for_text_to_equal("h1", title, timeout=10)
        assert dash_duo.driver.execute_script("return document.documentElement.lang") == lang
        screenshot(dash_duo.driver, f"login_{lang}")
        violations = run_axe(dash_duo.driver)
        assert violations == [], [(v["id"], v["help"]) for v in violations]
    dash_duo.find_element("#username").send_keys("dora")
    dash_duo.find_element("#password").send_keys("wrong-password-000")
    dash_duo.find_element("form.auth-form button[type=submit]").click()
    dash_duo.wait_for_text_to_equal(".auth-error", "Incorrect user name or password.",
                                    timeout=10)
    assert run_axe(dash_duo.driver) == []
    # The failed attempt answers 401 (Chromium logs that status); nothing else is logged.
    assert [(e["source"], "/login" in e["message"] and "401" in e["message"])
            for e in dash_duo.get_logs()] == [("network", True)]
    # the user name stays typed in, the password is empty and has the focus: retype it only
    assert dash_duo.find_element("#username").get_attribute("value") == "dora"
    assert dash_duo.find_element("#password").get_attribute("value") == ""
    assert dash_duo.driver.execute_script("return document.activeElement.id") == "password"
    dash_duo.find_element("#password").send_keys("donor-password-123")
    dash_duo.find_element("form.auth-form button[type=submit]").click()
    dash_duo.wait_for_contains_text("#signed-in", "dora", timeout=10)
    dash_duo.wait_for_text_to_equal("#page-title", "EEA Grants results", timeout=10)
    dash_duo.wait_for_contains_text("#page-content caption", "EEA", timeout=10)
    links = [a.get_attribute("href") for a in dash_duo.find_elements("a.nav-link")]
    assert any(h.split("?")[0].endswith("/results") for h in links)
    assert not any(h.split("?")[0].endswith("/quality") for h in links)
    assert run_axe(dash_duo.driver) == []
    dash_duo.find_element(".logout-form button").click()
    dash_duo.wait_for_element("a.account-link[href^='/login']", timeout=10)
    assert dash_duo.find_elements("#signed-in") == []
    assert dash_duo.get_logs() == []


def test_forbidden_page_shows_a_sign_in_message_and_no_data(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/quality?lang=en")
    dash_duo.wait_for_element("#denied", timeout=10)
    dash_duo.wait_for_text_to_equal("#page-title", "Sign-in required", timeout=10)
    assert "returns_2024_02" not in dash_duo.driver.page_source
    assert dash_duo.find_elements("#page-content table") == []
    sign_link = dash_duo.find_element("#denied a").get_attribute("href")
    assert "/login?next=%2Fquality" in sign_link
    links = [a.get_attribute("href") for a in dash_duo.find_elements("a.nav-link")]
    assert not any(h.split("?")[0].endswith(("/quality", "/results")) for h in links)
    assert run_axe(dash_duo.driver) == []
    assert dash_duo.get_logs() == []


def test_partner_file_name_is_shown_as_text_and_csp_blocks_injected_scripts(
        dash_duo, settings):
    from dashboards.app import create_app

    write_hostile_release(settings.serving_dir)
    write_test_users(settings.data_dir)
    dash_duo.start_server(create_app(settings))
    sign_in(dash_duo, "analyst")
    dash_duo.driver.get(dash_duo.server_url + "/quality?lang=en")
    dash_duo.wait_for_contains_text("#page-content", HOSTILE_NAME, timeout=10)
    cells = [td.text for td in dash_duo.find_elements("#page-content td")]
    assert HOSTILE_NAME in cells
    assert dash_duo.driver.execute_script(
        "return document.querySelectorAll('#page-content img, #page-content script').length"
    ) == 0
    assert dash_duo.get_logs() == []
    # The policy is live: an inline script injected into the page does not run.
    ran = dash_duo.driver.execute_script(
        "const s = document.createElement('script'); s.textContent = 'window.__pwned = 1;';"
        "document.body.appendChild(s); return window.__pwned === 1;")
    assert ran is False
    logs = dash_duo.get_logs()
    assert logs and all("Content Security Policy" in entry["message"] for entry in logs)


def test_maintenance_page_without_any_release(dash_duo, settings):
    from dashboards.app import create_app

    dash_duo.start_server(create_app(settings))  # no release in serving/
    for lang, title in (("pt", "Em manutenção"), ("en", "Under maintenance")):
        dash_duo.driver.get(dash_duo.server_url + f"/?lang={lang}")
        dash_duo.wait_for_text_to_equal("#page-title", title, timeout=10)
        dash_duo.wait_for_element(".maintenance", timeout=10)
        assert "Traceback" not in dash_duo.driver.page_source
        assert run_axe(dash_duo.driver) == []
    assert dash_duo.get_logs() == []
