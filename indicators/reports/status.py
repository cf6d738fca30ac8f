"""What the last donor-report step could not make, for the data-quality page.

The monthly refresh writes the donor report files of a release into
``$OBS_DATA_DIR/reports/<release_id>/``. When the PDF cannot be made (no PDF engine, a crash)
the HTML, CSV and XLSX files are still written and ``status.json`` beside them records which
language's PDF is missing and why; the analysts' data-quality page shows it. No status file:
every file was written.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

STATUS_FILE = "status.json"


@dataclass(frozen=True)
class PdfProblem:
    lang: str
    reason: str


def reports_dir_of(serving_dir: Path) -> Path:
    """``$OBS_DATA_DIR/reports`` for a ``$OBS_DATA_DIR/serving`` folder (fixed names)."""
    return Path(serving_dir).parent / "reports"


def write_status(folder: Path, problems: list[PdfProblem]) -> None:
    """Record the PDF problems of one release's report folder (none: remove the record)."""
    path = Path(folder) / STATUS_FILE
    if not problems:
        path.unlink(missing_ok=True)
        return
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{STATUS_FILE}.tmp")
    tmp.write_text(json.dumps({"pdf_missing": [asdict(p) for p in problems]}, indent=1),
                   encoding="utf-8")
    os.replace(tmp, path)


def read_status(folder: Path) -> list[PdfProblem]:
    """The PDF problems recorded for a release's report folder (an unreadable record counts
    as one problem, so it is seen rather than hidden)."""
    path = Path(folder) / STATUS_FILE
    if not path.is_file():
        return []
    try:
        records = json.loads(path.read_text(encoding="utf-8"))["pdf_missing"]
        return [PdfProblem(lang=str(r["lang"]), reason=str(r["reason"])) for r in records]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return [PdfProblem(lang="?", reason=f"{STATUS_FILE} unreadable: {error}")]
