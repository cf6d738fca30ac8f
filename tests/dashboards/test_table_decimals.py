"""A table column shows one count of decimals: "290.0" beside "95.8" (the results page
showed "290" there, while the donor PDF showed "290.0 %"); a column of whole numbers stays
whole."""

from __future__ import annotations

from dashboards.components import table, table_of
from indicators.reports.exports import Table


def _column(tbl: Table, lang: str, col: int) -> list[str]:
    rows = table_of(table(tbl, lang, caption=False)).children[1].children
    return [row.children[col].children for row in rows]


def test_a_column_with_a_fraction_gives_every_value_one_decimal():
    tbl = Table(name="t", title="t", columns=("Indicator", "% of target", "Years"),
                rows=(("a", 290.0, 2.0), ("b", 95.8, 3.0), ("c", 100.0, 4.0)))
    assert _column(tbl, "en", 1) == ["290.0", "95.8", "100.0"]
    assert _column(tbl, "pt", 1) == ["290,0", "95,8", "100,0"]
    assert _column(tbl, "en", 2) == ["2", "3", "4"]


def test_values_take_their_rows_decimals_as_the_downloads_write_them():
    """Units mixed in one column (the overview: counts, a rate, a share): each value has its
    row's decimals on screen, as in the CSV (a whole rate "27.0", not "27")."""
    from indicators.reports.exports import to_csv

    tbl = Table(name="t", title="t", columns=("Indicator", "Value"),
                rows=(("signalled", 12), ("rate", 27.0), ("share", 40.0)),
                value_column="Value", value_decimals=(0, 1, 1))
    assert _column(tbl, "en", 1) == ["12", "27.0", "40.0"]
    assert _column(tbl, "pt", 1) == ["12", "27,0", "40,0"]
    written = [line.split(",")[1] for line in to_csv(tbl).splitlines()[1:]]
    assert written == _column(tbl, "en", 1)
