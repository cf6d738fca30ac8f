"""Defects a reviewer found using the dashboard in a browser (November 2026)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dash import html

from dashboards.pages import results
from indicators.i18n import t
from indicators.reports import results_table
from indicators.reports.exports import Table


def _cells(component) -> list[html.Td]:
    found = []
    if isinstance(component, html.Td):
        found.append(component)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += _cells(child)
    return found


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_every_results_cell_carries_its_column_label_for_the_phone_cards(lang):
    columns = results_table.columns(lang)
    row = ("Sessions", "Output", 10, 2020, 20, 2024, "c", ":", 3, 12, "c", ":", 60.0,
           "", "", "EEA_X")
    tbl = Table(name="eea_results", title="t", columns=columns, rows=(row,))
    cells = _cells(results.display_table(tbl, lang))
    assert len(cells) == len(columns)
    assert [getattr(c, "data-label", None) for c in cells] == list(columns)


def test_phone_card_label_wraps_instead_of_running_into_the_value():
    css = (Path(results.__file__).parents[1] / "assets" / "style.css").read_text()
    rule = re.search(r"table\.data:not\(\.grid\) td::before \{([^}]*)\}", css)
    assert rule and "white-space: normal" in rule.group(1)


@pytest.mark.parametrize(("lang", "words"), [("pt", "Versão já recebida: v1"),
                                             ("en", "Version already received: v1")])
def test_a_resent_identical_file_says_it_was_already_received_with_its_version(lang, words):
    from dashboards.pages import submit
    from indicators import submissions as subs
    sub = subs.Submission(id="x" * 32, received_at="2026-11-29T10:29:49+00:00", user="u",
                          partner="APF", file_name="f.csv", result=subs.DUPLICATE,
                          return_types=("victims",), periods=("2025-08",),
                          versions={"victims/2025-08": 1})
    shown = str(submit.outcome_view(subs.Outcome(sub), lang))
    assert words in shown
    assert t("submit.accepted", lang) not in shown


def _conf_points() -> list:
    from datetime import date

    from dashboards.figures import Point
    return [Point(period_end=date(2024, m, 1), label=f"2024-{m:02d}", value=v, flags=f)
            for m, (v, f) in enumerate([(None, "c"), (5.0, ""), (6.0, ""), (None, "c")], 1)]


def test_sparkline_confidential_x_is_drawn_whole_inside_the_image():
    import re

    from dashboards.sparklines import sparkline_svg
    svg = sparkline_svg(_conf_points())
    left, top, width, height = (float(v) for v in
                                re.search(r'viewBox="([^"]+)"', svg).group(1).split())
    marks = re.findall(r'class="spark-conf" d="M([-\d.]+) ([-\d.]+)l6 6m0 -6l-6 6"', svg)
    assert len(marks) == 2  # the first and the last month are confidential
    for x, y in ((float(a), float(b)) for a, b in marks):  # each x spans 6 x 6 from (x, y)
        assert left <= x and x + 6 <= left + width, (x, left, width)
        assert top <= y and y + 6 <= top + height, (y, top, height)


def test_trend_chart_confidential_x_is_not_clipped_at_the_axis():
    from dashboards.figures import Series, trend_figure
    fig = trend_figure([Series(name="Braga", points=tuple(_conf_points()))], "count", "en",
                       "Persons")
    marks = [tr for tr in fig.data if tr.marker.symbol == "x-thin-open"
             and any(y is not None for y in tr.y)]
    assert marks and all(tr.cliponaxis is False for tr in marks)


@pytest.mark.parametrize(("lang", "summary", "shown"), [
    ("pt", "2 problemas; primeiro: unknown_column, linha 1",
     "2 problemas; primeiro: coluna desconhecida, linha 1"),
    ("en", "2 problems; first: unknown_column, row 1",
     "2 problems; first: unknown column, row 1")])
def test_quality_reason_names_the_rule_in_words_not_its_id(lang, summary, shown):
    from dashboards.pages import quality
    row = {"rules": ["duplicate_key", "unknown_column"], "summary_en": summary,
           "summary_pt": summary}
    assert quality._reason(row, lang) == shown


@pytest.mark.parametrize(("lang", "share", "rate", "count"), [("pt", "4,0", "7,2", "1\u00a0234"),
                                                              ("en", "4.0", "7.2", "1,234")])
def test_overview_table_shows_values_as_the_cards_do(lang, share, rate, count):
    from dashboards.pages import overview
    cols = tuple(t(k, lang) for k in ("col.period", "col.indicator", "col.geo", "col.value",
                                      "col.unit", "col.flags", "col.flag_text"))
    rows = (("2025", "Minors", "PT", 4.0, t("unit.percent", lang), "p", ""),
            ("2025", "Rate", "PT", 7.2, t("unit.rate_100k", lang), "", ""),
            ("2025", "Signalled", "PT", 1234, t("unit.persons", lang), "", ""))
    tbl = Table(name="overview", title="t", columns=cols, rows=rows)
    cells = _cells(overview.display_table(tbl, lang))
    assert [c.children for c in cells[3::7]] == [share, rate, count]
    assert overview.fmt_value(4.0, "percent", lang) == share + "\u00a0%"  # its card


def test_methodology_partner_line_does_not_repeat_a_code_the_name_already_has():
    from dashboards.pages.methodology import partner_line
    name = "Observatório do Tráfico de Seres Humanos (OTSH, MAI)"
    assert partner_line(name, "OTSH", "victims") == f"{name} — victims"
    assert partner_line("Associação para o Planeamento da Família", "APF", "victims") == \
        "Associação para o Planeamento da Família (APF) — victims"


@pytest.mark.parametrize(("lang", "pointer"), [("pt", "ver a metodologia"),
                                               ("en", "see the methodology")])
def test_methodology_page_e_note_links_to_its_own_populations_section(store, lang, pointer):
    from dashboards.pages import methodology
    rel = store.current()
    page = [*methodology.sections(rel, lang), *methodology.about_sections(rel, lang)]
    text = str(page)
    assert pointer not in text
    links = [a for a in _all(page, html.A) if a.href == "#populations"]
    assert links and any(getattr(h, "id", None) == "populations" for h in _all(page, html.H2))


def _all(component, kind) -> list:
    if isinstance(component, list | tuple):
        return [x for c in component for x in _all(c, kind)]
    found = [component] if isinstance(component, kind) else []
    children = getattr(component, "children", None)
    if children is not None and not isinstance(children, str | int | float):
        found += _all(children if isinstance(children, list | tuple) else [children], kind)
    return found


def _yearly(name: str, value: float) -> object:
    from datetime import date

    from dashboards.figures import Point, Series
    return Series(name=name, points=tuple(
        Point(period_end=date(y, 12, 31), label=str(y), value=value, flags="")
        for y in range(2021, 2026)))


def test_points_sit_on_their_period_unless_baseline_marks_meet():
    """Eight categories over five years were set side by side in each year (half the
    year's width), points far from their year (a user review). Markers are set side by side
    only where two lines have a baseline mark (a zero, a cross) in the same period."""
    from dataclasses import replace

    from dashboards.figures import trend_figure
    eight = [_yearly(f"c{i}", i + 1) for i in range(8)]
    assert trend_figure(eight, "count", "en", "Persons").layout.scattermode == "overlay"
    one_cross = replace(eight[0], points=(replace(eight[0].points[0], value=None, flags="c"),
                                          *eight[0].points[1:]))
    figure = trend_figure([one_cross, *eight[1:]], "count", "en", "Persons")
    assert figure.layout.scattermode == "overlay"  # one baseline mark meets nothing
    zero = replace(eight[1], points=(replace(eight[1].points[0], value=0),
                                     *eight[1].points[1:]))
    figure = trend_figure([one_cross, zero, *eight[2:]], "count", "en", "Persons")
    assert figure.layout.scattermode == "group"  # a cross and a zero in 2021: side by side
    assert figure.layout.scattergap < 1
    points = eight[1].points
    later = replace(eight[1], points=(points[0], replace(points[1], value=0), *points[2:]))
    figure = trend_figure([one_cross, later, *eight[2:]], "count", "en", "Persons")
    assert figure.layout.scattermode == "overlay"  # the zero is in 2022, the cross in 2021
