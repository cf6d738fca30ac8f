"""From an empty data folder to a working dashboard, the way a newcomer meets it.

``observatory demo`` (its own code path: sample, ingest, full refresh, then the production
server started as a fresh process) runs on a small sample (``--until 2021-12``, one year)
and a free loopback port. Then:

* the server is a separate, freshly started ``observatory serve`` process (never a fork of
  the process that ran the pipeline);
* several concurrent clients drive every page's callbacks and every one answers;
* headless Chromium opens every page in both languages as each role (public, donor,
  analyst) and checks what the page shows: its title, its content or the sign-in notice,
  the release in the footer, the language of the document;
* SIGTERM to the demo stops it and its server, although the demo was started with SIGINT
  and SIGTERM ignored (as a background job may be).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from contextlib import suppress
from pathlib import Path

import pytest
import requests

from bench.fixtures.callbacks import content_body, shell_body
from bench.fixtures.users import PASSWORDS, USER_OF_ROLE, write_test_users
from dashboards.pages import PAGES
from indicators.i18n import t
from indicators.users import role_allows
from tests.security.live_server import ROOT, free_port, wait_until_up

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROLES = ("public", "donor", "analyst")
LANGS = ("pt", "en")
# What each page shows when it may be opened (CSS selector inside #page-content).
CONTENT = {"/": ".dash-graph, table", "/map": "#map-graph svg", "/trends": ".dash-graph",
           "/results": "table", "/quality": "table.grid", "/methodology": "h2"}


def _as_a_background_job() -> None:
    """Started like `make demo &` from a script: SIGINT (and here SIGTERM) ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("demo") / "data"  # empty: the demo makes everything
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBS_")}
    env["OBS_DATA_DIR"] = str(data)
    log = open(data.parent / "demo.log", "w+")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "observatory.cli", "demo", "--until", "2021-12",
         "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True, preexec_fn=_as_a_background_job)
    try:
        try:
            wait_until_up(port, proc, seconds=600)
        except AssertionError:
            log.seek(0)
            raise AssertionError(log.read()[-4000:]) from None
        write_test_users(data)  # the server re-reads the users file when it changes
        yield {"port": port, "proc": proc, "data": data, "base": f"http://127.0.0.1:{port}"}
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        log.close()


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


def test_the_server_is_a_fresh_observatory_serve_process(demo):
    children = _children(demo["proc"].pid)
    assert len(children) == 1
    argv = Path(f"/proc/{children[0]}/cmdline").read_bytes().split(b"\0")
    assert argv[1:4] == [b"-m", b"observatory.cli", b"serve"]
    assert Path(f"/proc/{children[0]}/exe").resolve() == Path(sys.executable).resolve()
    assert _children(children[0]) == []  # waitress: no worker processes forked


def _session(base: str, role: str) -> requests.Session:
    session = requests.Session()
    if role == "public":
        return session
    name = USER_OF_ROLE[role]
    form = session.get(f"{base}/login?lang=en", timeout=30).text
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    done = session.post(f"{base}/login", timeout=30, allow_redirects=False, data={
        "csrf": token, "username": name, "password": PASSWORDS[name], "next": "/",
        "lang": "en"})
    assert done.status_code == 303, done.status_code
    return session


def test_concurrent_clients_get_an_answer_to_every_callback(demo):
    base, failures, answered = demo["base"], [], []
    lock = threading.Lock()

    def client(role: str) -> None:
        session = _session(base, role)
        for _ in range(2):
            for page in PAGES:
                for lang in LANGS:
                    for body in (shell_body(page.PATH, f"?lang={lang}"),
                                 content_body(page.PATH, f"?lang={lang}")):
                        try:
                            response = session.post(f"{base}/_dash-update-component",
                                                    json=body, timeout=60)
                            ok = response.status_code in (200, 204) and (
                                response.status_code == 204 or "response" in response.json())
                        except (requests.RequestException, ValueError) as error:
                            ok, response = False, error
                        with lock:
                            (answered if ok else failures).append((role, page.PATH, lang,
                                                                   str(response)))

    threads = [threading.Thread(target=client, args=(role,))
               for role in ("public", "donor", "analyst", "analyst")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert failures == []
    assert len(answered) == 4 * 2 * len(PAGES) * len(LANGS) * 2
    assert requests.get(f"{base}/healthz", timeout=10).status_code == 200


def _sign_in(driver, base: str, role: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.delete_all_cookies()
    if role == "public":
        return
    name = USER_OF_ROLE[role]
    driver.get(f"{base}/login?lang=en&next=/methodology")
    driver.find_element(By.ID, "username").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORDS[name])
    driver.find_element(By.CSS_SELECTOR, "form.auth-form button[type=submit]").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "signed-in"))


def _check_page(driver, base: str, role: str, page, lang: str, release_id: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    allowed = role_allows(role, page.AUDIENCE)
    driver.get(f"{base}{page.PATH}?lang={lang}")
    wait = WebDriverWait(driver, 60)
    where = f"{role} {page.PATH} {lang}"
    if allowed:
        title = t(page.TITLE_KEY, lang)
        wait.until(lambda d: d.find_element(By.ID, "page-title").text == title, where)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR,
                                             f"#page-content {CONTENT[page.PATH]}"),
                   f"{where}: no {CONTENT[page.PATH]} in "
                   f"{driver.find_element(By.ID, 'page-content').text[:300]!r}")
        assert not driver.find_elements(By.ID, "denied")
        wait.until(lambda d: release_id in d.find_element(By.ID, "release-id").text, where)
        assert driver.find_elements(By.ID, "synthetic-banner"), where
    else:
        wait.until(lambda d: d.find_elements(By.ID, "denied"), where)
        expected = "auth.required_title" if role == "public" else "auth.forbidden_title"
        assert driver.find_element(By.ID, "page-title").text == t(expected, lang), where
        assert not driver.find_elements(By.CSS_SELECTOR, "#page-content table")
    assert driver.execute_script("return document.documentElement.lang") == lang
    signed = driver.find_elements(By.ID, "signed-in")
    assert bool(signed) == (role != "public")


def test_every_page_in_both_languages_as_each_role_in_chromium(demo, dash_duo):
    driver, base = dash_duo.driver, demo["base"]
    release_id = (demo["data"] / "serving" / "CURRENT").read_text().strip().removesuffix(
        ".duckdb")
    seen = []
    for role in ROLES:
        _sign_in(driver, base, role)
        for page in PAGES:
            for lang in LANGS:
                _check_page(driver, base, role, page, lang, release_id)
                seen.append((role, page.PATH, lang))
    assert len(seen) == len(ROLES) * len(PAGES) * len(LANGS)
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, json.dumps(severe, indent=1)[:2000]


def test_sigterm_to_the_demo_stops_it_and_its_server(demo):
    """Runs last in this module: stopping the demo (only its own pid) ends the server too."""
    proc = demo["proc"]
    server = _children(proc.pid)
    assert len(server) == 1
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=40) == 0
    assert not Path(f"/proc/{server[0]}").exists() or \
        Path(f"/proc/{server[0]}/stat").read_text().split()[2] == "Z"
