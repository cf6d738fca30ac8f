"""A missing or corrupt release (file or pointer): a maintenance message, never a traceback,
and the last good release when there is one."""

from __future__ import annotations

import json

import pytest

from bench.fixtures.callbacks import content_body, post, shell_body
from bench.fixtures.release import point_current
from bench.fixtures.users import sign_in
from indicators.release_reader import ReleaseStore
from tests.dashboards.conftest import _release
from tests.security.conftest import make_access


def _client(settings, store):
    from dashboards.app import create_app

    client = create_app(settings, store, make_access(settings)).server.test_client()
    sign_in(client, "donor")
    return client


def _assert_maintenance(client) -> None:
    for path in ("/", "/results"):
        content = json.dumps(post(client, content_body(path)).get_json(), ensure_ascii=False)
        assert "Under maintenance" in content and "temporarily unavailable" in content
        assert "Traceback" not in content
        shell = post(client, shell_body(path))
        assert shell.status_code == 200
        assert shell.get_json()["response"]["page-title"]["children"] == "Under maintenance"
    assert client.get("/").status_code == 200
    assert client.get("/healthz").status_code == 503
    report = client.get("/report/results?lang=en")
    assert report.status_code == 503 and "Traceback" not in report.get_data(as_text=True)


@pytest.mark.parametrize("case", ["no pointer", "dangling pointer", "path in pointer",
                                  "garbage file", "empty file"])
def test_broken_release_shows_maintenance(settings, users_file, case):
    serving = settings.serving_dir
    if case == "dangling pointer":
        point_current(serving, "20990101T000000000000Z-gone00.duckdb")
    elif case == "path in pointer":
        (serving / "CURRENT").write_text("../../users.json\n", encoding="utf-8")
    elif case in ("garbage file", "empty file"):
        (serving / "bad.duckdb").write_bytes(b"" if case == "empty file" else b"\x00junk" * 999)
        point_current(serving, "bad.duckdb")
    store = ReleaseStore(serving)
    _assert_maintenance(_client(settings, store))
    store.close()


def test_corrupt_new_release_keeps_serving_the_last_good_one(settings, users_file):
    _release(settings.serving_dir)
    store = ReleaseStore(settings.serving_dir)
    client = _client(settings, store)
    assert "Synthetic data" in post(client, shell_body("/")).get_data(as_text=True)
    (settings.serving_dir / "new.duckdb").write_bytes(b"truncated" * 10)
    point_current(settings.serving_dir, "new.duckdb")
    shell = post(client, shell_body("/results")).get_data(as_text=True)
    assert "The newest release could not be opened" in shell
    content = post(client, content_body("/results")).get_data(as_text=True)
    assert "EEA_VICTIMS_SUPPORTED" in content and "Under maintenance" not in content
    assert client.get("/healthz").get_data(as_text=True) == "20240710T060000000000Z-abc123"
    store.close()
