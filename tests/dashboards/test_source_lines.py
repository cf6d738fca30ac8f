"""Every data table and chart on /, /map, /trends, /results and /quality says its source under
it, in the page's language ("Fonte: …" / "Source: …"), from the one translation table: the
partners' returns always, the population only under rates per 100 000, and the release the
figures come from."""

from __future__ import annotations

from typing import Any

import pytest
from dash import html

from dashboards.components import source_line, table
from dashboards.pages import map as map_page
from dashboards.pages import overview, quality, results, trends
from indicators.i18n import fmt_date, t
from indicators.release_reader import ReleaseStore
from indicators.reports.exports import Table
from tests.dashboards.layout_tree import kids, text, walk

PAGES = {"overview": overview, "map": map_page, "trends": trends, "results": results,
         "quality": quality}


def _is_source(node: Any) -> bool:
    return isinstance(node, html.P) and getattr(node, "className", None) == "source-line"


def _sources_after(parent: Any, item: Any) -> list[str]:
    """The source lines that follow ``item`` among ``parent``'s children."""
    children = kids(parent)
    return [text(k) for k in children[children.index(item) + 1:] if _is_source(k)]


def _under_each(children: list[Any]) -> tuple[list[str], list[str]]:
    """(source line under each data table, source line in each chart's figure); an empty
    text where one has none."""
    root = html.Div(children)
    tables, charts = [], []
    for parent in walk(root):
        for child in kids(parent):
            if isinstance(child, html.Table):
                tables.append((_sources_after(parent, child) or [""])[0])
        if isinstance(parent, html.Figure):
            charts.append(next((text(k) for k in kids(parent) if _is_source(k)), ""))
    return tables, charts


def _expected_start(lang: str) -> str:
    return f"{t('dl.source', lang)}: {t('dl.source_text', lang)}"


def _release_part(rel, lang: str) -> str:
    return t("src.release", lang, release=rel.release_id,
             created=fmt_date(rel.info.created_at.date(), lang))


@pytest.mark.parametrize("lang", ["pt", "en"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_table_and_chart_says_its_source_under_it(store: ReleaseStore, name, lang):
    rel = store.current()
    page = PAGES[name]
    shown = page.view(rel, page.normalise(rel, {}), lang)
    tables, charts = _under_each(shown.children)
    assert tables, f"{name}: no data table rendered"
    if name in ("map", "trends"):
        assert charts, f"{name}: no chart rendered"
    for line in tables + charts:
        assert line.startswith(_expected_start(lang)), (name, line)
        assert _release_part(rel, lang) in line, (name, line)
    other = "en" if lang == "pt" else "pt"
    assert not any(t("dl.source_text", other) in line for line in tables + charts)


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_the_population_is_named_only_under_rates(store: ReleaseStore, lang):
    rel = store.current()
    population = t("src.population", lang)
    for page in (map_page, trends):
        rate = page.normalise(rel, {"indicator": "THB_SIGNALLED_RATE", "grain": "year"})
        count = page.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": "year"})
        tables, charts = _under_each(page.view(rel, rate, lang).children)
        assert tables and charts, page.__name__
        assert all(population in line for line in tables + charts), page.__name__
        tables, charts = _under_each(page.view(rel, count, lang).children)
        assert tables and charts, page.__name__
        assert not any(population in line for line in tables + charts), page.__name__
    # the headline table holds a rate row: it names the population; the quality tables do not
    tables, _ = _under_each(overview.view(rel, overview.normalise(rel, {}), lang).children)
    assert all(population in line for line in tables)
    tables, _ = _under_each(quality.view(rel, quality.normalise(rel, {}), lang).children)
    assert not any(population in line for line in tables)


def test_source_line_text_in_both_languages():
    pt = text(source_line("pt", rates=True))
    en = text(source_line("en"))
    assert pt == ("Fonte: Observatório do Tráfico de Seres Humanos (OTSH), a partir dos "
                  "reportes mensais agregados dos parceiros; população: INE, Censos 2021 "
                  "(distritos e por sexo) e população residente em 1 de janeiro de cada ano "
                  "(Portugal; INE / Eurostat demo_pjan).")
    assert en == ("Source: Observatory on Trafficking in Human Beings (OTSH), from partners' "
                  "aggregated monthly returns.")


def test_a_table_that_is_not_statistics_can_leave_the_source_out():
    tbl = Table(name="x", title="X", columns=("a",), rows=((1,),))
    assert any(_is_source(c) for c in kids(table(tbl, "en")))
    assert not any(_is_source(c) for c in kids(table(tbl, "en", source=False)))
