"""Load validated partner files into the warehouse: whole or not at all, nothing ever lost.

For each file: hash it; if a file with the same hash was already loaded, it is a duplicate
(kept under ``archive/duplicates/``, logged, warehouse unchanged). Otherwise validate it:
a rejected file goes to ``quarantine/`` beside a JSON and a text report; an accepted file is
copied to ``archive/<sha[:2]>/<sha>_<name>``, loaded in one DuckDB transaction (ingest_log
row, new submission versions superseding the current ones, cells), and only after COMMIT
removed from the inbox (files named from outside the inbox are copied, never removed). A
crash at any point leaves the warehouse as before the file and the file still in the inbox
(or recognised by its hash on the next run).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from indicators import warehouse
from indicators.contract import load_contract
from indicators.faults import fault_point
from indicators.validation import (
    Problem,
    ValidatedFile,
    format_report_text,
    sha256_of,
    validate_file,
)

if TYPE_CHECKING:
    from observatory.config import Settings



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
                    f"{'+'.join(self.return_types)} {periods}, {self.n_rows} linhas/rows; "
                    f"versões/versions: {versions}")
        if self.status == "duplicate":
            return (f"duplicado/duplicate {self.file_name}: já carregado, armazém sem "
                    f"alterações / already loaded, warehouse unchanged "
                    f"({self.partner} {'+'.join(self.return_types)} {periods})")
        first = self.problems[0] if self.problems else None
        detail = f" [{first.rule}] {first.message_en}" if first else ""
        more = f" (+{len(self.problems) - 1})" if len(self.problems) > 1 else ""
        return (f"rejeitado/rejected  {self.file_name}: {len(self.problems)} "
                f"problema(s)/problem(s){more}:{detail} — relatório/report: "
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
    """Copy bytes and mtime to ``target`` via a temporary name, fsync'ed, then renamed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    shutil.copy2(source, partial)
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)


def _write_text_durably(target: Path, text: str) -> None:
    partial = target.with_name(target.name + ".part")
    with partial.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, target)


def in_inbox(path: Path, settings: Settings) -> bool:
    """Whether ``path`` lies in the inbox (only files there are removed once stored)."""
    return Path(path).resolve().is_relative_to(settings.inbox_dir.resolve())


def _remove_source(source: Path, stored: Path, settings: Settings) -> None:
    """Remove an inbox file once it is stored; a file named from anywhere else (a shared
    drive, the user's own folder) was only copied and stays where it is."""
    if in_inbox(source, settings) and source.resolve() != stored.resolve():
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
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def load_validated(con: duckdb.DuckDBPyConnection, validated: ValidatedFile, *,
                   stored_path: str, received_at: datetime, loaded_at: datetime,
                   ) -> tuple[int, dict[str, int]]:
    """Load an accepted file in one transaction; returns (ingest_id, versions created)."""
    assert validated.ok and validated.partner
    submissions = pl.concat([
        table.group_by("period").agg(pl.len().cast(pl.Int64).alias("n_rows"))
        .with_columns(pl.lit(return_type).alias("return_type"))
        .select("return_type", "period", "n_rows")
        for return_type, table in sorted(validated.tables.items())
    ])
    with _transaction(con):
        ingest_id = _log_row(
            con, file_name=validated.name, sha256=validated.sha256,
            size_bytes=validated.size_bytes, partner=validated.partner,
            return_types=validated.return_types, periods=validated.periods,
            n_rows=validated.n_rows, status="loaded", reasons=validated.notes,
            stored_path=stored_path, received_at=received_at, loaded_at=loaded_at)
        con.register("staged_submissions", submissions)
        params = {"partner": validated.partner, "ingest_id": ingest_id,
                  "sha256": validated.sha256, "received_at": received_at,
                  "loaded_at": loaded_at}
        _statement(con, "core/supersede_submissions.sql", params)
        created = _statement(con, "core/insert_submissions.sql", params)
        for return_type, table in sorted(validated.tables.items()):
            con.register("incoming_cells", table)
            _statement(con, f"core/load_{return_type}_cells.sql", params)
            con.unregister("incoming_cells")
        con.unregister("staged_submissions")
        versions = {f"{rt}/{period:%Y-%m}": int(version)
                    for rt, period, version in sorted(created)}
        fault_point("ingest:before-commit")  # test hook, inert unless OBS_FAULT_POINT is set
    return ingest_id, versions


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

    Hidden files and unfinished copies (``*.part``) are left alone.
    """
    files: set[Path] = set()
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.update(p for p in path.rglob("*") if p.is_file()
                         and not any(part.startswith(".") for part in p.relative_to(path).parts)
                         and not p.name.endswith(".part"))
        else:
            files.add(path)
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def ingest_paths(paths: list[Path], settings: Settings, *, today: date | None = None,
                 on_outcome: Callable[[IngestOutcome], None] | None = None,
                 ) -> list[IngestOutcome]:
    """Ingest every file (folders expanded) with one warehouse connection."""
    settings.ensure_dirs()
    outcomes: list[IngestOutcome] = []
    files = expand_paths(paths)
    with warehouse.connect(settings.warehouse_path) as con:
        for path in files:
            outcome = ingest_file(path, settings, today=today, con=con)
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
    return outcomes


def warehouse_totals(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Current cells, total count, partners and period range per return type."""
    rows = _statement(con, "core/warehouse_totals.sql", {})
    keys = ("return_type", "cells", "total", "partners", "first_period", "last_period")
    return [dict(zip(keys, row, strict=True)) for row in rows]
