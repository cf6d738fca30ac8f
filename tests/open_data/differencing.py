"""An independent differencing attack on a series of published releases (test code only).

The attacker holds every release and, to be on the safe side, is also told which cells did
not change between releases (same true count): such a cell is ONE unknown across releases.
What the attacker knows, as linear equations over non-negative unknowns:

* every published count (``x = value``) of an indicator under a small-cell rule;
* the additivity of each release: a total is the sum of its categories (leaves, and the
  parents of the registry's hierarchies), the country the sum of its areas, a quarter /
  year / year-to-date / rolling-12 sum the sum of its months, persons signalled the sum of
  presumed, confirmed and not confirmed. A candidate relation is used only when the true
  counts satisfy it (so the attacker is never given a false equation) and every cell in it
  is in the release;
* zeros are published, so a hidden cell with a true count >= 1 is >= 1.

For every confidential cell the attacker's interval comes from linear programming (HiGHS,
minimise and maximise the unknown). A cell is disclosed when the interval pins one value,
or (a count 1 .. k-1) lies inside 1 .. k-1.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import highspy
import numpy as np

Key = tuple[str, str, str, str, str, str]  # indicator, grain, period_label, geo, bd, code
STATUS_SPLIT = ("THB_SIGNALLED", ("THB_PRESUMED", "THB_CONFIRMED", "THB_NOT_CONFIRMED"))


@dataclass
class Published:
    """One release as the attacker and the test see it."""

    cells: dict[Key, tuple[float | None, str]]   # key -> (published value, flags)
    truth: dict[Key, int]                        # key -> true count (test-only knowledge)


@dataclass
class System:
    variables: dict[tuple[Key, int], int] = field(default_factory=dict)
    rows: list[tuple[dict[int, float], float]] = field(default_factory=list)  # Σ a·x = b
    hidden: dict[int, tuple[Key, int]] = field(default_factory=dict)

    def var(self, key: Key, true: int) -> int:
        return self.variables.setdefault((key, true), len(self.variables))


def _months(label: str) -> list[str]:
    start, end = label.split("..")
    y, m = map(int, start.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _breakdown_relations(cell: tuple, dims: dict[str, set[str]],
                         hierarchies: dict[str, dict[str, str]]) -> list[tuple[Key, list[Key]]]:
    """Total = its leaves; total = parents and leaves without a parent; parent = leaves."""
    ind, grain, label, geo = cell
    total = (ind, grain, label, geo, "_T", "_T")
    out = []
    for bd, codes in dims.items():
        tree = hierarchies.get(bd, {})
        parents = {p for p in tree.values() if p in codes}
        leaves = codes - parents
        top = parents | {c for c in leaves if c not in tree}
        out.append((total, [(ind, grain, label, geo, bd, c) for c in sorted(leaves)]))
        out.append((total, [(ind, grain, label, geo, bd, c) for c in sorted(top)]))
        for parent in parents:
            out.append(((ind, grain, label, geo, bd, parent),
                        [(ind, grain, label, geo, bd, c) for c in sorted(leaves)
                         if tree.get(c) == parent]))
    return out


def _time_relations(key: Key) -> list[tuple[Key, list[Key]]]:
    """A quarter, year, year-to-date or rolling-12 sum = its months (a year = its quarters);
    persons signalled = presumed + confirmed + not confirmed."""
    ind, grain, label, geo, bd, code = key
    out: list[tuple[Key, list[Key]]] = []
    if grain == "quarter":
        year, q = label.split("-Q")
        months = [f"{year}-{3 * int(q) - 2 + i:02d}" for i in range(3)]
        out.append((key, [(ind, "month", m, geo, bd, code) for m in months]))
    elif grain == "year":
        out.append((key, [(ind, "month", f"{label}-{m:02d}", geo, bd, code)
                          for m in range(1, 13)]))
        out.append((key, [(ind, "quarter", f"{label}-Q{q}", geo, bd, code)
                          for q in range(1, 5)]))
    elif grain in ("ytd", "r12"):
        out.append((key, [(ind, "month", m, geo, bd, code) for m in _months(label)]))
    if ind == STATUS_SPLIT[0]:
        out.append((key, [(part, grain, label, geo, bd, code) for part in STATUS_SPLIT[1]]))
    return out


def candidate_relations(keys: Iterable[Key], hierarchies: dict[str, dict[str, str]]
                        ) -> list[tuple[Key, list[Key]]]:
    """(whole, parts) candidates over the keys of one release."""
    keys = set(keys)
    out: list[tuple[Key, list[Key]]] = []
    by_cell: dict[tuple, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    by_slice: dict[tuple, set[str]] = defaultdict(set)
    for ind, grain, label, geo, bd, code in keys:
        if bd != "_T":
            by_cell[(ind, grain, label, geo)][bd].add(code)
        by_slice[(ind, grain, label, bd, code)].add(geo)
    for cell, dims in by_cell.items():
        out += _breakdown_relations(cell, dims, hierarchies)
    for (ind, grain, label, bd, code), geos in by_slice.items():
        if "PT" in geos and len(geos) > 1:
            out.append(((ind, grain, label, "PT", bd, code),
                        [(ind, grain, label, g, bd, code) for g in sorted(geos - {"PT"})]))
    for key in keys:
        out += _time_relations(key)
    return out


def build_system(releases: list[Published], hierarchies: dict[str, dict[str, str]]
                 ) -> System:
    system = System()
    for rel in releases:
        def x(key: Key, rel: Published = rel) -> int:
            return system.var(key, rel.truth.get(key, 0))
        for key, (value, flags) in rel.cells.items():
            if "c" in flags:
                system.hidden[x(key)] = (key, rel.truth.get(key, 0))
            elif value is not None:
                system.rows.append(({x(key): 1.0}, float(value)))
        for whole, parts in candidate_relations(rel.cells, hierarchies):
            if whole not in rel.cells or any(p not in rel.cells for p in parts) or not parts:
                continue
            if rel.truth.get(whole, 0) != sum(rel.truth.get(p, 0) for p in parts):
                continue
            coeffs: dict[int, float] = defaultdict(float)
            coeffs[x(whole)] += 1.0
            for part in parts:
                coeffs[x(part)] -= 1.0
            system.rows.append((dict(coeffs), 0.0))
    return system


def _model(system: System) -> highspy.Highs:
    n = len(system.variables)
    lower = np.zeros(n)
    for index, (_key, true) in system.hidden.items():
        lower[index] = 1.0 if true >= 1 else 0.0
    h = highspy.Highs()
    # one thread, as the engine: HiGHS starts one scheduler per process, and an engine
    # model (threads=1) run after a default one in the same process is refused
    h.setOptionValue("threads", 1)
    h.setOptionValue("output_flag", False)
    h.addVars(n, lower, np.full(n, highspy.kHighsInf))
    for coeffs, rhs in system.rows:
        idx = np.array(list(coeffs), dtype=np.int32)
        h.addRow(rhs, rhs, idx.size, idx, np.array(list(coeffs.values())))
    return h


def _range(h: highspy.Highs, cost: dict[int, float]) -> tuple[float, float]:
    """Minimum and maximum of sum(cost[j] * x_j) over the attacker's model."""
    bounds = []
    for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
        h.changeObjectiveSense(sense)
        for j, c in cost.items():
            h.changeColCost(j, c)
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            bounds.append(-math.inf if sense == highspy.ObjSense.kMinimize else math.inf)
        else:
            assert status == highspy.HighsModelStatus.kOptimal, status
            bounds.append(h.getInfo().objective_function_value)
        for j in cost:
            h.changeColCost(j, 0.0)
    return bounds[0], bounds[1]


def intervals(system: System) -> dict[int, tuple[float, float]]:
    """The attacker's LP interval of every hidden unknown."""
    h = _model(system)
    return {index: _range(h, {index: 1.0}) for index in system.hidden}


def revisions(releases: list[Published], hierarchies: dict[str, dict[str, str]],
              k: int) -> list[str]:
    """Revisions of 1 .. k-1 persons the attacker proves: for a cell whose true count differs
    between releases by 1 .. k-1 (two unknowns of one key), the LP interval of their
    difference lies inside 1 .. k-1 (or -(k-1) .. -1). The difference of two releases is a
    table of the persons a late or corrected return added or removed."""
    system = build_system(releases, hierarchies)
    by_key: dict[Key, list[tuple[int, int]]] = defaultdict(list)
    for (key, true), index in system.variables.items():
        by_key[key].append((true, index))
    h = _model(system)
    found = []
    for key, versions in sorted(by_key.items()):
        for true_a, a in versions:
            for true_b, b in versions:
                if not 1 <= true_a - true_b <= k - 1:
                    continue
                low, high = _range(h, {a: 1.0, b: -1.0})
                lo = low if math.isinf(low) else math.ceil(low - 1e-6)
                hi = high if math.isinf(high) else math.floor(high + 1e-6)
                if lo >= 1 and hi <= k - 1:
                    found.append(f"{key} {true_b} -> {true_a}: attacker proves a change "
                                 f"of [{lo}, {hi}]")
    return found


@dataclass(frozen=True)
class Findings:
    small: list[str]                   # counts 1 .. k-1 pinned or bounded inside 1 .. k-1
    pinned: set[tuple[Key, int]]       # hidden (cell, true count) pinned to one value


def attack(releases: list[Published], hierarchies: dict[str, dict[str, str]],
           k: int) -> Findings:
    """What the attacker proves about every confidential cell of ``releases`` together."""
    system = build_system(releases, hierarchies)
    small, pinned = [], set()
    for index, (low, high) in intervals(system).items():
        key, true = system.hidden[index]
        lo = math.ceil(low - 1e-6)
        hi = high if math.isinf(high) else math.floor(high + 1e-6)
        if lo == hi:
            pinned.add((key, true))
        if 1 <= true < k and (lo == hi or (lo >= 1 and hi <= k - 1)):
            small.append(f"{key} true={true}: attacker proves [{lo}, {hi}]")
    return Findings(small, pinned)


def published_counts(releases: list[Published]) -> set[tuple[Key, int]]:
    """(cell, true count) pairs some release published: public knowledge, not a secret."""
    return {(key, rel.truth.get(key, 0)) for rel in releases
            for key, (value, flags) in rel.cells.items() if "c" not in flags and
            value is not None}
