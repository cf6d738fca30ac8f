"""A number written inside a text cell ("Presumíveis vítimas por 100 000 residentes") never
wraps between its digit groups: the methodology page's indicator table showed "por 100" at
the end of one line and "000 residentes" on the next."""

from __future__ import annotations

import re

import pytest
from dash import html
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from dashboards.components import table
from dashboards.figures import wrap_title
from dashboards.pages import methodology as methodology_page
from indicators.release_reader import ReleaseStore
from indicators.reports.exports import Table
from indicators.reports.pdf import pdf_text
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


@pytest.mark.parametrize("width", range(12, 61, 4))
def test_a_chart_title_is_never_broken_inside_a_number(width: int):
    title = "Presumíveis vítimas por 100 000 residentes, Portugal e distritos, 2021-2026"
    lines = wrap_title(title, width).split("<br>")
    assert not [ln for ln in lines if ln.endswith("100") or ln.startswith("000")]
    assert [ln for ln in lines if "100\u00a0000" in ln]
    assert len(lines) > 1 or width >= len(title)


def test_a_chart_title_still_breaks_at_plain_spaces_tabs_and_newlines():
    assert wrap_title("um  dois\tpor\n100 000", 8) == "um dois<br>por<br>100\u00a0000"


def test_the_pdf_keeps_a_number_whole_when_its_paragraph_wraps():
    """ReportLab breaks a paragraph at plain spaces: at every width "100 000" of a PDF text
    (pdf_text, which every paragraph of the reports goes through) stays on one line."""
    text = pdf_text("Taxa de presumíveis vítimas por 100 000 residentes")
    for width in range(50, 200, 10):
        para = Paragraph(text, ParagraphStyle("t", fontName="Helvetica", fontSize=9))
        para.wrap(width, 1000)
        lines = [" ".join(str(w) for w in line[1]) for line in para.blPara.lines]
        assert [ln for ln in lines if "100\u00a0000" in ln], (width, lines)
        assert not [ln for ln in lines if ln.endswith("100") or ln.startswith("000")]


def test_every_translated_text_keeps_its_numbers_whole():
    """One source: the translation table's texts come out of ``t`` with no plain space
    between digit groups (card titles, legends, notes in every page and file)."""
    from indicators.i18n import TEXT, t
    shown = [t(key, lang) for key in TEXT for lang in ("pt", "en")]
    assert "Taxa por 100\u00a0000 habitantes" in shown
    assert not [s for s in shown if SPLIT_NUMBER.search(s)]
