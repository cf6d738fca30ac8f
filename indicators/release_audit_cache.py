"""Release-wide audit: a component whose linear programme did not change reuses its bounds.

The release-wide audit (:mod:`indicators.release_audit`) splits the unknowns of the reader's
model into connected components and solves one small HiGHS model per component. A one-month
refresh changes the components that hold the month it revises (and the union with the
retained releases); every other component is the same model as in the last audit.

The key is exact: a SHA-256 over the whole model of the component as it is passed to HiGHS
(column lower bounds, the row-wise matrix, the right-hand sides, in column order) and the
columns whose bounds are asked for, plus the engine: the source of ``release_audit.py``,
this module and ``disclosure/lp.py`` (solver options, node limits), and the versions of
HiGHS and numpy. The solve is deterministic (node limits, never seconds; a fresh HiGHS per
component), so a stored result is the result the solve would return. Results holding an
unsolved bound (NaN) are never stored.

Entries live in memory and in the warehouse (``protected.audit_bounds``), never in a release:
publication copies only ``indicators.publish.PUBLISHED_TABLES``. The bounds are what any
reader of the published values can compute. After a protection, only the entries the
process's audits used since the last load are kept.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from functools import lru_cache

import duckdb
import numpy as np
import polars as pl

from indicators.code_digest import code_digest
from indicators.warehouse import read_sql, run_sql_file, store_frame

FORMAT = "1"  # bump when what is stored changes
_ENGINE_SOURCES = ("release_audit.py", "release_audit_cache.py", "disclosure/lp.py")


@lru_cache(maxsize=1)
def engine_version() -> str:
    """Digest of the audit code and the solver libraries it runs on."""
    return code_digest(f"audit bounds {FORMAT}", _ENGINE_SOURCES, ("highspy", "numpy"))


def component_key(arrays: tuple[np.ndarray, ...]) -> str:
    """The key of one component's model: every array (dtype, shape, bytes) in order."""
    digest = hashlib.sha256(engine_version().encode())
    for a in arrays:
        a = np.ascontiguousarray(a)
        digest.update(f"\0{a.dtype.str}{a.shape}\0".encode())
        digest.update(a.tobytes())
    return digest.hexdigest()


@dataclass
class BoundsCache:
    """Bounds by key (an array of (low, high) rows, one per asked column, in order)."""

    entries: dict[str, np.ndarray] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    hits: int = 0
    misses: int = 0

    def get(self, key: str) -> np.ndarray | None:
        found = self.entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self.used.add(key)
        return found.copy()

    def put(self, key: str, bounds: np.ndarray) -> None:
        if np.isnan(bounds).any():
            return  # an unsolved bound is solved again next time
        self.used.add(key)
        self.entries[key] = np.array(bounds, dtype=float)


CACHE = BoundsCache()


def _blob(bounds: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, bounds, allow_pickle=False)
    return buffer.getvalue()


def load_bounds(con: duckdb.DuckDBPyConnection) -> None:
    """Add the stored entries of this engine version to :data:`CACHE`; start counting use."""
    run_sql_file(con, "pipeline/audit_bounds_schema.sql")
    rows = con.execute(read_sql("pipeline/audit_bounds_select.sql"),
                       {"engine": engine_version()}).fetchall()
    for digest, blob in rows:
        CACHE.entries.setdefault(digest, np.load(io.BytesIO(blob), allow_pickle=False))
    CACHE.used.clear()
    CACHE.hits = CACHE.misses = 0


def save_bounds(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the stored entries with those used since :func:`load_bounds` (one
    transaction); the memory keeps only those too."""
    kept = sorted(CACHE.used)
    CACHE.entries = {k: CACHE.entries[k] for k in kept}
    frame = pl.DataFrame({"digest": kept, "bounds": [_blob(CACHE.entries[k]) for k in kept]},
                         schema={"digest": pl.String, "bounds": pl.Binary})
    frame = frame.with_columns(engine=pl.lit(engine_version()))
    store_frame(con, frame, "_audit_bounds", "pipeline/audit_bounds_schema.sql",
                "pipeline/audit_bounds_replace.sql")
