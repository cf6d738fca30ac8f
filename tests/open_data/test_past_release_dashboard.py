"""The dashboard shows a past release with ``release=<id>`` (read-only, kept by retention),
with a banner naming it and a link back to the current release."""

from __future__ import annotations

import json

import duckdb
import pytest

from bench.fixtures.callbacks import post, shell_body
from dashboards.app import create_app, download_payload, page_view
from indicators.i18n import fmt_date
from indicators.release_files import release_file, release_time
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


def test_a_release_that_hides_values_published_before_says_so_once(settings, store, series):
    """The series' revised returns change counts by fewer persons than k, and the release
    hides them (or leaves them out): a reader who saw a value last month finds a "c" or no
    value now, and the release says so (how many, against the release of which date, and
    where the policy is), never which ones."""
    client = create_app(settings, ReleaseStore(settings.serving_dir),
                        make_access(settings)).server.test_client()
    ids = series.release_ids
    first_banner = _banner(client, f"?lang=en&release={ids[0]}")
    assert "revisions-banner" not in first_banner  # a first release hides nothing "now"
    said = 0
    for old, new in zip(ids, ids[1:], strict=False):
        n = _public_values_hidden_now(series, old, new)
        banner = _banner(client, f"?lang=en&release={new}")
        if n == 0:
            assert "revisions-banner" not in banner
            continue
        said += 1
        values = "value" if n == 1 else "values"
        when = {lang: fmt_date(release_time(old).date(), lang) for lang in ("en", "pt")}
        assert f"{n} {values} published in the previous release ({when['en']})" in banner
        assert "hidden (c) or left out" in banner
        assert '"href": "/methodology?lang=en#releases"' in banner
        pt = _banner(client, f"?lang=pt&release={new}")
        assert f"publicad{'o' if n == 1 else 'os'} na versão anterior ({when['pt']})" in pt
        # a downloaded file says it too (its notes), for the values its reader may read
        payload = download_payload(store, "/trends", f"?lang=en&release={new}"
                                   "&indicator=THB_SIGNALLED&grain=month&compare=none",
                                   "trends", "csv")
        _table, notes = split_csv(payload["content"])
        noted = [row[1] for row in notes if row and row[0] == "Release note"]
        assert noted and noted[0].startswith(f"{n} {values} published in the previous release")
    assert said, "the series' small revisions hide values published before"


def _public_values_hidden_now(series, old: str, new: str) -> int:
    """Values of public indicators that release ``old`` published and ``new`` does not:
    flagged 'c', or gone (read from the two files)."""
    key = ["indicator", "grain", "period", "period_end", "geo", "breakdown", "breakdown_code"]
    frames = []
    for release_id in (old, new):
        con = duckdb.connect(str(release_file(series.serving_dir, release_id)), read_only=True)
        try:
            values = con.sql("SELECT * FROM published.indicator_values").pl()
            public = con.sql("SELECT code FROM published.indicators "
                             "WHERE audience = 'public'").pl()["code"]
        finally:
            con.close()
        frames.append(values.filter(values["indicator"].is_in(public.implode())))
    both = frames[0].join(frames[1], on=key, how="left", suffix="_new")
    gone = both["flags_new"].is_null()
    hidden = both["value_new"].is_null() & both["flags_new"].str.contains("c")
    return both.filter(both["value"].is_not_null() & (gone | hidden)).height


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
