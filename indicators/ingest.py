"""Load validated partner files into the warehouse: whole or not at all, nothing ever lost.

For each file: hash it; if a file with the same hash was already loaded, it is a duplicate
(kept under ``archive/duplicates/``, logged, warehouse unchanged). Otherwise validate it:
a rejected file goes to ``quarantine/`` beside a JSON and a text report; an accepted file is
copied to ``archive/<sha[:2]>/<sha>_<name>``, loaded in one DuckDB transaction (ingest_log
row, new submission versions superseding the current ones, cells), and only after COMMIT
removed from the inbox (files named from outside the inbox are copied, never removed). A
crash at any point leaves the warehouse as before the file and the file still in the inbox
(or recognised by its hash on the next run).

Many files at once (``ingest_paths``): every file is hashed and validated first (the CSV
files together, every rule once per header layout, :mod:`indicators.validation.stacked`;
each file not accepted there validated alone, which words its problems), then the accepted
ones are archived and loaded in batches, one transaction per batch (:mod:`indicators.batch_load`);
a batch that fails is retried file by file, and a batch's files leave the inbox only after
its COMMIT. The guarantees above hold per batch: a kill -9 before COMMIT leaves the
warehouse as before the batch and every file of it in the inbox.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from indicators import warehouse
from indicators.batch_load import Accepted, batches, load_batch
from indicators.contract import load_contract
from indicators.i18n import tn
from indicators.inbox_names import in_hidden_folder, is_litter
from indicators.submissions import copy_audit_into
from indicators.validation import (
    Problem,
    ValidatedFile,
    format_report_text,
    sha256_of,
    validate_file,
    validate_files,
)

if TYPE_CHECKING:
    from indicators.settings import Settings



@dataclass
class IngestOutcome:
    file_name: str
    status: str  # loaded | rejected | duplicate
    sha256: str
    partner: str | None
    return_types: list[str]
    periods: list[date]
    n_rows: int
    versions: dict[str, int]  # "victims/2024-03" -> version created by this load
    stored_path: Path
    problems: list[Problem] = field(default_factory=list)
    report_path: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        """One line for the command line (Portuguese / English)."""
        periods = _period_range(self.periods)
        if self.status == "loaded":
            versions = ", ".join(f"{k} v{v}" for k, v in self.versions.items())
            return (f"carregado/loaded    {self.file_name}: {self.partner} "
                    f"{'+'.join(self.return_types)} {periods}, {tn('n.rows', self.n_rows, 'pt')}/"
                    f"{tn('n.rows', self.n_rows, 'en')}; "
                    f"versões/versions: {versions}")
        if self.status == "duplicate":
            return (f"duplicado/duplicate {self.file_name}: já carregado, armazém sem "
                    f"alterações / already loaded, warehouse unchanged "
                    f"({self.partner} {'+'.join(self.return_types)} {periods})")
        first = self.problems[0] if self.problems else None
        detail = f" [{first.rule}] {first.message_en}" if first else ""
        more = f" (+{len(self.problems) - 1})" if len(self.problems) > 1 else ""
        n = len(self.problems)
        return (f"rejeitado/rejected  {self.file_name}: {tn('n.problems', n, 'pt')}/"
                f"{tn('n.problems', n, 'en')}{more}:{detail} — relatório/report: "
                f"{self.report_path}")


def _period_range(periods: list[date]) -> str:
    if not periods:
        return "-"
    first, last = periods[0].strftime("%Y-%m"), periods[-1].strftime("%Y-%m")
    return first if first == last else f"{first}..{last} ({len(periods)})"


# --------------------------------------------------------------------------- files

def safe_name(name: str, limit: int = 120) -> str:
    """A readable file name that can never escape its folder (no directories, no ``..``)."""
    name = unicodedata.normalize("NFKC", name.replace("\\", "/").split("/")[-1])
    name = "".join(ch for ch in name if ch.isprintable())
    name = re.sub(r"[^\w.\-]+", "_", name).strip("._-")
    name = re.sub(r"\.{2,}", ".", name)
    if not name:
        return "file"
    if len(name) > limit:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: limit - len(suffix) - 1] + dot + suffix) if dot and len(suffix) < 10 \
            else name[:limit]
    return name


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)


def _unique(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists() or candidate.with_name(candidate.name + ".report.json").exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{n}")
    return candidate


def _copy_durably(source: Path, target: Path) -> None:
    """Copy bytes and mtime to ``target`` via a temporary name, fsync'ed, then renamed.

    Plain buffered reads and writes (``shutil.copy2`` also copies permissions and extended
    attributes, which costs more CPU than the copy itself for a small return)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with source.open("rb") as reader, partial.open("wb") as writer:
        while chunk := reader.read(1 << 20):
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())
        stat = os.fstat(reader.fileno())
    os.utime(partial, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(partial, target)


def _write_text_durably(target: Path, text: str) -> None:
    partial = target.with_name(target.name + ".part")
    with partial.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, target)


def in_inbox(path: Path, settings: Settings, inbox: Path | None = None) -> bool:
    """Whether ``path`` lies in the inbox (only files there are removed once stored);
    ``inbox``: the inbox folder already resolved (a run resolves it once)."""
    return Path(path).resolve().is_relative_to(inbox or settings.inbox_dir.resolve())


def _remove_source(source: Path, stored: Path, settings: Settings,
                   inbox: Path | None = None) -> None:
    """Remove an inbox file once it is stored; a file named from anywhere else (a shared
    drive, the user's own folder) was only copied and stays where it is."""
    if in_inbox(source, settings, inbox) and source.resolve() != stored.resolve():
        source.unlink(missing_ok=True)


def _relative(path: Path, settings: Settings) -> str:
    try:
        return str(path.resolve().relative_to(settings.data_dir.resolve()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- SQL

def _statement(con: duckdb.DuckDBPyConnection, relative_path: str, params: dict,
               ) -> list[tuple]:
    """Run one SQL file (one statement) with the parameters it names; return its rows."""
    sql = warehouse.read_sql(relative_path)
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    return con.execute(sql, used).fetchall()


def _log_row(con: duckdb.DuckDBPyConnection, *, file_name: str, sha256: str, size_bytes: int,
             partner: str | None, return_types: list[str], periods: list[date], n_rows: int,
             status: str, reasons: list, stored_path: str, received_at: datetime,
             loaded_at: datetime) -> int:
    rows = _statement(con, "core/insert_ingest_log.sql", {
        "file_name": file_name, "sha256": sha256, "size_bytes": size_bytes,
        "partner": partner, "return_types": return_types, "periods": periods,
        "n_rows": n_rows, "status": status, "reasons": json.dumps(reasons, ensure_ascii=False),
        "stored_path": stored_path, "received_at": received_at, "loaded_at": loaded_at,
    })
    return int(rows[0][0])


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.begin()
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()


def load_validated(con: duckdb.DuckDBPyConnection, validated: ValidatedFile, *,
                   stored_path: str, received_at: datetime, loaded_at: datetime,
                   ) -> tuple[int, dict[str, int]]:
    """Load an accepted file in one transaction; returns (ingest_id, versions created)."""
    assert validated.ok and validated.partner
    accepted = Accepted(validated=validated, stored_path=stored_path, received_at=received_at)
    return load_batch(con, [accepted], loaded_at)[0]


# --------------------------------------------------------------------------- files in

_NAME_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def claimed_by_name(name: str) -> tuple[list[str], list[date]]:
    """The return types and months a file's name claims (``APF_victims_2024-03_rev1.csv`` →
    ``(["victims"], [2024-03-01])``), so that a rejected file still counts against the right
    partner × month in data quality. Only known return types and valid months are kept."""
    known = set(load_contract().returns)
    tokens = re.split(r"[_\s.]+", name.lower())
    return_types = sorted({t for t in tokens if t in known})
    periods = sorted({date(int(m.group(1)), int(m.group(2)), 1)
                      for t in tokens if (m := _NAME_PERIOD.match(t))})
    return return_types, periods


def _reject(path: Path, validated: ValidatedFile, settings: Settings,
            con: duckdb.DuckDBPyConnection, received_at: datetime) -> IngestOutcome:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = _unique(settings.quarantine_dir
                     / f"{stamp}_{validated.sha256[:12]}_{safe_name(validated.name)}")
    report = {
        "file": validated.name, "sha256": validated.sha256,
        "size_bytes": validated.size_bytes, "status": "rejected",
        "received_at": received_at.isoformat(), "stored_path": _relative(target, settings),
        "problems": [p.to_dict() for p in validated.problems], "notes": validated.notes,
    }
    _copy_durably(path, target)
    json_path = target.with_name(target.name + ".report.json")
    text_path = target.with_name(target.name + ".report.txt")
    _write_text_durably(json_path, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    _write_text_durably(text_path, format_report_text(
        validated.name, validated.sha256, "rejected", validated.problems))
    claimed_types, claimed_periods = claimed_by_name(validated.name)
    with _transaction(con):
        _log_row(con, file_name=validated.name, sha256=validated.sha256,
                 size_bytes=validated.size_bytes, partner=validated.partner,
                 return_types=claimed_types, periods=claimed_periods, n_rows=0,
                 status="rejected",
                 reasons=[p.to_dict() for p in validated.problems],
                 stored_path=_relative(target, settings), received_at=received_at,
                 loaded_at=_now())
    _remove_source(path, target, settings)
    return IngestOutcome(
        file_name=validated.name, status="rejected", sha256=validated.sha256,
        partner=validated.partner, return_types=[], periods=[], n_rows=0, versions={},
        stored_path=target, problems=validated.problems, report_path=text_path,
        notes=validated.notes)


def _duplicate(path: Path, sha256: str, size: int, previous: tuple, settings: Settings,
               con: duckdb.DuckDBPyConnection, received_at: datetime) -> IngestOutcome:
    ingest_id, first_name, partner, return_types, periods, n_rows, first_path, loaded_at = \
        previous
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = _unique(settings.archive_dir / "duplicates"
                     / f"{stamp}_{sha256[:12]}_{safe_name(path.name)}")
    _copy_durably(path, target)
    note = {"rule": "duplicate", "ingest_id": ingest_id, "first_file": first_name,
            "first_stored_path": first_path,
            "message_en": f"identical to the file loaded as ingest {ingest_id} "
                          f"({first_name}, {loaded_at}); the warehouse is unchanged.",
            "message_pt": f"idêntico ao ficheiro carregado na entrada {ingest_id} "
                          f"({first_name}, {loaded_at}); o armazém não foi alterado."}
    with _transaction(con):
        _log_row(con, file_name=path.name, sha256=sha256, size_bytes=size, partner=partner,
                 return_types=list(return_types or []), periods=list(periods or []),
                 n_rows=0, status="duplicate", reasons=[note],
                 stored_path=_relative(target, settings), received_at=received_at,
                 loaded_at=_now())
    _remove_source(path, target, settings)
    return IngestOutcome(
        file_name=path.name, status="duplicate", sha256=sha256, partner=partner,
        return_types=list(return_types or []), periods=list(periods or []), n_rows=0,
        versions={}, stored_path=target, notes=[note["message_en"]])


def ingest_file(path: Path, settings: Settings, *, today: date | None = None,
                con: duckdb.DuckDBPyConnection | None = None) -> IngestOutcome:
    """Validate and load (or quarantine) one file; see the module docstring."""
    if con is None:
        with warehouse.connect(settings.warehouse_path) as own:
            return ingest_file(path, settings, today=today, con=own)
    path = Path(path)
    received_at = _mtime(path)
    sha256 = sha256_of(path)
    previous = _statement(con, "core/find_loaded_file.sql", {"sha256": sha256})
    if previous:
        return _duplicate(path, sha256, path.stat().st_size, previous[0], settings, con,
                          received_at)
    validated = validate_file(path, today=today)
    if not validated.ok:
        return _reject(path, validated, settings, con, received_at)
    target = settings.archive_dir / sha256[:2] / f"{sha256}_{safe_name(validated.name)}"
    _copy_durably(path, target)  # 1. archive copy first: a crash after this loses nothing
    ingest_id, versions = load_validated(  # 2. one transaction
        con, validated, stored_path=_relative(target, settings), received_at=received_at,
        loaded_at=_now())
    _remove_source(path, target, settings)  # 3. only after COMMIT
    return IngestOutcome(
        file_name=validated.name, status="loaded", sha256=sha256, partner=validated.partner,
        return_types=validated.return_types, periods=validated.periods,
        n_rows=validated.n_rows, versions=versions, stored_path=target,
        notes=validated.notes)


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files given, and the files inside folders given, ordered by (mtime, name).

    In folders, OS and editor litter, unfinished copies (``*.part``) and hidden folders are
    left alone; any other file, a hidden one included, is returned (the validator rejects a
    hidden file with its reason): see :mod:`indicators.inbox_names`.
    """
    files: set[Path] = set()
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.update(p for p in path.rglob("*") if p.is_file()
                         and not in_hidden_folder(p.relative_to(path))
                         and not is_litter(p.name))
        else:
            files.add(path)
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


BATCH_FILES = 500  # files per load transaction (see indicators.batch_load)
IO_THREADS = 8  # concurrent durable copies / removals (fsync waits on the disk, not the CPU)


def _each_in_threads(action: Callable[[_Arrival], None], arrivals: list[_Arrival]) -> None:
    """``action`` on every arrival, the arrivals shared out in IO_THREADS slices (one task
    per slice, not per file: a task costs more than the copy of a small return)."""
    slices = [arrivals[i::IO_THREADS] for i in range(min(IO_THREADS, len(arrivals)))]
    with ThreadPoolExecutor(IO_THREADS) as pool:
        for _ in pool.map(lambda part: [action(a) for a in part], slices):
            pass  # re-raises the first failure


@dataclass
class _Arrival:
    """One file of an ingest run, hashed and (unless already loaded) validated."""

    path: Path
    sha256: str
    received_at: datetime
    previous: tuple | None = None  # the earlier load of the same content
    repeated: bool = False  # the same content came earlier in this run
    validated: ValidatedFile | None = None


def _arrivals(con: duckdb.DuckDBPyConnection, files: list[Path], today: date | None,
              ) -> list[_Arrival]:
    """Hash every file, find those already loaded (one query), validate the others."""
    arrivals = [_Arrival(path=p, sha256=sha256_of(p), received_at=_mtime(p)) for p in files]
    if not arrivals:
        return arrivals
    con.register("staged_hashes", pl.DataFrame(
        {"sha256": sorted({a.sha256 for a in arrivals})}).to_arrow())
    try:
        known = {row[0]: row[1:] for row in con.execute(
            warehouse.read_sql("core/find_loaded_files.sql")).fetchall()}
    finally:
        con.unregister("staged_hashes")
    seen: set[str] = set()
    fresh: list[_Arrival] = []
    for arrival in arrivals:
        arrival.previous = known.get(arrival.sha256)
        arrival.repeated = arrival.sha256 in seen
        seen.add(arrival.sha256)
        if arrival.previous is None and not arrival.repeated:
            fresh.append(arrival)
    for arrival, validated in zip(fresh, validate_files([a.path for a in fresh], today=today),
                                  strict=True):
        arrival.validated = validated
    return arrivals


def _load_accepted(con: duckdb.DuckDBPyConnection, settings: Settings,
                   pending: list[_Arrival], emit: Callable[[IngestOutcome], None]) -> None:
    """Archive the accepted files durably, load them batch by batch (one transaction each;
    a batch that fails is retried file by file), and remove each batch's sources only after
    its COMMIT."""
    if not pending:
        return
    stored = {id(a): f"{a.sha256[:2]}/{a.sha256}_{safe_name(a.validated.name)}"
              for a in pending}  # inside the archive folder
    targets = {key: settings.archive_dir / name for key, name in stored.items()}
    _each_in_threads(lambda a: _copy_durably(a.path, targets[id(a)]), pending)  # 1. archive
    by_item = {}
    items = []
    archive = _relative(settings.archive_dir, settings)  # once, not per file
    for arrival in pending:
        item = Accepted(validated=arrival.validated, received_at=arrival.received_at,
                        stored_path=f"{archive}/{stored[id(arrival)]}")
        by_item[id(item)] = arrival
        items.append(item)
    for batch in batches(items, BATCH_FILES):
        try:  # 2. one transaction per batch
            loaded = list(zip(batch, load_batch(con, batch, _now()), strict=True))
        except Exception:  # noqa: BLE001 - each file alone: the culprit raises, the rest load
            loaded = []
            for item in batch:
                try:
                    loaded.append((item, load_validated(
                        con, item.validated, stored_path=item.stored_path,
                        received_at=item.received_at, loaded_at=_now())))
                except Exception:
                    _finish(loaded, by_item, targets, emit, settings)
                    raise
        _finish(loaded, by_item, targets, emit, settings)  # 3. sources removed only after COMMIT


def _finish(loaded: list, by_item: dict, targets: dict,
            emit: Callable[[IngestOutcome], None], settings: Settings) -> None:
    arrivals = [by_item[id(item)] for item, _ in loaded]
    inbox = settings.inbox_dir.resolve()
    _each_in_threads(lambda a: _remove_source(a.path, targets[id(a)], settings, inbox),
                     arrivals)
    for (item, (_ingest_id, versions)), arrival in zip(loaded, arrivals, strict=True):
        validated = item.validated
        emit(IngestOutcome(
            file_name=validated.name, status="loaded", sha256=arrival.sha256,
            partner=validated.partner, return_types=validated.return_types,
            periods=validated.periods, n_rows=validated.n_rows, versions=versions,
            stored_path=targets[id(arrival)], notes=validated.notes))


def ingest_paths(paths: list[Path], settings: Settings, *, today: date | None = None,
                 on_outcome: Callable[[IngestOutcome], None] | None = None,
                 ) -> list[IngestOutcome]:
    """Ingest every file (folders expanded) with one warehouse connection: validate them
    all first, then load the accepted ones in batches (see :func:`_load_accepted`); the
    outcomes come in file order, with the same guarantees as :func:`ingest_file`."""
    settings.ensure_dirs()
    outcomes: list[IngestOutcome] = []

    def emit(outcome: IngestOutcome) -> None:
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    with warehouse.connect(settings.warehouse_path) as con:
        pending: list[_Arrival] = []
        for arrival in _arrivals(con, expand_paths(paths), today):
            if arrival.validated is not None and arrival.validated.ok:
                pending.append(arrival)
                continue
            _load_accepted(con, settings, pending, emit)  # keep the outcomes in file order
            pending = []
            if arrival.previous is not None:
                emit(_duplicate(arrival.path, arrival.sha256, arrival.path.stat().st_size,
                                arrival.previous, settings, con, arrival.received_at))
            elif arrival.repeated:  # same content earlier in this run: decided now
                emit(ingest_file(arrival.path, settings, today=today, con=con))
            else:
                emit(_reject(arrival.path, arrival.validated, settings, con,
                             arrival.received_at))
        _load_accepted(con, settings, pending, emit)
        copy_audit_into(con, settings.data_dir)  # the dashboard's upload trail (internal)
    return outcomes


def warehouse_totals(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Current cells, total count, partners and period range per return type."""
    rows = _statement(con, "core/warehouse_totals.sql", {})
    keys = ("return_type", "cells", "total", "partners", "first_period", "last_period")
    return [dict(zip(keys, row, strict=True)) for row in rows]
