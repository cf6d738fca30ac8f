"""Donor report files of a release for the latest calendar year and the latest interim-report
period: the EEA Grants results report as CSV and XLSX (with their metadata), the printable
HTML report with its methodology annex and its PDF (drawn by ReportLab), in Portuguese and
English. Built by the dashboard's
own ``dashboards.report.write_report_files`` from the published release only, so the files
are exactly what the results page offers for download.

Files: ``$OBS_DATA_DIR/reports/<release_id>/otsh_eea_results_<period>_<lang>_<release_id>``
with the suffixes ``.html``, ``.pdf``, ``.csv`` and ``.xlsx``.
"""

from __future__ import annotations

from pathlib import Path

LANGUAGES = ("pt", "en")


def write_donor_reports(serving_dir: Path, reports_dir: Path, release_id: str) -> list[Path]:
    """Write the report files of ``release_id`` for every language, for the latest calendar
    year and the latest interim period; returns their paths (none when the release has no
    EEA Grants reporting period). Raises ``dashboards.report.PdfUnavailable`` after HTML,
    CSV and XLSX are written when the PDF cannot be drawn, so the refresh shows the failure
    instead of hiding it."""
    from dashboards.data import open_release, reporting_periods
    from dashboards.pages.results import is_year
    from dashboards.report import write_report_files

    rel = open_release(serving_dir, f"{release_id}.duckdb")
    try:
        periods = reporting_periods(rel)
        if not periods:
            return []
        latest = [kind[-1] for kind in ([p for p in periods if is_year(p)],
                                        [p for p in periods if not is_year(p)]) if kind]
        written: list[Path] = []
        for lang in LANGUAGES:
            for period in latest:
                paths = write_report_files(rel, reports_dir / release_id, lang, period)
                written += paths.values()
        return written
    finally:
        rel.close()
