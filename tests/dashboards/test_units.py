from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from bench.fixtures.callbacks import content_body
from bench.fixtures.release import point_current, write_release_fixture
from dashboards import figures
from dashboards.figures import MapCell, Point, Series
from indicators import i18n
from indicators import release_reader as data
from indicators.i18n import t
from indicators.reports import exports


def test_every_key_has_portuguese_and_english_text():
    for key, pair in i18n.TEXT.items():
        assert len(pair) == 2 and all(isinstance(s, str) and s.strip() for s in pair), key


def test_numbers_are_formatted_per_language():
    assert i18n.fmt_number(1234.5, "pt", 1) == "1\u00a0234,5"
    assert i18n.fmt_number(1234.5, "en", 1) == "1,234.5"
    assert i18n.fmt_value(43.61, "rate_100k", "pt") == "43,6"
    assert i18n.fmt_value(None, "persons", "en") == ""
    assert i18n.fmt_period("2024-Q1", "quarter", "pt") == "1.º trim. 2024"
    assert i18n.fmt_date(date(2026, 11, 28), "en") == "28 Nov 2026"
    assert i18n.flag_words("cp", "en") == "confidential, provisional"


def test_csv_neutralises_formulas_and_keeps_flags():
    table = exports.Table("t", "T", ("name", "value", "flags"),
                          (("=SUM(A1)", None, "c"), ("+1", 12.0, "p"), ("@x", -3.0, ""),
                           ("-2", 5.5, "r")))
    rows = list(csv.reader(io.StringIO(exports.to_csv(table))))
    assert rows[1] == ["'=SUM(A1)", "", "c"]
    assert rows[2] == ["'+1", "12", "p"]
    assert rows[3] == ["'@x", "-3", ""]  # numbers are not text: no apostrophe
    assert rows[4] == ["'-2", "5.5", "r"]


def test_xlsx_has_typed_cells_and_no_formulas(tmp_path: Path):
    table = exports.Table("t", "Title", ("name", "value", "flags"),
                          (("=1+1", None, "c"), ("a", 7.0, "")))
    path = tmp_path / "x.xlsx"
    path.write_bytes(exports.to_xlsx([table]))
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A4"].value == "=1+1" and sheet["A4"].data_type == "s"
    assert sheet["C4"].value == "c" and sheet["B5"].value == 7


def _cells():
    return [MapCell("PT-01", "Aveiro", 12.0, ""), MapCell("PT-02", "Beja", None, "c"),
            MapCell("PT-20", "Açores", None, "c"), MapCell("PT-30", "Madeira", 0.0, "p"),
            MapCell("PT-11", "Lisboa", None, ":")]


SVG = "{http://www.w3.org/2000/svg}"


def _draw_map(cells, unit="persons", lang="en", selected=None):
    """The map's SVG parsed: district code → (fill, accessible name, hover lines, has a white
    dot, outline width), and the legend entries' texts."""
    from xml.etree import ElementTree

    from dashboards import map_svg

    layers = figures.map_layers(cells, unit, lang)
    svg = map_svg.map_svg(layers, unit, lang, "t", {c.geo: f"?district={c.geo}" for c in cells},
                          selected)
    root = ElementTree.fromstring(svg)
    drawn = {}
    for link in root.iter(f"{SVG}a"):
        path = link.find(f"{SVG}path")
        drawn[link.get("data-district")] = (
            path.get("fill"), link.get("aria-label"), link.find(f"{SVG}title").text.split("\n"),
            link.find(f"{SVG}circle") is not None, float(path.get("stroke-width")))
    legend = map_svg.legend(layers, unit, lang)
    entries = [item.children[1].children for item in legend.children[1].children]
    return drawn, entries, legend.children[0].children


def test_map_draws_confidential_districts_as_their_own_grey_layer():
    drawn, entries, _title = _draw_map(_cells())
    assert set(drawn) == {"PT-01", "PT-02", "PT-20", "PT-30", "PT-11"}  # insets included
    conf = {code for code, d in drawn.items() if d[0] == figures.CONFIDENTIAL_GREY}
    assert conf == {"PT-02", "PT-20"}
    # confidential districts also carry a white dot (not only a colour)
    assert {code for code, d in drawn.items() if d[3]} == {"PT-02", "PT-20"}
    assert drawn["PT-11"][0] == figures.NOT_AVAILABLE_GREY != figures.CONFIDENTIAL_GREY
    valued = {code for code, d in drawn.items()
              if d[0] not in (figures.CONFIDENTIAL_GREY, figures.NOT_AVAILABLE_GREY)}
    assert valued == {"PT-01", "PT-30"}
    # hover and keyboard name: the value or why there is none, and the flags in words
    assert drawn["PT-02"][2] == ["Beja", "confidential", "hidden to protect the persons "
                                 "counted (not necessarily a small number)"]  # why, once
    assert drawn["PT-30"][2] == ["Madeira", "0", "provisional"]
    assert drawn["PT-01"][1] == "Aveiro: 12"
    assert drawn["PT-11"][2] == ["Lisboa", "not available", "not available"]
    assert entries[-2:] == ["Confidential (c)", "Not available (:)"]


def test_map_selected_district_is_outlined_and_drawn_last():
    from xml.etree import ElementTree

    from dashboards import map_svg

    drawn, _entries, _title = _draw_map(_cells(), selected="PT-01")
    assert drawn["PT-01"][4] > drawn["PT-02"][4]
    layers = figures.map_layers(_cells(), "persons", "en")
    svg = map_svg.map_svg(layers, "persons", "en", "t", {}, "PT-01")
    links = list(ElementTree.fromstring(svg).iter(f"{SVG}a"))
    assert links[-1].get("data-district") == "PT-01"


def test_map_text_is_escaped():
    drawn, _entries, _title = _draw_map([MapCell("PT-01", "<b>A&B</b>", 3.0, "")])
    assert drawn["PT-01"][1] == "<b>A&B</b>: 3"  # parsed back: it was escaped in the SVG


def test_map_insets_fit_their_panels():
    """Every district lies inside its panel: the Azores and Madeira whole in their insets."""
    from dashboards import map_svg

    for code, (path, _centre) in map_svg.district_shapes().items():
        panel = map_svg._panel_of(code)
        x0, y0, width, height = panel.box
        numbers = [float(n) for n in path.replace("M", " ").replace("Z", " ").split()]
        xs, ys = numbers[0::2], numbers[1::2]
        assert x0 <= min(xs) and max(xs) <= x0 + width, code
        assert y0 <= min(ys) and max(ys) <= y0 + height, code
    assert len(map_svg.district_shapes()) == 20


def test_map_classes_are_quantiles_light_to_dark_with_flags_in_the_same_legend():
    cells = [MapCell(f"PT-{i:02d}", f"D{i}", float(v), "") for i, v in
             zip(range(1, 11), (1, 2, 3, 4, 5, 6, 7, 8, 9, 98), strict=True)]
    cells.append(MapCell("PT-11", "Lisboa", None, "c"))
    cells.append(MapCell("PT-12", "Portalegre", None, ":"))
    drawn, entries, title = _draw_map(cells, unit="rate_100k")
    # five classes of two districts each: the outlier (98) does not flatten the others
    assert entries == ["1.0–2.0", ">\u20092.0–4.0", ">\u20094.0–6.0", ">\u20096.0–8.0",
                       ">\u20098.0–98.0", "Confidential (c)", "Not available (:)"]
    assert title == "per 100,000 residents"
    layers = figures.map_layers(cells, "rate_100k", "en")
    assert [layer.colour for layer in layers[:5]] == list(figures.CLASS_COLOURS)  # light → dark
    assert drawn["PT-01"][0] == figures.CLASS_COLOURS[0]
    assert drawn["PT-10"][0] == figures.CLASS_COLOURS[-1]
    assert drawn["PT-11"][0] == figures.CONFIDENTIAL_GREY != figures.NOT_AVAILABLE_GREY


def test_trend_points_sit_at_their_own_period_with_per_point_flags():
    pts = (Point(date(2022, 12, 31), "2022", 10.0, "p", shown="2022", note="Missing: APF"),
           Point(date(2023, 12, 31), "2023", 12.0, "", shown="2023"),
           Point(date(2024, 12, 31), "2024", None, "c", shown="2024"),
           Point(date(2025, 12, 31), "2025", 7.0, "r", shown="2025"))
    fig = figures.trend_figure([Series("PT", pts)], "persons", "en", "t")
    main = fig.data[0]
    assert list(main.x) == ["2022", "2023", "2024", "2025"]  # the year itself, not 1 Jan
    assert fig.layout.xaxis.type == "category"
    assert list(main.y) == [10.0, 12.0, None, 7.0] and main.connectgaps is False
    # provisional 2022 does not spread: 2023 is drawn final, 2025 revised
    assert list(main.marker.symbol) == ["circle-open", "circle", "circle", "diamond"]
    assert main.line.dash == "solid"
    assert "Missing: APF" in main.customdata[0][2] and "provisional" in main.customdata[0][2]
    conf = [tr for tr in fig.data if tr.name == "Confidential (c)"][0]
    assert list(conf.x) == ["2024"]
    legend = {tr.name for tr in fig.data}
    assert {"Provisional (p)", "Revised (r)"} <= legend


def test_a_hover_says_why_a_point_is_confidential_and_that_a_left_out_one_is_not_published():
    """A reviewer hovered Lisboa 2022 ("c" after a late return) and read "confidential /
    confidential": the chart says "hover to see why" and gave no why."""
    pts = (Point(date(2021, 12, 31), "2021", 10.0, "", shown="2021"),
           Point(date(2022, 12, 31), "2022", None, "c", shown="2022"),
           Point(date(2023, 12, 31), "2023", None, "", shown="2023", left_out=True),
           Point(date(2024, 12, 31), "2024", 7.0, "", shown="2024"))
    for lang in ("en", "pt"):
        fig = figures.trend_figure([Series("Lisboa", pts)], "persons", lang, "t")
        main = fig.data[0]
        why = t("tr.c_why", lang)
        assert why in main.customdata[1][2]
        assert main.customdata[2][1] == t("tr.left_out_status", lang)
        assert t("flag.:", lang) not in " ".join(main.customdata[2])  # not "not available"
        conf = next(tr for tr in fig.data if tr.mode == "markers" and tr.x == ("2022",))
        assert why in conf.hovertemplate
    assert "not necessarily a small number" in t("tr.c_why", "en")


def _monthly(first: date, count: int, lang: str) -> tuple[Point, ...]:
    out = []
    for i in range(count):
        year, month = first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1
        code = f"{year}-{month:02d}"
        out.append(Point(date(year, month, 28), code, float(i), "", start=date(year, month, 1),
                         shown=i18n.fmt_period(code, "month", lang)))
    return tuple(out)


def _quarterly(first_year: int, count: int, lang: str) -> tuple[Point, ...]:
    out = []
    for i in range(count):
        year, quarter = first_year + i // 4, i % 4 + 1
        code = f"{year}-Q{quarter}"
        out.append(Point(date(year, quarter * 3, 28), code, float(i), "",
                         start=date(year, quarter * 3 - 2, 1),
                         shown=i18n.fmt_period(code, "quarter", lang)))
    return tuple(out)


def test_trend_x_labels_are_few_horizontal_two_line_and_calendar_aligned():
    """70 months (Jan 2021 - Oct 2026) on a phone: every January, "Jan" over the year, never
    rotated; hover and the category axis still carry every month."""
    fig = figures.trend_figure([Series("PT", _monthly(date(2021, 1, 1), 70, "en"))],
                               "persons", "en", "t")
    axis = fig.layout.xaxis
    assert list(axis.tickvals) == [f"Jan {year}" for year in range(2021, 2027)]
    assert list(axis.ticktext) == [f"Jan<br>{year}" for year in range(2021, 2027)]
    assert axis.tickangle == 0 and axis.tickmode == "array"
    assert len(axis.categoryarray) == 70 and fig.data[0].x[-1] == "Oct 2026"
    # 18 months: a tick every quarter's first month
    fig = figures.trend_figure([Series("PT", _monthly(date(2023, 1, 1), 18, "pt"))],
                               "persons", "pt", "t")
    assert list(fig.layout.xaxis.tickvals) == ["jan 2023", "abr 2023", "jul 2023", "out 2023",
                                               "jan 2024", "abr 2024"]


def test_longer_quarter_labels_get_fewer_ticks_all_first_quarters():
    english = figures.trend_figure([Series("PT", _quarterly(2021, 23, "en"))], "persons",
                                   "en", "t").layout.xaxis
    portuguese = figures.trend_figure([Series("PT", _quarterly(2021, 23, "pt"))], "persons",
                                      "pt", "t").layout.xaxis
    assert list(english.ticktext)[0] == "Q1<br>2021"
    assert list(portuguese.ticktext)[0].startswith("1.º trim.<br>")
    assert 2 <= len(portuguese.tickvals) < len(english.tickvals) <= 6
    assert all(v.startswith("1.º trim.") for v in portuguese.tickvals)
    years = [int(v[-4:]) for v in portuguese.tickvals]
    assert len({b - a for a, b in zip(years, years[1:], strict=False)}) == 1  # evenly spaced


def test_trend_with_two_areas_and_a_breakdown_draws_small_multiples():
    pts = (Point(date(2024, 12, 31), "2024", 10.0, "", shown="2024"),)
    fig = figures.trend_figure([Series("F", pts, group="Lisboa"),
                                Series("M", pts, group="Lisboa"),
                                Series("F", pts, group="Porto"),
                                Series("M", pts, group="Porto")], "persons", "en", "t")
    assert [a.text for a in fig.layout.annotations] == ["Lisboa", "Porto"]
    assert [tr.name for tr in fig.data if tr.showlegend] == ["F", "M"]  # short legend
    colours = {(tr.name, tr.line.color) for tr in fig.data}
    assert len(colours) == 2  # same colour per category in both panels


def test_store_picks_up_a_new_release_without_restart(settings):
    serving = settings.serving_dir
    write_release_fixture(serving, "20240710T060000000000Z-aaaaaa")
    store = data.ReleaseStore(serving)
    assert store.current().release_id == "20240710T060000000000Z-aaaaaa"
    write_release_fixture(serving, "20240810T060000000000Z-bbbbbb", synthetic=False)
    first = store.current()
    assert first.release_id == "20240810T060000000000Z-bbbbbb" and not first.info.synthetic
    assert store.current() is first  # opened once
    store.close()


def test_missing_or_corrupt_release_is_unavailable_then_last_good_is_served(settings):
    serving = settings.serving_dir
    store = data.ReleaseStore(serving)
    with pytest.raises(data.Unavailable):
        store.current()  # no CURRENT
    point_current(serving, "nothere.duckdb")
    with pytest.raises(data.Unavailable):
        store.current()
    (serving / "broken.duckdb").write_bytes(b"not a database" * 100)
    point_current(serving, "broken.duckdb")
    with pytest.raises(data.Unavailable):
        store.current()
    write_release_fixture(serving, "20240710T060000000000Z-aaaaaa")
    assert not store.current().stale
    point_current(serving, "broken.duckdb")
    fallback = store.current()
    assert fallback.stale and fallback.release_id == "20240710T060000000000Z-aaaaaa"
    store.close()


def test_maintenance_page_instead_of_traceback(settings):
    from dashboards.app import create_app

    app = create_app(settings)
    client = app.server.test_client()
    assert client.get("/healthz").status_code == 503
    body = content_body("/", "?lang=en")
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Under maintenance" in text and "Traceback" not in text


def test_the_map_scale_has_no_grey_that_could_pass_for_confidential():
    """Confidential districts are grey; every colour of the value scale is clearly coloured
    (max - min channel > 40 of 255), so no published value is drawn grey."""
    import plotly.colors

    from dashboards.figures import CLASS_COLOURS

    for colour in CLASS_COLOURS:
        rgb = plotly.colors.unlabel_rgb(plotly.colors.convert_colors_to_same_type(colour,
                                                                                  "rgb")[0][0])
        assert max(rgb) - min(rgb) > 40, colour


def test_estimated_points_have_their_own_marker_and_legend_key():
    """``e`` (a rate on an estimated population) is a square, hollow when also provisional;
    final, estimated, provisional, revised, true zero, suppressed and missing all differ."""
    pts = (Point(date(2020, 12, 31), "2020", 4.0, "", shown="2020"),
           Point(date(2021, 12, 31), "2021", 5.0, "e", shown="2021"),
           Point(date(2022, 12, 31), "2022", 6.0, "ep", shown="2022"),
           Point(date(2023, 12, 31), "2023", 0.0, "", shown="2023"),
           Point(date(2024, 12, 31), "2024", None, "c", shown="2024"),
           Point(date(2025, 12, 31), "2025", None, ":", shown="2025"))
    for lang, key in (("en", "Estimated (e)"), ("pt", "Estimado (e)")):
        fig = figures.trend_figure([Series("F", pts)], "rate_100k", lang, "t")
        main = fig.data[0]
        assert list(main.marker.symbol) == ["circle", "square", "square-open", "circle",
                                            "circle", "circle"]
        assert list(main.y) == [4.0, 5.0, 6.0, 0.0, None, None]  # zero drawn, gaps for c and :
        [legend] = [tr for tr in fig.data if tr.name == key]
        assert legend.marker.symbol == "square" and list(legend.x) == [None]
        conf = [tr for tr in fig.data if tr.legendgroup == "c"
                and any(x is not None for x in tr.x)]  # not the legend's own key
        assert [list(tr.x) for tr in conf] == [["2024"]]  # only the suppressed point gets the x
    assert main.customdata[1][2] == "estimado"  # the Portuguese hover of 2021


def test_no_estimated_legend_key_without_estimated_points():
    pts = (Point(date(2024, 12, 31), "2024", 4.0, "p", shown="2024"),)
    fig = figures.trend_figure([Series("F", pts)], "persons", "en", "t")
    assert "Estimated (e)" not in {tr.name for tr in fig.data}


def test_trends_page_draws_published_estimated_values_as_squares(release, settings):
    """End to end from the release file: rates by sex flagged ``e`` in the release come out
    of the trends page as squares, with the legend key."""
    import duckdb

    from dashboards.pages import trends
    from indicators.release_reader import ReleaseStore

    with duckdb.connect(str(release)) as con:
        con.execute("UPDATE published.indicator_values SET flags = 'e' || flags "
                    "WHERE indicator = 'THB_SIGNALLED_RATE' AND breakdown = 'sex' "
                    "AND geo = 'PT-13' AND value IS NOT NULL")
        published = con.execute(
            "SELECT period_label, breakdown_code, flags FROM published.indicator_values "
            "WHERE indicator = 'THB_SIGNALLED_RATE' AND grain = 'year' AND geo = 'PT-13' "
            "AND breakdown = 'sex'").fetchall()
    assert any(f == "e" for *_, f in published)
    store = ReleaseStore(settings.serving_dir)
    try:
        rel = store.current()
        p = trends.normalise(rel, {"indicator": "THB_SIGNALLED_RATE", "grain": "year",
                                   "breakdown": "sex", "district": "PT-13"})
        fig = trends.view(rel, p, "pt").figures["trends"]
    finally:
        store.close()
    lines = [tr for tr in fig.data if tr.mode == "lines+markers" and tr.yaxis in (None, "y")]
    assert lines
    drawn = {(label, symbol) for tr in lines
             for label, symbol in zip(tr.x, tr.marker.symbol, strict=True)}
    expected = {"e": "square", "ep": "square-open"}
    for label, _code, flags in published:
        if flags in expected:
            assert (label, expected[flags]) in drawn, (label, flags, drawn)
    assert "Estimado (e)" in {tr.name for tr in fig.data}
