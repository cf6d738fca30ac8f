"""Helpers for the fault tests: a small synthetic observatory, refresh subprocesses, and
the checks that a warehouse and a serving folder are consistent."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from indicators.release_files import current_release_id, list_releases, release_file

OBSERVATORY = [sys.executable, "-m", "observatory.cli"]
RETURN_TYPES = ("victims", "support", "activities")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def run_cli(data_dir: Path, *args: str, fault: str | None = None, timeout: float = 300) -> Run:
    """``observatory <args>`` in a subprocess on ``data_dir`` (OBS_FAULT_POINT = ``fault``)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("OBS_") or k in ("OBS_SYNTHETIC",)}
    env["OBS_DATA_DIR"] = str(data_dir)
    if fault:
        env["OBS_FAULT_POINT"] = fault
    done = subprocess.run([*OBSERVATORY, *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=Path(__file__).resolve().parents[2])
    return Run(done.returncode, done.stdout, done.stderr)


def copy_data(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, symlinks=True)
    return target


def release_values(serving_dir: Path, release_id: str) -> list[tuple]:
    """The published indicator values and EEA results of a release, without its id."""
    con = duckdb.connect(str(release_file(serving_dir, release_id)), read_only=True)
    try:
        values = con.sql("SELECT * EXCLUDE (release_id) FROM published.indicator_values "
                         "ORDER BY ALL").fetchall()
        eea = con.sql("SELECT * EXCLUDE (release_id) FROM published.eea_results "
                      "ORDER BY ALL").fetchall()
        return [("values", len(values)), *values, ("eea", len(eea)), *eea]
    finally:
        con.close()


def warehouse_problems(warehouse: Path) -> list[str]:
    """Opens the warehouse read-write (replaying its write-ahead log, as the next run would)
    and lists inconsistencies: cells without a current submission, a current submission
    whose cell count differs from the rows it declared, a loaded file without submissions,
    more than one current version of a return."""
    con = duckdb.connect(str(warehouse))
    problems: list[str] = []
    try:
        for rt in RETURN_TYPES:
            orphans = con.execute(f"""
                SELECT count(*) FROM core.{rt}_cells c
                LEFT JOIN core.submissions s USING (submission_id)
                WHERE s.submission_id IS NULL""").fetchall()[0][0]
            if orphans:
                problems.append(f"{rt}: {orphans} cells without a submission")
            wrong = con.execute(f"""
                SELECT s.submission_id, s.n_rows, count(c.submission_id) AS cells
                FROM core.submissions s LEFT JOIN core.{rt}_cells c USING (submission_id)
                WHERE s.return_type = '{rt}' GROUP BY ALL HAVING s.n_rows <> cells
                """).fetchall()
            if wrong:
                problems.append(f"{rt}: submissions with missing cells {wrong[:3]}")
        twice = con.execute("""
            SELECT partner, return_type, period, count(*) FROM core.submissions
            WHERE superseded_at IS NULL GROUP BY ALL HAVING count(*) > 1""").fetchall()
        if twice:
            problems.append(f"several current versions: {twice[:3]}")
        unbacked = con.execute("""
            SELECT l.file_name FROM core.ingest_log l
            WHERE l.status = 'loaded' AND NOT EXISTS (
                SELECT 1 FROM core.submissions s WHERE s.ingest_id = l.ingest_id)""").fetchall()
        if unbacked:
            problems.append(f"loaded files without submissions: {unbacked[:3]}")
    finally:
        con.close()
    return problems


def serving_state(serving_dir: Path) -> tuple[str | None, list[str]]:
    """(CURRENT release id, complete releases on disk); every complete release opens."""
    for release_id in list_releases(serving_dir):
        con = duckdb.connect(str(release_file(serving_dir, release_id)), read_only=True)
        try:
            con.sql("SELECT count(*) FROM published.release_info").fetchall()
        finally:
            con.close()
    return current_release_id(serving_dir), list_releases(serving_dir)
