"""Validate many CSV returns at once: every rule runs once over all files with the same header.

A backfill brings thousands of small files laid out alike. Running the rules file by file
costs a few milliseconds of polars set-up each; here the files that read cleanly are stacked
by header line (each row tagged with its file in ``__file``) and every registered rule
(:mod:`indicators.validation.rules`) runs once per stack. Cell rules and duplicate keys mark
rows, so a bad row condemns only its own file.

This pass only ever ACCEPTS a file. A file it does not accept (a cell that breaks a rule or
merely looks like personal data, a header rule that fired for its stack, a mixed partner, a
workbook, anything unreadable) is left to :func:`indicators.validation.validate_file`, which
words every problem, so a rejected file's report is the same whichever way it came.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from indicators.contract import Contract, load_contract
from indicators.inbox_names import is_hidden
from indicators.validation import ValidatedFile, personal_data
from indicators.validation.readers import (
    CSV_SUFFIXES,
    RawRecords,
    RawSheet,
    cell_columns,
    cells_frame,
    parse_csv,
)
from indicators.validation.rules import (
    SHEET_RULES,
    TABLE_RULES,
    Collector,
    Sheet,
    SheetResult,
    canonical_table,
    flag_cells,
    map_headers,
    summarise,
)

FILE = "__file"  # index of a row's file in the stack
STACK_ROWS = 200_000  # rows checked at once (their parsed text is held until then)


@dataclass
class PlainCsv:
    """A CSV file that read cleanly: its bytes' digest and its records."""

    index: int  # position in the list of paths
    name: str
    sha256: str
    size_bytes: int
    records: RawRecords


def read_plain_csv(index: int, path: Path, contract: Contract) -> PlainCsv | None:
    """The file's records when it is a CSV of acceptable size that decodes and parses, has
    data rows and no row wider than its header; None otherwise (validated alone)."""
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES or suffix not in contract.file_types or is_hidden(path.name):
        return None
    size = path.stat().st_size
    if not 0 < size <= contract.max_file_bytes:
        return None
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04") or len(data) != size:
        return None
    records, problems = parse_csv(data, path.name)
    if problems or records is None or not records.body:
        return None
    if max(len(rec) for _, rec in records.body) > len(records.headers):
        return None
    return PlainCsv(index=index, name=path.name, sha256=hashlib.sha256(data).hexdigest(),
                    size_bytes=size, records=records)


def stack(files: list[PlainCsv]) -> RawSheet:
    """One sheet holding the rows of ``files`` (same header line), tagged with ``FILE``."""
    first = files[0].records
    body = [rec for f in files for _, rec in f.records.body]
    numbers = [n for f in files for n, _ in f.records.body]
    owners = [f.index for f in files for _ in f.records.body]
    cells = cells_frame(body, numbers, len(first.headers)).with_columns(
        pl.Series(FILE, owners, dtype=pl.Int64))
    return RawSheet(name=None, headers=first.headers, header_row=first.header_row, cells=cells)


def _rows_needing_a_closer_look(s: Sheet, flags: list[str]) -> pl.Expr:
    """Rows that break a cell rule, repeat a key of their file, or hold a cell that may be
    personal data or a formula (confirmed, and worded, only file by file)."""
    assert s.spec is not None
    key = [FILE, *(f"n:{c}" for c in s.spec.key_columns)]
    suspicious = [personal_data.suspicious_mask(pl.col(c)) | pl.col(c).str.starts_with("=")
                  for c in cell_columns(s.raw.cells)]
    return pl.any_horizontal(*(pl.col(f) for f in flags), pl.struct(key).is_duplicated(),
                             *suspicious)


def check_stacked(raw: RawSheet, contract: Contract, today: date) -> dict[int, SheetResult]:
    """Every registered rule once over a stack (see :func:`stack`); the result of each file
    that breaks none, by file index. Files left out are to be validated alone."""
    s = Sheet(raw=raw, file="", contract=contract, today=today, out=Collector(""),
              df=raw.cells, scope=[FILE])
    map_headers(s)
    for _, rule, needs_return_type in SHEET_RULES:
        if s.spec is not None or not needs_return_type:
            rule(s)
    if s.spec is None or s.out.total or not s.n_rows or "partner" not in s.mapping:
        return {}  # a header problem: every file of the stack has it
    flags = flag_cells(s)
    assert s.checked is not None
    per_file = s.checked.group_by(FILE).agg(
        _rows_needing_a_closer_look(s, list(flags)).any().alias("closer"),
        pl.col("n:partner").n_unique().alias("partners"))
    accepted = per_file.filter(~pl.col("closer") & (pl.col("partners") == 1)).get_column(FILE)
    s.checked = s.checked.filter(pl.col(FILE).is_in(accepted.implode()))
    summarise(s, flags)
    for _, rule in TABLE_RULES:
        rule(s)
    if s.out.total:
        return {}  # a table rule fired somewhere in the stack: each file is checked alone
    tables = canonical_table(s, s.checked, FILE).partition_by(FILE, as_dict=True,
                                                              include_key=False)
    return {int(key[0]): SheetResult(return_type=s.spec.name, n_rows=table.height,
                                     partners={table.get_column("partner")[0]}, table=table)
            for key, table in tables.items()}


def _accept(files: list[PlainCsv], contract: Contract, today: date,
            ) -> dict[int, ValidatedFile]:
    """The files of one stack that every rule accepts, as validated files, by index."""
    by_index = {f.index: f for f in files}
    accepted = {}
    for index, sheet in check_stacked(stack(files), contract, today).items():
        plain = by_index[index]
        assert sheet.return_type is not None and sheet.table is not None
        accepted[index] = ValidatedFile(
            name=plain.name, sha256=plain.sha256, size_bytes=plain.size_bytes,
            partner=next(iter(sheet.partners)), tables={sheet.return_type: sheet.table},
            problems=[])
    return accepted


def accepted_in_stacks(paths: list[Path], today: date) -> dict[int, ValidatedFile]:
    """The files of ``paths`` that every rule accepts, checked stack by stack (a stack is
    checked as soon as it holds ``STACK_ROWS`` rows, so that the parsed text of at most that
    many rows per header layout is held at once); by index in ``paths``."""
    contract = load_contract()
    stacks: dict[tuple[str, ...], list[PlainCsv]] = {}
    rows: dict[tuple[str, ...], int] = {}
    accepted: dict[int, ValidatedFile] = {}
    for index, path in enumerate(paths):
        plain = read_plain_csv(index, Path(path), contract)
        if plain is None:
            continue
        layout = tuple(plain.records.headers)
        stacks.setdefault(layout, []).append(plain)
        rows[layout] = rows.get(layout, 0) + len(plain.records.body)
        if rows[layout] >= STACK_ROWS:
            accepted.update(_accept(stacks.pop(layout), contract, today))
            rows[layout] = 0
    for files in stacks.values():
        if files:
            accepted.update(_accept(files, contract, today))
    return accepted
