"""Dashboard speed through the production server (waitress), loopback only.

1. A release: by default the dashboard tests' fixture (``write_release_fixture``) written into
   a temporary OBS_DATA_DIR; ``--data-dir data`` uses an existing data folder (``make demo``).
2. ``observatory serve`` (waitress) on 127.0.0.1 and a free port, in its own process group,
   stopped at the end.
3. First page load in headless Debian Chromium (no download; closed-network flags): for each
   page, milliseconds from navigation start to the page content, and to every graph on it
   drawn (Plotly SVG in the DOM). "cold" = a fresh server and browser, "warm" = median of
   the next loads. The same pass records, from Chromium's performance log, the exact
   ``/_dash-update-component`` payloads each page sends.
4. A NEW server process (empty caches). Each captured callback is replayed over HTTP
   (keep-alive): the first call (uncached: the page's queries and figures are computed),
   then ``--warmup`` calls, then ``--requests`` timed calls → p50/p95 (served from the
   per-release cache, the steady state). Floors measured in the same run: ``GET /healthz``
   (Flask + release pointer) and ``GET /_dash-layout`` (the trivial Dash round trip); every
   p50 is printed beside the layout floor as a ratio.

Signed in: the donor/analyst pages (/results, /quality) are measured as the analyst test user
("ana", the users file of ``bench/fixtures/users.py``, written into a temporary
folder and passed to the server as OBS_USERS_FILE, so a real users file is never touched).
Chromium signs in through the login form; the HTTP replay signs in the same way (CSRF token,
then POST /login) and sends the session cookie with every call. A third floor: an empty Dash
callback round trip (``bench/empty_app.py`` under the same waitress); page loads are printed
beside a static HTML page loaded in the same Chromium, beside that page loading the plotly.js
dcc.Graph loads (the vendored basic bundle, ``dashboards.components.PLOTLY_BUNDLE``: the floor
of any page with a Plotly graph in a fresh browser), and, for reference, loading Dash's full
plotly.min.js instead. The plotly.js file(s) each page requested are listed under the table.
Each load also gives the page's main-thread busy time (CDP Performance ``TaskDuration``): CPU
milliseconds of the browser for that page, steadier than wall time on a loaded machine.

Run: .venv/bin/python bench/bench_dashboard.py [--data-dir DIR] [--requests 50] [--warmup 5]
     [--threads 8] [--no-browser]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ("/", "/map", "/trends", "/results", "/quality", "/methodology")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic", "--window-size=1280,1000")
# Installed before any page script runs: records when the page content appears and when every
# graph in it has been drawn: Plotly SVG in each dcc.Graph, the SVG of each server-built
# drawing (the map) in its box (performance.now() is measured from navigation start).
PROBE_JS = """
(function () {
  window.__bench = {content: null, ready: null, graphs: 0};
  function check() {
    const b = window.__bench;
    const content = document.querySelector('#page-content > *');
    if (!content) { return; }
    if (b.content === null) { b.content = performance.now(); }
    const graphs = document.querySelectorAll('#page-content .dash-graph');
    for (const g of graphs) { if (!g.querySelector('.main-svg')) { return; } }
    // server-built SVG drawings (the district map): drawn once the SVG is in the page
    const drawings = document.querySelectorAll('#page-content [data-svg]');
    for (const d of drawings) { if (!d.querySelector('svg')) { return; } }
    if (b.ready === null) {
      b.ready = performance.now(); b.graphs = graphs.length + drawings.length;
    }
  }
  new MutationObserver(check).observe(document, {childList: true, subtree: true});
})();
"""
PAGE_TIMEOUT = 60.0  # s; a page not drawn by then is reported as not rendered (NaN)
SIGNED_IN_AS = "analyst"  # may open every page (public < donor < analyst)
STATIC_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title>
</head><body><div id="page-content"><div>static page</div></div></body></html>"""
# The same page once a plotly.js file has been loaded and run: with the file dcc.Graph loads,
# the floor of any page drawing a Plotly graph in a fresh browser.
PLOTLY_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title>
</head><body><script src="{src}"></script>
<div id="page-content"><div>static page with plotly.js</div></div></body></html>"""
# The plotly.js bundles a page requested (resource timing), read when it is drawn.
PLOTLY_FILES_JS = ("return performance.getEntriesByType('resource').map(e => e.name)"
                   ".filter(n => /plotly[^/]*\\.min\\.js/.test(n)).map(n => new URL(n).pathname);")
CALLBACK_NAMES = {"header.children": "render_header", "banners.children": "render_shell",
                  "page-content.children": "render_content", "url.search": "sync_url",
                  "download.data": "download (initial call, PreventUpdate)"}


@dataclass(frozen=True)
class Captured:
    page: str
    callback: str
    body: bytes
    path: str = "/_dash-update-component"


@dataclass(frozen=True)
class PageLoad:
    page: str
    cold_content: float
    cold_ready: float
    warm_content: float
    warm_ready: float
    graphs: int
    # the renderer's main thread busy (ms of Chromium's TaskDuration for the document, read
    # when it is drawn): the browser's CPU for the page, much less sensitive to machine load
    # than the wall-clock figures
    cold_cpu: float = float("nan")
    warm_cpu: float = float("nan")
    plotly_files: tuple[str, ...] = ()  # plotly.js files the cold load requested


@dataclass(frozen=True)
class Timing:
    label: str
    first: float | None
    p50: float
    p95: float
    n: int


# --- server ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fixture_data_dir() -> Path:
    from bench.fixtures.release import write_release_fixture

    data = Path(tempfile.mkdtemp(prefix="bench_dashboard_")) / "data"
    write_release_fixture(data / "serving")
    return data


@dataclass(frozen=True)
class Credentials:
    """The test user the bench signs in as, and the server settings that make it work."""

    username: str
    password: str
    env: dict[str, str]


def bench_credentials(role: str = SIGNED_IN_AS) -> Credentials:
    """Write the test users (bench/fixtures/users.py) into a new temporary folder;
    the server reads them through OBS_USERS_FILE. One session key for every server and
    worker of the run; the session cookie is not Secure (plain HTTP on loopback)."""
    import secrets

    from bench.fixtures.users import PASSWORDS, USER_OF_ROLE, write_test_users

    folder = Path(tempfile.mkdtemp(prefix="bench_dashboard_users_"))
    users = write_test_users(folder)
    name = USER_OF_ROLE[role]
    return Credentials(name, PASSWORDS[name], {
        "OBS_USERS_FILE": str(users), "OBS_SECRET_KEY": secrets.token_urlsafe(32),
        "OBS_COOKIE_SECURE": "0"})


@contextmanager
def server(data_dir: Path, threads: int, extra_env: dict[str, str] | None = None,
           app: str | None = None) -> Iterator[str]:
    """``observatory serve`` (or waitress serving ``app``) in its own process group; yields
    the URL."""
    port = free_port()
    env = {**os.environ, "OBS_DATA_DIR": str(data_dir.resolve()), **(extra_env or {})}
    env.pop("OBS_DEV", None)
    log = open(Path(tempfile.gettempdir()) / f"bench_dashboard_{port}.log", "wb")  # noqa: SIM115
    bin_dir = Path(sys.executable).parent
    command = ([str(bin_dir / "waitress-serve"), f"--listen=127.0.0.1:{port}",
                f"--threads={threads}", app] if app else
               [str(bin_dir / "observatory"), "serve", "--host", "127.0.0.1",
                "--port", str(port), "--threads", str(threads)])
    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        wait_healthy("127.0.0.1", port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        log.close()


def wait_healthy(host: str, port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                return
            if response.status == 503:
                raise RuntimeError("server up but no usable release (503 on /healthz)")
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not become healthy")


# --- browser --------------------------------------------------------------------------------

def chromium() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(30)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE_JS})
    driver.execute_cdp_cmd("Performance.enable", {"timeDomain": "threadTicks"})
    return driver


def main_thread_ms(driver: Any) -> float:
    """Milliseconds the current document's main thread has been busy (CDP Performance
    metrics are per document: they start again at each navigation)."""
    metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
    return 1000 * next((m["value"] for m in metrics if m["name"] == "TaskDuration"),
                       float("nan"))


def load_page(driver: Any, url: str, timeout: float = 30) -> dict[str, Any]:
    driver.get(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            probe = driver.execute_script("return window.__bench")
        except Exception:  # noqa: BLE001 - a renderer busy past the script timeout
            probe = None
        if probe and probe.get("ready") is not None:
            return {**probe, "cpu": main_thread_ms(driver),
                    "plotly_files": tuple(driver.execute_script(PLOTLY_FILES_JS))}
        time.sleep(0.02)
    raise RuntimeError(f"{url}: page not rendered within {timeout} s")


def captured_payloads(driver: Any, page: str) -> list[Captured]:
    out = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") != "Network.requestWillBeSent":
            continue
        request = message["params"]["request"]
        url = urlsplit(request["url"])
        if url.path != "/_dash-update-component" or "postData" not in request:
            continue
        body = request["postData"]
        output = json.loads(body).get("output", "")
        name = next((n for key, n in CALLBACK_NAMES.items() if key in output), output[:40])
        path = url.path + (f"?{url.query}" if url.query else "")
        out.append(Captured(page=page, callback=name, body=body.encode(), path=path))
    return out


def browser_sign_in(driver: Any, base: str, credentials: Credentials) -> None:
    """Sign in through the login form (next = /healthz, so no Dash page is cached yet)."""
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/login?" + urlencode({"lang": "en", "next": "/healthz"}))
    driver.find_element(By.ID, "username").send_keys(credentials.username)
    driver.find_element(By.ID, "password").send_keys(credentials.password)
    driver.find_element(By.CSS_SELECTOR, "form.auth-form button[type=submit]").click()
    deadline = time.monotonic() + 15
    while urlsplit(driver.current_url).path != "/healthz":
        if time.monotonic() > deadline:
            raise RuntimeError("browser sign-in failed / falha ao entrar no navegador")
        time.sleep(0.05)
    driver.get_log("performance")


def signed_in(driver: Any) -> bool:
    return bool(driver.execute_script("return document.getElementById('signed-in') !== null"))


def browse(base: str, pages: tuple[str, ...], repeats: int,
           credentials: Credentials | None = None) -> tuple[list[PageLoad], list[Captured],
                                                            list]:
    """Cold then warm page loads (signed in when ``credentials``), and the callback payloads
    each page sent."""
    driver = chromium()
    loads, payloads, console = [], [], []
    try:
        if credentials is not None:
            browser_sign_in(driver, base, credentials)
        for page in pages:
            url = base + page
            try:
                cold = load_page(driver, url, timeout=PAGE_TIMEOUT)
            except Exception:  # noqa: BLE001 - not drawn in time (reported as NaN)
                loads.append(PageLoad(page, *([float("nan")] * 4), graphs=-1))
                payloads += captured_payloads(driver, page)
                continue
            if credentials is not None and not signed_in(driver):
                raise RuntimeError(f"{page}: not signed in / sessão não iniciada")
            payloads += captured_payloads(driver, page)
            try:
                warm = [load_page(driver, url, timeout=PAGE_TIMEOUT) for _ in range(repeats)]
            except Exception:  # noqa: BLE001 - not drawn in time (reported as NaN)
                warm = [{"content": float("nan"), "ready": float("nan"), "cpu": float("nan")}]
            driver.get_log("performance")
            loads.append(PageLoad(
                page=page, cold_content=cold["content"], cold_ready=cold["ready"],
                warm_content=statistics.median(w["content"] for w in warm),
                warm_ready=statistics.median(w["ready"] for w in warm), graphs=cold["graphs"],
                cold_cpu=cold["cpu"], warm_cpu=statistics.median(w["cpu"] for w in warm),
                plotly_files=cold["plotly_files"]))
        console = driver.get_log("browser")
    finally:
        driver.quit()
    return loads, payloads, console


@contextmanager
def static_site() -> Iterator[str]:
    """Static HTML pages on a loopback HTTP server (the page-load floors): ``index.html``,
    ``plotly.html`` that loads the plotly.js dcc.Graph loads (the vendored bundle), and
    ``plotly-full.html`` that loads Dash's full plotly.min.js."""
    import shutil

    import plotly

    from dashboards.components import ASSETS_DIR, PLOTLY_BUNDLE

    folder = Path(tempfile.mkdtemp(prefix="bench_static_"))
    (folder / "index.html").write_text(STATIC_PAGE, encoding="utf-8")
    for page, source in (("plotly.html", ASSETS_DIR / PLOTLY_BUNDLE),
                         ("plotly-full.html",
                          Path(plotly.__file__).parent / "package_data" / "plotly.min.js")):
        (folder / page).write_text(PLOTLY_PAGE.format(src=source.name), encoding="utf-8")
        shutil.copyfile(source, folder / source.name)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    finally:
        httpd.shutdown()
        httpd.server_close()


def static_page_load(repeats: int, name: str = "index.html",
                     label: str = "static HTML page") -> PageLoad:
    """Cold (fresh browser) and warm loads of a static page: the page-load floor."""
    with static_site() as url:
        driver = chromium()
        try:
            url = url.rsplit("/", 1)[0] + "/" + name
            cold = load_page(driver, url, timeout=PAGE_TIMEOUT)
            warm = [load_page(driver, url, timeout=PAGE_TIMEOUT)
                    for _ in range(max(1, repeats))]
        finally:
            driver.quit()
    return PageLoad(page=label, cold_content=cold["content"],
                    cold_ready=cold["ready"],
                    warm_content=statistics.median(w["content"] for w in warm),
                    warm_ready=statistics.median(w["ready"] for w in warm), graphs=0,
                    cold_cpu=cold["cpu"], warm_cpu=statistics.median(w["cpu"] for w in warm))


# --- HTTP timing ----------------------------------------------------------------------------

def _request(conn: http.client.HTTPConnection, method: str, path: str,
             body: bytes | None, cookie: str | None = None) -> float:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if cookie:
        headers["Cookie"] = cookie
    start = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status not in (200, 204):
        raise RuntimeError(f"{method} {path}: HTTP {response.status} {payload[:200]!r}")
    return elapsed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def http_sign_in(base: str, credentials: Credentials) -> str:
    """Sign in through the login form over HTTP; returns the session cookie ("name=value")."""
    import re

    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("GET", "/login?lang=en")
        response = conn.getresponse()
        page = response.read().decode("utf-8")
        cookie = (response.getheader("Set-Cookie") or "").split(";", 1)[0]
        match = re.search(r'name="csrf" value="([^"]+)"', page)
        if not match or not cookie:
            raise RuntimeError("no CSRF token or session cookie on /login")
        form = urlencode({"csrf": match.group(1), "username": credentials.username,
                          "password": credentials.password, "next": "/", "lang": "en"})
        conn.request("POST", "/login", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        response = conn.getresponse()
        response.read()
        if response.status != 303:
            raise RuntimeError(f"sign-in refused: HTTP {response.status}")
        return (response.getheader("Set-Cookie") or "").split(";", 1)[0]
    finally:
        conn.close()


def measure(base: str, label: str, method: str, path: str, body: bytes | None,
            warmup: int, n: int, cookie: str | None = None) -> Timing:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        first = _request(conn, method, path, body, cookie)
        for _ in range(warmup):
            _request(conn, method, path, body, cookie)
        times = [_request(conn, method, path, body, cookie) for _ in range(n)]
    finally:
        conn.close()
    return Timing(label=label, first=first, p50=percentile(times, 50),
                  p95=percentile(times, 95), n=n)


def unique(payloads: list[Captured]) -> list[Captured]:
    seen, out = set(), []
    for item in payloads:
        key = (item.page, item.callback)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


# --- report ---------------------------------------------------------------------------------

def print_callbacks(floors: list[Timing], timings: list[Timing]) -> None:
    floor = next(f for f in floors if "_dash-layout" in f.label).p50
    print(f"\nCallbacks through waitress (ms; first = uncached call on a fresh process; "
          f"p50/p95 over n calls after warm-up; ratio = p50 / floor {floor:.2f} ms)")
    print(f"{'request':<52}{'first':>9}{'p50':>9}{'p95':>9}{'n':>5}{'ratio':>8}")
    for row in [*floors, *timings]:
        first = f"{row.first:9.1f}" if row.first is not None else f"{'':>9}"
        print(f"{row.label:<52}{first}{row.p50:9.2f}{row.p95:9.2f}{row.n:5d}"
              f"{row.p50 / floor:7.1f}x")


def print_loads(loads: list[PageLoad], repeats: int) -> None:
    print(f"\nFirst page load in headless Chromium (ms from navigation start; cold = fresh "
          f"server and browser profile for the first page, fresh server caches for each page; "
          f"warm = median of {repeats} reloads)")
    print("(cpu = the page's main thread busy until drawn, ms: less sensitive to machine load)")
    print(f"{'page':<26}{'graphs':>7}{'content cold':>14}{'drawn cold':>12}{'cpu cold':>10}"
          f"{'content warm':>14}{'drawn warm':>12}{'cpu warm':>10}")
    for row in loads:
        print(f"{row.page:<26}{row.graphs:7d}{row.cold_content:14.0f}{row.cold_ready:12.0f}"
              f"{row.cold_cpu:10.0f}{row.warm_content:14.0f}{row.warm_ready:12.0f}"
              f"{row.warm_cpu:10.0f}")
    for row in loads:
        if row.plotly_files:
            print(f"{row.page} requested plotly.js: {', '.join(row.plotly_files)}")


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"


EMPTY_CALLBACK = json.dumps({
    "output": "out.children", "outputs": {"id": "out", "property": "children"},
    "inputs": [{"id": "in", "property": "value", "value": "x"}],
    "changedPropIds": ["in.value"], "state": []}).encode()


def run_dashboard(data_dir: Path, requests: int = 50, warmup: int = 5, reloads: int = 3,
                  threads: int = 8, browser: bool = True) -> dict[str, Any]:
    """Every measurement of this benchmark, signed in as the analyst test user.

    Returns ``{"loads": [PageLoad], "static": PageLoad | None, "plotly": PageLoad | None,
    "plotly_full": PageLoad | None, "floors": [Timing], "timings": [Timing],
    "console": [...]}``."""
    import shutil

    credentials = bench_credentials()
    try:
        static = plotly_floor = plotly_full = None
        if browser:
            with server(data_dir, threads, credentials.env) as base:
                loads, payloads, console = browse(base, PAGES, reloads, credentials)
            static = static_page_load(reloads)
            plotly_floor = static_page_load(reloads, "plotly.html", "static page + plotly.js")
            plotly_full = static_page_load(reloads, "plotly-full.html",
                                           "static + full plotly.js")
        else:
            loads, console = [], []
            payloads = [Captured(page, "render_content", synthetic_payload(page)) for page in PAGES]
        with server(data_dir, threads, credentials.env) as base:
            cookie = http_sign_in(base, credentials)
            check_signed_in(base, cookie)
            floors = [measure(base, "floor GET /healthz", "GET", "/healthz", None,
                              warmup, requests),
                      measure(base, "floor GET /_dash-layout", "GET", "/_dash-layout", None,
                              warmup, requests)]
            timings = [measure(base, f"{c.page} {c.callback}", "POST", c.path, c.body,
                               warmup, requests, cookie) for c in unique(payloads)]
        with server(data_dir, threads, app="bench.empty_app:server") as base:
            floors.append(measure(base, "floor empty Dash callback", "POST",
                                  "/_dash-update-component", EMPTY_CALLBACK, warmup, requests))
    finally:
        shutil.rmtree(Path(credentials.env["OBS_USERS_FILE"]).parent, ignore_errors=True)
    return {"loads": loads, "static": static, "plotly": plotly_floor,
            "plotly_full": plotly_full, "floors": floors, "timings": timings,
            "console": console}


def check_signed_in(base: str, cookie: str) -> None:
    """The analyst pages render content, not the sign-in prompt, with this cookie."""
    host, port = base.removeprefix("http://").split(":")
    for page in ("/results", "/quality"):
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        conn.request("POST", "/_dash-update-component", body=synthetic_payload(page),
                     headers={"Content-Type": "application/json", "Cookie": cookie})
        text = conn.getresponse().read().decode("utf-8", "replace")
        conn.close()
        if "/login?" in text:
            raise RuntimeError(f"{page}: rendered the sign-in prompt (not signed in)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="existing OBS_DATA_DIR with serving/CURRENT (default: fixture)")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--reloads", type=int, default=3, help="warm page loads per page")
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    parser.add_argument("--no-browser", action="store_true",
                        help="skip Chromium (callbacks then use only render_content payloads "
                        "built from the page URLs)")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or fixture_data_dir()
    print(f"machine: {machine()}")
    print(f"release: {data_dir / 'serving'} "
          f"({(data_dir / 'serving' / 'CURRENT').read_text().strip()}); signed in as the "
          f"{SIGNED_IN_AS} test user")
    result = run_dashboard(data_dir, args.requests, args.warmup, args.reloads, args.threads,
                           browser=not args.no_browser)
    loads, console = result["loads"], result["console"]
    print_callbacks(result["floors"], result["timings"])
    if loads:
        print_loads([*loads, result["static"], result["plotly"], result["plotly_full"]],
                    args.reloads)
    severe = [entry for entry in console if entry.get("level") == "SEVERE"]
    if loads:
        print(f"\nbrowser console: {len(severe)} errors, {len(console) - len(severe)} other "
              "entries")
        for entry in severe[:10]:
            print(f"  {entry.get('message', '')[:200]}")
    return 0


def synthetic_payload(page: str) -> bytes:
    """The render_content request Dash sends for ``page`` (used with --no-browser)."""
    from bench.fixtures.callbacks import content_body

    return json.dumps({**content_body(page, ""), "changedPropIds": [
        "url.pathname", "url.search"]}).encode()


if __name__ == "__main__":
    raise SystemExit(main())
