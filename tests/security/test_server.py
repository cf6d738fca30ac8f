"""The production server: loopback bind by default, cookie policy, one session key for all
workers, and no version banner (a real gunicorn on a free loopback port)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from dashboards.server import DEFAULT_HOST, is_loopback, shared_secret_key
from observatory.commands.serve import cookie_policy
from tests.dashboards.conftest import _release

ROOT = Path(__file__).resolve().parents[2]


def test_default_bind_is_loopback():
    assert DEFAULT_HOST == "127.0.0.1"
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")


def test_cookie_policy_only_relaxed_on_loopback(capsys):
    env: dict[str, str] = {}
    cookie_policy("127.0.0.1", env)
    assert env == {"OBS_COOKIE_SECURE": "0"}
    env = {"OBS_COOKIE_SECURE": "1"}
    cookie_policy("127.0.0.1", env)
    assert env == {"OBS_COOKIE_SECURE": "1"}  # the operator's choice wins
    env = {}
    cookie_policy("0.0.0.0", env)
    assert env == {}  # secure by default
    cookie_policy("0.0.0.0", {"OBS_COOKIE_SECURE": "0"})
    assert "OBS_COOKIE_SECURE=0 on a non-loopback" in capsys.readouterr().err


def test_one_random_secret_for_all_workers_when_unset(capsys):
    env: dict[str, str] = {}
    shared_secret_key(env)
    assert len(env["OBS_SECRET_KEY"]) >= 32
    assert "OBS_SECRET_KEY not set" in capsys.readouterr().err
    kept = {"OBS_SECRET_KEY": "operator-key"}
    shared_secret_key(kept)
    assert kept == {"OBS_SECRET_KEY": "operator-key"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_gunicorn_serves_hardened_responses_on_loopback(settings):
    _release(settings.serving_dir)
    port = _free_port()
    env = {**os.environ, "OBS_DATA_DIR": str(settings.data_dir)}
    env.pop("OBS_SECRET_KEY", None)
    env.pop("OBS_COOKIE_SECURE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "observatory.cli", "serve", "--port", str(port),
         "--workers", "1"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True)
    try:
        response = None
        for _ in range(150):
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        assert response is not None, "server did not start"
        headers = response.headers
        assert headers["Server"] == "otsh"
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        cookie = headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert "Secure" not in cookie  # loopback over plain http (observatory serve)
        try:
            urllib.request.urlopen(urllib.request.Request(
                f"http://127.0.0.1:{port}/_dash-update-component", data=b"x" * (1024 * 1024 + 1),
                headers={"Content-Type": "application/json"}), timeout=5)
            raise AssertionError("oversized request accepted")
        except urllib.error.HTTPError as error:
            assert error.code == 413
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    assert b"OBS_SECRET_KEY not set" in err
