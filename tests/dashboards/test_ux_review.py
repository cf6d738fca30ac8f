"""Findings of the review as users meet the pages (November 2026, analyst PT, donor EN,
partner): each test fails on the page as it was."""

from __future__ import annotations

import tomllib

from dash import html

from indicators.registry import EXPECTED_FILE
from tests.dashboards.component_text import texts_of


def test_methodology_lists_the_returns_each_partner_sends(store):
    """The partners' list named every return type for every partner ("OTSH — activities,
    support, victims") although OTSH only sends victims returns (expected-returns registry),
    unlike the quality page and the partner's own calendar."""
    from dashboards.pages.methodology import about_sections

    expected = tomllib.loads(EXPECTED_FILE.read_text(encoding="utf-8"))["expected"]
    sends: dict[str, set[str]] = {}
    for entry in expected:
        sends.setdefault(entry["partner"], set()).update(entry["returns"])
    assert sends["OTSH"] == {"victims"}  # the registry as this test knows it
    lines = texts_of(html.Div(about_sections(store.current(), "en")), html.Li)
    otsh = [line for line in lines if line.startswith("Observatório do Tráfico")]
    assert otsh == ["Observatório do Tráfico de Seres Humanos (OTSH, MAI) — victims"]
    for code, types in sends.items():
        line = next(line for line in lines if f"({code}" in line or f"{code})" in line
                    or f" {code} " in line)
        assert line.rsplit(" — ", 1)[1] == ", ".join(sorted(types)), line


def test_results_page_download_is_named_by_its_reporting_period(store):
    """The results page's CSV/XLSX showed one reporting period but were named "all"
    (otsh_eea_results_all_en_...), unlike every other download and the donor-layout files."""
    from dashboards.metadata import file_stem
    from indicators.reports.results_table import table_for

    rel = store.current()
    for lang in ("en", "pt"):
        stem = file_stem(rel, table_for(rel, "2023", lang), lang)
        assert stem == f"otsh_eea_results_2023_{lang}_{rel.release_id}", stem


def test_two_views_of_one_period_save_to_two_files(store):
    """A user review: Beja against Portugal (rates) and Portugal by sex, both by year, were
    both saved as otsh_trends_2021_2025_en_<release>.csv, the second over the first."""
    from dashboards.metadata import file_stem
    from dashboards.pages import map as map_page
    from dashboards.pages import trends

    rel = store.current()
    views = [{"indicator": "THB_SIGNALLED_RATE", "grain": "year", "district": "PT-02",
              "compare": "PT"},
             {"indicator": "THB_SIGNALLED", "grain": "year", "breakdown": "sex",
              "district": "PT", "compare": "none"},
             {"indicator": "THB_SIGNALLED", "grain": "year", "district": "PT",
              "compare": "none"},
             {"indicator": "THB_SIGNALLED", "grain": "year", "breakdown": "sex",
              "level": "detail", "district": "PT", "compare": "none"}]
    stems = []
    for params in views:
        p = trends.normalise(rel, params)
        stems.append(file_stem(rel, trends.view(rel, p, "en").tables["trends"], "en"))
    assert len(set(stems)) == len(views), stems
    assert stems[0].startswith("otsh_trends_THB_SIGNALLED_RATE_PT-02_PT_"), stems[0]
    assert stems[1].startswith("otsh_trends_THB_SIGNALLED_PT_sex_"), stems[1]
    maps = {file_stem(rel, map_page.view(rel, map_page.normalise(rel, {"indicator": code}),
                                         "en").tables["map"], "en")
            for code in ("THB_SIGNALLED", "THB_SIGNALLED_RATE")}
    assert len(maps) == 2, maps
