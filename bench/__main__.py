"""``python -m bench`` (``make bench``): every benchmark, one table.

First (national scale) the disclosure engine alone on synthetic hierarchical tables (a 4-D
table of ~13k cells, 10^4, 10^5, and 10^6 cells as eight yearly tables; the same 10^6 as one
table reported as not run): protect, audit and a naive baseline, each with the time to build
every total of the table as its floor; and three other draws of the 4-D table's shape (other
seeds), in one row with the slowest one's time.
For each scale (``national``, ``european``; see bench/scale.py) the steps run one after the
other, each in its own process (bench/steps.py) on the state the previous steps left in a
temporary folder: synthetic data, validation + load, indicator computation, disclosure
control with its audit, publication of a release, one-month incremental refresh, dashboard
callbacks through waitress (p50/p95) and first page load in headless Chromium. Each row gives
the wall time, rows per second, the peak memory and the CPU seconds of the step's process
(``ru_maxrss``, ``ru_utime + ru_stime`` from ``wait4``, which include the processes it waited
for: servers, browser, workers; one figure per process, so the rows of one step share it;
on a shared machine CPU seconds vary less than wall time) and a floor measured
in the same run on the same machine, with the ratio time / floor.

    python -m bench [--scale national|european|all] [--quick] [--markdown]
                    [--out bench/out/results.json] [--budget-seconds 600]
                    [--steps generate,load,indicators,...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STEP_ORDER = ("engine_4d", "engine_1e4", "engine_1e5", "engine_1e6", "generate", "load",
              "indicators", "disclosure", "publish", "refresh", "dashboard", "series")
RESULT_PREFIX = "BENCH_RESULT "
PYCACHE = ROOT / "bench" / "out" / "pycache"
STEP_LABELS = {"engine_4d": "disclosure engine 4-D", "engine_1e4": "disclosure engine 10^4",
               "engine_1e5": "disclosure engine 10^5", "engine_1e6": "disclosure engine 10^6",
               "generate": "generate (synthetic)", "load": "validation + load",
               "indicators": "indicator computation", "disclosure": "disclosure control + audit",
               "publish": "publication of a release", "refresh": "one-month incremental refresh",
               "dashboard": "dashboard callbacks and first page load",
               "series": "consecutive monthly releases (no suppression ratchet)"}
HEADERS = ("scale", "step", "time", "rows", "rows/s", "peak MB", "step CPU s", "floor",
           "floor time", "ratio", "notes")


# ---------------------------------------------------------------- running steps


def run_step(scale: str, step: str, work: Path, quick: bool, budget: float,
             log: Path) -> list[dict[str, Any]]:
    """Run one step in a child process; its rows with ``peak_mb`` (or a failed row)."""
    command = [sys.executable, "-m", "bench.steps", scale, step, str(work),
               "--budget-seconds", str(budget)] + (["--quick"] if quick else [])
    env = {**os.environ, "OBS_DATA_DIR": str(work / "data"), "PYTHONUNBUFFERED": "1"}
    for name in ("OBS_INBOX_DIR", "OBS_WAREHOUSE", "OBS_USERS_FILE", "OBS_USERS"):
        env.pop(name, None)
    # As an installed deployment does, keep compiled bytecode between processes (here in
    # bench/out/pycache, outside the source tree): with PYTHONDONTWRITEBYTECODE=1 every step,
    # run and code server would compile ~1,000 modules again (5-6 CPU s per process).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    hard_limit = budget * 2 + 900
    start = time.perf_counter()
    with log.open("ab") as err, tempfile.TemporaryFile() as out:
        err.write(f"\n=== {scale} {step}\n".encode())
        err.flush()
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err,
                                start_new_session=True)
        timer = threading.Timer(hard_limit, _kill_group, (proc.pid,))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        stdout = out.read().decode("utf-8", "replace")
    elapsed = time.perf_counter() - start
    peak_mb = usage.ru_maxrss / 1024
    lines = [ln for ln in stdout.splitlines() if ln.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        reason = ("killed after the hard limit" if elapsed >= hard_limit
                  else f"exit {proc.returncode}: {_last_error(log)}")
        return [{"step": STEP_LABELS[step], "seconds": None, "rows": None, "floor": "",
                 "status": "failed", "floor_seconds": None, "note": reason, "peak_mb": peak_mb}]
    rows = json.loads(lines[-1][len(RESULT_PREFIX):])
    cpu = usage.ru_utime + usage.ru_stime  # the step's process and the children it waited
    for item in rows:
        item["peak_mb"] = peak_mb
        item["step_cpu_s"] = cpu
    return rows


def _kill_group(pid: int) -> None:
    with suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _last_error(log: Path) -> str:
    lines = [ln for ln in log.read_text(encoding="utf-8", errors="replace").splitlines()
             if ln.strip() and not ln.strip().startswith("^")]
    return lines[-1][:200] if lines else "?"


# ---------------------------------------------------------------- the table


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 120:
        return f"{seconds:.2f} s"
    return f"{seconds:.0f} s"


def table_rows(results: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    out = []
    for r in results:
        seconds, rows, floor_s = r.get("seconds"), r.get("rows"), r.get("floor_seconds")
        if "p50_ms" in r:
            time_text = f"p50 {r['p50_ms']:.1f} ms / p95 {r['p95_ms']:.1f} ms"
        else:
            time_text = fmt_time(seconds)
        rate = f"{rows / seconds:,.0f}" if rows and seconds else "-"
        ratio = f"{seconds / floor_s:,.1f}x" if seconds and floor_s else "-"
        note = r.get("note", "")
        if r.get("status") in ("not run", "failed"):
            note = f"{r['status'].upper()}: {note}"
        elif r.get("status") == "partial":
            note = f"PARTIAL: {note}"
        peak = f"{r['peak_mb']:,.0f}" if r.get("peak_mb") else "-"
        cpu = f"{r['step_cpu_s']:,.1f}" if r.get("step_cpu_s") else "-"
        out.append((r["scale"], r["step"], time_text, f"{rows:,}" if rows else "-", rate,
                    peak, cpu, r.get("floor") or "-", fmt_time(floor_s), ratio, note))
    return out


def render_text(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(HEADERS)]
    widths[-1] = len(HEADERS[-1])  # notes: not padded
    line = "  ".join(h.ljust(w) for h, w in zip(HEADERS, widths, strict=True))
    body = ["  ".join(c.ljust(w) if i < len(HEADERS) - 1 else c
                      for i, (c, w) in enumerate(zip(r, widths, strict=True)))
            for r in rows]
    return "\n".join([line, "-" * len(line), *body])


def render_markdown(rows: list[tuple[str, ...]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    right = {"time", "rows", "rows/s", "peak MB", "step CPU s", "floor time", "ratio"}
    head = "| " + " | ".join(HEADERS) + " |"
    align = "|" + "|".join("---:" if h in right else "---" for h in HEADERS) + "|"
    body = ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return "\n".join([head, align, *body])


def machine() -> dict[str, str]:
    cpu = "?"
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "?"
    with suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    os_name = platform.platform()
    with suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    import duckdb
    import polars

    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram": ram, "os": os_name,
            "kernel": platform.release(), "python": platform.python_version(),
            "duckdb": duckdb.__version__, "polars": polars.__version__}


EUROPEAN_SCOPE = (
    "European scale: exercised = SQL validation of core-shaped rows (contract codes, synthetic "
    "region list), loading into core.*, the monthly snapshot and every SQL mart / indicator, "
    "the disclosure engine (protect + audit) on per-country region x sex x status problems "
    "and on every other problem of indicators.problems over the union's totals, within the "
    "time budget; a one-month reload + recomputation. NOT exercised = CSV/XLSX parsing and "
    "per-file ingest (the contract knows Portuguese districts only), "
    "publication, the dashboard and the browser (they draw Portuguese districts "
    "only).")


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=("national", "european", "all"), default="all")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "results.json")
    parser.add_argument("--budget-seconds", type=float, default=600.0,
                        help="time budget of the European disclosure control (default 600)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folders")
    parser.add_argument("--steps", default=",".join(STEP_ORDER),
                        help="comma-separated steps to run, in order, each on the state the "
                             "previous ones left (default: all: " + ",".join(STEP_ORDER) + ")")
    args = parser.parse_args(argv)
    scales = ("national", "european") if args.scale == "all" else (args.scale,)
    steps = [s for s in STEP_ORDER if s in args.steps.split(",")]
    if not steps or set(args.steps.split(",")) - set(STEP_ORDER):
        parser.error(f"--steps: choose among {', '.join(STEP_ORDER)}")
    info = machine()
    base = Path(os.environ["OBS_DATA_DIR"]) if os.environ.get("OBS_DATA_DIR") else None
    if base is not None:
        base.mkdir(parents=True, exist_ok=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    log = args.out.parent / "bench.log"
    log.write_text("", encoding="utf-8")
    print(f"machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM, {info['os']}, "
          f"Python {info['python']}, duckdb {info['duckdb']}", flush=True)
    results: list[dict[str, Any]] = []
    started = time.perf_counter()
    for scale in scales:
        work = Path(tempfile.mkdtemp(prefix=f"bench_{scale}_", dir=base))
        try:
            failed = False
            for step in steps:
                if failed:
                    results.append({"scale": scale, "step": STEP_LABELS[step], "seconds": None,
                                    "rows": None, "floor": "", "floor_seconds": None,
                                    "status": "not run", "note": "an earlier step failed"})
                    continue
                t0 = time.perf_counter()
                print(f"[{time.perf_counter() - started:7.0f} s] {scale}: {step} ...",
                      file=sys.stderr, flush=True)
                for item in run_step(scale, step, work, args.quick, args.budget_seconds, log):
                    item["scale"] = scale
                    results.append(item)
                    failed = failed or item.get("status") == "failed"
                print(f"            done in {time.perf_counter() - t0:.0f} s", file=sys.stderr,
                      flush=True)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    rows = table_rows(results)
    print()
    print(render_markdown(rows) if args.markdown else render_text(rows))
    if "european" in scales:
        print(f"\n{EUROPEAN_SCOPE}")
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    args.out.write_text(json.dumps({"machine": info, "command": command.strip(),
                                    "total_seconds": round(time.perf_counter() - started, 1),
                                    "results": results}, indent=2, default=str),
                        encoding="utf-8")
    print(f"\nresults: {args.out} (log: {log}); total {time.perf_counter() - started:.0f} s")
    return 1 if any(r.get("status") == "failed" for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
