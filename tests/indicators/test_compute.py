"""Count indicators computed from hand-made core.* fixtures (answers computed by hand)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from indicators.compute import compute_all
from indicators.registry import Expectations, ExpectedReturn, load_registry
from indicators.warehouse import ensure_schema

VICTIM_COLUMNS = ("district", "sex", "age_group", "citizenship", "exploitation", "status",
                  "signalled_by", "count")


def add_submission(con: duckdb.DuckDBPyConnection, partner: str, return_type: str,
                   period: str, rows: list[tuple], received_at: datetime | None = None,
                   supersede: bool = False) -> int:
    """Insert one submission (and its ingest_log row) with the given cells."""
    period_date = date.fromisoformat(period + "-01")
    received_at = received_at or datetime(period_date.year, period_date.month, 5) \
        .replace(month=period_date.month)
    version = 1
    if supersede:
        version = con.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM core.submissions WHERE partner = ? "
            "AND return_type = ? AND period = ?", [partner, return_type, period_date]
        ).fetchone()[0]
        con.execute("UPDATE core.submissions SET superseded_at = ? WHERE partner = ? AND "
                    "return_type = ? AND period = ? AND superseded_at IS NULL",
                    [received_at, partner, return_type, period_date])
    ingest_id = con.execute(
        "INSERT INTO core.ingest_log (file_name, sha256, size_bytes, partner, return_types, "
        "periods, n_rows, status, stored_path, received_at, loaded_at) VALUES "
        "(?, ?, 1, ?, [?], [?], ?, 'loaded', 'archive/x', ?, ?) RETURNING ingest_id",
        [f"{partner}-{period}.csv", f"{partner}{period}{version}", partner, return_type,
         period_date, len(rows), received_at, received_at]).fetchone()[0]
    sub_id = con.execute(
        "INSERT INTO core.submissions (partner, return_type, period, version, ingest_id, "
        "sha256, n_rows, received_at) VALUES (?, ?, ?, ?, ?, 'x', ?, ?) "
        "RETURNING submission_id",
        [partner, return_type, period_date, version, ingest_id, len(rows), received_at]
    ).fetchone()[0]
    table = {"victims": "core.victims_cells", "support": "core.support_cells",
             "activities": "core.activities_cells"}[return_type]
    for row in rows:
        placeholders = ", ".join(["?"] * (len(row) + 3))
        con.execute(f"INSERT INTO {table} VALUES ({placeholders})",
                    [sub_id, partner, period_date, *row])
    return sub_id


def add_rejected(con: duckdb.DuckDBPyConnection, partner: str, return_type: str,
                 period: str) -> None:
    con.execute(
        "INSERT INTO core.ingest_log (file_name, sha256, size_bytes, partner, return_types, "
        "periods, n_rows, status, reasons, stored_path, received_at) VALUES "
        "('bad.csv', 'bad', 1, ?, [?], [?], 0, 'rejected', '[]', 'quarantine/x', ?)",
        [partner, return_type, date.fromisoformat(period + "-01"), datetime(2024, 1, 1)])


def months(first: str, last: str) -> list[str]:
    y, m = map(int, first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def expectations(*pairs: tuple[str, str], first: str = "2023-01") -> Expectations:
    return Expectations(due_days=10, entries=tuple(
        ExpectedReturn(partner=p, return_type=r, first=date.fromisoformat(first + "-01"),
                       last=None) for p, r in pairs))


def victim(district: str = "PT-02", sex: str = "F", age: str = "25-34",
           citizenship: str = "PT", exploitation: str = "sexual_prostitution",
           status: str = "presumed", by: str = "police", count: int = 1) -> tuple:
    return (district, sex, age, citizenship, exploitation, status, by, count)


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(connection)
    yield connection
    connection.close()


def value(df: pl.DataFrame, indicator: str, grain: str, label: str, geo: str = "PT",
          breakdown: str = "_T", code: str = "_T") -> tuple[float | None, str]:
    row = df.filter((pl.col("indicator") == indicator) & (pl.col("grain") == grain)
                    & (pl.col("period_label") == label) & (pl.col("geo") == geo)
                    & (pl.col("breakdown") == breakdown) & (pl.col("breakdown_code") == code))
    assert row.height == 1, (indicator, grain, label, geo, breakdown, code, row)
    return row["value"][0], row["flags"][0]


def beja_warehouse(con: duckdb.DuckDBPyConnection) -> None:
    """Two years (2023-2024), partners OTSH and APF send victims returns every month.

    2024, Beja: 63 presumed victims: OTSH 2024-01: 30 (F, 25-34, PT, prostitution, police);
    APF 2024-06: 33 = 20 (M, 12-17, BR, labour, ngo) + 13 (F, 0-11, RO, sexual_online, ngo).
    2024, Lisboa: 4 confirmed (F, 35-44, NG, labour, police) in 2024-03 from OTSH.
    2023, Beja: 50 presumed (F, 25-34, PT, prostitution, police) in 2023-02 from OTSH; 2023,
    Lisboa: 2 not confirmed (M, 18-24, PT, other, hotline) in 2023-11 from APF.
    Every other month each partner sends an empty return (nothing signalled).
    """
    data = {
        ("OTSH", "2024-01"): [victim(count=30)],
        ("APF", "2024-06"): [victim(sex="M", age="12-17", citizenship="BR",
                                    exploitation="labour", by="ngo", count=20),
                             victim(age="0-11", citizenship="RO",
                                    exploitation="sexual_online", by="ngo", count=13)],
        ("OTSH", "2024-03"): [victim(district="PT-11", age="35-44", citizenship="NG",
                                     exploitation="labour", status="confirmed", count=4)],
        ("OTSH", "2023-02"): [victim(count=50)],
        ("APF", "2023-11"): [victim(district="PT-11", sex="M", age="18-24", exploitation="other",
                                    status="not_confirmed", by="hotline", count=2)],
    }
    for month in months("2023-01", "2024-12"):
        for partner in ("OTSH", "APF"):
            add_submission(con, partner, "victims", month, data.get((partner, month), []))


@pytest.fixture
def beja(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    beja_warehouse(con)
    compute_all(con, load_registry(), expectations(("OTSH", "victims"), ("APF", "victims")))
    return con.sql("SELECT * FROM marts.indicator_values").pl()


def test_yearly_counts_by_district_and_national(beja: pl.DataFrame) -> None:
    assert value(beja, "THB_PRESUMED", "year", "2024", geo="PT-02") == (63, "")
    assert value(beja, "THB_PRESUMED", "year", "2023", geo="PT-02") == (50, "")
    # national presumed 2024 = 63; signalled = 63 + 4 confirmed
    assert value(beja, "THB_PRESUMED", "year", "2024") == (63, "")
    assert value(beja, "THB_SIGNALLED", "year", "2024") == (67, "")
    assert value(beja, "THB_CONFIRMED", "year", "2024", geo="PT-11") == (4, "")
    # a true zero is a value 0 with no flag
    assert value(beja, "THB_CONFIRMED", "year", "2024", geo="PT-02") == (0, "")
    assert value(beja, "THB_NOT_CONFIRMED", "year", "2023", geo="PT-11") == (2, "")


def test_breakdowns_and_hierarchy_totals(beja: pl.DataFrame) -> None:
    v = "THB_SIGNALLED"
    assert value(beja, v, "year", "2024", breakdown="sex", code="F") == (47, "")   # 30+13+4
    assert value(beja, v, "year", "2024", breakdown="sex", code="M") == (20, "")
    assert value(beja, v, "year", "2024", breakdown="sex", code="X") == (0, "")
    assert value(beja, v, "year", "2024", breakdown="age_group", code="Y_LT18") == (33, "")
    assert value(beja, v, "year", "2024", breakdown="age_group", code="Y_GE18") == (34, "")
    assert value(beja, v, "year", "2024", breakdown="age_group", code="0-11") == (13, "")
    assert value(beja, v, "year", "2024", breakdown="citizenship_group", code="PT") == (30, "")
    assert value(beja, v, "year", "2024", breakdown="citizenship_group", code="EU") == (13, "")
    assert value(beja, v, "year", "2024", breakdown="citizenship_group",
                 code="NON_EU") == (24, "")
    assert value(beja, v, "year", "2024", breakdown="citizenship", code="BR") == (20, "")
    assert value(beja, v, "year", "2024", breakdown="exploitation", code="SEXUAL") == (43, "")
    assert value(beja, v, "year", "2024", breakdown="exploitation", code="LABOUR") == (24, "")
    assert value(beja, v, "year", "2024", breakdown="exploitation",
                 code="sexual_online") == (13, "")
    assert value(beja, v, "year", "2024", breakdown="signalled_by", code="ngo") == (33, "")
    # district tables: total and sex only; sex by year only, the total of persons signalled
    # also by quarter and year to date (never by month)
    assert value(beja, v, "year", "2024", geo="PT-02", breakdown="sex", code="M") == (20, "")
    dist = beja.filter((pl.col("indicator") == v) & (pl.col("geo") == "PT-02"))
    assert set(dist.filter(pl.col("breakdown") == "sex")["grain"]) == {"year"}
    assert set(dist.filter(pl.col("breakdown") == "_T")["grain"]) == {"quarter", "year", "ytd"}
    assert set(dist["breakdown"]) == {"_T", "sex"}
    assert value(beja, v, "quarter", "2024-Q1", geo="PT-02") == (30, "")    # 2024-01
    assert value(beja, v, "quarter", "2024-Q2", geo="PT-02") == (33, "")    # 2024-06
    assert value(beja, v, "ytd", "2024-01..2024-05", geo="PT-02") == (30, "")
    assert value(beja, v, "ytd", "2024-01..2024-06", geo="PT-02") == (63, "")
    assert value(beja, v, "quarter", "2024-Q1", geo="PT-11") == (4, "")     # 2024-03
    # the status split by district: by year only
    assert set(beja.filter((pl.col("indicator") == "THB_PRESUMED")
                           & (pl.col("geo") == "PT-02"))["grain"]) == {"year"}


def test_grains_month_quarter_r12_ytd(beja: pl.DataFrame) -> None:
    v = "THB_SIGNALLED"  # presumed + confirmed + not confirmed
    assert value(beja, v, "month", "2024-06") == (33, "")
    assert value(beja, v, "month", "2024-05") == (0, "")
    assert value(beja, v, "quarter", "2024-Q1") == (34, "")  # 30 presumed + 4 confirmed
    assert value(beja, "THB_PRESUMED", "quarter", "2024-Q1") == (30, "")
    assert value(beja, "THB_PRESUMED", "quarter", "2024-Q2") == (33, "")
    # rolling 12 months ending 2024-01: 2023-02..2024-01 = 50 + 2 (2023-11) + 30
    assert value(beja, v, "r12", "2023-02..2024-01") == (82, "")
    # ending 2024-02: 2023-03..2024-02 = 2 + 30
    assert value(beja, v, "r12", "2023-03..2024-02") == (32, "")
    assert value(beja, v, "ytd", "2024-01..2024-05") == (34, "")
    assert value(beja, v, "ytd", "2024-01..2024-06") == (67, "")
    # no r12 before 12 months of history
    assert beja.filter((pl.col("grain") == "r12")
                       & (pl.col("period") < date(2023, 1, 1))).is_empty()
    row = beja.filter((pl.col("indicator") == v) & (pl.col("grain") == "r12")
                      & (pl.col("period_label") == "2023-02..2024-01")
                      & (pl.col("breakdown") == "_T"))
    assert row["period"][0] == date(2023, 2, 1) and row["period_end"][0] == date(2024, 1, 31)
    # the status split is published by quarter and year only (registry)
    assert beja.filter((pl.col("indicator") == "THB_PRESUMED")
                       & pl.col("grain").is_in(["month", "r12", "ytd"])).is_empty()


def test_revised_submission_replaces_the_earlier_version(con: duckdb.DuckDBPyConnection
                                                         ) -> None:
    beja_warehouse(con)
    add_submission(con, "OTSH", "victims", "2024-01", [victim(count=31)],
                   received_at=datetime(2024, 3, 1), supersede=True)
    compute_all(con, load_registry(), expectations(("OTSH", "victims"), ("APF", "victims")))
    df = con.sql("SELECT * FROM marts.indicator_values").pl()
    assert value(df, "THB_PRESUMED", "year", "2024", geo="PT-02") == (64, "")
