"""The digests of partner originals are taken of every file under archive/ and quarantine/
(issue 18: the walk no longer asks for a ``stat`` per path): the same files as
``rglob("*")`` + ``is_file`` -- hidden files and links to files included, links to folders
not entered, broken links and missing folders skipped."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from indicators.release_digests import _files_under, file_digests, original_digests


def _tree(root: Path) -> None:
    (root / "archive" / "OTSH" / "2026").mkdir(parents=True)
    (root / "archive" / "OTSH" / "2026" / "victims_2026-10.csv").write_text("a;b\n1;2\n")
    (root / "archive" / "OTSH" / "2026" / "victims_2026-10.report.json").write_text("{}")
    (root / "quarantine").mkdir()
    (root / "quarantine" / ".hidden.csv").write_text("x\n")
    (root / "outside").mkdir()
    (root / "outside" / "elsewhere.csv").write_text("not an original\n")
    os.symlink(root / "outside", root / "quarantine" / "folder_link")
    os.symlink(root / "archive" / "OTSH" / "2026" / "victims_2026-10.csv",
               root / "quarantine" / "file_link.csv")
    os.symlink(root / "missing.csv", root / "quarantine" / "broken.csv")


def test_the_walk_finds_the_files_rglob_finds(tmp_path):
    _tree(tmp_path)
    for folder in ("archive", "quarantine", "absent"):
        expected = sorted(p for p in (tmp_path / folder).rglob("*") if p.is_file())
        assert sorted(Path(e.path) for e in _files_under(str(tmp_path / folder))) == expected
    names = {e.name for e in _files_under(str(tmp_path / "quarantine"))}
    assert names == {".hidden.csv", "file_link.csv"}


def test_every_original_is_digested_and_reports_are_not(tmp_path):
    _tree(tmp_path)
    con = duckdb.connect()
    con.execute("CREATE SCHEMA core; CREATE TABLE core.ingest_log (sha256 VARCHAR)")
    found = original_digests(con, tmp_path)
    original = tmp_path / "archive" / "OTSH" / "2026" / "victims_2026-10.csv"
    assert file_digests(original) <= found
    assert file_digests(tmp_path / "quarantine" / ".hidden.csv") <= found
    assert not file_digests(tmp_path / "outside" / "elsewhere.csv") & found
    report = tmp_path / "archive" / "OTSH" / "2026" / "victims_2026-10.report.json"
    assert not file_digests(report) & found
