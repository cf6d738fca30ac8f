"""Faults during a refresh: kill -9 at named points, and a full disk during publication.

A small synthetic observatory (``observatory sample --until 2021-06``, refreshed once: release
R1 is CURRENT) receives one new file (a revision of OTSH's June 2021 victims return). Then
``observatory refresh --month 2021-06`` runs as a subprocess that kills itself (SIGKILL) at a named
point (``OBS_FAULT_POINT``, see ``indicators/faults.py``). Afterwards: the warehouse opens and
is consistent, R1 is still CURRENT and opens, no half-written release is CURRENT; a re-run
publishes the same values as an uninterrupted run from the same state. A write that fails
with ENOSPC (disk full; tests run as root, so chmod cannot make the folder read-only) ends
with a clear Portuguese + English error and R1 still served. About 100 s in all (each refresh is a
subprocess of 8 to 16 s).
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from indicators.faults import FAULT_ENV
from indicators.release_files import list_releases
from tests.orchestration.fault_helpers import (
    copy_data,
    release_values,
    run_cli,
    serving_state,
    warehouse_problems,
)
from tests.orchestration.helpers import (
    good_rows,
    protected_release,
    write_victims_csv,
)

pytestmark = pytest.mark.slow
FIRST = ("refresh", "--all")
REFRESH = ("refresh", "--month", "2021-06")
NEW_FILE = "OTSH_victims_2021-06_rev9.csv"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> dict:
    """The observatory after its first release, with one new file waiting in the inbox."""
    data = tmp_path_factory.mktemp("faults") / "data"
    assert run_cli(data, "sample", "--until", "2021-06").returncode == 0
    first = run_cli(data, *FIRST)
    assert first.returncode == 0, first.stdout + first.stderr
    r1, releases = serving_state(data / "serving")
    assert r1 is not None and releases == [r1]
    write_victims_csv(data / "inbox", NEW_FILE, "OTSH", "2021-06", [40, 30, 20, 10, 9])
    return {"data": data, "r1": r1, "r1_values": release_values(data / "serving", r1)}


@pytest.fixture(scope="module")
def reference(template, tmp_path_factory) -> list[tuple]:
    """What an uninterrupted refresh publishes from the template's state."""
    data = copy_data(template["data"], tmp_path_factory.mktemp("reference") / "data")
    done = run_cli(data, *REFRESH)
    assert done.returncode == 0, done.stdout + done.stderr
    current, _ = serving_state(data / "serving")
    assert current not in (None, template["r1"])
    values = release_values(data / "serving", current)
    assert values != template["r1_values"]  # the new file changes what is published
    return values


def assert_previous_release_still_served(data: Path, template: dict) -> None:
    current, releases = serving_state(data / "serving")
    assert current == template["r1"]
    assert release_values(data / "serving", current) == template["r1_values"]
    assert not (data / "serving" / "CURRENT").read_text().startswith(".")
    assert len(releases) <= 2


@pytest.mark.parametrize("point", ["ingest:before-commit", "compute:after-marts-sql",
                                   "publish:write-release", "publish:before-pointer"])
def test_kill_9_during_refresh_then_rerun_converges(template, reference, tmp_path, point):
    data = copy_data(template["data"], tmp_path / "data")

    killed = run_cli(data, *REFRESH, fault=point)

    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert f"{FAULT_ENV} {point}: SIGKILL" in killed.stderr
    assert warehouse_problems(data / "warehouse.duckdb") == []
    assert_previous_release_still_served(data, template)
    if point == "ingest:before-commit":  # the load was rolled back: the file waits
        assert (data / "inbox" / NEW_FILE).is_file()

    again = run_cli(data, *REFRESH)

    assert again.returncode == 0, again.stdout + again.stderr
    assert warehouse_problems(data / "warehouse.duckdb") == []
    current, _ = serving_state(data / "serving")
    assert current not in (None, template["r1"])
    assert release_values(data / "serving", current) == reference
    assert not list((data / "serving").glob(".*.partial.duckdb*"))  # a killed write's leftovers
    assert not (data / "inbox" / NEW_FILE).exists()
    assert len(list((data / "archive").rglob(f"*{NEW_FILE}"))) == 1


def test_disk_full_while_writing_the_release(template, tmp_path):
    data = copy_data(template["data"], tmp_path / "data")

    failed = run_cli(data, *REFRESH, fault="publish:write-release=enospc")

    assert failed.returncode == 1, failed.stdout + failed.stderr
    out = failed.stdout
    assert "Nada publicado / nothing published." in out
    assert "disco cheio ou pasta só de leitura" in out and "disk full or read-only folder" in out
    assert "No space left on device" in out
    assert "a publicação anterior continua em linha" in out
    assert "the previous release is still served" in out
    assert f"Continua em linha / still served: {template['r1']}" in out
    assert "Traceback" not in out
    assert_previous_release_still_served(data, template)
    assert list_releases(data / "serving") == [template["r1"]]
    assert [p.name for p in (data / "serving").iterdir() if p.name.startswith(".")] == []
    assert warehouse_problems(data / "warehouse.duckdb") == []


def test_disk_full_while_moving_the_pointer(settings, monkeypatch):
    """Library level (no subprocess): the pointer's temporary file cannot be written."""
    from indicators.publish import publish_release
    from indicators.registry import load_registry
    from indicators.release_files import ReleaseError, current_release_id

    registry = load_registry()
    first = publish_release(settings, protected_release(good_rows()), registry)
    monkeypatch.setenv(FAULT_ENV, "publish:pointer=enospc")
    with pytest.raises(ReleaseError) as raised:
        publish_release(settings, protected_release(good_rows(female=12.0)), registry)
    message = str(raised.value)
    assert "disco cheio ou pasta só de leitura" in message
    assert "disk full or read-only folder" in message and "CURRENT" in message
    assert current_release_id(settings.serving_dir) == first.release_id
    assert [p.name for p in settings.serving_dir.iterdir() if p.name.startswith(".")] == []
