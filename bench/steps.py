"""The measured steps of ``python -m bench``; each runs in its own process.

``python -m bench.steps SCALE STEP WORK_DIR [--quick] [--budget-seconds N]`` runs one step on
the state left in WORK_DIR by the previous steps and prints one JSON line (prefixed
``BENCH_RESULT ``) with its rows: ``{"step", "seconds", "rows", "floor", "floor_seconds",
"note", "status"}`` (callbacks and page loads also give ``p50_ms`` / ``p95_ms``). The parent
(``bench/__main__.py``) reads the peak memory of the process from ``wait4``.

Every step calls the same functions the Dagster assets call (``indicators.pipeline``,
``indicators.publish``); the floor is measured in the same process, right after.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import scale as sc  # noqa: E402

RESULT_PREFIX = "BENCH_RESULT "
Row = dict[str, Any]


def row(step: str, seconds: float | None, rows: int | None, floor: str = "",
        floor_seconds: float | None = None, note: str = "", status: str = "ok",
        **extra: Any) -> Row:
    return {"step": step, "seconds": seconds, "rows": rows, "floor": floor,
            "floor_seconds": floor_seconds, "note": note, "status": status, **extra}


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _settings(work: Path) -> Any:
    from indicators.settings import load_settings

    return load_settings({"OBS_DATA_DIR": str(work / "data")}).ensure_dirs()


def _size(scale: str, quick: bool) -> sc.Size:
    return sc.national_size(quick) if scale == "national" else sc.european_size(quick)


def _first_last(size: sc.Size) -> tuple[date, date]:
    return (date(int(size.first[:4]), int(size.first[5:]), 1),
            date(int(size.last[:4]), int(size.last[5:]), 1))


def _core_rows(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.sql("SELECT CAST((SELECT count(*) FROM core.victims) + (SELECT count(*) "
                       "FROM core.support) + (SELECT count(*) FROM core.activities) AS BIGINT)"
                       ).fetchall()[0][0])


def _parquet_floor(paths: list[Path], target: Path) -> float:
    """DuckDB reading the same rows straight from Parquet into a table of a new file."""
    target.unlink(missing_ok=True)
    start = time.perf_counter()
    con = duckdb.connect(str(target))
    for i, path in enumerate(paths):
        con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_parquet('{path}')")
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - start


# ---------------------------------------------------------------- generate


def step_generate(scale: str, work: Path, quick: bool, budget: float) -> list[Row]:
    size = _size(scale, quick)
    if scale == "national":
        from indicators.sample import README_TEXT, SYNTHETIC_README

        settings = _settings(work)

        def make() -> int:
            returns = sc.national_returns(size)
            _, rows = sc.write_national_inbox(settings.inbox_dir, returns)
            sc.returns_to_parquet(returns, work / "parquet")
            (settings.data_dir / SYNTHETIC_README).write_text(README_TEXT.format(seed=sc.SEED),
                                                              encoding="utf-8")
            return rows

        rows, seconds = timed(make)
        files = len(list(settings.inbox_dir.iterdir()))
        note = (f"{size.first}..{size.last}, {size.regions} districts, {size.partners} "
                f"partners, {files} CSV files (indicators.sample)")
    else:
        counts, seconds = timed(lambda: sc.write_european(work / "parquet", size, quick))
        rows = sum(counts[t] for t in sc.CELL_COLUMNS)
        note = (f"{size.first}..{size.last}, {size.regions} regions in {size.countries} "
                f"countries, core-shaped Parquet")
    return [row("generate (synthetic)", seconds, rows, note=note)]


# ---------------------------------------------------------------- validation + load


def step_load(scale: str, work: Path, quick: bool, budget: float) -> list[Row]:
    parquet = sorted((work / "parquet").glob("*.parquet"))
    cells = [p for p in parquet if p.stem in sc.CELL_COLUMNS]
    if scale == "national":
        from indicators.ingest import ingest_paths

        settings = _settings(work)
        outcomes, seconds = timed(lambda: ingest_paths([settings.inbox_dir], settings,
                                                       today=sc.NATIONAL_TODAY))
        bad = [o.file_name for o in outcomes if o.status != "loaded"]
        if bad:
            raise RuntimeError(f"{len(bad)} files not loaded: {bad[:3]}")
        rows = sum(o.n_rows for o in outcomes)
        note = f"{len(outcomes)} files: hash, validate, archive, load, move"
    else:
        (rows, note), seconds = timed(lambda: european_validate_load(work, cells))
    floor = _parquet_floor(cells, work / "floor_load.duckdb")
    return [row("validation + load", seconds, rows, "DuckDB reads the same rows from Parquet",
                floor, note)]


def european_validate_load(work: Path, cells: list[Path]) -> tuple[int, str]:
    """Validate the core-shaped rows with SQL (codes of the contract, regions of the synthetic
    list, counts, periods, duplicate keys), then load them into core.*; (rows, note)."""
    from indicators import warehouse
    from indicators.contract import load_contract

    contract = load_contract()
    settings = _settings(work)
    folder = work / "parquet"
    problems: list[str] = []
    rows = 0
    with warehouse.connect(settings.warehouse_path) as con:
        regions = f"read_parquet('{folder / 'regions.parquet'}')"
        for path in cells:
            return_type = path.stem
            source = f"read_parquet('{path}')"
            for column in sc.CELL_COLUMNS[return_type]:
                if column in ("submission_id", "partner", "period", "count"):
                    continue
                if column == "district":
                    allowed_sql = f"SELECT region FROM {regions}"
                else:
                    codes = contract.allowed_codes(column, return_type)
                    allowed_sql = "SELECT unnest($codes)"
                    con.execute("SET VARIABLE codes = $c", {"c": list(codes)})
                    allowed_sql = "SELECT unnest(getvariable('codes'))"
                bad = con.sql(f'SELECT count(*) FROM {source} WHERE "{column}" NOT IN '
                              f"({allowed_sql})").fetchall()[0][0]
                if bad:
                    problems.append(f"{return_type}.{column}: {bad}")
            bad = con.sql(f"SELECT count(*) FROM {source} WHERE count < 0 OR count > "
                          f"{contract.max_count} OR count IS NULL OR period IS NULL").fetchall()
            if bad[0][0]:
                problems.append(f"{return_type}: {bad[0][0]} bad count/period")
            keys = ", ".join(f'"{c}"' for c in sc.CELL_COLUMNS[return_type] if c != "count")
            dupes = con.sql(f"SELECT count(*) FROM (SELECT {keys} FROM {source} GROUP BY ALL "
                            "HAVING count(*) > 1)").fetchall()[0][0]
            if dupes:
                problems.append(f"{return_type}: {dupes} duplicate keys")
        if problems:
            raise RuntimeError(f"generated rows rejected: {problems}")
        con.begin()
        con.execute(f"INSERT INTO core.ingest_log (ingest_id, file_name, sha256, size_bytes, "
                    f"partner, return_types, periods, n_rows, status, stored_path, "
                    f"received_at, loaded_at) SELECT * FROM "
                    f"read_parquet('{folder / 'ingest_log.parquet'}')")
        con.execute(f"INSERT INTO core.submissions (submission_id, partner, return_type, "
                    f"period, version, ingest_id, sha256, n_rows, received_at) SELECT * FROM "
                    f"read_parquet('{folder / 'submissions.parquet'}')")
        for path in cells:
            columns = ", ".join(f'"{c}"' for c in sc.CELL_COLUMNS[path.stem])
            con.execute(f"INSERT INTO core.{path.stem}_cells ({columns}) SELECT {columns} "
                        f"FROM read_parquet('{path}')")
        con.commit()
        rows = _core_rows(con)
    return rows, ("SQL validation (contract codes, synthetic region list, counts, duplicate "
                  "keys) + INSERT into core.*_cells; no CSV parsing, no per-file archive")


# ---------------------------------------------------------------- indicators


def step_indicators(scale: str, work: Path, quick: bool, budget: float) -> list[Row]:
    from indicators import pipeline, warehouse
    from indicators.registry import load_registry

    settings = _settings(work)
    first, last = _first_last(_size(scale, quick))
    registry = load_registry()
    with warehouse.connect(settings.warehouse_path) as con:
        rows = _core_rows(con)

        def compute() -> dict:
            pipeline.refresh_months(con, first, last)
            return pipeline.compute_marts(con, registry)

        summary, seconds = timed(compute)
        start = time.perf_counter()
        for name, keys in (("victims", "period, district, sex, age_group, citizenship, "
                                       "exploitation, status, signalled_by"),
                           ("support", "period, district, sex, age_group, support, \"case\""),
                           ("activities", "period, district, activity, audience, sex")):
            con.execute(f"CREATE OR REPLACE TEMP TABLE floor_{name} AS SELECT {keys}, "
                        f"sum(count) AS n FROM core.{name} GROUP BY ALL")
        floor = time.perf_counter() - start
    note = (f"monthly snapshot + every indicator: {summary['rows']:,} values "
            f"({summary['first_period']}..{summary['last_period']})")
    return [row("indicator computation", seconds, rows, "plain GROUP BY of the same rows",
                floor, note)]


# ---------------------------------------------------------------- disclosure control


def _cube_floor(con: duckdb.DuckDBPyConnection) -> float:
    start = time.perf_counter()
    con.sql("SELECT count(*) FROM (SELECT year(period) y, district, sex, status, sum(count) "
            "FROM marts.victims_cube GROUP BY CUBE (y, district, sex, status))").fetchall()
    con.sql("SELECT count(*) FROM (SELECT period, sex, age_group, support, sum(count) "
            "FROM marts.support_cube GROUP BY CUBE (period, sex, age_group, support))"
            ).fetchall()
    return time.perf_counter() - start


def step_disclosure(scale: str, work: Path, quick: bool, budget: float) -> list[Row]:
    if scale == "european":
        return european_disclosure(work, quick, budget)
    from indicators import pipeline, warehouse
    from indicators.registry import load_registry

    settings = _settings(work)
    registry = load_registry()
    with warehouse.connect(settings.warehouse_path) as con:
        rows = int(con.sql("SELECT CAST((SELECT count(*) FROM marts.victims_cube) + (SELECT "
                           "count(*) FROM marts.support_cube) + (SELECT count(*) FROM "
                           "marts.activities_cube) AS BIGINT)").fetchall()[0][0])
        previous, earlier = pipeline.release_values(settings.serving_dir)

        def run() -> Any:
            protected = pipeline.protect_marts(con, registry, previous, settings.data_dir,
                                               earlier_values=earlier)
            pipeline.store_protected(con, protected)
            return protected

        protected, seconds = timed(run)
        floor = _cube_floor(con)
    hidden = protected.indicator_values.filter(pl.col("flags").str.contains("c")).height
    note = (f"all problems protected and audited (audit ok: {protected.audit_ok}); "
            f"{protected.indicator_values.height:,} values, {hidden:,} confidential")
    return [row("disclosure control + audit", seconds, rows,
                "GROUP BY CUBE of the same cubes", floor, note)]


def european_problems(con: duckdb.DuckDBPyConnection) -> list[tuple[str, pl.DataFrame, dict]]:
    """Per country and year: region x sex x status (the shape of the national
    ``victims_district_<year>`` problem, with the country's regions instead of districts)."""
    from indicators.disclosure import Hierarchy

    cube = con.sql("SELECT year(period)::VARCHAR AS year, district AS region, sex, "
                   "status AS case_status, "
                   "CAST(sum(count) AS BIGINT) AS count FROM marts.victims_cube "
                   "GROUP BY ALL").pl()
    cube = cube.with_columns(country=pl.col("region").str.slice(0, 2))
    sexes = ["F", "M", "X", "U"]
    statuses = ["presumed", "confirmed", "not_confirmed"]
    out = []
    for (country, year), part in sorted(cube.group_by(["country", "year"]),
                                        key=lambda kv: (kv[0][1], kv[0][0])):
        regions = sorted(part["region"].unique().to_list())
        hierarchies = {"region": Hierarchy.flat("region", regions),
                       "sex": Hierarchy.flat("sex", sexes),
                       "case_status": Hierarchy.flat("case_status", statuses)}
        out.append((f"{country}_{year}", part.select("region", "sex", "case_status", "count"),
                    hierarchies))
    return out


def european_disclosure(work: Path, quick: bool, budget: float) -> list[Row]:
    """Within ``budget`` seconds: (1) the per-country problems (region x sex x status per
    year), then (2) every other problem of ``indicators.problems.build_problems`` on the
    union's totals (the national problems: month x status x breakdown per year, citizenship,
    support, activities; the district problem is replaced by (1)). Each problem is protected
    and audited with ``indicators.disclosure.protect`` (1) or jointly with
    ``indicators.problems.protect_all`` (2, shared cells made consistent)."""
    from indicators import problems as protection
    from indicators import warehouse
    from indicators.disclosure import Policy, protect
    from indicators.registry import load_registry

    settings = _settings(work)
    registry = load_registry()
    threshold = min(i.disclosure.threshold for i in registry.counts() if i.disclosure.applies)
    policy = Policy(threshold=int(threshold))
    with warehouse.connect(settings.warehouse_path, read_only=True) as con:
        country = [(name, inner, h, policy) for name, inner, h in european_problems(con)]
        union = [p for p in protection.build_problems(con, registry)
                 if not p.name.startswith("victims_district_")]
        floor = _cube_floor(con)
    start = time.perf_counter()
    done = cells = audited_ok = inner_rows = 0
    for _name, inner, hierarchies, pol in country:
        if time.perf_counter() - start > budget:
            break
        result = protect(inner, hierarchies, policy=pol, run_audit=True)
        done += 1
        cells += int(result.summary["cells"])
        inner_rows += inner.height
        audited_ok += bool(result.audit is not None and result.audit.ok)
    country_s = time.perf_counter() - start
    union_note = "not started (budget spent)"
    union_done = 0
    if time.perf_counter() - start <= budget:
        t0 = time.perf_counter()
        joint = protection.protect_all(union)
        union_s = time.perf_counter() - t0
        union_done = len(union)
        inner_rows += sum(p.inner.height for p in union)
        ok = sum(bool(a is not None and a.ok) for a in joint.audits.values())
        union_note = (f"{len(union)} union-wide problems of indicators.problems with "
                      f"protect_all (shared-cell rounds included): {union_s:.1f} s, "
                      f"{ok} audits ok, {joint.cells.height:,} value cells")
    seconds = time.perf_counter() - start
    total = len(country) + len(union)
    measured = (f"{done}/{len(country)} per-country problems (region x sex x status per "
                f"year): {country_s:.1f} s, {cells:,} cells, {audited_ok} audits ok; "
                f"{union_note}")
    if done + union_done == total:
        status, note = "ok", measured
    else:
        status = "partial"
        note = f"did not finish within {budget:.0f} s: {measured}"
    return [row("disclosure control + audit", seconds, inner_rows,
                "GROUP BY CUBE of the same cubes", floor, note, status=status,
                problems_total=total, problems_done=done + union_done)]


# ---------------------------------------------------------------- publication


def step_publish(scale: str, work: Path, quick: bool, budget: float) -> list[Row]:
    if scale == "european":
        return [row("publication of a release", None, None, status="not run",
                    note="needs the whole table protected (see disclosure control)")]
    from indicators import pipeline, warehouse
    from indicators.publish import publish_release
    from indicators.registry import load_registry

    settings = _settings(work)
    registry = load_registry()

    def publish() -> Any:
        with warehouse.connect(settings.warehouse_path, read_only=True) as con:
            protected = pipeline.load_protected(con)
        outcome = publish_release(settings, protected, registry)
        with warehouse.connect(settings.warehouse_path) as con:
            pipeline.keep_published_cells(con)
        return protected, outcome

    (protected, outcome), seconds = timed(publish)
    start = time.perf_counter()
    shutil.copyfile(outcome.path, work / "floor_copy.duckdb")
    floor = time.perf_counter() - start
    size_mb = outcome.path.stat().st_size / 1e6
    return [row("publication of a release", seconds, protected.indicator_values.height,
                "copying the same release file", floor,
                f"{outcome.release_id}, {size_mb:.1f} MB, then CURRENT switched")]


# ---------------------------------------------------------------- one-month refresh


def revise_month(settings: Any, last: str, suffix: str = "rev1") -> tuple[Path, int]:
    """A revised victims return of month ``last`` (``YYYY-MM``) arrives, in the partner's own
    CSV dialect:
    the same cells in another order with one count raised by the number in ``suffix``
    (``rev3``: +3), so that every revision is a new version with other counts (the same
    bytes again would be a duplicate, and no count would change)."""
    import os

    from indicators import sample_profiles as sp

    profile = sp.PROFILES["OTSH"]
    source = sorted(settings.archive_dir.rglob(f"*OTSH_victims_{last}*.csv"))[0]
    lines = source.read_bytes().decode(profile.encoding).splitlines()
    lines = [lines[0], *reversed(lines[1:])]
    cells = lines[1].split(profile.delimiter)
    bump = int("".join(ch for ch in suffix if ch.isdigit()) or 1)
    cells[-1] = str(int(cells[-1]) + bump)  # the count is the last column
    lines[1] = profile.delimiter.join(cells)
    if len(lines) == 2:  # a single row: add a zero cell so the file differs
        lines.append(profile.delimiter.join(
            ["OTSH", last, "UNKNOWN", "U", "UNKNOWN", "UNKNOWN", "unknown", "presumed",
             "unknown", "0"]))
    target = settings.inbox_dir / f"OTSH_victims_{last}_{suffix}.csv"
    target.write_bytes((profile.line_end.join(lines) + profile.line_end)
                       .encode(profile.encoding))
    later = time.time() + 60
    os.utime(target, (later, later))
    return target, len(lines) - 1


def step_refresh(scale: str, work: Path, quick: bool, budget: float) -> list[Row]:
    from indicators import pipeline, warehouse
    from indicators.registry import load_registry

    settings = _settings(work)
    size = _size(scale, quick)
    _, last = _first_last(size)
    registry = load_registry()
    if scale == "european":
        return european_refresh(work, settings, last)
    from indicators.ingest import ingest_paths
    from indicators.publish import publish_release

    revised, rows = revise_month(settings, size.last)
    start = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{revised}')")
    con.close()
    floor = time.perf_counter() - start

    def refresh() -> Any:
        outcomes = ingest_paths([settings.inbox_dir], settings, today=sc.NATIONAL_TODAY)
        if [o for o in outcomes if o.status != "loaded"]:
            raise RuntimeError("revised return not loaded")
        previous, earlier = pipeline.release_values(settings.serving_dir)
        with warehouse.connect(settings.warehouse_path) as con:
            pipeline.refresh_months(con, last, last)
            pipeline.compute_marts(con, registry)
            protected = pipeline.protect_marts(con, registry, previous, settings.data_dir,
                                               earlier_values=earlier)
            pipeline.store_protected(con, protected)
        with warehouse.connect(settings.warehouse_path, read_only=True) as con:
            protected = pipeline.load_protected(con)
        outcome = publish_release(settings, protected, registry)
        with warehouse.connect(settings.warehouse_path) as con:
            pipeline.keep_published_cells(con)
        return outcome

    cpu_start = time.process_time()
    outcome, seconds = timed(refresh)
    cpu = time.process_time() - cpu_start
    return [row("one-month incremental refresh", seconds, rows,
                "DuckDB reads the revised file", floor,
                f"revised {size.last} return (one count +1): ingest, month snapshot, all "
                f"indicators, protection + audit, publication of a new release "
                f"({outcome.changes.get('values_changed', 0)} values changed); {cpu:.1f} CPU s"),
            *scheduler_refresh(work, size, floor)]


def _past_only_copy(work: Path, month: str) -> Path:
    """A copy of the data folder without the months after ``month``: Dagster's partitions
    and the contract check refuse months in the future, which the national bench (to
    2030-12, validated with a fixed date) has."""
    target = work / "scheduler" / "data"
    shutil.rmtree(target.parent, ignore_errors=True)
    shutil.copytree(work / "data", target)
    con = duckdb.connect(str(target / "warehouse.duckdb"))
    for table in ("victims_cells", "support_cells", "activities_cells", "submissions"):
        con.execute(f"DELETE FROM core.{table} WHERE period > DATE '{month}-01'")
    con.close()
    return target


def scheduler_refresh(work: Path, size: sc.Size, floor: float) -> list[Row]:
    """The ``monthly_refresh`` job on a copy holding only past months: in-process (as
    ``observatory refresh`` runs it), then through a Dagster instance with its daemon (as
    the schedule and the inbox sensor run it, bench/bench_daemon.py)."""
    from bench.bench_daemon import daemon_refresh
    from bench.refresh_floor import (
        connections_floor,
        dagster_floor,
        keeping_marts_input,
        marts_sql_floor,
        recording_connections,
    )
    from indicators.settings import load_settings
    from orchestration.defs.resources import resources_for
    from orchestration.runner import last_partition, load_defs, run_refresh

    month = min(last_partition()[:7], size.last)
    data = _past_only_copy(work, month)
    settings = load_settings({"OBS_DATA_DIR": str(data)}).ensure_dirs()
    resources = resources_for(str(data))
    revise_month(settings, month, "rev2")
    ingest_job = load_defs().resolve_job_def("inbox_ingest")
    result, ingest_in_process = timed(lambda: ingest_job.execute_in_process(
        resources=resources, raise_on_error=False))
    if not result.success:
        raise RuntimeError("in-process inbox_ingest failed")
    revise_month(settings, month, "rev3")
    key = f"{month}-01"
    cpu_start = time.process_time()
    with (_protection_log() as reuse, recording_connections() as opened,
          keeping_marts_input(work) as marts):
        report, in_process = timed(lambda: run_refresh(key, key, resources=resources))
    in_process_cpu = time.process_time() - cpu_start - marts.copying[1]
    in_process -= marts.copying[0]  # the copy of the marts' input is no part of the refresh
    if not report.success:
        raise RuntimeError(f"in-process refresh failed: {report.errors + report.failed_checks}")
    noop, noop_cpu = dagster_floor(key, resources, load_defs())
    connections, connections_cpu = connections_floor(opened)
    sql, sql_cpu, sql_months = marts_sql_floor(marts)
    daemon = daemon_refresh(data, month, lambda: revise_month(settings, month, "rev4"))
    if daemon["ingest_status"] != "SUCCESS" or daemon["refresh_status"] != "SUCCESS":
        raise RuntimeError(f"daemon runs failed: {daemon}")
    scope = (f"{size.first}..{month} (months after the last complete one removed: "
             f"partitions refuse them)")
    return [
        row("monthly_refresh job in-process (observatory refresh)", in_process, None,
            "the same job, no-op steps + its DuckDB connections alone", noop + connections,
            f"revised {month} return; every asset and check incl. donor reports; "
            f"{in_process_cpu:.1f} CPU s; protection problems: {'; '.join(reuse) or '?'}; "
            f"floors: Dagster alone (same graph and executor, every step a no-op) "
            f"{noop:.2f} s, {noop_cpu:.2f} CPU s; the {len(opened)} DuckDB connections the run "
            f"opened, alone {connections:.2f} s, {connections_cpu:.2f} CPU s; the marts step "
            f"{marts.step[0]:.2f} s, {marts.step[1]:.2f} CPU s, DuckDB running its SQL alone "
            f"on the same input ({sql_months} month(s) of family marts, counts and data "
            f"quality in full) {sql:.2f} s, {sql_cpu:.2f} CPU s; DuckDB reads "
            f"the revised file {floor * 1000:.0f} ms; {scope}"),
        row("inbox_ingest run launched by the sensor (daemon)", daemon["ingest_run_s"], None,
            "the same job in-process", ingest_in_process,
            "run created by inbox_sensor -> queued -> run process -> success"),
        row("monthly_refresh run launched into the instance (daemon)",
            daemon["refresh_run_s"], None, "the same job in-process", in_process,
            f"run created -> queued -> run process -> success; {daemon['refresh_start_s']:.1f} "
            f"s until the run process started; {daemon['refresh_command_s']:.1f} s from "
            f"`dagster job launch`; run process {_cpu(daemon['refresh_worker_cpu_s'])} CPU s"),
    ]


@contextmanager
def _protection_log() -> Iterator[list[str]]:
    """The protection step's "N reused unchanged, M solved" lines logged meanwhile."""
    import logging

    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "reused unchanged" in record.getMessage():
                found.append(record.getMessage().split(": ", 1)[-1])

    logger = logging.getLogger("indicators.pipeline")
    handler, level = Collect(logging.INFO), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _cpu(seconds: float | None) -> str:
    return "?" if seconds is None else f"{seconds:.1f}"


def european_refresh(work: Path, settings: Any, last: date) -> list[Row]:
    """A new version of every return of the last month (all countries) arrives: loaded,
    month snapshot rewritten, every indicator recomputed (no disclosure control)."""
    from indicators import pipeline, warehouse
    from indicators.registry import load_registry

    folder = work / "parquet"
    month = f"DATE '{last.isoformat()}'"
    registry = load_registry()
    with warehouse.connect(settings.warehouse_path) as con:
        rows = int(con.sql(f"SELECT CAST(count(*) AS BIGINT) FROM core.victims_cells "
                           f"WHERE period = {month}").fetchall()[0][0])
        start = time.perf_counter()
        con.sql(f"SELECT count(*) FROM read_parquet('{folder / 'victims.parquet'}') "
                f"WHERE period = {month}").fetchall()
        floor = time.perf_counter() - start

        def refresh() -> None:
            con.begin()
            offset = int(con.sql("SELECT max(submission_id) FROM core.submissions"
                                 ).fetchall()[0][0])
            con.execute(f"UPDATE core.submissions SET superseded_at = now()::TIMESTAMP "
                        f"WHERE return_type = 'victims' AND period = {month}")
            con.execute(f"INSERT INTO core.submissions (submission_id, partner, return_type, "
                        f"period, version, ingest_id, sha256, n_rows, received_at) "
                        f"SELECT submission_id + {offset}, partner, return_type, period, 2, "
                        f"ingest_id, sha256 || 'r', n_rows, received_at + INTERVAL 20 DAY "
                        f"FROM read_parquet('{folder / 'submissions.parquet'}') "
                        f"WHERE return_type = 'victims' AND period = {month}")
            con.execute(f"INSERT INTO core.victims_cells SELECT submission_id + {offset}, "
                        f"partner, period, district, sex, age_group, citizenship, "
                        f"exploitation, status, signalled_by, count + (count % 2) "
                        f"FROM read_parquet('{folder / 'victims.parquet'}') "
                        f"WHERE period = {month}")
            con.commit()
            pipeline.refresh_months(con, last, last)
            pipeline.compute_marts(con, registry)

        _, seconds = timed(refresh)
    return [row("one-month incremental refresh", seconds, rows,
                "DuckDB reads the month's rows from Parquet", floor,
                f"revised victims returns of {last:%Y-%m} (every country): load, month "
                f"snapshot, all indicators; no disclosure control or publication")]


# ---------------------------------------------------------------- dashboard


def step_dashboard(scale: str, work: Path, quick: bool, budget: float) -> list[Row]:
    if scale == "european":
        reason = ("the dashboard maps and labels Portuguese districts only (the contract's "
                  "reference data); a European release is not produced")
        return [row("dashboard callbacks", None, None, status="not run", note=reason),
                row("first page load (Chromium)", None, None, status="not run", note=reason)]
    from bench.bench_dashboard import run_dashboard

    n = 10 if quick else 50
    result = run_dashboard(work / "data", requests=n, warmup=2 if quick else 5,
                           reloads=1 if quick else 3, browser=True)
    empty = next(f for f in result["floors"] if "empty Dash" in f.label)
    out = []
    seen: set[str] = set()
    for timing in result["timings"]:
        page, name = timing.label.split(" ", 1)
        if name != "render_content":
            if name in seen:  # the same shell callback on every page: report it once
                continue
            seen.add(name)
        out.append(row(f"callback {timing.label}", timing.p50 / 1000, None,
                       "empty Dash callback round trip", empty.p50 / 1000,
                       f"p95 {timing.p95:.1f} ms, first (uncached) {timing.first:.0f} ms, "
                       f"n={timing.n}", p50_ms=timing.p50, p95_ms=timing.p95))
    static = result["static"]
    for load in result["loads"]:
        if load.graphs < 0 or load.cold_ready != load.cold_ready:  # NaN: not rendered
            out.append(row(f"first page load {load.page}", None, None,
                           "static HTML page in the same Chromium", static.cold_ready / 1000,
                           "page not drawn within 60 s (cold or warm load)", status="partial"))
            continue
        out.append(row(f"first page load {load.page}", load.cold_ready / 1000, None,
                       "static HTML page in the same Chromium", static.cold_ready / 1000,
                       f"{load.graphs} graphs drawn; content {load.cold_content:.0f} ms; warm "
                       f"reload {_ms(load.warm_ready)} (static {static.warm_ready:.0f} ms)"))
    severe = [e for e in result["console"] if e.get("level") == "SEVERE"]
    if severe:
        out[-1]["note"] += f"; {len(severe)} console errors"
    return out


# ---------------------------------------------------------------- disclosure engine alone

ENGINE_LABELS = {"4d": "4-D district x sex x age x citizenship", "1e4": "10^4 cells",
                 "1e5": "10^5 cells", "1e6": "10^6 cells (eight yearly tables)"}
ENGINE_FLOOR = "every total of the table (build_full_table)"
NOT_RUN_1E6 = ("the same eight years as ONE table with multi-year totals (1,072,710 cells, "
               "123,778 confidential; `python -m bench.bench_disclosure --sizes 1e6j "
               "--run-1e6`): {why}; the observatory publishes no multi-year totals, so it "
               "protects such data year by year, as the row above")


def engine_step(size: str) -> Callable[[str, Path, bool, float], list[Row]]:
    """protect, audit and the naive baseline on one synthetic table (bench/bench_disclosure.py);
    national scale only (the tables do not depend on the scale); quick: a 10^3 stand-in."""

    def run(scale: str, work: Path, quick: bool, budget: float) -> list[Row]:
        from bench.bench_disclosure import OTHER_DRAWS, WHY_NOT_1E6J, measure

        if scale != "national" or (quick and size != "4d"):
            return []
        label = f"disclosure engine {ENGINE_LABELS[size]}"
        m = measure("1e3" if quick else size)
        stand_in = "quick: the 10^3 table stands in; " if quick else ""
        common = dict(floor=ENGINE_FLOOR, floor_seconds=m["floor_s"], suppressed=m["secondary"])
        rows = [
            row(f"{label}: protect", m["protect_s"], m["cells"],
                note=(f"{stand_in}{m['cells']:,} cells, {m['inner']:,} inner ({m['nonzero']:,} "
                      f"non-zero); primary {m['primary']:,}, secondary {m['secondary']:,}, "
                      f"suppressed value {m['loss_sum']:,}; CPU {m['protect_cpu_s']:.1f} s"),
                **common),
            row(f"{label}: audit", m["audit_s"], m["cells"],
                note=(f"{stand_in}strict integer audit ok: {m['audit_ok']}; CPU "
                      f"{m['audit_cpu_s']:.1f} s, of which its helper process "
                      f"{m['audit_helper_cpu_s']:.1f} s"), **common),
            row(f"{label}: protect + audit", m["total_s"], m["cells"],
                note=f"{stand_in}wall clock, both steps", **common),
            row(f"{label}: naive baseline", m["naive_s"], m["cells"],
                note=(f"{stand_in}rows with a small cell hidden, then repair: secondary "
                      f"{m['naive_secondary']:,}, suppressed value {m['naive_loss_sum']:,}; "
                      f"audit ok: {m['naive_audit_ok']}"), **common),
        ]
        if m["tables"] > 1:
            for r in rows:
                r["note"] += (f"; {m['tables']} tables that share no cell, each protected and "
                              "audited whole (their sums)")
        if not (m["audit_ok"] and m["naive_audit_ok"]):
            for r in rows:
                r["status"] = "failed"
        if size == "4d" and not quick:
            rows.append(other_draws_row(label, [measure(size, seed, baseline=False)
                                                for seed in OTHER_DRAWS],
                                        OTHER_DRAWS))
        if size == "1e6":
            rows.append(row("disclosure engine 10^6 cells as one table", None, None,
                            status="not run", note=NOT_RUN_1E6.format(why=WHY_NOT_1E6J)))
        return rows

    return run


def other_draws_row(label: str, draws: list[dict], seeds: tuple[int, ...]) -> Row:
    """One row for tables of the same shape drawn with other seeds: the slowest one's
    protect + audit as the time, every draw in the note (a gain or a regression measured on
    one draw only may not hold for the others)."""
    worst = max(draws, key=lambda m: m["total_s"])
    each = "; ".join(
        f"seed {seed}: {m['protect_s']:.1f} + {m['audit_s']:.1f} = {m['total_s']:.1f} s, "
        f"secondary {m['secondary']:,}" for seed, m in zip(seeds, draws, strict=True))
    ok = all(m["audit_ok"] for m in draws)
    return row(f"{label}: protect + audit, {len(draws)} other draws (the slowest)",
               worst["total_s"], worst["cells"], floor=ENGINE_FLOOR,
               floor_seconds=worst["floor_s"], suppressed=worst["secondary"],
               note=f"same shape, other seeds ({each}); strict integer audit ok: {ok}",
               status="ok" if ok else "failed")


def _ms(value: float) -> str:
    return f"{value:.0f} ms" if value == value else "not drawn within 60 s"


# ---------------------------------------------------------------- consecutive releases


def step_series(scale: str, work: Path, quick: bool, budget: float) -> list[Row]:
    """Monthly releases of the sample one after the other (returns arriving month by month,
    late returns and revisions): published→hidden flips of unchanged counts and union-audit
    disclosures must be 0 (issue 19; ``python -m bench.release_series`` prints the table)."""
    if scale == "european":
        return [row("consecutive monthly releases", None, None, status="not run",
                    note="simulated on the national sample only")]
    from bench.release_series import simulate

    last = "2022-01" if quick else "2022-12"
    series, seconds = timed(lambda: simulate(work / "series", "2021-12", last))
    down = sum(r.published_to_hidden_unchanged for r in series)
    union = sum(r.union_disclosed for r in series)
    good = down == 0 and union == 0 and all(r.audit_ok for r in series)
    note = (f"{len(series)} releases 2021-12..{last}: suppressed {series[0].suppressed}→"
            f"{series[-1].suppressed}, published→hidden of unchanged counts {down}, "
            f"union-audit disclosures {union} (each release also runs the union audit)")
    return [row(f"consecutive monthly releases ({len(series)})", seconds, len(series),
                "the first release alone (same pipeline)", series[0].seconds, note,
                "ok" if good else "failed")]


STEPS: dict[str, Callable[[str, Path, bool, float], list[Row]]] = {
    **{f"engine_{size}": engine_step(size) for size in ENGINE_LABELS},
    "generate": step_generate,
    "load": step_load,
    "indicators": step_indicators,
    "disclosure": step_disclosure,
    "publish": step_publish,
    "refresh": step_refresh,
    "dashboard": step_dashboard,
    "series": step_series,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="one benchmark step (see bench/__main__.py)")
    parser.add_argument("scale", choices=("national", "european"))
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("work", type=Path)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--budget-seconds", type=float, default=600.0)
    args = parser.parse_args(argv)
    rows = STEPS[args.step](args.scale, args.work, args.quick, args.budget_seconds)
    print(RESULT_PREFIX + json.dumps(rows, default=str), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
