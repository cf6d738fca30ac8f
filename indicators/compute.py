"""Compute every indicator from the warehouse into ``marts`` (SQL files + polars).

Steps (all in one DuckDB connection, read-write):
1. register the registry and reference data as ``marts.reg_*`` / ``marts.ref_*`` tables;
2. run ``sql/marts/<family>.sql`` (inner cubes + monthly counts) for the months whose
   returns changed since the last computation (``source_months.sql``: every month the first
   time, or when the registry, reference data or SQL changed), in one transaction with the
   record of what they were computed from; then ``counts.sql`` (every grain, explicit zeros)
   and ``data_quality.sql`` in full;
3. flag availability (``:``, ``p``) from the data quality mart, derive rates, shares and
   changes (:mod:`indicators.derived_values`) and write ``marts.indicator_values``.

``marts.indicator_values`` is pipeline-internal (true values, never published).
"""

from __future__ import annotations

import hashlib
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
from indicators.warehouse import (
    drop_table,
    read_sql,
    read_table,
    replace_table,
    run_sql_file,
    table_exists,
)

FAMILY_SQL = ("marts/victims.sql", "marts/support.sql", "marts/activities.sql")
FAMILY_TABLES = tuple(f"marts.{family}_{kind}" for family in ("victims", "support", "activities")
                      for kind in ("cube", "month_sparse"))
STATE_TABLES = ("marts.source_months", "marts.compute_config")
CONFIG_TABLES = ("marts.reg_filter", "marts.reg_geo", "marts.reg_hierarchy", "marts.ref_countries")
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
    months_computed: int = 0  # months whose family marts were (re)computed


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
    run_sql_file(con, "marts/create_schema.sql")
    for name, frame in registry_tables(registry).items():
        replace_table(con, name, frame)
    replace_table(con, "marts.ref_countries", pl.DataFrame(
        {"iso2": [c.iso2 for c in countries()], "grp": [c.group for c in countries()]}))
    replace_table(con, "marts.reg_expected", expected_table(expectations))
    run_sql_file(con, "marts/calendar.sql")


def config_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """What the family marts depend on besides the returns: the text of their SQL files and
    the registry and reference tables they join (after :func:`prepare`)."""
    digest = hashlib.sha256()
    for path in (*FAMILY_SQL, "marts/source_months.sql"):
        digest.update(read_sql(path).encode())
    for table in CONFIG_TABLES:
        text = con.execute(read_sql("marts/table_text.sql"), {"table": table}).fetchall()[0][0]
        digest.update(f"{table}={text};".encode())
    return digest.hexdigest()


def months_to_compute(con: duckdb.DuckDBPyConnection, config: str) -> bool:
    """Fill ``marts.compute_months`` with the months whose family marts must be computed:
    those whose returns changed since the last computation (``marts/changed_months.sql``),
    or every month (True: the family tables are dropped first) when there was none, or the
    registry, the reference data or the SQL changed since."""
    run_sql_file(con, "marts/source_months.sql")
    kept = all(table_exists(con, t) for t in (*FAMILY_TABLES, *STATE_TABLES))
    if kept and con.sql(read_sql("marts/compute_config.sql")).fetchall() == [(config,)]:
        run_sql_file(con, "marts/changed_months.sql")
        return False
    for table in FAMILY_TABLES:
        drop_table(con, table)
    run_sql_file(con, "marts/all_months_to_compute.sql")
    return True


def run_marts_sql(con: duckdb.DuckDBPyConnection) -> int:
    """The family marts (``sql/marts/<family>.sql``) of the months that need it, in one
    transaction with the record of what they were computed from; then ``counts.sql`` and
    ``data_quality.sql`` in full (both small: published geos x codes x months). Returns the
    number of months computed."""
    config = config_fingerprint(con)
    con.begin()
    try:
        months_to_compute(con, config)
        for path in FAMILY_SQL:
            run_sql_file(con, path)
        run_sql_file(con, "marts/record_computation.sql", {"config": config})
        computed = int(con.sql(read_sql("marts/months_computed.sql")).fetchall()[0][0])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    run_sql_file(con, "marts/counts.sql")
    run_sql_file(con, "marts/data_quality.sql")
    return computed


def family_returns(registry: Registry) -> dict[str, str]:
    """Indicator code -> the return type its availability depends on."""
    return {i.code: i.source_return for i in registry.indicators}


def count_values(con: duckdb.DuckDBPyConnection, registry: Registry) -> pl.DataFrame:
    """``marts.count_values`` with unit and empty flags, in the value columns."""
    units = pl.DataFrame({"indicator": [i.code for i in registry.counts()],
                          "unit": [i.unit for i in registry.counts()]})
    counts = read_table(con, "marts.count_values")
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
    months = run_marts_sql(con)
    fault_point("compute:after-marts-sql")  # test hook, inert unless set
    counts = count_values(con, registry)
    status = month_status(con.sql(read_sql("marts/month_states.sql")).pl())
    values = assemble(counts, registry, status)
    replace_table(con, "marts.indicator_values", values)
    bounds = con.sql(read_sql("marts/calendar_bounds.sql")).fetchall()[0]
    n_counts = int(values.filter(pl.col("indicator").is_in(
        [i.code for i in registry.counts()])).height)
    return ComputeSummary(
        seconds=time.perf_counter() - start, rows=values.height, count_rows=n_counts,
        derived_rows=values.height - n_counts,
        first_period=bounds[0][:7] if bounds[0] else None,
        last_period=bounds[1][:7] if bounds[1] else None,
        indicators=values.select("indicator").n_unique() if values.height else 0,
        months_computed=months,
    )


def indicator_values(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The internal values table (after :func:`compute_all`)."""
    return read_table(con, "marts.indicator_values")
