"""`observatory protect`: exit codes, output columns, clear errors for malformed input."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from indicators.disclosure import Hierarchy, Policy, ProtectionResult, audit
from observatory.cli import main
from observatory.commands import protect as protect_command

INNER = "district,sex,count\nD1,F,2\nD1,M,10\nD2,F,8\nD2,M,9\nD3,F,7\nD3,M,6\n"
HIER = (
    "dimension,code,parent\ndistrict,N,_T\ndistrict,S,_T\ndistrict,D1,N\ndistrict,D2,N\n"
    "district,D3,S\n"
)


def _write(tmp_path: Path, inner: str = INNER, hier: str = HIER) -> tuple[Path, Path]:
    (tmp_path / "inner.csv").write_text(inner)
    (tmp_path / "hier.csv").write_text(hier)
    return tmp_path / "inner.csv", tmp_path / "hier.csv"


def test_protect_writes_every_cell_with_status(tmp_path, capsys):
    inner, hier = _write(tmp_path)
    out = tmp_path / "out.csv"
    code = main(["protect", str(inner), "--hierarchy", str(hier), "--audit", "--output", str(out)])
    assert code == 0
    cells = pl.read_csv(out)
    assert cells.columns == ["district", "sex", "count", "status"]
    # 6 district codes (3 districts, 2 regions, _T) x 3 sex codes (F, M, _T).
    assert cells.height == 18
    assert (
        cells.filter((pl.col("district") == "D1") & (pl.col("sex") == "F"))["status"][0]
        == "primary"
    )
    assert cells.filter((pl.col("district") == "N") & (pl.col("sex") == "_T"))["count"][0] == 29
    text = capsys.readouterr().out
    assert "primary" in text and "AUDIT OK" in text


def test_threshold_and_zero_policy_options(tmp_path):
    inner, hier = _write(tmp_path)
    out = tmp_path / "out.csv"
    assert (
        main(
            [
                "protect",
                str(inner),
                "--hierarchy",
                str(hier),
                "--threshold",
                "8",
                "--protect-zeros",
                "--output",
                str(out),
            ]
        )
        == 0
    )
    cells = pl.read_csv(out)
    small = cells.filter((pl.col("count") >= 1) & (pl.col("count") < 8))
    assert set(small["status"]) == {"primary"}
    assert small.height == 5  # D1 F=2, D3 F=7, D3 M=6 and S (= D3) F=7, M=6


def test_audit_failure_gives_a_non_zero_exit(tmp_path, monkeypatch, capsys):
    inner, hier = _write(tmp_path)

    def leaky_protect(frame, hierarchies, policy, run_audit):
        cells = pl.read_csv(inner).with_columns(table=pl.lit("table"), status=pl.lit("published"))
        flat = {
            "district": Hierarchy.flat("district", ["D1", "D2", "D3"]),
            "sex": Hierarchy.flat("sex", ["F", "M"]),
        }
        report = audit(cells, flat, None, Policy())
        return ProtectionResult(
            cells.select("table", "district", "sex", "count", "status"),
            report,
            {"cells": 6, "primary": 0, "secondary": 0, "information_loss_sum": 0, "seconds": 0.0},
        )

    monkeypatch.setattr(protect_command, "protect", leaky_protect)
    code = main(["protect", str(inner), "--audit", "--output", str(tmp_path / "o.csv")])
    assert code == 1
    assert "AUDIT FAILED" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("inner", "hier", "message"),
    [
        ("district,sex,count\nD9,F,2\n", HIER, "unknown to the hierarchy"),
        (INNER, HIER + "district,X,Y\ndistrict,Y,X\n", "cycle"),
        ("district,sex,count\nD1,F,-2\n", HIER, "negative"),
        ("district,sex,count\nD1,F,2.5\n", HIER, "whole numbers"),
        ("district,sex,count\nD1,F,2\nD1,F,3\n", HIER, "duplicate"),
        ("district,sex,n\nD1,F,2\n", HIER, "count"),
        (INNER, "dimension,code\ndistrict,D1\n", "missing columns"),
    ],
)
def test_malformed_input_is_refused_in_both_languages(tmp_path, capsys, inner, hier, message):
    inner_path, hier_path = _write(tmp_path, inner, hier)
    code = main(
        [
            "protect",
            str(inner_path),
            "--hierarchy",
            str(hier_path),
            "--output",
            str(tmp_path / "o.csv"),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "erro" in err and "error" in err
    assert not (tmp_path / "o.csv").exists()
