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
    warning and an entry of ``status.json``."""
    from indicators.eea_results import is_year
    from indicators.release_reader import open_release, reporting_periods
    from indicators.reports.donor import PdfUnavailable, write_report_files
    from indicators.reports.status import PdfProblem, write_status

    folder = reports_dir / release_id
    out = DonorReports()
    problems: list[PdfProblem] = []
    rel = open_release(serving_dir, f"{release_id}.duckdb")
    try:
        periods = reporting_periods(rel)
        latest = [kind[-1] for kind in ([p for p in periods if is_year(p)],
                                        [p for p in periods if not is_year(p)]) if kind]
        for lang in LANGUAGES:
            for period in latest:
                try:
                    out.files += write_report_files(rel, folder, lang, period).values()
                except PdfUnavailable as error:  # one warning per missing PDF, one status
                    if lang not in {p.lang for p in problems}:  # entry per language
                        problems.append(PdfProblem(lang=lang, reason=str(error)))
                    out.warnings.append(pdf_warning(lang, period, str(error)))
                    out.files += [p for p in folder.glob(f"*_{period}_{lang}_{release_id}.*")
                                  if p.suffix != ".pdf"]
    finally:
        rel.close()
    if folder.exists() or problems:
        write_status(folder, problems)
    return out
