"""Nothing computed from a partner's file is published: no SHA-256, SHA-1 or MD5 of any
archived or quarantined original (whole or as a 12-character prefix) in the release's
tables, the release file, the donor reports (XLSX unzipped, PDF streams inflated)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from indicators.release_digests import file_blobs, release_blobs
from indicators.release_files import release_file
from orchestration.defs.resources import resources_for
from orchestration.runner import run_refresh
from tests.orchestration.helpers import write_victims_csv


def _digests(folder: Path) -> dict[str, str]:
    out = {}
    for path in folder.rglob("*"):
        if path.is_file() and ".report." not in path.name:
            data = path.read_bytes()
            for algo in (hashlib.sha256, hashlib.sha1, hashlib.md5):
                out[algo(data).hexdigest()] = path.name
    return out


@pytest.mark.slow
def test_no_digest_of_any_original_is_published(settings) -> None:
    write_victims_csv(settings.inbox_dir, "otsh.csv", "OTSH", "2024-03", [3, 4, 6])
    write_victims_csv(settings.inbox_dir, "apf.csv", "APF", "2024-03", [1])  # one-row return
    (settings.inbox_dir / "Maria Silva victims.csv").write_text(
        "partner,period,name\nOTSH,2024-03,Maria Silva\n", encoding="utf-8")  # rejected
    report = run_refresh("2024-03-01", "2024-03-01",
                         resources=resources_for(str(settings.data_dir)))
    assert report.success, report.errors
    originals = {**_digests(settings.archive_dir), **_digests(settings.quarantine_dir)}
    assert len(originals) == 3 * 3  # two archived, one quarantined; three digests each
    path = release_file(settings.serving_dir, report.release_id)
    blobs = [*release_blobs(path), *file_blobs(settings.data_dir / "reports")]
    texts = [(where, data.decode("utf-8", "replace").lower()) for where, data in blobs]
    assert any("rejections" in where and "ingest #" in text for where, text in texts)
    for digest, name in originals.items():
        for where, text in texts:
            assert digest[:12] not in text, f"{name}: {digest} in {where}"
    for where, text in texts:  # nor the partner's file name or its values
        assert "maria silva" not in text, where
