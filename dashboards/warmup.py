"""Every page's default view and controls (each language) computed once per release, before
a visitor asks: when the server starts, and in the background when a new release becomes
CURRENT.

A page's first view of a release costs its queries and figures (the overview: ~0.8 s of
cards and sparklines on the sample); the results are kept per release (``Release.cached``,
the same cache the content callback reads), so the first visitor gets them ready.
"""

from __future__ import annotations

import logging
import threading

from dashboards.pages import PAGES
from indicators.i18n import LANGS
from indicators.release_reader import Release, ReleaseStore, Unavailable

log = logging.getLogger(__name__)


def warm_release(store: ReleaseStore) -> int:
    """Compute the default view of every page in every language for the current release;
    how many views were computed (0 when no release is usable)."""
    from dashboards.app import page_controls, page_view

    done = 0
    for page in PAGES:
        for lang in LANGS:
            try:
                rel, _page, params, _view = page_view(store, page.PATH, f"?lang={lang}")
                page_controls(rel, page, params)
            except Unavailable:
                return done
            done += 1
    return done


def warm_in_background(store: ReleaseStore) -> None:
    """Have ``store`` warm every release it opens from now on, in a daemon thread."""

    def opened(release: Release) -> None:
        def run() -> None:
            try:
                warm_release(store)
            except Exception:  # a view that fails is computed (and reported) when asked
                log.exception("precomputing the views of %s failed", release.release_id)

        threading.Thread(target=run, name="warm-views", daemon=True).start()

    store.on_open = opened
