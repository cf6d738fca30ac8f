"""Scripts and style sheets travel compressed; pages, layout and callback answers (which
carry the sign-out CSRF token next to user-controlled text) do not."""

from __future__ import annotations

import re

import brotli
import pytest

from bench.fixtures.callbacks import content_body
from tests.security.conftest import make_access

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium sends


@pytest.fixture
def client(settings, store):
    from dashboards.app import create_app

    return create_app(settings, store, make_access(settings)).server.test_client()


def _get(client, url: str, headers: dict[str, str] | None = None):
    """A GET read to the end and closed (a streamed answer left half-read warns)."""
    response = client.get(url, headers=headers or {})
    response.get_data()
    response.close()
    return response


def _script_urls(client) -> list[str]:
    page = client.get("/").get_data(as_text=True)
    urls = re.findall(r'<script src="([^"]+)"', page)
    assert any("dash_renderer" in u or "dash-renderer" in u for u in urls), urls
    return urls


def test_every_script_of_the_page_is_sent_compressed_and_decodes_to_the_file(client):
    raw_total = sent_total = 0
    for url in _script_urls(client):
        plain = _get(client, url)
        packed = _get(client, url, {"Accept-Encoding": "br"})
        assert plain.status_code == packed.status_code == 200, url
        assert "Content-Encoding" not in plain.headers, url
        assert packed.headers["Content-Encoding"] == "br", url
        assert brotli.decompress(packed.get_data()) == plain.get_data(), url
        assert _get(client, url, BROWSER).headers["Content-Encoding"] in {
            "zstd", "br", "gzip"}, url
        assert "Content-Security-Policy" in packed.headers
        raw_total += len(plain.get_data())
        sent_total += len(packed.get_data())
    assert raw_total > 1_000_000  # the renderer, React and the components at least
    assert sent_total < raw_total * 0.4, (sent_total, raw_total)


def test_style_sheet_and_plotly_bundle_are_compressed(client):
    from dashboards.components import ASSETS_DIR

    [bundle] = (ASSETS_DIR / "vendor").glob("plotly*.js")
    for url in ("/assets/style.css", f"/assets/vendor/{bundle.name}"):
        response = _get(client, url, BROWSER)
        assert response.status_code == 200, url
        assert response.headers["Content-Encoding"] in {"zstd", "br", "gzip"}, url


def test_pages_layout_and_callback_answers_are_not_compressed(client):
    for response in (client.get("/", headers=BROWSER),
                     client.get("/_dash-layout", headers=BROWSER),
                     client.get("/login", headers=BROWSER),
                     client.post("/_dash-update-component", json=content_body("/"),
                                 headers=BROWSER)):
        assert response.status_code == 200
        assert "Content-Encoding" not in response.headers
