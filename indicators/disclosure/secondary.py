"""Secondary suppression: a fast equation heuristic, then an LP audit-and-repair loop.

1. Heuristic over the additivity equations of the (linked) table, repeated until stable:
   - singleton rule: no equation may hold exactly one hidden cell (it would be derivable);
     add the cheapest other term;
   - capacity rule: for a confidential cell whose equation has a published total, the hidden
     cells of that equation must leave room for the cell to reach k (with zeros published,
     every other hidden cell takes at least 1).
2. Repair: a persistent HiGHS model of the reader (unknowns = inner cells); for every
   confidential cell still provably inside 1..k-1 (or exactly derivable), suppress the
   cheapest published cell whose equation binds the reader's bound (non-zero dual), and
   re-check in the next round. Hiding more cells only widens what the reader must consider,
   so a cell once protected stays protected.
3. Screening (no LP where a cheap proof exists): a witness, a whole-number table of the
   reader's model checked exactly, where the cell reaches max(k, count + 1) proves it
   protected (witnesses come from integral LP/IP solutions; batch integer programs over many
   cells, lp.search_witnesses, serve the audit); an LP point of an earlier check where the
   cell reaches its need shows the LP maximum reaching it (lp.RelaxedPool: no LP for that
   cell); and an integer program runs only when the LP maximum's floor reaches that need
   (below it the answer is "exposed" either way).
"""

from __future__ import annotations

import math

import numpy as np

from indicators.disclosure.lp import (
    TOL,
    PersistentModel,
    RelaxedPool,
    WitnessPool,
    gather,
    search_witnesses,
)
from indicators.disclosure.primary import Policy
from indicators.disclosure.tables import FullTable, equations

GRAND_TOTAL_COST = 1e9
# Hiding a total costs more than hiding its parts: readers need the margins (the national
# monthly series, a district's total) more than the inner cells of a cross-classification.
COST_PER_LEVEL = 10.0


class Engine:
    def __init__(self, table: FullTable, policy: Policy) -> None:
        self.t = table
        self.policy = policy
        self.k = policy.threshold
        counts = table.counts
        self.eligible = counts > 0 if policy.zeros_publishable else np.ones(counts.size, bool)
        level = table.is_aggregate().sum(axis=1)
        self.cost = (counts.astype(float) + 0.5) * COST_PER_LEVEL**level
        self.cost[table.grand_total()] += GRAND_TOTAL_COST
        self.eq_ptr, self.eq_idx = equations(table)
        n_eq = self.eq_ptr.size - 1
        eq_of_term = np.repeat(np.arange(n_eq), np.diff(self.eq_ptr))
        order = np.argsort(self.eq_idx, kind="stable")
        self.cell_eq = eq_of_term[order]
        self.cell_eq_ptr = np.zeros(table.n_cells + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.eq_idx, minlength=table.n_cells), out=self.cell_eq_ptr[1:])
        self.model: PersistentModel | None = None
        # never-published cells: the reader knows only that they are >= 0 (see protect)
        self.unpublished = np.zeros(counts.size, dtype=bool)
        # protection levels (see protect's ``levels``): a hidden cell is protected when the
        # reader's maximum reaches max(k, count + 1, level)
        self.levels = np.zeros(counts.size, dtype=np.int64)

    def need(self, cells: np.ndarray | int) -> np.ndarray | int:
        """What the reader's maximum of each of ``cells`` must reach: max(k, count + 1,
        level)."""
        need = np.maximum(np.maximum(self.k, self.t.counts[cells] + 1), self.levels[cells])
        return int(need) if np.ndim(need) == 0 else need

    # ---- heuristic -------------------------------------------------------------------
    def terms(self, eq: int) -> np.ndarray:
        return self.eq_idx[self.eq_ptr[eq] : self.eq_ptr[eq + 1]]

    def eqs_of(self, cell: int) -> np.ndarray:
        return self.cell_eq[self.cell_eq_ptr[cell] : self.cell_eq_ptr[cell + 1]]

    def cheapest(self, cells: np.ndarray, hidden: np.ndarray, need: float = 0.0) -> int:
        """Cheapest eligible published cell among ``cells`` with count >= need (else largest)."""
        cand = cells[self.eligible[cells] & ~hidden[cells]]
        if cand.size == 0:
            return -1
        enough = cand[self.t.counts[cand] >= need]
        if enough.size:
            return int(enough[np.argmin(self.cost[enough])])
        return int(cand[np.argmax(self.t.counts[cand] - self.cost[cand] * 1e-12)])

    def closing(self, eq: int, cells: np.ndarray, hidden: np.ndarray, width: int = 6) -> int:
        """Complement for a lone hidden cell in ``eq``, with one step of look-ahead.

        Hiding x leaves x alone in each of its other equations that has no hidden cell yet;
        each such equation will cost at least its cheapest other term. Equations that already
        hold one hidden cell are closed by x for free. This turns the greedy choice towards
        rectangles (4 cells) instead of long cycles.
        """
        cand = cells[self.eligible[cells] & ~hidden[cells]]
        if cand.size == 0:
            return -1
        cand = cand[np.argsort(self.cost[cand], kind="stable")[:width]]
        best, best_score = -1, math.inf
        for x in cand:
            score = self.cost[x]
            for other in self.eqs_of(int(x)):
                if other == eq:
                    continue
                terms = self.terms(int(other))
                if hidden[terms].any():
                    continue
                rest = terms[(terms != x) & self.eligible[terms]]
                score += self.cost[rest].min() if rest.size else GRAND_TOTAL_COST
            if score < best_score:
                best, best_score = int(x), score
        return best

    def heuristic(self, hidden: np.ndarray, confidential: np.ndarray) -> np.ndarray:
        hidden = hidden.copy()
        counts = self.t.counts
        one = 1 if self.policy.zeros_publishable else 0
        for _ in range(1000):
            changed = False
            for p in np.flatnonzero(confidential):
                for eq in self.eqs_of(p):
                    terms = self.terms(eq)
                    parent, children = terms[0], terms[1:]
                    if p == parent or hidden[parent]:
                        continue
                    while True:
                        h = children[hidden[children]]
                        room = counts[h].sum() - one * (h.size - 1)
                        if room >= self.need(p):
                            break
                        need = self.need(p) - room + one
                        x = self.cheapest(children, hidden, need)
                        if x < 0:
                            if self.eligible[parent]:
                                hidden[parent] = True
                                changed = True
                            break
                        hidden[x] = True
                        changed = True
            if self.eq_ptr.size > 1:
                n_hidden = np.add.reduceat(hidden[self.eq_idx].astype(np.int64), self.eq_ptr[:-1])
                for eq in np.flatnonzero(n_hidden == 1):
                    terms = self.terms(eq)
                    if hidden[terms].sum() != 1:
                        continue
                    x = self.closing(int(eq), terms[1:], hidden)
                    if x < 0:
                        x = self.cheapest(terms[:1], hidden)
                    if x >= 0:
                        hidden[x] = True
                        changed = True
            if not changed:
                break
        return hidden

    # ---- LP repair ---------------------------------------------------------------------
    def build_model(self, hidden: np.ndarray) -> None:
        """One row per distinct set of unknowns: cells with the same free inner cells (a region
        with one district, totals over zeros) are one equation, published if any of them is."""
        t = self.t
        fixed = np.zeros(t.n_inner, dtype=bool)
        if self.policy.zeros_publishable:  # zero cells are always published
            for c in np.flatnonzero(t.counts == 0):
                fixed[t.members(c)] = True
        col_of = np.full(t.n_inner, -1, dtype=np.int64)
        free = np.flatnonzero(~fixed)
        col_of[free] = np.arange(free.size)
        self.known = t.inner_counts[free].astype(float)  # the true table: a whole-number point
        cols = col_of[t.member_idx]
        owner = np.repeat(np.arange(t.n_cells), np.diff(t.member_ptr))
        keep = cols >= 0
        owner, cols = owner[keep], cols[keep]
        order = np.lexsort((cols, owner))
        owner, cols = owner[order], cols[order]
        per_cell = np.bincount(owner, minlength=t.n_cells)
        self.cols_ptr = np.concatenate([[0], np.cumsum(per_cell)]).astype(np.int64)
        self.cols = cols
        group_of_key: dict[bytes, int] = {}
        self.group = np.full(t.n_cells, -1, dtype=np.int64)
        for c in np.flatnonzero(per_cell > 0):
            key = cols[self.cols_ptr[c] : self.cols_ptr[c + 1]].tobytes()
            self.group[c] = group_of_key.setdefault(key, len(group_of_key))
        n_groups = len(group_of_key)
        in_group = np.flatnonzero(self.group >= 0)
        by_group = in_group[np.argsort(self.group[in_group], kind="stable")]
        self.group_ptr = np.concatenate(
            [[0], np.cumsum(np.bincount(self.group[in_group], minlength=n_groups))]
        )
        self.group_cells = by_group
        first = by_group[self.group_ptr[:-1]]
        row_ptr = np.concatenate([[0], np.cumsum(per_cell[first])]).astype(np.int64)
        row_idx = (
            np.concatenate([cols[self.cols_ptr[c] : self.cols_ptr[c + 1]] for c in first])
            if n_groups
            else np.zeros(0, np.int64)
        )
        self.n_published = np.bincount(
            self.group[in_group], weights=~hidden[in_group], minlength=n_groups
        ).astype(np.int64)
        counts = t.counts[first].astype(float)
        lower, upper = self._bounds(self.n_published == 0, counts)
        only_unpublished = np.bincount(
            self.group[in_group], weights=~self.unpublished[in_group], minlength=n_groups
        ) == 0
        lower[only_unpublished] = 0.0
        self._make_model(row_ptr, row_idx, lower, upper, int(free.size))
        self.passed: dict[int, int] = {}  # model row -> the need its maximum was shown to reach
        self.passed_low: set[int] = set()  # rows protected by their minimum (no level)
        self.witnesses = WitnessPool(int(free.size))
        self.relaxed = RelaxedPool(int(free.size))

    def _make_model(self, row_ptr: np.ndarray, row_idx: np.ndarray, lower: np.ndarray,
                    upper: np.ndarray, n_cols: int) -> None:
        """The reader's model with only the rows that bind: a group of one unknown is that
        unknown's bounds, and a hidden group whose ``>= lower`` its unknowns' lower bounds
        already imply is left out. Same feasible set (so the same bounds and witnesses) on
        about a third of the rows. Stays exact as cells are hidden (see :meth:`hide`): an
        unknown's lower bound only moves from its count to the hidden lower bound, and
        both are >= 1 when zeros are published (else a hidden row's lower bound is 0, which
        the unknowns being >= 0 imply); a hidden group stays hidden."""
        n_terms = np.diff(row_ptr)
        single = n_terms == 1
        self.single_col = np.full(n_terms.size, -1, dtype=np.int64)
        self.single_col[single] = row_idx[row_ptr[:-1][single]]
        col_lower, col_upper = np.zeros(n_cols), np.full(n_cols, math.inf)
        col_lower[self.single_col[single]] = lower[single]
        col_upper[self.single_col[single]] = upper[single]
        implied = np.zeros(n_terms.size, dtype=bool)
        if row_idx.size:
            implied = np.add.reduceat(col_lower[row_idx], row_ptr[:-1]) >= lower
        active = np.flatnonzero(~single & ~(implied & np.isinf(upper)))
        self.model_row = np.full(n_terms.size, -1, dtype=np.int64)
        self.model_row[active] = np.arange(active.size)
        sub_ptr = np.concatenate([[0], np.cumsum(n_terms[active])]).astype(np.int64)
        sub_idx = gather(row_idx, row_ptr[active], n_terms[active])
        self.model = PersistentModel(n_cols, sub_ptr, sub_idx, lower[active], upper[active])
        self.model.set_col_bounds(np.arange(n_cols), col_lower, col_upper)

    def _group_duals(self, row_duals: np.ndarray | None) -> np.ndarray | None:
        """Duals per group: the row's, or the reduced cost of a one-unknown group's column."""
        if row_duals is None or self.model is None or self.model.col_dual is None:
            return row_duals
        duals = np.zeros(self.model_row.size)
        rows = self.model_row >= 0
        duals[rows] = row_duals[self.model_row[rows]]
        single = self.single_col >= 0
        duals[single] = self.model.col_dual[self.single_col[single]]
        return duals

    def _bounds(self, hidden: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        hidden_lo = 1.0 if self.policy.zeros_publishable else 0.0
        lower = np.where(hidden, hidden_lo, counts)
        upper = np.where(hidden, math.inf, counts)
        return lower, upper

    def hide(self, cell: int, hidden: np.ndarray) -> None:
        if hidden[cell]:
            return
        hidden[cell] = True
        if self.model is None:
            return
        g = self.group[cell]
        if g >= 0:
            self.n_published[g] -= 1
            if self.n_published[g] == 0:
                lo = 1.0 if self.policy.zeros_publishable else 0.0
                col = self.single_col[g]
                if col >= 0:
                    self.model.set_col_bounds(np.array([col]), np.array([lo]),
                                              np.array([math.inf]))
                    return
                row = int(self.model_row[g])  # a published group of several unknowns
                cols = self.model.row_idx[self.model.row_ptr[row] : self.model.row_ptr[row + 1]]
                implied = self.model.col_lower[cols].sum() >= lo
                self.model.set_row(row, -math.inf if implied else lo, math.inf)

    def check(self, p: int) -> tuple[bool, list[np.ndarray]]:
        """Is ``p`` protected in the current model? If not, the reader's binding duals.
        A kept LP point where ``p`` reaches its need settles it as its LP maximum would, but
        without the integer program a fractional maximum gets in :meth:`_int_bound` (4 of
        1,598 checks on the 4-D table); the audit, which takes no bound without a checked
        whole-number table, is the gate."""
        assert self.model is not None
        g = int(self.group[p])
        c = int(self.t.counts[p])
        need = self.need(p)
        if self.passed.get(g, -1) >= need or (g in self.passed_low and not self.levels[p]):
            return True, []  # same unknowns as a cell already protected: same interval
        cols = self.cols[self.cols_ptr[p] : self.cols_ptr[p + 1]]
        if self.witnesses.reaches(cols, need) or self.relaxed.reaches(cols, need):
            self.passed[g] = max(need, self.passed.get(g, -1))
            return True, []
        high, duals_hi = self.model.optimise(cols, maximise=True)
        duals_hi = self._group_duals(duals_hi)
        self.relaxed.add(self.model.solution)
        self.witnesses.add(self.model.integer_point(self.model.solution))
        hi = self._int_bound(high, cols, True, need, exact=c < 1)
        if hi >= need:
            self.passed[g] = max(need, self.passed.get(g, -1))
            return True, []
        if self.levels[p] > 0 or (self.policy.zeros_publishable and c < self.k
                                  and not self.unpublished[p]):
            # p is hidden, so the reader knows p >= 1; with p <= hi < k it is exposed (a
            # cell with a protection level is protected only by its maximum)
            return False, [d for d in (duals_hi,) if d is not None]
        low, duals_lo = self.model.optimise(cols, maximise=False)
        duals_lo = self._group_duals(duals_lo)
        if math.isfinite(hi):
            # protected iff lo < hi and (lo <= 0 or hi >= k): iff the minimum reaches ``target``
            target = int(hi) - 1 if hi >= self.k else min(0, int(hi) - 1)
            lo = self._int_bound(low, cols, False, target, exact=c < 1)
        else:
            lo = self._int_bound(low, cols, False, need, exact=True)
        if lo < hi and (lo <= 0 or hi >= self.k):
            self.passed_low.add(g)
            return True, []
        return False, [d for d in (duals_hi, duals_lo) if d is not None]

    def _int_bound(self, bound, cols: np.ndarray, maximise: bool, need: float,
                   exact: bool = False) -> float:
        """The reader's whole-number bound, or a value that decides the check the same way.

        ``need``: the maximum decides at ``>= need``, the minimum at ``<= need``. An LP bound
        already on the deciding side (a floor below ``need``, a ceiling above it) settles it
        without an integer program. Otherwise, unless ``exact``, a feasibility integer program
        (:meth:`PersistentModel.reaches`) answers only "can the sum reach ``need``", stopping
        at the first whole-number point that does: the answer is returned as ``need`` (or the
        point's sum) when it can and as the nearest value on the other side when it cannot.
        ``exact`` (a hidden zero, whose verdict needs the maximum itself): the exact optimum.
        A whole LP value is taken as reached here even at a fractional point (an optimistic
        shortcut: checking it costs ~5x protect time on the 4-D table); the audit, which
        takes no bound without a checked whole-number table, is the gate, and
        ``protection._audit_until_safe`` hides more around any cell it rejects."""
        if not bound.proven or math.isnan(bound.value):
            return -math.inf if maximise else math.inf  # pessimistic
        if math.isinf(bound.value) or bound.integral:
            return round(bound.value) if math.isfinite(bound.value) else bound.value
        rounded = math.floor(bound.value + TOL) if maximise else math.ceil(bound.value - TOL)
        if abs(rounded - bound.value) <= TOL or (maximise and rounded < need):
            return rounded
        if not exact and not maximise and rounded > need:
            return rounded
        assert self.model is not None
        if not exact:
            return self._reach(cols, maximise, int(need))
        self.model.set_integer(True)
        exact_bound, _ = self.model.optimise(cols, maximise)
        point = self.model.integer_point(self.model.solution)
        self.model.set_integer(False)
        self.witnesses.add(point)
        if maximise and point is not None and point[cols].sum() >= need:
            return int(point[cols].sum())
        if not exact_bound.proven:
            return -math.inf if maximise else math.inf
        return (math.floor(exact_bound.value + TOL) if maximise
                else math.ceil(exact_bound.value - TOL))

    def _reach(self, cols: np.ndarray, maximise: bool, need: int) -> float:
        """Feasibility integer program: ``need`` (or a better reached sum) if some checked
        whole-number point reaches it, the next value on the other side if none can, the
        pessimistic infinity if the node limit stopped the search."""
        assert self.model is not None
        relaxed = self.model.solution  # the LP point of this bound
        point = None
        if relaxed is not None:
            point = self.model.reaches_near(cols, maximise, need, self.known, relaxed)
        answer = True if point is not None else self.model.reaches(cols, maximise, need)
        if point is None and answer:
            point = self.model.integer_point(self.model.solution)
        self.witnesses.add(point)
        if answer and point is not None:
            total = int(point[cols].sum())
            if (total >= need) if maximise else (total <= need):
                return total
        if answer is False:
            return need - 1 if maximise else need + 1
        return -math.inf if maximise else math.inf

    def repair(
        self, hidden: np.ndarray, confidential: np.ndarray, max_steps: int = 200
    ) -> np.ndarray:
        """Rounds over the confidential cells still unprotected: a cell a witness settles
        needs no LP; a cell the LP finds exposed gets the cheapest binding equation hidden,
        and is checked again in the next round. The witnesses are the integral LP and
        integer-program solutions of earlier checks, and the LP points of earlier checks
        settle cells whose LP maximum they show reaching the need (``self.relaxed``): batch
        witness searches (see :meth:`search_witness`) cost more here than the warm-started
        LPs they save (measured on the benchmark tables, docs/benchmarks.md)."""
        hidden = hidden.copy()
        if self.model is None:
            self.build_model(hidden)
        pending = np.flatnonzero(confidential & (self.group >= 0))
        pending = pending[np.argsort(self.t.counts[pending], kind="stable")]
        for _ in range(max_steps):
            if pending.size == 0:
                break
            exposed: list[int] = []
            for p in pending:
                if self._repair_step(int(p), hidden):
                    exposed.append(int(p))
            pending = np.array(exposed, dtype=np.int64)
        return hidden

    def _repair_step(self, p: int, hidden: np.ndarray) -> bool:
        """Check ``p``; if exposed, hide around it. True when ``p`` must be checked again."""
        ok, duals = self.check(p)
        if ok:
            return False
        cells = self._candidate(duals, hidden)
        if cells.size == 0:
            x = self._neighbour(p, hidden)
            cells = np.array([x]) if x >= 0 else cells
        if cells.size == 0:
            return False  # nothing left to hide around p: the final audit decides
        for x in cells:
            self.hide(int(x), hidden)
        return True

    def search_witness(self, cells: np.ndarray) -> tuple[int, int]:
        """Whole-number tables where many of ``cells`` reach their need (see lp.py); a cell
        some witness reaches is protected and needs no LP. Returns how many of ``cells`` a
        witness settles and the simplex iterations the search took."""
        assert self.model is not None
        cells = cells[self.group[cells] >= 0]
        _, first = np.unique(self.group[cells], return_index=True)
        cells = cells[first]
        need = self.need(cells)
        lens = self.cols_ptr[cells + 1] - self.cols_ptr[cells]
        ptr = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
        idx = gather(self.cols, self.cols_ptr[cells], lens)
        settled, work = search_witnesses(self.model, self.witnesses, ptr, idx, need)
        return int(settled.sum()), work

    def _candidate(self, duals: list[np.ndarray], hidden: np.ndarray) -> np.ndarray:
        """The cheapest published equation that binds the reader's bound: all its cells."""
        rows = np.zeros(0, dtype=np.int64)
        for d in duals:
            rows = np.union1d(rows, np.flatnonzero(np.abs(d) > 1e-9))
        best, best_cost = np.zeros(0, dtype=np.int64), math.inf
        for g in rows:
            cells = self.group_cells[self.group_ptr[g] : self.group_ptr[g + 1]]
            cells = cells[~hidden[cells]]
            if cells.size == 0 or not self.eligible[cells].all():
                continue
            cost = float(self.cost[cells].sum())
            if cost < best_cost:
                best, best_cost = cells, cost
        return best

    def _neighbour(self, p: int, hidden: np.ndarray) -> int:
        eqs = self.eqs_of(p)
        if eqs.size == 0:
            return -1
        cells = np.unique(np.concatenate([self.terms(e) for e in eqs]))
        return self.cheapest(cells, hidden)

    def hide_around(self, cells: np.ndarray, hidden: np.ndarray) -> None:
        """Aggressive repair: hide every eligible cell sharing an equation with ``cells``."""
        for p in cells:
            for eq in self.eqs_of(int(p)):
                for x in self.terms(eq):
                    if self.eligible[x] and not hidden[x]:
                        self.hide(int(x), hidden)
