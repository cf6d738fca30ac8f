"""`observatory indicators --list` prints the registry; `observatory indicators` computes."""

from __future__ import annotations

import duckdb
import pytest

from indicators.registry import load_registry
from indicators.settings import Settings
from observatory.cli import main
from tests.indicators.test_compute import add_submission, victim


def test_list_prints_every_indicator(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["indicators", "--list"]) == 0
    out = capsys.readouterr().out
    for ind in load_registry():
        assert ind.code in out and ind.name_en in out
    assert f"{len(load_registry())} indicadores / indicators" in out


def test_compute_without_warehouse_fails_clearly(settings: Settings,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["indicators"]) == 1
    assert "no warehouse" in capsys.readouterr().out


def test_compute_writes_the_marts(settings: Settings,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    from indicators.warehouse import connect

    with connect(settings.warehouse_path) as con:
        add_submission(con, "OTSH", "victims", "2024-01", [victim(count=9)])
    assert main(["indicators", "-v"]) == 0
    out = capsys.readouterr().out
    assert "indicators computed" in out and "THB_SIGNALLED" in out
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        got = con.sql("SELECT value FROM marts.indicator_values WHERE indicator = 'THB_SIGNALLED' "
                      "AND grain = 'month' AND geo = 'PT' AND breakdown = '_T'").fetchall()
    finally:
        con.close()
    assert got == [(9.0,)]
