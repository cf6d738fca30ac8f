import threading
from pathlib import Path

import duckdb
import pytest

from indicators.release_files import (
    ReleaseError,
    apply_retention,
    current_release_id,
    list_releases,
    new_release_id,
    set_current,
    write_release,
)


def _fill(release_id: str, value: float):
    def fill(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(
            "INSERT INTO published.indicator_values (release_id, indicator, grain, period,"
            " period_end, period_label, geo, breakdown, breakdown_code, value, unit, flags)"
            " VALUES (?, 'THB_SIGNALLED', 'year', DATE '2024-01-01', DATE '2024-12-31',"
            " '2024', 'PT', '_T', '_T', ?, 'persons', '')", [release_id, value])
    return fill


def _publish(serving: Path, value: float) -> str:
    release_id = new_release_id()
    write_release(serving, release_id, _fill(release_id, value))
    set_current(serving, release_id)
    return release_id


def _read_current(serving: Path) -> float:
    release_id = current_release_id(serving)
    con = duckdb.connect(str(serving / f"{release_id}.duckdb"), read_only=True)
    try:
        return con.sql("SELECT value FROM published.indicator_values").fetchall()[0][0]
    finally:
        con.close()


def test_published_release_is_complete_read_only_file_named_by_current(tmp_path: Path):
    serving = tmp_path / "serving"
    assert current_release_id(serving) is None
    first = _publish(serving, 10.0)
    assert current_release_id(serving) == first
    assert _read_current(serving) == 10.0
    assert not list(serving.glob("*.wal")) and not list(serving.glob(".*partial*"))


def test_failed_fill_leaves_no_release_and_current_unchanged(tmp_path: Path):
    serving = tmp_path / "serving"
    first = _publish(serving, 10.0)

    def broken(con: duckdb.DuckDBPyConnection) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_release(serving, new_release_id(), broken)
    assert list_releases(serving) == [first]
    assert current_release_id(serving) == first


def test_pointer_to_missing_or_garbage_release_reads_as_none(tmp_path: Path):
    serving = tmp_path / "serving"
    serving.mkdir()
    (serving / "CURRENT").write_text("../../etc/passwd\n")
    assert current_release_id(serving) is None
    (serving / "CURRENT").write_text("20260101T000000000000Z-abcdef.duckdb\n")
    assert current_release_id(serving) is None
    with pytest.raises(ReleaseError):
        set_current(serving, "20260101T000000000000Z-abcdef")


def test_retention_keeps_newest_and_current(tmp_path: Path):
    serving = tmp_path / "serving"
    ids = [_publish(serving, float(i)) for i in range(4)]
    set_current(serving, ids[0])
    removed = apply_retention(serving, keep=2)
    assert sorted(removed) == sorted(ids[1:2])
    assert list_releases(serving) == [ids[0], ids[2], ids[3]]


def test_readers_never_fail_while_releases_are_published(tmp_path: Path):
    serving = tmp_path / "serving"
    _publish(serving, 0.0)
    errors: list[BaseException] = []
    seen: set[float] = set()
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                seen.add(_read_current(serving))
            except BaseException as exc:  # noqa: BLE001 - any error is the failure we look for
                errors.append(exc)
                return

    thread = threading.Thread(target=reader)
    thread.start()
    for i in range(1, 30):
        _publish(serving, float(i))
    stop.set()
    thread.join()
    assert errors == []
    assert len(seen) > 1
