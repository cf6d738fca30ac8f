"""The publication policy and primary suppression (frequency rule, optional group disclosure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from indicators.disclosure.tables import FullTable


@dataclass(frozen=True)
class Policy:
    """What the publisher promises, and therefore what a reader may assume.

    - ``threshold`` k: a cell with 1 <= count < k is confidential.
    - ``zeros_publishable``: zeros are never suppressed (neither primary nor secondary), so the
      reader knows that every hidden cell is at least 1. With ``False`` ("protect zeros"),
      zeros may be hidden as secondary suppressions and a hidden cell may be 0.
    - ``group_disclosure``: dimension -> child codes to watch (``None`` = every code). A
      total whose whole (non-zero) count falls in one watched child code of that dimension
      (all of a district's victims are minors) makes that child cell confidential.
    """

    threshold: int = 5
    zeros_publishable: bool = True
    group_disclosure: Mapping[str, frozenset[str] | None] | None = None

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError("threshold must be >= 1 / o limiar tem de ser >= 1")


DEFAULT_POLICY = Policy()


def frequency_rule(counts: np.ndarray, policy: Policy) -> np.ndarray:
    """Cells with 1 <= count < k."""
    return (counts >= 1) & (counts < policy.threshold)


def group_disclosure(table: FullTable, policy: Policy) -> np.ndarray:
    """Child cells holding the whole non-zero count of their parent in a watched dimension."""
    flagged = np.zeros(table.n_cells, dtype=bool)
    if not policy.group_disclosure:
        return flagged
    dims = table.dimensions
    n_codes = tuple(len(table.codes[d]) for d in dims)
    ids = np.ravel_multi_index(tuple(table.cell_codes.T), n_codes)
    strides = np.array([int(np.prod(n_codes[j + 1 :])) for j in range(len(dims))], dtype=np.int64)
    for d, watched in policy.group_disclosure.items():
        if d not in dims:
            continue
        j = dims.index(d)
        h = table.hierarchies[d]
        pos = {c: i for i, c in enumerate(table.codes[d])}
        kids = h.children()
        for child, parent in h.parents.items():
            if (watched is not None and child not in watched) or len(kids[parent]) < 2:
                continue
            rows = np.flatnonzero(table.cell_codes[:, j] == pos[child])
            target = ids[rows] + (pos[parent] - pos[child]) * strides[j]
            at = np.minimum(np.searchsorted(ids, target), ids.size - 1)
            found = ids[at] == target
            rows, at = rows[found], at[found]
            hit = (table.counts[rows] > 0) & (table.counts[rows] == table.counts[at])
            flagged[rows[hit]] = True
    return flagged


def primary_suppression(table: FullTable, policy: Policy) -> np.ndarray:
    return frequency_rule(table.counts, policy) | group_disclosure(table, policy)
