"""The donor results page as a donor meets it on a 1440 px screen: the whole table is
visible (status and code columns included), labels first and codes last, and a period the
release does not have is announced, never silently replaced."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser

FIT_JS = (
    "const wrap = document.querySelector('#page-content .table-wrap');"
    "const heads = Array.from(wrap.querySelectorAll('thead th'));"
    "return [wrap.scrollWidth, wrap.clientWidth, window.innerWidth,"
    " document.documentElement.scrollWidth,"
    " heads.map(h => [h.textContent, Math.round(h.getBoundingClientRect().right)])];")


@pytest.fixture
def app_late(settings):
    """The fixture release with every assessed target reached after its year: the longest
    status words ("Alcançado depois do ano da meta") in every row."""
    import duckdb

    from bench.fixtures.users import write_test_users
    from dashboards.app import create_app
    from tests.dashboards.conftest import _release

    con = duckdb.connect(str(_release(settings.serving_dir)))
    con.execute("UPDATE published.eea_results SET status = 'achieved_late' "
                "WHERE status IS NOT NULL")
    con.close()
    write_test_users(settings.data_dir)
    return create_app(settings)


@pytest.mark.parametrize("late", [False, True])
@pytest.mark.parametrize("lang", ["pt", "en"])
def test_results_table_fits_a_1440_px_screen(dash_duo, request, lang, late):
    app = request.getfixturevalue("app_late" if late else "app")
    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(1440, 900)
    sign_in(dash_duo, "donor")
    dash_duo.driver.get(dash_duo.server_url + f"/results?lang={lang}&rperiod=2023")
    dash_duo.wait_for_contains_text("#page-content caption", "2023", timeout=10)
    scroll_w, client_w, inner_w, page_w, heads = dash_duo.driver.execute_script(FIT_JS)
    assert scroll_w <= client_w + 1, (scroll_w, client_w)    # no hidden columns
    assert page_w <= inner_w                                 # no sideways page scroll
    assert all(right <= inner_w for _h, right in heads), heads
    assert heads[0][0] in ("Indicador", "Indicator") and heads[-1][0] in ("Código", "Code")
    screenshot(dash_duo.driver, f"results_1440_{lang}{'_late' if late else ''}")
    assert dash_duo.get_logs() == []


def test_a_period_the_release_lacks_is_announced(dash_duo, app):
    dash_duo.start_server(app)
    sign_in(dash_duo, "donor")
    dash_duo.driver.get(dash_duo.server_url + "/results?lang=en&rperiod=2019")
    dash_duo.wait_for_contains_text("#page-content caption", "2023", timeout=10)
    dash_duo.wait_for_element("#period-missing", timeout=10)
    assert dash_duo.find_element("#period-missing").text == (
        "The requested period '2019' is not in this release; showing Year 2023 instead.")
    assert "rperiod=2019" in dash_duo.driver.current_url  # the address is not rewritten
    dash_duo.driver.get(dash_duo.server_url + "/results?lang=en&rperiod=2024-P1")
    dash_duo.wait_for_contains_text("#page-content caption",
                                    "Interim period 1 of 2024 (Jan–Apr)", timeout=10)
    assert not dash_duo.driver.find_elements("css selector", "#period-missing")
    assert dash_duo.get_logs() == []
