"""The production server: loopback bind by default, cookie policy, one session key for the
server, and no version banner (a real waitress on a free loopback port)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import suppress
from pathlib import Path

from dashboards.server import DEFAULT_HOST, is_loopback, shared_secret_key
from observatory.commands.serve import cookie_policy
from tests.dashboards.conftest import _release
from tests.security.live_server import ROOT, free_port, serving, stop, wait_until_up


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


def test_one_random_secret_for_the_server_when_unset(capsys):
    env: dict[str, str] = {}
    shared_secret_key(env)
    assert len(env["OBS_SECRET_KEY"]) >= 32
    assert "OBS_SECRET_KEY not set" in capsys.readouterr().err
    kept = {"OBS_SECRET_KEY": "operator-key"}
    shared_secret_key(kept)
    assert kept == {"OBS_SECRET_KEY": "operator-key"}


def test_waitress_serves_hardened_responses_on_loopback(settings):
    _release(settings.serving_dir)
    port = free_port()
    env = {**os.environ, "OBS_DATA_DIR": str(settings.data_dir)}
    env.pop("OBS_SECRET_KEY", None)
    env.pop("OBS_COOKIE_SECURE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "observatory.cli", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True)
    try:
        wait_until_up(port, proc)
        response = urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5)
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
        _, err = stop(proc)
    assert b"OBS_SECRET_KEY not set" in err


def _unix_socket_paths(pid: int) -> list[str]:
    """Paths of the unix-domain sockets the process ``pid`` holds (none: no control socket)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    paths = []
    for line in Path("/proc/net/unix").read_text().splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 8 and fields[6] in inodes:
            paths.append(fields[7])
    return paths


def test_each_server_instance_has_no_shared_control_socket(settings):
    _release(settings.serving_dir)
    with serving(settings.data_dir) as (port_a, proc_a), \
            serving(settings.data_dir) as (port_b, proc_b):
        assert _unix_socket_paths(proc_a.pid) == [] and _unix_socket_paths(proc_b.pid) == []
        stop(proc_a)  # stopping one instance leaves the other answering
        body = urllib.request.urlopen(f"http://127.0.0.1:{port_b}/healthz", timeout=10).read()
        assert body.decode().startswith("2024")


def _ignore_sigterm() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def test_sigterm_stops_the_server_even_if_its_parent_ignored_sigterm(settings):
    """An ignored signal stays ignored across exec; the server sets its own handlers."""
    _release(settings.serving_dir)
    port = free_port()
    env = {**os.environ, "OBS_DATA_DIR": str(settings.data_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "observatory.cli", "serve", "--port", str(port)], cwd=ROOT,
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=_ignore_sigterm, start_new_session=True)
    try:
        wait_until_up(port, proc)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
