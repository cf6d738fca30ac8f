"""HTTP hardening of the dashboard's Flask server: security headers on every response,
``Cache-Control: no-store`` on everything but static files (pages, callbacks, reports: what
a signed-in user sees must not stay in a shared cache), a request size limit, no version
banners (Dash's ``_dash-config`` without the Python/Dash/Plotly versions, ``/_reload-hash``
only in development), 400 for malformed callback requests, and generic bilingual error
pages (tracebacks go to the log only).

The Content-Security-Policy allows no external origin. Scripts: only files from this server
plus Dash's own inline scripts, allowed by their SHA-256 hashes (``Dash.csp_hashes()``: the
renderer start-up and inline clientside callbacks). Styles: ``'unsafe-inline'`` because
React and plotly.js set ``style`` attributes and plotly injects ``<style>`` rules at run time;
styles cannot run code. Map tiles and plotly exports use ``blob:``/``data:`` images, and the
map library starts its web worker from a ``blob:`` URL.
"""

from __future__ import annotations

import logging
from html import escape

import flask
from dash import Dash
from werkzeug.exceptions import HTTPException

from dashboards import callback_requests, compression
from indicators.i18n import norm_lang, t

log = logging.getLogger(__name__)
MAX_CONTENT_LENGTH = 1024 * 1024  # 1 MB: callback payloads are a few kB

STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/")  # versioned files: cacheable
VERSION_KEYS = ("dash_version", "python_version", "dash_version_url", "ddk_version",
                "plotly_version")
STATIC_HEADERS: dict[str, str] = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def content_security_policy(script_hashes: list[str] | tuple[str, ...]) -> str:
    """The CSP header value; ``script_hashes`` as Dash gives them (``'sha256-…'``, quoted)."""
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "worker-src": "'self' blob:",
        "child-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def error_page(status: int, lang: str) -> str:
    """A bilingual page saying what went wrong in general terms (no details, no traceback)."""
    key = {400: "err.400", 401: "err.401", 403: "err.403", 404: "err.404", 405: "err.405",
           413: "err.413", 429: "err.429"}.get(status, "err.500")
    other = "en" if lang == "pt" else "pt"
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{status} · OTSH</title>
<link rel="stylesheet" href="/assets/style.css"></head>
<body><main id="main"><h1>{escape(t(key, lang))}</h1>
<p lang="{other}">{escape(t(key, other))}</p>
<p><a href="/?lang={lang}">{escape(t("auth.back", lang))}</a></p></main></body></html>"""


def _lang() -> str:
    return norm_lang(flask.request.args.get("lang")) if flask.has_request_context() else "pt"


def _error_response(status: int) -> flask.Response:
    response = flask.Response(error_page(status, _lang()), status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def hide_versions(app: Dash) -> None:
    """Dash writes the Python, Dash and Plotly versions into every page (``_dash-config``)
    for its dev-tools menu; without dev tools they only help an attacker."""
    full_config = app._config

    def _config() -> dict:
        config = full_config()
        if not app._dev_tools.ui:
            for key in VERSION_KEYS:
                config.pop(key, None)
        return config

    app._config = _config  # Dash calls self._config() when it renders the index


def install(app: Dash) -> None:
    """Headers, limits and error handlers on ``app.server``. Call after every callback is
    registered (the CSP hashes Dash's inline scripts, computed on the first request)."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_CONTENT_LENGTH
    policy: dict[str, str] = {}
    hide_versions(app)
    callback_requests.install(app)
    compression.install(server)

    @server.before_request
    def _no_reload_hash_in_production() -> flask.Response | None:
        if flask.request.path.endswith("/_reload-hash") and not app._dev_tools.hot_reload:
            return _error_response(404)
        return None

    def _csp() -> str:
        if "value" not in policy:
            policy["value"] = content_security_policy(app.csp_hashes("sha256"))
        return policy["value"]

    @server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        response.headers["Content-Security-Policy"] = _csp()
        for name, value in STATIC_HEADERS.items():
            response.headers[name] = value
        response.headers.pop("Server", None)
        if not flask.request.path.startswith(STATIC_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response

    @server.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> flask.Response:
        if error.code is None or error.code < 400:
            return error  # redirects and the like
        response = _error_response(error.code)
        if error.code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @server.errorhandler(Exception)
    def _unexpected(error: Exception) -> flask.Response:
        log.exception("unhandled error on %s %s", flask.request.method, flask.request.path)
        return _error_response(500)
