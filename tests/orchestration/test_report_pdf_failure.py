"""A PDF that cannot be made never fails a release: the donor report step writes HTML, CSV and
XLSX, returns a bilingual warning, records it for the data-quality page, and the command's
summary says the release was published (not "nothing published")."""

from __future__ import annotations

import indicators.reports.donor
from bench.fixtures.callbacks import content_body, post
from bench.fixtures.users import signed_in_client
from dashboards.app import create_app
from indicators.reports.status import read_status
from observatory.commands.refresh import print_report
from orchestration.reports import write_donor_reports
from orchestration.runner import RefreshReport
from tests.dashboards.conftest import _release
from tests.security.conftest import make_access


def _no_pdf_engine(html: str, *args, **kwargs) -> bytes:
    raise indicators.reports.donor.PdfUnavailable("no PDF engine on this machine (test)")


def test_missing_pdf_engine_keeps_other_files_and_warns(settings, monkeypatch):
    path = _release(settings.serving_dir)
    release_id = path.stem
    monkeypatch.setattr(indicators.reports.donor, "render_report_pdf", _no_pdf_engine)
    made = write_donor_reports(settings.serving_dir, settings.data_dir / "reports", release_id)
    folder = settings.data_dir / "reports" / release_id
    # the fixture release has a complete calendar year and an interim period: two reports
    # per language, each without its PDF
    suffixes = sorted(p.suffix for p in made.files)
    assert suffixes == sorted([".csv", ".html", ".xlsx"] * 4)
    assert all(p.is_file() for p in made.files)
    assert not list(folder.glob("*.pdf"))
    assert len(made.warnings) == 4
    assert all("não produzido" in w and "not made" in w and "no PDF engine" in w
               for w in made.warnings)
    assert sorted(p.lang for p in read_status(folder)) == ["en", "pt"]


def test_pdf_made_again_clears_the_warning(settings, monkeypatch):
    release_id = _release(settings.serving_dir).stem
    reports = settings.data_dir / "reports"
    monkeypatch.setattr(indicators.reports.donor, "render_report_pdf", _no_pdf_engine)
    write_donor_reports(settings.serving_dir, reports, release_id)
    monkeypatch.setattr(indicators.reports.donor, "render_report_pdf",
                        lambda html, *a, **k: b"%PDF-")
    made = write_donor_reports(settings.serving_dir, reports, release_id)
    assert made.warnings == [] and read_status(reports / release_id) == []


def test_quality_page_shows_the_missing_pdf_in_both_languages(settings, monkeypatch):
    release_id = _release(settings.serving_dir).stem
    monkeypatch.setattr(indicators.reports.donor, "render_report_pdf", _no_pdf_engine)
    write_donor_reports(settings.serving_dir, settings.data_dir / "reports", release_id)
    app = create_app(settings, access_settings=make_access(settings))
    client = signed_in_client(app, settings.data_dir, "analyst")
    response = post(client, content_body("/quality", "?lang=en"))
    assert response.status_code == 200
    children = response.get_json()["response"]["page-content"]["children"]
    text = str(children[0])
    assert "report-pdf-warning" in text
    assert "The donor report PDF (en, pt) was not made" in text
    assert "O PDF do relatório para o doador (en, pt) não foi produzido" in text


def test_summary_says_published_when_a_later_step_failed(capsys, settings):
    report = RefreshReport(success=False, partitions=("2021-01-01", "2021-06-01"),
                           release_id="R1", release_path="/x/R1.duckdb", summary_en="first",
                           summary_pt="primeira", failed_steps=["donor_reports"],
                           errors=["donor_reports: boom"])
    print_report(report, settings.serving_dir)
    out = capsys.readouterr().out
    assert "Publicado / published: R1" in out
    assert "nothing published" not in out
    assert "donor_reports: boom" in out
