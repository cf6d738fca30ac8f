"""A district whose year to date protection left out of the release: the overview's note no
longer says only that districts have year-to-date figures (a user review: the heading
"Monthly and year-to-date figures" and "persons signalled are published by ... year to
date", with no year-to-date card for Castelo Branco)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dash import html

from dashboards.pages import overview
from indicators.i18n import t
from indicators.release_reader import ReleaseStore
from indicators.settings import Settings
from tests.dashboards.layout_tree import text, walk

GEO = "PT-02"


def _note(settings: Settings, lang: str) -> str:
    store = ReleaseStore(settings.serving_dir)
    try:
        rel = store.current()
        shown = overview.view(rel, overview.normalise(rel, {"district": GEO}), lang)
    finally:
        store.close()
    found = [n for n in walk(html.Div(shown.children)) if getattr(n, "id", None) == "no-cards"]
    assert len(found) <= 1
    return text(found[0]) if found else ""


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_the_note_says_when_the_district_has_no_year_to_date(release: Path,
                                                             settings: Settings, lang):
    said = t("ov.section_none_ytd", lang, district="Beja")
    assert said not in _note(settings, lang)  # Beja has its year to date in the fixture
    con = duckdb.connect(str(release))
    con.execute(f"DELETE FROM published.indicator_values WHERE geo = '{GEO}' AND grain = 'ytd'")
    con.close()
    assert said in _note(settings, lang)
