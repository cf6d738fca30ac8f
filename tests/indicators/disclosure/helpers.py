"""Test helpers written independently of the engine: brute-force sums by walking parents."""

from __future__ import annotations

import polars as pl

from indicators.disclosure import Hierarchy


def ancestors(h: Hierarchy, leaf: str) -> set[str]:
    out = {leaf, "_T"}
    node = leaf
    while node != "_T":
        node = h.parents[node]
        out.add(node)
    for name, members in h.sums.items():
        if leaf in members:
            out.add(name)
    return out


def brute_force_count(
    inner: pl.DataFrame, hierarchies: dict[str, Hierarchy], codes: dict[str, str]
) -> int:
    total = 0
    for row in inner.iter_rows(named=True):
        if all(codes[d] in ancestors(hierarchies[d], row[d]) for d in codes):
            total += row["count"]
    return total


def grid(
    rows: list[str], cols: list[str], values: list[list[int]], names: tuple[str, str] = ("r", "c")
) -> pl.DataFrame:
    data = [(r, c, values[i][j]) for i, r in enumerate(rows) for j, c in enumerate(cols)]
    return pl.DataFrame(data, schema=[names[0], names[1], "count"], orient="row")


def status_of(cells: pl.DataFrame, **codes: str) -> str:
    sel = cells
    for d, c in codes.items():
        sel = sel.filter(pl.col(d) == c)
    statuses = set(sel["status"].to_list())
    assert len(statuses) == 1, (codes, statuses)
    return statuses.pop()


def with_status(
    cells: pl.DataFrame, hidden: dict[tuple[str, ...], str], dims: tuple[str, ...]
) -> pl.DataFrame:
    """A hand-made pattern: every cell published except the given code tuples."""
    keys = [tuple(r) for r in cells.select(dims).iter_rows()]
    return cells.with_columns(pl.Series("status", [hidden.get(k, "published") for k in keys]))


def brute_force_intervals(
    inner: pl.DataFrame,
    hierarchies: dict[str, Hierarchy],
    pattern: pl.DataFrame,
    zeros_publishable: bool,
) -> dict[tuple[str, ...], tuple[int, int]]:
    """Every hidden cell -> (min, max) over ALL whole-number inner tables a reader could hold:
    non-negative, every published cell equal to its count, every hidden cell >= 1 when zeros
    are published. Plain enumeration of inner tables (tiny tables only; the grand total must
    be published so that every inner cell is bounded)."""
    dims = list(hierarchies)
    leaves = [tuple(r[:-1]) for r in inner.select(*dims, "count").iter_rows()]
    cells = pattern.unique(subset=dims).select(*dims, "count", "status").rows()
    members = {}
    for row in cells:
        codes = row[: len(dims)]
        members[codes] = [
            i
            for i, leaf in enumerate(leaves)
            if all(codes[j] in ancestors(hierarchies[d], leaf[j]) for j, d in enumerate(dims))
        ]
    published = [(members[r[: len(dims)]], r[len(dims)]) for r in cells if r[-1] == "published"]
    hidden = [r[: len(dims)] for r in cells if r[-1] != "published"]
    upper = [min(c for m, c in published if i in m) for i in range(len(leaves))]
    lows = {h: None for h in hidden}
    highs = {h: None for h in hidden}
    values = [0] * len(leaves)

    def consistent(upto: int) -> bool:
        for m, c in published:
            partial = sum(values[i] for i in m if i <= upto)
            if partial > c or (max(m) <= upto and partial != c):
                return False
        return True

    def walk(i: int) -> None:
        if i == len(leaves):
            sums = {h: sum(values[j] for j in members[h]) for h in hidden}
            if zeros_publishable and any(s < 1 for s in sums.values()):
                return
            for h, s in sums.items():
                lows[h] = s if lows[h] is None else min(lows[h], s)
                highs[h] = s if highs[h] is None else max(highs[h], s)
            return
        for v in range(upper[i] + 1):
            values[i] = v
            if consistent(i):
                walk(i + 1)
        values[i] = 0

    walk(0)
    return {h: (lows[h], highs[h]) for h in hidden}
