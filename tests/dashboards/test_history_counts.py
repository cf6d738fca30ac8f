"""The release history's count column says what it counts: values added, changed and removed
since the previous release (indicators/publish.py stores their sum). Headed "Values changed",
a first release read as "10 640 values changed" although nothing had been published before."""

from __future__ import annotations

from dashboards.pages import quality
from indicators.i18n import t
from indicators.release_reader import ReleaseStore


def test_history_count_column_names_added_changed_and_removed(store: ReleaseStore):
    rel = store.current()
    for lang, words in (("en", ("added", "changed", "removed")),
                        ("pt", ("acrescentados", "alterados", "retirados"))):
        tbl = quality.history_table(rel, lang)
        heading = tbl.columns[-1]
        assert heading == t("col.values_changed", lang)
        assert all(word in heading for word in words), heading
