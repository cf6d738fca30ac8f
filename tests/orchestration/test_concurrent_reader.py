"""A reader of the published release keeps working, with no error, while refreshes publish."""

from __future__ import annotations

import threading

import duckdb

from indicators.publish import publish_release
from indicators.registry import load_registry
from indicators.release_files import POINTER
from tests.orchestration.helpers import good_rows, protected_release


def _reader(serving_dir, stop: threading.Event, seen: list, errors: list) -> None:
    """Like the dashboard: read CURRENT, open that release read-only, query, close."""
    while not stop.is_set():
        try:
            name = (serving_dir / POINTER).read_text(encoding="utf-8").strip()
            con = duckdb.connect(str(serving_dir / name), read_only=True)
            try:
                release = con.sql("SELECT release_id FROM published.release_info").fetchall()
                total = con.sql("SELECT value FROM published.indicator_values "
                                "WHERE breakdown = '_T'").fetchall()
            finally:
                con.close()
            seen.append((name, release[0][0], total[0][0]))
        except Exception as exc:  # noqa: BLE001 - any error at all fails the test
            errors.append(repr(exc))


def test_reader_never_fails_while_releases_are_published(settings):
    registry = load_registry()
    publish_release(settings, protected_release(good_rows(5.0)), registry, retention=2)
    stop, seen, errors = threading.Event(), [], []
    reader = threading.Thread(target=_reader, args=(settings.serving_dir, stop, seen, errors))
    reader.start()
    published = []
    try:
        for i in range(8):
            published.append(publish_release(settings, protected_release(good_rows(10.0 + 5 * i)),
                                             registry, retention=2).release_id)
    finally:
        stop.set()
        reader.join(timeout=30)
    assert errors == []
    assert len(seen) > 8
    # every read was a complete release: the file named by CURRENT, its own id inside,
    # and its own total (female + 12)
    for name, release_id, total in seen:
        assert name == f"{release_id}.duckdb"
        assert total >= 17.0
    assert len({release_id for _, release_id, _ in seen}) >= 2
    assert seen[-1][1] in published
