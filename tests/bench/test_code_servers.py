"""The benchmark's daemon step stops the code servers (``dagster api grpc``) of its own
instance and only those: a stand-in process whose command line looks like a code server of
the instance is stopped, one naming another instance is left running."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.bench_daemon import code_servers, stop_code_servers

SLEEP = "import time; time.sleep(120)"


def _fake_code_server(home: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", SLEEP, "dagster", "api", "grpc",
                             "--instance-ref", f'{{"base_dir": "{home}"}}'])


def test_stop_code_servers_stops_this_instances_server_only(tmp_path: Path) -> None:
    ours = _fake_code_server(tmp_path / "bench_dagster_home_ours")
    other = _fake_code_server(tmp_path / "bench_dagster_home_other")
    try:
        marker = str(tmp_path / "bench_dagster_home_ours")
        assert code_servers(marker) == [ours.pid]
        assert stop_code_servers(marker, timeout=10) == [ours.pid]
        assert ours.wait(timeout=10) != 0
        assert code_servers(marker) == []
        assert other.poll() is None
        assert code_servers(str(tmp_path / "bench_dagster_home_other")) == [other.pid]
    finally:
        for proc in (ours, other):
            proc.kill()
            proc.wait()
