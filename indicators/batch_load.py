"""Load accepted files into the warehouse, many at a time, with set-based SQL.

``load_batch`` writes the ingest_log rows, the new submission versions (superseding the
current ones) and every cell of a list of validated files in ONE transaction: a handful of
statements over Arrow-registered frames instead of five statements and a commit per file.
Either every file of the batch is in the warehouse or none is. ``batches`` cuts a sequence of
files so that no (partner, return type, month) appears twice in a batch: a later revision
then always lands in a later transaction, and versions stay in arrival order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, repeat

import duckdb
import polars as pl

from indicators import warehouse
from indicators.faults import fault_point
from indicators.validation import ValidatedFile


@dataclass(frozen=True)
class Accepted:
    """A valid file, archived, waiting to be loaded."""

    validated: ValidatedFile
    stored_path: str  # relative to the data folder
    received_at: datetime

    def keys(self) -> set[tuple[str, str, date]]:
        """(partner, return type, month) of every submission the file carries (for a
        workbook, every return type × every month of the file: a superset, which can only
        cut a batch sooner)."""
        partner = self.validated.partner or ""
        return {(partner, return_type, period) for return_type in self.validated.tables
                for period in self.validated.periods}


def batches(items: Iterable[Accepted], limit: int) -> Iterator[list[Accepted]]:
    """Consecutive runs of at most ``limit`` files with no submission key twice."""
    batch: list[Accepted] = []
    seen: set[tuple[str, str, date]] = set()
    for item in items:
        keys = item.keys()
        if batch and (len(batch) >= limit or keys & seen):
            yield batch
            batch, seen = [], set()
        batch.append(item)
        seen |= keys
    if batch:
        yield batch


def _repeated(values: list[int], times: list[int]) -> pl.Series:
    """Each value repeated its number of times, as one Int64 series (no per-file frames)."""
    return pl.Series(list(chain.from_iterable(map(repeat, values, times))), dtype=pl.Int64)


def _lists(values: list[list], inner: pl.DataType) -> pl.Series:
    """A list column from Python lists, built flat and grouped back by row (from nested
    lists polars builds one inner series per row: ~30 µs each)."""
    if not all(values):  # an empty list has no row to group: the plain way
        return pl.Series(values, dtype=pl.List(inner))
    rows = _repeated(list(range(len(values))), [len(v) for v in values])
    flat = pl.Series(list(chain.from_iterable(values)), dtype=inner)
    return pl.DataFrame({"row": rows, "value": flat}).group_by("row", maintain_order=True
                                                              ).agg("value").get_column("value")


def _files_frame(items: list[Accepted], loaded_at: datetime) -> pl.DataFrame:
    files = [a.validated for a in items]
    return pl.DataFrame(
        {"file_no": range(len(items)), "file_name": [v.name for v in files],
         "sha256": [v.sha256 for v in files], "size_bytes": [v.size_bytes for v in files],
         "partner": [v.partner for v in files],
         "return_types": _lists([v.return_types for v in files], pl.String()),
         "periods": _lists([v.periods for v in files], pl.Date()),
         "n_rows": [v.n_rows for v in files],
         "reasons": [json.dumps(v.notes, ensure_ascii=False) for v in files],
         "stored_path": [a.stored_path for a in items],
         "received_at": [a.received_at for a in items], "loaded_at": [loaded_at] * len(items)},
        schema={"file_no": pl.Int64, "file_name": pl.String, "sha256": pl.String,
                "size_bytes": pl.Int64, "partner": pl.String,
                "return_types": pl.List(pl.String), "periods": pl.List(pl.Date),
                "n_rows": pl.Int64, "reasons": pl.String, "stored_path": pl.String,
                "received_at": pl.Datetime("us"), "loaded_at": pl.Datetime("us")})


def _submissions_frame(items: list[Accepted], ids: list[int],
                       loaded_at: datetime) -> pl.DataFrame:
    """One row per (file, return type, period) with its row count: the periods of every
    table stacked once and counted in one group-by (not one small polars query per file)."""
    parts = [(a, ingest_id, return_type, table)
             for a, ingest_id in zip(items, ids, strict=True)
             for return_type, table in sorted(a.validated.tables.items())]
    periods = pl.concat([table.get_column("period") for *_, table in parts])
    part = _repeated(list(range(len(parts))), [t.height for *_, t in parts])
    counts = pl.DataFrame({"part": part, "period": periods}).group_by("part", "period").agg(
        pl.len().cast(pl.Int64).alias("n_rows"))
    meta = pl.DataFrame(
        {"part": range(len(parts)),
         "partner": [a.validated.partner for a, *_ in parts],
         "return_type": [return_type for _a, _i, return_type, _t in parts],
         "ingest_id": [ingest_id for _a, ingest_id, *_ in parts],
         "sha256": [a.validated.sha256 for a, *_ in parts],
         "received_at": [a.received_at for a, *_ in parts]},
        schema={"part": pl.Int64, "partner": pl.String, "return_type": pl.String,
                "ingest_id": pl.Int64, "sha256": pl.String, "received_at": pl.Datetime("us")})
    return counts.join(meta, on="part").with_columns(
        loaded_at=pl.lit(loaded_at, dtype=pl.Datetime("us"))).select(
        "partner", "return_type", "period", "n_rows", "ingest_id", "sha256", "received_at",
        "loaded_at")


def _cells_frames(items: list[Accepted], ids: list[int]) -> dict[str, pl.DataFrame]:
    """Per return type, every file's cells stacked once, each row with its file's ingest id."""
    by_type: dict[str, tuple[list[pl.DataFrame], list[int]]] = {}
    for a, ingest_id in zip(items, ids, strict=True):
        for return_type, table in a.validated.tables.items():
            frames, owners = by_type.setdefault(return_type, ([], []))
            frames.append(table)
            owners.append(ingest_id)
    out = {}
    for return_type, (frames, owners) in by_type.items():
        ingest_ids = _repeated(owners, [f.height for f in frames])
        out[return_type] = pl.concat(frames, how="vertical_relaxed").with_columns(
            ingest_id=ingest_ids)
    return out


def _run(con: duckdb.DuckDBPyConnection, relative_path: str, **frames: pl.DataFrame,
         ) -> list[tuple]:
    for name, frame in frames.items():
        con.register(name, frame.to_arrow())
    try:
        return con.execute(warehouse.read_sql(relative_path)).fetchall()
    finally:
        for name in frames:
            con.unregister(name)


def load_batch(con: duckdb.DuckDBPyConnection, items: list[Accepted], loaded_at: datetime,
               ) -> list[tuple[int, dict[str, int]]]:
    """Load every file of ``items`` (no submission key twice, see :func:`batches`) in one
    transaction; per file, in order: (ingest_id, versions created)."""
    assert all(a.validated.ok and a.validated.partner for a in items)
    con.begin()
    try:
        returned = _run(con, "core/insert_loaded_files.sql",
                        staged_files=_files_frame(items, loaded_at))
        by_hash = {sha256: int(ingest_id) for ingest_id, sha256 in returned}
        ids = [by_hash[a.validated.sha256] for a in items]
        staged = _submissions_frame(items, ids, loaded_at)
        _run(con, "core/supersede_submissions.sql", staged_submissions=staged)
        created = _run(con, "core/insert_submissions.sql", staged_submissions=staged)
        for return_type, cells in sorted(_cells_frames(items, ids).items()):
            _run(con, f"core/load_{return_type}_cells.sql", incoming_cells=cells)
        fault_point("ingest:before-commit")  # test hook, inert unless OBS_FAULT_POINT is set
    except BaseException:
        con.rollback()
        raise
    con.commit()
    versions: dict[int, dict[str, int]] = {i: {} for i in ids}
    for ingest_id, return_type, period, version in sorted(created):
        versions[int(ingest_id)][f"{return_type}/{period:%Y-%m}"] = int(version)
    return [(i, versions[i]) for i in ids]
