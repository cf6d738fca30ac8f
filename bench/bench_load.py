"""Load test: N simulated users through the dashboard's callbacks while a refresh publishes.

Loopback only. 1. A small SYNTHETIC observatory in a temporary OBS_DATA_DIR (``observatory
sample --until`` + ``observatory refresh --all``: release R1), or ``--data-dir`` (an existing
one, e.g. after ``make demo``; a refresh will publish into it). 2. The production server
(``observatory serve``: waitress, Dash debug off) on 127.0.0.1 and a free port, with the test
users of ``bench/fixtures/users.py`` in a temporary users file. 3. ``--users`` threads,
each with its own keep-alive connection and session (half signed in as the analyst test user,
who may open every page; the others anonymous, public pages only), POST the page callbacks
(``/_dash-update-component``: header, shell and content of every page they may open, the
payloads of ``bench/fixtures/callbacks.py``) round-robin until ``--requests`` requests were
sent or ``--seconds`` passed. 4. Meanwhile ``observatory refresh --month <last month>`` runs
as a subprocess and publishes release R2 (CURRENT switches under load).

Prints requests served, errors (must be 0: any status other than 200/204, a body that is not
JSON, or a connection failure), p50/p95/p99 latency, and whether the release switched during
the load. Exit status 1 when there were errors or the refresh failed.

Run: .venv/bin/python bench/bench_load.py [--users 8] [--requests 2000] [--seconds 60]
     [--threads 8] [--until 2021-06] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_dashboard import bench_credentials, server  # noqa: E402
from bench.fixtures.callbacks import content_body, header_body, shell_body  # noqa: E402

PUBLIC_PAGES = ("/", "/map", "/trends", "/methodology")
SIGNED_IN_PAGES = (*PUBLIC_PAGES, "/results", "/quality")
OK_STATUSES = (200, 204)  # 204: a callback that had nothing to update (PreventUpdate)


@dataclass
class UserResult:
    latencies: list[float] = field(default_factory=list)  # seconds, every request
    errors: list[str] = field(default_factory=list)


def observatory(data_dir: Path, *args: str, timeout: float = 600,
                ) -> subprocess.CompletedProcess:
    env = {**os.environ, "OBS_DATA_DIR": str(data_dir)}
    env.pop("OBS_FAULT_POINT", None)
    return subprocess.run([sys.executable, "-m", "observatory.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def synthetic_observatory(until: str) -> Path:
    data = Path(tempfile.mkdtemp(prefix="bench_load_")) / "data"
    for args in (("sample", "--until", until), ("refresh", "--all")):
        done = observatory(data, *args)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return data


def current_release(data_dir: Path) -> str | None:
    from indicators.release_files import current_release_id

    return current_release_id(data_dir / "serving")


class Session:
    """One simulated browser: a keep-alive connection and its cookies."""

    def __init__(self, host: str, port: int) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None,
                content_type: str | None = None) -> tuple[int, bytes]:
        headers = {"Connection": "keep-alive"}
        if content_type:
            headers["Content-Type"] = content_type
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def sign_in(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/login?lang=en")
        token = re.search(rb'name="csrf" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"login form: status {status}")
        form = urlencode({"csrf": token.group(1).decode(), "username": username,
                          "password": password, "next": "/", "lang": "en"}).encode()
        status, _ = self.request("POST", "/login", form, "application/x-www-form-urlencoded")
        if status != 303:
            raise RuntimeError(f"sign-in refused: status {status}")

    def close(self) -> None:
        self.conn.close()


def callback_bodies(pages: tuple[str, ...]) -> list[bytes]:
    bodies = []
    for page in pages:
        for make in (header_body, shell_body, content_body):
            bodies.append(json.dumps(make(page)).encode())
    return bodies


def simulated_user(index: int, host: str, port: int, credentials, budget: dict,
                   lock: threading.Lock, deadline: float, stop: threading.Event,
                   result: UserResult) -> None:
    session = Session(host, port)
    try:
        signed_in = index % 2 == 1
        if signed_in:
            session.sign_in(credentials.username, credentials.password)
        bodies = callback_bodies(SIGNED_IN_PAGES if signed_in else PUBLIC_PAGES)
        n = index
        while time.monotonic() < deadline and not stop.is_set():
            with lock:
                if budget["left"] <= 0:
                    return
                budget["left"] -= 1
            body = bodies[n % len(bodies)]
            n += 1
            start = time.perf_counter()
            try:
                status, data = session.request("POST", "/_dash-update-component", body,
                                               "application/json")
                if status == 200:
                    json.loads(data)
            except (OSError, http.client.HTTPException, ValueError) as error:
                result.errors.append(f"user {index}: {type(error).__name__}: {error}")
                session.close()
                session = Session(host, port)
                if signed_in:
                    session.sign_in(credentials.username, credentials.password)
                continue
            finally:
                result.latencies.append(time.perf_counter() - start)
            if status not in OK_STATUSES:
                result.errors.append(f"user {index}: HTTP {status}: {data[:200]!r}")
    except Exception as error:  # noqa: BLE001 - a user that dies is an error, not a crash
        result.errors.append(f"user {index}: {type(error).__name__}: {error}")
    finally:
        session.close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def run_load(users: int = 8, requests: int = 2000, seconds: float = 60.0, *,
             data_dir: Path | None = None, until: str = "2021-06", threads: int = 8,
             refresh_month: str | None = None, stop_after_publish: bool = False) -> dict:
    """Run the load test (see the module docstring); returns the figures as a dict:
    users, requests (sent), served, errors, error_samples, p50_ms, p95_ms, p99_ms,
    seconds, release_before, release_after, switched_at_s (seconds into the load when
    CURRENT changed, None if not during the load), refresh_returncode. ``stop_after_publish``:
    end the load one second after the switch (still bounded by requests and seconds)."""
    data = Path(data_dir) if data_dir else synthetic_observatory(until)
    month = refresh_month or until
    credentials = bench_credentials("analyst")
    release_before = current_release(data)
    with server(data, threads, credentials.env) as base:
        host, port = base.removeprefix("http://").split(":")
        env = {**os.environ, "OBS_DATA_DIR": str(data)}
        env.pop("OBS_FAULT_POINT", None)
        refresh = subprocess.Popen(
            [sys.executable, "-m", "observatory.cli", "refresh", "--month", month], env=env,
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        budget, lock = {"left": requests}, threading.Lock()
        start = time.monotonic()
        deadline = start + seconds
        results = [UserResult() for _ in range(users)]
        stop, done, switch = threading.Event(), threading.Event(), {"at": None}

        def watch_pointer() -> None:
            while not done.is_set():
                if switch["at"] is None and current_release(data) != release_before:
                    switch["at"] = time.monotonic() - start
                if stop_after_publish and switch["at"] is not None and \
                        time.monotonic() - start > switch["at"] + 1.0:
                    stop.set()
                time.sleep(0.05)

        threads = [threading.Thread(target=simulated_user, args=(
            i, host, int(port), credentials, budget, lock, deadline, stop, results[i]))
            for i in range(users)]
        watcher = threading.Thread(target=watch_pointer)
        watcher.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start
        done.set()
        watcher.join()
        release_after_load = current_release(data)
        refresh_out, _ = refresh.communicate(timeout=600)
    latencies = [x for r in results for x in r.latencies]
    errors = [e for r in results for e in r.errors]
    served = len(latencies) - len(errors)
    return {
        "users": users, "requests": len(latencies), "served": served,
        "errors": len(errors), "error_samples": errors[:5],
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "seconds": round(elapsed, 1), "release_before": release_before,
        "release_after": release_after_load, "switched_at_s": (
            round(switch["at"], 1) if switch["at"] is not None else None),
        "refresh_returncode": refresh.returncode, "refresh_output": refresh_out[-2000:],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=8, help="concurrent simulated users")
    parser.add_argument("--requests", type=int, default=2000, help="at most this many requests")
    parser.add_argument("--seconds", type=float, default=60.0, help="at most this long (s)")
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    parser.add_argument("--until", default="2021-06",
                        help="last month of the synthetic sample (YYYY-MM)")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="an existing data folder (a refresh publishes into it)")
    args = parser.parse_args(argv)
    figures = run_load(args.users, args.requests, args.seconds, data_dir=args.data_dir,
                       until=args.until, threads=args.threads)
    print(f"Carga / load: {figures['users']} utilizadores/users, {figures['requests']} "
          f"pedidos/requests in {figures['seconds']} s")
    print(f"  servidos / served: {figures['served']}   erros / errors: {figures['errors']}")
    print(f"  latência / latency p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
          f"p99 {figures['p99_ms']} ms")
    print(f"  publicação / release: {figures['release_before']} -> {figures['release_after']}"
          f" (CURRENT mudou aos / switched at: {figures['switched_at_s']} s)")
    for sample in figures["error_samples"]:
        print(f"  erro / error: {sample}")
    if figures["refresh_returncode"] != 0:
        print("  a atualização falhou / the refresh failed:\n" + figures["refresh_output"])
    return 0 if figures["errors"] == 0 and figures["refresh_returncode"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
