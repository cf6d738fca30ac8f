"""Donor report files of a release for the latest calendar year and the latest interim-report
period: the EEA Grants results report as CSV and XLSX (with their metadata), the printable
HTML report with its methodology annex and its PDF (drawn by ReportLab), in Portuguese and
English. Built by ``indicators.reports.donor.write_report_files`` (the same code the
dashboard serves them with) from the published release only, so the files are exactly what
the results page offers for download.

Files: ``$OBS_DATA_DIR/reports/<release_id>/otsh_eea_results_<period>_<lang>_<release_id>``
with the suffixes ``.html``, ``.pdf``, ``.csv`` and ``.xlsx``.

A PDF that cannot be made never fails the release: the other files are written, the problem
is returned as a bilingual warning (run summary) and recorded in the folder's
``status.json`` (``indicators.reports.status``), which the data-quality page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from indicators.reports.status import PdfProblem, write_status

if TYPE_CHECKING:
    from indicators.release_reader import Release
    from indicators.reports.content import ReportContent
    from indicators.reports.pdf_helper import PdfHelper

LANGUAGES = ("pt", "en")


@dataclass
class DonorReports:
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # bilingual, one per missing PDF


def pdf_warning(lang: str, period: str, reason: str) -> str:
    return (f"PDF do relatório ({lang}, {period}) não produzido; HTML, CSV e XLSX escritos / "
            f"report PDF ({lang}, {period}) not made; HTML, CSV and XLSX written: {reason}")


def write_donor_reports(serving_dir: Path, reports_dir: Path, release_id: str) -> DonorReports:
    """Write the report files of ``release_id`` for every language (none when the release
    has no EEA Grants reporting period). A PDF that cannot be made
    (``indicators.reports.donor.PdfUnavailable``) leaves the other files written and becomes a
    warning and an entry of ``status.json``. With a PDF helper waiting
    (``indicators.reports.pdf_helper.prestart``), it draws the PDFs while this process
    writes the other files; the files are the same either way."""
    from indicators.eea_results import is_year
    from indicators.release_reader import open_release, reporting_periods
    from indicators.reports import pdf_helper

    folder = reports_dir / release_id
    out = DonorReports()
    problems: list[PdfProblem] = []
    helper = pdf_helper.take()
    rel = open_release(serving_dir, f"{release_id}.duckdb")
    try:
        periods = reporting_periods(rel)
        latest = [kind[-1] for kind in ([p for p in periods if is_year(p)],
                                        [p for p in periods if not is_year(p)]) if kind]
        jobs = [_tables(rel, folder, lang, period, helper)
                for lang in LANGUAGES for period in latest]
        for job in jobs:
            pdf = helper.receive() if job.sent and helper is not None else None
            _finish(job, pdf, folder, release_id, out, problems)
    finally:
        if helper is not None:
            helper.close()
        rel.close()
    if folder.exists() or problems:
        write_status(folder, problems)
    return out


@dataclass
class _Job:
    lang: str
    period: str
    paths: dict[str, Path]
    content: ReportContent
    annex: list[tuple[str, str]]
    sent: bool  # its PDF asked of the helper


def _tables(rel: Release, folder: Path, lang: str, period: str,
            helper: PdfHelper | None) -> _Job:
    """One report's HTML, XLSX and CSV written, its PDF asked of ``helper`` (if any)."""
    from indicators.reports.donor import write_report_tables

    paths, content, annex = write_report_tables(rel, folder, lang, period)
    sent = helper is not None and helper.send(content, annex)
    return _Job(lang, period, paths, content, annex, sent)


def _finish(job: _Job, pdf: bytes | None, folder: Path, release_id: str, out: DonorReports,
            problems: list[PdfProblem]) -> None:
    """Write ``job``'s PDF (``pdf``, or drawn here when the helper gave none); a PDF that
    cannot be drawn becomes a warning (one ``status.json`` entry per language)."""
    from indicators.reports import donor

    try:
        donor.write_report_pdf(job.paths["pdf"], pdf if pdf is not None
                               else donor.render_report_pdf(job.content, job.annex))
        out.files += job.paths.values()
    except donor.PdfUnavailable as error:
        if job.lang not in {p.lang for p in problems}:
            problems.append(PdfProblem(lang=job.lang, reason=str(error)))
        out.warnings.append(pdf_warning(job.lang, job.period, str(error)))
        out.files += [p for p in folder.glob(f"*_{job.period}_{job.lang}_{release_id}.*")
                      if p.suffix != ".pdf"]
