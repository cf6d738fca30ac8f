"""Cells named by (some of) their dimension codes: the never-published and never-hidden marks,
and the protection levels of revised cells.

A mark is a frame whose columns are some of the table's dimensions; a cell is marked when,
for some row of the frame, its codes equal that row's codes in those columns (a frame with
the single column ``migration`` and the row ``NOT_MIGRATION`` marks every cell of that code).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from indicators.disclosure.errors import DisclosureInputError
from indicators.disclosure.tables import FullTable


def cell_mask(table: FullTable, mark: pl.DataFrame | None) -> np.ndarray:
    """(n_cells,) bool: the cells of ``table`` that ``mark`` names."""
    out = np.zeros(table.n_cells, dtype=bool)
    if mark is None or mark.height == 0:
        return out
    out[_named(table, mark.unique())["_i"].to_numpy()] = True
    return out


def cell_levels(table: FullTable, levels: pl.DataFrame | None) -> np.ndarray:
    """(n_cells,) int: each cell's protection level from ``levels`` (a mark with a column
    ``level``; the largest where several rows name a cell), 0 elsewhere."""
    out = np.zeros(table.n_cells, dtype=np.int64)
    if levels is None or levels.height == 0:
        return out
    hit = _named(table, levels, extra=("level",))
    np.maximum.at(out, hit["_i"].to_numpy(), hit["level"].cast(pl.Int64).to_numpy())
    return out


def _named(table: FullTable, mark: pl.DataFrame, extra: tuple[str, ...] = ()
           ) -> pl.DataFrame:
    """Row index ``_i`` of each cell of ``table`` a row of ``mark`` names (with that row's
    ``extra`` columns); a mark column that is no dimension of the table is an error."""
    cols = [c for c in mark.columns if c not in extra]
    unknown = [c for c in cols if c not in table.dimensions]
    if unknown:
        raise DisclosureInputError(f"marca com dimensões desconhecidas {unknown}",
                                   f"mark with unknown dimensions {unknown}")
    keys = table.code_frame().select(cols).with_row_index("_i")
    return keys.join(mark.select([*(pl.col(c).cast(pl.String) for c in cols), *extra]),
                     on=cols)
