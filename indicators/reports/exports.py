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


def span_words(first: str, last: str) -> str:
    """A period range in words: ``"2021 – 2025"``, or one period when both ends are the same.

    >>> span_words("2021", "2025"), span_words("2025", "2025")
    ('2021 – 2025', '2025')
    """
    return first if first == last else f"{first} – {last}"


@dataclass(frozen=True)
class Table:
    """A table as shown: translated column headers and rows of plain values."""

    name: str                      # file stem, ASCII
    title: str                     # caption shown above the table
    columns: tuple[str, ...]       # headers (already translated)
    rows: tuple[tuple[Any, ...], ...]
    period: str = ""               # period code(s) shown, for the file name ("2024", "2021_2026")
    indicators: tuple[str, ...] = ()  # indicator codes in the table (their definitions go
    #                                   in the download's notes)
    subject: tuple[str, ...] = ()  # codes of what the view selects (indicator, areas,
    #                                breakdown), for the file name: two views, two files
    value_column: str = ""         # the column of values whose decimals the unit decides...
    value_decimals: tuple[int, ...] = ()  # ...one count per row (rates 1: 27.0, not 27)
    period_words: str = ""  # the period shown, in words ("2021 – 2025"), when the rows are
    #                         not in time order (trends: one area after the other)
    remarks: tuple[str, ...] = ()  # what the page says beside the table (persons not on the
    #                                map, periods left out), written into the downloads' notes
    internal: bool = False  # an OTSH-internal table (analysts' pages): its downloads say so
    #                         and carry no licence to reuse nor a citation

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def decimals_at(self, row: int, col: int) -> int | None:
        """The decimals the cell at (``row``, ``col``) is written with, when its unit decides
        them (:attr:`value_decimals`); else ``None`` (the column's own rule)."""
        if not self.value_decimals or self.columns[col] != self.value_column:
            return None
        return self.value_decimals[row]


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


def _fixed(cell: Any, decimals: int | None) -> Any:
    """A number written with ``decimals`` (``None``: as it is)."""
    if decimals is None or isinstance(cell, bool) or not isinstance(cell, int | float):
        return cell
    return f"{cell:.{decimals}f}"


def to_csv(table: Table, notes: Sequence[tuple[str, str]] = ()) -> str:
    """UTF-8 CSV text (with BOM added by the caller if wanted), formulas neutralised. The
    header is the first line (machines read the table as is); ``notes`` follow after one
    empty line, as (label, text) rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in table.columns])
    for r, row in enumerate(table.rows):
        # neutralise text only; a number written with its decimals ("-5.0") stays a number
        writer.writerow([_fixed(neutralise(_plain(cell)), table.decimals_at(r, col))
                         for col, cell in enumerate(row)])
    if notes:
        writer.writerow([])
        for label, text in notes:
            writer.writerow([neutralise(label), neutralise(text)])
    return buffer.getvalue()


def split_csv(text: str) -> tuple[list[list[str]], list[list[str]]]:
    """(table rows with header, notes rows) of a CSV written by :func:`to_csv`."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if [] in rows:
        cut = rows.index([])
        return rows[:cut], rows[cut + 1:]
    return rows, []


def column_decimals(table: Table, col: int) -> int:
    """Decimals a numeric column is shown with (1 when any value has a fraction): one count
    of decimals per column, in the workbook and on the page alike."""
    for row in table.rows:
        cell = row[col]
        if isinstance(cell, float) and not cell.is_integer():
            return 1
    return 0


def to_xlsx(tables: Sequence[Table], notes: Sequence[tuple[str, str]] = (),
            notes_title: str = "Notes") -> bytes:
    """An XLSX workbook: one sheet per table (title, bold frozen header, number formats,
    column widths, autofilter) and a notes sheet; every cell typed (no formulas)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False,
                                        "strings_to_numbers": False})
    title_fmt = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "bg_color": "#e8eef4", "bottom": 1,
                            "text_wrap": True, "valign": "top"})
    number = {0: book.add_format({"num_format": "#,##0"}),
              1: book.add_format({"num_format": "#,##0.0"})}
    for index, table in enumerate(tables):
        sheet = book.add_worksheet(_sheet_name(table.name, index))
        sheet.write_string(0, 0, table.title, title_fmt)
        for col, header in enumerate(table.columns):
            sheet.write_string(2, col, str(header), head)
            width = max([len(str(header))] + [len(str(_plain(r[col]))) for r in table.rows])
            sheet.set_column(col, col, max(8, min(48, width + 2)))
        decimals = {col: column_decimals(table, col) for col in range(len(table.columns))}
        for r, row in enumerate(table.rows):
            for col, cell in enumerate(row):
                fixed = table.decimals_at(r, col)
                _write(sheet, r + 3, col, _plain(cell),
                       number[decimals[col] if fixed is None else fixed])
        sheet.freeze_panes(3, 0)
        if table.rows:
            sheet.autofilter(2, 0, 2 + len(table.rows), len(table.columns) - 1)
    if notes:
        sheet = book.add_worksheet(_sheet_name(notes_title, 0))
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        bold = book.add_format({"bold": True, "valign": "top", "text_wrap": True})
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, 1, 100)
        for r, (label, text) in enumerate(notes):
            sheet.write_string(r, 0, label, bold)
            sheet.write_string(r, 1, text, wrap)
    book.close()
    return buffer.getvalue()


def _write(sheet: Any, r: int, col: int, value: Any, number_format: Any) -> None:
    if isinstance(value, bool):
        sheet.write_boolean(r, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(r, col, value, number_format)
    elif value == "":
        sheet.write_blank(r, col, None)
    else:
        sheet.write_string(r, col, str(value))


def _sheet_name(name: str, index: int) -> str:
    clean = "".join(ch for ch in name if ch.isalnum() or ch in "_-")[:28] or "sheet"
    return f"{clean}{index + 1}" if index else clean
