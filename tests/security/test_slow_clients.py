"""Slow clients cannot starve the production server (waitress): while 40 connections trickle
their headers or bodies one byte a second, health checks and page callbacks keep answering;
and the responses waitress writes itself (400, 431) carry the security headers."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time

import pytest

from bench.fixtures.callbacks import content_body
from tests.dashboards.conftest import _release
from tests.security.live_server import serving

SLOW_CONNECTIONS = 40
pytestmark = pytest.mark.slow


class Trickler:
    """Connections that send a request one byte a second and never finish it."""

    def __init__(self, port: int, count: int) -> None:
        self.socks: list[socket.socket] = []
        for i in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            if i % 2:  # slow headers
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            else:  # slow body
                sock.sendall(b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
            self.socks.append(sock)
        self.stop = threading.Event()
        self.broken = 0
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self) -> None:
        while not self.stop.wait(1.0):
            for sock in self.socks:
                try:
                    sock.send(b"a")
                except OSError:
                    self.broken += 1

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        for sock in self.socks:
            sock.close()


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    status = conn.getresponse().status
    conn.close()
    return status


def _callback(port: int, path: str) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/_dash-update-component", body=json.dumps(content_body(path)),
                 headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    assert response.status == 200, (path, response.status)
    return json.loads(body)


def test_forty_slow_connections_do_not_stop_health_checks_or_callbacks(settings):
    _release(settings.serving_dir)
    with serving(settings.data_dir) as (port, _proc):
        slow = Trickler(port, SLOW_CONNECTIONS)
        try:
            time.sleep(2)  # every slow connection is open and has sent something
            answered = []
            for round_ in range(5):
                assert _get(port, "/healthz") == 200
                for path in ("/", "/trends", "/map"):
                    answered.append(_callback(port, f"{path}")["response"])
                assert slow.broken == 0, f"round {round_}: the server dropped slow clients"
            assert len(answered) == 15 and all("page-content" in r for r in answered)
        finally:
            slow.close()


def _raw(port: int, data: bytes) -> tuple[int, dict[str, str]]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
    head = reply.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in head[1:])}
    return status, headers


def test_the_servers_own_error_responses_carry_the_security_headers(settings):
    _release(settings.serving_dir)
    with serving(settings.data_dir) as (port, _proc):
        bad = _raw(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
        huge = _raw(port, b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        fields = _raw(port, b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 10_000 + b"\r\n")
    for status, headers in (bad, huge, fields):
        assert status in (400, 431), status
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store"
        assert headers["server"] == "otsh"
    assert bad[0] == 400 and huge[0] == 431 and fields[0] == 431
