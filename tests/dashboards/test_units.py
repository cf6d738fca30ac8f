from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from dashboards import data, exports, figures, i18n
from dashboards.figures import MapCell, Point, Series
from tests.dashboards.release_fixture import point_current, write_release_fixture


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


def test_map_draws_confidential_districts_as_their_own_grey_layer():
    fig = figures.map_figure(_cells(), "persons", "en", "t")
    conf = [tr for tr in fig.data if tr.name == "Confidential (c)"]
    assert {loc for tr in conf for loc in tr.locations} == {"PT-02", "PT-20"}
    assert sum(1 for tr in conf if tr.showlegend) == 1
    valued = [tr for tr in fig.data if tr.name not in ("Confidential (c)", "Not available (:)")]
    assert {loc for tr in valued for loc in tr.locations} == {"PT-01", "PT-30"}
    for tr in valued:
        assert not any(0 < z < 5 for z in tr.z)
    assert fig.layout.map.style == "white-bg" and fig.layout.map2.style == "white-bg"
    assert all(tr.type == "choroplethmap" for tr in fig.data)


def test_trend_marks_confidential_points_and_dashes_provisional():
    pts = (Point(date(2024, 1, 31), "2024-01", 10.0, ""), Point(date(2024, 2, 29), "2024-02",
                                                                   None, "c"),
           Point(date(2024, 3, 31), "2024-03", 7.0, "p"))
    fig = figures.trend_figure([Series("PT", pts)], "persons", "en", "t")
    main, prov, conf = fig.data
    assert list(main.y) == [10.0, None, None] and main.connectgaps is False
    assert prov.line.dash == "dash" and list(prov.y) == [None, 7.0]
    assert list(conf.x) == [date(2024, 2, 29)] and conf.name == "Confidential (c)"


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
    body = {"output": "page-content.children", "outputs": {"id": "page-content",
                                                           "property": "children"},
            "inputs": [{"id": "url", "property": "pathname", "value": "/"},
                       {"id": "url", "property": "search", "value": "?lang=en"}],
            "changedPropIds": ["url.pathname"], "state": []}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Under maintenance" in text and "Traceback" not in text


def test_the_map_scale_has_no_grey_that_could_pass_for_confidential():
    """Confidential districts are grey; every colour of the value scale is clearly coloured
    (max - min channel > 40 of 255), so no published value is drawn grey."""
    import plotly.colors

    from dashboards.figures import SEQUENTIAL

    for _stop, colour in plotly.colors.get_colorscale(SEQUENTIAL):
        rgb = plotly.colors.unlabel_rgb(plotly.colors.convert_colors_to_same_type(colour,
                                                                                  "rgb")[0][0])
        assert max(rgb) - min(rgb) > 40, colour
