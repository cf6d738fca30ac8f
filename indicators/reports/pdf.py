"""The donor report as PDF, drawn with ReportLab (pure Python, no browser): A4 landscape, a
cover block, the narrative, the results table (header repeated on every page, numbers never
wrapped: each numeric column is as wide as its widest value), the EEA Grants communication
text, a sign-off block and the methodology annex in two columns; a running header and
"page n of N" on every page. The results table and the annex each open a new page unless
the page so far is nearly empty (a narrative's last lines, the sign-off alone), so that no
page but the last is left with a few lines."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BalancedColumns,
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from indicators.i18n import fmt_number, keep_numbers_whole, t
from indicators.reports.content import ReportContent

FONT, BOLD = "Helvetica", "Helvetica-Bold"
PAGE = landscape(A4)
MARGIN = 14 * mm
EEA_BLUE = colors.HexColor("#1f4e79")
ZEBRA = colors.HexColor("#f2f5f9")
CODE_SIZE = 6.5
TOP_MARGIN = MARGIN + 2 * mm
FRAME_HEIGHT = PAGE[1] - TOP_MARGIN - MARGIN
# A part that opens a page (the results table, the annex) does so unless the page so far
# holds less than this share of its height (the end of a long narrative, the sign-off
# alone): it then follows on that page instead of leaving it nearly empty.
NEAR_EMPTY = 0.4


def _style(name: str, size: float = 9, bold: bool = False, **kw: Any) -> ParagraphStyle:
    # splitLongWords=0: a word (or a number) is never cut; lines break at spaces only
    return ParagraphStyle(name, fontName=BOLD if bold else FONT, fontSize=size,
                          leading=size * 1.25, splitLongWords=0, **kw)


BODY = _style("body", 9.5, spaceAfter=4)
SMALL = _style("small", 8)
CELL = _style("cell", 8)
HEAD = _style("head", 7.5, bold=True, textColor=colors.white)
NUM_HEAD = _style("numhead", 7.5, bold=True, textColor=colors.white, alignment=TA_RIGHT)
H1 = _style("h1", 17, bold=True, textColor=EEA_BLUE, spaceAfter=6)
H2 = _style("h2", 12, bold=True, textColor=EEA_BLUE, spaceBefore=8, spaceAfter=4)
H3 = _style("h3", 10, bold=True, spaceBefore=6, spaceAfter=2)
# The annex's small print: a section's heading kept with its text
ANNEX_H = _style("annexh", 9, bold=True, spaceBefore=5, spaceAfter=1, keepWithNext=1)
ANNEX_BODY = _style("annexbody", 8.5, spaceAfter=2)


def pdf_text(text: str) -> str:
    """Text the standard PDF fonts can show (WinAnsi): the narrow no-break space becomes a
    no-break space, as does a plain space between a number's digit groups ("100 000", never
    wrapped); characters outside Latin-1 plus the euro sign and dashes are dropped."""
    text = keep_numbers_whole(text.replace("\u202f", "\u00a0"))
    for char, plain in (("≥", ">="), ("≤", "<="), ("−", "-"), ("→", "->")):
        text = text.replace(char, plain)
    allowed = {"€", "–", "—", "‘", "’", "“", "”", "•", "…"}
    return "".join(ch for ch in text if ord(ch) < 256 or ch in allowed)


def _esc(text: str) -> str:
    return pdf_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fmt_cell(value: Any, lang: str, year: bool = False, pct: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if year:
            return str(int(value))
        number = float(value)
        text = fmt_number(number, lang, 1 if pct else (0 if number.is_integer() else 1))
        return pdf_text(text + ("\u00a0%" if pct else ""))
    return pdf_text(str(value))


class _NumberedCanvas(Canvas):
    """Draws the running header and "page n of N" once the page count is known."""

    header = ""
    page_words = "{n}/{total}"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab API)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        width, height = PAGE
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(colors.HexColor("#444444"))
        self.drawString(MARGIN, height - 9 * mm, pdf_text(self.header))
        self.setStrokeColor(EEA_BLUE)
        self.setLineWidth(0.6)
        self.line(MARGIN, height - 10.5 * mm, width - MARGIN, height - 10.5 * mm)
        self.drawRightString(width - MARGIN, 7 * mm, pdf_text(
            self.page_words.format(n=self._pageNumber, total=total)))
        self.restoreState()


def _cover(content: ReportContent) -> list[Any]:
    rows = [[Paragraph(_esc(label), _style("cl", 9, bold=True)),
             Paragraph(_esc(value), _style("cv", 9))] for label, value in content.cover]
    block = Table(rows, colWidths=[62 * mm, 190 * mm], hAlign="LEFT")
    block.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#c8d2de")),
        ("BOX", (0, 0), (-1, -1), 0.8, EEA_BLUE),
        ("BACKGROUND", (0, 0), (0, -1), ZEBRA),
    ]))
    out: list[Any] = [Paragraph(_esc(t("rep.title", content.lang)), H1), block,
                      Spacer(1, 4 * mm)]
    for note in content.notes[:2] if (content.asked or content.synthetic) else ():
        if note.startswith(t("rep.source_text", content.lang)[:10]):
            break
        out.append(Paragraph(_esc(note), _style("warn", 9, bold=True,
                                                textColor=colors.HexColor("#8a4b00"))))
    out.append(Paragraph(_esc(content.communication), _style("comm", 9.5, spaceBefore=4,
                                                             textColor=EEA_BLUE)))
    return out


def _column_widths(header: Sequence[str], body: Sequence[Sequence[str]], numeric: set[int],
                   text_col: int, code_col: int, available: float) -> list[float]:
    """Numeric columns (and the code) as wide as their widest value and the longest word of
    their header, so that no number or code is ever wrapped; short text columns up to
    26 mm; the indicator name takes the rest of the page width."""
    pad = 7.0
    widths = []
    for i, head in enumerate(header):
        longest_word = max((stringWidth(w, BOLD, 7.5) for w in head.split()), default=0)
        size = CODE_SIZE if i == code_col else 8
        values = max((stringWidth(r[i], FONT, size) for r in body), default=0)
        if i in numeric:
            widths.append(max(longest_word, values) + pad)
        else:
            longest_value_word = max((stringWidth(w, FONT, 8) for r in body
                                      for w in r[i].split()), default=0)
            widths.append(max(longest_word, longest_value_word) + pad
                          if i != text_col else 0.0)
            widths[-1] = max(widths[-1], min(values + pad, 26 * mm)) if i != text_col else 0.0
    widths[text_col] = max(available - sum(widths), 36 * mm)
    return widths


def _results_table(content: ReportContent, available: float) -> Table:
    lang, tbl = content.lang, content.table
    years = {tbl.columns.index(t(k, lang)) for k in ("col.baseline_year", "col.target_year")}
    pct = {tbl.columns.index(t("col.pct_target", lang))}
    text_cols = {tbl.columns.index(t(k, lang)) for k in (
        "col.indicator", "col.level", "col.status", "res.col.value_status")}
    numeric = set(range(len(tbl.columns))) - text_cols  # and the code: never wrapped
    body = [[fmt_cell(v, lang, year=i in years, pct=i in pct) for i, v in enumerate(row)]
            for row in tbl.rows]
    header = [pdf_text(c) for c in tbl.columns]
    name_col = tbl.columns.index(t("col.indicator", lang))
    code = tbl.columns.index(t("col.code", lang))
    widths = _column_widths(header, body, numeric, name_col, code, available)
    data = [[Paragraph(_esc(h), NUM_HEAD if i in numeric and i != code else HEAD)
             for i, h in enumerate(header)]]
    for row in body:
        data.append([v if i in numeric else Paragraph(_esc(v), CELL)
                     for i, v in enumerate(row)])
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = [
        ("FONT", (0, 1), (-1, -1), FONT, 8),
        ("BACKGROUND", (0, 0), (-1, 0), EEA_BLUE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9aa7b5")),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in numeric if i != code]
    style += [("FONT", (code, 1), (code, -1), FONT, CODE_SIZE)]
    style += [("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(2, len(data), 2)]
    table.setStyle(TableStyle(style))
    return table


def _signoff(content: ReportContent, available: float) -> Table:
    lang = content.lang
    head = [Paragraph(_esc(role), _style("sr", 8.5, bold=True)) for role in content.signoff]
    lines = [[Paragraph(_esc(f"{t(k, lang)}:"), SMALL) for _ in content.signoff]
             for k in ("rep.signoff.name", "rep.signoff.signature", "rep.signoff.date")]
    block = Table([head, *lines], colWidths=[available / 2 - 4 * mm] * 2,
                  rowHeights=[None, 12 * mm, 12 * mm, 9 * mm], hAlign="LEFT")
    block.setStyle(TableStyle([("BOX", (0, 0), (0, -1), 0.6, colors.grey),
                               ("BOX", (1, 0), (1, -1), 0.6, colors.grey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return block


def _new_part() -> CondPageBreak:
    """A page break unless the page so far is nearly empty (:data:`NEAR_EMPTY`)."""
    return CondPageBreak((1 - NEAR_EMPTY) * FRAME_HEIGHT)


class _Whole(Paragraph):
    """A paragraph that is not split: where it does not fit, it moves on whole (to the next
    column), its heading with it (``keepWithNext``); only one taller than half a page is."""

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        _, height = self.wrap(availWidth, availHeight)
        return super().split(availWidth, availHeight) if height > FRAME_HEIGHT / 2 else []


def _annex(content: ReportContent, annex: Sequence[tuple[str, str]]) -> list[Any]:
    """The annex in two balanced columns (lines of a readable length on a landscape page),
    each section whole in one column."""
    # a section never breaks across the columns (a flag's definition read "(keeps the flag
    # while it does not change again)" alone at the top of the right column)
    sections = [para for heading, text in annex
                for para in (Paragraph(_esc(heading), ANNEX_H), _Whole(_esc(text), ANNEX_BODY))]
    return [_new_part(), Paragraph(_esc(t("res.annex", content.lang)), H2),
            BalancedColumns(sections, nCols=2, innerPadding=8 * mm, leftPadding=0,
                            rightPadding=0, topPadding=0)]


def render_pdf(content: ReportContent, annex: Sequence[tuple[str, str]]) -> bytes:
    """The report as PDF bytes. ``annex``: (heading, text) pairs of the methodology annex."""
    lang = content.lang
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=TOP_MARGIN, bottomMargin=MARGIN,
                            title=pdf_text(content.title), author="SGMAI/OTSH",
                            subject="EEA Grants", lang=lang)
    available = PAGE[0] - 2 * MARGIN
    story: list[Any] = _cover(content)
    story += [Paragraph(_esc(t("rep.summary", lang)), H2)]
    story += [Paragraph(_esc(p), BODY) for p in content.narrative]
    story += [_new_part(), Paragraph(_esc(content.table.title), H2),
              _results_table(content, available), Spacer(1, 3 * mm)]
    story += [Paragraph(_esc(n), SMALL) for n in content.notes]
    story += [Spacer(1, 5 * mm),
              KeepTogether([Paragraph(_esc(t("rep.signoff", lang)), H2),
                            _signoff(content, available)])]
    story += _annex(content, annex)

    class Numbered(_NumberedCanvas):
        header = content.header
        page_words = t("rep.page", lang, n="{n}", total="{total}")

    doc.build(story, canvasmaker=Numbered)
    return buffer.getvalue()
