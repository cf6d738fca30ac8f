"""The donor report as PDF (headless Chromium print-to-PDF) and the report files the monthly
refresh writes. Each PDF print takes about 1 s (one Chromium process)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest

from dashboards import report
from dashboards.data import ReleaseStore
from dashboards.pages import results
from tests.security.users_fixture import signed_in_client

RELEASE_ID = "20240710T060000000000Z-abc123"


def _pages(pdf: bytes) -> int:
    """Page objects in a PDF (Chromium writes them uncompressed: ``/Type /Page``)."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def test_render_report_pdf_prints_html_to_a_pdf():
    html = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'></head>"
            "<body><h1>Relatório ç</h1></body></html>")
    pdf = report.render_report_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert _pages(pdf) == 1
    assert pdf.rstrip().endswith(b"%%EOF")


def test_render_report_pdf_reports_a_missing_chromium(tmp_path: Path):
    with pytest.raises(report.PdfUnavailable):
        report.render_report_pdf("<p>x</p>", chromium=str(tmp_path / "no-chromium"))


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
    assert "<h2>Methodology annex</h2>" in html
    assert "No count between 1 and 4 is published" in html
    assert "default-src 'none'" in html  # nothing may be fetched while printing
    # baseline year 2022 / target year 2025 of the fixture, written as years
    assert '<td class="num">2022</td>' in html and '<td class="num">2025</td>' in html
    assert "2,022" not in html and "2,025" not in html


def test_write_report_files_writes_html_pdf_xlsx_csv_of_the_latest_period(
        release: Path, tmp_path: Path):
    out = tmp_path / "reports"
    paths = report.write_report_files(release, out, "pt")
    stem = f"otsh_eea_results_to-date_pt_{RELEASE_ID}"  # latest period of the fixture
    assert paths == {ext: out / f"{stem}.{ext}" for ext in ("html", "pdf", "xlsx", "csv")}
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths.values())

    html = paths["html"].read_text(encoding="utf-8")
    assert '<html lang="pt">' in html and "Anexo metodológico" in html
    assert paths["pdf"].read_bytes().startswith(b"%PDF-") and _pages(
        paths["pdf"].read_bytes()) >= 1

    text = paths["csv"].read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == {"EEA_VICTIMS_SUPPORTED", "EEA_PROFESSIONALS_TRAINED",
                            "EEA_TRAINING_SESSIONS", "EEA_GUIDELINES_DEVELOPED"}
    # fixture to-date: 370 professionals trained (220 women, 150 men); 2 guidelines -> c
    trained = by_code["EEA_PROFESSIONALS_TRAINED"]
    assert trained[3] == "to-date" and trained[8] == "370"
    assert trained[10] == "220" and trained[12] == "150"
    guidelines = by_code["EEA_GUIDELINES_DEVELOPED"]
    assert guidelines[8] == "" and "c" in guidelines[9]

    sheet = openpyxl.load_workbook(paths["xlsx"]).active
    assert sheet.cell(row=1, column=1).value == "Quadro de resultados EEA Grants — to-date"
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    trained_row = next(v for v in values if v[0] == "EEA_PROFESSIONALS_TRAINED")
    assert trained_row[8] == 370 and trained_row[3] == "to-date"
