"""Scale generator for the benchmarks (SYNTHETIC data only).

Two scales:

* ``national``: Portugal as the contract knows it: the 20 districts and 8 partners of
  ``indicators/reference``, every return type of ``indicators/contract/v1.toml`` at full
  detail, monthly for 10 years. The returns come from the sample generator
  (``indicators.sample.generate_returns``, realistic volumes) and are written as the CSV files
  partners send (``indicators.sample.render_csv``), so the whole ingest path is exercised.
  The contract starts in 2021-01 and refuses future months, so the ten years are
  2021-01..2030-12 and validation runs with ``today = 2030-12-31`` (as bench_ingest does).
* ``european``: about 1,200 synthetic NUTS-3-like regions in 30 countries, monthly for 10
  years, at least 5 million return rows. The contract and reference data only know
  Portuguese districts, so these rows are written straight in the warehouse's core cell
  tables shape (``core.*_cells``, ``core.submissions``, ``core.ingest_log``) as Parquet, with
  the region code in the ``district`` column and one synthetic partner per country; every
  other code is a valid contract code. The benchmark then validates them with SQL (codes,
  counts, periods), loads them and runs the same SQL marts and disclosure engine.

``--quick`` sizes (a smoke test): national 1 year, european 3 countries x 4 regions x 1 year.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import polars as pl

from indicators.contract import load_contract
from indicators.reference import districts, partners
from indicators.sample import generate_returns, months, render_csv

NATIONAL_FIRST = "2021-01"
NATIONAL_TODAY = date(2030, 12, 31)  # validation date: every generated month is in the past
EUROPEAN_FIRST_YEAR = 2016
SEED = 2021

CELL_COLUMNS = {
    "victims": ["submission_id", "partner", "period", "district", "sex", "age_group",
                "citizenship", "exploitation", "status", "signalled_by", "count"],
    "support": ["submission_id", "partner", "period", "district", "sex", "age_group",
                "support", "case", "count"],
    "activities": ["submission_id", "partner", "period", "district", "activity", "audience",
                   "sex", "count"],
}
# European rows per region and month, by return type: 30 + 10 + 3 = 43 rows; with 1,200
# regions x 120 months that is 6.2 million return rows.
EUROPEAN_ROWS = {"victims": 30, "support": 10, "activities": 3}
COUNTRIES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR",
             "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI",
             "SK", "NO", "IS", "LI")
# Regions per country: roughly NUTS 3 sizes (DE largest), 1,200 in all for the full scale.
_WEIGHTS = {"DE": 400, "IT": 107, "PL": 73, "FR": 101, "ES": 59, "EL": 52, "RO": 42, "HU": 20,
            "BG": 28, "NL": 40, "AT": 35, "BE": 44, "CZ": 14, "SE": 21, "FI": 19,
            "PT": 25, "DK": 11, "IE": 8, "HR": 21, "SK": 8, "SI": 12, "LT": 10, "LV": 6,
            "EE": 5, "NO": 11, "CY": 1, "LU": 1, "MT": 2, "IS": 2, "LI": 1}


@dataclass(frozen=True)
class Size:
    """What one scale generates."""

    name: str
    first: str           # first month YYYY-MM
    last: str            # last month YYYY-MM
    regions: int         # districts or synthetic regions
    countries: int
    partners: int

    @property
    def months(self) -> list[str]:
        return months(self.first, self.last)


def national_size(quick: bool = False) -> Size:
    last = "2021-12" if quick else "2030-12"
    return Size("national", NATIONAL_FIRST, last, len(districts()), 1, len(partners()))


def european_size(quick: bool = False) -> Size:
    if quick:
        return Size("european", f"{EUROPEAN_FIRST_YEAR}-01", f"{EUROPEAN_FIRST_YEAR}-12",
                    12, 3, 3)
    return Size("european", f"{EUROPEAN_FIRST_YEAR}-01", f"{EUROPEAN_FIRST_YEAR + 9}-12",
                sum(european_region_counts().values()), len(COUNTRIES), len(COUNTRIES))


# ---------------------------------------------------------------- national


def national_returns(size: Size, seed: int = SEED) -> dict[tuple[str, str, str], pl.DataFrame]:
    """Every return of every partner for the national scale (the sample generator's)."""
    return generate_returns(seed, size.first, size.last)


def write_national_inbox(folder: Path, returns: dict[tuple[str, str, str], pl.DataFrame]
                         ) -> tuple[int, int]:
    """One CSV per partner, return type and month, as partners send them; (files, rows)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = 0
    for (partner, return_type, period), frame in sorted(returns.items()):
        path = folder / f"{partner}_{return_type}_{period}.csv"
        path.write_bytes(render_csv(partner, frame))
        rows += frame.height
    return len(returns), rows


def returns_to_parquet(returns: dict[tuple[str, str, str], pl.DataFrame], folder: Path
                       ) -> dict[str, Path]:
    """The same rows, one Parquet file per return type (for the DuckDB floor)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for return_type in CELL_COLUMNS:
        frames = [f for (_, t, _), f in returns.items() if t == return_type]
        if not frames:
            continue
        path = folder / f"{return_type}.parquet"
        pl.concat(frames).write_parquet(path)
        out[return_type] = path
    return out


# ---------------------------------------------------------------- european


def european_region_counts(quick: bool = False) -> dict[str, int]:
    """Regions per country: 30 countries, 1,200 regions (quick: 3 countries x 4)."""
    if quick:
        return dict.fromkeys(COUNTRIES[:3], 4)
    weights = np.array([_WEIGHTS.get(c, 5) for c in COUNTRIES], dtype=float)
    counts = np.maximum(1, np.floor(weights / weights.sum() * 1200)).astype(int)
    counts[int(np.argmax(counts))] += 1200 - int(counts.sum())
    return dict(zip(COUNTRIES, (int(n) for n in counts), strict=True))


def european_regions(quick: bool = False) -> pl.DataFrame:
    """Synthetic NUTS-3-like codes: country + 3 characters (e.g. ``DE0A1``), with country."""
    rows = []
    alphabet = string.digits + string.ascii_uppercase
    for country, n in european_region_counts(quick).items():
        for i in range(n):
            code = alphabet[i // 36 // 36 % 36] + alphabet[i // 36 % 36] + alphabet[i % 36]
            rows.append((f"{country}{code}", country))
    return pl.DataFrame(rows, schema={"region": pl.String, "country": pl.String},
                        orient="row")


def _codes(return_type: str, column: str) -> list[str]:
    allowed = load_contract().allowed_codes(column, return_type)
    assert allowed is not None, column
    return list(allowed)


def _month_dates(size: Size) -> list[date]:
    return [date(int(m[:4]), int(m[5:]), 1) for m in size.months]


def european_tables(size: Size, quick: bool = False, seed: int = SEED
                    ) -> dict[str, pl.DataFrame]:
    """Core-shaped tables (``ingest_log``, ``submissions``, ``victims``, ``support``,
    ``activities``) for the European scale; vectorised with numpy (seconds, not minutes).

    Partner = ``EU-<country>``; one submission per country, return type and month."""
    rng = np.random.default_rng(seed)
    regions = european_regions(quick)
    periods = _month_dates(size)
    countries = regions["country"].unique(maintain_order=True).to_list()
    sub_rows, log_rows = [], []
    sub_of: dict[tuple[str, str, date], int] = {}
    for return_type in CELL_COLUMNS:
        for country in countries:
            for period in periods:
                sid = len(sub_rows) + 1
                sub_of[(country, return_type, period)] = sid
                received = datetime(period.year + (period.month == 12), period.month % 12 + 1,
                                    10)
                sub_rows.append((sid, f"EU-{country}", return_type, period, 1, sid,
                                 f"h{sid}", 0, received))
                log_rows.append((sid, f"EU-{country}_{return_type}_{period:%Y-%m}.parquet",
                                 f"h{sid}", 0, f"EU-{country}", [return_type], [period], 0,
                                 "loaded", "bench", received, received))
    submissions = pl.DataFrame(sub_rows, orient="row", schema={
        "submission_id": pl.Int64, "partner": pl.String, "return_type": pl.String,
        "period": pl.Date, "version": pl.Int32, "ingest_id": pl.Int64, "sha256": pl.String,
        "n_rows": pl.Int64, "received_at": pl.Datetime})
    ingest_log = pl.DataFrame(log_rows, orient="row", schema={
        "ingest_id": pl.Int64, "file_name": pl.String, "sha256": pl.String,
        "size_bytes": pl.Int64, "partner": pl.String, "return_types": pl.List(pl.String),
        "periods": pl.List(pl.Date), "n_rows": pl.Int64, "status": pl.String,
        "stored_path": pl.String, "received_at": pl.Datetime, "loaded_at": pl.Datetime})
    out = {"ingest_log": ingest_log, "submissions": submissions}
    region_codes = regions["region"].to_numpy()
    region_country = regions["country"].to_numpy()
    n_periods = len(periods)
    period_arr = np.array(periods, dtype="datetime64[D]")
    for return_type, per_cell in EUROPEAN_ROWS.items():
        coded = [c for c in CELL_COLUMNS[return_type]
                 if c not in ("submission_id", "partner", "period", "district", "count")]
        n = len(region_codes) * n_periods * per_cell
        region_idx = np.repeat(np.arange(len(region_codes)), n_periods * per_cell)
        period_idx = np.tile(np.repeat(np.arange(n_periods), per_cell), len(region_codes))
        # distinct keys within a region-month: the k-th row takes the k-th combination of a
        # random permutation of the code product (so no duplicate keys, as validation needs)
        code_lists = [_codes(return_type, c) for c in coded]
        if return_type == "activities":
            code_lists[coded.index("sex")] = ["F", "M", "NA"]
        radices = np.array([len(c) for c in code_lists])
        product = int(np.prod(radices))
        offset = rng.integers(0, product, size=len(region_codes) * n_periods)
        step = 7919 if product % 7919 else 104729
        k = np.tile(np.arange(per_cell), len(region_codes) * n_periods)
        combo = (np.repeat(offset, per_cell) + k * step) % product
        columns: dict[str, object] = {}
        for col, codes, radix in zip(coded, code_lists, radices, strict=True):
            columns[col] = np.asarray(codes, dtype=object)[combo % radix]
            combo = combo // radix
        country_of_region = np.array([countries.index(c) for c in region_country])
        ids = np.array([[sub_of[(c, return_type, periods[p])] for p in range(n_periods)]
                        for c in countries], dtype=np.int64)
        sub_ids = ids[country_of_region[region_idx], period_idx]
        country = region_country[region_idx]
        counts = rng.choice(np.array([0, 1, 1, 1, 2, 2, 3, 4, 6, 9]), size=n)
        frame = pl.DataFrame({
            "submission_id": sub_ids.astype(np.int64),
            "partner": np.char.add("EU-", country.astype(str)),
            "period": period_arr[period_idx],
            "district": region_codes[region_idx].astype(str),
            **{c: np.asarray(v).astype(str) for c, v in columns.items()},
            "count": counts.astype(np.int64),
        }).with_columns(pl.col("period").cast(pl.Date))
        out[return_type] = frame.select(CELL_COLUMNS[return_type])
    return out


def write_european(folder: Path, size: Size, quick: bool = False, seed: int = SEED
                   ) -> dict[str, int]:
    """Write the European tables as Parquet into ``folder``; rows per table."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = european_tables(size, quick, seed)
    european_regions(quick).write_parquet(folder / "regions.parquet")
    for name, frame in tables.items():
        frame.write_parquet(folder / f"{name}.parquet")
    return {name: frame.height for name, frame in tables.items()}
