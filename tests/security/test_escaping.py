"""Partner-supplied text reaches the browser as text, never as markup."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bench.fixtures.callbacks import content_body, download_body, post
from bench.fixtures.users import sign_in
from indicators.release_reader import ReleaseStore
from tests.security.conftest import make_access
from tests.security.hostile_release import HOSTILE_NAME, write_hostile_release

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"


def _texts(tree) -> list[str]:
    """Every string rendered as a text node (``children``) in a callback's component tree."""
    out: list[str] = []
    if isinstance(tree, str):
        out.append(tree)
    elif isinstance(tree, list):
        for item in tree:
            out += _texts(item)
    elif isinstance(tree, dict):
        if "props" in tree:
            out += _texts(tree["props"].get("children"))
        else:
            for value in tree.values():
                out += _texts(value)
    return out


def _components(tree) -> list[dict]:
    out: list[dict] = []
    if isinstance(tree, list):
        for item in tree:
            out += _components(item)
    elif isinstance(tree, dict):
        if "namespace" in tree:
            out.append(tree)
        for value in tree.values():
            out += _components(value)
    return out


def test_hostile_file_name_is_a_text_node_on_the_data_quality_page(settings, users_file):
    from dashboards.app import create_app

    write_hostile_release(settings.serving_dir)
    store = ReleaseStore(settings.serving_dir)
    client = create_app(settings, store, make_access(settings)).server.test_client()
    sign_in(client, "analyst")
    tree = post(client, content_body("/quality")).get_json()
    assert HOSTILE_NAME in _texts(tree)  # exactly the partner's string, as text
    components = _components(tree)
    assert not any(c["type"] in ("Img", "Script", "Iframe", "Markdown") for c in components)
    assert "dangerously_allow_html" not in json.dumps(tree)
    csv_payload = post(client, download_body("/quality", "rejections")).get_json()
    assert HOSTILE_NAME in json.dumps(csv_payload, ensure_ascii=False).replace("\\u003c", "<")\
        .replace("\\u003e", ">")
    store.close()


def test_no_dashboard_code_renders_raw_html():
    for path in DASHBOARDS.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "dangerously_allow_html" not in source, path
        assert not re.search(r"dcc\.Markdown\(", source), path
        assert "srcDoc" not in source, path
