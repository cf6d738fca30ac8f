"""A notice's "(see Methodology)" is a link that lands on the methodology page's section on
protecting small counts, scrolled to it, on a phone too (the page is drawn after the
browser's own look for the section, so without assets/anchor.js it stayed at its top)."""

from __future__ import annotations

import duckdb
import pytest
from selenium.webdriver.common.by import By

from bench.fixtures.users import write_test_users
from indicators.i18n import t
from tests.browser.conftest import screenshot
from tests.dashboards.conftest import _release

pytestmark = pytest.mark.browser

WHERE = "/trends?indicator=THB_SIGNALLED&grain=quarter&breakdown=_T&district=PT-05&compare=none"


@pytest.fixture
def app_without_quarters(settings):
    """The fixture release without Castelo Branco's quarters, so /trends explains why."""
    from dashboards.app import create_app

    path = _release(settings.serving_dir)
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM published.indicator_values WHERE indicator = 'THB_SIGNALLED' "
                "AND grain = 'quarter' AND geo = 'PT-05'")
    con.close()
    write_test_users(settings.data_dir)
    return create_app(settings)


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_the_notice_links_to_the_section_and_the_page_shows_it(dash_duo, app_without_quarters,
                                                               lang):
    dash_duo.start_server(app_without_quarters)
    driver = dash_duo.driver
    driver.set_window_size(390, 844)
    driver.get(dash_duo.server_url + f"{WHERE}&lang={lang}")
    link = dash_duo.wait_for_element("#combo-notice a.methodology-link", timeout=15)
    assert link.text == t("page.methodology", lang)
    link.click()
    dash_duo.wait_for_element("#disclosure", timeout=15)
    dash_duo.wait_for_text_to_equal("#disclosure", t("me.disclosure", lang), timeout=10)
    assert driver.current_url.endswith(f"/methodology?lang={lang}#disclosure")
    top = driver.execute_script(
        "return document.getElementById('disclosure').getBoundingClientRect().top")
    screenshot(driver, f"methodology_link_{lang}")
    assert driver.execute_script("return window.scrollY") > 0
    assert -2 <= top <= 60, top  # the section's heading at the top of the screen
    heading = driver.find_element(By.ID, "disclosure")
    active = driver.switch_to.active_element
    assert active == heading, (active.tag_name, active.get_attribute("id"), active.text[:40])
