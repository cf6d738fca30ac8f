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
