"""Precomputed views: the server computes every page's default view of a release before a
visitor asks, in the same per-release cache the content callback reads, and warms each new
release the store opens."""

from __future__ import annotations

import shutil
from pathlib import Path

from dashboards.app import full_params, page_controls, page_view
from dashboards.pages import PAGES
from dashboards.warmup import warm_release
from indicators.i18n import LANGS
from indicators.release_reader import Release, ReleaseStore


def test_warming_fills_the_cache_the_content_callback_reads(store: ReleaseStore) -> None:
    assert warm_release(store) == len(PAGES) * len(LANGS)
    rel = store.current()
    views = [key for key in rel._cache if key[0] == "view"]
    assert {key[1] for key in views} == {page.PATH for page in PAGES}
    for page in PAGES:
        # a visitor's first URL (no query string, or just the language) gets the warmed view
        warmed = rel._cache[next(k for k in views if k[1] == page.PATH
                                 and ("lang", "pt") in k[2])]
        assert page_view(store, page.PATH, None)[3] is warmed
        assert page_view(store, page.PATH, "?lang=pt")[3] is warmed


def test_warming_builds_each_pages_controls_once_per_release(store: ReleaseStore) -> None:
    warm_release(store)
    rel = store.current()
    controls = {key[1] for key in rel._cache if key[0] == "controls"}
    assert controls == {page.PATH for page in PAGES}
    for page in PAGES:
        params = full_params(page, rel, "?lang=en")
        first = page_controls(rel, page, params)
        # the shell callback gets the very components built before (not rebuilt per call)
        assert page_controls(rel, page, full_params(page, rel, "?lang=en")) is first
        assert page_controls(rel, page, full_params(page, rel, "?lang=pt")) is not first


def test_each_new_current_release_is_announced_once(store: ReleaseStore,
                                                    release: Path) -> None:
    opened: list[str] = []

    def on_open(rel: Release) -> None:
        opened.append(rel.release_id)

    store.on_open = on_open
    first = store.current().release_id
    store.current()
    assert opened == [first]
    newer = "20240811T060000000000Z-def456"
    shutil.copyfile(release, release.parent / f"{newer}.duckdb")
    (release.parent / "CURRENT").write_text(f"{newer}.duckdb\n", encoding="utf-8")
    store.current()
    store.current()
    assert len(opened) == 2
