"""Crawl every page and every option its controls offer: no published count between 1 and 4
appears in tables, figures, cards or downloads, and confidential cells say so."""

from __future__ import annotations

import json

import plotly.utils
import pytest
from dash import html

from bench.fixtures.users import signed_in_client
from dashboards.app import download_payload, full_params
from dashboards.pages import map as map_page
from dashboards.pages import methodology, overview, quality, results, trends
from dashboards.pages.common import district_options, indicator_options
from indicators import release_reader as data
from indicators.i18n import t
from indicators.reports.exports import split_csv

COUNT_UNITS = ("persons", "sessions", "documents")


def _check_table(table, lang: str) -> int:
    """Returns the number of confidential cells seen; fails on a count in 1..4."""
    cols = table.columns
    value_i, unit_i = cols.index(t("col.value", lang)), cols.index(t("col.unit", lang))
    flags_i, words_i = cols.index(t("col.flags", lang)), cols.index(t("col.flag_text", lang))
    count_units = {t(f"unit.{u}", lang) for u in COUNT_UNITS}
    seen = 0
    for row in table.rows:
        value, flags = row[value_i], row[flags_i] or ""
        if row[unit_i] in count_units and value is not None:
            assert not 0 < value < 5, (table.title, row)
        if value is None and "c" in flags:
            assert t("flag.c", lang) in row[words_i], row
            seen += 1
    return seen


def _check_figure(fig, unit: str) -> None:
    if unit not in COUNT_UNITS:
        return
    for trace in fig.data:
        for series in (getattr(trace, "z", None), getattr(trace, "y", None)):
            for v in series or ():
                if v is not None and trace.name not in (t("flag.legend_c", "en"),
                                                        t("flag.legend_c", "pt")):
                    assert not 0 < v < 5, (trace.name, v)


def _map_svg(component) -> str | None:
    """The SVG text of the map inside a page's components."""
    props = component.to_plotly_json()["props"] if hasattr(component, "to_plotly_json") else {}
    if props.get("id") == map_page.GRAPH_ID:
        return props["data-svg"]
    children = props.get("children")
    for child in children if isinstance(children, list) else [children]:
        found = _map_svg(child) if child is not None else None
        if found:
            return found
    return None


def _check_map(view, unit: str) -> None:
    """No count in 1..4 in the map's hover texts (each district's SVG <title>)."""
    from xml.etree import ElementTree

    svg = _map_svg(html.Div(view.children))
    assert svg, "no map drawn"
    titles = [e.text.split("\n") for e in ElementTree.fromstring(svg).iter(
        "{http://www.w3.org/2000/svg}title")]
    assert titles
    for lines in titles:
        if unit in COUNT_UNITS and lines[1][0].isdigit():
            assert not 0 < float(lines[1].replace(",", "")) < 5, lines


def test_map_every_indicator_grain_period_breakdown(store):
    rel = store.current()
    confidential = 0
    for indicator, _ in map_page._district_indicators(rel, "en"):
        unit = data.indicator_meta(rel, indicator)["unit"]
        for grain in map_page.MAP_GRAINS:
            for period, _end in data.periods(rel, indicator, grain):
                for b, c in data.breakdowns(rel, indicator):
                    p = map_page.normalise(rel, {"indicator": indicator, "grain": grain,
                                                 "period": period,
                                                 "breakdown": map_page._bd_value(b, c)})
                    assert (p["grain"], p["period"]) == (grain, period)
                    cells = map_page.cells(rel, p, "en")
                    confidential += _check_table(
                        map_page.table_for(rel, p, "en", cells, unit), "en")
                    if b == "_T" and grain == "year":
                        _check_map(map_page.view(rel, p, "en"), unit)
    assert confidential > 0  # the fixture has confidential districts: they were marked


@pytest.mark.parametrize("lang", ["en"])
def test_trends_every_indicator_grain_breakdown_and_area(store, lang):
    rel = store.current()
    for indicator, _ in indicator_options(rel, lang):
        unit = data.indicator_meta(rel, indicator)["unit"]
        for grain in trends.TREND_GRAINS:
            for dim in trends._dimensions(rel, indicator):
                geos = [g for g, _ in district_options(lang)]
                geos = geos[:2] if dim != "_T" else geos[::4]
                for geo in geos:
                    p = trends.normalise(rel, {"indicator": indicator, "grain": grain,
                                               "breakdown": dim, "district": geo,
                                               "compare": "PT"})
                    shown = trends.view(rel, p, lang)
                    _check_table(shown.tables["trends"], lang)
                    if "trends" in shown.figures:
                        _check_figure(shown.figures["trends"], unit)
                    else:  # not published at this grain/area: explained, nothing drawn
                        assert shown.children[0].id == "combo-notice"
                        assert shown.tables["trends"].rows == ()


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_overview_every_district_cards_and_table(store, lang):
    rel = store.current()
    for geo, _ in district_options(lang)[:: 1 if lang == "en" else 4]:
        p = overview.normalise(rel, {"district": geo})
        shown = overview.view(rel, p, lang)
        _check_table(shown.tables["overview"], lang)
        for grain in ("month", "ytd"):
            for h in overview.headlines(rel, geo, grain):
                if h.unit in COUNT_UNITS and h.value is not None:
                    assert not 0 < h.value < 5
        if geo == "PT":
            rendered = json.dumps(shown.children, cls=plotly.utils.PlotlyJSONEncoder)
            assert "Traceback" not in rendered


def test_results_every_reporting_period_marks_confidential_achieved(store):
    rel = store.current()
    seen = 0
    for rp in data.reporting_periods(rel):
        for lang in ("pt", "en"):
            shown = results.view(rel, results.normalise(rel, {"rperiod": rp}), lang)
            table = shown.tables["eea_results"]
            for row in table.rows:
                for i in range(6, 12):  # achieved in the period and to date: total, F, M
                    if isinstance(row[i], int | float):
                        assert not 0 < row[i] < 5, row
                    elif row[i] == "c":
                        seen += 1
            rendered = json.dumps(shown.children, cls=plotly.utils.PlotlyJSONEncoder)
            assert '"c"' in rendered or seen == 0
    assert seen > 0


def test_downloads_of_every_page_carry_flags_and_no_small_counts(store):
    rel = store.current()
    for path, names in (("/", ["overview"]), ("/map", ["map"]), ("/trends", ["trends"]),
                        ("/results", ["eea_results"]),
                        ("/quality", ["data_quality", "rejections", "release_history"]),
                        ("/methodology", ["indicators"])):
        for name in names:
            payload = download_payload(store, path, "?lang=en", name, "csv")
            rows, notes = split_csv(payload["content"])
            labels = dict(notes)
            assert labels["Release"] == rel.release_id and "Notice" in labels, notes
            assert "_en_" in payload["filename"], payload["filename"]
            header = rows[0]
            if "Value" in header:
                vi, ui, fi = header.index("Value"), header.index("Unit"), header.index("Flag")
                for row in rows[1:]:
                    if row[ui] in ("persons", "sessions") and row[vi]:
                        assert not 0 < float(row[vi]) < 5, row
                    if not row[vi] and "c" in row[fi]:
                        assert "confidential" in row[header.index("Value status")]
            for row in rows:
                assert not any(cell.startswith(("=", "+", "@")) for cell in row), row
            xlsx = download_payload(store, path, "?lang=pt", name, "xlsx")
            assert xlsx["filename"].endswith(".xlsx")
    # the data-quality grid shows one year at a time, the latest by default (fixture: 2024)
    assert full_params(quality, rel, "?lang=en") == {"lang": "en", "dqyear": "2024"}
    assert methodology.view(rel, {}, "en").tables["indicators"].rows


def test_printable_report_escapes_and_marks_confidential(store, settings):
    from dashboards.app import create_app

    app = create_app(settings, store)
    client = signed_in_client(app, settings.data_dir)  # the report is for donors
    html_text = client.get("/report/results?lang=en&rperiod=2023").get_data(as_text=True)
    assert '<html lang="en">' in html_text and "Methodology annex" in html_text
    assert '<abbr title="confidential">c</abbr>' in html_text
