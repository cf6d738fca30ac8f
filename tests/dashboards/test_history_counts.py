"""The release history's count columns say what they count: values added, changed and removed
since the previous release, apart. Headed "Values changed", a first release read as "10 640
values changed" although nothing had been published before; then, one column "added, changed
or removed" was still one number where the public files give three."""

from __future__ import annotations

from dashboards import metadata
from dashboards.pages import quality
from indicators.i18n import t
from indicators.release_reader import ReleaseStore


def test_history_has_added_changed_and_removed_apart(store: ReleaseStore):
    rel = store.current()
    for lang, words in (("en", ("added", "changed", "not now", "removed")),
                        ("pt", ("acrescentados", "alterados", "não agora", "retirados"))):
        tbl = quality.history_table(rel, lang)
        headings = tbl.columns[-4:]
        assert [w in h.lower() for h, w in zip(headings, words, strict=True)] == [True] * 4
        changed = [row[-3] for row in tbl.rows]
        assert 12 in changed  # the fixture's newest release: 12 values changed
        # the fixture's releases were written before the count of values not published now
        # existed: no number rather than a zero that was never counted
        assert {row[-2] for row in tbl.rows} == {None}


def test_the_analysts_history_download_is_internal(store: ReleaseStore):
    """It counts donor-only values too (10 640 where the public files say 8 703): not a
    figure to reuse under CC BY 4.0."""
    rel = store.current()
    notes = dict(metadata.notes(rel, quality.history_table(rel, "en"), "en"))
    assert notes[t("dl.licence", "en")] == t("dl.licence_internal", "en")
    assert t("dl.cite", "en") not in notes
