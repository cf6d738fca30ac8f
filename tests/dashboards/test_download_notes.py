"""A download says what the page says beside its table (a user review: the map's CSV named
no population source for its rates, and left out the note "District rates leave out persons
signalled abroad or in an unknown district"): the source line with the population under
rates, and the page's remarks (the map's persons not on the map, trends' periods left out)."""

from __future__ import annotations

import pytest

from dashboards import metadata
from dashboards.pages import map as map_page
from indicators.i18n import t
from indicators.release_reader import ReleaseStore


def _notes(rel, table, lang: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for label, text in metadata.notes(rel, table, lang):
        out.setdefault(label, []).append(text)
    return out


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_a_map_of_rates_names_the_population_and_carries_the_note(store: ReleaseStore, lang):
    rel = store.current()
    p = map_page.normalise(rel, {"indicator": "THB_SIGNALLED_RATE", "grain": "year"})
    shown = map_page.view(rel, p, lang)
    table = shown.tables["map"]
    notes = _notes(rel, table, lang)
    (source,) = notes[t("dl.source", lang)]
    assert t("src.population", lang) in source
    said = map_page.outside_note(rel, p, "rate_100k", lang)
    assert said and notes[t("dl.note", lang)] == [said]


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_a_map_of_counts_names_no_population(store: ReleaseStore, lang):
    rel = store.current()
    p = map_page.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": "year"})
    table = map_page.view(rel, p, lang).tables["map"]
    (source,) = _notes(rel, table, lang)[t("dl.source", lang)]
    assert t("src.population", lang) not in source
    assert t("map.outside", lang).split(":")[0] in _notes(rel, table, lang)[t("dl.note", lang)][0]


def _castelo_branco_from_its_second_quarter(release, compare: str):
    """Castelo Branco's first quarter of persons signalled left out of the release (as
    protection leaves a small count out); the trends table of Castelo Branco (and
    ``compare``) by quarter, and the national first and last quarters."""
    import duckdb

    from dashboards.pages import trends

    con = duckdb.connect(str(release))
    first, last = con.execute(
        "SELECT min(period_label), max(period_label) FROM published.indicator_values "
        "WHERE indicator = 'THB_SIGNALLED' AND grain = 'quarter' AND geo = 'PT'").fetchone()
    con.execute("DELETE FROM published.indicator_values WHERE indicator = 'THB_SIGNALLED' "
                "AND grain = 'quarter' AND geo = 'PT-05' AND period_label = ?", [first])
    con.close()
    store = ReleaseStore(release.parent)
    try:
        rel = store.current()
        p = trends.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": "quarter",
                                   "district": "PT-05", "compare": compare})
        table = trends.view(rel, p, "en").tables["trends"]
        return table, _notes(rel, table, "en"), first, last
    finally:
        store.close()


def test_trends_periods_left_out_travel_with_the_download(release):
    _table, notes, _first, _last = _castelo_branco_from_its_second_quarter(release, "none")
    (remark,) = notes["Note"]
    assert remark.startswith("No value for Castelo Branco for ") and "national total" in remark


def test_the_period_of_a_trends_download_spans_every_line(release):
    """A user review: Beja beside Portugal, Beja's first year left out, gave a file named and
    noted 2022-2025 although it held Portugal's 2021."""
    from dashboards.app import _period_text
    from indicators.i18n import fmt_period

    table, _notes_, first, last = _castelo_branco_from_its_second_quarter(release, "PT")
    assert table.period == f"{first}_{last}"
    assert _period_text(table, "en") == (f"{fmt_period(first, 'quarter', 'en')} – "
                                         f"{fmt_period(last, 'quarter', 'en')}")
