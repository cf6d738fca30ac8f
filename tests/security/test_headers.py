"""Security headers on every kind of response, the CSP, size limit, error pages, debug off."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from bench.fixtures.callbacks import content_body, post

EXPECTED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
ALLOWED_SOURCES = {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}


def _directives(csp: str) -> dict[str, list[str]]:
    out = {}
    for part in csp.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def _assert_hardened(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    assert "camera=()" in response.headers["Permissions-Policy"]
    csp = _directives(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["script-src"]
    for values in csp.values():
        for source in values:  # no external origin, no wildcard, no scheme-wide http(s):
            assert source in ALLOWED_SOURCES or re.fullmatch(r"'sha256-[A-Za-z0-9+/=]+'",
                                                             source), source
    assert "Server" not in response.headers


def test_headers_on_html_json_assets_login_and_errors(client):
    responses = {
        "html": client.get("/"),
        "json": post(client, content_body("/")),
        "layout": client.get("/_dash-layout"),
        "asset": client.get("/assets/style.css"),
        "login": client.get("/login"),
        "404": client.get("/assets/no-such-file.css"),
        "health": client.get("/healthz"),
    }
    assert responses["html"].mimetype == "text/html"
    assert responses["json"].mimetype == "application/json"
    assert responses["asset"].mimetype == "text/css"
    assert responses["404"].status_code == 404
    for kind, response in responses.items():
        assert response.status_code in (200, 404), kind
        _assert_hardened(response)


def test_csp_allows_exactly_the_inline_scripts_of_the_page(client):
    """Hash every inline script of the served page ourselves: each one is in script-src,
    so the browser runs Dash's start-up code and nothing injected besides it."""
    page = client.get("/").get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>",
                        page, flags=re.S)
    assert any("DashRenderer" in s for s in inline)
    csp = _directives(client.get("/").headers["Content-Security-Policy"])
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp["script-src"]
    assert len(csp["script-src"]) == 1 + len(inline)


def test_oversized_request_is_rejected_with_413(client):
    big = b"x" * (1024 * 1024 + 1)
    response = client.post("/_dash-update-component", data=big,
                           content_type="application/json")
    assert response.status_code == 413
    assert "Request too large" in response.get_data(as_text=True) or \
        "demasiado grande" in response.get_data(as_text=True)
    response = client.post("/login", data={"username": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 413


def test_unexpected_error_gives_a_generic_bilingual_page_without_traceback(app, caplog):
    def boom():
        raise RuntimeError("secret detail /work/main/indicators/release_reader.py")

    app.server.add_url_rule("/boom", "boom", boom)
    response = app.server.test_client().get("/boom?lang=en")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "An unexpected error occurred" in text and "Ocorreu um erro inesperado" in text
    for leak in ("Traceback", "RuntimeError", "secret detail", "data.py"):
        assert leak not in text
    assert "secret detail" in caplog.text  # ...but the operator's log has it
    _assert_hardened(response)


def test_failing_callback_returns_the_generic_error_not_a_traceback(app, monkeypatch):
    from dashboards import app as app_module

    def broken(*args, **kwargs):
        raise ValueError("query failed: SELECT * FROM rel.published.rejections")

    monkeypatch.setattr(app_module, "page_view", broken)
    response = post(app.server.test_client(), content_body("/"))
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "SELECT" not in text and "Traceback" not in text and "ValueError" not in text


def test_debug_is_off_unless_obs_dev(app):
    from dashboards.server import dev_mode

    assert app.server.debug is False
    assert app._dev_tools.ui is not True
    assert dev_mode({}) is False and dev_mode({"OBS_DEV": "0"}) is False
    assert dev_mode({"OBS_DEV": "1"}) is True


@pytest.mark.parametrize("method", ["put", "delete"])
def test_unexpected_methods_are_refused_generically(client, method):
    response = getattr(client, method)("/login")
    assert response.status_code == 405
    assert "Traceback" not in response.get_data(as_text=True)
