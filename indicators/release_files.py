"""Published releases on disk: versioned read-only DuckDB files and an atomic CURRENT pointer.

Layout under ``serving/``::

    <release_id>.duckdb   one complete release, never modified after it is named
    CURRENT               text: the file name of the release readers should open

DuckDB allows one read-write process or many read-only ones, never both, so a release is
written under a temporary name, checkpointed and closed, renamed into place, and only then
named by CURRENT (``os.replace``, atomic on POSIX). Readers holding an older release keep
reading it undisturbed.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from indicators.faults import fault_point
from indicators.warehouse import run_sql_file

POINTER = "CURRENT"
RELEASE_ID = re.compile(r"^\d{8}T\d{12}Z-[0-9a-f]{6}$")


class ReleaseError(RuntimeError):
    """A release could not be written or read; the message is meant for operators."""


def new_release_id(now: datetime | None = None) -> str:
    now = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{now:%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(3)}"


def release_time(release_id: str) -> datetime:
    """When a release was created (UTC), read from its id (:func:`new_release_id`)."""
    return datetime.strptime(release_id[:22], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)


def release_file(serving_dir: Path, release_id: str) -> Path:
    if not RELEASE_ID.match(release_id):
        raise ReleaseError(f"not a release id: {release_id!r}")
    return serving_dir / f"{release_id}.duckdb"


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def storage_error(action_pt: str, action_en: str, folder: Path,
                  error: BaseException) -> ReleaseError:
    """A bilingual operator message for a write that failed (disk full, read-only folder)."""
    reason = f"[Errno {error.errno}] {error.strerror}" if isinstance(error, OSError) \
        else str(error)
    return ReleaseError(
        f"não foi possível {action_pt} (disco cheio ou pasta só de leitura?); a publicação "
        f"anterior continua em linha / could not {action_en} (disk full or read-only "
        f"folder?); the previous release is still served. {folder}: {reason}")


def write_release(serving_dir: Path, release_id: str,
                  fill: Callable[[duckdb.DuckDBPyConnection], None]) -> Path:
    """Create ``<release_id>.duckdb`` with the published schema, let ``fill`` write into it,
    checkpoint, close, and move it into place. Does not change CURRENT. A failed write (disk
    full, read-only folder) raises :class:`ReleaseError` with a bilingual message and leaves
    nothing behind."""
    final = release_file(serving_dir, release_id)
    if final.exists():
        raise ReleaseError(f"release {release_id} exists already")
    partial = serving_dir / f".{release_id}.partial.duckdb"
    try:
        serving_dir.mkdir(parents=True, exist_ok=True)
        # Leftovers of a publisher killed mid-write (one publisher at a time: the pool).
        _remove_quietly(*serving_dir.glob(".*.partial.duckdb*"))
        con = duckdb.connect(str(partial))
        try:
            run_sql_file(con, "published/schema.sql")
            fill(con)
            fault_point("publish:write-release")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        wal = partial.with_name(partial.name + ".wal")
        if wal.exists():
            raise ReleaseError(f"release {release_id} left a write-ahead log after checkpoint")
        os.replace(partial, final)
        _fsync_dir(serving_dir)
    except (OSError, duckdb.IOException) as error:
        _remove_quietly(partial, partial.with_name(partial.name + ".wal"))
        raise storage_error(f"escrever a publicação {release_id}",
                            f"write release {release_id}", serving_dir, error) from error
    except BaseException:
        _remove_quietly(partial, partial.with_name(partial.name + ".wal"))
        raise
    return final


def _remove_quietly(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def set_current(serving_dir: Path, release_id: str) -> None:
    """Atomically point CURRENT at an existing release."""
    target = release_file(serving_dir, release_id)
    if not target.is_file():
        raise ReleaseError(f"release file missing: {target.name}")
    tmp = serving_dir / f".{POINTER}.{secrets.token_hex(4)}"
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            fault_point("publish:pointer")
            handle.write(target.name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, serving_dir / POINTER)
        _fsync_dir(serving_dir)
    except OSError as error:
        _remove_quietly(tmp)
        raise storage_error(f"apontar {POINTER} para {release_id}",
                            f"point {POINTER} at {release_id}", serving_dir, error) from error


def current_release_id(serving_dir: Path) -> str | None:
    """The release CURRENT names, or None when there is none or the pointer is unusable."""
    try:
        name = (serving_dir / POINTER).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, UnicodeDecodeError, IsADirectoryError):
        return None
    release_id = name.removesuffix(".duckdb")
    if not RELEASE_ID.match(release_id) or not (serving_dir / name).is_file():
        return None
    return release_id


def list_releases(serving_dir: Path) -> list[str]:
    """Complete releases on disk, oldest first (ids sort by creation time)."""
    if not serving_dir.is_dir():
        return []
    ids = [p.stem for p in serving_dir.glob("*.duckdb") if RELEASE_ID.match(p.stem)]
    return sorted(ids)


def apply_retention(serving_dir: Path, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` releases, never the one CURRENT names."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    current = current_release_id(serving_dir)
    releases = list_releases(serving_dir)
    removed = [r for r in releases[:-keep] if r != current]
    for release_id in removed:
        release_file(serving_dir, release_id).unlink(missing_ok=True)
    return removed
