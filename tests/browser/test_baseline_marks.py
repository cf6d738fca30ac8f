"""What sits on the Trends chart's baseline is seen whole: a true zero's marker and a
confidential value's grey cross are drawn in full (not cut in half by the plot's edge) and
no period label covers them. Before, a true zero was half a dot under its year's label: next
to the crosses it read as "nothing there", not as zero."""

from __future__ import annotations

import duckdb
import pytest

from tests.browser.conftest import apart, screenshot, wait_graphs_drawn

pytestmark = pytest.mark.browser

# Portalegre's persons signalled by quarter in the fixture release: true zeros and "c" alike.
QUERY = "indicator=THB_SIGNALLED&grain=quarter&district=PT-12&compare=none"

BASELINE_JS = (
    "const box = e => { const r = e.getBoundingClientRect();"
    "  return [r.left, r.top, r.right, r.bottom]; };"
    "const g = document.querySelector('#trend-graph');"
    "const marks = Array.from(g.querySelectorAll('g.points path.point'))"
    "  .filter(p => p.__data__ && p.__data__.y === 0)"
    "  .map(p => ({box: box(p),"
    "    clipped: !!p.closest('g.points').getAttribute('clip-path')}));"
    "return {marks: marks,"
    " labels: Array.from(g.querySelectorAll('.xtick text')).map(box)};")


def _query(settings, sql: str) -> list[tuple]:
    """Rows of ``sql`` on the release the app serves."""
    con = duckdb.connect(str(next(settings.serving_dir.glob("*.duckdb"))), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _drawn(dash_duo, app, query: str, script: str):
    """Open /trends?``query`` once the chart is drawn; what ``script`` returns there."""
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + f"/trends?{query}")
    dash_duo.wait_for_element("#trend-graph .main-svg", timeout=15)
    wait_graphs_drawn(dash_duo.driver, timeout=15)
    return dash_duo.driver.execute_script(script)


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_zeros_and_crosses_on_the_baseline_are_whole_and_uncovered(dash_duo, app, settings,
                                                                    lang):
    [(zeros, confidential)] = _query(settings, (
        "SELECT count(*) FILTER (WHERE value = 0), count(*) FILTER (WHERE flags LIKE '%c%') "
        "FROM published.indicator_values WHERE indicator = 'THB_SIGNALLED' "
        "AND grain = 'quarter' AND geo = 'PT-12' AND breakdown = '_T'"))
    assert zeros >= 1 and confidential >= 1  # the series has both kinds of baseline mark
    geo = _drawn(dash_duo, app, f"{QUERY}&lang={lang}", BASELINE_JS)
    driver = dash_duo.driver
    assert len(geo["marks"]) == zeros + confidential, geo
    for mark in geo["marks"]:
        assert not mark["clipped"], mark  # drawn whole, below the baseline too
        left, top, right, bottom = mark["box"]
        assert bottom - top >= 8 and right - left >= 8, mark  # a marker, not a sliver
        for label in geo["labels"]:
            assert apart(mark["box"], label), (mark, label)
    if lang == "en":
        screenshot(driver, "trends_baseline_marks")
    assert dash_duo.get_logs() == []


# Viseu's confirmed victims by sex, by quarter, in the fixture: Q1 2023 women 0, men "c".
SPLIT = "indicator=THB_CONFIRMED&grain=quarter&breakdown=sex&district=PT-18&compare=none"

SPLIT_JS = (
    "const box = e => { const r = e.getBoundingClientRect();"
    "  return [r.left, r.top, r.right, r.bottom]; };"
    "const g = document.querySelector('#trend-graph');"
    "return Array.from(g.querySelectorAll('g.points path.point'))"
    "  .filter(p => p.__data__ && p.__data__.y === 0)"
    "  .map(p => { const tr = p.closest('g.trace').__data__[0].trace;"
    "    return {box: box(p), name: tr.name, group: tr.offsetgroup,"
    "      cross: tr.marker.symbol === 'x-thin-open', colour: tr.marker.color,"
    "      x: p.__data__.x}; });")


def test_a_zero_and_another_lines_cross_stand_apart_in_the_lines_colours(dash_duo, app,
                                                                         settings):
    rows = dict(_query(settings, (
        "SELECT breakdown_code, coalesce(CAST(value AS VARCHAR), flags) "
        "FROM published.indicator_values WHERE indicator = 'THB_CONFIRMED' "
        "AND grain = 'quarter' AND geo = 'PT-18' AND breakdown = 'sex' "
        "AND period_label = '2023-Q1'")))
    assert rows["F"] == "0.0" and "c" in rows["M"], rows  # one zero, one "c", one period
    marks = _drawn(dash_duo, app, f"{SPLIT}&lang=en", SPLIT_JS)
    driver = dash_duo.driver
    lines = {m["group"]: m["colour"] for m in marks if not m["cross"]}
    crosses = [m for m in marks if m["cross"]]
    assert lines and crosses, marks
    for cross in crosses:  # a cross has the colour of its own line, not one grey for all
        if cross["group"] in lines:
            assert cross["colour"] == lines[cross["group"]], (cross, lines)
    assert len({c["colour"] for c in crosses}) > 1 or len(lines) == 1
    for i, one in enumerate(marks):  # nothing on the baseline covers anything else there
        for other in marks[i + 1:]:
            assert apart(one["box"], other["box"]), (one, other)
    screenshot(driver, "trends_split_baseline")
    assert dash_duo.get_logs() == []
