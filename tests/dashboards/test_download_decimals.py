"""Downloads write each value with the decimals its unit is shown with on screen: a rate of
27.0 per 100,000 is "27.0" in the CSV and a 0.0-formatted number in the XLSX, not "27" (a user
review: the file's own note says rates carry 1 decimal, "rounded as on screen"); counts stay
whole. In a table of mixed units (the overview) each row follows its own unit."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from dashboards.pages import overview, trends
from indicators.release_reader import ReleaseStore
from indicators.reports import exports


def _rate_and_count() -> exports.Table:
    return exports.Table(
        "t", "T", ("indicator", "value", "unit"),
        (("rate", 27.0, "rate_100k"), ("rate", 117.7, "rate_100k"), ("count", 774, "persons"),
         ("rate", None, "rate_100k"), ("change", -5.0, "percent"), ("change", -9, "persons")),
        value_column="value", value_decimals=(1, 1, 0, 1, 1, 0))


def test_csv_writes_a_whole_rate_with_its_decimal_and_a_count_without():
    rows = list(csv.reader(io.StringIO(exports.to_csv(_rate_and_count()))))
    # a negative number is a number, not text a spreadsheet could run: no apostrophe
    assert [r[1] for r in rows[1:]] == ["27.0", "117.7", "774", "", "-5.0", "-9"]


def test_xlsx_formats_each_value_by_its_unit(tmp_path: Path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(exports.to_xlsx([_rate_and_count()]))
    sheet = openpyxl.load_workbook(path).active
    assert (sheet["B4"].value, sheet["B4"].number_format) == (27, "#,##0.0")
    assert (sheet["B5"].value, sheet["B5"].number_format) == (117.7, "#,##0.0")
    assert (sheet["B6"].value, sheet["B6"].number_format) == (774, "#,##0")


def test_without_units_a_table_keeps_its_column_rule():
    table = exports.Table("t", "T", ("name", "value"), (("a", 27.0), ("b", 3.5)))
    rows = list(csv.reader(io.StringIO(exports.to_csv(table))))
    assert [r[1] for r in rows[1:]] == ["27", "3.5"]


def test_the_views_give_each_value_its_units_decimals(store: ReleaseStore):
    rel = store.current()
    p = trends.normalise(rel, {"indicator": "THB_SIGNALLED_RATE", "grain": "year",
                               "district": "PT-02", "compare": "PT"})
    table = trends.view(rel, p, "en").tables["trends"]
    assert table.rows and set(table.value_decimals) == {1}
    values = [r[table.columns.index(table.value_column)] for r in
              list(csv.reader(io.StringIO(exports.to_csv(table))))[1:]]
    assert all(v == "" or len(v.split(".")[1]) == 1 for v in values), values
    mixed = overview.table_for(rel, "PT", "en")
    unit_col = mixed.columns.index("Unit")
    assert set(mixed.value_decimals) == {0, 1}  # counts, and rates or shares
    for row, decimals in zip(mixed.rows, mixed.value_decimals, strict=True):
        assert decimals == (1 if row[unit_col] in ("per 100,000 residents", "%") else 0), row


def test_the_donor_table_gives_percent_of_target_one_decimal(store: ReleaseStore):
    from indicators.reports.results_table import table_for

    rel = store.current()
    table = table_for(rel, "2023", "en")
    pct = table.columns.index("% of target")
    rows = list(csv.reader(io.StringIO(exports.to_csv(table))))[1:]
    shown = [r[pct] for r in rows if r[pct]]
    assert shown and all(len(v.split(".")[1]) == 1 for v in shown), shown
