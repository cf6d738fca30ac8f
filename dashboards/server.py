"""Production serving: waitress (a pure-Python WSGI server) on 127.0.0.1:8050, Dash debug off.

Why waitress:

* **No fork.** One process, a pool of worker threads. A process that has used polars or DuckDB
  (their thread pools exist) must never fork: the child hangs on its first conversion. With
  waitress nothing forks, so it does not matter what the server imported before serving; and
  ``observatory demo`` starts ``observatory serve`` as a fresh process anyway.
* **Slow clients cannot take the worker threads.** waitress's main thread reads every request
  (headers and body) into a buffer with non-blocking sockets; a worker thread sees a request
  only when it is complete, and a response is buffered so a slow reader does not hold a
  thread either. ``CHANNEL_TIMEOUT`` closes connections that stay silent;
  ``CONNECTION_LIMIT`` bounds how many are open (more wait in the listen backlog).
* **One process** means the login limiter's counters and the release cache are shared by
  every request without a shared store.

waitress answers malformed requests itself (400, 413, 431): :class:`HardenedErrorTask` puts the
same security headers on those as the Flask app puts on everything else, and the ``Server``
header says ``otsh`` (no version).

``python -m waitress dashboards.server:server`` would use the module-level ``server`` (the
Flask app); ``observatory serve`` builds the same thing via :func:`run_production`.
Sessions are server-side (``dashboards.access``); ``OBS_SECRET_KEY`` signs only what Flask
itself signs. Behind a reverse proxy, set ``OBS_TRUSTED_PROXY`` to its address so the client
address (login limiter) comes from ``X-Forwarded-For``.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
import signal
import sys
import time
from typing import Any

from dashboards.hardening import STATIC_HEADERS, content_security_policy
from indicators.settings import AccessSettings, env_name, load_settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050
THREADS = 8
CONNECTION_LIMIT = 400
CHANNEL_TIMEOUT = 30  # seconds a connection may stay silent before it is closed
MAX_HEADER_BYTES = 64 * 1024  # request line + headers; beyond: 431
MAX_BODY_BYTES = 2 * 1024 * 1024  # beyond: 413 before the app sees it (the app's own is 1 MB)
SERVER_NAME = "otsh"


def dev_mode(env: dict[str, str] | None = None) -> bool:
    """Dash debug mode only when OBS_DEV=1."""
    return load_settings(env).serving.dev


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def shared_secret_key(env: dict[str, str] | None = None) -> None:
    """One key for the whole server (random when unset)."""
    env = os.environ if env is None else env
    if load_settings(env).access.secret_key is None:
        env[env_name(AccessSettings, "secret_key")] = secrets.token_urlsafe(32)
        print("aviso / warning: OBS_SECRET_KEY not set; a random key is used for this server "
              "run", file=sys.stderr)


def error_headers() -> list[tuple[str, str]]:
    """Headers of the responses waitress writes itself (its error pages have no script)."""
    return [("Content-Security-Policy", content_security_policy(())),
            ("Cache-Control", "no-store"), *STATIC_HEADERS.items()]


def hardened_channel() -> type:
    """waitress's connection class with :class:`HardenedErrorTask` for its own errors."""
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask

    class HardenedErrorTask(ErrorTask):
        def execute(self) -> None:
            self.response_headers.extend(error_headers())
            super().execute()

    class HardenedChannel(HTTPChannel):
        error_task_class = HardenedErrorTask

    return HardenedChannel


def production_options(host: str, port: int, threads: int = THREADS,
                       env: dict[str, str] | None = None) -> dict[str, Any]:
    """waitress settings (``waitress.adjustments.Adjustments`` names)."""
    options: dict[str, Any] = {
        "host": host, "port": port, "threads": threads, "ident": SERVER_NAME,
        "connection_limit": CONNECTION_LIMIT, "channel_timeout": CHANNEL_TIMEOUT,
        "max_request_header_size": MAX_HEADER_BYTES, "max_request_body_size": MAX_BODY_BYTES,
        "expose_tracebacks": False, "clear_untrusted_proxy_headers": True}
    proxy = load_settings(env).serving.trusted_proxy
    if proxy:
        options.update(trusted_proxy=proxy, trusted_proxy_count=1,
                       trusted_proxy_headers="x-forwarded-for x-forwarded-proto")
    return options


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)  # waitress's run() shuts its threads down on SystemExit


def stop_on_signals() -> None:
    """SIGTERM and SIGINT stop the server even when the process that started it ignored
    them (an ignored signal stays ignored across exec)."""
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)


def run_production(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                   threads: int = THREADS) -> None:
    """Serve the dashboard with waitress until the process is stopped."""
    from waitress.server import create_server

    from dashboards.app import create_app

    shared_secret_key()
    stop_on_signals()
    app = create_app(load_settings())
    warm_views(app.server.config["RELEASE_STORE"])
    server = create_server(app.server, **production_options(host, port, threads))
    channel = hardened_channel()
    # one listening socket, or several (a host name with IPv4 and IPv6 addresses)
    for listener in [server, *getattr(server, "map", {}).values()]:
        if hasattr(listener, "channel_class"):
            listener.channel_class = channel
    server.run()


def warm_views(store: Any) -> None:
    """Before serving: every page's default view of the current release; then each new
    release's views in the background (dashboards/warmup.py)."""
    from dashboards.warmup import warm_in_background, warm_release

    start = time.perf_counter()
    done = warm_release(store)
    logging.getLogger(__name__).info("%d page views precomputed in %.1f s", done,
                                     time.perf_counter() - start)
    warm_in_background(store)


def run_dev(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    from dashboards.app import create_app

    app = create_app(load_settings())
    app.run(host=host, port=port, debug=dev_mode())


def __getattr__(name: str) -> Any:  # lazy: `waitress-serve dashboards.server:server`
    if name == "server":
        from dashboards.app import create_app

        return create_app(load_settings()).server
    raise AttributeError(name)
