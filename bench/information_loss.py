"""Information loss of disclosure control per indicator, and the release-wide audit's time.

Run:  .venv/bin/python -m bench.information_loss WAREHOUSE.duckdb [RELEASE.duckdb]
          [--compare OTHER_WAREHOUSE.duckdb [OTHER_RELEASE.duckdb]]

From the warehouse's protected cells (true counts, never published): per protected indicator
the cells, the suppressed ones, primary and secondary, and the total value the secondary
suppressions hide. With a release file: the release-wide audit (recomputable cells, time)
and the national yearly totals of the victims indicators as published. ``--compare`` prints
the same for another build (e.g. before a change) side by side.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb
import polars as pl

from indicators.registry import load_registry
from indicators.release_audit import audit_release

HEADLINE = ("THB_SIGNALLED", "THB_PRESUMED", "THB_CONFIRMED", "THB_NOT_CONFIRMED")


def loss(warehouse: Path) -> pl.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cells = con.sql("SELECT * FROM protected.cells").pl()
    finally:
        con.close()
    return (cells.group_by("indicator").agg(
        cells=pl.len(),
        suppressed=(pl.col("status") != "published").sum(),
        primary=(pl.col("status") == "primary").sum(),
        secondary=(pl.col("status") == "secondary").sum(),
        hidden_value=pl.when(pl.col("status") == "secondary").then(pl.col("count"))
        .otherwise(0).sum()).sort("indicator"))


def release_facts(release: Path) -> tuple[dict, pl.DataFrame]:
    con = duckdb.connect(str(release), read_only=True)
    try:
        values = con.sql("SELECT * FROM published.indicator_values").pl()
    finally:
        con.close()
    start = time.perf_counter()
    review = audit_release(values, load_registry())
    seconds = time.perf_counter() - start
    facts = {"suppressed": review.suppressed, "recomputable": len(review.recomputable()),
             "disclosed": len(review.disclosed()), "audit_seconds": round(seconds, 2)}
    totals = (values.filter(pl.col("indicator").is_in(HEADLINE) & (pl.col("grain") == "year")
                            & (pl.col("geo") == "PT") & (pl.col("breakdown") == "_T"))
              .select("indicator", "period_label",
                      pl.col("value").cast(pl.Int64).cast(pl.String).fill_null("c"))
              .pivot(on="period_label", index="indicator", values="value")
              .sort("indicator"))
    return facts, totals


def report(warehouse: Path, release: Path | None, title: str) -> None:
    print(f"== {title}: {warehouse}")
    with pl.Config(tbl_rows=50, tbl_cols=20, tbl_hide_dataframe_shape=True):
        print(loss(warehouse))
        if release is not None:
            facts, totals = release_facts(release)
            print(f"release {release.name}: {facts}")
            print(totals)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("release", type=Path, nargs="?")
    parser.add_argument("--compare", type=Path, nargs="+", default=None)
    args = parser.parse_args(argv)
    if args.compare:
        other = args.compare
        report(other[0], other[1] if len(other) > 1 else None, "compare")
    report(args.warehouse, args.release, "this build")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
