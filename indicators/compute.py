"""Compute every indicator from the warehouse into ``marts`` (SQL files + polars).

Steps (all in one DuckDB connection, read-write):
1. register the registry and reference data as ``marts.reg_*`` / ``marts.ref_*`` tables;
2. run ``sql/marts/<family>.sql`` (inner cubes + monthly counts), ``counts.sql`` (every
   grain, explicit zeros) and ``data_quality.sql``;
3. flag availability (``:``, ``p``) from the data quality mart, derive rates, shares and
   changes (:mod:`indicators.derived_values`) and write ``marts.indicator_values``.

``marts.indicator_values`` is pipeline-internal (true values, never published).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import duckdb
import polars as pl

from indicators.contract import load_contract
from indicators.derived_values import VALUE_COLUMNS, derive, empty_values
from indicators.faults import fault_point
from indicators.flags import flag_availability, month_status
from indicators.reference import countries
from indicators.registry import Expectations, Registry, load_expected, load_registry
from indicators.warehouse import run_sql_file

FAMILY_SQL = ("marts/victims.sql", "marts/support.sql", "marts/activities.sql")
BREAKDOWN_COLUMNS: dict[str, dict[str, str]] = {
    # family -> breakdown -> contract column whose codes it takes
    "victims": {"sex": "sex", "age_group": "age_group", "exploitation": "exploitation",
                "signalled_by": "signalled_by"},
    "support": {"sex": "sex", "age_group": "age_group", "support": "support"},
    "activities": {"sex": "sex", "audience": "audience"},
}
CITIZENSHIP_GROUPS = load_contract().citizenship_groups


@dataclass(frozen=True)
class ComputeSummary:
    seconds: float
    rows: int
    count_rows: int
    derived_rows: int
    first_period: str | None
    last_period: str | None
    indicators: int


def _replace_table(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    con.register("_frame", frame.to_arrow())
    try:
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _frame")
    finally:
        con.unregister("_frame")


def registry_tables(registry: Registry) -> dict[str, pl.DataFrame]:
    """The ``marts.reg_*`` tables: the registry as data the SQL joins on."""
    list_type = pl.List(pl.String)
    filters = pl.DataFrame(
        [{"indicator": i.code, "family": i.family,
          "status": list(i.filter["status"]) if "status" in i.filter else None,
          "case": list(i.filter["case"]) if "case" in i.filter else None,
          "support": list(i.filter["support"]) if "support" in i.filter else None,
          "activity": list(i.filter["activity"]) if "activity" in i.filter else None}
         for i in registry.counts()],
        schema={"indicator": pl.String, "family": pl.String, "status": list_type,
                "case": list_type, "support": list_type, "activity": list_type},
    )
    scope_rows = []
    for i in registry.counts():
        for b in i.breakdowns:
            scope_rows += [(i.code, "national", b, g) for g in i.national_grains(b)]
        for b in i.district_breakdowns:
            scope_rows += [(i.code, "district", b, g) for g in i.district_grains_for(b)]
    # counts a derived indicator needs beyond the count's own scope (e.g. yearly district
    # counts by sex behind district rates) are added here, so derive() always finds them
    for d in registry.derived():
        base = registry.get(d.base)
        needed = set(d.breakdowns) | ({d.numerator[0]} if d.numerator else set())
        for b in needed:
            if b in base.breakdowns:
                scope_rows += [(base.code, "national", b, g) for g in d.national_grains(b)
                               if g in base.national_grains(b)]
        needed_d = set(d.district_breakdowns) | ({d.numerator[0]} if d.numerator else set())
        for b in needed_d:
            if b in base.district_breakdowns:
                scope_rows += [(base.code, "district", b, g) for g in d.district_grains_for(b)]
    scope = pl.DataFrame(scope_rows, schema=["indicator", "geo_level", "breakdown", "grain"],
                         orient="row").unique()
    contract = load_contract()
    code_rows = [(family, "_T", "_T") for family in BREAKDOWN_COLUMNS]
    for family, mapping in BREAKDOWN_COLUMNS.items():
        for breakdown, column in mapping.items():
            for code in contract.allowed_codes(column, family):
                code_rows.append((family, breakdown, code))
                parent = registry.parent(breakdown, code)
                if parent != "_T":
                    code_rows.append((family, breakdown, parent))
    code_rows += [("victims", "citizenship_group", g) for g in CITIZENSHIP_GROUPS]
    codes = pl.DataFrame(code_rows, schema=["family", "breakdown", "code"],
                         orient="row").unique()
    hierarchy = pl.DataFrame(
        [(dim, code, parent) for dim, mapping in registry.hierarchies.items()
         for code, parent in mapping.items()],
        schema=["dimension", "code", "parent"], orient="row")
    geo = pl.DataFrame({"geo": list(load_contract().geo_codes)})
    return {"marts.reg_filter": filters, "marts.reg_scope": scope, "marts.reg_codes": codes,
            "marts.reg_hierarchy": hierarchy, "marts.reg_geo": geo}


def expected_table(expectations: Expectations) -> pl.DataFrame:
    return pl.DataFrame(
        [(e.partner, e.return_type, e.first, e.last, expectations.due_days)
         for e in expectations.entries],
        schema={"partner": pl.String, "return_type": pl.String, "first_month": pl.Date,
                "last_month": pl.Date, "due_days": pl.Int32}, orient="row")


def prepare(con: duckdb.DuckDBPyConnection, registry: Registry,
            expectations: Expectations) -> None:
    """Create ``marts`` and the registry/reference tables and the month calendar."""
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    for name, frame in registry_tables(registry).items():
        _replace_table(con, name, frame)
    _replace_table(con, "marts.ref_countries", pl.DataFrame(
        {"iso2": [c.iso2 for c in countries()], "grp": [c.group for c in countries()]}))
    _replace_table(con, "marts.reg_expected", expected_table(expectations))
    con.execute("""
        CREATE OR REPLACE TABLE marts.calendar AS
        SELECT CAST(range AS DATE) AS period
        FROM (SELECT min(period) AS lo, max(period) AS hi FROM core.submissions) b,
             range(b.lo, b.hi + INTERVAL 1 MONTH, INTERVAL 1 MONTH)
        WHERE b.lo IS NOT NULL
    """)


def run_marts_sql(con: duckdb.DuckDBPyConnection) -> None:
    for path in FAMILY_SQL:
        run_sql_file(con, path)
    run_sql_file(con, "marts/counts.sql")
    run_sql_file(con, "marts/data_quality.sql")


def family_returns(registry: Registry) -> dict[str, str]:
    """Indicator code -> the return type its availability depends on."""
    return {i.code: i.source_return for i in registry.indicators}


def count_values(con: duckdb.DuckDBPyConnection, registry: Registry) -> pl.DataFrame:
    """``marts.count_values`` with unit and empty flags, in the value columns."""
    units = pl.DataFrame({"indicator": [i.code for i in registry.counts()],
                          "unit": [i.unit for i in registry.counts()]})
    counts = con.sql("SELECT * FROM marts.count_values").pl()
    if counts.is_empty():
        return empty_values()
    return counts.join(units, on="indicator", how="left").with_columns(
        numerator=pl.lit(None, dtype=pl.Float64), denominator=pl.lit(None, dtype=pl.Float64),
        flags=pl.lit(""),
    ).select(VALUE_COLUMNS)


def assemble(counts: pl.DataFrame, registry: Registry, status: pl.DataFrame) -> pl.DataFrame:
    """Flag availability of the counts, then derive every derived indicator from them."""
    counts = flag_availability(counts, status, family_returns(registry))
    derived = derive(counts, registry)
    return pl.concat([counts, derived], how="vertical_relaxed").select(VALUE_COLUMNS)


def compute_all(con: duckdb.DuckDBPyConnection, registry: Registry | None = None,
                expectations: Expectations | None = None) -> ComputeSummary:
    """Compute every indicator of the registry into ``marts`` (see module docstring)."""
    start = time.perf_counter()
    registry = registry or load_registry()
    expectations = expectations or load_expected()
    prepare(con, registry, expectations)
    run_marts_sql(con)
    fault_point("compute:after-marts-sql")  # test hook, inert unless set
    counts = count_values(con, registry)
    status = month_status(con.sql(
        "SELECT return_type, period, expected, received FROM marts.data_quality").pl())
    values = assemble(counts, registry, status)
    _replace_table(con, "marts.indicator_values", values)
    bounds = con.sql("SELECT min(period)::VARCHAR, max(period)::VARCHAR FROM marts.calendar"
                     ).fetchall()[0]
    n_counts = int(values.filter(pl.col("indicator").is_in(
        [i.code for i in registry.counts()])).height)
    return ComputeSummary(
        seconds=time.perf_counter() - start, rows=values.height, count_rows=n_counts,
        derived_rows=values.height - n_counts,
        first_period=bounds[0][:7] if bounds[0] else None,
        last_period=bounds[1][:7] if bounds[1] else None,
        indicators=values.select("indicator").n_unique() if values.height else 0,
    )


def indicator_values(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The internal values table (after :func:`compute_all`)."""
    return con.sql("SELECT * FROM marts.indicator_values").pl()
