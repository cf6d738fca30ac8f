"""An address that is no page answers HTTP 404 (the app still shows its "page not found"
page with a link home), so link checkers, search engines and scripts see it too; every page
answers 200 (a user review: /nope answered 200)."""

from __future__ import annotations

import pytest

from dashboards.app import create_app
from dashboards.pages import PAGES
from indicators.release_reader import ReleaseStore
from indicators.settings import Settings


@pytest.fixture
def client(settings: Settings, store: ReleaseStore):
    return create_app(settings, store).server.test_client()


@pytest.mark.parametrize("path", ["/nope", "/nope/deeper", "/trend", "/map/extra?lang=en"])
def test_an_address_that_is_no_page_is_404_with_the_app(client, path):
    answer = client.get(path)
    assert answer.status_code == 404
    assert answer.mimetype == "text/html" and b'id="react-entry-point"' in answer.data


def test_every_page_answers_200(client):
    for page in PAGES:
        for path in (page.PATH, page.PATH.rstrip("/") + "/" if page.PATH != "/" else "/"):
            assert client.get(f"{path}?lang=en").status_code == 200, path


def test_the_browsers_own_favicon_request_gets_the_icon(client):
    """Browsers ask for /favicon.ico by themselves; a 404 there was a console error on the
    first page of every session."""
    answer = client.get("/favicon.ico")
    assert answer.status_code == 200 and answer.mimetype.startswith("image/")
    assert answer.data == client.get("/_favicon.ico").data
