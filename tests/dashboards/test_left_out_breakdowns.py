"""A breakdown protection left out of the release for some periods (its total is published)
is named on /trends and in the API's /data answer: without a word the series would simply
start later or have a gap, which reads as "no data" rather than "not published" (a user
review of the release)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import duckdb
import polars as pl
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
    return _data(settings, f"grain=quarter&{query}")


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


@pytest.mark.parametrize("case", ["area", "breakdown"])
def test_the_chart_breaks_its_line_at_a_left_out_period_and_the_table_names_it(
        release: Path, settings: Settings, case: str):
    """A user review: Porto's quarterly line went from Q2 to Q4 2023 as if Q3 did not exist
    (the category axis had no Q3 when Porto alone was shown), and the table and its download
    had no row for Q3. Now the period stays on the axis with a gap in the line (no mark: it
    is neither a zero nor a "c"), and the table has its row, "not published"."""
    if case == "area":
        _delete(release, "period_label = '2023-Q3' AND geo = 'PT-13' AND breakdown = '_T'")
        params = {"indicator": "THB_SIGNALLED", "grain": "quarter", "breakdown": "_T",
                  "district": "PT-13"}
    else:
        _without_q2_2023_by_sex(release)
        params = PARAMS
    gone = "2023-Q3" if case == "area" else "2023-Q2"
    store = ReleaseStore(settings.serving_dir)
    try:
        rel = store.current()
        shown = trends.view(rel, trends.normalise(rel, params), "en")
    finally:
        store.close()
    words = {"2023-Q2": "Q2\xa02023", "2023-Q3": "Q3\xa02023"}[gone]
    fig = shown.figures["trends"]
    lines = [tr for tr in fig.data if tr.mode == "lines+markers" and tr.y is not None
             and len(tr.y) > 1 and (case == "breakdown" or tr.name == "Porto")]
    assert lines  # (by area, Portugal's line is drawn too, whole)
    for line in lines:
        x = list(line.x)
        assert words in x, (line.name, x)  # the period is on the axis of every line
        at = x.index(words)
        assert line.y[at] is None and line.y[at - 1] is not None  # a gap, not a join
        assert not line.connectgaps
    crosses = [tr for tr in fig.data if tr.mode == "markers" and tr.x is not None
               and words in tr.x]
    assert crosses == []  # no "c" mark: the release does not publish it as confidential
    left = "PT-13" if case == "area" else "PT"
    rows = [r for r in shown.tables["trends"].rows if r[1] == words and r[2] == left]
    assert rows and all(r[6] is None and r[8] == "" and r[9] == "not published (see the note)"
                        for r in rows)


def test_a_card_sparkline_breaks_at_a_period_left_out_of_the_area(release: Path,
                                                                   settings: Settings):
    """The overview's small trend for a district joined the periods around one the release
    leaves out of it (the demo's Lisboa year to date: 2021 to 2023 as one line); now the
    period stays and the line breaks there. (The fixture has one complete year: its quarters
    stand in for the years.)"""
    from dashboards.pages import overview
    from dashboards.sparklines import sparkline_svg

    def spark() -> tuple:
        store = ReleaseStore(settings.serving_dir)
        try:
            rel = store.current()
            card = next(h for h in overview.headlines(rel, "PT-13", "year")
                        if h.indicator == "THB_SIGNALLED" and h.card != "change")
            return overview.spark_points(rel, card, "PT-13", "quarter")
        finally:
            store.close()

    before = spark()
    assert len(before) >= 3 and all(p.value is not None for p in before)
    gone = before[2].label  # a quarter between two published ones
    _delete(release, f"period_label = '{gone}' AND geo = 'PT-13' AND breakdown = '_T'")
    after = spark()
    assert [p.label for p in after] == [p.label for p in before]
    assert after[2].value is None and after[2].flags == ""
    svg = sparkline_svg(after)
    assert "spark-conf" not in svg  # no "c" mark: a gap
    assert svg.count("spark-line") + svg.count("spark-dot") == 2  # two pieces, not one line


def _data(settings: Settings, query: str) -> dict:
    """The /data answer to ``query`` (THB_SIGNALLED)."""
    from dashboards.app import create_app
    from tests.security.conftest import make_access

    store = ReleaseStore(settings.serving_dir)
    try:
        client = create_app(settings, store, make_access(settings)).server.test_client()
        answer = client.get(f"/api/v1/data?indicator=THB_SIGNALLED&{query}")
        assert answer.status_code == 200
        return answer.get_json()
    finally:
        store.close()


def test_what_is_never_published_at_a_grain_is_not_called_left_out(release: Path,
                                                                    settings: Settings):
    """A user review of the demo's API: /data for Lisboa without a grain listed every month
    as "not published" (districts are never published by month), the year to date by area
    every month between two quarters (it is published at quarter ends only), and a breakdown
    by sex every month (breakdowns are not published by month). Only a period where the
    release publishes the same thing elsewhere is left out."""
    assert "not_published" not in _data(settings, "breakdown=sex&geo=PT")
    con = duckdb.connect(str(release))
    # by area, the year to date at quarter ends only (as the pipeline publishes it) ...
    con.execute("DELETE FROM published.indicator_values WHERE grain = 'ytd' AND geo <> 'PT' "
                "AND month(period_end) NOT IN (3, 6, 9, 12)")
    # ... and Porto's first quarter of 2024 left out
    con.execute("DELETE FROM published.indicator_values WHERE grain = 'ytd' AND geo = 'PT-13' "
                "AND period_label = '2024-01..2024-03'")
    con.close()
    answer = _data(settings, "grain=ytd&geo=PT-13")
    assert answer["not_published"] == [
        {"grain": "ytd", "period_label": "2024-01..2024-03", "geo": "PT-13"}]


def test_the_bulk_file_lists_the_left_out_periods(release: Path, settings: Settings):
    """A reviewer summed Lisboa's quarters of 2022 in the bulk file's indicator_values.csv
    (50, the year being 77: Q3 was left out) with no word on it: the zip now has
    not_published.csv, the same cells /api/v1/data names."""
    from indicators.open_data.bulk import bulk_zip
    from indicators.open_data.not_published import left_out_cells

    _delete(release, "period_label = '2023-Q3' AND geo = 'PT-13'")
    _without_q2_2023_by_sex(release)
    con = duckdb.connect(str(release), read_only=True)
    try:
        values = con.sql("SELECT * FROM published.indicator_values").pl()
        zipped = bulk_zip(con, "published", {"public"})
    finally:
        con.close()
    cells = left_out_cells(values).filter(pl.col("indicator") == "THB_SIGNALLED")
    assert cells.rows() == [("THB_SIGNALLED", "quarter", "2023-Q2", "PT", "sex"),
                            ("THB_SIGNALLED", "quarter", "2023-Q3", "PT-13", "_T")]
    api = {(g["period_label"], g["geo"]) for g in _api(settings, "")["not_published"]}
    api |= {(g["period_label"], g["geo"]) for g in _api(settings, "geo=PT&breakdown=sex")[
        "not_published"]}
    assert api == {(label, geo) for _, _, label, geo, _ in cells.rows()}
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        name = next(n for n in archive.namelist() if n.endswith("tables/not_published.csv"))
        listed = archive.read(name).decode()
    assert "THB_SIGNALLED,quarter,2023-Q3,PT-13,_T" in listed
