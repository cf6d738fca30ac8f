"""The protected tables are read once per refresh: the gates and the publication reuse what the
protection step of the same process wrote, and read the warehouse when anyone else wrote it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from indicators import pipeline, warehouse
from tests.orchestration.helpers import good_rows, protected_release

ROOT = Path(__file__).resolve().parents[2]

OTHER_WRITER = """
import sys
from pathlib import Path
from indicators import pipeline, warehouse
from tests.orchestration.helpers import good_rows, protected_release
with warehouse.connect(Path(sys.argv[1])) as con:
    pipeline.store_protected(con, protected_release(good_rows(female=9.0)))
"""


def _female(protected) -> list[float]:
    values = protected.indicator_values
    return values.filter(values["breakdown_code"] == "F")["value"].to_list()


def test_the_process_that_wrote_the_tables_reuses_them_unread(settings, monkeypatch):
    with warehouse.connect(settings.warehouse_path) as con:
        pipeline.store_protected(con, protected_release(good_rows(female=7.0)))
    reads: list[str] = []
    real_read = pipeline.read_table
    monkeypatch.setattr(pipeline, "read_table",
                        lambda con, name: reads.append(name) or real_read(con, name))
    with warehouse.connect(settings.warehouse_path, read_only=True) as con:
        reused = pipeline.load_protected(con, settings.data_dir)
        pipeline._STORED.clear()  # what a process that did not write them reads
        stored = pipeline.load_protected(con, settings.data_dir)
    assert reads.count("protected.indicator_values") == 1  # the second load only
    for table in pipeline.PROTECTED_TABLES:
        mine, theirs = getattr(reused, table), getattr(stored, table)
        assert (mine is None and theirs is None) or mine.equals(theirs), table
    assert reused.audit_ok == stored.audit_ok and reused.source_returns == stored.source_returns


def test_tables_another_process_wrote_since_are_read_from_the_warehouse(settings):
    with warehouse.connect(settings.warehouse_path) as con:
        pipeline.store_protected(con, protected_release(good_rows(female=7.0)))
        assert set(_female(pipeline.load_protected(con))) == {7.0}
    subprocess.run([sys.executable, "-c", OTHER_WRITER, str(settings.warehouse_path)],
                   cwd=ROOT, check=True)
    with warehouse.connect(settings.warehouse_path, read_only=True) as con:
        assert set(_female(pipeline.load_protected(con))) == {9.0}
