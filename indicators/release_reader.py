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
import functools
import json
import re
import threading
from collections.abc import Callable, Collection, Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from indicators.open_data.tables import history_for
from indicators.release_files import RELEASE_ID
from indicators.warehouse import read_sql


@functools.cache
def release_sql(name: str) -> str:
    """The text of ``sql/release/<name>.sql`` (read once per process)."""
    return read_sql(f"release/{name}.sql")


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

    def query(self, name: str, params: dict[str, Any] | None = None) -> pl.DataFrame:
        """Run ``sql/release/<name>.sql`` (tables are ``rel.published.*``) with its named
        parameters on a fresh cursor; return polars."""
        cursor = self.con.cursor()
        try:
            return cursor.sql(release_sql(name), params=params or None).pl()
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
        con.execute(release_sql("attach"), {"path": str(path)})
        row = con.cursor().execute(release_sql("release_info")).fetchone()
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


def indicators(rel: Release) -> pl.DataFrame:
    """The registry metadata published with the release, in a stable order."""
    return rel.cached(("indicators",), lambda: rel.query("indicators"))


def indicator_meta(rel: Release, code: str) -> dict[str, Any] | None:
    rows = indicators(rel).filter(pl.col("code") == code).to_dicts()
    return rows[0] if rows else None


def values(rel: Release, indicator: str, grain: str | None = None,
           geos: tuple[str, ...] | None = None, breakdown: str | None = None,
           code: str | None = None, period_label: str | None = None) -> pl.DataFrame:
    """Published values of one indicator, filtered; ordered by period, geo, breakdown."""
    key = ("values", indicator, grain, geos, breakdown, code, period_label)

    def compute() -> pl.DataFrame:
        return rel.query("values", {
            "indicator": indicator, "grain": grain, "breakdown": breakdown, "code": code,
            "period_label": period_label, "geos": list(geos) if geos is not None else None})
    return rel.cached(key, compute)


def left_out(totals: pl.DataFrame, shown: pl.DataFrame,
             areas: Sequence[str] | None = None,
             area_periods: Collection[str] | None = None) -> list[tuple[str, str, str]]:
    """(grain, period_label, geo) of the published ``totals`` where ``shown`` (values of the
    same indicator) has no row: protection left them out of the release for that period (a
    breakdown too small to protect without hiding its total, an area's small count). The
    dashboard and the API name them; without a word a series would simply start later or
    have a gap, read as "no data". ``areas``: ``totals`` are national, and each area is
    checked against them instead, in the periods ``area_periods`` only when given (those
    where the release publishes areas at all: the year to date by area is published at the
    end of a quarter only, so the months between are not left out)."""
    have = set(zip(shown["grain"], shown["period_label"], shown["geo"], strict=True))
    rows = totals.select("grain", "period_label", "geo").unique(maintain_order=True).iter_rows()
    if areas is not None:
        rows = ((grain, label, area) for grain, label, _ in rows for area in areas
                if area_periods is None or label in area_periods)
    return [row for row in rows if row not in have]


def area_period_labels(rel: Release, indicator: str, grain: str) -> frozenset[str]:
    """The period labels at ``grain`` where the release publishes some area's value of
    ``indicator`` (:func:`district_periods`)."""
    return frozenset(label for label, _ in district_periods(rel, indicator, grain))


def periods(rel: Release, indicator: str, grain: str) -> list[tuple[str, date]]:
    """(period_label, period_end) of an indicator at a grain, oldest first."""
    def compute() -> list[tuple[str, date]]:
        frame = rel.query("periods", {"indicator": indicator, "grain": grain})
        return list(frame.iter_rows())
    return rel.cached(("periods", indicator, grain), compute)


def district_periods(rel: Release, indicator: str, grain: str) -> list[tuple[str, date]]:
    """(period_label, period_end) with district values (e.g. by district the year to date is
    published at the end of a quarter only), oldest first."""
    def compute() -> list[tuple[str, date]]:
        frame = rel.query("district_periods", {"indicator": indicator, "grain": grain})
        return list(frame.iter_rows())
    return rel.cached(("district_periods", indicator, grain), compute)


def grains(rel: Release, indicator: str) -> list[str]:
    def compute() -> list[str]:
        frame = rel.query("grains", {"indicator": indicator})
        return list(frame["grain"])
    return rel.cached(("grains", indicator), compute)


def breakdowns(rel: Release, indicator: str) -> list[tuple[str, str]]:
    """(breakdown, breakdown_code) pairs published for an indicator, totals first."""
    def compute() -> list[tuple[str, str]]:
        frame = rel.query("breakdowns", {"indicator": indicator})
        return list(frame.iter_rows())
    return rel.cached(("breakdowns", indicator), compute)


def eea_results(rel: Release) -> pl.DataFrame:
    return rel.cached(("eea",), lambda: rel.query("eea_results"))


def reporting_periods(rel: Release) -> list[str]:
    def compute() -> list[str]:
        frame = rel.query("reporting_periods")
        return list(frame["reporting_period"])
    return rel.cached(("rperiods",), compute)


def data_quality(rel: Release) -> pl.DataFrame:
    return rel.cached(("dq",), lambda: rel.query("data_quality"))


def rejections(rel: Release) -> pl.DataFrame:
    return rel.cached(("rejections",), lambda: rel.query("rejections"))


def disclosure_audit(rel: Release) -> pl.DataFrame:
    """The release-wide disclosure audit summary (empty for releases made before it)."""
    def compute() -> pl.DataFrame:
        found = rel.query("has_disclosure_audit")
        if not found["n"][0]:
            return pl.DataFrame()
        return rel.query("disclosure_audit")
    return rel.cached(("disclosure_audit",), compute)


def published_before_not_now(rel: Release, audience: str) -> tuple[int, str | None]:
    """How many values the release before ``rel`` published that ``rel`` does not ('c', or
    left out), of those ``audience`` may read, and that release's id (0 and ``None`` for a
    first release, or one written before the count existed)."""
    changes = rel.info.changes if isinstance(rel.info.changes, dict) else {}
    seen = (changes.get("by_audience") or {}).get(audience) or {}
    return int(seen.get("values_hidden") or 0), changes.get("previous_release_id")


def release_history(rel: Release, audience: str = "analyst") -> pl.DataFrame:
    """The release history as ``audience`` reads it (its own counts, newest first)."""
    return rel.cached(("history", audience),
                      lambda: history_for(rel.query("release_history"), audience))


def combinations(rel: Release, indicator: str) -> frozenset[tuple[str, bool, str]]:
    """(grain, national?, breakdown) combinations an indicator is published at: the controls
    offer only these (breakdowns exist by year only, districts only in total and by sex)."""
    def compute() -> frozenset[tuple[str, bool, str]]:
        frame = rel.query("combinations", {"indicator": indicator})
        return frozenset((g, bool(n), b) for g, n, b in frame.iter_rows())
    return rel.cached(("combinations", indicator), compute)


def missing_returns(rel: Release) -> pl.DataFrame:
    """Expected partner returns not (yet) received, per month: why a value is provisional."""
    return rel.cached(("missing_returns",), lambda: rel.query("missing_returns"))
