"""Time (or profile) the in-process one-month ``monthly_refresh`` on a kept state, repeatably.

The refresh step of ``python -m bench`` runs once per bench; to compare changes on a loaded
machine, runs must be repeated (and alternated) on the same state:

1. keep the state the publish step leaves:
   ``OBS_DATA_DIR=data/bench python -m bench --scale national --steps
   generate,load,indicators,disclosure,publish --keep``;
2. ``python -m bench.refresh_profile prepare data/bench/bench_national_XXXX data/refresh-state
   [--revisions 2]``: the copy the refresh step makes (months after the last complete one
   removed), one revision (or two, one after the other: then the timed refresh is a steady
   one, see :func:`prepare`) ingested and refreshed (so earlier releases are retained, as in
   the bench);
3. ``python -m bench.refresh_profile run data/refresh-state [--profile 40]``: copies the state
   to a temporary folder, runs ``inbox_ingest`` once (warm imports, as in the bench), lands a
   revised return and prints the wall time and CPU seconds of ``run_refresh`` for that month
   (with ``--profile N``: cProfile's N most expensive functions by cumulative time;
   ``--dump FILE``: the whole profile, for ``python -m pstats FILE``; ``--floors``: then the
   floors of ``bench.refresh_floor`` -- the same job with no-op steps, and the warehouse
   connections the run opened, opened alone).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def prepare(work: Path, state: Path, revisions: int = 1) -> str:
    """The refresh step's past-only copy of ``work``, ``revisions`` revisions (1 or 2) of the
    month refreshed one after the other, into ``state``. With one (as the bench's refresh
    step), the timed refresh still settles the pattern: it solves again problems of past
    years whose marks the first revision's release changed (10 solved on the national bench);
    with two, it is a steady refresh (2 solved, the revised month's own problems)."""
    from bench import scale as sc
    from bench.steps import _past_only_copy, revise_month
    from indicators.settings import load_settings
    from orchestration.defs.resources import resources_for
    from orchestration.runner import last_partition, load_defs, run_refresh

    month = min(last_partition()[:7], sc.national_size(False).last)
    data = _past_only_copy(work, month)
    settings = load_settings({"OBS_DATA_DIR": str(data)}).ensure_dirs()
    resources, defs = resources_for(str(data)), load_defs()
    for suffix in ("rev1", "rev2")[2 - revisions:]:  # the timed run lands "rev3"
        revise_month(settings, month, suffix)
        report = run_refresh(f"{month}-01", f"{month}-01", resources=resources, defs=defs)
        if not report.success:
            raise RuntimeError(f"refresh failed: {report.errors + report.failed_checks}")
    shutil.rmtree(state, ignore_errors=True)
    shutil.copytree(data, state)
    (state / "BENCH_MONTH").write_text(month, encoding="utf-8")
    return month


def run(state: Path, profile: int = 0, dump: Path | None = None, floors: bool = False) -> str:
    """One timed refresh on a copy of ``state``; the line to print."""
    from contextlib import nullcontext

    from bench.refresh_floor import (
        connections_floor,
        dagster_floor,
        keeping_marts_input,
        marts_sql_floor,
        recording_connections,
    )
    from bench.steps import revise_month
    from indicators.settings import load_settings
    from orchestration.defs.resources import resources_for
    from orchestration.runner import load_defs, run_refresh

    with tempfile.TemporaryDirectory(prefix="refresh_profile_") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(state, data)
        month = (data / "BENCH_MONTH").read_text(encoding="utf-8").strip()
        settings = load_settings({"OBS_DATA_DIR": str(data)}).ensure_dirs()
        resources, defs = resources_for(str(data)), load_defs()
        defs.resolve_job_def("inbox_ingest").execute_in_process(resources=resources,
                                                                raise_on_error=False)
        revise_month(settings, month, "rev3")
        profiler = cProfile.Profile() if profile or dump else None
        cpu, wall, helpers = time.process_time(), time.perf_counter(), _children_cpu()
        if profiler:
            profiler.enable()
        marts = keeping_marts_input(Path(tmp)) if floors else nullcontext()
        with recording_connections() as opened, marts as kept:
            report = run_refresh(f"{month}-01", f"{month}-01", resources=resources, defs=defs)
        if profiler:
            profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        helpers = _children_cpu() - helpers
        floor = ""
        if floors:  # the copy of the marts' input is no part of the refresh
            wall, cpu = wall - kept.copying[0], cpu - kept.copying[1]
            noop_wall, noop_cpu = dagster_floor(f"{month}-01", resources, defs)
            con_wall, con_cpu = connections_floor(opened)
            sql_wall, sql_cpu, months = marts_sql_floor(kept)
            floor = (f"\nfloors: the same job with no-op steps {noop_wall:.2f} s, "
                     f"{noop_cpu:.2f} CPU s; its {len(opened)} DuckDB connections opened alone "
                     f"{con_wall:.2f} s, {con_cpu:.2f} CPU s; the marts step "
                     f"{kept.step[0]:.2f} s, {kept.step[1]:.2f} CPU s, DuckDB running its SQL "
                     f"alone on the same input ({months} month(s) of family marts, counts "
                     f"and data quality in full) {sql_wall:.2f} s, {sql_cpu:.2f} CPU s")
    if profiler and dump:
        profiler.dump_stats(dump)
    if profiler and profile:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
    return (f"monthly_refresh {month}: {wall:.2f} s, {cpu:.2f} CPU s (+ helper processes "
            f"{helpers:.2f} CPU s), success={report.success}; "
            f"{report.summary_en}{floor}")


def _children_cpu() -> float:
    """CPU seconds of the ended child processes waited for (helper processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.refresh_profile",
                                     description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    prep = sub.add_parser("prepare", help="make a state from a kept bench work folder")
    prep.add_argument("work", type=Path)
    prep.add_argument("state", type=Path)
    prep.add_argument("--revisions", type=int, choices=(1, 2), default=1,
                      help="revisions refreshed before (2: the timed refresh is a steady one)")
    once = sub.add_parser("run", help="time one refresh on a copy of the state")
    once.add_argument("state", type=Path)
    once.add_argument("--profile", type=int, default=0, metavar="N")
    once.add_argument("--dump", type=Path, default=None, metavar="FILE",
                      help="write the whole profile (pstats format) to FILE")
    once.add_argument("--floors", action="store_true",
                      help="then measure the floors (bench/refresh_floor.py)")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        print(f"state {args.state}: month "
              f"{prepare(args.work, args.state, args.revisions)}")
    else:
        print(run(args.state, args.profile, args.dump, args.floors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
