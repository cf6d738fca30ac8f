"""On the map, a district protection left out of the release for the period (by quarter or
year to date, a district whose yearly count is small) is confidential, not "not available":
the national value is published, so the district's value exists and is withheld. The note
under the map says the same of the persons in an unknown district, never "0" (a user review
found "Not available (:)" on four districts and "0 in an unknown district" where the year's
map showed all five as "c")."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboards.pages import map as map_page
from indicators.i18n import fmt_value, t
from indicators.release_reader import ReleaseStore
from indicators.settings import Settings

QUARTER = "2023-Q1"  # in the fixture: Castelo Branco 5, abroad 0, unknown "c"
PARAMS = {"indicator": "THB_SIGNALLED", "grain": "quarter", "period": QUARTER,
          "breakdown": "_T", "district": "PT"}


def _delete(release: Path, geos: tuple[str, ...]) -> None:
    """Take THB_SIGNALLED of ``QUARTER`` in ``geos`` out of the release file."""
    con = duckdb.connect(str(release))
    listed = ", ".join(f"'{g}'" for g in geos)
    con.execute("DELETE FROM published.indicator_values WHERE indicator = 'THB_SIGNALLED' "
                f"AND grain = 'quarter' AND period_label = '{QUARTER}' AND breakdown = '_T' "
                f"AND geo IN ({listed})")
    con.close()


def _map(settings: Settings, lang: str = "en") -> tuple[dict[str, str], str]:
    """(district -> flags on the map, the note under it) for ``PARAMS``."""
    store = ReleaseStore(settings.serving_dir)
    try:
        rel = store.current()
        p = map_page.normalise(rel, dict(PARAMS))
        assert p["period"] == QUARTER and p["grain"] == "quarter"
        cells = {c.geo: c.flags for c in map_page.cells(rel, p, lang) if c.value is None}
        return cells, map_page.outside_note(rel, p, "persons", lang)
    finally:
        store.close()


def _value(release: Path, geo: str) -> float | None:
    """The published value of THB_SIGNALLED in ``QUARTER`` for ``geo`` (None: "c")."""
    con = duckdb.connect(str(release), read_only=True)
    try:
        return con.execute(
            "SELECT value FROM published.indicator_values WHERE indicator = 'THB_SIGNALLED' "
            f"AND grain = 'quarter' AND period_label = '{QUARTER}' AND breakdown = '_T' "
            "AND geo = ?", [geo]).fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_a_left_out_district_is_confidential_and_so_are_persons_abroad(
        release: Path, settings: Settings, lang):
    assert _value(release, "PT-05") == 5 and _value(release, "ABROAD") == 0
    assert _value(release, "UNKNOWN") is None
    national = fmt_value(_value(release, "PT"), "persons", lang)
    confidential = t("flag.c", lang)
    before, note = _map(settings, lang)
    assert "PT-05" not in before
    assert note == t("map.outside", lang, abroad=fmt_value(0, "persons", lang),
                     unknown=confidential, national=national)
    _delete(release, ("PT-05", "ABROAD"))
    after, note = _map(settings, lang)
    assert after["PT-05"] == "c"
    assert ":" not in after.values()
    assert note == t("map.outside", lang, abroad=confidential, unknown=confidential,
                     national=national)


def test_without_the_national_value_a_missing_district_is_not_available(
        release: Path, settings: Settings):
    _delete(release, ("PT", "PT-05"))
    cells, note = _map(settings)
    assert cells["PT-05"] == ":"
    assert note == ""  # no national total to add up to


def test_a_left_out_district_says_it_is_not_published_for_the_period(release: Path,
                                                                       settings: Settings):
    """A reviewer reconciled the map's CSV ("Lisboa … c, confidential") with the trends CSV
    ("Q3 2022 … not published (see the note)") for the same cell: the map's row and hover now
    say why there is no value, as trends and the API do."""
    from dashboards.figures import map_hover

    _delete(release, ("PT-05",))
    store = ReleaseStore(settings.serving_dir)
    try:
        rel = store.current()
        p = map_page.normalise(rel, dict(PARAMS))
        shown = {c.geo: c for c in map_page.cells(rel, p, "en")}
        rows = {r[4]: r for r in map_page.table_for(rel, p, "en", list(shown.values()),
                                                     "persons").rows}
    finally:
        store.close()
    cell = shown["PT-05"]
    assert cell.flags == "c" and cell.left_out
    assert rows["PT-05"][-1] == "confidential: not published for this period, to protect the " \
        "persons counted"
    assert "not published for this period" in " ".join(map_hover(cell, "persons", "en"))
    hidden = next(c for c in shown.values() if c.value is None and "c" in c.flags
                  and not c.left_out)  # a published "c": hidden, not left out
    assert rows[hidden.geo][-1] == "confidential"
    assert "not necessarily a small number" in " ".join(map_hover(hidden, "persons", "en"))
