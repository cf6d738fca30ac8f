"""Trends and Map tables say the facts every row shares (indicator, unit, area...) once, in
the caption, instead of repeating them on every row, on desktop as on a phone; the download
tables keep every column on every row."""

from __future__ import annotations

from typing import Any

import pytest
from dash import html

from dashboards.components import table
from dashboards.pages import map as map_page
from dashboards.pages import trends
from indicators.i18n import t
from indicators.release_reader import ReleaseStore
from indicators.reports.exports import Table
from tests.dashboards.layout_tree import text, walk


def _shown(view_children: list[Any]) -> tuple[list[str], str, list[list[str]]]:
    """(header texts, caption text, row cell labels) of the one data table shown."""
    [tbl] = [n for n in walk(html.Div(view_children)) if isinstance(n, html.Table)]
    heads = [text(n) for n in walk(tbl) if isinstance(n, html.Th)]
    [caption] = [n for n in walk(tbl) if isinstance(n, html.Caption)]
    rows = [[getattr(td, "data-label") for td in walk(tr) if isinstance(td, html.Td)]
            for tr in walk(tbl) if isinstance(tr, html.Tr)]
    return heads, text(caption), [r for r in rows if r]


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_trends_says_indicator_area_and_unit_once_and_downloads_keep_them(store: ReleaseStore,
                                                                          lang):
    rel = store.current()
    p = trends.normalise(rel, {})
    shown = trends.view(rel, p, lang)
    heads, caption, rows = _shown(shown.children)
    download = shown.tables["trends"]
    name = trends.indicator_name(rel, p["indicator"], lang)
    for column in ("col.indicator", "col.geo", "col.unit", "col.breakdown"):
        assert t(column, lang) not in heads
        assert t(column, lang) in download.columns
    assert f"{t('col.indicator', lang)}: {name}" in caption
    assert f"{t('col.unit', lang)}: " in caption
    assert t("col.period", lang) in heads and t("col.value", lang) in heads  # they differ
    assert rows and all(r == heads for r in rows)  # every row has the shown columns only
    unit_index = download.columns.index(t("col.unit", lang))
    assert len(download.rows) == len(rows) and all(r[unit_index] for r in download.rows)


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_map_says_indicator_period_and_unit_once_and_lists_districts(store: ReleaseStore,
                                                                     lang):
    rel = store.current()
    p = map_page.normalise(rel, {})
    shown = map_page.view(rel, p, lang)
    heads, caption, rows = _shown(shown.children)
    download = shown.tables["map"]
    for column in ("col.indicator", "col.period", "col.unit"):
        assert t(column, lang) not in heads and t(column, lang) in download.columns
        value = download.rows[0][download.columns.index(t(column, lang))]
        assert f"{t(column, lang)}: {value}" in caption
    assert t("col.geo", lang) in heads and t("col.value", lang) in heads
    assert len(rows) == len(download.rows) == len(map_page.GEOS_ORDER)  # one row per area


def test_only_fact_columns_with_one_value_in_every_row_are_folded():
    tbl = Table(name="x", title="Title", columns=("Indicator", "Area", "Value", "Unit"),
                rows=(("Victims", "Lisboa", 3, "persons"), ("Victims", "Porto", 3, "persons")))
    heads, caption, rows = _shown([table(tbl, "en", value_columns=("Value",),
                                         facts=("Indicator", "Area", "Unit"))])
    assert heads == ["Area", "Value"]  # Area differs; Value is not a fact column
    assert caption == "TitleIndicator: VictimsUnit: persons"
    one_row = Table(name="x", title="T", columns=tbl.columns, rows=tbl.rows[:1])
    assert _shown([table(one_row, "en", facts=("Indicator",))])[0] == list(tbl.columns)
    assert _shown([table(tbl, "en")])[0] == list(tbl.columns)  # other tables: unchanged
