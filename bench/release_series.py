"""A series of consecutive monthly releases on the SYNTHETIC sample: no suppression ratchet.

Returns arrive month by month at their simulated arrival dates (late returns and revised
returns included, see ``indicators.sample.plan_sample``). Each release is made by the
pipeline's own steps (ingest, monthly snapshot, indicators, disclosure control with the
previous release's protected cells, release-wide audit); then, per release:

* ``suppressed``: protected count cells hidden (primary + secondary);
* ``flips``: cells whose status (published / hidden) changed since the previous release;
* ``pub->hid same``: flips from published to hidden of a cell whose count did not change
  (must be 0: what was published stays published);
* ``revised``: cells whose true count changed since the previous release;
* ``union disclosed``: confidential cells that the release-wide audit finds pinned or bounded
  inside 1..k-1 by a reader holding this release and every earlier one of the series
  (earlier values of unchanged counts taken as known; must be 0).

    python -m bench.release_series [--first 2021-12] [--last 2022-12] [--seed 2021]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from time import perf_counter

import polars as pl

KEY = ["indicator", "grain", "period_label", "geo", "breakdown", "breakdown_code"]
HEADER = ("release", "files", "suppressed", "flips", "pub->hid same", "hid->pub", "revised",
          "union disclosed", "audit ok")


@dataclass(frozen=True)
class ReleaseRow:
    month: str
    files: int
    suppressed: int
    flips: int
    published_to_hidden_unchanged: int
    hidden_to_published: int
    revised: int
    union_disclosed: int
    audit_ok: bool
    seconds: float = 0.0  # ingest, refresh and protection of this release (not the audit)

    def cells(self) -> tuple:
        return (self.month, self.files, self.suppressed, self.flips,
                self.published_to_hidden_unchanged, self.hidden_to_published, self.revised,
                self.union_disclosed, self.audit_ok)


def _months(first: str, last: str) -> list[str]:
    from indicators.sample import months

    return months(first, last)


def _release_date(month: str) -> datetime:
    """Releases are made on the 28th of the month after the reference month."""
    y, m = (int(x) for x in month.split("-"))
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return datetime.combine(date(y, m, 28), time.max)


def _changes(before: pl.DataFrame | None, now: pl.DataFrame) -> tuple[int, int, int, int]:
    if before is None:
        return 0, 0, 0, 0
    j = before.select(*KEY, "count", "status").join(
        now.select(*KEY, "count", "status"), on=KEY, how="inner", suffix="_now")
    was_pub, is_pub = pl.col("status") == "published", pl.col("status_now") == "published"
    same = pl.col("count") == pl.col("count_now")
    return (j.filter(was_pub != is_pub).height, j.filter(was_pub & ~is_pub & same).height,
            j.filter(~was_pub & is_pub).height, j.filter(~same).height)


def simulate(root: Path, first: str = "2021-12", last: str = "2022-12",
             seed: int = 2021) -> list[ReleaseRow]:
    """Make one release per month ``first``..``last`` in ``root`` (a fresh folder)."""
    from indicators import pipeline, warehouse
    from indicators.registry import load_registry
    from indicators.release_audit import audit_release, with_earlier_releases
    from indicators.sample import _write, plan_sample
    from indicators.settings import load_settings

    os.environ["OBS_DATA_DIR"] = str(root)
    settings = load_settings().ensure_dirs()
    registry = load_registry()
    plan = plan_sample(seed, until=last, today=date(2030, 1, 1))
    pending = sorted(plan.files, key=lambda f: f.arrived)
    rows: list[ReleaseRow] = []
    earlier: list[pl.DataFrame] = []
    before: pl.DataFrame | None = None
    for month in _months(first, last):
        cut = _release_date(month)
        arrived = [f for f in pending if f.arrived <= cut]
        pending = [f for f in pending if f.arrived > cut]
        started = perf_counter()
        for item in arrived:
            _write(settings.inbox_dir, item)
        pipeline.ingest(settings)
        y, m = (int(x) for x in month.split("-"))
        with warehouse.connect(settings.warehouse_path) as con:
            pipeline.refresh_months(con, date(2021, 1, 1), date(y, m, 1))
            pipeline.compute_marts(con, registry)
            protected = pipeline.protect_marts(con, registry, earlier[-1] if earlier else None,
                                               root, earlier_values=earlier)
            pipeline.keep_published_cells(con)
            cells = con.sql("SELECT * FROM protected.cells").pl()
        seconds = perf_counter() - started
        values = protected.indicator_values
        union = audit_release(with_earlier_releases(values, earlier, cells), registry, cells,
                              protected.eea_results)
        flips, down, up, revised = _changes(before, cells)
        rows.append(ReleaseRow(month, len(arrived), cells.filter(
            pl.col("status") != "published").height, flips, down, up, revised,
            len(union.disclosed()), protected.audit_ok, seconds))
        earlier.append(values)
        before = cells
    return rows


def table(rows: list[ReleaseRow]) -> str:
    widths = [max(len(h), 8) for h in HEADER]
    lines = ["  ".join(h.rjust(w) for h, w in zip(HEADER, widths, strict=True))]
    for r in rows:
        lines.append("  ".join(str(c).rjust(w) for c, w in zip(r.cells(), widths, strict=True)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", default="2021-12")
    parser.add_argument("--last", default="2022-12")
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="release-series-"))
    try:
        rows = simulate(root, args.first, args.last, args.seed)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(table(rows))
    bad = sum(r.published_to_hidden_unchanged + r.union_disclosed for r in rows)
    return 0 if bad == 0 and all(r.audit_ok for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
