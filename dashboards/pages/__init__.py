"""One module per page. Each exposes PATH, TITLE_KEY, AUDIENCE, PARAMS (URL parameters it
reads), CONTROL_KEYS (parameters whose change alters the controls' options),
``normalise(rel, params)``, ``controls(rel, params, lang)`` and ``view(rel, params, lang)``.
"""

from __future__ import annotations

from types import ModuleType

from dashboards.pages import map as map_page
from dashboards.pages import methodology, overview, quality, results, submit, trends

PAGES: tuple[ModuleType, ...] = (overview, map_page, trends, results, quality, methodology,
                                 submit)
BY_PATH: dict[str, ModuleType] = {page.PATH: page for page in PAGES}


def page_for(pathname: str | None) -> ModuleType | None:
    path = (pathname or "/").rstrip("/") or "/"
    return BY_PATH.get(path)
