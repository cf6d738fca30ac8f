"""Who may see what: sessions, login/logout, login rate limiting, page permissions.

* Roles (``indicators.users``): public < donor < analyst. Anonymous visitors are ``public``.
  A ``partner`` user sees the public pages and the partner pages (audience ``partner``),
  always for its own partner code only (:func:`current_partner`).
* ``OBS_PUBLIC_ACCESS`` (default ``1``): public pages open without a login. With ``0`` every
  request except ``/login``, ``/logout``, ``/assets/*`` and ``/healthz`` needs a signed-in user.
* Sessions are server-side (Flask-Session over a cachelib store: files under
  ``$OBS_DATA_DIR/sessions/``, readable by the server's user only; in memory when no data
  folder is given). The cookie holds only a random session id. Signing out deletes the
  session from the store, so a copied cookie is worthless afterwards; signing in issues a
  new id. The session holds the user name, a tag of the password hash (changing a password
  or removing the user ends their sessions: the user is re-read from the users file on
  every request) and the CSRF token of the forms.
* Cookies: ``Secure`` unless ``OBS_COOKIE_SECURE=0`` (plain-http loopback), ``HttpOnly``,
  ``SameSite=Strict``; sessions last ``OBS_SESSION_HOURS`` (default 8).
* Login attempts are limited per client address and per user name (known or not, so the
  limit reveals nothing): ``max_failures`` failures in ``window_seconds`` → 429. Each attempt
  takes its slot atomically before the password is checked (and gives it back when it
  succeeds), so a concurrent burst cannot get more guesses than the limit. The counters live
  in the server process (waitress: one process for the whole server).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from html import escape
from pathlib import Path
from urllib.parse import urlencode

import cachelib
import flask
import flask_session

from indicators.i18n import norm_lang, t
from indicators.settings import AccessSettings, env_name, load_settings
from indicators.users import (
    PARTNER_ROLE,
    User,
    UserError,
    authenticate,
    load_users,
    role_allows,
    users_file,
)

log = logging.getLogger(__name__)
EXTENSION = "obs_access"
OPEN_PATHS = ("/login", "/logout", "/healthz")
OPEN_PREFIXES = ("/assets/",)
# Flask routes outside Dash and the audience they need (prefix match): the donor report
# (HTML and PDF). Dash pages are checked by their AUDIENCE in the callbacks.
ROUTE_AUDIENCES: dict[str, str] = {"/report/": "donor"}
MAX_USERNAME = 64
MAX_PASSWORD = 1024
MAX_SESSIONS = 20_000  # the store drops the oldest sessions beyond this


@dataclass(frozen=True)
class AccessConfig:
    public_access: bool = True
    cookie_secure: bool = True
    secret_key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    secret_from_env: bool = False
    session_hours: int = 8
    session_dir: Path | None = None  # None: sessions in memory
    max_failures: int = 5
    window_seconds: int = 15 * 60
    env: Mapping[str, str] = field(default_factory=dict, repr=False)


def access_config(env: Mapping[str, str] | None = None,
                  data_dir: Path | None = None) -> AccessConfig:
    """The access settings from the environment (``data_dir`` locates ``users.json``)."""
    env = dict(os.environ if env is None else env)
    settings = load_settings(env).access
    if data_dir is not None and settings.users_file is None:
        env[env_name(AccessSettings, "users_file")] = str(Path(data_dir) / "users.json")
    key = settings.secret_key.get_secret_value() if settings.secret_key else ""
    if key:
        secret, from_env = key.encode("utf-8"), True
    else:
        log.warning("OBS_SECRET_KEY is not set: using a random key for this run "
                    "/ OBS_SECRET_KEY não definida: chave aleatória")
        secret, from_env = secrets.token_bytes(32), False
    return AccessConfig(
        public_access=settings.public_access, cookie_secure=settings.cookie_secure,
        secret_key=secret, secret_from_env=from_env, session_hours=settings.session_hours,
        session_dir=Path(data_dir) / "sessions" if data_dir is not None else None, env=env)


class UserDirectory:
    """The configured users, re-read when the users file changes; errors fail closed."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = dict(env)
        self._from_env = bool(load_settings(self._env).access.users)
        self._path = users_file(self._env)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._users: dict[str, User] = {}

    def _current_stamp(self) -> tuple:
        if self._from_env:
            return ("env",)
        try:
            stat = self._path.stat()
        except OSError:
            return ("absent",)
        return (stat.st_mtime_ns, stat.st_size, stat.st_ino)

    def users(self) -> dict[str, User]:
        stamp = self._current_stamp()
        with self._lock:
            if stamp != self._stamp:
                try:
                    self._users = load_users(self._env)
                except UserError as error:
                    log.error("users cannot be read, nobody can sign in: %s", error)
                    self._users = {}
                self._stamp = stamp
            return self._users


class LoginLimiter:
    """Failed logins per key in a sliding window (in-process, bounded memory)."""

    def __init__(self, max_failures: int, window_seconds: float, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self.max_keys = max_keys
        self.clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def _wait(self, keys: tuple[str, ...], now: float) -> int:
        wait = 0.0
        for key in keys:
            times = self._recent(key, now)
            if len(times) >= self.max_failures:
                wait = max(wait, times[-self.max_failures] + self.window - now)
        return int(wait) + 1 if wait > 0 else 0

    def retry_after(self, *keys: str) -> int:
        """Seconds until every key may try again (0: allowed now)."""
        with self._lock:
            return self._wait(keys, self.clock())

    def attempt(self, *keys: str) -> tuple[int, float]:
        """Check and take one slot for every key in one step (under the lock): returns
        ``(retry_after, stamp)``; with ``retry_after == 0`` the attempt counts as a failure
        until :meth:`succeeded` gives the slot back. Concurrent attempts therefore never
        get more than ``max_failures`` guesses per window."""
        with self._lock:
            now = self.clock()
            wait = self._wait(keys, now)
            if wait:
                return wait, now
            self._record(keys, now)
            return 0, now

    def _record(self, keys: tuple[str, ...], now: float) -> None:
        for key in keys:
            times = self._recent(key, now)
            times.append(now)
            self._failures[key] = times
            self._failures.move_to_end(key)
        while len(self._failures) > self.max_keys:
            self._failures.popitem(last=False)

    def failed(self, *keys: str) -> None:
        with self._lock:
            self._record(keys, self.clock())

    def succeeded(self, stamp: float, refund: tuple[str, ...], clear: str) -> None:
        """A successful attempt: give its slot back on ``refund`` keys, forget ``clear``."""
        with self._lock:
            for key in refund:
                times = self._failures.get(key)
                if times is not None and stamp in times:
                    times.remove(stamp)
            self._failures.pop(clear, None)

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


@dataclass
class Access:
    config: AccessConfig
    directory: UserDirectory
    limiter: LoginLimiter


def _access() -> Access:
    return flask.current_app.extensions[EXTENSION]


def _tag(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:16]


def current_user() -> User | None:
    """The signed-in user of this request, or None (anonymous, removed, password changed)."""
    if not flask.has_request_context():
        return None
    name = flask.session.get("user")
    if not isinstance(name, str):
        return None
    user = _access().directory.users().get(name)
    if user is None or not hmac.compare_digest(flask.session.get("tag", ""), _tag(user)):
        return None
    return user


def current_role() -> str:
    user = current_user()
    return user.role if user else "public"


def current_partner() -> str | None:
    """The partner code of the signed-in partner user, else None (the server's answer to
    "whose submissions may this request see": never taken from the request itself)."""
    user = current_user()
    if user is None or user.role != PARTNER_ROLE or not user.partner:
        return None
    return user.partner


def public_access() -> bool:
    return _access().config.public_access


def may_open(audience: str, role: str, public: bool) -> bool:
    """Whether ``role`` may open a page for ``audience`` (public pages need a login unless
    public access is enabled)."""
    if audience == "public" and not public:
        return role != "public" and (role == PARTNER_ROLE or role_allows(role, "donor"))
    return role_allows(role, audience)


def allowed(audience: str) -> bool:
    """Whether the user of the current request may see a page for ``audience``."""
    return may_open(audience, current_role(), public_access())


def csrf_token() -> str:
    token = flask.session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        flask.session["csrf"] = token
    return token


def safe_next(target: str | None) -> str:
    """A local path to return to after login (never another site)."""
    target = (target or "/").strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target \
            or any(ord(ch) < 32 for ch in target):
        return "/"
    return target


def login_href(next_path: str, lang: str) -> str:
    return "/login?" + urlencode({"next": safe_next(next_path), "lang": norm_lang(lang)})


# --- pages ----------------------------------------------------------------------------------

def _page(lang: str, title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · OTSH</title>
<link rel="stylesheet" href="/assets/style.css"></head>
<body>
<header class="site-header"><div class="brand">
<span class="brand-mark" aria-hidden="true">OTSH</span>
<span class="brand-name">{escape(t("app.title", lang))}</span></div></header>
<main id="main" class="auth-page">
<h1>{escape(title)}</h1>
{body}
</main></body></html>"""


def login_page(lang: str, next_path: str, message: str = "", username: str = "") -> str:
    """The sign-in form; after a failure ``username`` stays typed in (the password never) and
    the password field takes the focus."""
    other = "en" if lang == "pt" else "pt"
    focus = ("", " autofocus") if username else (" autofocus", "")
    toggle = "/login?" + urlencode({"next": next_path, "lang": other})
    alert = f'<p class="auth-error" role="alert">{escape(message)}</p>' if message else ""
    body = f"""{alert}
<form method="post" action="/login" class="auth-form">
<input type="hidden" name="csrf" value="{escape(csrf_token())}">
<input type="hidden" name="next" value="{escape(next_path)}">
<input type="hidden" name="lang" value="{lang}">
<p><label for="username">{escape(t("auth.username", lang))}</label><br>
<input id="username" name="username" type="text" autocomplete="username" required
 maxlength="{MAX_USERNAME}" autocapitalize="none" spellcheck="false"
 value="{escape(username)}"{focus[0]}></p>
<p><label for="password">{escape(t("auth.password", lang))}</label><br>
<input id="password" name="password" type="password" autocomplete="current-password"
 required maxlength="{MAX_PASSWORD}"{focus[1]}></p>
<p><button type="submit" class="btn">{escape(t("auth.submit", lang))}</button></p>
</form>
<p class="hint">{escape(t("auth.hint", lang))}</p>
<p class="hint">{escape(t("auth.hint_others", lang))}</p>
<p><a href="{escape(toggle)}" lang="{other}">{escape(t("app.switch_lang", lang))}</a>
· <a href="/?lang={lang}">{escape(t("auth.back", lang))}</a></p>"""
    return _page(lang, t("auth.title", lang), body)


def message_page(lang: str, title_key: str, body_key: str, **fields: object) -> str:
    other = "en" if lang == "pt" else "pt"
    body = (f"<p>{escape(t(body_key, lang, **fields))}</p>"
            f'<p lang="{other}">{escape(t(body_key, other, **fields))}</p>'
            f'<p><a href="/?lang={lang}">{escape(t("auth.back", lang))}</a></p>')
    return _page(lang, t(title_key, lang), body)


def _html(text: str, status: int = 200, headers: dict[str, str] | None = None) -> flask.Response:
    response = flask.Response(text, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _lang() -> str:
    return norm_lang(flask.request.values.get("lang"))


def _login_get() -> flask.Response:
    return _html(login_page(_lang(), safe_next(flask.request.args.get("next"))))


def _login_post() -> flask.Response:
    access, form, lang = _access(), flask.request.form, _lang()
    next_path = safe_next(form.get("next"))
    expected = flask.session.get("csrf")
    if not isinstance(expected, str) or not hmac.compare_digest(
            form.get("csrf", ""), expected):
        return _html(login_page(lang, next_path, t("auth.expired", lang)), 400)
    username = form.get("username", "").strip().lower()[:MAX_USERNAME]
    password = form.get("password", "")
    ip_key = "ip:" + (flask.request.remote_addr or "unknown")
    user_key = "user:" + username
    wait, stamp = access.limiter.attempt(ip_key, user_key)
    if wait:
        log.warning("login rate limit for %s / %r", ip_key, username)
        return _html(login_page(lang, next_path, t("auth.too_many", lang,
                                                   minutes=max(1, -(-wait // 60))), username),
                     429, {"Retry-After": str(wait)})
    user = None
    if len(password) <= MAX_PASSWORD:
        user = authenticate(access.directory.users(), username, password)
    else:
        authenticate({}, username, "x")  # same work as any failure
    if user is None:  # the attempt already counted
        log.info("failed login for %r from %s", username, ip_key)
        return _html(login_page(lang, next_path, t("auth.failed", lang), username), 401)
    # the address gets this attempt back but keeps its failures: one account must not reset it
    access.limiter.succeeded(stamp, refund=(ip_key,), clear=user_key)
    flask.session.clear()
    flask.session.permanent = True
    flask.session.update(user=user.username, tag=_tag(user), csrf=secrets.token_urlsafe(32))
    flask.current_app.session_interface.regenerate(flask.session)  # no session fixation
    log.info("login %s (%s)", user.username, user.role)
    target = next_path
    if "lang=" not in target:
        target += ("&" if "?" in target else "?") + f"lang={lang}"
    return flask.redirect(target, code=303)


def _logout() -> flask.Response:
    lang = _lang()
    expected = flask.session.get("csrf")
    if flask.request.method == "POST" and isinstance(expected, str) and hmac.compare_digest(
            flask.request.form.get("csrf", ""), expected):
        flask.session.clear()
        return flask.redirect(f"/?lang={lang}", code=303)
    if flask.request.method == "GET" and current_user() is None:
        return flask.redirect(f"/?lang={lang}", code=303)
    return _html(message_page(lang, "auth.logout", "auth.expired"), 400)


def _gate() -> flask.Response | None:
    """Without public access, everything but the login page needs a signed-in user."""
    if public_access() or current_user() is not None:
        return None
    path = flask.request.path
    if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
        return None
    if flask.request.method == "GET" and not path.startswith("/_dash"):
        return flask.redirect(login_href(flask.request.full_path.rstrip("?"), _lang()))
    return flask.Response(t("auth.required", _lang()), status=401, mimetype="text/plain")


def require(audience: str) -> flask.Response | None:
    """None when the current user may see ``audience`` content, else the response to send."""
    if allowed(audience):
        return None
    lang = _lang()
    if current_user() is None:
        return flask.redirect(login_href(flask.request.full_path.rstrip("?"), lang))
    return _html(message_page(lang, "auth.forbidden_title", "auth.forbidden"), 403)


def protect_routes(server: flask.Flask, audiences: Mapping[str, str]) -> None:
    """Check the role before any request whose path starts with a key of ``audiences``."""
    rules = tuple(audiences.items())

    def _check() -> flask.Response | None:
        for prefix, audience in rules:
            if flask.request.path.startswith(prefix):
                return require(audience)
        return None

    server.before_request(_check)


def _session_store(config: AccessConfig) -> cachelib.BaseCache:
    """Where sessions live: files under ``session_dir`` (mode 600), or memory."""
    timeout = config.session_hours * 3600
    if config.session_dir is None:
        return cachelib.SimpleCache(threshold=MAX_SESSIONS, default_timeout=timeout)
    config.session_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    return cachelib.FileSystemCache(str(config.session_dir), threshold=MAX_SESSIONS,
                                    default_timeout=timeout, mode=0o600)


def install(server: flask.Flask, config: AccessConfig) -> Access:
    """Session settings, the login/logout routes and the public-access gate."""
    access = Access(config=config, directory=UserDirectory(config.env),
                    limiter=LoginLimiter(config.max_failures, config.window_seconds))
    server.extensions[EXTENSION] = access
    server.secret_key = config.secret_key
    server.config.update(
        SESSION_COOKIE_NAME="otsh_session", SESSION_COOKIE_SECURE=config.cookie_secure,
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=config.session_hours),
        SESSION_REFRESH_EACH_REQUEST=False, SESSION_PERMANENT=False,
        SESSION_TYPE="cachelib", SESSION_CACHELIB=_session_store(config),
        SESSION_KEY_PREFIX="otsh:", SESSION_CLEANUP_N_REQUESTS=None)
    flask_session.Session(server)
    server.before_request(_gate)
    server.add_url_rule("/login", "login", _login_get, methods=["GET"])
    server.add_url_rule("/login", "login_post", _login_post, methods=["POST"])
    server.add_url_rule("/logout", "logout", _logout, methods=["GET", "POST"])
    return access
