"""The marts recomputed only for the months whose returns changed (indicators/compute.py,
sql/marts/source_months.sql) are exactly the marts of a computation from scratch on the same
warehouse; and the support and activities monthly sums match independent polars sums of the
generated cells (the victims family is checked so in test_compute_marts_sql.py)."""

from __future__ import annotations

import dataclasses
import random
import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from indicators import compute as compute_module
from indicators.compute import compute_all
from indicators.contract import load_contract
from indicators.reference import countries, districts
from indicators.registry import Registry, load_registry
from indicators.warehouse import ensure_schema
from tests.indicators.test_compute import add_submission, expectations, months
from tests.indicators.test_compute_marts_sql import COLUMNS as VICTIM_COLUMNS
from tests.indicators.test_compute_marts_sql import FOREIGN, generated_cells

MARTS = ("victims_cube", "support_cube", "activities_cube", "victims_month_sparse",
         "support_month_sparse", "activities_month_sparse", "count_month", "count_values",
         "data_quality", "indicator_values")
SUPPORT_COLUMNS = ("district", "sex", "age_group", "support", "case", "count")
ACTIVITY_COLUMNS = ("district", "activity", "audience", "sex", "count")
PARTNERS = ("OTSH", "APF")
EXPECTED = expectations(*((p, r) for p in PARTNERS for r in ("victims", "support",
                                                             "activities")))


def other_cells(family: str, seed: int, first: str = "2023-01",
                last: str = "2023-12") -> pl.DataFrame:
    """Support or activities cells: unique keys per partner and month, foreign regions too."""
    contract = load_contract()
    columns = SUPPORT_COLUMNS if family == "support" else ACTIVITY_COLUMNS
    codes = {c: list(contract.allowed_codes(c, family)) for c in columns[1:-1]}
    places = [d.code for d in districts()][:5] + list(FOREIGN)
    rng = random.Random(seed)
    rows = []
    for partner in PARTNERS:
        for period in months(first, last):
            keys = {(rng.choice(places), *(rng.choice(codes[c]) for c in columns[1:-1]))
                    for _ in range(30)}
            rows += [(partner, period, *key, rng.randint(0, 9)) for key in sorted(keys)]
    return pl.DataFrame(rows, schema=["partner", "period", *columns], orient="row")


def load_cells(con: duckdb.DuckDBPyConnection, family: str, cells: pl.DataFrame,
               supersede: bool = False) -> None:
    columns = {"victims": VICTIM_COLUMNS, "support": SUPPORT_COLUMNS,
               "activities": ACTIVITY_COLUMNS}[family]
    for (partner, period), part in cells.group_by(["partner", "period"], maintain_order=True):
        add_submission(con, partner, family, period,
                       [tuple(r) for r in part.select(columns).iter_rows()],
                       supersede=supersede)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("incremental") / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        ensure_schema(con)
        con.begin()
        load_cells(con, "victims", generated_cells(seed=3))
        load_cells(con, "support", other_cells("support", seed=4))
        load_cells(con, "activities", other_cells("activities", seed=5))
        con.commit()
    return path


@pytest.fixture
def warehouse(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(template, path)
    return path


def run_compute(path: Path, registry: Registry | None = None) -> int:
    with duckdb.connect(str(path)) as con:
        return compute_all(con, registry or load_registry(), EXPECTED).months_computed


def from_scratch(path: Path, tmp_path: Path) -> Path:
    """A copy of the warehouse without any marts, computed in full."""
    copy = tmp_path / "scratch.duckdb"
    shutil.copyfile(path, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("DROP SCHEMA marts CASCADE")
    assert run_compute(copy) == len(months_of(copy))
    return copy


def months_of(path: Path) -> set[date]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {r[0] for r in con.sql("SELECT DISTINCT period FROM core.submissions "
                                      "WHERE superseded_at IS NULL").fetchall()}


def differing_rows(left: Path, right: Path) -> dict[str, int]:
    """Rows of each mart in one file and not the other (multisets, both ways)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{left}' AS l (READ_ONLY)")
    con.execute(f"ATTACH '{right}' AS r (READ_ONLY)")
    out = {}
    for table in MARTS:
        a, b = f"l.marts.{table}", f"r.marts.{table}"
        out[table] = con.sql(f"SELECT count(*) FROM ((SELECT * FROM {a} EXCEPT ALL SELECT * "
                             f"FROM {b}) UNION ALL (SELECT * FROM {b} EXCEPT ALL SELECT * "
                             f"FROM {a}))").fetchall()[0][0]
    con.close()
    return out


def cube_periods(path: Path) -> set[date]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {r[0] for r in con.sql("SELECT DISTINCT period FROM marts.victims_cube "
                                      "UNION SELECT period FROM marts.support_cube").fetchall()}


NO_DIFFERENCE = dict.fromkeys(MARTS, 0)


def test_unchanged_returns_recompute_nothing(warehouse, tmp_path):
    assert run_compute(warehouse) == 12
    assert run_compute(warehouse) == 0
    assert differing_rows(warehouse, from_scratch(warehouse, tmp_path)) == NO_DIFFERENCE


def test_revised_month_is_the_only_one_recomputed(warehouse, tmp_path):
    run_compute(warehouse)
    revised = generated_cells(seed=11).filter((pl.col("partner") == "OTSH")
                                              & (pl.col("period") == "2023-05"))
    with duckdb.connect(str(warehouse)) as con:
        load_cells(con, "victims", revised, supersede=True)

    assert run_compute(warehouse) == 1
    assert differing_rows(warehouse, from_scratch(warehouse, tmp_path)) == NO_DIFFERENCE


def test_revision_with_the_same_totals_is_seen(warehouse, tmp_path):
    """Same number of cells and the same sum of counts, one person moved to another cell."""
    run_compute(warehouse)
    with duckdb.connect(str(warehouse)) as con:
        rows = con.sql("SELECT c.district, c.sex, c.age_group, c.support, c.\"case\", c.count "
                       "FROM core.support_cells c JOIN core.current_submissions s USING "
                       "(submission_id) WHERE s.partner = 'APF' AND c.period = '2023-03-01' "
                       "ORDER BY ALL").fetchall()
        moved = [r[:5] for r in rows]
        source = next(i for i, r in enumerate(rows) if r[5] > 0)
        target = (source + 1) % len(rows)
        counts = [r[5] for r in rows]
        counts[source] -= 1
        counts[target] += 1
        add_submission(con, "APF", "support", "2023-03",
                       [(*m, n) for m, n in zip(moved, counts, strict=True)], supersede=True)

    assert run_compute(warehouse) == 1
    assert differing_rows(warehouse, from_scratch(warehouse, tmp_path)) == NO_DIFFERENCE


def test_new_month_and_removed_month(warehouse, tmp_path):
    run_compute(warehouse)
    with duckdb.connect(str(warehouse)) as con:
        load_cells(con, "support", other_cells("support", seed=6, first="2024-01",
                                               last="2024-01"))
        for table in ("victims_cells", "support_cells", "activities_cells", "submissions"):
            con.execute(f"DELETE FROM core.{table} WHERE period = DATE '2023-01-01'")

    assert run_compute(warehouse) == 2
    assert date(2023, 1, 1) not in cube_periods(warehouse)
    assert date(2024, 1, 1) in cube_periods(warehouse)
    assert differing_rows(warehouse, from_scratch(warehouse, tmp_path)) == NO_DIFFERENCE


def test_changed_reference_data_recomputes_every_month(warehouse, tmp_path, monkeypatch):
    run_compute(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        iso2, group = con.sql("SELECT citizenship, citizenship_group FROM marts.victims_cube "
                              "WHERE citizenship NOT IN ('UNKNOWN', 'STATELESS') "
                              "ORDER BY ALL LIMIT 1").fetchall()[0]
    regrouped = "NON_EU" if group != "NON_EU" else "EU"
    moved = [dataclasses.replace(c, group=regrouped) if c.iso2 == iso2 else c
             for c in countries()]
    monkeypatch.setattr(compute_module, "countries", lambda: moved)

    assert run_compute(warehouse) == 12
    with duckdb.connect(str(warehouse), read_only=True) as con:
        groups = con.sql(f"SELECT DISTINCT citizenship_group FROM marts.victims_cube "
                         f"WHERE citizenship = '{iso2}'").fetchall()
    assert groups == [(regrouped,)]
    assert differing_rows(warehouse, from_scratch(warehouse, tmp_path)) == NO_DIFFERENCE


def test_failure_half_way_leaves_marts_that_the_next_run_repairs(warehouse, tmp_path,
                                                                  monkeypatch):
    run_compute(warehouse)
    revised = generated_cells(seed=12).filter(pl.col("period") == "2023-08")
    with duckdb.connect(str(warehouse)) as con:
        load_cells(con, "victims", revised, supersede=True)
    run = compute_module.run_sql_file

    def fail_on_activities(con, path, params=None):
        if path == "marts/activities.sql":
            raise RuntimeError("killed")
        run(con, path, params)

    monkeypatch.setattr(compute_module, "run_sql_file", fail_on_activities)
    with pytest.raises(RuntimeError, match="killed"):
        run_compute(warehouse)
    monkeypatch.setattr(compute_module, "run_sql_file", run)

    assert run_compute(warehouse) == 1
    assert differing_rows(warehouse, from_scratch(warehouse, tmp_path)) == NO_DIFFERENCE


# ------------------------------------------------- support and activities: independent sums


def independent_sparse(cells: pl.DataFrame, family: str, breakdowns: tuple[str, ...],
                       registry: Registry) -> dict[tuple, float]:
    """{(indicator, period, geo, breakdown, code): value}: every indicator of the family,
    cells filtered by its filter, summed by breakdown code (and parent code) for the nation
    (every region) and each published district."""
    published = set(load_contract().geo_codes)
    out: dict[tuple, float] = {}
    for indicator in [i for i in registry.counts() if i.family == family]:
        rows = cells
        for column, allowed in indicator.filter.items():
            rows = rows.filter(pl.col(column).is_in(list(allowed)))
        for row in rows.iter_rows(named=True):
            geos = ["PT"] + ([row["district"]] if row["district"] in published else [])
            for breakdown in breakdowns:
                code = "_T" if breakdown == "_T" else row[breakdown]
                parent = registry.hierarchies.get(breakdown, {}).get(code)
                for c in [code] + ([parent] if parent else []):
                    for geo in geos:
                        key = (indicator.code, row["period"], geo, breakdown, c)
                        out[key] = out.get(key, 0.0) + row["count"]
    return out


@pytest.mark.parametrize(("family", "breakdowns"), [
    ("support", ("_T", "sex", "age_group", "support")),
    ("activities", ("_T", "sex", "audience")),
])
def test_monthly_sums_match_independent_sums(warehouse, family, breakdowns):
    run_compute(warehouse)
    cells = other_cells(family, seed=4 if family == "support" else 5)
    want = independent_sparse(cells.with_columns(
        period=(pl.col("period") + "-01").str.to_date()), family, breakdowns, load_registry())
    with duckdb.connect(str(warehouse), read_only=True) as con:
        got = {tuple(r[:-1]): r[-1] for r in con.sql(
            f"SELECT indicator, period, geo, breakdown, breakdown_code, value "
            f"FROM marts.{family}_month_sparse").fetchall()}
    assert len(want) > 100
    assert got == want
