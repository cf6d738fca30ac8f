"""The donor report lists its indicators in one order in Portuguese and English, so CIG (who
reads it in Portuguese) and the Norwegian partner (in English) can compare it line by line:
the results table of every format (HTML, PDF, CSV, XLSX) and the methodology annex follow
the registry's order (the outcome first), not each language's alphabetical order of the
names (which differ: "Sessões de sensibilização…" / "Awareness sessions…")."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
from pypdf import PdfReader

from indicators.i18n import t
from indicators.registry import load_registry
from indicators.release_reader import ReleaseStore
from indicators.reports import donor
from indicators.reports import results_table as results
from indicators.reports.content import build

CODE = re.compile(r"\bEEA_[A-Z_]+\b")


def _registry_order(codes: set[str]) -> list[str]:
    """``codes`` in the registry's order, its outcome indicators first."""
    registry = load_registry()
    return sorted((c for c in registry.codes if c in codes),
                  key=lambda c: registry.get(c).level != "outcome")


def _html_codes(html: str) -> tuple[list[str], list[str]]:
    """The codes of the results table's rows and of the annex's headings, in order."""
    table = html[html.index("<tbody>"):html.index("</tbody>")]
    rows = [c.replace("<wbr>", "") for c in re.findall(r'<td class="code">(.*?)</td>', table)]
    annex = html[html.index('<section class="annex">'):]
    return rows, re.findall(r"<h3>[^<]*\((EEA_[A-Z_]+)\)</h3>", annex)


def _csv_codes(text: str) -> list[str]:
    lines = [line for line in text.lstrip("\ufeff").splitlines() if not line.startswith("#")]
    rows = list(csv.reader(io.StringIO("\n".join(lines).strip())))
    return [row[-1] for row in rows[1:]]


def _xlsx_codes(data: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [row[-1] for row in sheet.iter_rows(min_row=5, values_only=True) if row[-1]]


def _pdf_codes(pdf: bytes, lang: str) -> tuple[list[str], list[str]]:
    """The codes in the PDF's results table, then in its annex (headings "Name (CODE)")."""
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    table, _, annex = text.partition(t("res.annex", lang))
    heads = re.findall(r"\((EEA_[A-Z_]+)\)", annex.replace("\n", ""))
    return CODE.findall(table.replace("_\n", "_")), heads


def test_portuguese_and_english_reports_list_the_indicators_in_one_order(
        store: ReleaseStore):
    rel = store.current()
    tables = {lang: [row[-1] for row in build(rel, "2023", lang).table.rows]
              for lang in ("pt", "en")}
    codes = tables["pt"]
    assert len(codes) > 2 and len(set(codes)) == len(codes), codes
    names = {lang: [getattr(load_registry().get(c), f"name_{lang}") for c in codes]
             for lang in ("pt", "en")}
    # the proof that this matters: sorted by name, the two languages would differ
    assert sorted(codes, key=dict(zip(codes, names["pt"], strict=True)).get) != sorted(
        codes, key=dict(zip(codes, names["en"], strict=True)).get)
    assert tables["en"] == codes
    assert codes == _registry_order(set(codes))
    assert [m["code"] for m in results.eea_indicators(rel) if m["code"] in codes] == codes


def test_every_format_and_the_annex_follow_the_results_order(store: ReleaseStore):
    rel = store.current()
    codes = [row[-1] for row in build(rel, "2023", "pt").table.rows]
    for lang in ("pt", "en"):
        table, annex = _html_codes(donor.results_report_html(rel, "2023", lang))
        assert table == codes, lang
        assert annex == codes, lang
        assert [h.rsplit("(", 1)[1].rstrip(")")
                for h, _ in donor.annex_sections(rel, lang)[3:]] == _registry_order(
            {m["code"] for m in results.eea_indicators(rel)}), lang
        _, csv_bytes, _ = donor.report_table_file(rel, "2023", lang, "csv")
        assert _csv_codes(csv_bytes.decode("utf-8")) == codes, lang
        _, xlsx_bytes, _ = donor.report_table_file(rel, "2023", lang, "xlsx")
        assert _xlsx_codes(xlsx_bytes) == codes, lang
        pdf_table, pdf_annex = _pdf_codes(donor.results_report_pdf(rel, "2023", lang), lang)
        assert pdf_table == codes, lang
        assert pdf_annex == codes, lang
