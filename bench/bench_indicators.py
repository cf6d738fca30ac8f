"""Benchmark: compute every indicator over 10 years of full-detail synthetic returns.

Builds a temporary warehouse (seeded, generated directly into core.* tables: 8 partners,
every month, every return type, realistic volumes of a few hundred persons signalled a year),
then prints the time to compute all indicators (marts) and the rows produced; with
``--protect`` also the time of disclosure control and of the published values.

    .venv/bin/python bench/bench_indicators.py [--years 10] [--seed 7] [--protect]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indicators.compute import compute_all, count_values  # noqa: E402
from indicators.contract import load_contract  # noqa: E402
from indicators.flags import month_status  # noqa: E402
from indicators.reference import countries, districts, partners  # noqa: E402
from indicators.registry import load_registry  # noqa: E402
from indicators.warehouse import ensure_schema  # noqa: E402


def _months(first_year: int, years: int) -> list[date]:
    return [date(first_year + i // 12, i % 12 + 1, 1) for i in range(years * 12)]


def generate(con: duckdb.DuckDBPyConnection, years: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    contract = load_contract()
    codes = {c: contract.allowed_codes(c, "victims") for c in
             ("sex", "age_group", "exploitation", "status", "signalled_by")}
    dist = [d.code for d in districts()] + ["ABROAD", "UNKNOWN"]
    dist_w = [d.pop_2021 for d in districts()] + [300_000, 200_000]
    iso = [c.iso2 for c in countries()]
    top = ["PT"] * 40 + ["BR"] * 10 + ["RO"] * 8 + ["NG"] * 6 + ["IN"] * 5 + ["NP"] * 5
    supports = contract.allowed_codes("support", "support")
    activities = contract.allowed_codes("activity", "activities")
    audiences = contract.allowed_codes("audience", "activities")
    partner_codes = [p.code for p in partners()]
    victims_rows, support_rows, activity_rows, subs, logs = [], [], [], [], []
    sub_id = 0
    for month in _months(2016, years):
        for partner in partner_codes:
            for rt in ("victims", "support", "activities"):
                sub_id += 1
                received = datetime(month.year + (month.month == 12), month.month % 12 + 1,
                                    rng.randint(1, 20))
                logs.append((sub_id, f"{partner}-{rt}-{month:%Y-%m}.csv", f"h{sub_id}", 100,
                             partner, [rt], [month], 0, "loaded", "archive/x", received,
                             received))
                subs.append((sub_id, partner, rt, month, 1, sub_id, f"h{sub_id}", 0, received))
                if rt == "victims":
                    cells: Counter = Counter()
                    for _ in range(rng.randint(0, 9)):       # ~ 4.5 per partner-month
                        cit = rng.choice(top) if rng.random() < 0.9 else rng.choice(iso)
                        cells[(rng.choices(dist, dist_w)[0], rng.choice(codes["sex"][:2]),
                               rng.choice(codes["age_group"]), cit,
                               rng.choice(codes["exploitation"]), rng.choice(codes["status"]),
                               rng.choice(codes["signalled_by"]))] += 1
                    victims_rows += [(sub_id, partner, month, *k, n) for k, n in cells.items()]
                elif rt == "support":
                    cells = Counter()
                    for _ in range(rng.randint(0, 12)):
                        cells[(rng.choices(dist, dist_w)[0], rng.choice("FM"),
                               rng.choice(codes["age_group"]), rng.choice(supports),
                               rng.choice(("new", "ongoing")))] += 1
                    support_rows += [(sub_id, partner, month, *k, n) for k, n in cells.items()]
                else:
                    for activity in rng.sample(activities, 3):
                        sex = "NA" if activity.endswith(("session", "developed", "tested")) \
                            else rng.choice("FM")
                        activity_rows.append((sub_id, partner, month, rng.choice(dist[:20]),
                                              activity, rng.choice(audiences), sex,
                                              rng.randint(1, 30)))
    log_frame = pl.DataFrame(logs, orient="row", schema={
        "ingest_id": pl.Int64, "file_name": pl.String, "sha256": pl.String,
        "size_bytes": pl.Int64, "partner": pl.String, "return_types": pl.List(pl.String),
        "periods": pl.List(pl.Date), "n_rows": pl.Int64, "status": pl.String,
        "stored_path": pl.String, "received_at": pl.Datetime, "loaded_at": pl.Datetime})
    con.register("_log", log_frame.to_arrow())
    con.execute("INSERT INTO core.ingest_log (ingest_id, file_name, sha256, size_bytes, partner, "
                "return_types, periods, n_rows, status, stored_path, received_at, loaded_at) "
                "SELECT * FROM _log")
    con.unregister("_log")
    sub_frame = pl.DataFrame(subs, orient="row", schema={
        "submission_id": pl.Int64, "partner": pl.String, "return_type": pl.String,
        "period": pl.Date, "version": pl.Int32, "ingest_id": pl.Int64, "sha256": pl.String,
        "n_rows": pl.Int64, "received_at": pl.Datetime})
    con.register("_sub", sub_frame.to_arrow())
    con.execute("INSERT INTO core.submissions (submission_id, partner, return_type, period, "
                "version, ingest_id, sha256, n_rows, received_at) SELECT * FROM _sub")
    con.unregister("_sub")
    for table, rows, schema in (
        ("core.victims_cells", victims_rows,
         ["submission_id", "partner", "period", "district", "sex", "age_group", "citizenship",
          "exploitation", "status", "signalled_by", "count"]),
        ("core.support_cells", support_rows,
         ["submission_id", "partner", "period", "district", "sex", "age_group", "support",
          "case", "count"]),
        ("core.activities_cells", activity_rows,
         ["submission_id", "partner", "period", "district", "activity", "audience", "sex",
          "count"])):
        frame = pl.DataFrame(rows, schema=schema, orient="row")
        con.register("_f", frame.to_arrow())
        con.execute(f"INSERT INTO {table} SELECT * FROM _f")
        con.unregister("_f")
    return {"victims_cells": len(victims_rows), "support_cells": len(support_rows),
            "activities_cells": len(activity_rows), "submissions": len(subs),
            "persons_signalled": int(sum(r[-1] for r in victims_rows))}


def revise_last_month(con: duckdb.DuckDBPyConnection) -> None:
    """A new version of the last month's victims returns (every count + 1)."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE revised AS
        SELECT s.*, s.submission_id + (SELECT max(submission_id) FROM core.submissions)
               AS new_id
        FROM core.current_submissions s
        WHERE s.return_type = 'victims'
          AND s.period = (SELECT max(period) FROM core.submissions)""")
    con.execute("UPDATE core.submissions SET superseded_at = now()::TIMESTAMP "
                "WHERE submission_id IN (SELECT submission_id FROM revised)")
    con.execute("INSERT INTO core.submissions (submission_id, partner, return_type, period, "
                "version, ingest_id, sha256, n_rows, received_at) SELECT new_id, partner, "
                "return_type, period, version + 1, ingest_id, sha256 || 'r', n_rows, "
                "received_at FROM revised")
    con.execute("INSERT INTO core.victims_cells SELECT r.new_id, c.* EXCLUDE (submission_id) "
                "REPLACE (c.count + 1 AS count) FROM core.victims_cells c "
                "JOIN revised r USING (submission_id)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--protect", action="store_true",
                        help="also time disclosure control and the published values")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="print every protection problem")
    args = parser.parse_args(argv)
    registry = load_registry()
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "bench.duckdb"))
        ensure_schema(con)
        t0 = time.perf_counter()
        sizes = generate(con, args.years, args.seed)
        print(f"warehouse: {args.years} years, {sizes} built in "
              f"{time.perf_counter() - t0:.1f} s")
        for run in ("1 (from scratch)", "2 (nothing changed)", "3 (last month revised)"):
            if run.startswith("3"):
                revise_last_month(con)
            summary = compute_all(con, registry)
            print(f"compute_all run {run}: {summary.seconds:.2f} s, {summary.rows} values "
                  f"({summary.count_rows} counts, {summary.derived_rows} derived), "
                  f"{summary.indicators} indicators, {summary.first_period}..{summary.last_period}"
                  f", family marts of {summary.months_computed} months computed")
        for table in ("victims_cube", "support_cube", "activities_cube", "data_quality"):
            n = con.sql(f"SELECT count(*) FROM marts.{table}").fetchall()[0][0]
            print(f"  marts.{table}: {n} rows")
        if args.protect:
            from indicators.problems import build_problems, build_published_values, protect_all

            t0 = time.perf_counter()
            problems = build_problems(con, registry)

            def show(round_no: int, name: str, s: dict) -> None:
                if args.verbose:
                    print(f"  round {round_no} {name}: cells {s['cells']}, inner "
                          f"{s['inner_cells']}, primary {s['primary']}, secondary "
                          f"{s['secondary']}, protect {s['seconds']} s, audit "
                          f"{s['audit_seconds']} s, ok {s['audit_ok']}", flush=True)

            protected = protect_all(problems, progress=show)
            t1 = time.perf_counter()
            sums = protected.summaries.values()
            print(f"protection: {len(problems)} problems in {t1 - t0:.1f} s; cells "
                  f"{sum(s['cells'] for s in sums)}, primary {sum(s['primary'] for s in sums)}, "
                  f"secondary {sum(s['secondary'] for s in sums)}, audit "
                  f"{sum(s['audit_seconds'] for s in sums):.1f} s, all audits ok "
                  f"{all(s['audit_ok'] for s in sums)}")
            by_status = protected.cells.group_by("status").len().sort("status").rows()
            print(f"  protected value cells by status: {by_status}")
            status = month_status(con.sql("SELECT * FROM marts.data_quality").pl())
            t2 = time.perf_counter()
            published = build_published_values(protected.cells, registry,
                                                count_values(con, registry), status, "bench")
            print(f"published values: {published.height} rows in "
                  f"{time.perf_counter() - t2:.2f} s "
                  f"({published['value'].null_count()} NULL)")
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
