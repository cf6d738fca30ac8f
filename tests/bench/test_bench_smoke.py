"""Smoke test of ``python -m bench``: every step of the national scale runs at tiny sizes and
prints a row with numbers. No timing thresholds: figures vary by machine. (The timeout is
only a guard: the refresh step starts a Dagster daemon and launches two runs.)"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.bench_daemon import code_servers

ROOT = Path(__file__).resolve().parents[2]
STEPS = ("generate (synthetic)", "validation + load", "indicator computation",
         "disclosure control + audit", "publication of a release",
         "one-month incremental refresh")
NUMBER = re.compile(r"\d")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not (Path("/usr/bin/chromium").exists()
                         and Path("/usr/bin/chromedriver").exists()),
                    reason="needs Debian chromium and chromium-driver (make browser)")
def test_quick_national_bench_prints_every_step_with_numbers(tmp_path: Path) -> None:
    out = tmp_path / "out" / "results.json"
    env = {**os.environ, "OBS_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--scale", "national", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    # the daemon step's instance lives under the data folder: none of its code servers
    # (dagster api grpc, started by the daemon and by `dagster job launch`) is left running
    assert code_servers(str(tmp_path)) == [], "a dagster api grpc process outlived the bench"
    lines = [line for line in done.stdout.splitlines() if line.startswith("national ")]
    for step in STEPS:
        row = next((line for line in lines if line.startswith(f"national  {step}")), None)
        assert row is not None, f"no row for {step!r} in:\n{done.stdout}"
        time_cell = row[len(f"national  {step}"):].split()[0]
        assert NUMBER.search(time_cell), row
        assert "FAILED" not in row and "NOT RUN" not in row, row
    callbacks = [line for line in lines if line.startswith("national  callback ")]
    loads = [line for line in lines if line.startswith("national  first page load ")]
    assert any("render_content" in line for line in callbacks), done.stdout
    assert all(re.search(r"p50 \d+\.\d ms / p95 \d+\.\d ms", line) for line in callbacks)
    assert {line.split()[4] for line in loads} >= {"/", "/results", "/quality"}, loads
    results = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert all(r["status"] == "ok" for r in results), results
    for r in results:  # every step measured its floor in the same run, except generation
        if r["step"] != "generate (synthetic)":
            assert r["floor_seconds"] and r["floor_seconds"] > 0, r
        assert r["peak_mb"] > 0, r
