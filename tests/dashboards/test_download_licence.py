"""An analysts' table (the data-quality grid, the rejected files) is internal: its download
must not invite reuse under CC BY 4.0 nor say how to cite it as a published statistic. Before,
every download, internal ones too, said "CC BY 4.0 — reuse freely with attribution"."""

from __future__ import annotations

import pytest

from dashboards import metadata
from dashboards.pages import overview, quality
from indicators.i18n import t
from indicators.release_reader import ReleaseStore


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_internal_tables_say_internal_and_published_ones_keep_their_licence(
        store: ReleaseStore, lang: str):
    rel = store.current()
    licence = t("dl.licence", lang)
    for tbl in (quality.grid_table(rel, lang), quality.rejections_table(rel, lang),
                quality.history_table(rel, lang)):
        notes = dict(metadata.notes(rel, tbl, lang))
        assert "CC BY" not in notes[licence] and "OTSH" in notes[licence], tbl.name
        assert t("dl.cite", lang) not in notes
    public = dict(metadata.notes(rel, overview.table_for(rel, "PT", lang), lang))
    assert public[licence].startswith("CC BY 4.0")
    assert t("dl.cite", lang) in public
