"""published.rejections says "1 problem" / "2 problems" (and "1 problema" / "2 problemas"),
never "problem(s)", and names the first problem's rule and row."""

from __future__ import annotations

import json

import duckdb

from indicators.rejection_summaries import published_rejections
from indicators.warehouse import run_sql_file


def _log(con: duckdb.DuckDBPyConnection, reasons: list[dict], when: str) -> None:
    con.execute("INSERT INTO core.ingest_log (file_name, sha256, size_bytes, partner, status, "
                "reasons, stored_path, received_at) VALUES ('x.csv', 'h', 1, 'APF', "
                "'rejected', ?, 'quarantine/x', ?)", [json.dumps(reasons), when])


def test_summaries_count_problems_in_the_singular_and_the_plural():
    con = duckdb.connect()
    run_sql_file(con, "core/schema.sql")
    _log(con, [{"rule": "unknown_column", "row": 1}], "2026-01-03")
    _log(con, [{"rule": "bad_count", "row": 4}, {"rule": "bad_period", "row": 5}],
         "2026-01-02")
    _log(con, [{"rule": "empty_file"}], "2026-01-01")
    frame = published_rejections(con)
    assert frame.columns == ["file_name", "received_at", "partner", "rules", "summary_en",
                             "summary_pt"]
    assert frame["summary_en"].to_list() == [
        "1 problem; first: unknown_column, row 1",
        "2 problems; first: bad_count, row 4",
        "1 problem; first: empty_file"]
    assert frame["summary_pt"].to_list() == [
        "1 problema; primeiro: unknown_column, linha 1",
        "2 problemas; primeiro: bad_count, linha 4",
        "1 problema; primeiro: empty_file"]
    assert frame["rules"].to_list()[1] == ["bad_count", "bad_period"]
    assert not any("(s)" in s for s in frame["summary_en"].to_list() + frame[
        "summary_pt"].to_list())
