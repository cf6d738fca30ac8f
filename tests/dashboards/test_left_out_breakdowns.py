"""A breakdown protection left out of the release for some periods (its total is published)
is named on /trends and in the API's /data answer: without a word the series would simply
start later or have a gap, which reads as "no data" rather than "not published" (a user
review of the release)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dash import html

from dashboards.pages import trends
from indicators.i18n import breakdown_label
from indicators.release_reader import ReleaseStore
from indicators.settings import Settings
from tests.dashboards.layout_tree import text, walk

PARAMS = {"indicator": "THB_SIGNALLED", "grain": "quarter", "breakdown": "sex",
          "district": "PT"}


def _notice(store: ReleaseStore, lang: str) -> str | None:
    rel = store.current()
    shown = trends.view(rel, trends.normalise(rel, PARAMS), lang)
    found = [text(n) for n in walk(html.Div(shown.children))
             if getattr(n, "id", None) == "trend-left-out"]
    return found[0] if found else None


def _without_q2_2023_by_sex(release: Path) -> None:
    con = duckdb.connect(str(release))
    con.execute("DELETE FROM published.indicator_values WHERE indicator = 'THB_SIGNALLED' "
                "AND grain = 'quarter' AND period_label = '2023-Q2' AND geo = 'PT' "
                "AND breakdown = 'sex'")
    con.close()


def _api(settings: Settings) -> dict:
    from dashboards.app import create_app
    from tests.security.conftest import make_access

    store = ReleaseStore(settings.serving_dir)
    try:
        client = create_app(settings, store, make_access(settings)).server.test_client()
        answer = client.get("/api/v1/data?indicator=THB_SIGNALLED&grain=quarter&geo=PT"
                            "&breakdown=sex")
        assert answer.status_code == 200
        return answer.get_json()
    finally:
        store.close()


def test_no_notice_when_every_period_is_broken_down(store: ReleaseStore):
    assert _notice(store, "en") is None


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_a_period_without_the_breakdown_is_named(release: Path, settings: Settings, lang):
    _without_q2_2023_by_sex(release)
    store = ReleaseStore(settings.serving_dir)
    try:
        notice = _notice(store, lang)
    finally:
        store.close()
    assert notice is not None
    notice = notice.replace("\xa0", " ")
    assert ("2.º trim. 2023" if lang == "pt" else "Q2 2023") in notice, notice
    assert breakdown_label("sex", lang) in notice
    assert ("não é publicada para esse período" if lang == "pt"
            else "not published for that period") in notice
    # the other quarters are broken down: only Q2 is named
    assert "Q1" not in notice and "1.º" not in notice


def test_the_api_names_the_periods_without_the_breakdown(release: Path, settings: Settings):
    assert "not_published" not in _api(settings)
    _without_q2_2023_by_sex(release)
    answer = _api(settings)
    assert answer["not_published"] == [
        {"grain": "quarter", "period_label": "2023-Q2", "geo": "PT"}]
    assert "2023-Q2" not in {row["period_label"] for row in answer["data"]}
    assert answer["count"] == len(answer["data"]) > 0


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_periods_without_the_area_are_named(release: Path, settings: Settings, lang):
    con = duckdb.connect(str(release))
    con.execute("DELETE FROM published.indicator_values WHERE indicator = 'THB_SIGNALLED' "
                "AND grain = 'quarter' AND period_label IN ('2023-Q3', '2023-Q4') "
                "AND geo = 'PT-13' AND breakdown = '_T'")
    con.close()
    store = ReleaseStore(settings.serving_dir)
    try:
        rel = store.current()
        params = {"indicator": "THB_SIGNALLED", "grain": "quarter", "breakdown": "_T"}
        shown = {}
        for district in ("PT-13", "PT-11"):
            p = trends.normalise(rel, {**params, "district": district})
            shown[district] = [text(n) for n in walk(html.Div(trends.view(rel, p, lang)
                                                              .children))
                               if getattr(n, "id", None) == "trend-left-out"]
    finally:
        store.close()
    [notice] = shown["PT-13"]
    notice = notice.replace("\xa0", " ")
    assert "Porto" in notice
    assert ("3.º trim. 2023, 4.º trim. 2023" if lang == "pt" else "Q3 2023, Q4 2023") \
        in notice, notice
    assert ("esses períodos" if lang == "pt" else "those periods") in notice
    assert shown["PT-11"] == []  # Lisboa has every quarter


def test_the_api_names_the_periods_without_the_area(release: Path, settings: Settings):
    from dashboards.app import create_app
    from tests.security.conftest import make_access

    con = duckdb.connect(str(release))
    con.execute("DELETE FROM published.indicator_values WHERE indicator = 'THB_SIGNALLED' "
                "AND grain = 'quarter' AND period_label = '2023-Q3' AND geo = 'PT-13'")
    con.close()
    store = ReleaseStore(settings.serving_dir)
    try:
        client = create_app(settings, store, make_access(settings)).server.test_client()
        answer = client.get("/api/v1/data?indicator=THB_SIGNALLED&grain=quarter"
                            "&geo=PT-11,PT-13").get_json()
        national = client.get("/api/v1/data?indicator=THB_SIGNALLED&grain=quarter"
                              "&geo=PT").get_json()
    finally:
        store.close()
    assert answer["not_published"] == [
        {"grain": "quarter", "period_label": "2023-Q3", "geo": "PT-13"}]
    assert "not_published" not in national
