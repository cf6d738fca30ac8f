"""The outsider's model of a release: every published count, and every relation among them
that the public methodology makes known.

Built from the published values alone (``published.indicator_values``) and the registry
(hierarchies, derived-value methods), never from the suppression code or the protection
problems: this is what a reader working from the release file can write down.

Cells are the counts of indicators under a small-cell rule, keyed by (indicator, grain,
period_label, geo, breakdown, breakdown_code). A cell is *published* (value known),
*suppressed* (flag ``c``: the reader knows it is at least 1 when zeros are published, else 0)
or *never published* (part of a relation but not in the release: at least 0). Relations are
``whole = sum of parts``:

* time: year = its quarters = its months; quarter = its months; year to date and rolling
  12 months = their months (also where the months are not published, e.g. by district: the
  year-to-date sums of a year and its quarters are linked through their months);
* status: persons signalled = presumed + confirmed + not confirmed; every person has one
  status, one district and one month, so where a period's status split is published anywhere
  (e.g. nationally by quarter) every signalled cell of that period (e.g. each district's
  quarter) is split too, into never-published parts linked to the published ones (the
  district x quarter x status cube the three published tables district x quarter, district x
  status and quarter x status are margins of; see :func:`_status`);
* geography: national = the districts + abroad + unknown;
* breakdowns: total = the top codes of a breakdown; a group = its codes (age, exploitation,
  support, country -> citizenship group); support "migration" types = migrants assisted;
  persons supported = migrants assisted + those without migration support (never published);
* derived values: a published rate, share or change publishes its numerator and
  denominator (sums of counts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import polars as pl

from indicators.contract import load_contract
from indicators.reference import countries
from indicators.registry import Registry

KEY = ("indicator", "grain", "period_label", "geo", "breakdown", "breakdown_code")
GRAINS = ("month", "quarter", "year", "ytd", "r12")
STATUS_PARTS = {"THB_SIGNALLED": ("THB_PRESUMED", "THB_CONFIRMED", "THB_NOT_CONFIRMED")}
# persons supported = migrants assisted + persons without any migration support type
NOT_MIGRATION = "EEA_VICTIMS_SUPPORTED~NOT_MIGRATION"
SUPPORTED, MIGRANTS = "EEA_VICTIMS_SUPPORTED", "EEA_MIGRANTS_ASSISTED"
RETURN_TYPE = {"EEA_VICTIMS_SUPPORTED": "support", "EEA_MIGRANTS_ASSISTED": "support",
               NOT_MIGRATION: "support", "EEA_VICTIMS_INTERVIEWED": "activities"}

Key = tuple[str, str, str, str, str, str]


@dataclass
class Relation:
    """``sum(coef * cell) = rhs`` and where it comes from (for explanations)."""

    terms: dict[int, float]
    rhs: float
    source: str


@dataclass
class ReaderModel:
    keys: list[Key]
    value: np.ndarray          # published value (nan when suppressed or never published)
    suppressed: np.ndarray     # bool: flagged c
    threshold: np.ndarray      # k of the cell's indicator
    zeros_publishable: np.ndarray
    relations: list[Relation] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.keys)

    def describe(self, i: int) -> str:
        ind, grain, period, geo, bd, code = self.keys[i]
        where = "" if bd == "_T" else f" {bd}={code}"
        return f"{ind} {grain} {period} {geo}{where}"


class _Builder:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.index: dict[Key, int] = {}
        self.keys: list[Key] = []
        self.value: list[float] = []
        self.suppressed: list[bool] = []
        self.relations: list[Relation] = []

    def cell(self, key: Key, value: float = np.nan, suppressed: bool = False) -> int:
        i = self.index.get(key)
        if i is None:
            i = self.index[key] = len(self.keys)
            self.keys.append(key)
            self.value.append(value)
            self.suppressed.append(suppressed)
        return i

    def relate(self, whole: Key, parts: list[Key], source: str, always: bool = False) -> None:
        """whole = sum(parts), when the whole and at least one part are in the release (or,
        ``always``, when the whole is); parts missing from the release are never-published
        unknowns."""
        if whole not in self.index or not (always or not self.index.keys().isdisjoint(parts)):
            return
        index = self.index
        terms: dict[int, float] = {index[whole]: 1.0}
        for p in parts:
            j = index.get(p)
            if j is None:
                j = self.cell(p)
            terms[j] = terms.get(j, 0.0) - 1.0
        self.relations.append(Relation(terms, 0.0, source))

    def fact(self, parts: list[Key], value: float, source: str) -> None:
        terms: dict[int, float] = {}
        for p in parts:
            j = self.cell(p)
            terms[j] = terms.get(j, 0.0) + 1.0
        self.relations.append(Relation(terms, float(value), source))


def protected_counts(registry: Registry) -> dict[str, tuple[int, bool]]:
    """Indicator code -> (k, zeros publishable) for the counts under a small-cell rule."""
    return {i.code: (int(i.disclosure.threshold), bool(i.disclosure.zeros_publishable))
            for i in registry.counts() if i.disclosure.applies}


def reader_model(values: pl.DataFrame, registry: Registry,
                 eea_results: pl.DataFrame | None = None) -> ReaderModel:
    """The reader's model of the published ``values`` (columns of indicator_values) and,
    if given, of the published EEA Grants results (``published.eea_results``)."""
    rules = protected_counts(registry)
    b = _Builder(registry)
    counts = values.filter(pl.col("indicator").is_in(list(rules))
                           & pl.col("grain").is_in(list(GRAINS)))
    for row in counts.select(*KEY, "value", "flags").iter_rows():
        key, value, flags = row[:6], row[6], row[7] or ""
        hidden = value is None or "c" in flags
        b.cell(key, np.nan if hidden else float(value), "c" in flags)
    _never_published(b)
    published = list(b.keys)
    _time(b, published)
    parts = _status(b, published)
    _geography(b, published + parts)
    _breakdowns(b, published)
    _migration(b, published)
    _derived(b, values, registry)
    if eea_results is not None and not eea_results.is_empty():
        _achieved(b, eea_results, registry, set(rules))
    k = np.array([rules.get(_base(key[0]), (1, True))[0] for key in b.keys], dtype=np.int64)
    zeros = np.array([rules.get(_base(key[0]), (1, True))[1] for key in b.keys], dtype=bool)
    return ReaderModel(b.keys, np.array(b.value, dtype=float), np.array(b.suppressed, bool),
                       k, zeros, b.relations)


def _base(indicator: str) -> str:
    return SUPPORTED if indicator == NOT_MIGRATION else indicator


def _never_published(b: _Builder) -> None:
    """Persons supported without migration support: one unknown per supported cell."""
    for key in list(b.keys):
        if key[0] == SUPPORTED and key[4] in ("_T", "sex"):
            b.cell((NOT_MIGRATION, *key[1:]))


# ---------------------------------------------------------------- relations


@lru_cache(maxsize=4096)
def _months(year: int, first: int, last: int) -> tuple[str, ...]:
    return tuple(f"{year:04d}-{m:02d}" for m in range(first, last + 1))


@lru_cache(maxsize=4096)
def _window(label: str) -> tuple[str, ...]:
    start, end = label.split("..")
    y, m = int(start[:4]), int(start[5:7])
    out = []
    while True:
        out.append(f"{y:04d}-{m:02d}")
        if out[-1] == end[:7] or len(out) > 24:
            return tuple(out)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _time(b: _Builder, keys: list[Key]) -> None:
    for ind, grain, period, geo, bd, code in keys:
        rest = (geo, bd, code)
        whole = (ind, grain, period, *rest)
        if grain == "year":
            y = int(period)
            b.relate(whole, [(ind, "quarter", f"{y}-Q{q}", *rest) for q in range(1, 5)],
                     "year = its quarters")
            b.relate(whole, [(ind, "month", m, *rest) for m in _months(y, 1, 12)],
                     "year = its months")
        elif grain == "quarter":
            # always: by district the months are not published, yet a quarter and the year to
            # date at its end are the same months (the year-to-date sums of one year are
            # linked through their never-published months)
            y, q = int(period[:4]), int(period[-1])
            b.relate(whole, [(ind, "month", m, *rest) for m in _months(y, 3 * q - 2, 3 * q)],
                     "quarter = its months", always=True)
        elif grain in ("ytd", "r12"):
            b.relate(whole, [(ind, "month", m, *rest) for m in _window(period)],
                     f"{grain} = its months", always=True)


def _status(b: _Builder, keys: list[Key]) -> list[Key]:
    """``signalled = presumed + confirmed + not confirmed`` for every signalled cell with a
    status part in the release, and for every one of a period whose status split is
    published somewhere; its parts missing from the release are never-published cells, with
    ``year = its quarters`` among them (the caller adds ``national = districts``). Returns
    the new cells.

    The second case is the district x quarter x status cube the published tables district
    x quarter, district x status (by year) and quarter x status (national) are margins of:
    they form a cycle, and a reader who writes the cube down bounds more than the published
    cells linked pairwise. Example: nobody confirmed nationally in Q1-Q3 and a district with
    3 persons in Q4 bounds that district's yearly confirmed count to at most 3. Elsewhere the
    published tables meet in one shared margin (a decomposable model) and the relations
    already give the reader all it can know."""
    split = {k[1:3] for k in keys for parts in STATUS_PARTS.values() if k[0] in parts}
    new: list[Key] = []
    for key in keys:
        parts = STATUS_PARTS.get(key[0])
        if parts:
            before = len(b.keys)
            b.relate(key, [(p, *key[1:]) for p in parts],
                     "signalled = presumed + confirmed + not confirmed",
                     always=key[1:3] in split)
            new.extend(b.keys[before:])
    for ind, year, *rest in sorted({(k[0], k[2][:4], *k[3:]) for k in new
                                    if k[1] == "quarter"}):
        b.relate((ind, "year", year, *rest),
                 [(ind, "quarter", f"{year}-Q{q}", *rest) for q in range(1, 5)],
                 "year = its quarters")
    return new


def _geography(b: _Builder, keys: list[Key]) -> None:
    geos = list(load_contract().geo_codes)
    for key in keys:
        if key[3] == "PT":
            b.relate(key, [(*key[:3], g, *key[4:]) for g in geos],
                     "national = districts + abroad + unknown")


def _hierarchy(registry: Registry, indicator: str, breakdown: str) -> dict[str, str]:
    """code -> parent code ('_T' at the top) of a breakdown, as the methodology publishes it."""
    if breakdown == "citizenship":  # groups as in sql/marts/victims.sql
        return ({c.iso2: c.group for c in countries()}
                | load_contract().columns["citizenship"].extra_code_groups)
    rtype = RETURN_TYPE.get(indicator, "victims")
    if breakdown == "citizenship_group":
        codes: tuple[str, ...] = load_contract().citizenship_groups
    else:
        codes = tuple(load_contract().allowed_codes(breakdown, rtype) or ())
    return registry.parents(breakdown, codes)


def _group_key(key: Key, breakdown: str, group: str) -> Key:
    """Where a group of a breakdown is published."""
    ind, grain, period, geo = key[:4]
    if breakdown == "citizenship":
        return (ind, grain, period, geo, "citizenship_group", group)
    if breakdown == "support" and group == "MIGRATION":
        return (MIGRANTS, grain, period, geo, "_T", "_T")
    if group == "_T":
        return (ind, grain, period, geo, "_T", "_T")
    return (ind, grain, period, geo, breakdown, group)


def _breakdowns(b: _Builder, keys: list[Key]) -> None:
    # every order here is given by content (sorted), never by set iteration, which follows
    # the process's string-hash seed: the model's numbering, the audit's components and their
    # explanations are then the same in every process
    series = sorted({(k[0], k[4]) for k in keys if k[4] != "_T"})
    slices = sorted({k[:4] for k in keys})
    listed = {(k[0], k[4], k[5]) for k in keys}  # membership only
    for ind, bd in series:
        parents = _hierarchy(b.registry, ind, bd)
        if bd == "citizenship":  # every country with a victim in the years is listed
            parents = {c: g for c, g in parents.items() if (ind, bd, c) in listed}
        children: dict[str, list[str]] = {}
        for code, parent in parents.items():
            children.setdefault(parent, []).append(code)
        for head in slices:
            if head[0] != ind:
                continue
            for group, codes in children.items():
                whole = _group_key((*head, bd, group), bd, group)
                parts = [(*head, bd, c) if c not in children or bd == "citizenship"
                         else _group_key((*head, bd, c), bd, c) for c in codes]
                b.relate(whole, parts, f"{bd}: {group} = its codes")


def _migration(b: _Builder, keys: list[Key]) -> None:
    for key in keys:
        if key[0] == SUPPORTED and key[4] in ("_T", "sex"):
            b.relate(key, [(MIGRANTS, *key[1:]), (NOT_MIGRATION, *key[1:])],
                     "supported = migrants assisted + without migration support")


def _achieved(b: _Builder, eea: pl.DataFrame, registry: Registry, protected: set[str]) -> None:
    """A published "achieved to date" is the sum of the indicator from the results start to
    the reporting month: whole years, then the months of the last year."""
    from datetime import date

    from indicators.eea_results import _components

    start = registry.results_start
    rows = eea.filter(pl.col("indicator").is_in(list(protected))
                      & pl.col("achieved").is_not_null())
    for row in rows.iter_rows(named=True):
        label = row["reporting_period"]
        if not re.fullmatch(r"\d{4}-\d{2}", label):
            continue
        as_of = date(int(label[:4]), int(label[5:7]), 1)
        parts = [(row["indicator"], grain, period, "PT", row["breakdown"],
                  row["breakdown_code"]) for grain, period in _components(start, as_of)]
        b.fact(parts, row["achieved"], f"{row['indicator']} achieved to date {label}")


_YEAR = re.compile(r"\d{4}")


def _year_before(label: str) -> str:
    return _YEAR.sub(lambda m: f"{int(m.group()) - 1:04d}", label)


def _derived(b: _Builder, values: pl.DataFrame, registry: Registry) -> None:
    """Numerators and denominators of published derived values are published sums."""
    methods = {i.code: i for i in registry.derived()}
    rows = values.filter(pl.col("indicator").is_in(list(methods))
                         & pl.col("numerator").is_not_null())
    for row in rows.iter_rows(named=True):
        ind = methods[row["indicator"]]
        if ind.base is None:
            continue
        key: Key = (ind.base, row["grain"], row["period_label"], row["geo"],
                    row["breakdown"], row["breakdown_code"])
        num, den = row["numerator"], row["denominator"]
        before = (key[0], key[1], _year_before(key[2]), *key[3:])
        if ind.method == "rate":
            b.fact([key], num, f"{ind.code} numerator")
        elif ind.method == "share" and ind.numerator is not None:
            bd, codes = ind.numerator
            b.fact([(*key[:4], bd, c) for c in codes], num, f"{ind.code} numerator")
            if den is not None:
                b.fact([key], den, f"{ind.code} denominator")
        elif ind.method == "change":
            b.fact([key], num, f"{ind.code} current value")
            if den is not None:
                b.fact([before], den, f"{ind.code} previous value")
        elif ind.method == "change_pct" and den is not None:
            b.fact([before], den, f"{ind.code} previous value")
            b.relations.append(Relation({b.cell(key): 1.0, b.cell(before): -1.0}, float(num),
                                        f"{ind.code} difference"))
