"""Wall time of the monthly refresh job (Dagster, in-process) on the synthetic sample.

1. full backfill: sample 2021-01 .. last complete month, then one `monthly_refresh` run over
   every partition (ingest, snapshot, indicators, disclosure control, checks, publication);
2. one-month incremental refresh: a revised return for the last month arrives, then the job
   runs for that partition only (marts and protection are recomputed over the whole history,
   as they must be for rolling windows).

Run: .venv/bin/python bench/bench_refresh.py [--until YYYY-MM]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--until", default=None, help="last sample month (default: last "
                        "complete month)")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="bench_refresh_")) / "data"
    os.environ["OBS_DATA_DIR"] = str(data)
    os.environ.pop("OBS_INBOX_DIR", None)
    os.environ.pop("OBS_WAREHOUSE", None)

    from indicators.sample import write_sample
    from indicators.settings import load_settings
    from orchestration.defs.resources import resources_for
    from orchestration.runner import load_defs, partition_range, run_refresh

    settings = load_settings().ensure_dirs()
    start = time.perf_counter()
    summary = write_sample(settings.inbox_dir, data / "sample-invalid", until=args.until)
    print(f"sample: {summary.files} files, {summary.rows} rows "
          f"({time.perf_counter() - start:.1f} s)")
    defs = load_defs()
    resources = resources_for(str(data))
    first, last = partition_range(everything=True)
    if args.until:
        last = f"{args.until}-01"

    start = time.perf_counter()
    report = run_refresh(first, last, resources=resources, defs=defs)
    full = time.perf_counter() - start
    months = len(range((int(last[:4]) - 2021) * 12 + int(last[5:7])))
    print(f"full backfill {first[:7]}..{last[:7]} ({months} months): {full:.1f} s, "
          f"success={report.success}, release={report.release_id}")
    if not report.success:
        print("\n".join(report.errors + report.failed_checks))
        return 1

    # a revised return for the last month arrives: one-month incremental refresh
    archived = sorted(settings.archive_dir.rglob(f"*_{last[:7]}*.csv"))
    if archived:
        source = archived[0]
        text = source.read_text(encoding="utf-8").rstrip("\n").split("\n")
        header, rows = text[0], text[1:]
        cells = rows[0].split(",")
        cells[-1] = str(int(cells[-1]) + 1)
        revised = settings.inbox_dir / f"revised_{source.name.split('_', 1)[1]}"
        revised.write_text("\n".join([header, ",".join(cells), *rows[1:]]) + "\n",
                           encoding="utf-8")
    start = time.perf_counter()
    report = run_refresh(last, last, resources=resources, defs=defs)
    one = time.perf_counter() - start
    print(f"one-month incremental refresh {last[:7]}: {one:.1f} s, success={report.success}, "
          f"release={report.release_id}")
    print(f"  {report.summary_en}")
    return 0 if report.success else 1


if __name__ == "__main__":
    sys.exit(main())
