"""Warehouse helpers: whole tables read and replaced without SQL text, names checked."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from indicators.warehouse import read_table, replace_table


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
