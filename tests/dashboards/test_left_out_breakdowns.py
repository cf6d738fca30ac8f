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


def _notices(store: ReleaseStore, params: dict[str, str], lang: str) -> list[str]:
    """The texts of the /trends left-out notice for ``params`` (none: an empty list)."""
    rel = store.current()
    shown = trends.view(rel, trends.normalise(rel, params), lang)
    return [text(n).replace("\xa0", " ") for n in walk(html.Div(shown.children))
            if getattr(n, "id", None) == "trend-left-out"]


def _notice(store: ReleaseStore, lang: str) -> str | None:
    found = _notices(store, PARAMS, lang)
    return found[0] if found else None


def _delete(release: Path, where: str) -> None:
    """Take the THB_SIGNALLED quarters matching ``where`` out of the release file."""
    con = duckdb.connect(str(release))
    con.execute("DELETE FROM published.indicator_values WHERE indicator = 'THB_SIGNALLED' "
                f"AND grain = 'quarter' AND {where}")
    con.close()


def _without_q2_2023_by_sex(release: Path) -> None:
    _delete(release, "period_label = '2023-Q2' AND geo = 'PT' AND breakdown = 'sex'")


def _api(settings: Settings, query: str) -> dict:
    """The /data answer to ``query`` (THB_SIGNALLED by quarter and ``query``)."""
    from dashboards.app import create_app
    from tests.security.conftest import make_access

    store = ReleaseStore(settings.serving_dir)
    try:
        client = create_app(settings, store, make_access(settings)).server.test_client()
        answer = client.get(f"/api/v1/data?indicator=THB_SIGNALLED&grain=quarter&{query}")
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
    assert ("2.º trim. 2023" if lang == "pt" else "Q2 2023") in notice, notice
    assert breakdown_label("sex", lang) in notice
    assert ("não é publicada para esse período" if lang == "pt"
            else "not published for that period") in notice
    # the other quarters are broken down: only Q2 is named
    assert "Q1" not in notice and "1.º" not in notice


def test_the_api_names_the_periods_without_the_breakdown(release: Path, settings: Settings):
    assert "not_published" not in _api(settings, "geo=PT&breakdown=sex")
    _without_q2_2023_by_sex(release)
    answer = _api(settings, "geo=PT&breakdown=sex")
    assert answer["not_published"] == [
        {"grain": "quarter", "period_label": "2023-Q2", "geo": "PT"}]
    assert "2023-Q2" not in {row["period_label"] for row in answer["data"]}
    assert answer["count"] == len(answer["data"]) > 0


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_periods_without_the_area_are_named(release: Path, settings: Settings, lang):
    _delete(release, "period_label IN ('2023-Q3', '2023-Q4') AND geo = 'PT-13' "
            "AND breakdown = '_T'")
    store = ReleaseStore(settings.serving_dir)
    try:
        params = {"indicator": "THB_SIGNALLED", "grain": "quarter", "breakdown": "_T"}
        shown = {district: _notices(store, {**params, "district": district}, lang)
                 for district in ("PT-13", "PT-11")}
    finally:
        store.close()
    [notice] = shown["PT-13"]
    assert "Porto" in notice
    assert ("3.º trim. 2023, 4.º trim. 2023" if lang == "pt" else "Q3 2023, Q4 2023") \
        in notice, notice
    assert ("esses períodos" if lang == "pt" else "those periods") in notice
    assert shown["PT-11"] == []  # Lisboa has every quarter


def test_the_api_names_the_periods_without_the_area(release: Path, settings: Settings):
    _delete(release, "period_label = '2023-Q3' AND geo = 'PT-13'")
    answer = _api(settings, "geo=PT-11,PT-13")
    assert answer["not_published"] == [
        {"grain": "quarter", "period_label": "2023-Q3", "geo": "PT-13"}]
    assert "not_published" not in _api(settings, "geo=PT")


def test_the_api_names_the_areas_left_out_without_a_geo_filter(release: Path,
                                                               settings: Settings):
    """Without ``geo`` the answer lists every area published at that grain in other periods
    and missing in the asked ones (a user review: the list came only with a ``geo`` filter)."""
    _delete(release, "period_label = '2023-Q3' AND geo IN ('PT-05', 'PT-06')")
    _delete(release, "geo = 'PT-07'")  # never published by quarter: not "left out"
    query = "from=2023-Q3&to=2023-Q3"
    expected = [{"grain": "quarter", "period_label": "2023-Q3", "geo": geo}
                for geo in ("PT-05", "PT-06")]
    assert _api(settings, query)["not_published"] == expected
    assert _api(settings, query + "&geo=PT-05,PT-06")["not_published"] == expected
    assert "not_published" not in _api(settings, "from=2023-Q2&to=2023-Q2")
    # the same rule over several quarters, and only by quarter at grain=quarter
    assert _api(settings, "from=2023-Q2&to=2023-Q4")["not_published"] == expected


def test_the_not_published_list_is_bounded(release: Path, settings: Settings,
                                           monkeypatch: pytest.MonkeyPatch):
    from dashboards import api

    _delete(release, "period_label IN ('2023-Q3', '2023-Q4') AND geo IN ('PT-05', 'PT-06')")
    monkeypatch.setattr(api, "MAX_NOT_PUBLISHED", 3)
    answer = _api(settings, "from=2023")
    assert len(answer["not_published"]) == 3 and answer["not_published_total"] == 4
    assert "not_published_total" not in _api(settings, "from=2023-Q3&to=2023-Q3")
