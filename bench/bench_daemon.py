"""The refresh as the scheduler runs it: runs launched into a real Dagster instance.

A temporary ``DAGSTER_HOME`` gets the project's ``dagster.yaml`` and a workspace pointing at
``orchestration.definitions``; ``dagster-daemon run`` is started as a fresh process (as in
production, where it is always running). Then, on the data folder the previous benchmark
steps left:

1. a revised return lands in the inbox: the daemon's ``inbox_sensor`` launches an
   ``inbox_ingest`` run (measured from the run's creation to its success, so the sensor's
   30 s polling interval is not counted);
2. ``dagster job launch -j monthly_refresh`` submits the refresh of that month, as the
   schedule does (measured from the command's start, and from the run's creation, to its
   success).

Each run goes through the queued run coordinator and the default run launcher (a fresh
``dagster api execute_run`` process per run) with the job's executor.

The daemon and ``dagster job launch`` each start a code server (``dagster api grpc``) whose
command line names the instance; when the benchmark ends, every such process of this
instance is stopped (:func:`stop_code_servers`), so none outlives the benchmark (a code
server otherwise lives on until its heartbeat times out).

Run: ``python -m bench.bench_daemon DATA_DIR MONTH`` (``MONTH`` = ``YYYY-MM``, a complete
month with data) prints one JSON line; ``bench/steps.py`` calls :func:`daemon_refresh`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import suppress
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORKSPACE = ("load_from:\n  - python_module:\n      module_name: orchestration.definitions\n"
             f"      working_directory: {ROOT}\n")


def _env(home: Path, data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "DAGSTER_HOME": str(home), "OBS_DATA_DIR": str(data_dir.resolve()),
           "PYTHONUNBUFFERED": "1"}
    for name in ("OBS_INBOX_DIR", "OBS_WAREHOUSE", "OBS_FAULT_POINT"):
        env.pop(name, None)
    return env


def code_servers(marker: str) -> list[int]:
    """Process ids of the ``dagster api grpc`` processes whose command line contains
    ``marker`` (e.g. the instance's home folder, which the code server's instance ref names)."""
    return _processes_with("api grpc", "dagster", marker)


def stop_code_servers(marker: str, timeout: float = 15.0) -> list[int]:
    """SIGTERM the code servers of :func:`code_servers`, SIGKILL those still alive after
    ``timeout`` seconds; returns the process ids that were found."""
    pids = code_servers(marker)
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and code_servers(marker):
        time.sleep(0.1)
    for pid in code_servers(marker):
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return pids


class WorkerCpu:
    """CPU seconds of a run's worker process (the pid its first engine event names: the code
    server starts it by ``multiprocessing``, no run id on its command line), sampled from
    ``/proc`` while it lives: the last sample before it ends (polled every 0.1 s, so up to
    0.1 s of its CPU time may be missed)."""

    def __init__(self, instance: Any, run_id: str) -> None:
        self.instance, self.run_id = instance, run_id
        self.pid: int | None = None
        self.seconds: float | None = None

    def poll(self) -> None:
        if self.pid is None:
            from dagster import DagsterEventType

            for entry in self.instance.all_logs(self.run_id,
                                                of_type=DagsterEventType.ENGINE_EVENT):
                found = re.search(r"pid: (\d+)", entry.user_message or "")
                if found:
                    self.pid = int(found[1])
                    break
        if self.pid is None:
            return
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return
        ticks = sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
        self.seconds = ticks / os.sysconf("SC_CLK_TCK")


def _processes_with(*words: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        line = args.decode("utf-8", "replace")
        if all(w in line for w in words):
            found.append(int(proc.name))
    return found


def _instance(home: Path) -> Any:
    import dagster as dg

    return dg.DagsterInstance.from_config(str(home))


def _wait_run(instance: Any, find: Any, timeout: float,
              daemon: subprocess.Popen | None = None, watch: Any = None) -> Any:
    """Poll until ``find()`` returns a finished run record; returns it (or raises, also when
    the ``daemon`` process has ended)."""
    from dagster import DagsterRunStatus

    finished = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if daemon is not None and daemon.poll() is not None:
            raise RuntimeError(f"dagster-daemon ended (exit {daemon.returncode})")
        if watch is not None:
            watch()
        record = find()
        if record is not None and record.dagster_run.status in finished:
            return record
        time.sleep(0.1)
    raise TimeoutError(f"no finished run within {timeout:.0f} s")


def _seconds(record: Any) -> float:
    return float(record.end_time - record.create_timestamp.timestamp())


def daemon_refresh(data_dir: Path, month: str, revise: Any, timeout: float = 600.0,
                   ) -> dict[str, Any]:
    """Start a daemon, let the sensor ingest the file ``revise()`` writes into the inbox,
    then launch ``monthly_refresh`` for ``month`` (``YYYY-MM``); the timings in seconds."""
    from dagster import RunsFilter

    # absolute: the daemon refuses a relative $DAGSTER_HOME (OBS_DATA_DIR=data/bench failed)
    home = Path(tempfile.mkdtemp(prefix="bench_dagster_home_", dir=data_dir.parent)).resolve()
    shutil.copyfile(ROOT / "dagster.yaml", home / "dagster.yaml")
    (home / "workspace.yaml").write_text(WORKSPACE, encoding="utf-8")
    env = _env(home, data_dir)
    # the instance's storage is created here, before the daemon starts: two processes
    # creating the same SQLite schema at once fail ("table alembic_version already exists")
    instance = _instance(home)
    log = (home / "daemon.log").open("wb")
    daemon = subprocess.Popen([str(BIN / "dagster-daemon"), "run", "-w",
                               str(home / "workspace.yaml")], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        revise()
        ingest = _wait_run(instance, lambda: next(iter(instance.get_run_records(
            RunsFilter(job_name="inbox_ingest"), limit=1)), None), timeout, daemon)
        run_id = str(uuid.uuid4())
        tags = {"dagster/partition": f"{month}-01"}
        worker = WorkerCpu(instance, run_id)
        start = time.time()
        subprocess.run([str(BIN / "dagster"), "job", "launch", "-w",
                        str(home / "workspace.yaml"), "-j", "monthly_refresh", "--run-id",
                        run_id, "--tags", json.dumps(tags)], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        refresh = _wait_run(instance, lambda: instance.get_run_record_by_id(run_id), timeout,
                            daemon, worker.poll)
        return {"ingest_run_s": _seconds(ingest),
                "ingest_status": ingest.dagster_run.status.value,
                "refresh_run_s": _seconds(refresh),
                "refresh_command_s": refresh.end_time - start,
                "refresh_status": refresh.dagster_run.status.value,
                "refresh_start_s": refresh.start_time - refresh.create_timestamp.timestamp(),
                "refresh_worker_cpu_s": worker.seconds}
    finally:
        with suppress(ProcessLookupError):
            os.killpg(daemon.pid, signal.SIGTERM)
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()
        stop_code_servers(str(home))
        log.close()
        if os.environ.get("BENCH_KEEP_DAGSTER_HOME"):
            print(f"dagster home kept: {home}", file=sys.stderr)
        else:
            shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("month", help="YYYY-MM: the month revised and refreshed")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench.steps import revise_month
    from indicators.settings import load_settings

    settings = load_settings({"OBS_DATA_DIR": str(args.data_dir)}).ensure_dirs()
    result = daemon_refresh(args.data_dir, args.month,
                            lambda: revise_month(settings, args.month))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
