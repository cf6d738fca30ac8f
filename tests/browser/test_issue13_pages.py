"""Issue 13 in the browser: trend points at their own period, per-point flags and the
footnote, disabled breakdowns and the one-click fix, the map legend, download notes, tab
titles, the 404 link, and the phone layout (no sideways scroll, sign-out visible, filters
collapsed). Screenshots of every page on desktop and phone in both languages."""

from __future__ import annotations

import time

import pytest

from indicators.reports.exports import split_csv
from tests.browser.conftest import screenshot, sign_in, wait_graphs_drawn

pytestmark = pytest.mark.browser
PAGES = ("/", "/map", "/trends", "/results", "/quality", "/methodology")
DESKTOP, PHONE = (1440, 900), (390, 844)
ENGLISH_ON_PT_PAGE = ("provisional", "confidential", "download", "missing", "breakdown",
                      "signed", "persons", "year", "month", "notes", "show")
PORTUGUESE_ON_EN_PAGE = ("provisório", "confidencial", "descarregar", "falta", "desagregação",
                         "pessoas", "mês", "notas", "mostrar", "sessão")

FIGURE_JS = ("const g = document.querySelector(arguments[0] + ' .js-plotly-plot');"
             "return g.data.map(t => ({name: t.name, x: t.x, y: t.y, type: t.type,"
             " showlegend: t.showlegend, symbol: t.marker ? t.marker.symbol : null,"
             " hover: t.customdata ? t.customdata.map(c => c[2]) : null}));")


def _ready(dash_duo) -> None:
    dash_duo.wait_for_element("#page-content > *", timeout=15)
    dash_duo.wait_for_element("#release-id", timeout=15)
    wait_graphs_drawn(dash_duo.driver, timeout=15)


def _open(dash_duo, path: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + path)
    _ready(dash_duo)


def _words(text: str) -> set[str]:
    import re

    return {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", text)}


def test_screenshots_phone_layout_titles_and_one_language(dash_duo, app):
    dash_duo.start_server(app)
    sign_in(dash_duo, "analyst")  # every page, with the account box in the header
    driver = dash_duo.driver
    for size_name, (width, height) in (("desktop", DESKTOP), ("phone", PHONE)):
        driver.set_window_size(width, height)
        for path in PAGES:
            for lang in ("pt", "en"):
                _open(dash_duo, f"{path}?lang={lang}")
                title = dash_duo.find_element("#page-title").text
                for _ in range(30):
                    if driver.title == f"{title} · OTSH":
                        break
                    time.sleep(0.1)
                assert driver.title == f"{title} · OTSH"
                name = "root" if path == "/" else path.strip("/")
                time.sleep(0.3)
                screenshot(driver, f"{name}_{lang}_{size_name}")  # what a reader sees first
                full_height = driver.execute_script(
                    "return document.documentElement.scrollHeight")
                driver.set_window_size(width, min(max(full_height + 140, height), 4000))
                time.sleep(0.3)
                screenshot(driver, f"{name}_{lang}_{size_name}_full")  # the whole page
                driver.set_window_size(width, height)
                body = driver.execute_script("return document.body.innerText")
                if path != "/results":  # the donor page is issue 13b's
                    foreign = ENGLISH_ON_PT_PAGE if lang == "pt" else PORTUGUESE_ON_EN_PAGE
                    assert _words(body) & set(foreign) == set(), (path, lang)
                if size_name == "phone":
                    geometry = driver.execute_script(
                        "const b = document.querySelector('.logout-form button')"
                        ".getBoundingClientRect();"
                        "return [document.documentElement.scrollWidth, window.innerWidth,"
                        " b.left, b.right, b.top];")
                    scroll, inner, left, right, top = geometry
                    assert scroll <= inner, (path, lang, scroll, inner)  # no sideways scroll
                    assert left >= 0 and right <= inner and top >= 0, (path, geometry)
    assert dash_duo.get_logs() == []


def test_phone_filter_panel_is_collapsed_and_opens(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(*PHONE)
    _open(dash_duo, "/trends?lang=en")
    controls = dash_duo.find_element("#controls")
    assert not controls.is_displayed()
    toggle = dash_duo.find_element("#filters-toggle")
    assert toggle.text.endswith("Filters") and toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    dash_duo.wait_for_element("#controls .control", timeout=10)
    for _ in range(30):
        if dash_duo.find_element("#controls").is_displayed():
            break
        time.sleep(0.1)
    assert dash_duo.find_element("#controls").is_displayed()
    assert dash_duo.find_element("#filters-toggle").get_attribute("aria-expanded") == "true"
    # chart title: shown as text above the chart (never cut, never under the toolbar)
    box = dash_duo.driver.execute_script(
        "const t = document.querySelector('.chart-title').getBoundingClientRect();"
        "const g = document.querySelector('#trend-graph').getBoundingClientRect();"
        "const s = document.querySelector('#trend-graph .gtitle').getBoundingClientRect();"
        "return [t.left, t.right, t.bottom, g.top, window.innerWidth, s.width];")
    left, right, bottom, graph_top, inner, svg_title_width = box
    assert left >= 0 and right <= inner and bottom <= graph_top + 1, box
    assert svg_title_width == 0  # the chart's own title is hidden on phones
    chart_right = dash_duo.driver.execute_script(
        "return document.querySelector('#trend-graph .main-svg').getBoundingClientRect().right")
    assert chart_right <= inner  # the whole chart fits the phone's width
    assert dash_duo.find_element(".chart-title").text == "Persons signalled, Portugal (national)"
    assert dash_duo.get_logs() == []


X_TICKS_JS = (
    "const svg = document.querySelector('#trend-graph .main-svg').getBoundingClientRect();"
    "const legend = document.querySelector('#trend-graph .legend').getBoundingClientRect();"
    "const ticks = Array.from(document.querySelectorAll('#trend-graph .xtick text'));"
    "return {svg: [svg.left, svg.right, svg.bottom], legendTop: legend.top,"
    " ticks: ticks.map(t => { const r = t.getBoundingClientRect();"
    "  return [t.textContent, r.left, r.right, r.top, r.bottom,"
    "          t.getAttribute('transform') || '']; })};")


def test_phone_trend_x_labels_are_whole_horizontal_and_apart(dash_duo, app):
    """On a 390 px phone the monthly axis labels are not rotated, cut, overlapped or hidden
    under the legend (they used to be rotated and clipped: "jan 202")."""
    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(*PHONE)
    _open(dash_duo, "/trends?lang=pt&grain=month")
    geometry = dash_duo.driver.execute_script(X_TICKS_JS)
    left, right, bottom = geometry["svg"]
    ticks = geometry["ticks"]
    assert [t[0] for t in ticks] == ["jan2023", "abr2023", "jul2023", "out2023", "jan2024",
                                     "abr2024"]  # textContent joins the two lines
    for text, tick_left, tick_right, top, tick_bottom, transform in ticks:
        assert "rotate" not in transform, (text, transform)
        assert left <= tick_left and tick_right <= right and tick_bottom <= bottom, text
        assert tick_bottom <= geometry["legendTop"], (text, tick_bottom, geometry)
        assert tick_bottom - top > 20, text  # two lines: the month over the year
    for one, other in zip(ticks, ticks[1:], strict=False):
        assert one[2] < other[1], (one, other)  # apart, left to right
    assert dash_duo.get_logs() == []


def test_trend_points_flags_footnote_and_disabled_breakdowns(dash_duo, app):
    dash_duo.start_server(app)
    _open(dash_duo, "/trends?lang=en&grain=year")
    traces = dash_duo.driver.execute_script(FIGURE_JS, "#trend-graph")
    assert traces[0]["x"] == ["2023"] and traces[0]["type"] == "scatter"
    _open(dash_duo, "/trends?lang=en&grain=month")
    traces = dash_duo.driver.execute_script(FIGURE_JS, "#trend-graph")
    main = traces[0]
    assert main["x"][0] == "Jan 2023" and main["x"][-1] == "Jun 2024"
    assert main["symbol"][-1] == "circle-open" and main["symbol"][-2] == "circle"
    # an anonymous visitor: that a partner's return is missing, not which (analysts only)
    assert "A partner's return for this period is missing" in main["hover"][-1]
    assert "Missing returns" not in main["hover"][-1]
    assert "p = provisional" in dash_duo.find_element("#trend-footnote").text
    # sex is published by quarter and year only: disabled at month, with where it exists
    dash_duo.find_element("[id*='\"name\":\"breakdown\"']").click()
    dash_duo.wait_for_element("[role='option']", timeout=10)
    options = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('[role=option]')).map(o => [o.innerText,"
        " o.outerHTML]);")
    sex = [(text, markup) for text, markup in options if text.startswith("Sex")][0]
    assert sex[0] == "Sex (only by quarter, year)"
    assert "disabled" in sex[1], sex[1]
    # an old link with the impossible combination: explained, no empty chart, one-click fix
    _open(dash_duo, "/trends?lang=en&grain=month&breakdown=sex")
    assert dash_duo.find_elements("#trend-graph") == []
    assert "not published by month" in dash_duo.find_element("#combo-notice").text
    dash_duo.find_element("#combo-fix").click()
    dash_duo.wait_for_element("#trend-graph .js-plotly-plot", timeout=10)
    traces = dash_duo.driver.execute_script(FIGURE_JS, "#trend-graph")
    assert [t["name"] for t in traces if t["name"] in ("Female", "Male")] == ["Female", "Male"]
    assert dash_duo.get_logs() == []


def test_map_legend_has_classes_and_confidential_and_the_outside_note(dash_duo, app):
    dash_duo.start_server(app)
    _open(dash_duo, "/map?lang=en")
    legend = [e.text for e in dash_duo.find_elements("#map-legend .legend-label")]
    assert "Confidential (c)" in legend
    classes = [t for t in legend if "–" in t]
    assert 2 <= len(classes) <= 5
    assert legend.index("Confidential (c)") == len(classes)  # right after the colour key
    assert "per 100,000" in dash_duo.find_element("#map-legend .map-legend-title").text
    # the confidential swatch and districts share the grey; the districts carry a white dot
    swatch = dash_duo.find_element("#map-legend .swatch.conf")
    grey = swatch.value_of_css_property("background-color")
    conf = dash_duo.find_elements("#map-graph a.district[data-layer='c']")
    assert conf and all(a.find_element("css selector", "circle.conf-dot") for a in conf)
    assert grey == "rgba(95, 95, 95, 1)"  # figures.CONFIDENTIAL_GREY
    assert "national rate" in dash_duo.find_element("#map-outside").text
    _open(dash_duo, "/map?lang=en&indicator=THB_SIGNALLED")
    assert dash_duo.find_element("#map-outside").text.startswith("Not on the map:")
    assert dash_duo.get_logs() == []


def test_download_carries_notes_and_language_in_the_file_name(dash_duo, app, tmp_path):
    dash_duo.start_server(app)
    dash_duo.driver.execute_cdp_cmd("Page.setDownloadBehavior",
                                    {"behavior": "allow", "downloadPath": str(tmp_path)})
    for lang in ("pt", "en"):
        _open(dash_duo, f"/trends?lang={lang}&grain=quarter")
        dash_duo.find_element("#page-content .downloads button").click()
        for _ in range(100):
            files = list(tmp_path.glob(f"*_{lang}_*.csv"))
            if files and not list(tmp_path.glob("*.crdownload")):
                break
            time.sleep(0.1)
        assert files, f"no {lang} CSV downloaded"
    assert len(list(tmp_path.glob("*.csv"))) == 2  # English did not overwrite Portuguese
    english = next(tmp_path.glob("otsh_trends_THB_SIGNALLED_PT_2023-Q1_2024-Q2_en_*.csv"))
    rows, notes = split_csv(english.read_text(encoding="utf-8-sig"))
    assert rows[1][1] == "Q1\u00a02023"
    labels = dict(notes)
    assert labels["Release"] == "20240710T060000000000Z-abc123"
    assert labels["Notice"].startswith("Synthetic data")
    assert labels["Flags: p"].startswith("provisional")
    assert dash_duo.get_logs() == []


def test_not_found_page_links_home(dash_duo, app):
    dash_duo.start_server(app)
    for lang, title in (("pt", "Página não encontrada"), ("en", "Page not found")):
        dash_duo.driver.get(dash_duo.server_url + f"/nowhere?lang={lang}")
        dash_duo.wait_for_element("#home-link", timeout=10)
        dash_duo.wait_for_text_to_equal("#page-title", title, timeout=10)  # a title: no stop
    body = dash_duo.find_element("#not-found").text
    assert "does not match any page" in body and "Page not found" not in body  # no echo
    dash_duo.find_element("#home-link").click()
    dash_duo.wait_for_text_to_equal("#page-title", "Overview", timeout=10)
    # the address itself answers 404 (tests/dashboards/test_not_found_status.py), which the
    # browser logs for the page it loaded; nothing else
    logs = [e for e in dash_duo.get_logs() if not (
        e["source"] == "network" and "/nowhere?lang=" in e["message"]
        and "status of 404" in e["message"])]
    assert logs == []


BOXES_JS = (
    "const svg = document.querySelector('#map-graph svg').getBoundingClientRect();"
    "const out = {svg: [svg.left, svg.top, svg.right, svg.bottom],"
    " page: document.documentElement.scrollWidth, view: window.innerWidth};"
    "document.querySelectorAll('#map-graph a.district').forEach(a => {"
    " const r = a.getBoundingClientRect();"
    " out[a.dataset.district] = [r.left, r.top, r.right, r.bottom]; });"
    "return out;")


def test_map_insets_are_whole_and_the_map_fits_desktop_and_phone(dash_duo, app):
    """Every district, the Azores and Madeira included, is drawn whole inside the map, and
    the map fits the screen's width (no sideways scroll) on a desktop and a phone."""
    dash_duo.start_server(app)
    sizes = {}
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        dash_duo.driver.set_window_size(*size)
        _open(dash_duo, "/map?lang=en")
        boxes = dash_duo.driver.execute_script(BOXES_JS)
        left, top, right, bottom = boxes["svg"]
        assert boxes["page"] <= boxes["view"], name
        assert right <= boxes["view"], name
        for code in ("PT-20", "PT-30", "PT-08", "PT-16"):
            x0, y0, x1, y1 = boxes[code]
            assert left <= x0 < x1 <= right and top <= y0 < y1 <= bottom, (name, code)
            assert x1 - x0 >= 10, (name, code)  # large enough to see and to tap
        sizes[name] = right - left
    assert sizes["phone"] < sizes["desktop"]
    assert dash_duo.get_logs() == []
