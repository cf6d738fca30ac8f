"""A real ``observatory serve`` (waitress) on a free loopback port, in its own process group."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, proc: subprocess.Popen, path: str = "/healthz",
                  seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2).read()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise AssertionError("server did not start")


def stop(proc: subprocess.Popen) -> tuple[bytes, bytes]:
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        return proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        return proc.communicate(timeout=5)


@contextmanager
def serving(data_dir: Path, extra_env: dict[str, str] | None = None,
            args: tuple[str, ...] = ()) -> Iterator[tuple[int, subprocess.Popen]]:
    """Yields (port, process); stderr is collected (read it after the block via ``stop``)."""
    port = free_port()
    env = {**os.environ, "OBS_DATA_DIR": str(data_dir), **(extra_env or {})}
    env.pop("OBS_DEV", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "observatory.cli", "serve", "--port", str(port), *args],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True)
    try:
        wait_until_up(port, proc)
        yield port, proc
    finally:
        stop(proc)
