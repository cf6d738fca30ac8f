"""The donor report (an EEA Grants results report) of one reporting period: the printable
HTML served at ``/report/results``, its PDF (``/report/results.pdf``, drawn by ReportLab —
no browser), and the XLSX and CSV files. Every format shows the same content
(``indicators.reports.content``): cover block, narrative, results table with readable labels
first and codes last, notes, sign-off and the methodology annex. Every text from data is
escaped; the HTML is self-contained (inline CSS, no script, no external resource) and
forbids any fetch with a Content-Security-Policy.

``write_report_files(release, out_dir, lang, rperiod)`` writes the four files (the monthly
refresh calls it after publishing a release).
"""

from __future__ import annotations

import io
import os
import re
from html import escape
from pathlib import Path

import xlsxwriter

from indicators.i18n import fmt_number, t
from indicators.release_reader import Release, open_release
from indicators.reports import annex as methodology
from indicators.reports import exports
from indicators.reports import results_table as results
from indicators.reports.content import ReportContent, build
from indicators.reports.pdf import render_pdf

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1a1a1a;
margin:1.5rem}
body>:not(.wide){max-width:78rem}
h1{font-size:1.5rem;color:#1f4e79}h2{font-size:1.2rem;margin-top:1.6rem;color:#1f4e79}
table{border-collapse:collapse;font-size:.8rem}
th,td{border:1px solid #9aa7b5;padding:.25rem .35rem;text-align:left;vertical-align:top}
th{background:#1f4e79;color:#fff}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th.num{text-align:right}td.code{font-size:.7rem;color:#444}
table.cover th{background:#f2f5f9;color:#1a1a1a;width:min(16rem,35vw)}
table.cover td{overflow-wrap:anywhere}
.note{background:#fff4ce;padding:.5rem;border-left:4px solid #8a6d00}
.eea{color:#1f4e79;font-weight:600}
.signoff td{height:2.5rem;width:min(24rem,40vw)}
caption{text-align:left;font-weight:600;padding:.3rem 0}
.wide{overflow-x:auto}
h2,h3{break-after:avoid;page-break-after:avoid}
.signoff{break-inside:avoid;page-break-inside:avoid}
.annex{columns:2;column-gap:2rem;font-size:.9rem}.annex h2{column-span:all}
.annex h3{font-size:.95rem;margin:.8rem 0 .2rem}.annex p{margin:0}
@media screen and (max-width:40rem){body{margin:.75rem}.annex{columns:1}}
@media print{body{margin:0}body>:not(.wide){max-width:none}
table.cover th{width:16rem}.signoff td{width:24rem}
a{color:inherit;text-decoration:none}
tr{page-break-inside:avoid}thead{display:table-header-group}.wide{overflow:visible}}
@page{size:A4 landscape;margin:12mm}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'"


class PdfUnavailable(RuntimeError):
    """The PDF could not be drawn."""


def annex_sections(rel: Release, lang: str, codes: set[str] | None = None
                   ) -> list[tuple[str, str]]:
    """(heading, text) pairs of the methodology annex: how results are computed, the
    disclosure rule, the flags and the definition of each indicator of ``codes`` (default:
    every EEA Grants indicator), in the results table's order."""
    from indicators.registry import load_registry

    registry = load_registry()
    out = [(t("rep.method.results_h", lang),
            t("rep.method.results", lang, start=f"{registry.results_start:%Y-%m}",
              on_track=fmt_number(100 * (1 - registry.tolerance), lang))),
           (t("me.disclosure", lang), methodology.disclosure_text(rel, lang)),
           (t("me.flags", lang, letters=", ".join(methodology.FLAG_LETTERS)), " · ".join(
               f"{f} — {t(f'me.flag_desc.{f}', lang)}" for f in methodology.FLAG_LETTERS))]
    defined = {row[0]: row for row in methodology.indicators_table(rel, lang).rows}
    for m in results.eea_indicators(rel):
        row = defined[m["code"]]
        if codes is None or row[0] in codes:
            out.append((f"{row[1]} ({row[0]})", row[2]))
    return out


def _codes(content: ReportContent) -> set[str]:
    return {str(row[-1]) for row in content.table.rows}


def _cell(value: object, lang: str, year: bool = False, pct: bool = False) -> str:
    if value in results.FLAG_CELLS:
        title = escape(t(f"flag.{value}", lang))
        return f'<td class="num"><abbr title="{title}">{escape(str(value))}</abbr></td>'
    if value is None:
        return "<td></td>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if year:
            return f'<td class="num">{int(value)}</td>'
        number = float(value)
        text = fmt_number(number, lang, 1 if pct else (0 if number.is_integer() else 1))
        return f'<td class="num">{escape(text + (chr(160) + "%" if pct else ""))}</td>'
    return f"<td>{_slash_breaks(escape(str(value)))}</td>"


def _slash_breaks(text: str) -> str:
    """A line may break after a slash between words ("Orientações/<wbr>fluxogramas"):
    the two words joined are the widest of the results table in Portuguese."""
    return text.replace("/", "/<wbr>")


def _table_html(content: ReportContent) -> str:
    lang, tbl = content.lang, content.table
    years = {tbl.columns.index(t(k, lang)) for k in ("col.baseline_year", "col.target_year")}
    pct = tbl.columns.index(t("col.pct_target", lang))
    text_cols = {tbl.columns.index(t(k, lang)) for k in (
        "col.indicator", "col.level", "col.status", "res.col.value_status", "col.code")}
    head = "".join(f'<th scope="col"{"" if i in text_cols else " class=num"}>{escape(c)}</th>'
                   for i, c in enumerate(tbl.columns))
    def code(value: object) -> str:  # a code may break after an underscore only
        return f'<td class="code">{escape(str(value)).replace("_", "_<wbr>")}</td>'

    body = "".join(
        "<tr>" + "".join(_cell(v, lang, year=i in years, pct=i == pct)
                         for i, v in enumerate(row[:-1])) + code(row[-1]) + "</tr>"
        for row in tbl.rows)
    return (f'<div class="wide" tabindex="0" role="region" aria-label="{escape(tbl.title)}">'
            f"<table><caption>{escape(tbl.title)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


def results_report_html(rel: Release, rperiod: str | None, lang: str,
                        content: ReportContent | None = None) -> str:
    """The printable HTML report; ``content``: the report's content when already built
    (:func:`write_report_files` builds it once for its four files)."""
    content = build(rel, rperiod, lang) if content is None else content
    cover = "".join(f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>'
                    for k, v in content.cover)
    warnings = "".join(f'<p class="note">{escape(n)}</p>' for n in content.notes
                       if n in (t("app.synthetic", content.lang),)
                       or (content.asked and content.asked in n))
    narrative = "".join(f"<p>{escape(p)}</p>" for p in content.narrative)
    notes = "".join(f"<li>{escape(n)}</li>" for n in content.notes)
    signoff = "".join(
        f"<tr><th scope='col' colspan='2'>{escape(role)}</th></tr>"
        + "".join(f"<tr><td>{escape(t(k, content.lang))}</td><td></td></tr>"
                  for k in ("rep.signoff.name", "rep.signoff.signature", "rep.signoff.date"))
        for role in content.signoff)
    annex = "".join(f"<h3>{escape(h)}</h3><p>{escape(x)}</p>"
                    for h, x in annex_sections(rel, content.lang, _codes(content)))
    return f"""<!DOCTYPE html>
<html lang="{escape(content.lang)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(content.title)}</title><style>{CSS}</style></head>
<body>
<header><p>{escape(content.header)}</p></header>
<h1>{escape(t("rep.title", content.lang))}</h1>
{warnings}
<table class="cover">{cover}</table>
<p class="eea">{escape(content.communication)}</p>
<h2>{escape(t("rep.summary", content.lang))}</h2>
{narrative}
<h2>{escape(t("rep.results", content.lang))}</h2>
{_table_html(content)}
<h2>{escape(t("rep.notes", content.lang))}</h2><ul>{notes}</ul>
<h2>{escape(t("rep.signoff", content.lang))}</h2>
<table class="signoff">{signoff}</table>
<section class="annex"><h2>{escape(t("res.annex", content.lang))}</h2>{annex}</section>
</body></html>"""


def render_report_pdf(content: ReportContent, annex: list[tuple[str, str]]) -> bytes:
    """The PDF bytes of a report's content (ReportLab); :class:`PdfUnavailable` on failure."""
    try:
        return render_pdf(content, annex)
    except Exception as error:  # a drawing failure must not take the page down
        raise PdfUnavailable(f"the PDF report could not be drawn: {error}") from error


def results_report_pdf(rel: Release, rperiod: str | None, lang: str) -> bytes:
    """The PDF of the report of ``rperiod``, drawn once per release, period and language."""
    rp = results.normalise(rel, {"rperiod": rperiod})["rperiod"]

    def draw() -> bytes:
        content = build(rel, rp, lang)
        return render_report_pdf(content, annex_sections(rel, lang, _codes(content)))

    return rel.cached(("report-pdf", rp, lang), draw)


def report_stem(rel: Release, rperiod: str | None, lang: str) -> str:
    """``otsh_eea_results_<period>_<lang>_<release>``, ASCII letters, digits, ``_.-`` only."""
    raw = f"otsh_eea_results_{rperiod or 'none'}_{lang}_{rel.release_id}"
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", raw)


def metadata_rows(content: ReportContent) -> list[tuple[str, str]]:
    """(label, value) pairs heading the CSV and filling the XLSX notes sheet."""
    rows = [(t("rep.title_label", content.lang), content.title), *content.cover]
    if content.synthetic:
        rows.insert(0, (t("rep.synthetic_file", content.lang), ""))
    rows += [(t("rep.notes", content.lang), n) for n in content.notes]
    return rows


def report_csv(content: ReportContent) -> str:
    """CSV: a metadata header (``# label: value`` comment lines, written as they are so a
    reader that skips ``#`` lines reads the table), a blank line, then the table."""
    lines = []
    for label, value in metadata_rows(content):
        text = f"# {label}: {value}" if value else f"# {label}"
        lines.append(" ".join(text.split()))  # one physical line each
    return "\r\n".join(lines) + "\r\n\r\n" + exports.to_csv(content.table)


def report_xlsx(content: ReportContent) -> bytes:
    """XLSX: the results sheet (frozen header, number formats, widths) and a notes sheet
    (source, release, flags, synthetic notice)."""
    lang, tbl = content.lang, content.table
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                            "bg_color": "#1F4E79", "font_color": "#FFFFFF", "border": 1})
    formats = {"count": book.add_format({"num_format": "#,##0", "border": 1}),
               "pct": book.add_format({"num_format": "0.0", "border": 1}),
               "year": book.add_format({"num_format": "0", "border": 1}),
               "flag": book.add_format({"align": "right", "border": 1}),
               "text": book.add_format({"text_wrap": True, "valign": "top", "border": 1})}
    sheet = book.add_worksheet("results" if lang == "en" else "resultados")
    sheet.write_string(0, 0, tbl.title, bold)
    if content.synthetic:
        sheet.write_string(1, 0, t("app.synthetic", lang), bold)
    years = {tbl.columns.index(t(k, lang)) for k in ("col.baseline_year", "col.target_year")}
    pct = tbl.columns.index(t("col.pct_target", lang))
    for col, header in enumerate(tbl.columns):
        sheet.write_string(3, col, header, head)
        width = 46 if col == 0 else (18 if isinstance(tbl.rows[0][col] if tbl.rows else 0,
                                                       str) else 12)
        sheet.set_column(col, col, width)
    for r, row in enumerate(tbl.rows, start=4):
        for col, value in enumerate(row):
            if isinstance(value, int | float) and not isinstance(value, bool):
                kind = "year" if col in years else ("pct" if col == pct else "count")
                sheet.write_number(r, col, value, formats[kind])
            elif value in results.FLAG_CELLS:
                sheet.write_string(r, col, value, formats["flag"])
            elif value is None:
                sheet.write_blank(r, col, None, formats["text"])
            else:
                sheet.write_string(r, col, str(value), formats["text"])
    sheet.freeze_panes(4, 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(3)
    notes = book.add_worksheet("notes" if lang == "en" else "notas")
    notes.set_column(0, 0, 34)
    notes.set_column(1, 1, 120)
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for r, (label, value) in enumerate(metadata_rows(content)):
        notes.write_string(r, 0, label, bold)
        notes.write_string(r, 1, value, wrap)
    book.close()
    return buffer.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_table_file(rel: Release, rperiod: str | None, lang: str, fmt: str
                      ) -> tuple[str, bytes, str]:
    """(file name, bytes, MIME type) of the report's CSV or XLSX for a download."""
    rp = results.normalise(rel, {"rperiod": rperiod})["rperiod"]
    content = build(rel, rp, lang)
    stem = report_stem(rel, rp, lang)
    if fmt == "xlsx":
        return f"{stem}.xlsx", report_xlsx(content), XLSX_TYPE
    return f"{stem}.csv", ("\ufeff" + report_csv(content)).encode("utf-8"), "text/csv"


def _write_atomic(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def write_report_files(release: Release | Path, out_dir: Path, lang: str = "pt",
                       rperiod: str | None = None) -> dict[str, Path]:
    """Write the donor report of ``rperiod`` (default: the latest calendar year, as the
    results page shows it) as HTML, PDF, XLSX and CSV into ``out_dir``.

    ``release`` is an opened :class:`Release` or the path of a published release file
    (``serving/<id>.duckdb``, opened read-only and closed again). Returns
    ``{"html": path, "pdf": path, "xlsx": path, "csv": path}``; file names carry the
    period and the language. HTML, XLSX and CSV are written first; a drawing failure then
    raises :class:`PdfUnavailable`.
    """
    if isinstance(release, Path | str):
        path = Path(release)
        rel = open_release(path.parent, path.name)
        try:
            return write_report_files(rel, out_dir, lang, rperiod)
        finally:
            rel.close()
    rel = release
    rp = results.normalise(rel, {"rperiod": rperiod})["rperiod"]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = report_stem(rel, rp, lang)
    content = build(rel, rp, lang)
    paths = {ext: out / f"{stem}.{ext}" for ext in ("html", "pdf", "xlsx", "csv")}
    _write_atomic(paths["html"], results_report_html(rel, rp, lang, content).encode("utf-8"))
    _write_atomic(paths["xlsx"], report_xlsx(content))
    _write_atomic(paths["csv"], ("\ufeff" + report_csv(content)).encode("utf-8"))
    _write_atomic(paths["pdf"], render_report_pdf(content,
                                                  annex_sections(rel, lang, _codes(content))))
    return paths
