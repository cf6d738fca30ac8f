"""A kill -9 in the middle of a load leaves the warehouse exactly as before the load.

The loading process runs in a subprocess with OBS_FAULT_POINT=ingest:before-commit: it inserts
the ingest_log row, the submissions and every cell, then is killed with SIGKILL before COMMIT
(no clean-up possible). The test checks the warehouse and loads the same file again.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys

import pytest

from indicators.contract import load_contract
from indicators.faults import FAULT_ENV
from indicators.ingest import ingest_file
from tests.indicators.validation.helpers import (
    FIXTURES,
    TODAY,
    VICTIMS,
    core_counts,
    csv_bytes,
    query,
    write,
)

LOADER = """
import sys
from pathlib import Path
from datetime import date
from indicators.settings import load_settings
from indicators.ingest import ingest_file
outcome = ingest_file(Path(sys.argv[1]), load_settings().ensure_dirs(), today=date(2024, 6, 15))
print(outcome.status)
"""


def large_victims_file() -> tuple[bytes, int]:
    """A valid APF victims return: 24 months x 22 districts x 4 sexes x 8 age groups x 2."""
    contract = load_contract()
    header = list(contract.returns["victims"].columns)
    periods = [f"{y}-{m:02d}" for y in (2022, 2023) for m in range(1, 13)]
    rows = [header]
    for period, district, sex, age, expl in itertools.product(
            periods, contract.allowed_codes("district", "victims"),
            contract.allowed_codes("sex", "victims"),
            contract.allowed_codes("age_group", "victims"), ("labour", "sexual_online")):
        rows.append(["APF", period, district, sex, age, "PT", expl, "presumed", "ngo", "1"])
    return csv_bytes(rows), len(rows) - 1


@pytest.mark.slow
def test_kill_9_during_load_leaves_the_warehouse_as_before(settings):
    ingest_file(write(settings.inbox_dir, VICTIMS, (FIXTURES / VICTIMS).read_bytes()),
                settings, today=TODAY)
    before = core_counts(settings.warehouse_path)
    log_before = query(settings.warehouse_path, "SELECT * FROM core.ingest_log")
    data, n_rows = large_victims_file()
    big = write(settings.inbox_dir, "big.csv", data)

    env = {**os.environ, "OBS_DATA_DIR": str(settings.data_dir),
           FAULT_ENV: "ingest:before-commit"}
    killed = subprocess.run([sys.executable, "-c", LOADER, str(big)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert f"{FAULT_ENV} ingest:before-commit: SIGKILL" in killed.stderr

    assert core_counts(settings.warehouse_path) == before
    assert query(settings.warehouse_path, "SELECT * FROM core.ingest_log") == log_before
    assert big.exists() and big.read_bytes() == data

    again = ingest_file(big, settings, today=TODAY)
    assert again.status == "loaded" and again.n_rows == n_rows
    after = core_counts(settings.warehouse_path)
    assert after["core.victims_cells"] == before["core.victims_cells"] + n_rows
    assert after["core.submissions"] == before["core.submissions"] + 24
