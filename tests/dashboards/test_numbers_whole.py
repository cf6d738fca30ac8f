"""A number written inside a text cell ("Presumíveis vítimas por 100 000 residentes") never
wraps between its digit groups: the methodology page's indicator table showed "por 100" at
the end of one line and "000 residentes" on the next."""

from __future__ import annotations

import re

import pytest
from dash import html

from dashboards.components import table
from dashboards.pages import methodology as methodology_page
from indicators.release_reader import ReleaseStore
from indicators.reports.exports import Table
from tests.dashboards.component_text import texts_of

SPLIT_NUMBER = re.compile(r"\d \d{3}(?!\d)")  # a plain space a browser may break at


def test_digit_groups_in_a_text_cell_are_joined_by_a_no_break_space():
    tbl = Table("t", "Rates", ("Indicator", "Unit"),
                (("Presumed victims per 100 000 residents", "por 100 000 hab."),
                 ("Rate of 2021 in 12 districts", "1 234 567 persons")))
    cells = texts_of(table(tbl, "pt"), html.Td)
    assert cells == ["Presumed victims per 100\u00a0000 residents", "por 100\u00a0000 hab.",
                     "Rate of 2021 in 12 districts", "1\u00a0234\u00a0567 persons"]


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_the_methodology_indicator_table_keeps_every_number_whole(store: ReleaseStore,
                                                                  lang: str):
    page = html.Div(methodology_page.view(store.current(), {}, lang).children)
    cells = [c for c in texts_of(page, html.Td) if isinstance(c, str)]
    assert any("100\u00a0000" in c for c in cells) or lang == "en"  # the rates' names (pt)
    assert not [c for c in cells if SPLIT_NUMBER.search(c)]
