"""Every validation rule of the partner-return contract, applied to one read table.

Rules run column-wise with polars so that a large file is checked in one pass, and every
problem is collected (not just the first); only the first few problems of each rule are
turned into messages, the rest are counted (see :class:`Collector`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from indicators import reference
from indicators.contract import Contract, normalise_header
from indicators.validation import personal_data
from indicators.validation.problems import MAX_PER_RULE, Problem, make_problem
from indicators.validation.readers import ROW, RawSheet

SHEET_ALIASES = {
    "victims": "victims", "vitimas": "victims",
    "support": "support", "apoio": "support", "apoios": "support",
    "activities": "activities", "atividades": "activities", "actividades": "activities",
}
_PERIOD = r"^(\d{4})-(\d{2})(?:-01(?:[ T]00:00:00)?)?$"


class Collector:
    """Collects problems, keeping at most ``cap`` per rule and counting the rest."""

    def __init__(self, file: str, cap: int = MAX_PER_RULE) -> None:
        self.file = file
        self.cap = cap
        self.listed: list[Problem] = []
        self.counts: Counter[str] = Counter()

    def room(self, rule: str) -> int:
        return max(self.cap - self.counts[rule], 0)

    def add(self, problem: Problem) -> None:
        if self.counts[problem.rule] < self.cap:
            self.listed.append(problem)
        self.counts[problem.rule] += 1

    def overflow(self, rule: str, n: int) -> None:
        self.counts[rule] += n

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def finish(self) -> list[Problem]:
        summary = [make_problem("more_problems", self.file, value=rule, n=n - self.cap)
                   for rule, n in self.counts.items() if n > self.cap]
        return self.listed + summary


@dataclass
class SheetResult:
    return_type: str | None
    n_rows: int
    partners: set[str] = field(default_factory=set)
    table: pl.DataFrame | None = None  # canonical, typed; only when the sheet had no problem


def _short_list(codes: tuple[str, ...] | list[str], limit: int = 25) -> str:
    if len(codes) <= limit:
        return ", ".join(codes)
    return ", ".join(codes[:12]) + f", … ({len(codes)} codes / códigos)"


def count_reason(value: str, max_count: int) -> tuple[str, str]:
    """Why a count is refused, in English and Portuguese."""
    text = value.strip()
    if re.fullmatch(r"-\s*\d+(?:[.,]\d+)?", text):
        return "it is negative", "é negativa"
    if re.fullmatch(r"\d+[.,]\d+", text):
        return ("it has decimals (write whole numbers, e.g. 3 not 3.0)",
                "tem casas decimais (escreva números inteiros, por exemplo 3 e não 3,0)")
    if re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+", text):
        return ("it is in scientific notation", "está em notação científica")
    if re.fullmatch(r"\d+", text):
        return (f"it is larger than {max_count}, which cannot be a monthly count",
                f"é maior do que {max_count}, o que não pode ser uma contagem mensal")
    return "it is not a whole number", "não é um número inteiro"


def _return_type(sheet: RawSheet, canonical: set[str], contract: Contract) -> str | None:
    if sheet.name is not None:
        by_name = SHEET_ALIASES.get(normalise_header(sheet.name))
        if by_name:
            return by_name
    return contract.detect_return_type(canonical) if canonical else None


def _scan_cells(df: pl.DataFrame, headers: list[str], contract: Contract, file: str,
                where: dict, out: Collector) -> pl.DataFrame:
    """Personal data and formulas in any cell of any column.

    Returns a frame with one boolean column ``skip{i}`` per cell column that has flagged
    cells (row-aligned with ``df``), so that other rules neither double-report nor echo
    those values; an empty frame when nothing was flagged.
    """
    cell_columns = [c for c in df.columns if c != ROW]
    suspicious = [personal_data.suspicious_mask(pl.col(c)).alias(f"pd{i}")
                  for i, c in enumerate(cell_columns)]
    formulas = [pl.col(c).str.starts_with("=").alias(f"fm{i}")
                for i, c in enumerate(cell_columns)]
    marks = df.select(pl.col(ROW), *suspicious, *formulas)
    totals = marks.select(pl.exclude(ROW).sum()).row(0, named=True) if df.height else {}
    skips: dict[str, pl.Series] = {}
    for i, name in enumerate(cell_columns):
        if not totals.get(f"pd{i}") and not totals.get(f"fm{i}"):
            continue
        header = headers[i] if i < len(headers) else None
        canon = contract.canonical_column(header) if header else None
        flagged: list[int] = []
        candidates = df.filter(marks.get_column(f"pd{i}")).select(ROW, name)
        for row, value in candidates.iter_rows():
            found = personal_data.detect(value, column=canon)
            if found:
                flagged.append(row)
                _, label_en, label_pt = found
                out.add(make_problem("personal_data", file, row=row, column=header,
                                     value=personal_data.mask(value), kind_en=label_en,
                                     kind_pt=label_pt, **where))
        for row, value in df.filter(marks.get_column(f"fm{i}")).select(ROW, name).iter_rows():
            if row not in flagged:
                flagged.append(row)
                out.add(make_problem("formula", file, row=row, column=header, value=value,
                                     **where))
        skips[f"skip{i}"] = df.get_column(ROW).is_in(flagged)
    return pl.DataFrame(skips) if skips else pl.DataFrame()


def check_sheet(sheet: RawSheet, file: str, contract: Contract, today: date,
                out: Collector) -> SheetResult:
    """Apply every table-level and cell-level rule to one sheet (or a CSV file).

    Cell rules are computed as boolean flag columns in one polars pass; only the flags that
    fire are turned into (at most ``cap``) problems, so a valid file costs one pass.
    """
    before = out.total
    where = {"sheet": sheet.name}
    headers = sheet.headers
    cell_columns = [c for c in sheet.cells.columns if c != ROW]
    n_rows = sheet.cells.height
    skips = _scan_cells(sheet.cells, headers, contract, file, where, out)
    df = sheet.cells.hstack(skips) if skips.width else sheet.cells

    def skip(i: int) -> pl.Expr:
        return pl.col(f"skip{i}") if f"skip{i}" in df.columns else pl.lit(False)

    # --- header: map to contract columns
    mapping: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    duplicates: dict[str, list[str]] = {}
    for i, header in enumerate(headers):
        if header == "":
            if n_rows and (df.get_column(f"c{i}") != "").any():
                unknown.append((i, ""))
            continue
        canon = contract.canonical_column(header)
        if canon is None:
            unknown.append((i, header))
        elif canon in mapping:
            duplicates.setdefault(canon, [headers[mapping[canon]]]).append(header)
        else:
            mapping[canon] = i
    return_type = _return_type(sheet, set(mapping), contract)
    spec = contract.returns.get(return_type) if return_type else None
    for canon in [c for c in mapping if spec and c not in spec.columns]:
        i = mapping.pop(canon)
        unknown.append((i, headers[i]))
    expected = (", ".join(spec.columns) if spec else
                "; ".join(f"{r.name}: {', '.join(r.columns)}" for r in contract.returns.values()))
    for _, header in sorted(unknown):
        shown = header if not personal_data.detect(header) else personal_data.mask(header)
        out.add(make_problem("unknown_column", file, row=sheet.header_row, column=shown or None,
                             value=shown or "(no header / sem cabeçalho)", expected=expected,
                             **where))
    for canon, written in duplicates.items():
        out.add(make_problem("duplicate_column", file, row=sheet.header_row, column=written[1],
                             value=canon, headers=", ".join(f'"{h}"' for h in written),
                             **where))
    for i in range(len(headers), len(cell_columns)):
        extra = df.filter((pl.col(f"c{i}") != "") & ~skip(i))
        _emit(out, "extra_cells", extra, f"c{i}", file, None, where)

    if spec is None:
        rule = "unknown_sheet" if sheet.name is not None else "unknown_return_type"
        out.add(make_problem(rule, file, row=sheet.header_row if rule != "unknown_sheet"
                             else None, value=sheet.name or None,
                             expected=", ".join(contract.returns), **where))
        return SheetResult(return_type=None, n_rows=n_rows)
    for canon in spec.columns:
        if canon not in mapping:
            col = contract.columns[canon]
            out.add(make_problem("missing_column", file, row=sheet.header_row, value=canon,
                                 label_en=col.label_en, label_pt=col.label_pt,
                                 return_type=spec.name, expected=", ".join(spec.columns),
                                 **where))
    if not n_rows:
        return SheetResult(return_type=spec.name, n_rows=0)

    # --- cell rules: normalised values (n:<column>) and flags (<rule>:<column>), one pass
    first = date.fromisoformat(contract.first_period + "-01")
    current = date(today.year, today.month, 1)
    norms: list[pl.Expr] = []
    flags: dict[str, tuple[str, str, dict]] = {}  # flag column -> (rule, canon, params)
    flag_exprs: list[pl.Expr] = []

    def flag(rule: str, canon: str, expr: pl.Expr, **params: object) -> None:
        flags[f"{rule}:{canon}"] = (rule, canon, params)
        flag_exprs.append(expr.alias(f"{rule}:{canon}"))

    for canon in spec.columns:
        if canon not in mapping:
            continue
        i = mapping[canon]
        value = pl.col(f"c{i}")
        live = (value != "") & ~skip(i)
        flag("empty_cell", canon, (value == "") & ~skip(i))
        if canon == "count":
            as_int = value.cast(pl.Int64, strict=False)
            norms.append(as_int.alias(f"n:{canon}"))
            ok = value.str.contains(r"^\d+$") & as_int.is_not_null() & \
                (as_int <= contract.max_count)
            flag("bad_count", canon, live & ~ok, max_count=contract.max_count,
                 per_value=lambda text: dict(zip(("reason_en", "reason_pt"),
                                                 count_reason(text, contract.max_count),
                                                 strict=True)))
        elif canon == "period":
            parts = value.str.extract_groups(_PERIOD)
            year = parts.struct.field("1").cast(pl.Int32, strict=False)
            month = parts.struct.field("2").cast(pl.Int32, strict=False)
            well = year.is_not_null() & month.is_between(1, 12)
            period = pl.when(well).then(pl.date(year.fill_null(2000), month.clip(1, 12)
                                                .fill_null(1), 1))
            norms.append(period.alias(f"n:{canon}"))
            flag("bad_period", canon, live & ~well)
            flag("period_before_start", canon, live & well & (period < first),
                 first_period=contract.first_period)
            flag("period_in_future", canon, live & well & (period > current),
                 current=current.strftime("%Y-%m"))
        else:
            allowed = contract.allowed_codes(canon, spec.name) or ()
            lookup = {code.lower(): code for code in allowed}
            codes = value.str.to_lowercase().replace_strict(lookup, default=None,
                                                            return_dtype=pl.String)
            norms.append(codes.alias(f"n:{canon}"))
            if canon == "partner":
                flag("partner_not_registered", canon, live & codes.is_null(),
                     allowed=", ".join(allowed))
            else:
                col = contract.columns[canon]
                flag("unknown_code", canon, live & codes.is_null(), label_en=col.label_en,
                     label_pt=col.label_pt, allowed=_short_list(list(allowed)))
    checked = df.with_columns(norms).with_columns(flag_exprs)
    key_names = [f"n:{c}" for c in spec.key_columns]
    has_keys = all(k in checked.columns for k in key_names)
    summary = [pl.col(list(flags)).sum()]
    if has_keys:
        summary.append(pl.struct(key_names).is_duplicated().any().alias("duplicates"))
    totals = checked.select(summary).row(0, named=True)
    for name, (rule, canon, params) in flags.items():
        if totals[name]:
            _emit(out, rule, checked.filter(pl.col(name)), f"c{mapping[canon]}", file,
                  headers[mapping[canon]], where, **params)

    # --- partner-level rules
    partners: set[str] = set()
    if "n:partner" in checked.columns:
        partners = set(checked.get_column("n:partner").drop_nulls().unique().to_list())
        registry = {p.code: p for p in reference.partners()}
        for code in sorted(partners):
            if spec.name not in registry[code].returns:
                out.add(make_problem("return_type_not_allowed", file,
                                     column=headers[mapping["partner"]], value=code,
                                     return_type=spec.name,
                                     allowed=", ".join(sorted(registry[code].returns)),
                                     **where))

    # --- duplicate cell keys (both rows named: the repeat points at the first)
    if has_keys and totals.get("duplicates"):
        keyed = checked.filter(pl.all_horizontal(pl.col(key_names).is_not_null())
                               ).with_columns(pl.col(ROW).min().over(key_names).alias("first"))
        repeats = keyed.filter(pl.col(ROW) != pl.col("first"))
        room = out.room("duplicate_key")
        for rec in repeats.head(room).iter_rows(named=True):
            text = ", ".join(f"{c}={_key_text(rec['n:' + c])}" for c in spec.key_columns
                             if c != "partner")
            out.add(make_problem("duplicate_key", file, row=rec[ROW], value=text,
                                 first_row=rec["first"], **where))
        out.overflow("duplicate_key", max(repeats.height - room, 0))

    result = SheetResult(return_type=spec.name, n_rows=n_rows, partners=partners)
    if out.total == before:
        result.table = checked.select(
            pl.col(f"n:{c}").alias(c) for c in spec.columns
        ).with_columns(pl.col("count").cast(pl.Int64), pl.col("period").cast(pl.Date))
    return result


def _emit(out: Collector, rule: str, bad: pl.DataFrame, name: str, file: str,
          header: str | None, where: dict, per_value=None, **params: object) -> None:
    """Problems for the first rows of ``bad`` (up to the rule's cap); count the rest."""
    room = out.room(rule)
    for row, value in bad.select(ROW, name).head(room).iter_rows():
        extra = per_value(value) if per_value else {}
        out.add(make_problem(rule, file, row=row, column=header, value=value, **where,
                             **params, **extra))
    out.overflow(rule, max(bad.height - room, 0))


def _key_text(value: object) -> str:
    return value.strftime("%Y-%m") if isinstance(value, date) else str(value)
