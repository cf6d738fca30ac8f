"""The ONLY data access of the dashboard and the donor reports: the current published
release, read-only.

``ReleaseStore.current()`` reads ``serving/CURRENT`` (a few bytes, every call), and when it
names a release not yet open, opens it once per process: an in-memory DuckDB connection with
``ATTACH '<file>' AS rel (READ_ONLY)``. Each query runs on its own cursor, so concurrent
callbacks never share a result. Query results are cached per release (they never change:
a release file is immutable), so a new release is picked up without a restart and old cache
entries go with the old release.

No release, a dangling pointer or a corrupt file → :class:`Unavailable` (the app shows a
maintenance page). If a newer release is broken but an older one was opened fine, the older
one keeps being served (``Release.stale`` is then true).
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from indicators.release_files import RELEASE_ID

POINTER = "CURRENT"
_FILE_NAME = re.compile(r"^[A-Za-z0-9_.\-]+\.duckdb$")
KEEP_OPEN = 2  # releases kept attached per process (current + previous)
KEEP_PAST = 4  # past releases asked for by id (``release=``) kept attached per process


class Unavailable(RuntimeError):
    """No usable release; the message is for operators' logs, never shown to users."""


@dataclass(frozen=True)
class ReleaseInfo:
    release_id: str
    created_at: datetime
    latest_period: date | None
    latest_complete_period: date | None
    disclosure_threshold: int
    zeros_publishable: bool
    audit_ok: bool
    synthetic: bool
    changes: Any


@dataclass
class Release:
    """One opened release. ``query`` / ``cached`` are safe to call from many threads."""

    file_name: str
    con: duckdb.DuckDBPyConnection
    info: ReleaseInfo
    stale: bool = False
    _cache: dict[Hashable, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def release_id(self) -> str:
        return self.info.release_id

    def query(self, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
        """Run ``sql`` (tables are ``rel.published.*``) on a fresh cursor; return polars."""
        cursor = self.con.cursor()
        try:
            return cursor.sql(sql, params=params).pl() if params else cursor.sql(sql).pl()
        finally:
            cursor.close()

    def cached(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per release for ``key`` (results are immutable per release)."""
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        value = compute()
        with self._lock:
            return self._cache.setdefault(key, value)

    def close(self) -> None:
        with contextlib.suppress(duckdb.Error):
            self.con.close()


def read_pointer(serving_dir: Path) -> str:
    """The release file name CURRENT names; :class:`Unavailable` when absent or malformed."""
    try:
        name = (serving_dir / POINTER).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise Unavailable(f"no release pointer in {serving_dir}: {error}") from error
    if not _FILE_NAME.match(name) or name.startswith("."):
        raise Unavailable(f"malformed release pointer: {name!r}")
    return name


def open_release(serving_dir: Path, file_name: str) -> Release:
    """Attach ``serving_dir/file_name`` read-only and read its release_info."""
    path = serving_dir / file_name
    if not path.is_file():
        raise Unavailable(f"release file missing: {path}")
    con = duckdb.connect(":memory:")
    try:
        escaped = str(path).replace("'", "''")
        con.execute(f"ATTACH '{escaped}' AS rel (READ_ONLY)")
        row = con.cursor().execute(
            "SELECT release_id, created_at, latest_period, latest_complete_period, "
            "disclosure_threshold, zeros_publishable, audit_ok, synthetic, changes "
            "FROM rel.published.release_info LIMIT 1").fetchone()
        if row is None:
            raise Unavailable(f"release {file_name} has no release_info")
        info = ReleaseInfo(
            release_id=row[0], created_at=row[1], latest_period=row[2],
            latest_complete_period=row[3], disclosure_threshold=int(row[4]),
            zeros_publishable=bool(row[5]), audit_ok=bool(row[6]), synthetic=bool(row[7]),
            changes=json.loads(row[8]) if isinstance(row[8], str) else row[8])
        if not info.audit_ok:
            raise Unavailable(f"release {file_name} did not pass the disclosure audit")
        return Release(file_name=file_name, con=con, info=info)
    except Unavailable:
        con.close()
        raise
    except (duckdb.Error, OSError, ValueError, TypeError) as error:
        con.close()
        raise Unavailable(f"release {file_name} cannot be read: {error}") from error


class ReleaseStore:
    """Finds and opens the current release; one instance per process."""

    def __init__(self, serving_dir: Path) -> None:
        self.serving_dir = Path(serving_dir)
        self._open: dict[str, Release] = {}
        self._order: list[str] = []
        self._failed: set[str] = set()
        self._last_good: str | None = None
        self._past: dict[str, Release] = {}
        self._lock = threading.Lock()
        # called (outside the lock) with each newly opened current release (dashboards/warmup)
        self.on_open: Callable[[Release], None] | None = None

    def current(self) -> Release:
        """The release CURRENT names (opened once), or the last good one if it is broken."""
        try:
            name = read_pointer(self.serving_dir)
        except Unavailable:
            return self._fallback(None)
        with self._lock:
            release = self._open.get(name)
            if release is not None:
                return release
            opened = self._open_current(name)
        if opened.file_name == name and not opened.stale and self.on_open is not None:
            self.on_open(opened)
        return opened

    def _open_current(self, name: str) -> Release:
        """Open the release ``name`` (under the lock) or fall back to the last good one."""
        if name in self._failed:
            return self._fallback_locked(name)
        try:
            release = open_release(self.serving_dir, name)
        except Unavailable:
            if (self.serving_dir / name).is_file():  # corrupt: it will never change
                self._failed.add(name)
            return self._fallback_locked(name)
        self._open[name] = release
        self._order.append(name)
        self._last_good = name
        while len(self._order) > KEEP_OPEN:
            old = self._order.pop(0)
            self._open.pop(old).close()
        return release

    def release(self, release_id: str | None) -> Release:
        """The release ``release_id`` names, read-only: the current one when it is None or
        the current id, else a past release kept by retention (opened on demand, at most
        :data:`KEEP_PAST` kept open). :class:`Unavailable` for an id not on disk."""
        current = self.current()
        if not release_id or release_id == current.release_id:
            return current
        name = f"{release_id}.duckdb"
        if not RELEASE_ID.match(release_id) or not (self.serving_dir / name).is_file():
            raise Unavailable(f"no retained release {release_id!r}")
        with self._lock:
            past = self._past.get(release_id)
            if past is None:
                past = open_release(self.serving_dir, name)
                self._past[release_id] = past
                while len(self._past) > KEEP_PAST:
                    self._past.pop(next(iter(self._past))).close()
            return past

    def _fallback(self, name: str | None) -> Release:
        with self._lock:
            return self._fallback_locked(name)

    def _fallback_locked(self, name: str | None) -> Release:
        if self._last_good and self._last_good in self._open:
            return replace(self._open[self._last_good], stale=True)
        raise Unavailable(f"no usable release (pointer names {name!r})")

    def close(self) -> None:
        with self._lock:
            for release in [*self._open.values(), *self._past.values()]:
                release.close()
            self._open.clear()
            self._past.clear()
            self._order.clear()


# --- queries (all cached per release) -------------------------------------------------------

VALUE_COLUMNS = ("indicator, grain, period, period_end, period_label, geo, breakdown, "
                 "breakdown_code, value, numerator, denominator, unit, flags")


def indicators(rel: Release) -> pl.DataFrame:
    """The registry metadata published with the release, in a stable order."""
    return rel.cached(("indicators",), lambda: rel.query(
        "SELECT * FROM rel.published.indicators ORDER BY family, code"))


def indicator_meta(rel: Release, code: str) -> dict[str, Any] | None:
    rows = indicators(rel).filter(pl.col("code") == code).to_dicts()
    return rows[0] if rows else None


def values(rel: Release, indicator: str, grain: str | None = None,
           geos: tuple[str, ...] | None = None, breakdown: str | None = None,
           code: str | None = None, period_label: str | None = None) -> pl.DataFrame:
    """Published values of one indicator, filtered; ordered by period, geo, breakdown."""
    key = ("values", indicator, grain, geos, breakdown, code, period_label)

    def compute() -> pl.DataFrame:
        where, params = ["indicator = ?"], [indicator]
        for column, wanted in (("grain", grain), ("breakdown", breakdown),
                               ("breakdown_code", code), ("period_label", period_label)):
            if wanted is not None:
                where.append(f"{column} = ?")
                params.append(wanted)
        if geos is not None:
            where.append("list_contains(?, geo)")
            params.append(list(geos))
        return rel.query(
            f"SELECT {VALUE_COLUMNS} FROM rel.published.indicator_values "
            f"WHERE {' AND '.join(where)} ORDER BY period, geo, breakdown, breakdown_code",
            params)
    return rel.cached(key, compute)


def periods(rel: Release, indicator: str, grain: str) -> list[tuple[str, date]]:
    """(period_label, period_end) of an indicator at a grain, oldest first."""
    def compute() -> list[tuple[str, date]]:
        frame = rel.query(
            "SELECT DISTINCT period_label, period_end FROM rel.published.indicator_values "
            "WHERE indicator = ? AND grain = ? ORDER BY period_end, period_label",
            [indicator, grain])
        return list(frame.iter_rows())
    return rel.cached(("periods", indicator, grain), compute)


def district_periods(rel: Release, indicator: str, grain: str) -> list[tuple[str, date]]:
    """(period_label, period_end) with district values (e.g. by district the year to date is
    published at the end of a quarter only), oldest first."""
    def compute() -> list[tuple[str, date]]:
        frame = rel.query(
            "SELECT DISTINCT period_label, period_end FROM rel.published.indicator_values "
            "WHERE indicator = ? AND grain = ? AND geo <> 'PT' "
            "ORDER BY period_end, period_label", [indicator, grain])
        return list(frame.iter_rows())
    return rel.cached(("district_periods", indicator, grain), compute)


def grains(rel: Release, indicator: str) -> list[str]:
    def compute() -> list[str]:
        frame = rel.query("SELECT DISTINCT grain FROM rel.published.indicator_values "
                          "WHERE indicator = ?", [indicator])
        return list(frame["grain"])
    return rel.cached(("grains", indicator), compute)


def breakdowns(rel: Release, indicator: str) -> list[tuple[str, str]]:
    """(breakdown, breakdown_code) pairs published for an indicator, totals first."""
    def compute() -> list[tuple[str, str]]:
        frame = rel.query(
            "SELECT DISTINCT breakdown, breakdown_code FROM rel.published.indicator_values "
            "WHERE indicator = ? ORDER BY breakdown <> '_T', breakdown, breakdown_code",
            [indicator])
        return list(frame.iter_rows())
    return rel.cached(("breakdowns", indicator), compute)


def eea_results(rel: Release) -> pl.DataFrame:
    return rel.cached(("eea",), lambda: rel.query(
        "SELECT * FROM rel.published.eea_results ORDER BY period_end, indicator, "
        "breakdown <> '_T', breakdown, breakdown_code"))


def reporting_periods(rel: Release) -> list[str]:
    def compute() -> list[str]:
        frame = rel.query("SELECT reporting_period, max(period_end) AS e FROM "
                          "rel.published.eea_results GROUP BY 1 ORDER BY e, 1")
        return list(frame["reporting_period"])
    return rel.cached(("rperiods",), compute)


def data_quality(rel: Release) -> pl.DataFrame:
    return rel.cached(("dq",), lambda: rel.query(
        "SELECT * FROM rel.published.data_quality ORDER BY partner, return_type, period"))


def rejections(rel: Release) -> pl.DataFrame:
    return rel.cached(("rejections",), lambda: rel.query(
        "SELECT * FROM rel.published.rejections ORDER BY received_at DESC"))


def disclosure_audit(rel: Release) -> pl.DataFrame:
    """The release-wide disclosure audit summary (empty for releases made before it)."""
    def compute() -> pl.DataFrame:
        found = rel.query("SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = "
                          "'rel' AND schema_name = 'published' AND table_name = "
                          "'disclosure_audit'")
        if not found["n"][0]:
            return pl.DataFrame()
        return rel.query("SELECT * FROM rel.published.disclosure_audit "
                         "ORDER BY indicator <> '_ALL', indicator")
    return rel.cached(("disclosure_audit",), compute)


def release_history(rel: Release) -> pl.DataFrame:
    return rel.cached(("history",), lambda: rel.query(
        "SELECT * FROM rel.published.release_history ORDER BY created_at DESC"))


def combinations(rel: Release, indicator: str) -> frozenset[tuple[str, bool, str]]:
    """(grain, national?, breakdown) combinations an indicator is published at: the controls
    offer only these (breakdowns exist by year only, districts only in total and by sex)."""
    def compute() -> frozenset[tuple[str, bool, str]]:
        frame = rel.query(
            "SELECT DISTINCT grain, geo = 'PT' AS national, breakdown "
            "FROM rel.published.indicator_values WHERE indicator = ?", [indicator])
        return frozenset((g, bool(n), b) for g, n, b in frame.iter_rows())
    return rel.cached(("combinations", indicator), compute)


def missing_returns(rel: Release) -> pl.DataFrame:
    """Expected partner returns not (yet) received, per month: why a value is provisional."""
    return rel.cached(("missing_returns",), lambda: rel.query(
        "SELECT partner, return_type, period FROM rel.published.data_quality "
        "WHERE expected AND NOT received ORDER BY period, partner, return_type"))
