"""Years published at a longer grain only are named, and combinations never published are
refused with what is published instead (a user review: the persons of a status by quarter
showed 2024 alone, with no word on 2021-2023 and 2025, published by year only; the menu's
district opened /trends by month, which districts never have; the API answered an empty
list to districts by month).

The release fixture publishes everything at every grain; each test takes out of it what the
pipeline never publishes in the case it names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from dash import html

from dashboards.pages import trends
from indicators.release_reader import ReleaseStore
from indicators.settings import Settings
from tests.dashboards.layout_tree import text, walk


def _delete(release: Path, where: str) -> None:
    con = duckdb.connect(str(release))
    con.execute("DELETE FROM published.indicator_values WHERE indicator = 'THB_SIGNALLED' "
                f"AND {where}")
    con.close()


def _view(settings: Settings, params: dict[str, str], lang: str) -> tuple[list[str], tuple]:
    """The /trends notices (``trend-left-out``) and the trends table's remarks."""
    store = ReleaseStore(settings.serving_dir)
    try:
        rel = store.current()
        shown = trends.view(rel, trends.normalise(rel, params), lang)
    finally:
        store.close()
    notices = [text(n).replace("\xa0", " ") for n in walk(html.Div(shown.children))
               if getattr(n, "id", None) == "trend-left-out"]
    return notices, shown.tables["trends"].remarks


QUARTERS = {"indicator": "THB_SIGNALLED", "grain": "quarter", "breakdown": "_T",
            "district": "PT"}


def test_no_notice_when_every_year_has_the_grain(release: Path, settings: Settings):
    assert _view(settings, QUARTERS, "en") == ([], ())


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_a_year_published_by_year_only_is_named(release: Path, settings: Settings, lang):
    _delete(release, "grain = 'quarter' AND geo = 'PT' AND period_label LIKE '2023-%'")
    notices, remarks = _view(settings, QUARTERS, lang)
    assert len(notices) == 1, notices
    if lang == "en":
        assert notices[0].startswith("By quarter, values are published for 2024 only; for "
                                     "2023, by longer periods only"), notices[0]
    else:
        assert notices[0].startswith("Por trimestre, os valores são publicados só para 2024; "
                                     "para 2023, só por períodos mais longos"), notices[0]
    assert remarks == (notices[0],)  # the downloads say it too


def test_months_after_the_last_complete_quarter_are_not_named(release: Path,
                                                                settings: Settings):
    # the fixture's quarters end with 2024-Q2 and its months with 2024-06: take the
    # quarters of 2024 out, and 2024 is named; the months of a quarter not complete are not
    _delete(release, "grain = 'quarter' AND geo = 'PT' AND period_label LIKE '2024-%'")
    notices, _ = _view(settings, QUARTERS, "en")
    assert notices and "for 2024, by longer periods only" in notices[0]
    assert trends.last_complete("quarter", date(2024, 8, 31)) == date(2024, 6, 30)
    assert trends.last_complete("quarter", date(2025, 2, 28)) == date(2024, 12, 31)
    assert trends.last_complete("quarter", date(2024, 12, 31)) == date(2024, 12, 31)
    assert trends.last_complete("month", date(2024, 8, 31)) == date(2024, 8, 31)


def test_a_district_from_the_menu_opens_at_a_grain_it_has(release: Path, settings: Settings):
    _delete(release, "grain = 'month' AND geo <> 'PT'")  # as the pipeline: no district months
    store = ReleaseStore(settings.serving_dir)
    try:
        rel = store.current()
        # the menu carries the district, not the grain: the first grain with values
        assert trends.normalise(rel, {"district": "PT-11"})["grain"] == "quarter"
        assert trends.normalise(rel, {"district": "PT"})["grain"] == "month"
        # a grain asked for stays asked for, and the notice says "values", not "breakdown"
        p = trends.normalise(rel, {"district": "PT-11", "grain": "month"})
        assert p["grain"] == "month"
        notice = text(trends.view(rel, p, "pt").children[0])
    finally:
        store.close()
    assert notice.startswith("Os valores não são publicados por mês para esta área"), notice
    assert "desagregação" not in notice


def _api(settings: Settings, query: str) -> tuple[int, dict]:
    from dashboards.app import create_app
    from tests.security.conftest import make_access

    store = ReleaseStore(settings.serving_dir)
    try:
        client = create_app(settings, store, make_access(settings)).server.test_client()
        answer = client.get(f"/api/v1/data?indicator=THB_SIGNALLED&{query}")
        return answer.status_code, answer.get_json()
    finally:
        store.close()


def test_the_api_refuses_a_grain_never_published_for_the_areas(release: Path,
                                                                settings: Settings):
    _delete(release, "grain = 'month' AND geo <> 'PT'")
    status, body = _api(settings, "grain=month&geo=PT-11")
    assert status == 400
    assert body["error"] == ("indicator THB_SIGNALLED is not published by 'month' for the "
                             "areas and breakdown asked: use grain quarter, year, r12, ytd")
    assert "não é publicado por 'month'" in body["error_pt"]
    # Portugal has months: the same grain for Portugal, or for Portugal and a district, answers
    assert _api(settings, "grain=month&geo=PT")[0] == 200
    status, body = _api(settings, "grain=month")
    assert status == 200 and body["count"] == 18


def test_the_api_refuses_a_breakdown_published_for_other_areas_only(release: Path,
                                                                   settings: Settings):
    _delete(release, "breakdown = 'sex' AND geo <> 'PT'")
    for query in ("breakdown=sex&geo=PT-11", "breakdown=sex&geo=PT-11&grain=year"):
        status, body = _api(settings, query)
        assert status == 400, query
        assert body["error"] == ("indicator THB_SIGNALLED is not published by 'sex' for the "
                                 "areas asked")
    status, body = _api(settings, "breakdown=sex&geo=PT&grain=year")
    assert status == 200 and body["count"] == 2


def test_the_indicator_list_says_which_grains_are_published(release: Path,
                                                             settings: Settings):
    """A user review: /indicators offered THB_CONFIRMED_CHG by quarter (its definition's
    grains), and /data then refused that grain. The list now says what is published too."""
    from dashboards.app import create_app
    from tests.security.conftest import make_access

    _delete(release, "grain = 'quarter'")  # THB_SIGNALLED: no quarter at all
    store = ReleaseStore(settings.serving_dir)
    try:
        client = create_app(settings, store, make_access(settings)).server.test_client()
        rows = {r["code"]: r for r in client.get("/api/v1/indicators").get_json()["indicators"]}
    finally:
        store.close()
    signalled = rows["THB_SIGNALLED"]
    assert "quarter" in signalled["grains"]  # defined by quarter
    assert signalled["grains_published"] == ["month", "year", "r12", "ytd"]
    assert "quarter" in rows["THB_CONFIRMED"]["grains_published"]
