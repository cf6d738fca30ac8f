"""Incremental protection: a protection problem whose inputs did not change reuses its result.

A one-month refresh changes the problems of the months it revises; every other year's
problems are the same problems as in the last refresh. :func:`indicators.problems.protect_all`
asks a :class:`ProtectionCache` before solving one (``_protect``) and stores what it solved.

The key is exact: a SHA-256 over everything the result depends on

* the problem: its name, inner cells (dimension order, dtypes, every row; rows are sorted
  because the dense cube ignores their order), hierarchies (code order kept: it numbers the
  cells), policy, never-published cells, and the value key of every cell (what its
  ``to_keys`` makes of them: it decides which cells are headline figures);
* what the marks are made of: the rows of the cells forced hidden (by the last release or
  the problems sharing cells) and of those the last release published that hold a value key
  of the problem, as sets of rows (the marks -- cells forced hidden, kept published, changed
  by a revision, left out before -- are a function of these and the value keys, so a
  reused problem never makes them);
* the engine: the source of ``indicators/disclosure/*``, ``indicators/problems/*``, the
  problem declarations (``registry/problems.toml``) and this module, and the versions of
  HiGHS, polars and numpy.

Anything else changes the key, so the problem is solved again. Entries live in the
warehouse (``protected.problem_cache``), never in a release: publication copies only
``indicators.publish.PUBLISHED_TABLES``. After a protection, only the entries it used (hit or
solved) are kept. The release-wide audit runs over the whole release every time; only its
per-component solves are reused (:mod:`indicators.release_audit_cache`).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import polars as pl

from indicators.code_digest import code_digest
from indicators.disclosure import AuditReport, ProtectionResult
from indicators.warehouse import read_sql, run_sql_file, store_frame

if TYPE_CHECKING:
    from indicators.problems import Problem

FORMAT = "2"  # bump when what is stored changes
_ENGINE_SOURCES = ("disclosure/*.py", "problems/*.py", "registry/problems.toml",
                   "protection_cache.py")


@lru_cache(maxsize=1)
def engine_version() -> str:
    """Digest of the protection code and the solver libraries it runs on."""
    return code_digest(f"format {FORMAT}", _ENGINE_SOURCES, ("highspy", "polars", "numpy"))


def _frame_text(frame: pl.DataFrame | None, sort_rows: bool = True) -> bytes:
    """A canonical text of a frame: its schema (column order kept) and its rows (sorted:
    every consumer treats the rows as a set or a sparse cube)."""
    if frame is None:
        return b"<none>"
    return _schema_text(frame) + _rows_csv(frame, sort_rows).encode()


def _schema_text(frame: pl.DataFrame) -> bytes:
    return ";".join(f"{name}:{dtype}" for name, dtype in frame.schema.items()).encode() + b"\n"


def _rows_csv(frame: pl.DataFrame, sort_rows: bool = True) -> str:
    rows = frame.sort(frame.columns, nulls_last=True) if sort_rows and frame.width else frame
    return rows.write_csv(include_header=False)


class FrameTexts:
    """:func:`_frame_text` of many frames, made in one sort and one CSV write per schema
    (each of ~400 small frames per refresh cost a sort and a CSV write of its own). The
    texts are the same bytes: the rows of one frame sorted among themselves, one line each
    (a schema whose text values hold a line break is written frame by frame). Frames are
    remembered by identity, and kept (so an identity is never reused) while this object
    lives."""

    def __init__(self) -> None:
        self._texts: dict[int, tuple[pl.DataFrame, bytes]] = {}

    def __call__(self, frame: pl.DataFrame | None) -> bytes:
        if frame is None:
            return b"<none>"
        known = self._texts.get(id(frame))
        return known[1] if known is not None else _frame_text(frame)

    def prepare(self, frames: list[pl.DataFrame | None]) -> None:
        """Make the texts of ``frames`` (those not known yet), batched by schema."""
        groups: dict[bytes, dict[int, pl.DataFrame]] = {}
        for frame in frames:
            if frame is not None and frame.width and id(frame) not in self._texts:
                groups.setdefault(_schema_text(frame), {})[id(frame)] = frame
        for schema, members in groups.items():
            batch = list(members.values())
            for frame, rows in zip(batch, _batched_csv(batch), strict=True):
                self._texts[id(frame)] = (frame, schema + rows.encode())


def _batched_csv(frames: list[pl.DataFrame]) -> list[str]:
    """:func:`_rows_csv` of each frame (all of one schema)."""
    if len(frames) == 1:
        return [_rows_csv(frames[0])]
    heights = [f.height for f in frames]
    order = pl.Series("_frame", np.repeat(np.arange(len(frames), dtype=np.uint32), heights))
    cols = frames[0].columns
    lines = (pl.concat(frames).with_columns(order).sort(["_frame", *cols], nulls_last=True)
             .drop("_frame").write_csv(include_header=False).split("\n"))
    if len(lines) != sum(heights) + 1:  # a value holds a line break: frame by frame
        return [_rows_csv(f) for f in frames]
    out, start = [], 0
    for h in heights:
        out.append("".join(line + "\n" for line in lines[start:start + h]))
        start += h
    return out


def problem_key(p: Problem, marks: tuple[pl.DataFrame | None, ...],
                probe: pl.DataFrame | None = None, texts: FrameTexts | None = None) -> str:
    """The cache key of protecting ``p`` with ``marks`` (what its marks are made of);
    ``probe``: the problem's cells with their value keys (what ``p.to_keys`` makes of them,
    which decides the headline cells), computed here when not given; ``texts``: the frames'
    texts made beforehand (:class:`FrameTexts`), the same bytes as made here."""
    from indicators.problems import protect_cells_codes

    text = texts or _frame_text
    digest = hashlib.sha256(engine_version().encode() + b"\0" + p.name.encode() + b"\0")
    digest.update(text(p.inner))
    digest.update(text(protect_cells_codes(p) if probe is None else probe))
    digest.update(_hierarchies_text(p))
    policy = p.policy
    groups = (None if policy.group_disclosure is None else
              sorted((d, None if c is None else sorted(c))
                     for d, c in policy.group_disclosure.items()))
    digest.update(json.dumps([policy.threshold, policy.zeros_publishable, groups,
                              p.unpublished_confidential, p.districts_left_out]).encode())
    for frame in (p.never_published, *marks):
        digest.update(b"\0" + text(frame))
    return digest.hexdigest()


def _hierarchies_text(p: Problem) -> bytes:
    return b"".join(json.dumps([dim, h.dimension, list(h.parents.items()),
                                [[k, list(v)] for k, v in h.sums.items()]]).encode()
                    for dim, h in p.hierarchies.items())


def probe_key(p: Problem, text: Callable[[pl.DataFrame | None], bytes] = _frame_text
              ) -> str | None:
    """The key of a problem's value-key probe (``protect_cells_codes``: its full table's
    cells with their value keys), a function of its inner cells (as a set, like the dense
    cube), hierarchies and value-key rule alone; None when the rule is not a
    :class:`~indicators.problems.value_keys.ValueKeys` (whose text, ``repr``, holds all it
    does), so the probe is made afresh."""
    from indicators.problems.value_keys import ValueKeys

    if type(p.to_keys) is not ValueKeys:
        return None
    digest = hashlib.sha256(engine_version().encode() + b"\0probe\0")
    digest.update(text(p.inner))
    digest.update(_hierarchies_text(p))
    digest.update(repr(p.to_keys).encode())
    return digest.hexdigest()


def _ipc(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ipc(buffer)
    return buffer.getvalue()


def _from_ipc(blob: bytes) -> pl.DataFrame:
    return pl.read_ipc(io.BytesIO(blob))


class _StoredResult(ProtectionResult):
    """A stored :class:`ProtectionResult` whose cells are decoded when first read: a reused
    problem whose cells by value key are stored too (:meth:`ProtectionCache.keyed`) needs
    only its summary and audit verdict (85 reused problems a refresh on the national bench:
    170 frames not decoded)."""

    def __init__(self, cells: bytes, audit: AuditReport | None, summary: dict) -> None:
        self._cells_ipc, self._cells = cells, None
        self.audit, self.summary = audit, summary

    @property
    def cells(self) -> pl.DataFrame:  # type: ignore[override]
        if self._cells is None:
            self._cells = _from_ipc(self._cells_ipc)
        return self._cells


class _StoredReport(AuditReport):
    """A stored :class:`AuditReport` (passed: no failures) whose intervals are decoded when
    first read."""

    def __init__(self, intervals: bytes, ok: bool, tables: dict, seconds: float,
                 threshold: int, notes: list[str]) -> None:
        self._intervals_ipc, self._intervals = intervals, None
        self.ok, self.failures, self.tables = ok, [], tables
        self.seconds, self.threshold, self.notes = seconds, threshold, notes

    @property
    def intervals(self) -> pl.DataFrame:  # type: ignore[override]
        if self._intervals is None:
            self._intervals = _from_ipc(self._intervals_ipc)
        return self._intervals


@dataclass
class ProtectionCache:
    """Stored results by key; ``used`` names the keys this protection hit or stored."""

    entries: dict[str, dict] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    hits: int = 0
    misses: int = 0
    # value-key probes (Arrow IPC) by :func:`probe_key`; those this protection asked for
    probes: dict[str, bytes] = field(default_factory=dict)
    probes_used: set[str] = field(default_factory=set)

    def probe(self, p: Problem, texts: FrameTexts | None = None) -> pl.DataFrame:
        """``protect_cells_codes(p)``, stored by :func:`probe_key` (``texts``: the frame
        texts made beforehand, see :class:`FrameTexts`)."""
        from indicators.problems import protect_cells_codes

        key = probe_key(p, texts or _frame_text)
        if key is None:
            return protect_cells_codes(p)
        self.probes_used.add(key)
        blob = self.probes.get(key)
        if blob is not None:
            return _from_ipc(blob)
        frame = protect_cells_codes(p)
        self.probes[key] = _ipc(frame)
        return frame

    def get(self, key: str) -> ProtectionResult | None:
        entry = self.entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        self.used.add(key)
        audit = json.loads(entry["audit"]) if entry["audit"] is not None else None
        report = None if audit is None else _StoredReport(
            entry["intervals"], ok=audit["ok"], tables=audit["tables"],
            seconds=audit["seconds"], threshold=audit["threshold"], notes=audit["notes"])
        return _StoredResult(entry["cells"], report, json.loads(entry["summary"]))

    def keyed(self, key: str, p: Problem, result: ProtectionResult,
              make: Callable[[Problem, ProtectionResult], pl.DataFrame]) -> pl.DataFrame:
        """``make(p, result)`` (the result's cells by value key), stored with the entry of
        ``key`` once made when ``p``'s rule is a ``ValueKeys``: it maps each cell by its codes
        alone, and the entry's key holds what it does with every cell of the problem (the
        probe), so the stored frame is what ``make`` gives."""
        from indicators.problems.value_keys import ValueKeys

        entry = self.entries.get(key)
        blob = None if entry is None else entry.get("keyed")
        if blob is not None:
            return _from_ipc(blob)
        frame = make(p, result)
        if entry is not None and type(p.to_keys) is ValueKeys:
            entry["keyed"] = _ipc(frame)
        return frame

    def put(self, key: str, name: str, result: ProtectionResult) -> None:
        """Store a result (only a result whose audit passed: a pattern ``protect`` returns)."""
        report = result.audit
        if report is not None and (not report.ok or report.failures):
            return
        self.used.add(key)
        self.entries[key] = {
            "digest": key, "problem": name, "cells": _ipc(result.cells),
            "summary": json.dumps(result.summary),
            "audit": None if report is None else json.dumps({
                "ok": report.ok, "tables": report.tables, "seconds": report.seconds,
                "threshold": report.threshold, "notes": list(report.notes)}),
            "intervals": None if report is None else _ipc(report.intervals), "keyed": None}


def load_cache(con: duckdb.DuckDBPyConnection) -> ProtectionCache:
    """The stored entries of this engine version (none before the first protection)."""
    run_sql_file(con, "pipeline/protection_cache_schema.sql")
    rows = con.sql(read_sql("pipeline/protection_cache_select.sql"),
                   params={"engine": engine_version()}).pl()
    run_sql_file(con, "pipeline/probe_cache_schema.sql")
    probes = dict(con.execute(read_sql("pipeline/probe_cache_select.sql"),
                              {"engine": engine_version()}).fetchall())
    return ProtectionCache({r["digest"]: r for r in rows.iter_rows(named=True)},
                           probes=probes)


def save_cache(con: duckdb.DuckDBPyConnection, cache: ProtectionCache) -> None:
    """Replace the stored entries with those this protection used, in one transaction."""
    kept = [cache.entries[k] for k in sorted(cache.used)]
    frame = pl.DataFrame(kept, schema={"digest": pl.String, "problem": pl.String,
                                       "cells": pl.Binary, "summary": pl.String,
                                       "audit": pl.String, "intervals": pl.Binary,
                                       "keyed": pl.Binary})
    frame = frame.with_columns(engine=pl.lit(engine_version()))
    store_frame(con, frame, "_cache_entries", "pipeline/protection_cache_schema.sql",
                "pipeline/protection_cache_replace.sql")
    used = sorted(cache.probes_used)
    probes = pl.DataFrame({"digest": used, "probe": [cache.probes[k] for k in used]},
                          schema={"digest": pl.String, "probe": pl.Binary})
    store_frame(con, probes.with_columns(engine=pl.lit(engine_version())), "_probe_entries",
                "pipeline/probe_cache_schema.sql", "pipeline/probe_cache_replace.sql")
