"""Browser tests: dash_duo in headless Debian Chromium, closed network, clean console."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from bench.fixtures.users import PASSWORDS, USER_OF_ROLE, write_test_users
from tests.dashboards.conftest import _release

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def pytest_setup_options():
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for flag in ("--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic",
                 "--window-size=1280,1000"):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    return options


REQUEST_THREAD = "process_request_thread"  # socketserver's name for a request's thread


@pytest.fixture(autouse=True)
def _server_answers_before_it_stops(request):
    """dash_duo quits the browser, then stops its threaded server by raising ``SystemExit``
    in every thread the server started. A request the browser sent just before it quit (a
    callback reading the release) was then killed mid-answer, and pytest reported the thread's
    unhandled ``SystemExit`` as a warning. Between the two, wait (at most 10 s) until the
    server has answered what it was answering."""
    if "dash_duo" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("dash_thread_server")  # set up before, so torn down after this
    yield
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(
            REQUEST_THREAD in t.name for t in threading.enumerate()):
        time.sleep(0.05)


@pytest.fixture
def app(settings, tmp_path):
    from dashboards.app import create_app

    _release(settings.serving_dir)
    write_test_users(settings.data_dir)  # donor "dora" and analyst "ana" (tests/security)
    return create_app(settings)


def sign_in(dash_duo, role: str, next_path: str = "/") -> None:
    """Sign in through the login form as the test user of ``role``."""
    name = USER_OF_ROLE[role]
    dash_duo.driver.get(dash_duo.server_url + "/login?lang=en&next=" + next_path)
    dash_duo.find_element("#username").send_keys(name)
    dash_duo.find_element("#password").send_keys(PASSWORDS[name])
    dash_duo.find_element("form.auth-form button[type=submit]").click()
    dash_duo.wait_for_element("#signed-in", timeout=10)


def run_axe(driver) -> list[dict]:
    """Serious and critical axe-core violations on the current page."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e)}]));")
    return [v for v in result if v.get("impact") in ("serious", "critical")]


GRAPHS_DRAWN_JS = (
    "const gs = document.querySelectorAll('#page-content .dash-graph');"
    "const svgs = document.querySelectorAll('#page-content [data-svg]');"
    "return Array.from(gs).every(g => g.querySelector('.main-svg') !== null)"
    " && Array.from(svgs).every(d => d.querySelector('svg') !== null);")


def wait_graphs_drawn(driver, timeout: float = 10) -> None:
    """Wait until Plotly has drawn every graph of the page (its bundle loads asynchronously:
    a screenshot taken before shows empty space where the graphs go) and every server-built
    SVG drawing (the map) is in the page."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(GRAPHS_DRAWN_JS))


def apart(one: list[float], other: list[float]) -> bool:
    """Do two boxes [left, top, right, bottom] (getBoundingClientRect) not overlap?"""
    return one[2] <= other[0] or other[2] <= one[0] or one[3] <= other[1] or other[3] <= one[1]


def screenshot(driver, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
