"""The printable donor report (``/report/results``, HTML) as a donor meets it: printed from
the browser (Chromium's own print to PDF), no page but the last is left nearly empty — the
sign-off block was split over two pages and the annex forced onto a page of its own — and
on a 1024 px screen the page does not scroll sideways (the wide results table scrolls in
its own region); served by the dashboard and opened from the results page's link, on a
1440 px screen neither the page nor that region scrolls sideways, in Portuguese or English
(the Portuguese table was 1,299 px in a 1,248 px region, its last column hidden); on a
390 px phone the page does not scroll sideways either, nothing cut off (it was 489 px wide),
the results table scrolling in its own region."""

from __future__ import annotations

import base64
import dataclasses
from itertools import cycle, islice
from pathlib import Path

import pytest
from selenium.webdriver.common.print_page_options import PrintOptions

from indicators.i18n import t
from indicators.registry import load_registry
from indicators.release_reader import ReleaseStore
from indicators.reports import donor
from indicators.reports.content import narrative
from tests.browser.conftest import sign_in
from tests.dashboards.conftest import _release
from tests.dashboards.test_report_pdf_pages import filled

pytestmark = pytest.mark.browser


@pytest.fixture
def store(settings) -> ReleaseStore:
    _release(settings.serving_dir)
    opened = ReleaseStore(settings.serving_dir)
    yield opened
    opened.close()


def _report_with(rows: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports built from now on show the fixture's results repeated to ``rows`` rows."""
    build = donor.build

    def longer(rel, rperiod, lang, today=None):
        content = build(rel, rperiod, lang, today)
        table = dataclasses.replace(content.table,
                                    rows=tuple(islice(cycle(content.table.rows), rows)))
        return dataclasses.replace(content, table=table,
                                   narrative=narrative(table, content.period_label, lang))

    monkeypatch.setattr(donor, "build", longer)


def _open(driver, store: ReleaseStore, lang: str, path: Path) -> None:
    path.write_text(donor.results_report_html(store.current(), "2023", lang), encoding="utf-8")
    driver.get(path.as_uri())


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_printed_report_leaves_no_page_but_the_last_nearly_empty(
        dash_duo, store: ReleaseStore, lang: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch):
    options = PrintOptions()
    options.orientation = "landscape"  # as the report's @page asks
    thin = {}
    for rows in (1, 5, 9, 14, 20):  # the sample has 9 results
        _report_with(rows, monkeypatch)
        _open(dash_duo.driver, store, lang, tmp_path / f"report_{rows}.html")
        pdf = base64.b64decode(dash_duo.driver.print_page(options))
        shares = filled(pdf)
        if len(shares) < 2 or any(share < 0.3 for share in shares[:-1]):
            thin[rows] = [round(s, 2) for s in shares]
    assert not thin, thin


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_report_page_does_not_scroll_sideways_on_a_1024_px_screen(
        dash_duo, store: ReleaseStore, lang: str, tmp_path: Path):
    dash_duo.driver.set_window_size(1024, 800)
    _open(dash_duo.driver, store, lang, tmp_path / "report.html")
    page_w, view_w, region = dash_duo.driver.execute_script(
        "const wrap = document.querySelector('table caption').closest('[role=region]');"
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " wrap && wrap.scrollWidth > wrap.clientWidth];")
    assert page_w <= view_w, (page_w, view_w)
    assert region is not None  # the table sits in a region of its own (keyboard: tabindex)


def _registry_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports built from now on name each result as the registry does, as every release of
    the sample does (the fixture's own names are shorter: its guidelines are "Orientações
    intersetoriais…", the registry's "Orientações/fluxogramas intersetoriais…")."""
    build, registry = donor.build, load_registry()

    def named(rel, rperiod, lang, today=None):
        content = build(rel, rperiod, lang, today)
        rows = tuple((getattr(registry.get(row[-1]), f"name_{lang}"), *row[1:])
                     for row in content.table.rows)
        table = dataclasses.replace(content.table, rows=rows)
        return dataclasses.replace(content, table=table,
                                   narrative=narrative(table, content.period_label, lang))

    monkeypatch.setattr(donor, "build", named)


# The page's and the results region's widths, and where each column header ends.
WIDTHS_JS = (
    "const wrap = document.querySelector('table caption').closest('[role=region]');"
    "return [document.documentElement.scrollWidth, window.innerWidth,"
    " wrap.scrollWidth, wrap.clientWidth,"
    " Array.from(wrap.querySelectorAll('thead th'),"
    "  h => [h.textContent, Math.round(h.getBoundingClientRect().right)])];")


def _open_served(dash_duo, app, lang: str, width: int, height: int) -> None:
    """Open the report as a donor does: from the results page's link, at ``width`` px."""
    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(width, height)
    sign_in(dash_duo, "donor")
    dash_duo.driver.get(dash_duo.server_url + f"/results?lang={lang}")
    dash_duo.wait_for_contains_text("#page-content caption", "EEA", timeout=10)
    link = dash_duo.find_element("#page-content a[href^='/report/results?']")
    assert link.text == t("res.print", lang)
    dash_duo.driver.get(link.get_attribute("href"))  # as the link opens it, in a new tab
    dash_duo.wait_for_text_to_equal("h1", t("rep.title", lang), timeout=10)
    assert "/" in dash_duo.find_element("table caption + thead + tbody").text  # the names


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_served_report_does_not_scroll_sideways_on_a_1440_px_screen(
        dash_duo, app, lang: str, monkeypatch: pytest.MonkeyPatch):
    """Opened from the results page's link as a donor: neither the page nor the results
    table's own region scrolls sideways (no column hidden behind a scroll bar)."""
    _registry_names(monkeypatch)
    _open_served(dash_duo, app, lang, 1440, 900)
    page_w, inner_w, region_w, region_view, heads = dash_duo.driver.execute_script(WIDTHS_JS)
    assert inner_w == 1440
    assert page_w <= inner_w, (page_w, inner_w)
    assert region_w <= region_view, (region_w, region_view, heads)
    assert dash_duo.get_logs() == []


# Blocks of the page (outside the results region) reaching past the window's right edge, and
# cells whose text is cut off rather than wrapped.
PAST_THE_EDGE_JS = (
    "const wrap = document.querySelector('table caption').closest('[role=region]');"
    "const all = Array.from(document.body.querySelectorAll('*'))"
    " .filter(e => !wrap.contains(e));"
    "return [all.filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)"
    "  .map(e => e.tagName + ' ' + e.textContent.slice(0, 40)),"
    " all.filter(e => e.matches('td, th') && e.scrollWidth > e.clientWidth)"
    "  .map(e => e.textContent.slice(0, 40))];")


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_served_report_does_not_scroll_sideways_on_a_phone(
        dash_duo, app, lang: str, monkeypatch: pytest.MonkeyPatch):
    """On a 390 x 844 phone the page itself does not scroll sideways (it was 489 px wide: the
    cover's 16rem labels beside the unbreakable release id, the sign-off's 24rem cells) and
    nothing is cut off; only the wide results table scrolls, in its own region."""
    _registry_names(monkeypatch)
    _open_served(dash_duo, app, lang, 390, 844)
    page_w, inner_w, region_w, region_view, heads = dash_duo.driver.execute_script(WIDTHS_JS)
    assert inner_w == 390
    assert page_w <= inner_w, (page_w, inner_w)
    assert region_view <= inner_w, (region_view, inner_w)  # the region fits the window
    past, cut = dash_duo.driver.execute_script(PAST_THE_EDGE_JS)
    assert past == [] and cut == [], (past, cut)
    assert dash_duo.get_logs() == []
