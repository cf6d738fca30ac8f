"""Validation of partner returns against the contract: accepted whole or rejected whole.

``validate_file(path)`` reads a CSV or XLSX return, applies every rule and returns a
:class:`ValidatedFile`: the canonical tables (when the file is valid) and every problem,
each naming file, sheet, row, column and value, in English and Portuguese.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import polars as pl

from indicators.contract import Contract, load_contract
from indicators.inbox_names import HIDDEN_RULE, is_hidden
from indicators.local_time import today as local_today
from indicators.validation.problems import Problem, format_report_text, make_problem
from indicators.validation.readers import (
    CSV_SUFFIXES,
    XLSX_SUFFIXES,
    ReadResult,
    read_csv,
    read_xlsx,
)
from indicators.validation.rules import Collector, SheetResult, check_sheet

__all__ = ["Problem", "ValidatedFile", "format_report_text", "sha256_of", "validate_file",
           "validate_files"]


@dataclass
class ValidatedFile:
    name: str
    sha256: str
    size_bytes: int
    partner: str | None
    tables: dict[str, pl.DataFrame]
    problems: list[Problem]
    notes: list[str] = field(default_factory=list)  # bilingual remarks, e.g. ignored sheets
    # the return types its sheets were recognised as (by sheet name or headers), even when
    # the file is rejected and ``tables`` stays empty
    sheet_types: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @cached_property
    def periods(self) -> list[date]:  # read many times by the batch load: computed once
        found: set[date] = set()
        for table in self.tables.values():  # (a polars unique() costs ~0.3 ms per table)
            found.update(table.get_column("period").to_list())
        return sorted(found)

    @property
    def n_rows(self) -> int:
        return sum(t.height for t in self.tables.values())

    @property
    def return_types(self) -> list[str]:
        return sorted(self.tables)

    def to_dict(self) -> dict:
        return {
            "file": self.name, "sha256": self.sha256, "size_bytes": self.size_bytes,
            "status": "valid" if self.ok else "invalid", "partner": self.partner,
            "return_types": self.return_types,
            "periods": [p.strftime("%Y-%m") for p in self.periods],
            "rows": {rt: t.height for rt, t in sorted(self.tables.items())},
            "notes": self.notes, "problems": [p.to_dict() for p in self.problems],
        }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _read(path: Path, name: str, contract: Contract) -> ReadResult:
    """The file's sheets, read by its type; a type the contract does not name is refused."""
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES and suffix in contract.file_types:
        return read_xlsx(path, name, contract.max_xlsx_uncompressed_bytes)
    if suffix in CSV_SUFFIXES and suffix in contract.file_types:
        return read_csv(path.read_bytes(), name)  # a workbook or PDF renamed: not_a_csv
    return ReadResult(problems=[make_problem("unsupported_file_type", name,
                                             value=suffix or "(none)")])


def validate_file(path: Path, *, today: date | None = None) -> ValidatedFile:
    """Validate one partner file; never modifies or moves it."""
    contract = load_contract()
    today = today or local_today()
    path = Path(path)
    name = path.name
    size = path.stat().st_size
    digest = sha256_of(path)
    out = Collector(name)
    result = ValidatedFile(name=name, sha256=digest, size_bytes=size, partner=None,
                           tables={}, problems=[])
    if size > contract.max_file_bytes:
        out.add(make_problem("file_too_large", name, size=size, limit=contract.max_file_bytes))
    elif size == 0:
        out.add(make_problem("empty_file", name))
    if out.total:
        result.problems = out.finish()
        return result
    if is_hidden(name):  # its content is checked too, so that one report says everything
        out.add(make_problem(HIDDEN_RULE, name, renamed=name.lstrip(".") or "returns.csv"))

    read = _read(path, name, contract)
    for problem in read.problems:
        out.add(problem)
    for sheet_name, ref in read.formulas:
        row = int("".join(ch for ch in ref if ch.isdigit()) or 0) or None
        out.add(make_problem("formula", name, sheet=sheet_name, row=row, value=f"cell {ref}"))
    if read.ignored_sheets:
        listed = ", ".join(f'"{s}"' for s in read.ignored_sheets)
        result.notes.append(f"Folhas ignoradas (instruções/listas) / ignored sheets "
                            f"(instructions/lists): {listed}")
    if not read.problems and not read.sheets:
        out.add(make_problem("empty_file", name))

    sheet_results: list[tuple[str | None, SheetResult]] = []
    for sheet in read.sheets:
        sheet_results.append((sheet.name, check_sheet(sheet, name, contract, today, out)))

    result.sheet_types = sorted({r.return_type for _, r in sheet_results if r.return_type})
    by_type: dict[str, list[str | None]] = {}
    for sheet_name, res in sheet_results:
        if res.return_type and res.n_rows:
            by_type.setdefault(res.return_type, []).append(sheet_name)
    for return_type, sheets in by_type.items():
        if len(sheets) > 1:
            out.add(make_problem("duplicate_return_type", name, value=return_type))
    empty = [(s, r) for s, r in sheet_results if r.return_type and not r.n_rows]
    if sheet_results and not any(r.n_rows for _, r in sheet_results):
        only = sheet_results[0][0] if len(sheet_results) == 1 else None
        out.add(make_problem("no_rows", name, sheet=only))
    elif empty:
        listed = ", ".join(f'"{s}"' for s, _ in empty)
        result.notes.append(f"Folhas sem linhas, ignoradas / sheets without rows, ignored: "
                            f"{listed}")

    partners = sorted(set().union(*(r.partners for _, r in sheet_results)))
    if len(partners) > 1:
        out.add(make_problem("mixed_partners", name, value=", ".join(partners)))
    if len(partners) == 1:
        result.partner = partners[0]

    result.problems = _ordered(out.finish(), [s.name for s in read.sheets])
    if result.ok:
        result.tables = {r.return_type: r.table for _, r in sheet_results
                         if r.return_type and r.table is not None}
    return result


def validate_files(paths: list[Path], *, today: date | None = None,
                   workers: int | None = None) -> list[ValidatedFile]:
    """:func:`validate_file` for each path, in order (pure: files are only read).

    The CSV files are first checked together, every rule once per header layout
    (:mod:`indicators.validation.stacked`); each file that pass does not accept (a problem,
    or a doubt) is then validated alone, which words its problems. Very large runs are split
    over fresh worker processes (:mod:`indicators.validation.parallel`).
    """
    from indicators.validation.parallel import validate_in_workers, worker_count
    from indicators.validation.stacked import accepted_in_stacks

    today = today or local_today()
    paths = [Path(p) for p in paths]
    workers = worker_count(len(paths)) if workers is None else workers
    if workers > 1:
        return validate_in_workers(paths, today, workers)
    accepted = accepted_in_stacks(paths, today)
    return [accepted.get(index) or validate_file(path, today=today)
            for index, path in enumerate(paths)]


def _ordered(problems: list[Problem], sheets: list[str | None]) -> list[Problem]:
    """File-level problems first, then sheet by sheet, row by row; summaries last."""
    def key(problem: Problem) -> tuple[int, int, int]:
        if problem.rule == "more_problems":
            return (2, 0, 0)
        sheet = sheets.index(problem.sheet) + 1 if problem.sheet in sheets else 0
        return (0 if problem.row is None and sheet == 0 else 1, sheet, problem.row or 0)
    return sorted(problems, key=key)
