"""Dashboard speed through the production server (gunicorn), loopback only.

1. A release: by default the dashboard tests' fixture (``write_release_fixture``) written into
   a temporary OBS_DATA_DIR; ``--data-dir data`` uses an existing data folder (``make demo``).
2. ``observatory serve`` (gunicorn) on 127.0.0.1 and a free port, in its own process group,
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

Run: .venv/bin/python bench/bench_dashboard.py [--data-dir DIR] [--requests 50] [--warmup 5]
     [--workers 1] [--no-browser]
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
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ("/", "/map", "/trends", "/results", "/quality", "/methodology")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic", "--window-size=1280,1000")
# Installed before any page script runs: records when the page content appears and when every
# graph in it has been drawn (performance.now() is measured from navigation start).
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
    if (b.ready === null) { b.ready = performance.now(); b.graphs = graphs.length; }
  }
  new MutationObserver(check).observe(document, {childList: true, subtree: true});
})();
"""
CALLBACK_NAMES = {"header.children": "render_header", "banners.children": "render_shell",
                  "page-content.children": "render_content", "url.search": "sync_url",
                  "download.data": "download (initial call, PreventUpdate)",
                  '"name":"district","type":"ctl"}.value': "map_click"}


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
    from tests.dashboards.release_fixture import write_release_fixture

    data = Path(tempfile.mkdtemp(prefix="bench_dashboard_")) / "data"
    write_release_fixture(data / "serving")
    return data


@contextmanager
def server(data_dir: Path, workers: int) -> Iterator[str]:
    """``observatory serve`` in its own process group; yields the base URL."""
    port = free_port()
    env = {**os.environ, "OBS_DATA_DIR": str(data_dir.resolve())}
    env.pop("OBS_DEV", None)
    log = open(Path(tempfile.gettempdir()) / f"bench_dashboard_{port}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "observatory"), "serve", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers)],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
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


def wait_healthy(host: str, port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
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
    return driver


def load_page(driver: Any, url: str, timeout: float = 30) -> dict[str, Any]:
    driver.get(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        probe = driver.execute_script("return window.__bench")
        if probe and probe.get("ready") is not None:
            return probe
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


def browse(base: str, pages: tuple[str, ...], repeats: int) -> tuple[list[PageLoad],
                                                                    list[Captured], list]:
    """Cold then warm page loads, and the callback payloads each page sent."""
    driver = chromium()
    loads, payloads, console = [], [], []
    try:
        for page in pages:
            url = base + page
            cold = load_page(driver, url)
            payloads += captured_payloads(driver, page)
            warm = [load_page(driver, url) for _ in range(repeats)]
            driver.get_log("performance")
            loads.append(PageLoad(
                page=page, cold_content=cold["content"], cold_ready=cold["ready"],
                warm_content=statistics.median(w["content"] for w in warm),
                warm_ready=statistics.median(w["ready"] for w in warm), graphs=cold["graphs"]))
        console = driver.get_log("browser")
    finally:
        driver.quit()
    return loads, payloads, console


# --- HTTP timing ----------------------------------------------------------------------------

def _request(conn: http.client.HTTPConnection, method: str, path: str,
             body: bytes | None) -> float:
    headers = {"Content-Type": "application/json"} if body is not None else {}
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


def measure(base: str, label: str, method: str, path: str, body: bytes | None,
            warmup: int, n: int) -> Timing:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        first = _request(conn, method, path, body)
        for _ in range(warmup):
            _request(conn, method, path, body)
        times = [_request(conn, method, path, body) for _ in range(n)]
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
    print(f"\nCallbacks through gunicorn (ms; first = uncached call on a fresh process; "
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
    print(f"{'page':<14}{'graphs':>7}{'content cold':>14}{'drawn cold':>12}"
          f"{'content warm':>14}{'drawn warm':>12}")
    for row in loads:
        print(f"{row.page:<14}{row.graphs:7d}{row.cold_content:14.0f}{row.cold_ready:12.0f}"
              f"{row.warm_content:14.0f}{row.warm_ready:12.0f}")


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="existing OBS_DATA_DIR with serving/CURRENT (default: fixture)")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--reloads", type=int, default=3, help="warm page loads per page")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers")
    parser.add_argument("--no-browser", action="store_true",
                        help="skip Chromium (callbacks then use only render_content payloads "
                        "built from the page URLs)")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or fixture_data_dir()
    print(f"machine: {machine()}")
    print(f"release: {data_dir / 'serving'} "
          f"({(data_dir / 'serving' / 'CURRENT').read_text().strip()})")

    if args.no_browser:
        loads, console = [], []
        payloads = [Captured(page, "render_content", synthetic_payload(page)) for page in PAGES]
    else:
        with server(data_dir, args.workers) as base:
            loads, payloads, console = browse(base, PAGES, args.reloads)
    with server(data_dir, args.workers) as base:
        floors = [measure(base, "floor GET /healthz", "GET", "/healthz", None,
                          args.warmup, args.requests),
                  measure(base, "floor GET /_dash-layout", "GET", "/_dash-layout", None,
                          args.warmup, args.requests)]
        timings = [measure(base, f"{c.page} {c.callback}", "POST", c.path, c.body,
                           args.warmup, args.requests) for c in unique(payloads)]
    print_callbacks(floors, timings)
    if loads:
        print_loads(loads, args.reloads)
    severe = [entry for entry in console if entry.get("level") == "SEVERE"]
    if loads:
        print(f"\nbrowser console: {len(severe)} errors, {len(console) - len(severe)} other "
              "entries (software-WebGL warnings of the map in headless Chromium)")
        for entry in severe[:10]:
            print(f"  {entry.get('message', '')[:200]}")
    return 0


def synthetic_payload(page: str) -> bytes:
    """The render_content request Dash sends for ``page`` (used with --no-browser)."""
    return json.dumps({
        "output": "page-content.children", "outputs": {"id": "page-content",
                                                       "property": "children"},
        "inputs": [{"id": "url", "property": "pathname", "value": page},
                   {"id": "url", "property": "search", "value": ""}],
        "changedPropIds": ["url.pathname", "url.search"], "parsedChangedPropsIds":
        ["url.pathname", "url.search"], "state": []}).encode()


if __name__ == "__main__":
    raise SystemExit(main())
