"""The donor reports' PDFs drawn by one helper process while the refresh writes the rest
(issue 18).

The donor report step is the last step of the monthly refresh: four reports (two periods, two
languages), each written as HTML, XLSX, CSV and a PDF drawn by ReportLab. Drawing the PDFs,
with ReportLab's first import, is most of the step; the machine's second core is idle then.
So, when the release is large enough to pay for a process (:data:`WORTH_VALUES`), the
protection step starts a helper (:func:`prestart`): a fresh ``python -m
indicators.reports.pdf_helper_main`` that imports ReportLab while the gates and the
publication run. The report step (``orchestration.reports``) then sends it each report's
content and annex and writes the HTML, XLSX and CSV itself meanwhile; the helper sends back
the PDF's bytes.

- **The same files whatever the helper does.** The helper draws with the same function
  (:func:`indicators.reports.donor.render_report_pdf`) from the same content; an answer that
  is not a PDF, a drawing failure in the helper, or a helper that cannot start or dies costs
  time only: that PDF is then drawn in the refresh's own process (which reports a failure as
  before).
- **A fresh process, never a fork** (the refresh has used polars and DuckDB, whose thread
  pools do not survive a fork).
- **Nothing on disk.** The content (published values only, from the release) goes through the
  helper's standard input and the PDF comes back through its standard output; the refresh's
  own process writes every file.
- **At most one helper waits** per process; it is reused by the next report step, closed after
  the reports are written, and stops when its input closes (its parent ended).
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

# A helper pays back from about this many published values (the national bench's release:
# 10,641). Below it, the refresh is short and the process start (≈0.4 CPU s of imports on the
# other core) is a large part of the machine's work: tests and the sample do without.
WORTH_VALUES = 5_000


class PdfHelper:
    """One helper process drawing report PDFs, answers in the order asked."""

    module = "indicators.reports.pdf_helper_main"  # what the helper process runs

    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
            [sys.executable, "-m", self.module],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self._outbox: queue.Queue[bytes | None] = queue.Queue()
        self._writer = threading.Thread(target=self._write, args=(self._proc.stdin,),
                                        name="pdf-helper-writer", daemon=True)
        self._writer.start()

    @classmethod
    def start(cls) -> PdfHelper | None:
        """A started helper, or ``None`` (logged) if no process can be started here."""
        try:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("PDF helper not started (%s); the PDFs are drawn in-process", exc)
            return None

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _write(self, pipe: IO[bytes] | None) -> None:
        """Write the queued messages to the helper until ``None``, then close its input (a
        thread: the refresh never waits on the pipe while the helper is still importing)."""
        try:
            while (data := self._outbox.get()) is not None and pipe is not None:
                pipe.write(data)
                pipe.flush()
        except OSError:
            pass  # the helper is gone: receive() says so
        finally:
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass

    def send(self, content: Any, annex: list[tuple[str, str]]) -> bool:
        """Ask for the PDF of one report; ``False`` if the helper is gone."""
        if not self.alive():
            return False
        self._outbox.put(pickle.dumps((content, annex)))
        return True

    def receive(self) -> bytes | None:
        """The PDF asked for first among those not yet received, or ``None`` when the helper
        could not draw it (then it is drawn in-process); a helper that stopped is closed."""
        proc = self._proc
        try:
            if proc is None or proc.stdout is None:
                raise EOFError
            answer = pickle.load(proc.stdout)
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            log.warning("PDF helper stopped without an answer (%s); drawing in-process",
                        type(exc).__name__)
            self.close()
            return None
        return answer if is_pdf(answer) else None

    def close(self) -> None:
        """Stop the helper (idempotent)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        self._outbox.put(None)
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        self._writer.join(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def is_pdf(answer: object) -> bool:
    """A whole PDF file's bytes (header and end-of-file marker)."""
    return (isinstance(answer, bytes) and answer.startswith(b"%PDF-")
            and answer.rstrip().endswith(b"%%EOF"))


_waiting: list[PdfHelper] = []  # the one helper started and not yet taken


def worth_a_helper(values: int) -> bool:
    """True when a release of ``values`` published values pays for a helper and a second
    core is there to run it."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return values >= WORTH_VALUES and (cores or 1) >= 2


def prestart(values: int) -> bool:
    """Start a helper for the next report step (if ``values`` makes it worth it and none is
    waiting); True when one waits."""
    if _waiting and _waiting[0].alive():
        return True
    _close_waiting()
    if not worth_a_helper(values):
        return False
    helper = PdfHelper.start()
    if helper is not None:
        _waiting.append(helper)
    return helper is not None


def take() -> PdfHelper | None:
    """The waiting helper (the caller closes it), or ``None``."""
    helper = _waiting.pop() if _waiting else None
    if helper is not None and not helper.alive():
        helper.close()
        return None
    return helper


def _close_waiting() -> None:
    while _waiting:
        _waiting.pop().close()


atexit.register(_close_waiting)


def serve(commands: IO[bytes], answers: IO[bytes]) -> None:
    """The helper's loop: import ReportLab, then draw each report asked for until the input
    ends. A drawing failure answers ``None`` (drawn again, and reported, by the refresh)."""
    import indicators.reports.pdf  # noqa: F401  (ReportLab imported before the first ask)
    from indicators.reports.donor import render_report_pdf

    while True:
        try:
            content, annex = pickle.load(commands)
        except EOFError:
            return
        try:
            answer: bytes | None = render_report_pdf(content, annex)
        except Exception:  # noqa: BLE001  (reported by the refresh, which draws it again)
            answer = None
        pickle.dump(answer, answers)
        answers.flush()
