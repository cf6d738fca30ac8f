"""Sessions are server-side: a cookie copied before signing out, or before the user was
removed, opens nothing afterwards; signing in issues a new session id; concurrent bursts of
wrong passwords never get more guesses than the limit."""

from __future__ import annotations

import threading

from bench.fixtures.users import (
    PASSWORDS,
    csrf_of,
    login_users,
    post_login,
    write_test_users,
)
from indicators.users import save_users
from tests.security.conftest import make_access

DONOR_ROUTE = "/report/results?lang=en&rperiod=2023"


def _session_cookie(client) -> str:
    cookie = client.get_cookie("otsh_session")
    assert cookie is not None, "no session cookie"
    return cookie.value


def _replay(app, value: str):
    """A fresh client (another browser) that sends only the copied cookie."""
    thief = app.server.test_client()
    thief.set_cookie("otsh_session", value)
    return thief.get(DONOR_ROUTE)


def _signed_in(app):
    client = app.server.test_client()
    assert post_login(client, "dora", PASSWORDS["dora"]).status_code == 303
    return client


def test_copied_cookie_opens_donor_content_before_sign_out(app):
    client = _signed_in(app)
    response = _replay(app, _session_cookie(client))
    assert response.status_code == 200  # the replay itself works while the session lives


def test_copied_cookie_is_worthless_after_sign_out(app):
    client = _signed_in(app)
    copied = _session_cookie(client)
    page = client.get("/login?lang=en")  # any page carrying the sign-out form's token
    token = csrf_of(page.get_data(as_text=True))
    out = client.post("/logout", data={"csrf": token, "lang": "en"})
    assert out.status_code == 303
    response = _replay(app, copied)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get(DONOR_ROUTE).status_code == 302  # the signed-out browser too


def test_copied_cookie_is_worthless_after_the_user_is_removed(app, settings):
    client = _signed_in(app)
    copied = _session_cookie(client)
    users = login_users()
    del users["dora"]
    save_users(users, settings.data_dir / "users.json")
    response = _replay(app, copied)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_signing_in_issues_a_new_session_id(app):
    client = app.server.test_client()
    client.get("/login?lang=en")
    before = _session_cookie(client)  # the pre-login session (CSRF token of the form)
    token = csrf_of(client.get("/login?lang=en").get_data(as_text=True))
    client.post("/login", data={"csrf": token, "username": "dora",
                                "password": PASSWORDS["dora"], "next": "/", "lang": "en"})
    after = _session_cookie(client)
    assert after != before
    assert _replay(app, before).status_code == 302  # the pre-login id grants nothing


def test_sessions_live_in_files_under_the_data_folder(settings, store):
    from dashboards.app import create_app

    write_test_users(settings.data_dir)
    folder = settings.data_dir / "sessions"
    app = create_app(settings, store, make_access(settings, session_dir=folder))
    client = app.server.test_client()
    assert post_login(client, "dora", PASSWORDS["dora"]).status_code == 303
    files = [p for p in folder.iterdir() if p.is_file()]
    assert files and all(p.stat().st_mode & 0o077 == 0 for p in files)
    assert PASSWORDS["dora"] not in "".join(p.read_bytes().decode("latin-1") for p in files)
    assert _replay(app, _session_cookie(client)).status_code == 200


def test_a_concurrent_burst_of_wrong_passwords_gets_no_more_than_the_limit(app):
    limit = app.server.extensions["obs_access"].limiter.max_failures
    burst = 4 * limit
    clients = [app.server.test_client() for _ in range(burst)]
    tokens = [csrf_of(c.get("/login?lang=en").get_data(as_text=True)) for c in clients]
    start = threading.Barrier(burst)
    codes: list[int] = []

    def guess(client, token: str) -> None:
        start.wait()
        response = client.post("/login", data={"csrf": token, "username": "dora",
                                               "password": "wrong-password-000", "next": "/",
                                               "lang": "en"})
        codes.append(response.status_code)

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens,
                                                                         strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(codes) == burst
    assert codes.count(401) == limit  # password checked: exactly the limit
    assert codes.count(429) == burst - limit
