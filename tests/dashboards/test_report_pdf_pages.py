"""The donor report's PDF leaves no page nearly empty before its last one: a heading and
the sign-off never sit alone on a page, whatever the number of indicators. Each page's
filled height is read back from the PDF (pypdf: where its text is drawn)."""

from __future__ import annotations

import dataclasses
import io
from itertools import cycle, islice

import pytest
from pypdf import PageObject, PdfReader

from indicators.release_reader import ReleaseStore
from indicators.reports import donor
from indicators.reports.content import narrative
from indicators.reports.pdf import render_pdf

EDGE = 12 * 72 / 25.4  # the running header and the page number lie within 12 mm of an edge


def _text_heights(page: PageObject) -> list[float]:
    """Heights above the page's foot where its text is drawn, header and page number left out."""
    height = float(page.mediabox.height)
    heights: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and EDGE < y < height - EDGE:
            heights.append(y)

    page.extract_text(visitor_text=visit)
    return heights


def filled(pdf: bytes) -> list[float]:
    """Each page's share of its body height (page less 14 mm margins) that lies above its
    lowest line of text: 0.2 for a page holding only a block at its top."""
    margin = 14 * 72 / 25.4
    shares = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        height, heights = float(page.mediabox.height), _text_heights(page)
        shares.append((height - margin - min(heights)) / (height - 2 * margin)
                      if heights else 0.0)
    return shares


def test_filled_measures_a_page_holding_only_its_top(store: ReleaseStore):
    """The measure itself: the fixture's report as it is; the annex page holds a few
    short sections, the results page a table, notes and the sign-off."""
    shares = filled(donor.results_report_pdf(store.current(), "2023", "en"))
    assert all(0.3 < s <= 1.0 for s in shares), shares


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_no_page_but_the_last_is_nearly_empty_for_any_number_of_indicators(
        store: ReleaseStore, lang: str):
    """The fixture's results repeated to 1…24 rows (the sample has 9, each name two or
    three lines long in Portuguese), the annex of every EEA Grants indicator (as the
    sample's): every page but the last at least 30 % filled."""
    rel = store.current()
    content = donor.build(rel, "2023", lang)
    annex = donor.annex_sections(rel, lang)
    rows = content.table.rows
    thin = {}
    for n in range(1, 25):
        table = dataclasses.replace(content.table, rows=tuple(islice(cycle(rows), n)))
        report = dataclasses.replace(content, table=table,
                                     narrative=narrative(table, content.period_label, lang))
        shares = filled(render_pdf(report, annex))
        if any(share < 0.3 for share in shares[:-1]):
            thin[n] = [round(s, 2) for s in shares]
    assert not thin, thin



def test_an_annex_section_moves_whole_to_the_next_column(store: ReleaseStore):
    """A user review found the flags' definition ending "(keeps the flag while it does not
    change again)" alone at the top of the right column of the donor PDF. An annex text that
    does not fit where it is moves on whole (its heading keeps with it); only a text taller
    than half a page may still be cut (else it could never be placed)."""
    from indicators.reports.pdf import ANNEX_BODY, ANNEX_H, FRAME_HEIGHT, _annex

    content = donor.build(store.current(), "2023", "en")
    short = "figures are computed from the protected counts " * 20
    long = short * 12
    columns = _annex(content, [("Flags", short), ("Long", long)])[-1]
    paragraphs = columns._content
    assert [p.style for p in paragraphs] == [ANNEX_H, ANNEX_BODY, ANNEX_H, ANNEX_BODY]
    assert all(p.style.keepWithNext for p in paragraphs[0::2])
    width = 120 * 72 / 25.4
    body, tall = paragraphs[1], paragraphs[3]
    assert body.wrap(width, FRAME_HEIGHT)[1] < FRAME_HEIGHT / 2
    assert body.split(width, 20) == []  # 20 pt left in the column: it moves on whole
    assert tall.wrap(width, FRAME_HEIGHT)[1] > FRAME_HEIGHT / 2
    assert len(tall.split(width, FRAME_HEIGHT / 2)) == 2  # too tall to move: cut
