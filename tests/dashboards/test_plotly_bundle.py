"""The plotly.js the dashboard's graphs load: the vendored basic partial bundle of the same
plotly.js version as Dash's full bundle, recorded in SOURCES.md, holding every trace type the
pages draw, served on request and never listed in a page (only the small script that points
dcc.Graph at it is)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import plotly
from plotly.offline import get_plotlyjs_version

from bench.fixtures.callbacks import content_body, post
from dashboards.app import create_app
from dashboards.components import ASSETS_DIR, PLOTLY_BUNDLE
from indicators.release_reader import ReleaseStore
from indicators.settings import Settings

BUNDLE = ASSETS_DIR / PLOTLY_BUNDLE
BASIC_TRACES = {"bar", "pie", "scatter"}  # the bundle's README: "trace modules bar, pie, scatter"
FULL_BUNDLE = "package_data/plotly.min.js"


def _header_version(text: str) -> str:
    match = re.search(r"plotly\.js (?:\(basic - minified\) )?v(\d+\.\d+\.\d+)", text[:400])
    assert match, text[:400]
    return match.group(1)


def test_the_vendored_bundle_is_the_basic_bundle_of_dashs_plotly_js_version() -> None:
    text = BUNDLE.read_text(encoding="utf-8")
    assert "plotly.js (basic - minified)" in text[:200]
    full = Path(plotly.__file__).parent / FULL_BUNDLE
    with full.open(encoding="utf-8") as handle:
        full_version = _header_version(handle.read(400))
    assert full_version == get_plotlyjs_version()
    assert _header_version(text) == full_version


def test_sources_note_records_the_files_sha256_and_the_pointer_names_it() -> None:
    digest = hashlib.sha256(BUNDLE.read_bytes()).hexdigest()
    sources = (BUNDLE.parent / "SOURCES.md").read_text(encoding="utf-8")
    assert f"`{BUNDLE.name}`" in sources and digest in sources
    assert (BUNDLE.parent / "LICENSE.plotly.js.txt").read_text(encoding="utf-8").startswith(
        "MIT License")
    pointer = (ASSETS_DIR / "plotly_bundle.js").read_text(encoding="utf-8")
    assert f"'{PLOTLY_BUNDLE}'" in pointer


def _trace_types(node: Any) -> set[str]:
    if isinstance(node, dict):
        figure = node.get("figure")  # a dcc.Graph's props
        found = {trace["type"] for trace in figure["data"]} if isinstance(figure, dict) else set()
        for value in node.values():
            found |= _trace_types(value)
        return found
    if isinstance(node, list):
        return set().union(*(_trace_types(value) for value in node)) if node else set()
    return set()


def test_every_trace_type_the_trends_page_draws_is_in_the_bundle(
        settings: Settings, store: ReleaseStore) -> None:
    client = create_app(settings, store).server.test_client()
    drawn: set[str] = set()
    for search in ("?lang=en", "?lang=en&grain=quarter&breakdown=sex",
                   "?lang=pt&grain=year"):
        answer = post(client, content_body("/trends", search))
        assert answer.status_code == 200
        drawn |= _trace_types(answer.get_json()["response"]["page-content"]["children"])
    assert "scatter" in drawn  # the walk found the trend charts
    assert drawn <= BASIC_TRACES, drawn - BASIC_TRACES


def test_pages_list_the_pointer_not_the_bundles_and_the_bundle_is_served(
        settings: Settings, store: ReleaseStore) -> None:
    client = create_app(settings, store).server.test_client()
    page = client.get("/trends?lang=en").get_data(as_text=True)
    assert re.search(r'<script src="/assets/plotly_bundle\.js\?m=\d+', page), page
    assert "vendor/" not in page and "plotly.min.js" not in page
    served = client.get("/assets/" + PLOTLY_BUNDLE)
    assert served.status_code == 200
    assert served.get_data() == BUNDLE.read_bytes()
