"""The floors under the in-process ``monthly_refresh`` (issue 18: 3 s in-process):

* Dagster alone: the same job graph -- the same assets and checks (keys, dependencies,
  partitions, backfill policy, pools, resources), the same in-process executor, run by the
  same :func:`orchestration.runner.run_refresh` -- with every step's body a no-op;
* the warehouse connections alone: every DuckDB database the run opened (recorded while it
  ran), opened and closed again in the same order and mode, nothing else;
* the marts' SQL alone: the warehouse as the run's marts step met it (copied aside just
  before the step), and DuckDB running the same marts SQL on it in a bare connection
  (:func:`indicators.compute.run_marts_sql`: the family marts of the changed months, then
  the counts and data quality in full; the registry tables written first, untimed, as the
  step writes them) -- without the registry tables, the polars assembly
  of the derived values and the write of ``marts.indicator_values`` the step also does.

Both are measured in the bench's refresh step right after the refresh itself
(``bench.steps.scheduler_refresh``) and by ``python -m bench.refresh_profile run --floors``.
"""

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb


@dataclass(frozen=True)
class Opened:
    """One database a run opened: its path (None: in memory) and whether read-only."""

    path: str | None
    read_only: bool


@contextmanager
def recording_connections() -> Iterator[list[Opened]]:
    """Every ``duckdb.connect`` made meanwhile (the calls pass through unchanged)."""
    opened: list[Opened] = []
    real = duckdb.connect

    def connect(database: Any = ":memory:", read_only: bool = False, *args: Any,
                **kwargs: Any) -> duckdb.DuckDBPyConnection:
        name = str(database)
        opened.append(Opened(None if name in (":memory:", "") else name, bool(read_only)))
        return real(database, read_only, *args, **kwargs)

    duckdb.connect = connect
    try:
        yield opened
    finally:
        duckdb.connect = real


def connections_floor(opened: list[Opened]) -> tuple[float, float]:
    """Wall and CPU seconds to open and close the same databases in the same mode, alone
    (a file the run wrote and then removed or renamed is opened in memory instead)."""
    from pathlib import Path

    cpu, wall = time.process_time(), time.perf_counter()
    for o in opened:
        target = o.path if o.path is not None and Path(o.path).exists() else ":memory:"
        duckdb.connect(target, read_only=o.read_only and target != ":memory:").close()
    return time.perf_counter() - wall, time.process_time() - cpu


@dataclass
class MartsInput:
    """The warehouse copied before the marts step, the step's own wall and CPU seconds, and
    the cost of the copy (inside the run's time: callers subtract it)."""

    copy: Path
    step: tuple[float, float] = (0.0, 0.0)
    copying: tuple[float, float] = (0.0, 0.0)
    copies: list[Path] = field(default_factory=list)


@contextmanager
def keeping_marts_input(folder: Path) -> Iterator[MartsInput]:
    """While active, ``pipeline.compute_marts`` first checkpoints its warehouse and copies
    it to ``folder`` (the marts step's input), then runs unchanged and is timed."""
    from indicators import pipeline

    kept = MartsInput(folder / "marts_input.duckdb")
    real = pipeline.compute_marts

    def compute_marts(con: duckdb.DuckDBPyConnection, *args: Any, **kwargs: Any) -> dict:
        cpu, wall = time.process_time(), time.perf_counter()
        con.execute("CHECKPOINT")
        [(path,)] = con.sql("SELECT path FROM duckdb_databases() "
                            "WHERE database_name = current_database()").fetchall()
        shutil.copyfile(path, kept.copy)
        kept.copies.append(kept.copy)
        kept.copying = (time.perf_counter() - wall, time.process_time() - cpu)
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return real(con, *args, **kwargs)
        finally:
            kept.step = (time.perf_counter() - wall, time.process_time() - cpu)

    pipeline.compute_marts = compute_marts
    try:
        yield kept
    finally:
        pipeline.compute_marts = real


def marts_sql_floor(kept: MartsInput) -> tuple[float, float, int]:
    """Wall and CPU seconds of DuckDB running the marts SQL alone on the marts step's input
    (a bare connection, opening it not counted), and the months it computed."""
    from indicators.compute import prepare, run_marts_sql
    from indicators.registry import load_expected, load_registry

    if not kept.copies:
        raise RuntimeError("the run had no marts step to copy the input of")
    con = duckdb.connect(str(kept.copy))
    try:  # the registry tables as the step writes them first (the SQL joins them), untimed
        prepare(con, load_registry(), load_expected())
        cpu, wall = time.process_time(), time.perf_counter()
        months = run_marts_sql(con)
        return time.perf_counter() - wall, time.process_time() - cpu, months
    finally:
        con.close()


def _noop_asset(assets: dg.AssetsDefinition) -> dg.AssetsDefinition:
    @dg.multi_asset(name=assets.node_def.name, specs=list(assets.specs),
                    check_specs=list(assets.check_specs),
                    partitions_def=assets.partitions_def,
                    backfill_policy=assets.backfill_policy, can_subset=assets.can_subset,
                    required_resource_keys=set(assets.required_resource_keys),
                    pool=assets.node_def.pool)
    def noop(context: dg.AssetExecutionContext) -> Iterator[dg.MaterializeResult]:
        for key in context.selected_asset_keys:
            yield dg.MaterializeResult(asset_key=key)

    return noop


def _noop_checks(checks: dg.AssetChecksDefinition) -> dg.AssetChecksDefinition:
    @dg.multi_asset_check(name=checks.node_def.name, specs=list(checks.check_specs),
                          can_subset=True,
                          required_resource_keys=set(checks.required_resource_keys),
                          pool=checks.node_def.pool)
    def noop(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
        for key in context.selected_asset_check_keys:
            yield dg.AssetCheckResult(passed=True, asset_key=key.asset_key,
                                      check_name=key.name)

    return noop


def noop_defs(defs: dg.Definitions) -> dg.Definitions:
    """``defs`` with every asset and check body a no-op (same graph, jobs and executors)."""
    # a definitions folder lists an object once per module that imports it
    assets = {a.node_def.name: a for a in defs.assets or () if isinstance(a, dg.AssetsDefinition)}
    checks = {c.node_def.name: c for c in defs.asset_checks or ()}
    jobs = {j.name: j for j in defs.jobs or ()}
    return dg.Definitions(assets=[_noop_asset(a) for a in assets.values()],
                          asset_checks=[_noop_checks(c) for c in checks.values()],
                          jobs=list(jobs.values()), resources=dict(defs.resources or {}))


def dagster_floor(key: str, resources: dict, defs: dg.Definitions) -> tuple[float, float]:
    """Wall and CPU seconds of ``monthly_refresh`` for partition ``key`` with no-op steps."""
    from orchestration.runner import JOB, run_refresh

    empty = noop_defs(defs)
    empty.resolve_job_def(JOB)  # built before, as the real job's is (warm, like the bench's)
    cpu, wall = time.process_time(), time.perf_counter()
    report = run_refresh(key, key, resources=resources, defs=empty)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if not report.success:
        raise RuntimeError(f"no-op refresh failed: {report.errors + report.failed_checks}")
    return wall, cpu
