"""Cells named by (some of) their dimension codes: the never-published and never-hidden marks.

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
    unknown = [c for c in mark.columns if c not in table.dimensions]
    if unknown:
        raise DisclosureInputError(f"marca com dimensões desconhecidas {unknown}",
                                   f"mark with unknown dimensions {unknown}")
    cols = list(mark.columns)
    keys = table.code_frame().select(cols).with_row_index("_i")
    hit = keys.join(mark.select([pl.col(c).cast(pl.String) for c in cols]).unique(), on=cols)
    out[hit["_i"].to_numpy()] = True
    return out
