"""What the dashboard server tells and keeps: no version banners, no-store on everything that
is not a static file, 400 (one log line, no traceback) for malformed callback requests, and
links that never leave the site whatever the page URL."""

from __future__ import annotations

import json
import logging

import pytest

from bench.fixtures.callbacks import (
    content_body,
    download_body,
    header_body,
    post,
    shell_body,
)
from bench.fixtures.users import sign_in
from dashboards import callback_requests


def test_pages_carry_no_version_banner(client):
    import dash
    import plotly

    page = client.get("/").get_data(as_text=True)
    config = json.loads(page.split('id="_dash-config" type="application/json">')[1]
                        .split("</script>")[0])
    for key in ("dash_version", "python_version", "plotly_version", "ddk_version",
                "dash_version_url"):
        assert key not in config
    assert dash.__version__ not in json.dumps(config)
    assert plotly.__version__ not in json.dumps(config)


def test_reload_hash_is_not_served_in_production(client):
    assert client.get("/_reload-hash").status_code == 404


@pytest.mark.parametrize("role", ["public", "donor", "analyst"])
def test_every_dynamic_response_is_no_store(client, role):
    sign_in(client, role)
    responses = [client.get("/"), client.get("/login"), client.get("/healthz"),
                 client.get("/_dash-layout"), post(client, content_body("/results")),
                 post(client, shell_body("/quality"))]
    if role != "public":
        responses.append(client.get("/report/results?lang=en&rperiod=2023"))
    for response in responses:
        assert response.headers.get("Cache-Control") == "no-store", response.request.path
        assert "Cookie" in response.headers.get("Vary", "")


def test_static_files_stay_cacheable(client):
    response = client.get("/assets/style.css")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"


MALFORMED = [
    b"not json",
    b"[]",
    b'{"output": "..page-content.children...content-key.data.."}',
    b'{"output": "nope.children", "outputs": {}, "inputs": []}',
    b'{"output": "lang-sink.title", "outputs": {"id": "lang-sink", "property": "title"},'
    b' "inputs": [{"id": "lang-store", "property": "data", "value": "pt"}]}',
    json.dumps({**content_body("/"), "inputs": [{"id": "url", "property": "pathname",
                                                 "value": {"x": 1}},
                                                {"id": "url", "property": "search",
                                                 "value": ""}]}).encode(),
    json.dumps({**content_body("/"), "inputs": []}).encode(),
    json.dumps({**shell_body("/"), "outputs": [{"id": "banners"}]}).encode(),
    json.dumps({**header_body("/"), "changedPropIds": [1]}).encode(),
    json.dumps({**shell_body("/"), "state": "x"}).encode(),
    # a wildcard input (every download button) sent as one button, not a list of them
    json.dumps({**(dl := download_body("/trends", "trends")),
                "inputs": [dl["inputs"][0][0]]}).encode(),
    json.dumps({**dl, "inputs": dl["inputs"][0]}).encode(),
    # a plain input sent as a list
    json.dumps({**content_body("/"), "inputs": [[{"id": "url", "property": "pathname",
                                                  "value": "/"}],
                                                {"id": "url", "property": "search",
                                                 "value": ""}]}).encode(),
]


@pytest.mark.parametrize("body", MALFORMED)
def test_malformed_callback_requests_get_400_and_one_log_line(client, caplog, body):
    caplog.set_level(logging.INFO)
    response = client.post("/_dash-update-component", data=body,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.headers["X-Frame-Options"] == "DENY"
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1 and lines[0].name == callback_requests.__name__
    assert lines[0].exc_info is None  # no traceback


def test_well_formed_callback_requests_still_answer(client):
    for body in (content_body("/"), shell_body("/trends"), header_body("/map"),
                 download_body("/trends", "trends")):
        assert post(client, body).status_code == 200


def _hrefs(tree) -> list[str]:
    found = []
    if isinstance(tree, dict):
        href = tree.get("props", {}).get("href") if isinstance(tree.get("props"), dict) else None
        if isinstance(href, str):
            found.append(href)
        for value in tree.values():
            found += _hrefs(value)
    elif isinstance(tree, list):
        for value in tree:
            found += _hrefs(value)
    return found


@pytest.mark.parametrize("pathname", ["//evil.example/x", "/\\evil.example", "//evil.example"])
def test_links_stay_on_the_site_whatever_the_page_url(client, pathname):
    body = header_body("/", "?lang=en")
    body["inputs"][0]["value"] = pathname
    hrefs = _hrefs(post(client, body).get_json())
    assert hrefs, "the header has links"
    for href in hrefs:
        assert href.startswith(("/", "#")) and not href.startswith("//"), href
        assert "\\" not in href and "evil.example" not in href.split("?")[0], href
