"""What the release publishes by district, and what its protection costs (issue 14).

Protects a COPY of a warehouse's marts afresh (no previous release) with the pipeline's own
step (``pipeline.protect_marts``) and prints its CPU and wall seconds, whether the
release-wide audit passed, and per grain the district cells of persons signalled: published
numbers, true zeros, confidential (``c``), and, for the latest year, each period.

    python -m bench.district_publication WAREHOUSE   # e.g. the demo's data/warehouse.duckdb
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _counts(values: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    hidden = pl.col("flags").fill_null("").str.contains("c", literal=True)
    return (values.group_by(by)
            .agg(cells=pl.len(), published=(~hidden & (pl.col("value") > 0)).sum(),
                 zeros=(pl.col("value") == 0).sum(), confidential=hidden.sum())
            .sort(by))


def measure(warehouse: Path) -> None:
    from indicators import pipeline
    from indicators import warehouse as wh
    from indicators.registry import load_registry

    registry = load_registry()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "warehouse.duckdb"
        shutil.copy(warehouse, copy)
        con = duckdb.connect(str(copy))
        con.execute("DROP TABLE IF EXISTS protected.published_cells")  # protect afresh
        con.close()
        with wh.connect(copy) as con:
            pipeline.compute_marts(con, registry)
            cpu, wall = _cpu(), time.perf_counter()
            protected = pipeline.protect_marts(con, registry, None, Path(tmp))
            cpu, wall = _cpu() - cpu, time.perf_counter() - wall
    print(f"protect_marts: cpu {cpu:.1f} s, wall {wall:.1f} s, "
          f"release-wide audit ok: {protected.audit_ok}")
    values = protected.indicator_values.filter(
        (pl.col("indicator") == "THB_SIGNALLED") & (pl.col("geo") != "PT"))
    with pl.Config(tbl_rows=100):
        print(_counts(values, ["grain", "breakdown"]))
        latest = values["period_label"].str.slice(0, 4).max()
        print(f"latest year {latest}, total by district:")
        print(_counts(values.filter(pl.col("period_label").str.starts_with(latest)
                                    & (pl.col("breakdown") == "_T")),
                      ["grain", "period_label"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    measure(parser.parse_args(argv).warehouse)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
