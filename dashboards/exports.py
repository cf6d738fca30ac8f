"""CSV and XLSX of exactly what a view shows (the same table, flags included).

CSV cells that a spreadsheet would run as a formula (first character ``= + - @``, or a tab /
carriage return) get a leading apostrophe. XLSX cells are written as typed values with
``write_string`` / ``write_number``, so no text ever becomes a formula.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """A table as shown: translated column headers and rows of plain values."""

    name: str                      # file stem, ASCII
    title: str                     # caption shown above the table
    columns: tuple[str, ...]       # headers (already translated)
    rows: tuple[tuple[Any, ...], ...]

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def neutralise(cell: Any) -> Any:
    """Text that a spreadsheet would evaluate gets a leading apostrophe; numbers stay."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def _plain(cell: Any) -> Any:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell


def to_csv(table: Table) -> str:
    """UTF-8 CSV text (with BOM added by the caller if wanted), formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([neutralise(_plain(cell)) for cell in row])
    return buffer.getvalue()


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """An XLSX workbook with one sheet per table, every cell typed (no formulas)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False,
                                        "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    for index, table in enumerate(tables):
        sheet = book.add_worksheet(_sheet_name(table.name, index))
        sheet.write_string(0, 0, table.title, bold)
        for col, header in enumerate(table.columns):
            sheet.write_string(2, col, str(header), bold)
            sheet.set_column(col, col, max(10, min(40, len(str(header)) + 2)))
        for r, row in enumerate(table.rows, start=3):
            for col, cell in enumerate(row):
                value = _plain(cell)
                if isinstance(value, bool):
                    sheet.write_boolean(r, col, value)
                elif isinstance(value, int | float):
                    sheet.write_number(r, col, value)
                elif value == "":
                    sheet.write_blank(r, col, None)
                else:
                    sheet.write_string(r, col, str(value))
    book.close()
    return buffer.getvalue()


def _sheet_name(name: str, index: int) -> str:
    clean = "".join(ch for ch in name if ch.isalnum() or ch in "_-")[:28] or "sheet"
    return f"{clean}{index + 1}" if index else clean
