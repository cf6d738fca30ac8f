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


def test_the_schema_file_runs_again_only_when_its_text_changed(tmp_path, monkeypatch):
    path = tmp_path / "w.duckdb"
    real_read, real_run = warehouse.read_sql, warehouse._run_schema
    runs: list[str] = []

    def counted(con: duckdb.DuckDBPyConnection, text: str) -> None:
        runs.append(text)
        real_run(con, text)

    monkeypatch.setattr(warehouse, "_run_schema", counted)
    with connect(path) as con:  # a new warehouse: the schema is made
        assert con.sql("SELECT count(*) FROM core.current_submissions").fetchall() == [(0,)]
    with connect(path):  # the same text: not run again
        pass
    assert len(runs) == 1
    upgraded = (real_read(warehouse.SCHEMA_FILE)
                + "\nCREATE OR REPLACE VIEW core.upgraded AS SELECT 1 AS x;\n")
    monkeypatch.setattr(warehouse, "read_sql",
                        lambda p: upgraded if p == warehouse.SCHEMA_FILE else real_read(p))
    with connect(path) as con:  # a changed file is run, once
        assert con.sql("SELECT x FROM core.upgraded").fetchall() == [(1,)]
    with connect(path):
        pass
    assert runs[1:] == [upgraded]


def test_a_read_only_connection_never_writes_the_schema(tmp_path):
    path = tmp_path / "w.duckdb"
    duckdb.connect(str(path)).close()
    with connect(path, read_only=True) as con:
        assert con.sql("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'core'"
                       ).fetchall() == [(0,)]
