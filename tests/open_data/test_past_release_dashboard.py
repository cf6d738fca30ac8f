"""The dashboard shows a past release with ``release=<id>`` (read-only, kept by retention),
with a banner naming it and a link back to the current release."""

from __future__ import annotations

import json

import duckdb
import pytest

from bench.fixtures.callbacks import post, shell_body
from dashboards.app import create_app, download_payload, page_view
from indicators.release_files import release_file
from indicators.release_reader import ReleaseStore
from indicators.reports.exports import split_csv
from indicators.settings import Settings, load_settings
from tests.security.conftest import make_access

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def settings(series) -> Settings:
    return load_settings({"OBS_DATA_DIR": str(series.data_dir)})


@pytest.fixture(scope="module")
def store(settings):
    s = ReleaseStore(settings.serving_dir)
    yield s
    s.close()


def _banner(client, search: str) -> str:
    body = post(client, shell_body("/trends", search)).get_json()
    return json.dumps(body["response"]["banners"]["children"], ensure_ascii=False)


def test_a_past_release_is_shown_with_its_banner(settings, store, series):
    client = create_app(settings, store, make_access(settings)).server.test_client()
    first, current = series.release_ids[0], series.release_ids[-1]
    banner = _banner(client, f"?lang=en&release={first}&indicator=THB_SIGNALLED")
    assert "past-release-banner" in banner and first in banner
    assert '"href": "/trends?lang=en&indicator=THB_SIGNALLED"' in banner
    assert "past-release-banner" not in _banner(client, "?lang=en")
    assert "past-release-banner" not in _banner(client, f"?lang=en&release={current}")
    gone = _banner(client, "?lang=en&release=20990101T000000000000Z-abcdef")
    assert "no longer kept" in gone


def test_the_page_and_its_download_show_the_past_release_values(store, series):
    first = series.release_ids[0]
    search = f"?lang=en&release={first}&indicator=THB_SIGNALLED&grain=month&compare=none"
    rel, _page, _params, _view = page_view(store, "/trends", search)
    assert rel.release_id == first
    payload = download_payload(store, "/trends", search, "trends", "csv")
    assert first in payload["filename"]
    table, _notes = split_csv(payload["content"])  # the table, then the notes block
    shown = [row[table[0].index("Value")] for row in table[1:]]
    expected, now = (_monthly_totals(series, i) for i in (0, -1))
    assert expected != now  # the series revised this selection: past and current differ
    assert [float(v) if v else None for v in shown] == expected


def _monthly_totals(series, index: int) -> list[float | None]:
    path = release_file(series.serving_dir, series.release_ids[index])
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [r[0] for r in con.sql(
            "SELECT value FROM published.indicator_values WHERE indicator = 'THB_SIGNALLED' "
            "AND grain = 'month' AND geo = 'PT' AND breakdown = '_T' ORDER BY period"
        ).fetchall()]
    finally:
        con.close()
