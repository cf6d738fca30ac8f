"""On a phone each table row is a card; a column with one value in every row is left out of
the cards (it said the same on each). What it says must still be on the page: once, above
the cards (the area of every headline figure, the baseline of every result), and
only there on a phone (on a wide screen the column shows)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

LEFT_OUT_JS = (
    "return Array.from(document.querySelectorAll('#page-content .table-wrap')).map(w => {"
    "  const cells = Array.from(w.querySelectorAll('tbody tr:first-child td[data-constant]'));"
    "  const facts = w.querySelector('.phone-facts');"
    "  return {left_out: cells.filter(c => c.textContent !== '')"
    "            .map(c => c.dataset.label + ': ' + c.textContent),"
    "          hidden: cells.filter(c => getComputedStyle(c).display === 'none').length,"
    "          shown: Array.from(w.querySelectorAll('tbody tr:first-child td'))"
    "            .filter(c => getComputedStyle(c).display !== 'none').map(c => c.dataset.label),"
    "          said: facts ? Array.from(facts.querySelectorAll('.table-fact-name'))"
    "            .map(n => n.textContent.replace(/: $/, '')) : [],"
    "          facts: facts && getComputedStyle(facts).display !== 'none'"
    "            ? facts.innerText : null}; });")


@pytest.mark.parametrize(("role", "path"), [("analyst", "/?lang=en"),
                                            ("donor", "/results?lang=pt&rperiod=2023")])
def test_what_the_phone_cards_leave_out_is_said_above_them(dash_duo, app, role, path):
    dash_duo.start_server(app)
    sign_in(dash_duo, role)
    driver = dash_duo.driver
    driver.set_window_size(400, 844)
    driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element("#page-content .table-wrap tbody tr", timeout=15)
    tables = driver.execute_script(LEFT_OUT_JS)
    left_out = [w for w in tables if w["left_out"]]
    assert left_out, tables  # the page has such a column (else this test proves nothing)
    for wrap in left_out:
        assert wrap["hidden"] > 0, wrap  # the cards leave the column out...
        for fact in wrap["left_out"]:  # ...and the page says it once, above them
            assert wrap["facts"] is not None and fact in wrap["facts"].replace("\n", " "), wrap
        assert set(wrap["said"]) & set(wrap["shown"]) == set(), wrap  # said once, not twice
    driver.set_window_size(1366, 900)
    shown = driver.execute_script(LEFT_OUT_JS)
    assert all(w["facts"] is None and w["hidden"] == 0 for w in shown), shown
    assert dash_duo.get_logs() == []


CARDS_JS = (
    "const label = arguments[0];"
    "return Array.from(document.querySelectorAll('#page-content table.data tbody tr')).map(r => {"
    "  const cell = Array.from(r.querySelectorAll('td')).find(c => c.dataset.label === label);"
    "  return cell ? [cell.textContent, getComputedStyle(cell).display !== 'none'] : null; });")


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_phone_cards_leave_out_an_empty_flag_line(dash_duo, app, lang):
    """A value without a flag had an empty "Flag" line in its card (most of the Trends
    table); the card now shows the line only when there is a flag (its status says
    "final" either way). On a wide screen the column keeps every cell."""
    from indicators.i18n import t

    dash_duo.start_server(app)
    driver = dash_duo.driver
    driver.set_window_size(400, 844)
    driver.get(dash_duo.server_url + f"/trends?lang={lang}&grain=month")
    dash_duo.wait_for_element("#page-content table.data tbody tr", timeout=15)
    cells = driver.execute_script(CARDS_JS, t("col.flags", lang))
    assert {text for text, _ in cells if text} and {text for text, _ in cells if not text}
    assert all(shown == bool(text) for text, shown in cells), cells
    driver.set_window_size(1366, 900)
    assert all(shown for _, shown in driver.execute_script(CARDS_JS, t("col.flags", lang)))
    assert dash_duo.get_logs() == []
