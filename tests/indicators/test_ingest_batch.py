"""Many files in one ingest run: validated first, loaded in batches (one transaction each),
with the same guarantees as one file at a time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

import indicators.batch_load as batch_load
import indicators.ingest as ingest
from indicators.batch_load import Accepted
from indicators.faults import FAULT_ENV
from indicators.ingest import ingest_paths
from indicators.validation import validate_files
from tests.indicators.validation.helpers import (
    FIXTURES,
    SUPPORT,
    TODAY,
    VICTIMS,
    core_counts,
    csv_bytes,
    fixture_rows,
    query,
    write,
)

LOADER = """
import sys
from pathlib import Path
from datetime import date
from indicators.settings import load_settings
from indicators.ingest import ingest_paths
outcomes = ingest_paths([Path(sys.argv[1])], load_settings().ensure_dirs(),
                        today=date(2024, 6, 15))
print([o.status for o in outcomes])
"""


def victims_csv(counts: list[int], period: str) -> bytes:
    rows = fixture_rows(VICTIMS)
    for row, count in zip(rows[1:], counts, strict=True):
        row[1], row[-1] = period, str(count)
    return csv_bytes(rows)


def month_files(settings, months: int) -> list:
    """One APF victims return per month of 2023 (distinct content, distinct keys)."""
    paths = []
    for i in range(months):
        path = write(settings.inbox_dir, f"APF_victims_2023-{i + 1:02d}.csv",
                     victims_csv([i + 1, 1, 0], f"2023-{i + 1:02d}"))
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
        paths.append(path)
    return paths


@pytest.mark.slow
def test_kill_9_during_a_batch_leaves_the_warehouse_and_the_inbox_as_before(settings):
    ingest_paths([write(settings.inbox_dir, SUPPORT, (FIXTURES / SUPPORT).read_bytes())],
                 settings, today=TODAY)
    before = core_counts(settings.warehouse_path)
    log_before = query(settings.warehouse_path, "SELECT * FROM core.ingest_log")
    paths = month_files(settings, 6)
    contents = [p.read_bytes() for p in paths]

    env = {**os.environ, "OBS_DATA_DIR": str(settings.data_dir),
           FAULT_ENV: "ingest:before-commit"}
    killed = subprocess.run([sys.executable, "-c", LOADER, str(settings.inbox_dir)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr

    assert core_counts(settings.warehouse_path) == before
    assert query(settings.warehouse_path, "SELECT * FROM core.ingest_log") == log_before
    assert [p.read_bytes() for p in paths] == contents  # every file still waits in the inbox

    outcomes = ingest_paths([settings.inbox_dir], settings, today=TODAY)
    assert [o.status for o in outcomes] == ["loaded"] * 6
    assert query(settings.warehouse_path, "SELECT count(*)::INT FROM core.submissions "
                 "WHERE return_type = 'victims'") == [(6,)]
    assert not any(p.exists() for p in paths)


def test_a_failing_batch_is_loaded_file_by_file_and_the_culprit_stops_the_run(
        settings, monkeypatch):
    paths = month_files(settings, 4)
    real = batch_load.load_batch
    culprit = "APF_victims_2023-03.csv"

    def load(con, items, loaded_at):
        if len(items) > 1:
            raise RuntimeError("batch refused")
        if items[0].validated.name == culprit:
            con.execute("BEGIN TRANSACTION")  # a load that fails half-way
            con.execute("ROLLBACK")
            raise RuntimeError("this file cannot be loaded")
        return real(con, items, loaded_at)

    monkeypatch.setattr(ingest, "load_batch", load)
    monkeypatch.setattr(batch_load, "load_batch", load)
    with pytest.raises(RuntimeError, match="this file cannot be loaded"):
        ingest_paths([settings.inbox_dir], settings, today=TODAY)

    loaded = query(settings.warehouse_path,
                   "SELECT file_name FROM core.ingest_log ORDER BY ingest_id")
    assert loaded == [("APF_victims_2023-01.csv",), ("APF_victims_2023-02.csv",)]
    assert [p.exists() for p in paths] == [False, False, True, True]


def test_revisions_and_repeats_in_one_run_keep_arrival_order(settings):
    first = write(settings.inbox_dir, "march.csv", victims_csv([2, 1, 0], "2024-03"))
    again = write(settings.inbox_dir, "march-copy.csv", victims_csv([2, 1, 0], "2024-03"))
    fixed = write(settings.inbox_dir, "march-fixed.csv", victims_csv([5, 1, 0], "2024-03"))
    for i, path in enumerate((first, again, fixed)):
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))

    outcomes = ingest_paths([settings.inbox_dir], settings, today=TODAY)

    assert [(o.file_name, o.status) for o in outcomes] == [
        ("march.csv", "loaded"), ("march-copy.csv", "duplicate"),
        ("march-fixed.csv", "loaded")]
    assert outcomes[2].versions == {"victims/2024-03": 2}
    versions = query(settings.warehouse_path,
                     "SELECT version, superseded_at IS NULL FROM core.submissions "
                     "ORDER BY version")
    assert versions == [(1, False), (2, True)]
    assert query(settings.warehouse_path, "SELECT sum(count)::INT FROM core.victims") == [(6,)]


def test_batches_never_hold_the_same_return_twice(settings):
    month_files(settings, 3)
    write(settings.inbox_dir, "z.csv", victims_csv([9, 9, 9], "2023-02"))
    validated = validate_files(sorted(settings.inbox_dir.iterdir()), today=TODAY)
    items = [Accepted(validated=v, stored_path="x", received_at=None) for v in validated]
    cuts = [[a.validated.name for a in batch] for batch in batch_load.batches(items, 10)]
    assert cuts == [["APF_victims_2023-01.csv", "APF_victims_2023-02.csv",
                     "APF_victims_2023-03.csv"], ["z.csv"]]
    assert [len(b) for b in batch_load.batches(items[:3], 2)] == [2, 1]


def test_worker_processes_validate_exactly_as_in_process(settings):
    paths = month_files(settings, 3)
    bad = write(settings.inbox_dir, "bad.csv",
                (FIXTURES / VICTIMS).read_bytes().replace(b"PT-11", b"PT-99"))
    files = [*paths, bad]
    alone = validate_files(files, today=TODAY, workers=1)
    workers = validate_files(files, today=TODAY, workers=2)
    assert [v.to_dict() for v in workers] == [v.to_dict() for v in alone]
    assert [v.ok for v in workers] == [True, True, True, False]
    for one, other in zip(alone, workers, strict=True):
        for return_type, table in one.tables.items():
            assert other.tables[return_type].equals(table)
