"""Login, logout, session cookie, CSRF, rate limiting and no user enumeration."""

from __future__ import annotations

import json

import pytest

from bench.fixtures.callbacks import header_body, post
from bench.fixtures.users import PASSWORDS, post_login, write_test_users
from dashboards import access
from dashboards.access import LoginLimiter, access_config, safe_next
from indicators import users as users_module
from tests.security.conftest import make_access


def _header_text(client) -> str:
    return json.dumps(post(client, header_body("/")).get_json(), ensure_ascii=False)


def _find_prop(tree, component_id: str, prop: str):
    """The property of the component with ``component_id`` in a callback's JSON."""
    if isinstance(tree, dict):
        if tree.get("props", {}).get("id") == component_id:
            return tree["props"][prop]
        children = list(tree.values())
    elif isinstance(tree, list):
        children = tree
    else:
        return None
    for child in children:
        found = _find_prop(child, component_id, prop)
        if found is not None:
            return found
    return None


def test_session_cookie_is_secure_httponly_samesite_strict(client):
    cookie = client.get("/login").headers["Set-Cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"secure", "httponly"} <= attributes
    assert "SameSite=Strict" in cookie
    response = post_login(client, "ana", PASSWORDS["ana"])
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Expires=" in cookie  # the session ends (OBS_SESSION_HOURS)


def test_login_page_is_bilingual(client):
    assert "Palavra-passe" in client.get("/login").get_data(as_text=True)
    english = client.get("/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Password" in english


def test_successful_login_redirects_and_shows_the_user(client):
    assert "Signed in as" not in _header_text(client)
    response = post_login(client, "ana", PASSWORDS["ana"], next_path="/quality")
    assert response.status_code == 303
    assert response.headers["Location"] == "/quality?lang=en"
    header = _header_text(client)
    assert "Signed in as ana (analyst)" in header and "/logout" in header


def test_wrong_password_and_unknown_user_get_the_same_answer(client, monkeypatch):
    verified = []
    real = users_module._hasher

    class Counting:
        def verify(self, hash_, password):
            verified.append(hash_)
            return real.verify(hash_, password)

    monkeypatch.setattr(users_module, "_hasher", Counting())
    wrong = post_login(client, "ana", "not-the-password", remote_addr="10.0.0.1")
    unknown = post_login(client, "nobody", "not-the-password", remote_addr="10.0.0.2")
    assert wrong.status_code == unknown.status_code == 401
    message = "Incorrect user name or password."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    # Same work: one argon2 verification each (a dummy hash for the unknown user).
    assert len(verified) == 2 and verified[0] != verified[1]
    assert "Signed in" not in _header_text(client)


def test_login_without_the_form_token_is_refused(client):
    response = client.post("/login", data={"username": "ana", "password": PASSWORDS["ana"]})
    assert response.status_code == 400
    assert "Signed in" not in _header_text(client)


def test_five_failures_per_user_name_then_429_even_from_other_addresses(client):
    for i in range(5):
        assert post_login(client, "ana", "wrong", remote_addr=f"10.0.1.{i}").status_code == 401
    blocked = post_login(client, "ana", PASSWORDS["ana"], remote_addr="10.0.1.99")
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert "Too many failed attempts" in blocked.get_data(as_text=True)
    assert "Signed in" not in _header_text(client)
    # Another account from a fresh address is not affected.
    assert post_login(client, "dora", PASSWORDS["dora"], remote_addr="10.0.1.100"
                      ).status_code == 303


def test_five_failures_per_address_then_429_for_any_user_name(client):
    for i in range(5):
        assert post_login(client, f"user{i}", "wrong", remote_addr="10.0.2.1").status_code == 401
    response = post_login(client, "dora", PASSWORDS["dora"], remote_addr="10.0.2.1")
    assert response.status_code == 429
    # Portuguese message too
    page = post_login(client, "dora", PASSWORDS["dora"], lang="pt", remote_addr="10.0.2.1")
    assert "Demasiadas tentativas falhadas" in page.get_data(as_text=True)


def test_unknown_user_names_are_limited_like_known_ones(client):
    for _ in range(5):
        post_login(client, "ghost", "wrong", remote_addr="10.0.3.1")
    assert post_login(client, "ghost", "wrong", remote_addr="10.0.3.2").status_code == 429


def test_limiter_window_slides():
    now = [1000.0]
    limiter = LoginLimiter(max_failures=2, window_seconds=60, clock=lambda: now[0])
    limiter.failed("a")
    now[0] += 30
    limiter.failed("a")
    assert limiter.retry_after("a") == 31  # the first failure leaves the window at 1060
    now[0] += 31
    assert limiter.retry_after("a") == 0
    limiter.failed("a")
    assert limiter.retry_after("a") > 0
    limiter.clear("a")
    assert limiter.retry_after("a") == 0


def test_limiter_memory_is_bounded():
    limiter = LoginLimiter(max_failures=1, window_seconds=60, max_keys=3)
    for key in "abcd":
        limiter.failed(key)
    assert limiter.retry_after("a") == 0 and limiter.retry_after("d") > 0


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/",
                                    "/\\evil.example", "javascript:alert(1)", ""])
def test_login_never_redirects_off_site(client, target):
    response = post_login(client, "dora", PASSWORDS["dora"], next_path=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/?lang=en"
    assert safe_next(target) == "/"


def test_logout_needs_the_form_token_and_ends_the_session(client):
    post_login(client, "ana", PASSWORDS["ana"])
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 400
    assert "Signed in as ana" in _header_text(client)
    token = _find_prop(post(client, header_body("/")).get_json(), "logout-csrf", "value")
    response = client.post("/logout", data={"csrf": token, "lang": "en"})
    assert response.status_code == 303 and response.headers["Location"] == "/?lang=en"
    assert "Signed in" not in _header_text(client)


def test_removing_a_user_ends_their_session(client, settings):
    post_login(client, "ana", PASSWORDS["ana"])
    assert "Signed in as ana" in _header_text(client)
    users_module.save_users({}, settings.data_dir / "users.json")
    assert "Signed in" not in _header_text(client)


def test_a_cookie_signed_with_another_key_is_ignored(settings, store, users_file):
    from dashboards.app import create_app

    one = create_app(settings, store, make_access(settings, secret_key=b"1" * 32))
    two = create_app(settings, store, make_access(settings, secret_key=b"2" * 32))
    client = one.server.test_client()
    post_login(client, "ana", PASSWORDS["ana"])
    cookie = client.get_cookie("otsh_session").value
    other = two.server.test_client()
    other.set_cookie("otsh_session", cookie)
    assert "Signed in" not in _header_text(other)
    assert "Signed in as ana" in _header_text(client)


def test_no_users_configured_means_nobody_signs_in(settings, store):
    from dashboards.app import create_app

    client = create_app(settings, store, make_access(settings)).server.test_client()
    assert post_login(client, "ana", PASSWORDS["ana"]).status_code == 401


def test_configuration_from_the_environment(tmp_path, caplog):
    default = access_config({}, data_dir=tmp_path)
    assert default.public_access is True and default.cookie_secure is True
    assert default.secret_from_env is False and len(default.secret_key) >= 32
    assert "OBS_SECRET_KEY is not set" in caplog.text
    assert access_config({}).secret_key != default.secret_key  # random per start
    set_ = access_config({"OBS_PUBLIC_ACCESS": "0", "OBS_COOKIE_SECURE": "0",
                          "OBS_SECRET_KEY": "s3cret-key-from-the-operator",
                          "OBS_SESSION_HOURS": "2"}, data_dir=tmp_path)
    assert set_.public_access is False and set_.cookie_secure is False
    assert set_.secret_key == b"s3cret-key-from-the-operator" and set_.secret_from_env
    assert set_.session_hours == 2
    assert set_.env["OBS_USERS_FILE"] == str(tmp_path / "users.json")


def test_users_from_the_obs_users_environment_variable(settings, store):
    from dashboards.app import create_app
    from indicators.users import new_user

    user = new_user("eva", "donor", "eva-password-1234")
    env = {"OBS_USERS": json.dumps([{"username": "eva", "role": "donor",
                                     "password_hash": user.password_hash}])}
    client = create_app(settings, store, make_access(settings, env=env)).server.test_client()
    assert post_login(client, "eva", "eva-password-1234").status_code == 303
    assert "Signed in as eva (donor)" in _header_text(client)


def test_a_broken_users_file_fails_closed(settings, store, caplog):
    from dashboards.app import create_app

    (settings.data_dir / "users.json").write_text("{not json", encoding="utf-8")
    client = create_app(settings, store, make_access(settings)).server.test_client()
    assert post_login(client, "ana", PASSWORDS["ana"]).status_code == 401
    assert "nobody can sign in" in caplog.text
    write_test_users(settings.data_dir)
    assert post_login(client, "ana", PASSWORDS["ana"]).status_code == 303


def test_role_helpers():
    assert access.may_open("public", "public", True)
    assert not access.may_open("public", "public", False)
    assert access.may_open("public", "donor", False)
    assert not access.may_open("donor", "public", True)
    assert access.may_open("donor", "analyst", True)
    assert not access.may_open("analyst", "donor", True)
