"""The donor report (an EEA Grants results report) as PDF, HTML, XLSX and CSV, read back as a
donor would: the PDF's text through a PDF reader library (pypdf), the workbook through
openpyxl, the CSV through the csv module."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
from pypdf import PdfReader

from bench.fixtures.users import signed_in_client
from dashboards.pages import results
from indicators.release_reader import ReleaseStore, open_release
from indicators.reports import donor as report

RELEASE_ID = "20240710T060000000000Z-abc123"


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _text(pdf: bytes) -> list[str]:
    """Each page's text, no-break spaces as plain spaces."""
    return [page.extract_text().replace("\u00a0", " ")
            for page in PdfReader(io.BytesIO(pdf)).pages]


def test_pdf_names_the_project_and_is_landscape_with_page_numbers(store: ReleaseStore):
    pdf = report.results_report_pdf(store.current(), "2023", "en")
    reader = PdfReader(io.BytesIO(pdf))
    pages = _text(pdf)
    assert len(pages) >= 3
    for page in reader.pages:  # A4 landscape: 842 x 595 pt
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
            842, 595)
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in text
        assert "EEA Grants · PDP7 · Results report · Year 2023" in text  # running header
    cover = pages[0]
    for fact in ("PDP7", "EEA Grants", "CIG", "SGMAI/OTSH", "LDO", "€295,147",
                 "Work-life Balance and Gender Equality", RELEASE_ID,
                 "Iceland, Liechtenstein and Norway"):
        assert fact in cover, fact
    assert "Methodology annex" in pages[-1]
    assert all("Methodology annex" not in p for p in pages[:-1])  # the annex on its own page


def _fragments(pdf: bytes) -> list[str]:
    """The PDF's text as drawn, one piece per text-showing operation (a table cell's
    value, a line of a paragraph): a number wrapped over two lines would be two pieces."""
    pieces: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=lambda text, *_: pieces.append(text))
    return [p.replace("\u00a0", " ").strip() for p in pieces if p.strip()]


def test_pdf_never_breaks_a_number_across_lines(store: ReleaseStore):
    rel = store.current()
    table = results.table_for(rel, "2023", "pt")
    pieces = _fragments(report.results_report_pdf(rel, "2023", "pt"))
    # fixture 2023: 210 professionals trained in the year (130 women, 80 men), 370 to date
    # (220 women, 150 men), 61.7 % of the target of 600 (one decimal, as on the page) — cell
    # after cell, each whole
    start = pieces.index("Profissionais formados")
    row = pieces[start:start + 16]
    assert row[row.index("600"):][:9] == ["600", "2025", "210", "130", "80", "370", "220",
                                          "150", "61,7 %"]
    # every number of the table is drawn whole, in one piece
    counts = [i for i, c in enumerate(table.columns)
              if c not in ("Ano base", "Ano da meta", "% da meta")]
    numbers = {report.fmt_number(float(r[i]), "pt").replace("\u00a0", " ")
               for r in table.rows for i in counts
               if isinstance(r[i], int | float) and not isinstance(r[i], bool)}
    assert numbers
    for number in numbers:
        assert number in pieces, number
    # and no indicator code is cut either
    for r in table.rows:
        assert r[-1] in pieces, r[-1]


def test_report_shows_the_requested_period_or_says_it_shows_another(store: ReleaseStore):
    rel = store.current()
    html = report.results_report_html(rel, "2024-P1", "en")
    assert "Interim period 1 of 2024 (Jan–Apr)" in html
    missing = report.results_report_html(rel, "2019", "en")
    assert "The requested period &#x27;2019&#x27; is not in this release" in missing


def test_pdf_route_serves_the_period_report_as_attachment(store: ReleaseStore, settings):
    from dashboards.app import create_app

    client = signed_in_client(create_app(settings, store), settings.data_dir)  # donors
    response = client.get("/report/results.pdf?lang=en&rperiod=2023")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-") and _pages(response.data) >= 1
    disposition = response.headers["Content-Disposition"]
    assert disposition == (f'attachment; filename="otsh_eea_results_2023_en_{RELEASE_ID}.pdf"')


def test_pdf_route_without_release_is_503_not_a_traceback(settings):
    from dashboards.app import create_app

    client = signed_in_client(create_app(settings), settings.data_dir)  # no release
    response = client.get("/report/results.pdf?lang=pt")
    assert response.status_code == 503
    assert b"Traceback" not in response.data


def test_results_page_links_the_pdf_of_the_chosen_period(store: ReleaseStore):
    rel = store.current()
    shown = results.view(rel, {"rperiod": "2023"}, "en")
    text = repr(shown.children)
    assert "/report/results.pdf?lang=en&rperiod=2023" in text
    assert "Report as PDF" in text


def test_report_html_has_the_annex_and_plain_years(store: ReleaseStore):
    html = report.results_report_html(store.current(), "2023", "en")
    assert "<h2>Methodology annex</h2>" in html and 'class="annex"' in html
    assert "No count between 1 and 4 is published" in html
    assert "default-src 'none'" in html  # nothing may be fetched while printing
    # baseline year 2022 / target year 2025 of the fixture, written as years
    assert '<td class="num">2022</td>' in html and '<td class="num">2025</td>' in html
    assert "2,022" not in html and "2,025" not in html
    # readable labels first, codes last
    header = re.search(r"<thead><tr>(.*?)</tr></thead>", html).group(1)
    cells = re.findall(r"<th[^>]*>(.*?)</th>", header)
    assert cells[0] == "Indicator" and cells[-1] == "Code"


def test_write_report_files_writes_html_pdf_xlsx_csv_with_language_and_period(
        release: Path, tmp_path: Path):
    out = tmp_path / "reports"
    paths = report.write_report_files(release, out, "pt")
    stem = f"otsh_eea_results_2023_pt_{RELEASE_ID}"  # the latest calendar year of the fixture
    assert paths == {ext: out / f"{stem}.{ext}" for ext in ("html", "pdf", "xlsx", "csv")}
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths.values())

    html = paths["html"].read_text(encoding="utf-8")
    assert '<html lang="pt">' in html and "Anexo metodológico" in html
    # the file is the page the dashboard serves (its content built once for the four files)
    rel = open_release(release.parent, release.name)
    try:
        assert html == report.results_report_html(rel, "2023", "pt")
    finally:
        rel.close()
    assert _pages(paths["pdf"].read_bytes()) >= 3

    text = paths["csv"].read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    head, _, body = text.lstrip("\ufeff").partition("\r\n\r\n")
    assert "# Projeto: PDP7" in head and f"# Versão dos dados: {RELEASE_ID}" in head
    assert "DADOS SINTÉTICOS" in head and "Sinais: c = confidencial" in head
    rows = list(csv.reader(io.StringIO(body)))
    by_code = {row[-1]: row for row in rows[1:]}
    assert set(by_code) == {"EEA_VICTIMS_SUPPORTED", "EEA_PROFESSIONALS_TRAINED",
                            "EEA_TRAINING_SESSIONS", "EEA_GUIDELINES_DEVELOPED"}
    cols = rows[0]
    trained = dict(zip(cols, by_code["EEA_PROFESSIONALS_TRAINED"], strict=True))
    # fixture 2023: 210 in the year (130 women, 80 men), 370 to date (220 women, 150 men)
    assert (trained["Alcançado no período"], trained["Período: mulheres"],
            trained["Período: homens"]) == ("210", "130", "80")
    assert (trained["Alcançado acumulado"], trained["Acumulado: mulheres"],
            trained["Acumulado: homens"]) == ("370", "220", "150")
    supported = dict(zip(cols, by_code["EEA_VICTIMS_SUPPORTED"], strict=True))
    assert supported["Período: homens"] == "c"   # 3 men: confidential, never the count

    # every header line is a bare comment (a reader skipping "#" lines reads the table), once
    lines = head.split("\r\n")
    assert all(line.startswith("# ") for line in lines), lines
    assert "# DADOS SINTÉTICOS — não são dados reais." in lines
    assert not any(line.count("DADOS SINTÉTICOS") + line.count("Dados sintéticos") > 1
                   or line.count("Relatório de resultados EEA Grants") > 1 for line in lines)
    # % of target rounded as on the page (one decimal), never a float's full expansion
    pcts = [row[cols.index("% da meta")] for row in rows[1:] if row[cols.index("% da meta")]]
    assert pcts and all(len(p.partition(".")[2]) <= 1 for p in pcts), pcts

    book = openpyxl.load_workbook(paths["xlsx"])
    sheet = book["resultados"]
    assert sheet.cell(row=1, column=1).value == "Quadro de resultados EEA Grants — Ano 2023"
    assert sheet.freeze_panes == "B5"
    header = [c.value for c in sheet[4]]
    row = next(r for r in sheet.iter_rows(min_row=5) if r[-1].value == "EEA_PROFESSIONALS_TRAINED")
    achieved = row[header.index("Alcançado acumulado")]
    assert achieved.value == 370 and achieved.number_format == "#,##0"
    notes = {r[0].value: r[1].value for r in book["notas"].iter_rows()}
    assert notes["Projeto"] == "PDP7" and notes["Versão dos dados"] == RELEASE_ID


def test_donor_csv_and_xlsx_routes_carry_the_metadata_and_the_period(store: ReleaseStore,
                                                                     settings):
    from dashboards.app import create_app

    client = signed_in_client(create_app(settings, store), settings.data_dir)  # donors
    response = client.get("/report/results.csv?lang=en&rperiod=2024-P1")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="otsh_eea_results_2024-P1_en_{RELEASE_ID}.csv"')
    text = response.data.decode("utf-8")
    assert "# Reporting period: Interim period 1 of 2024 (Jan–Apr)" in text
    assert "# Project: PDP7" in text and "SYNTHETIC DATA" in text
    xlsx = client.get("/report/results.xlsx?lang=pt&rperiod=2023")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["resultados", "notas"]
