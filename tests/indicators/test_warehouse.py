"""Warehouse helpers: whole tables read and replaced without SQL text, names checked."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from indicators import warehouse
from indicators.warehouse import connect, read_table, replace_table


def test_replace_table_creates_then_replaces_and_read_table_gives_it_back():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA p")
    replace_table(con, "p.cells", pl.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]}))
    replace_table(con, "p.cells", pl.DataFrame({"a": [7]}))
    assert read_table(con, "p.cells").to_dicts() == [{"a": 7}]


@pytest.mark.parametrize("name", ["cells", "p.cells; DROP TABLE p.x", "p.\"x\"", "P.cells"])
def test_a_name_that_is_not_a_plain_schema_table_is_refused(name):
    con = duckdb.connect()
    with pytest.raises(ValueError, match="schema.table"):
        replace_table(con, name, pl.DataFrame({"a": [1]}))
    with pytest.raises(ValueError, match="schema.table"):
        read_table(con, name)


def _has_view(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return con.sql("SELECT count(*) FROM duckdb_views() WHERE schema_name = 'core' "
                   f"AND view_name = '{name}'").fetchall() == [(1,)]


def test_the_schema_file_runs_again_only_when_its_text_changed(tmp_path, monkeypatch):
    path = tmp_path / "w.duckdb"
    with connect(path) as con:  # a new warehouse: the schema is made
        assert con.sql("SELECT count(*) FROM core.current_submissions").fetchall() == [(0,)]
        con.execute("DROP VIEW core.activities")  # a mark: only running the file brings it back
    with connect(path) as con:  # the same text: not run again
        assert not _has_view(con, "activities")
    real_read = warehouse.read_sql
    upgraded = real_read(warehouse.SCHEMA_FILE) + "\n-- a later version of the file\n"
    monkeypatch.setattr(warehouse, "read_sql",
                        lambda p: upgraded if p == warehouse.SCHEMA_FILE else real_read(p))
    with connect(path) as con:  # a changed file is run
        assert _has_view(con, "activities")
        con.execute("DROP VIEW core.activities")
    with connect(path) as con:  # ... once
        assert not _has_view(con, "activities")


def test_a_read_only_connection_never_writes_the_schema(tmp_path):
    path = tmp_path / "w.duckdb"
    duckdb.connect(str(path)).close()
    with connect(path, read_only=True) as con:
        assert con.sql("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'core'"
                       ).fetchall() == [(0,)]
