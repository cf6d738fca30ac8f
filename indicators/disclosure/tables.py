"""The full (linked) table: inner cells, every total of every published table, additivity.

Every published cell is the sum of a set of inner cells (one leaf code per dimension). Linked
tables share the inner cells; a table that leaves a dimension out sees it at ``_T``. A cell
that appears in several tables (the same code tuple) is one cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from indicators.disclosure.errors import DisclosureInputError
from indicators.disclosure.hierarchy import Hierarchy

DEFAULT_TABLE = "table"


@dataclass(frozen=True)
class TableSpec:
    """A published table: the dimensions it shows (the others are summed out to ``_T``)."""

    name: str
    dimensions: tuple[str, ...]


@dataclass
class FullTable:
    dimensions: tuple[str, ...]
    hierarchies: dict[str, Hierarchy]
    tables: list[TableSpec]
    codes: dict[str, list[str]]  # per dimension: index -> code (root first)
    leaves: dict[str, list[str]]  # per dimension: leaf index -> leaf code
    code_leaves: dict[str, list[np.ndarray]]  # per dimension: code index -> leaf indices
    cell_codes: np.ndarray  # (n_cells, n_dims) code indices
    in_table: np.ndarray  # (n_cells, n_tables) bool
    inner_counts: np.ndarray  # (n_inner,) counts of the inner cube, row-major over leaves
    member_ptr: np.ndarray  # CSR: cell -> inner cells
    member_idx: np.ndarray
    counts: np.ndarray  # (n_cells,) true counts

    @property
    def n_cells(self) -> int:
        return int(self.cell_codes.shape[0])

    @property
    def n_inner(self) -> int:
        return int(self.inner_counts.shape[0])

    def members(self, cell: int) -> np.ndarray:
        return self.member_idx[self.member_ptr[cell] : self.member_ptr[cell + 1]]

    def is_aggregate(self) -> np.ndarray:
        """(n_cells, n_dims) bool: the cell's code in that dimension is not a leaf."""
        out = np.zeros(self.cell_codes.shape, dtype=bool)
        for j, d in enumerate(self.dimensions):
            agg = np.array(
                [
                    len(x) != 1 or c not in self.leaves[d]
                    for c, x in zip(self.codes[d], self.code_leaves[d], strict=True)
                ]
            )
            out[:, j] = agg[self.cell_codes[:, j]]
        return out

    def grand_total(self) -> np.ndarray:
        return (self.cell_codes == 0).all(axis=1)

    def code_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                d: np.array(self.codes[d], dtype=object)[self.cell_codes[:, j]].tolist()
                for j, d in enumerate(self.dimensions)
            },
            schema={d: pl.String for d in self.dimensions},
        )

    def frame(self, status: np.ndarray) -> pl.DataFrame:
        """One row per (table, cell): table, dimension codes, true count, status."""
        base = self.code_frame().with_columns(
            pl.Series("count", self.counts, dtype=pl.Int64),
            pl.Series("status", status, dtype=pl.String),
            pl.Series("_cell", np.arange(self.n_cells), dtype=pl.Int64),
        )
        parts = [
            base.filter(pl.Series(self.in_table[:, t])).with_columns(table=pl.lit(spec.name))
            for t, spec in enumerate(self.tables)
        ]
        out = pl.concat(parts)
        return out.select("table", *self.dimensions, "count", "status", "_cell")


def default_tables(dimensions: tuple[str, ...]) -> list[TableSpec]:
    return [TableSpec(DEFAULT_TABLE, tuple(dimensions))]


def build_full_table(
    inner: pl.DataFrame,
    hierarchies: dict[str, Hierarchy],
    tables: list[TableSpec] | None = None,
) -> FullTable:
    """Complete the inner cube (missing leaf combinations count 0) and build every cell."""
    dims = tuple(c for c in inner.columns if c != "count")
    hier = {
        d: hierarchies.get(d) or Hierarchy.flat(d, inner[d].unique().sort().to_list()) for d in dims
    }
    tables = list(tables) if tables else default_tables(dims)
    for spec in tables:
        unknown = [d for d in spec.dimensions if d not in dims]
        if unknown:
            raise DisclosureInputError(
                f"tabela {spec.name}: dimensões desconhecidas {unknown}",
                f"table {spec.name}: unknown dimensions {unknown}",
            )
    codes = {d: hier[d].codes() for d in dims}
    leaves = {d: hier[d].leaves() for d in dims}
    code_leaves: dict[str, list[np.ndarray]] = {}
    for d in dims:
        leaf_pos = {leaf: i for i, leaf in enumerate(leaves[d])}
        under = hier[d].leaves_under()
        code_leaves[d] = [
            np.array([leaf_pos[x] for x in under[c]], dtype=np.int64) for c in codes[d]
        ]

    # Inner cube, dense over the leaves.
    shape = tuple(len(leaves[d]) for d in dims)
    n_inner = int(np.prod(shape))
    idx = []
    for d in dims:
        pos = {leaf: i for i, leaf in enumerate(leaves[d])}
        values = inner[d].cast(pl.String).to_list()
        missing = sorted({v for v in values if v not in pos})
        if missing:
            raise DisclosureInputError(
                f"dimensão {d}: códigos que não são folhas da hierarquia: {missing[:10]}",
                f"dimension {d}: codes that are not leaves of the hierarchy: {missing[:10]}",
            )
        idx.append(np.array([pos[v] for v in values], dtype=np.int64))
    inner_counts = np.zeros(n_inner, dtype=np.int64)
    if inner.height:
        flat = np.ravel_multi_index(tuple(idx), shape)
        np.add.at(inner_counts, flat, inner["count"].cast(pl.Int64).to_numpy())

    # Cells: union over tables of the product of the codes of their dimensions.
    n_codes = tuple(len(codes[d]) for d in dims)
    ids_per_table = []
    for spec in tables:
        ranges = [
            np.arange(n_codes[j]) if d in spec.dimensions else np.zeros(1, dtype=np.int64)
            for j, d in enumerate(dims)
        ]
        grid = np.meshgrid(*ranges, indexing="ij")
        ids_per_table.append(np.ravel_multi_index(tuple(g.ravel() for g in grid), n_codes))
    cell_ids = np.unique(np.concatenate(ids_per_table))
    cell_codes = np.stack(np.unravel_index(cell_ids, n_codes), axis=1).astype(np.int64)
    in_table = np.stack([np.isin(cell_ids, t_ids) for t_ids in ids_per_table], axis=1)

    member_ptr, member_idx = _members(cell_codes, dims, code_leaves, shape)
    sums = np.add.reduceat(inner_counts[member_idx], member_ptr[:-1]) if member_idx.size else None
    counts = np.asarray(sums, dtype=np.int64) if sums is not None else np.zeros(0, np.int64)
    return FullTable(
        dims,
        hier,
        tables,
        codes,
        leaves,
        code_leaves,
        cell_codes,
        in_table,
        inner_counts,
        member_ptr,
        member_idx,
        counts,
    )


def _members(
    cell_codes: np.ndarray,
    dims: tuple[str, ...],
    code_leaves: dict[str, list[np.ndarray]],
    shape: tuple[int, ...],
) -> tuple[np.ndarray, np.ndarray]:
    """CSR of cell -> flat indices of its inner cells, built one dimension at a time."""
    n_cells = cell_codes.shape[0]
    owner = np.arange(n_cells, dtype=np.int64)
    flat = np.zeros(n_cells, dtype=np.int64)
    for j, d in enumerate(dims):
        lens = np.array([len(x) for x in code_leaves[d]], dtype=np.int64)
        ptr = np.concatenate([[0], np.cumsum(lens)])
        cat = np.concatenate(code_leaves[d])
        code = cell_codes[owner, j]
        reps = lens[code]
        total = int(reps.sum())
        start = np.repeat(ptr[code], reps)
        offset = np.arange(total) - np.repeat(np.cumsum(reps) - reps, reps)
        leaf = cat[start + offset]
        owner = np.repeat(owner, reps)
        flat = np.repeat(flat, reps) * shape[j] + leaf
    order = np.argsort(owner, kind="stable")
    owner, flat = owner[order], flat[order]
    ptr = np.zeros(n_cells + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=n_cells), out=ptr[1:])
    return ptr, flat


def equations(table: FullTable) -> tuple[np.ndarray, np.ndarray]:
    """Additivity among cells: CSR of equations -> cells, the aggregate cell first.

    For every dimension and every cell whose code there is an aggregate (a hierarchy parent or
    an extra sum), the cell equals the sum of the cells with its children codes, the other
    coordinates equal, whenever all those cells are in the (linked) table.
    """
    dims = table.dimensions
    n_codes = tuple(len(table.codes[d]) for d in dims)
    ids = np.ravel_multi_index(tuple(table.cell_codes.T), n_codes)  # already sorted
    strides = np.array([int(np.prod(n_codes[j + 1 :])) for j in range(len(dims))], dtype=np.int64)
    eq_terms: list[np.ndarray] = []
    for j, d in enumerate(dims):
        h = table.hierarchies[d]
        pos = {c: i for i, c in enumerate(table.codes[d])}
        kids = h.children()
        groups = {c: ch for c, ch in kids.items() if ch}
        groups.update({name: list(m) for name, m in h.sums.items()})
        for parent, children in groups.items():
            p = pos[parent]
            rows = np.flatnonzero(table.cell_codes[:, j] == p)
            if rows.size == 0:
                continue
            cols = [rows]
            ok = np.ones(rows.size, dtype=bool)
            for child in children:
                target = ids[rows] + (pos[child] - p) * strides[j]
                at = np.searchsorted(ids, target)
                at = np.minimum(at, ids.size - 1)
                ok &= ids[at] == target
                cols.append(at)
            eq_terms.append(np.stack(cols, axis=1)[ok])
    lengths = (
        np.concatenate([np.full(t.shape[0], t.shape[1]) for t in eq_terms])
        if eq_terms
        else np.zeros(0, dtype=np.int64)
    )
    ptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    idx = np.concatenate([t.ravel() for t in eq_terms]) if eq_terms else np.zeros(0, np.int64)
    return ptr, idx.astype(np.int64)
