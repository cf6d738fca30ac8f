"""Production serving: gunicorn (a WSGI server) on 127.0.0.1:8050, Dash debug off.

``gunicorn dashboards.server:server`` uses the module-level ``server`` (the Flask app);
``observatory serve`` builds the same thing programmatically via :func:`run_gunicorn`.
Each worker process opens the current release once (read-only) and picks up new releases
without a restart.

Sessions are signed with ``OBS_SECRET_KEY``. When it is unset, :func:`run_gunicorn` makes one
random key for the whole server (all workers) and sessions end when it restarts; with
``gunicorn dashboards.server:server`` and several workers, set it (each worker would otherwise
pick its own key). gunicorn's ``Server`` header says ``otsh`` (no version).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import sys
from typing import Any

from dashboards.app import create_app
from observatory.config import load_settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050


def dev_mode(env: dict[str, str] | None = None) -> bool:
    """Dash debug mode only when OBS_DEV=1."""
    return (env if env is not None else os.environ).get("OBS_DEV") == "1"


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def shared_secret_key(env: dict[str, str] | None = None) -> None:
    """Make sure every worker signs sessions with the same key (random when unset)."""
    env = os.environ if env is None else env
    if not env.get("OBS_SECRET_KEY"):
        env["OBS_SECRET_KEY"] = secrets.token_urlsafe(32)
        print("aviso / warning: OBS_SECRET_KEY not set; a random key is used and sessions end "
              "when the server restarts", file=sys.stderr)


def run_gunicorn(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, workers: int = 2,
                 threads: int = 4) -> None:
    import gunicorn.http.wsgi
    from gunicorn.app.base import BaseApplication

    gunicorn.http.wsgi.SERVER = "otsh"  # no version banner
    shared_secret_key()

    class _App(BaseApplication):
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{host}:{port}", "workers": workers, "threads": threads,
                "worker_class": "gthread", "timeout": 60, "accesslog": "-",
                "limit_request_line": 8190, "limit_request_fields": 100,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return create_app(load_settings()).server

    _App().run()


def run_dev(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    app = create_app(load_settings())
    app.run(host=host, port=port, debug=dev_mode())


def __getattr__(name: str) -> Any:  # lazy: `gunicorn dashboards.server:server`
    if name == "server":
        return create_app(load_settings()).server
    raise AttributeError(name)
