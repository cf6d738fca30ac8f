"""A page's content is drawn once on a first load: when ``sync_url`` writes the normalised
parameters into the address, the content callback does not send the same view again."""

from __future__ import annotations

from bench.fixtures.callbacks import content_body, post
from dashboards.app import create_app
from indicators.release_reader import ReleaseStore
from indicators.settings import Settings


def _content(client, path: str, search: str, shown_key: list | None):
    body = content_body(path, search)
    body["state"] = [{"id": "content-key", "property": "data", "value": shown_key}]
    body["changedPropIds"] = ["url.search"]
    return post(client, body)


def test_the_normalised_address_of_the_view_shown_draws_nothing_again(
        settings: Settings, store: ReleaseStore) -> None:
    client = create_app(settings, store).server.test_client()
    first = _content(client, "/trends", "", None)
    assert first.status_code == 200
    answer = first.get_json()["response"]
    key = answer["content-key"]["data"]
    assert answer["page-content"]["children"] and key
    # the address sync_url writes after the first load: every parameter, normalised
    params = dict(item.split("=", 1) for item in key[2:])
    canonical = "?" + "&".join(f"{k}={v}" for k, v in params.items())
    assert _content(client, "/trends", canonical, key).status_code == 204
    # a real change of a parameter is drawn, and so is the same view for a new visitor
    changed = canonical.replace(f"grain={params['grain']}", "grain=year")
    assert params["grain"] != "year"
    redrawn = _content(client, "/trends", changed, key)
    assert redrawn.status_code == 200 and redrawn.get_json()["response"]["content-key"][
        "data"] != key
    assert _content(client, "/trends", canonical, None).status_code == 200
    # another page with the same parameters is another view
    assert _content(client, "/map", "", key).status_code == 200
