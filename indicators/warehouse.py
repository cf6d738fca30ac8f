"""DuckDB warehouse access: SQL files loaded by path, connections that always close."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parents[1] / "sql"


def read_sql(relative_path: str) -> str:
    """The text of ``sql/<relative_path>``."""
    return (SQL_DIR / relative_path).read_text(encoding="utf-8")


def run_sql_file(con: duckdb.DuckDBPyConnection, relative_path: str,
                 params: dict | None = None) -> None:
    """Execute every statement of a SQL file (named parameters as ``$name``)."""
    con.execute(read_sql(relative_path), params or {})


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    run_sql_file(con, "core/schema.sql")


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse (creating its schema when writable) and close it on exit."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        if not read_only:
            ensure_schema(con)
        yield con
    finally:
        con.close()
