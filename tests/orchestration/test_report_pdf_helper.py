"""The donor reports' PDFs drawn by a helper process (indicators.reports.pdf_helper): its
answers are used; a helper that dies or answers nonsense leaves the same files, drawn in the
refresh's own process; small releases start none."""

from __future__ import annotations

import subprocess
import sys

import pytest

import indicators.reports.donor
from indicators.reports import pdf_helper
from orchestration.reports import write_donor_reports
from tests.dashboards.conftest import _release


class _DeadHelper(pdf_helper.PdfHelper):
    module = "indicators.reports.no_such_helper_module"  # python -m fails at once


class _NonsenseHelper(pdf_helper.PdfHelper):
    def __init__(self) -> None:  # a process that answers every ask with a pickled string
        code = ("import pickle, sys\n"
                "while True:\n"
                "    try: pickle.load(sys.stdin.buffer)\n"
                "    except EOFError: break\n"
                "    pickle.dump('not a pdf', sys.stdout.buffer); sys.stdout.buffer.flush()\n")
        self._proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE)
        import queue
        import threading
        self._outbox = queue.Queue()
        self._writer = threading.Thread(target=self._write, args=(self._proc.stdin,),
                                        daemon=True)
        self._writer.start()


def _no_pdf_here(*args, **kwargs) -> bytes:
    raise AssertionError("drawn in the refresh's own process")


def _pdfs(made) -> list:
    return sorted(p for p in made.files if p.suffix == ".pdf")


@pytest.fixture
def waiting(monkeypatch):
    """Put ``helper`` in the waiting place, as prestart does."""
    def put(helper: pdf_helper.PdfHelper) -> pdf_helper.PdfHelper:
        monkeypatch.setattr(pdf_helper, "_waiting", [helper])
        return helper
    yield put
    pdf_helper._close_waiting()


def test_the_helpers_pdfs_are_written(settings, monkeypatch, waiting):
    release_id = _release(settings.serving_dir).stem
    helper = waiting(pdf_helper.PdfHelper())
    # every PDF must come from the helper: drawing here would fail the test
    monkeypatch.setattr(indicators.reports.donor, "render_report_pdf", _no_pdf_here)
    made = write_donor_reports(settings.serving_dir, settings.data_dir / "reports", release_id)
    assert made.warnings == []
    pdfs = _pdfs(made)
    assert len(pdfs) == 4 and all(pdf_helper.is_pdf(p.read_bytes()) for p in pdfs)
    assert sorted(p.suffix for p in made.files) == sorted([".csv", ".html", ".pdf", ".xlsx"] * 4)
    assert not helper.alive()  # closed once the reports are written
    assert pdf_helper.take() is None


@pytest.mark.parametrize("helper_class", [_DeadHelper, _NonsenseHelper])
def test_a_failing_helper_leaves_the_same_files_drawn_here(settings, waiting, helper_class):
    release_id = _release(settings.serving_dir).stem
    alone = write_donor_reports(settings.serving_dir, settings.data_dir / "alone", release_id)
    waiting(helper_class())
    made = write_donor_reports(settings.serving_dir, settings.data_dir / "reports", release_id)
    assert made.warnings == []
    assert sorted(p.name for p in made.files) == sorted(p.name for p in alone.files)
    assert all(pdf_helper.is_pdf(p.read_bytes()) for p in _pdfs(made))
    for path in made.files:  # the other formats are the same bytes
        if path.suffix in {".csv", ".html"}:
            twin = settings.data_dir / "alone" / release_id / path.name
            assert path.read_bytes() == twin.read_bytes()


def test_a_pdf_the_helper_cannot_draw_is_reported_as_without_it(settings, monkeypatch,
                                                                 waiting):
    release_id = _release(settings.serving_dir).stem
    waiting(_NonsenseHelper())

    def no_engine(*args, **kwargs) -> bytes:
        raise indicators.reports.donor.PdfUnavailable("no PDF engine (test)")

    monkeypatch.setattr(indicators.reports.donor, "render_report_pdf", no_engine)
    made = write_donor_reports(settings.serving_dir, settings.data_dir / "reports", release_id)
    assert _pdfs(made) == [] and len(made.warnings) == 4
    assert all("no PDF engine (test)" in w for w in made.warnings)


def test_small_releases_start_no_helper(monkeypatch):
    monkeypatch.setattr(pdf_helper, "_waiting", [])
    assert not pdf_helper.prestart(pdf_helper.WORTH_VALUES - 1)
    assert pdf_helper.take() is None


def test_a_large_release_starts_one_helper_reused_until_taken(monkeypatch):
    monkeypatch.setattr(pdf_helper, "_waiting", [])
    monkeypatch.setattr(pdf_helper, "worth_a_helper", lambda values: values >= 10)
    assert pdf_helper.prestart(10)
    first = pdf_helper._waiting[0]
    assert pdf_helper.prestart(10) and pdf_helper._waiting == [first]
    helper = pdf_helper.take()
    assert helper is first and pdf_helper.take() is None
    helper.close()
    assert not helper.alive()


def test_is_pdf():
    assert pdf_helper.is_pdf(b"%PDF-1.4\n...\n%%EOF\n")
    assert not pdf_helper.is_pdf(b"%PDF-1.4 cut short")
    assert not pdf_helper.is_pdf("%PDF-1.4 %%EOF")
    assert not pdf_helper.is_pdf(None)
