"""Benchmark: validation and loading throughput on a large synthetic return set.

Generates (seeded) one CSV per partner, month and return type at full detail, straight from
the contract's codes, then measures
  1. validation alone (validate_file on every file),
  2. loading alone (load_validated of the validated tables into a fresh warehouse),
  3. the whole ingest (hash, validate, archive, load, move) into another fresh warehouse.

Usage: .venv/bin/python bench/bench_ingest.py [--scale small|full] [--seed N]
                                             [--months-per-file N]
  full: 10 years (2021-01..2030-12) x 8 partners x 3 return types = 2,880 files.
  small: 2 years x 3 partners x 3 return types = 216 files.
The reference date is set to 2030-12-31 so that every generated period is valid.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indicators import warehouse  # noqa: E402
from indicators.contract import load_contract  # noqa: E402
from indicators.ingest import ingest_paths, load_validated  # noqa: E402
from indicators.reference import partners  # noqa: E402
from indicators.settings import load_settings  # noqa: E402
from indicators.validation import validate_file  # noqa: E402

TODAY = date(2030, 12, 31)
ROWS_PER_FILE = {"victims": 150, "support": 100, "activities": 50}
SCALES = {"small": (2, 3), "full": (10, 8)}  # (years, partners)


def generate(folder: Path, years: int, n_partners: int, seed: int,
             months_per_file: int = 1) -> tuple[int, int]:
    contract = load_contract()
    rng = random.Random(seed)
    codes = {(name, col): contract.allowed_codes(col, name)
             for name, spec in contract.returns.items() for col in spec.columns}
    n_files = n_rows = 0
    months = [f"{y}-{m:02d}" for y in range(2021, 2021 + years) for m in range(1, 13)]
    batches = [months[i:i + months_per_file] for i in range(0, len(months), months_per_file)]
    for partner in [p.code for p in partners()][:n_partners]:
        for batch in batches:
            for name, spec in contract.returns.items():
                coded = [c for c in spec.columns if c not in ("partner", "period", "count")]
                path = folder / f"{partner}_{name}_{batch[0]}.csv"
                with path.open("w", encoding="utf-8", newline="") as handle:
                    writer = csv.writer(handle)
                    writer.writerow(spec.columns)
                    for period in batch:
                        keys: set[tuple[str, ...]] = set()
                        while len(keys) < ROWS_PER_FILE[name]:
                            keys.add(tuple(rng.choice(codes[(name, c)]) for c in coded))
                        for key in sorted(keys):
                            values = dict(zip(coded, key, strict=True))
                            values.update(partner=partner, period=period,
                                          count=str(rng.choice((0, 1, 1, 2, 3, 5, 8, 13))))
                            writer.writerow([values[c] for c in spec.columns])
                        n_rows += len(keys)
                n_files += 1
    return n_files, n_rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--seed", type=int, default=20240301)
    parser.add_argument("--months-per-file", type=int, default=1,
                        help="periods per file (12: one file per partner, year and type)")
    args = parser.parse_args()
    years, n_partners = SCALES[args.scale]

    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
        root = Path(tmp)
        source = root / "returns"
        source.mkdir()
        start = time.perf_counter()
        n_files, n_rows = generate(source, years, n_partners, args.seed,
                                   args.months_per_file)
        gen_s = time.perf_counter() - start
        size_mb = sum(p.stat().st_size for p in source.iterdir()) / 1e6
        print(f"scale {args.scale}, {args.months_per_file} month(s) per file: {n_files} files, "
              f"{n_rows:,} rows, {size_mb:.1f} MB (generated in {gen_s:.1f} s)")

        files = sorted(source.iterdir())
        start = time.perf_counter()
        validated = [validate_file(p, today=TODAY) for p in files]
        val_s = time.perf_counter() - start
        bad = [v.name for v in validated if not v.ok]
        assert not bad, f"generated files rejected: {bad[:3]}"
        print(f"validation : {val_s:7.2f} s  {n_rows / val_s:>10,.0f} rows/s  "
              f"{n_files / val_s:7.1f} files/s")

        start = time.perf_counter()
        with warehouse.connect(root / "load_only.duckdb") as con:
            now = datetime.now()
            for v in validated:
                load_validated(con, v, stored_path="bench", received_at=now, loaded_at=now)
        load_s = time.perf_counter() - start
        print(f"load only  : {load_s:7.2f} s  {n_rows / load_s:>10,.0f} rows/s  "
              f"{n_files / load_s:7.1f} files/s (one transaction per file)")

        settings = load_settings({"OBS_DATA_DIR": str(root / "data")}).ensure_dirs()
        start = time.perf_counter()
        outcomes = ingest_paths([source], settings, today=TODAY)
        ingest_s = time.perf_counter() - start
        loaded = sum(o.status == "loaded" for o in outcomes)
        assert loaded == n_files, f"{n_files - loaded} files not loaded"
        print(f"full ingest: {ingest_s:7.2f} s  {n_rows / ingest_s:>10,.0f} rows/s  "
              f"{n_files / ingest_s:7.1f} files/s (hash, validate, archive, load, move)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
