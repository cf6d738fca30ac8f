"""Shared helpers for the validation and ingest tests: fixture files and warehouse counts."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import duckdb

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "returns"
TODAY = date(2024, 6, 15)  # every fixture is valid on this date
VICTIMS = "victims_APF_2024-03.csv"
SUPPORT = "support_APF_2024-03.csv"
ACTIVITIES = "activities_APF_2024-03.csv"


def fixture_rows(name: str) -> list[list[str]]:
    """A fixture as a list of records (header first)."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def csv_bytes(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def core_counts(warehouse_path: Path) -> dict[str, int]:
    """Row counts of every core table (0 everywhere when the warehouse does not exist)."""
    tables = ("core.submissions", "core.victims_cells", "core.support_cells",
              "core.activities_cells")
    if not warehouse_path.exists():
        return dict.fromkeys(tables, 0)
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}
    finally:
        con.close()


def query(warehouse_path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def xlsx_bytes(tmp_dir: Path, sheets: dict[str, list[list]]) -> bytes:
    """An XLSX workbook with one sheet per entry; ints are written as numeric cells,
    strings starting with '=' as formulas (cached value 3)."""
    import xlsxwriter

    path = tmp_dir / "_workbook_builder.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                               "strings_to_formulas": False})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str) and value.startswith("="):
                    sheet.write_formula(r, c, value, None, 3)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif value is not None:
                    sheet.write(r, c, value)
    workbook.close()
    data = path.read_bytes()
    path.unlink()
    return data
