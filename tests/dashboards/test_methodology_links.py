"""The notices that say "(see Methodology)" link to the methodology page's section on
protecting small counts (a user review: the words pointed at a page without a way to get
there from the notice)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dash import dcc, html

from dashboards.components import methodology_linked
from dashboards.pages import methodology, trends
from indicators.i18n import t
from indicators.release_reader import ReleaseStore
from indicators.settings import Settings
from tests.dashboards.layout_tree import text, walk


def _links(node) -> list[dcc.Link]:
    return [n for n in walk(node) if isinstance(n, dcc.Link | html.A)]


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_the_word_methodology_becomes_a_link_and_the_words_stay(lang):
    said = t("tr.left_out_area.one", lang, area="Beja", periods="2021")
    shown = html.P(methodology_linked(said, lang))
    assert text(shown) == said
    (link,) = _links(shown)
    assert text(link) == t("page.methodology", lang)
    assert link.href == f"/methodology?lang={lang}#disclosure"


def test_text_without_the_word_is_left_as_it_is():
    assert methodology_linked("Sem dados.", "pt") == ["Sem dados."]


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_the_trends_notice_links_to_the_section_that_exists(release: Path,
                                                           settings: Settings, lang):
    con = duckdb.connect(str(release))
    con.execute("DELETE FROM published.indicator_values WHERE indicator = 'THB_SIGNALLED' "
                "AND grain = 'quarter' AND geo = 'PT-05'")
    con.close()
    store = ReleaseStore(settings.serving_dir)
    try:
        rel = store.current()
        params = {"indicator": "THB_SIGNALLED", "grain": "quarter", "breakdown": "_T",
                  "district": "PT-05", "compare": "none"}
        shown = trends.view(rel, trends.normalise(rel, params), lang)
        page = methodology.view(rel, {}, lang)
    finally:
        store.close()
    notice = shown.children[0]
    hrefs = [link.href for link in _links(notice)]
    assert f"/methodology?lang={lang}#disclosure" in hrefs
    (heading,) = [n for n in walk(html.Div(page.children)) if getattr(n, "id", None)
                  == "disclosure"]
    assert text(heading) == t("me.disclosure", lang)
