"""The page shell is served in the language the address asks for: ``<html lang>`` is right
from the first byte (not only after the clientside callback has run)."""

from __future__ import annotations

import pytest

from dashboards.app import create_app
from indicators.release_reader import ReleaseStore
from indicators.settings import Settings


@pytest.mark.parametrize(("query", "lang"), [("?lang=en", "en"), ("?lang=pt", "pt"),
                                             ("", "pt"), ("?lang=xx", "pt")])
def test_index_page_carries_the_language_of_the_address(
        settings: Settings, store: ReleaseStore, query: str, lang: str) -> None:
    client = create_app(settings, store).server.test_client()
    for path in ("/", "/map", "/methodology"):
        html_text = client.get(path + query).get_data(as_text=True)
        assert f'<html lang="{lang}">' in html_text, (path, query)
        assert "{%lang%}" not in html_text
