"""The hazard behind "never fork a process that has used polars or DuckDB", reproduced.

A parent that has run a DuckDB query converted to polars and a polars group-by (so both
libraries' thread pools exist) forks; the child's first polars conversion waits for pool
threads that were not copied by ``fork`` and hangs for ever. The same work in a fresh process
(what ``observatory demo`` does to start the dashboard, and the only way the production
server, waitress, runs: it never forks) finishes. The child is given ``HANG_AFTER_S``; a
child still running then counts as hung and is killed.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HANG_AFTER_S = 20
pytestmark = pytest.mark.slow

WORK = """
import duckdb, polars as pl
def work():
    frame = duckdb.connect().sql(
        "select range as i, range % 7 as g from range(2000000)").pl()
    return frame.group_by("g").agg(pl.col("i").sum()).height
"""

FORKED = WORK + f"""
import os, sys, time
work()                      # the parent's pools exist now
pid = os.fork()
if pid == 0:
    work()
    os._exit(0)
deadline = time.monotonic() + {HANG_AFTER_S}
while time.monotonic() < deadline:
    if os.waitpid(pid, os.WNOHANG)[0]:
        print("finished"); sys.exit(0)
    time.sleep(0.1)
os.kill(pid, 9); os.waitpid(pid, 0)
print("hung")
"""

FRESH = WORK + """
import subprocess, sys
work()                      # the parent's pools exist now
child = subprocess.run([sys.executable, "-c", {work!r} + "work()"], timeout={limit})
print("finished" if child.returncode == 0 else "failed")
"""


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=HANG_AFTER_S + 60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_forked_child_of_a_polars_duckdb_process_hangs():
    assert _run(FORKED) == "hung"


def test_a_fresh_process_started_by_such_a_process_does_not_hang():
    assert _run(FRESH.format(work=WORK, limit=HANG_AFTER_S)) == "finished"
