"""/trends for an area whose every period protection left out of the release at the chosen
grain (a small district's quarters) explains why nothing is drawn and links to a grain with
values, instead of an empty chart on a 0-4 axis with an empty table (a user review: it read
as "no data" and hinted at small counts)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboards.pages import trends
from indicators.i18n import t
from indicators.release_reader import ReleaseStore
from indicators.settings import Settings
from tests.dashboards.layout_tree import text

PARAMS = {"indicator": "THB_SIGNALLED", "grain": "quarter", "breakdown": "_T",
          "district": "PT-05", "compare": "none"}


def _view(settings: Settings, lang: str):
    store = ReleaseStore(settings.serving_dir)
    try:
        rel = store.current()
        return trends.view(rel, trends.normalise(rel, dict(PARAMS)), lang)
    finally:
        store.close()


def _without_castelo_branco_quarters(release: Path) -> None:
    con = duckdb.connect(str(release))
    con.execute("DELETE FROM published.indicator_values WHERE indicator = 'THB_SIGNALLED' "
                "AND grain = 'quarter' AND geo = 'PT-05'")
    con.close()


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_an_area_with_no_published_quarter_is_explained_not_drawn_empty(
        release: Path, settings: Settings, lang):
    drawn = _view(settings, lang)
    assert "trends" in drawn.figures and drawn.tables["trends"].rows  # first: a chart
    _without_castelo_branco_quarters(release)
    shown = _view(settings, lang)
    assert "trends" not in shown.figures
    assert shown.tables["trends"].rows == ()
    notice = shown.children[0]
    assert notice.id == "combo-notice"
    words = text(notice)
    assert "Castelo Branco" in words
    assert t("grain.quarter", lang).lower() in words
    link = notice.children[1]
    assert "grain=year" in link.href and "district=PT-05" in link.href


def test_with_the_national_line_beside_it_the_chart_is_drawn(release: Path,
                                                             settings: Settings):
    _without_castelo_branco_quarters(release)
    store = ReleaseStore(settings.serving_dir)
    try:
        rel = store.current()
        shown = trends.view(rel, trends.normalise(rel, {**PARAMS, "compare": "PT"}), "en")
    finally:
        store.close()
    assert "trends" in shown.figures  # Portugal's quarters are drawn; the notice names the gap
    assert any(getattr(c, "id", None) == "trend-left-out" for c in shown.children)


def test_the_link_offers_the_grain_nearest_the_one_asked():
    """Lisboa by month said "only by quarter, year" and linked to the year; the nearest is
    the quarter (on a tie, the coarser grain)."""
    assert trends.nearest_grain(["quarter", "year"], "month") == "quarter"
    assert trends.nearest_grain(["year"], "month") == "year"
    assert trends.nearest_grain(["month", "year"], "quarter") == "year"
    assert trends.nearest_grain(["month", "quarter", "year"], "quarter") == "quarter"
