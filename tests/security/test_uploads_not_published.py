"""Returns handed in through the dashboard reach the release only as protected statistics:
the upload audit trail (user, file name, reason) is copied into the warehouse by the
pipeline, but no file name, user, reason or digest of an uploaded file is published."""

from __future__ import annotations

import hashlib
from datetime import date

import duckdb
import pytest

from indicators.release_digests import file_blobs, release_blobs
from indicators.release_files import release_file
from indicators.submissions import receive
from orchestration.defs.resources import resources_for
from orchestration.runner import run_refresh
from tests.orchestration.helpers import write_victims_csv


@pytest.mark.slow
def test_uploaded_returns_are_loaded_and_nothing_about_the_upload_is_published(settings,
                                                                               tmp_path):
    source = write_victims_csv(tmp_path, "x.csv", "APF", "2024-03", [3, 4, 6])
    data = source.read_bytes()
    accepted = receive(data, "Joana Pereira victims.csv", user="pia.uploader", partner="APF",
                       settings=settings, today=date(2024, 4, 20))
    rejected = receive(b"partner,period,name\nAPF,2024-03,Maria Silva\n",
                       "Maria Silva list.csv", user="pia.uploader", partner="APF",
                       settings=settings, today=date(2024, 4, 20))
    assert accepted.accepted and rejected.submission.result == "rejected"
    report = run_refresh("2024-03-01", "2024-03-01",
                         resources=resources_for(str(settings.data_dir)))
    assert report.success, report.errors
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        audit = con.sql("SELECT user, file_name, result FROM core.submission_audit "
                        "ORDER BY result").fetchall()
        versions = con.sql("SELECT partner, return_type, version FROM core.submissions"
                           ).fetchall()
    assert audit == [("pia.uploader", "Joana_Pereira_victims.csv", "accepted"),
                     ("pia.uploader", "Maria_Silva_list.csv", "rejected")]
    assert versions == [("APF", "victims", 1)]
    path = release_file(settings.serving_dir, report.release_id)
    blobs = [*release_blobs(path), *file_blobs(settings.data_dir / "reports")]
    texts = [(where, raw.decode("utf-8", "replace").lower()) for where, raw in blobs]
    digests = [algo(raw).hexdigest()[:12] for raw in (data, b"partner,period,name\n"
                                                     b"APF,2024-03,Maria Silva\n")
               for algo in (hashlib.sha256, hashlib.sha1, hashlib.md5)]
    for where, text in texts:
        for secret in ("joana", "maria", "pia.uploader", accepted.submission.id[:8],
                       *digests):
            assert secret not in text, f"{secret} in {where}"
