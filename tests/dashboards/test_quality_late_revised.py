"""A user review: on the data-quality grid a return first delivered late and then revised
showed "V" (revised) only, while the partner's calendar said "recebido com atraso; revisto
em …". The grid shows both (the late letter with the revised mark), its legend explains the
mark, and its CSV / XLSX (the same table) say the same words."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dash import html

from dashboards.pages import quality
from indicators.release_reader import ReleaseStore
from tests.dashboards.layout_tree import text, walk

WORDS = {"pt": ("A·V", "atrasado; revisto"), "en": ("L·V", "late; revised")}


def _late_then_revised(release: Path) -> tuple[str, str]:
    """One revised return of the fixture made late at its first delivery: (partner, period)."""
    con = duckdb.connect(str(release))
    try:
        partner, period = con.execute(
            "SELECT partner, period FROM published.data_quality WHERE state = 'revised' "
            "ORDER BY period DESC, partner LIMIT 1").fetchone()
        con.execute("UPDATE published.data_quality SET days_late = 12 WHERE partner = ? "
                    "AND period = ? AND state = 'revised'", [partner, period])
    finally:
        con.close()
    return partner, f"{period:%Y}"


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_late_then_revised_shows_both_in_the_grid_its_legend_and_its_files(release, settings,
                                                                           lang):
    partner, year = _late_then_revised(release)
    store = ReleaseStore(settings.serving_dir)
    try:
        rel = store.current()
        mark, words = WORDS[lang]
        table = quality.grid_table(rel, lang, year)  # what the CSV / XLSX hold
        cells = [c for row in table.rows if row[0] == partner for c in row[2:]]
        assert words in cells
        assert quality.letter("revised", lang) == "V"  # on time, then revised: as before
        shown = html.Div(quality.view(rel, {"dqyear": year}, lang).children)
        abbrs = {(a.children, a.title) for a in walk(shown) if isinstance(a, html.Abbr)}
        assert (mark, words) in abbrs
        (legend,) = [n for n in walk(shown) if getattr(n, "className", "") == "dq-legend"]
        assert f"{mark} {words}" in [text(li) for li in legend.children]
        late = [td for td in walk(shown) if isinstance(td, html.Td)
                and "dq-late" in (getattr(td, "className", "") or "").split()]
        assert any(text(td) == mark and "dq-revised" in td.className.split() for td in late)
    finally:
        store.close()
