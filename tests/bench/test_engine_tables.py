"""The benchmark's 10^6 data as eight yearly tables: the same persons, tables sharing no cell."""

from __future__ import annotations

import polars as pl

from bench.bench_disclosure import PERSONS, parts, scenario, sparse_counts


def test_the_10e6_data_is_split_into_eight_yearly_tables_that_share_no_cell() -> None:
    tables = parts("1e6")
    assert len(tables) == 8
    months_seen: set[str] = set()
    for hierarchies, inner in tables:
        time = hierarchies["month"]
        years = {code for code, parent in time.parents.items() if parent == "_T"}
        assert len(years) == 1  # the table's total is its year: no multi-year total
        year = years.pop()
        months = set(time.leaves())
        assert len(months) == 12 and all(m.startswith(f"{year}-") for m in months)
        assert set(inner["month"].unique()) <= months
        assert months_seen.isdisjoint(months)  # no inner cell, so no cell, in two tables
        months_seen |= months
    # together they hold exactly the persons of the one-table data, cell for cell
    joint = sparse_counts(scenario("1e6j"), PERSONS["1e6j"], seed=7)
    split = pl.concat([inner for _, inner in tables])
    assert split["count"].sum() == joint["count"].sum() == 3600
    key = ["district", "age", "sex", "form", "month"]
    assert split.sort(key).equals(joint.select(split.columns).sort(key))


def test_the_other_draws_row_reports_the_slowest_draw_and_fails_if_any_audit_fails() -> None:
    from bench.steps import other_draws_row

    def draw(total: float, ok: bool = True) -> dict:
        return {"protect_s": total / 4, "audit_s": total * 3 / 4, "total_s": total,
                "secondary": int(total), "cells": 13050, "floor_s": 0.01, "audit_ok": ok}

    fast, slow, middle = draw(40.0), draw(200.0), draw(80.0)
    r = other_draws_row("4-D", [fast, slow, middle], (8, 9, 10))
    assert r["seconds"] == 200.0 and r["suppressed"] == 200 and r["status"] == "ok"
    assert "seed 9: 50.0 + 150.0 = 200.0 s" in r["note"] and "seed 8: " in r["note"]
    failed = other_draws_row("4-D", [fast, draw(30.0, ok=False)], (8, 9))
    assert failed["seconds"] == 40.0 and failed["status"] == "failed"
