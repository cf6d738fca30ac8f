"""Every validation rule of the partner-return contract, applied to one read table.

Each rule is one function registered under its name (its message is ``val.<name>`` in the
one translation table, :mod:`indicators.i18n`), in the order its problems are listed:

* ``@sheet_rule``: header and structure rules (unknown, duplicate, missing columns …);
* ``@cell_rule``: a polars expression that is True where a cell breaks the rule; every cell
  rule of every column runs in one pass, on the raw text (``cell.value``) and its
  normalised value (``cell.norm``: integer count, first day of the period, contract code);
* ``@table_rule``: rules over the whole checked table (partners, duplicate keys).

Adding a rule is one new function with its decorator, and its message (Portuguese and English)
in the translation table.
Every problem is collected (not just the first); only the first few of each rule are turned
into messages, the rest are counted (see :class:`Collector`).

The same rules also run once over many files stacked together
(:mod:`indicators.validation.stacked`; rows told apart by the ``Sheet.scope`` columns), and
a file is accepted there only if no rule fired. So a rule must fire on a stack whenever it
would fire on one of its files: a cell rule looks at its own row only (no window or
aggregate over the column), a table rule groups by ``s.scope`` where rows of different files
must not meet (as ``duplicate_key`` does), a sheet rule looks at the header.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl

from indicators import reference
from indicators.contract import Contract, ReturnSpec, normalise_header
from indicators.i18n import TEXT, fmt_date, t
from indicators.validation import personal_data
from indicators.validation.problems import MAX_PER_RULE, Problem, make_problem, message_key
from indicators.validation.readers import ROW, RawSheet, cell_columns

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


# A whole number written with a thousands separator: the same dot or space (no-break
# spaces too) before every group of exactly three digits ("1.000", "12 000", "1.234.567").
# A comma is the Portuguese decimal mark, so "1,000" reads as decimals.
_THOUSANDS = re.compile(r"\d{1,3}([.\u00a0\u202f ])\d{3}(?:\1\d{3})*")


def count_reason(value: str, max_count: int) -> tuple[str, str]:
    """Why a count is refused, in English and Portuguese.

    A dot (or space) followed by exactly three digits is read as a thousands separator, as
    Portuguese writes numbers ("1.000" is one thousand: "do not use a thousands separator:
    write 1000"); any other dot or comma marks decimals ("3.0", "3,5", "1,000", "1.00").
    """
    text = value.strip()
    thousands = _THOUSANDS.fullmatch(text)
    if re.fullmatch(r"-\s*\d+(?:[.,]\d+)?", text):
        why = "negative"
    elif thousands:
        why = "thousands"
    elif re.fullmatch(r"\d+[.,]\d+", text):
        why = "decimals"
    elif re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+", text):
        why = "scientific"
    elif re.fullmatch(r"\d+", text):
        why = "too_large"
    else:
        why = "not_whole"
    digits = re.sub(r"\D", "", text) if thousands else ""
    return (t(f"val.count.{why}", "en", max_count=max_count, digits=digits),
            t(f"val.count.{why}", "pt", max_count=max_count, digits=digits))


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
    columns = cell_columns(df)
    first_year = int(contract.first_period[:4])
    suspicious = [personal_data.suspicious_mask(pl.col(c)).alias(f"pd{i}")
                  for i, c in enumerate(columns)]
    formulas = [pl.col(c).str.starts_with("=").alias(f"fm{i}")
                for i, c in enumerate(columns)]
    marks = df.select(pl.col(ROW), *suspicious, *formulas)
    totals = marks.select(pl.exclude(ROW).sum()).row(0, named=True) if df.height else {}
    skips: dict[str, pl.Series] = {}
    for i, name in enumerate(columns):
        if not totals.get(f"pd{i}") and not totals.get(f"fm{i}"):
            continue
        header = headers[i] if i < len(headers) else None
        canon = contract.canonical_column(header) if header else None
        flagged: list[int] = []
        candidates = df.filter(marks.get_column(f"pd{i}")).select(ROW, name)
        for row, value in candidates.iter_rows():
            found = personal_data.detect(value, column=canon, first_year=first_year)
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


@dataclass
class Sheet:
    """One sheet being checked: what every rule reads, and where it reports."""

    raw: RawSheet
    file: str
    contract: Contract
    today: date
    out: Collector
    df: pl.DataFrame  # the cells plus the skip{i} columns of cells already reported
    mapping: dict[str, int] = field(default_factory=dict)  # contract column -> cell column
    unknown: list[tuple[int, str]] = field(default_factory=list)
    renamed: dict[int, str] = field(default_factory=dict)  # unknown header -> column it means
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    spec: ReturnSpec | None = None
    checked: pl.DataFrame | None = None  # df + normalised n:<column> + rule flags
    totals: dict[str, object] = field(default_factory=dict)
    scope: list[str] = field(default_factory=list)  # columns telling stacked files apart

    @property
    def where(self) -> dict:
        return {"sheet": self.raw.name}

    @property
    def headers(self) -> list[str]:
        return self.raw.headers

    @property
    def n_rows(self) -> int:
        return self.raw.cells.height

    def skip(self, i: int) -> pl.Expr:
        return pl.col(f"skip{i}") if f"skip{i}" in self.df.columns else pl.lit(False)

    def header_of(self, canon: str) -> str:
        return self.headers[self.mapping[canon]]

    def report(self, rule: str, **fields: object) -> None:
        self.out.add(make_problem(rule, self.file, **fields, **self.where))


@dataclass(frozen=True)
class Cell:
    """One contract column as a cell rule sees it."""

    sheet: Sheet
    canon: str
    value: pl.Expr  # the text as written ('' = empty)
    norm: pl.Expr  # normalised value, null when it cannot be read
    skip: pl.Expr  # cells already reported (personal data, formula)

    @property
    def live(self) -> pl.Expr:
        """Cells with a value that no earlier rule reported."""
        return (self.value != "") & ~self.skip


@dataclass(frozen=True)
class CellRule:
    name: str
    applies: Callable[[str], bool]  # contract column -> does the rule check it
    check: Callable[[Cell], pl.Expr]  # True where the cell breaks the rule
    params: Callable[[Cell], dict]  # message parameters (``per_value``: per offending text)


SheetRule = Callable[[Sheet], None]
SHEET_RULES: list[tuple[str, SheetRule, bool]] = []  # (name, rule, needs the return type)
CELL_RULES: list[CellRule] = []
TABLE_RULES: list[tuple[str, SheetRule]] = []


def _has_message(name: str) -> None:
    if message_key(name) not in TEXT:
        raise ValueError(f"rule {name!r} has no message {message_key(name)!r} in the "
                         "translation table (indicators/i18n.py)")


def sheet_rule(name: str, needs_return_type: bool = False,
               ) -> Callable[[SheetRule], SheetRule]:
    """Register a header/structure rule (run in registration order)."""
    def register(rule: SheetRule) -> SheetRule:
        _has_message(name)
        SHEET_RULES.append((name, rule, needs_return_type))
        return rule
    return register


def cell_rule(name: str, applies: Callable[[str], bool] = lambda canon: True,
              params: Callable[[Cell], dict] = lambda cell: {},
              ) -> Callable[[Callable[[Cell], pl.Expr]], Callable[[Cell], pl.Expr]]:
    """Register a cell rule: its check returns a boolean polars expression."""
    def register(check: Callable[[Cell], pl.Expr]) -> Callable[[Cell], pl.Expr]:
        _has_message(name)
        CELL_RULES.append(CellRule(name, applies, check, params))
        return check
    return register


def table_rule(name: str) -> Callable[[SheetRule], SheetRule]:
    """Register a rule over the checked table (run after the cell rules)."""
    def register(rule: SheetRule) -> SheetRule:
        _has_message(name)
        TABLE_RULES.append((name, rule))
        return rule
    return register


# --- header and structure rules ---------------------------------------------------------

def _expected(s: Sheet, columns: Iterable[str]) -> str:
    """The columns by the contract's names, as the template has them, whatever language the
    file's headers are in: one report never names a column two ways."""
    return ", ".join(columns)


@sheet_rule("unknown_column")
def unknown_column(s: Sheet) -> None:
    spec, contract = s.spec, s.contract
    expected = (_expected(s, spec.columns) if spec else
                "; ".join(f"{r.name}: {_expected(s, r.columns)}"
                          for r in contract.returns.values()))
    for i, header in sorted(s.unknown):
        if i in s.renamed:
            continue  # misnamed_column says which column it means
        shown = header if not personal_data.detect(header) else personal_data.mask(header)
        s.report("unknown_column", row=s.raw.header_row, column=shown or None,
                 value=shown or "(no header / sem cabeçalho)", expected=expected)


@sheet_rule("duplicate_column")
def duplicate_column(s: Sheet) -> None:
    for canon, written in s.duplicates.items():
        s.report("duplicate_column", row=s.raw.header_row, column=written[1], value=canon,
                 headers=", ".join(f'"{h}"' for h in written))


@sheet_rule("extra_cells")
def extra_cells(s: Sheet) -> None:
    """Values to the right of the last header."""
    n_cells = len(cell_columns(s.raw.cells))
    for i in range(len(s.headers), n_cells):
        extra = s.df.filter((pl.col(f"c{i}") != "") & ~s.skip(i))
        _emit(s.out, "extra_cells", extra, f"c{i}", s.file, None, s.where)


@sheet_rule("misnamed_column", needs_return_type=True)
def misnamed_column(s: Sheet) -> None:
    """A header the contract does not accept but that most likely means a missing column
    (``genero`` for ``sex``, see :meth:`Contract.likely_column`): one problem saying to
    rename it, instead of "unknown column" and "missing column"."""
    for i, canon in sorted(s.renamed.items()):
        col = s.contract.columns[canon]
        s.report("misnamed_column", row=s.raw.header_row, column=s.headers[i],
                 value=s.headers[i], expected=_expected(s, [canon]), label_en=col.label_en,
                 label_pt=col.label_pt)


@sheet_rule("missing_column", needs_return_type=True)
def missing_column(s: Sheet) -> None:
    assert s.spec is not None
    for canon in s.spec.columns:
        if canon not in s.mapping and canon not in s.renamed.values():
            col = s.contract.columns[canon]
            s.report("missing_column", row=s.raw.header_row, value=_expected(s, [canon]),
                     label_en=col.label_en, label_pt=col.label_pt, return_type=s.spec.name,
                     expected=_expected(s, s.spec.columns))


def unknown_return_type(s: Sheet) -> None:
    """The sheet's name, or its columns, name no return type: nothing else can be checked."""
    rule = "unknown_sheet" if s.raw.name is not None else "unknown_return_type"
    s.report(rule, row=s.raw.header_row if rule != "unknown_sheet" else None,
             value=s.raw.name or None, expected=", ".join(s.contract.returns))


# --- cell rules (one polars pass; per column in registration order) ---------------------

def _is_code_column(canon: str) -> bool:
    return canon not in ("count", "period")


def _period_parts(value: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(well formed, year, month) of a period cell."""
    parts = value.str.extract_groups(_PERIOD)
    year = parts.struct.field("1").cast(pl.Int32, strict=False)
    month = parts.struct.field("2").cast(pl.Int32, strict=False)
    return year.is_not_null() & month.is_between(1, 12), year, month


def _allowed(sheet: Sheet, canon: str) -> tuple[str, ...]:
    assert sheet.spec is not None
    return sheet.contract.allowed_codes(canon, sheet.spec.name) or ()


def normalised(sheet: Sheet, canon: str, value: pl.Expr) -> pl.Expr:
    """The typed value of a cell: integer count, first day of the period, contract code."""
    if canon == "count":
        return value.cast(pl.Int64, strict=False)
    if canon == "period":
        well, year, month = _period_parts(value)
        return pl.when(well).then(pl.date(year.fill_null(2000),
                                          month.clip(1, 12).fill_null(1), 1))
    lookup = {code.lower(): code for code in _allowed(sheet, canon)}
    return value.str.to_lowercase().replace_strict(lookup, default=None,
                                                   return_dtype=pl.String)


@cell_rule("empty_cell")
def empty_cell(cell: Cell) -> pl.Expr:
    return (cell.value == "") & ~cell.skip


def _count_params(cell: Cell) -> dict:
    max_count = cell.sheet.contract.max_count
    return {"max_count": max_count, "per_value": lambda text: dict(zip(
        ("reason_en", "reason_pt"), count_reason(text, max_count), strict=True))}


@cell_rule("bad_count", applies=lambda canon: canon == "count", params=_count_params)
def bad_count(cell: Cell) -> pl.Expr:
    ok = (cell.value.str.contains(r"^\d+$") & cell.norm.is_not_null()
          & (cell.norm <= cell.sheet.contract.max_count))
    return cell.live & ~ok


def _period_params(cell: Cell) -> dict:
    """The header as written, and per value the month it most likely means as an example
    (else the latest month that has ended: the current one is refused, rule
    ``period_not_ended``) and why it is not ``YYYY-MM``: a date, a month in another form, or
    neither."""
    current = _latest_ended(cell).strftime("%Y-%m")

    def per_value(text: str) -> dict:
        written = personal_data.month_written_as_date(text)
        why = "other" if written is None else "date" if written[2] else "month"
        example = f"{written[0]:04d}-{written[1]:02d}" if written else current
        return {"example": example, "reason_pt": t(f"val.period.{why}", "pt"),
                "reason_en": t(f"val.period.{why}", "en")}

    return {"written": cell.sheet.header_of(cell.canon), "per_value": per_value}


@cell_rule("bad_period", applies=lambda canon: canon == "period", params=_period_params)
def bad_period(cell: Cell) -> pl.Expr:
    """A period that is not ``YYYY-MM`` (or a first-of-month date, as spreadsheets store a
    month); a date there (``01/10/2026``) is named as such, with the month it gives."""
    return cell.live & ~_period_parts(cell.value)[0]


@cell_rule("period_before_start", applies=lambda canon: canon == "period",
           params=lambda cell: {"first_period": cell.sheet.contract.first_period})
def period_before_start(cell: Cell) -> pl.Expr:
    first = date.fromisoformat(cell.sheet.contract.first_period + "-01")
    return cell.live & _period_parts(cell.value)[0] & (cell.norm < first)


def _this_month(cell: Cell) -> date:
    return date(cell.sheet.today.year, cell.sheet.today.month, 1)


def _latest_ended(cell: Cell) -> date:
    """The first day of the latest month that has ended (Lisbon clock: ``sheet.today``):
    the newest month a return can be handed in for (:func:`period_not_ended`)."""
    return (_this_month(cell) - timedelta(days=1)).replace(day=1)


@cell_rule("period_in_future", applies=lambda canon: canon == "period",
           params=lambda cell: {"current": _this_month(cell).strftime("%Y-%m")})
def period_in_future(cell: Cell) -> pl.Expr:
    return cell.live & _period_parts(cell.value)[0] & (cell.norm > _this_month(cell))


@cell_rule("period_not_ended", applies=lambda canon: canon == "period",
           params=lambda cell: {f"first_{lang}": fmt_date(
               (_this_month(cell) + timedelta(days=31)).replace(day=1), lang)
               for lang in ("pt", "en")})
def period_not_ended(cell: Cell) -> pl.Expr:
    """The current month: a monthly return counts a whole month, so it is handed in once the
    month has ended (a return sent on the 2nd would count two days as the month)."""
    return cell.live & _period_parts(cell.value)[0] & (cell.norm == _this_month(cell))


@cell_rule("partner_not_registered", applies=lambda canon: canon == "partner",
           params=lambda cell: {"allowed": ", ".join(_allowed(cell.sheet, cell.canon))})
def partner_not_registered(cell: Cell) -> pl.Expr:
    return cell.live & cell.norm.is_null()


def _code_params(cell: Cell) -> dict:
    """The column's label and its allowed codes; a district's codes with their names
    ("PT-11 = Lisboa"), and per value, when it is a district's name (any case, accents or
    not), the code to use instead ("use PT-11 para Lisboa")."""
    col = cell.sheet.contract.columns[cell.canon]
    codes = list(_allowed(cell.sheet, cell.canon))
    params = {"label_en": col.label_en, "label_pt": col.label_pt}
    if cell.canon != "district":
        return params | {"allowed_pt": _short_list(codes), "allowed_en": _short_list(codes),
                         "hint_pt": "", "hint_en": ""}
    from indicators.contract.labels import code_labels

    labels = code_labels("district")
    named = {lang: _short_list([f"{c} = {labels.get(c, (c, c))[i]}" for c in codes])
             for i, lang in enumerate(("pt", "en"))}

    names = _district_names()

    def per_value(text: str) -> dict:
        code = names.get(normalise_header(text))
        return {f"hint_{lang}": t("val.code.use", lang, code=code,
                                  name=labels[code][i]) if code in labels else ""
                for i, lang in enumerate(("pt", "en"))}

    return params | {"allowed_pt": named["pt"], "allowed_en": named["en"],
                     "per_value": per_value}


def _district_names() -> dict[str, str]:
    """A district's names as a partner may write them (Portuguese, English, short; compared
    without case or accents) -> its code."""
    return {normalise_header(name): d.code for d in reference.districts()
            for name in (d.name_pt, d.name_en, d.short_name)}


@cell_rule("unknown_code", applies=lambda canon: _is_code_column(canon) and canon != "partner",
           params=_code_params)
def unknown_code(cell: Cell) -> pl.Expr:
    return cell.live & cell.norm.is_null()


# --- table rules ------------------------------------------------------------------------

def _partners(s: Sheet) -> set[str]:
    if s.checked is None or "n:partner" not in s.checked.columns:
        return set()
    return set(s.checked.get_column("n:partner").drop_nulls().unique().to_list())


@table_rule("return_type_not_allowed")
def return_type_not_allowed(s: Sheet) -> None:
    assert s.spec is not None
    registry = {p.code: p for p in reference.partners()}
    for code in sorted(_partners(s)):
        if s.spec.name not in registry[code].returns:
            s.report("return_type_not_allowed", column=s.header_of("partner"), value=code,
                     return_type=s.spec.name,
                     allowed=", ".join(sorted(registry[code].returns)))


@table_rule("duplicate_key")
def duplicate_key(s: Sheet) -> None:
    """Two rows with the same cell key (both named: the repeat points at the first), with
    the whole key: it is made of contract codes, so it is never cut short."""
    if s.checked is None or not s.totals.get("duplicates"):
        return
    assert s.spec is not None
    key_names = [f"n:{c}" for c in s.spec.key_columns]
    keyed = s.checked.filter(pl.all_horizontal(pl.col(key_names).is_not_null())
                             ).with_columns(pl.col(ROW).min().over([*s.scope, *key_names])
                                            .alias("first"))
    repeats = keyed.filter(pl.col(ROW) != pl.col("first"))
    room = s.out.room("duplicate_key")
    for rec in repeats.head(room).iter_rows(named=True):
        text = ", ".join(f"{c}={_key_text(rec['n:' + c])}" for c in s.spec.key_columns
                         if c != "partner")
        s.report("duplicate_key", row=rec[ROW], value=text, first_row=rec["first"],
                 value_limit=None)
    s.out.overflow("duplicate_key", max(repeats.height - room, 0))


# --- the sheet --------------------------------------------------------------------------

def map_headers(s: Sheet) -> None:
    """Headers -> contract columns, the return type, and what does not belong to it."""
    for i, header in enumerate(s.headers):
        if header == "":
            if s.n_rows and (s.df.get_column(f"c{i}") != "").any():
                s.unknown.append((i, ""))
            continue
        canon = s.contract.canonical_column(header)
        if canon is None:
            s.unknown.append((i, header))
        elif canon in s.mapping:
            s.duplicates.setdefault(canon, [s.headers[s.mapping[canon]]]).append(header)
        else:
            s.mapping[canon] = i
    return_type = _return_type(s.raw, set(s.mapping), s.contract)
    s.spec = s.contract.returns.get(return_type) if return_type else None
    for canon in [c for c in s.mapping if s.spec and c not in s.spec.columns]:
        i = s.mapping.pop(canon)
        s.unknown.append((i, s.headers[i]))
    _likely_renames(s)


def _likely_renames(s: Sheet) -> None:
    """``s.renamed``: each unknown header that most likely means a column of the return
    type that the sheet lacks (the first such header per column; never a header that
    looks like personal data)."""
    if s.spec is None:
        return
    for i, header in sorted(s.unknown):
        if not header or personal_data.detect(header):
            continue
        canon = s.contract.likely_column(header)
        if (canon in s.spec.columns and canon not in s.mapping
                and canon not in s.renamed.values()):
            s.renamed[i] = canon


def flag_cells(s: Sheet) -> dict[str, tuple[str, str, dict]]:
    """Every cell rule of every mapped column in one pass: ``s.checked`` gets the normalised
    values ``n:<column>`` and one boolean column per (rule, column); returns, per flag
    column, (rule, contract column, message parameters)."""
    assert s.spec is not None
    norms: list[pl.Expr] = []
    flags: dict[str, tuple[str, str, dict]] = {}  # flag column -> (rule, canon, params)
    flag_exprs: list[pl.Expr] = []
    for canon in [c for c in s.spec.columns if c in s.mapping]:
        i = s.mapping[canon]
        norm = normalised(s, canon, pl.col(f"c{i}"))
        norms.append(norm.alias(f"n:{canon}"))
        cell = Cell(sheet=s, canon=canon, value=pl.col(f"c{i}"), norm=norm, skip=s.skip(i))
        for rule in CELL_RULES:
            if rule.applies(canon):
                flags[f"{rule.name}:{canon}"] = (rule.name, canon, rule.params(cell))
                flag_exprs.append(rule.check(cell).alias(f"{rule.name}:{canon}"))
    s.checked = s.df.with_columns(norms).with_columns(flag_exprs)
    return flags


def summarise(s: Sheet, flags: dict[str, tuple[str, str, dict]]) -> None:
    """``s.totals``: how many cells each flag marks, and whether a cell key repeats (within
    one file: ``s.scope``)."""
    assert s.spec is not None and s.checked is not None
    key_names = [f"n:{c}" for c in s.spec.key_columns]
    summary = [pl.col(list(flags)).sum()]
    if all(k in s.checked.columns for k in key_names):
        summary.append(pl.struct([*s.scope, *key_names]).is_duplicated().any()
                       .alias("duplicates"))
    s.totals = s.checked.select(summary).row(0, named=True)


def _check_cells(s: Sheet) -> None:
    """Every cell rule of every mapped column in one pass; report the flags that fire."""
    flags = flag_cells(s)
    summarise(s, flags)
    assert s.checked is not None
    for name, (rule, canon, params) in flags.items():
        if s.totals[name]:
            _emit(s.out, rule, s.checked.filter(pl.col(name)), f"c{s.mapping[canon]}",
                  s.file, s.header_of(canon), s.where, **params)


def canonical_table(s: Sheet, checked: pl.DataFrame, *keep: str) -> pl.DataFrame:
    """The contract columns of checked rows, typed (plus the ``keep`` columns first)."""
    assert s.spec is not None
    return checked.select(*keep, *(pl.col(f"n:{c}").alias(c) for c in s.spec.columns)
                          ).with_columns(pl.col("count").cast(pl.Int64),
                                         pl.col("period").cast(pl.Date))


def check_sheet(sheet: RawSheet, file: str, contract: Contract, today: date,
                out: Collector) -> SheetResult:
    """Apply every registered rule to one sheet (or a CSV file).

    Cell rules are computed as boolean flag columns in one polars pass; only the flags that
    fire are turned into (at most ``cap``) problems, so a valid file costs one pass.
    """
    before = out.total
    skips = _scan_cells(sheet.cells, sheet.headers, contract, file, {"sheet": sheet.name}, out)
    s = Sheet(raw=sheet, file=file, contract=contract, today=today, out=out,
              df=sheet.cells.hstack(skips) if skips.width else sheet.cells)
    map_headers(s)
    if s.spec is None and sheet.name is not None:  # a sheet that is no return type: its
        unknown_return_type(s)                     # cells are no columns, only "remove it"
        return SheetResult(return_type=None, n_rows=s.n_rows)
    for _, rule, needs_return_type in SHEET_RULES:
        if not needs_return_type:
            rule(s)
    if s.spec is None:
        unknown_return_type(s)
        return SheetResult(return_type=None, n_rows=s.n_rows)
    for _, rule, needs_return_type in SHEET_RULES:
        if needs_return_type:
            rule(s)
    if not s.n_rows:
        return SheetResult(return_type=s.spec.name, n_rows=0)
    _check_cells(s)
    for _, rule in TABLE_RULES:
        rule(s)
    result = SheetResult(return_type=s.spec.name, n_rows=s.n_rows, partners=_partners(s))
    if out.total == before:
        assert s.checked is not None
        result.table = canonical_table(s, s.checked)
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
