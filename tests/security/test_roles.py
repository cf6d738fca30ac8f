"""The role matrix, enforced on the server: page callbacks, downloads, Flask routes, nav."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from bench.fixtures.callbacks import content_body, download_body, header_body, post, shell_body
from bench.fixtures.users import sign_in
from tests.security.conftest import make_access

ROLES = ("public", "donor", "analyst")
PUBLIC_PAGES = ("/", "/map", "/trends", "/methodology")
# A string each restricted page shows only with its data, and the roles that may see it.
RESTRICTED = {"/results": ("EEA_VICTIMS_SUPPORTED", {"donor", "analyst"}),
              "/quality": ("returns_2024_02.xlsx", {"analyst"})}
DOWNLOADS = {("/results", "eea_results"): ("EEA_VICTIMS_SUPPORTED", {"donor", "analyst"}),
             ("/quality", "rejections"): ("returns_2024_02.xlsx", {"analyst"}),
             ("/quality", "release_history"): ("20240610T060000000000Z-fed987", {"analyst"}),
             ("/quality", "upload_audit"): ("Received at (Lisbon time)", {"analyst"}),
             ("/methodology", "indicators"): ("THB_SIGNALLED", set(ROLES))}


def _text(response) -> str:
    return json.dumps(response.get_json(), ensure_ascii=False) if response.data else ""


@pytest.mark.parametrize("role", ROLES)
def test_page_content_and_controls_by_role(client, role):
    sign_in(client, role)
    for path in PUBLIC_PAGES:
        response = post(client, content_body(path))
        assert response.status_code == 200
        assert '"id": "denied"' not in _text(response), (role, path)
    for path, (marker, allowed) in RESTRICTED.items():
        content, shell = _text(post(client, content_body(path))), \
            _text(post(client, shell_body(path)))
        if role in allowed:
            assert marker in content and '"id": "denied"' not in content
        else:
            assert marker not in content and '"id": "denied"' in content
            assert "2024-H1" not in shell and "Synthetic data" not in shell
            expected = "Sign-in required" if role == "public" else "Not allowed"
            assert f'"page-title": {{"children": "{expected}"}}' in shell


@pytest.mark.parametrize("role", ROLES)
def test_downloads_by_role_even_with_a_forged_page(client, role):
    sign_in(client, role)
    for (path, table), (marker, allowed) in DOWNLOADS.items():
        response = post(client, download_body(path, table))
        if role in allowed:
            assert response.status_code == 200 and marker in _text(response), (role, table)
        else:
            assert response.status_code == 204 and marker not in _text(response), (role, table)


@pytest.mark.parametrize("role", ROLES)
def test_nav_lists_only_what_the_role_may_open(client, role):
    sign_in(client, role)
    header = _text(post(client, header_body("/")))
    expected = {"public": {"/", "/map", "/trends", "/methodology"},
                "donor": {"/", "/map", "/trends", "/methodology", "/results"},
                "analyst": {"/", "/map", "/trends", "/methodology", "/results", "/quality"}}
    for path in ("/", "/map", "/trends", "/methodology", "/results", "/quality"):
        shown = f'"href": "{path}"' in header or f'"href": "{path}?' in header
        assert shown == (path in expected[role]), (role, path)
    assert ("/login?" in header) == (role == "public")
    assert ("/logout" in header) == (role != "public")


@pytest.mark.parametrize("role", ROLES)
def test_report_routes_need_a_donor(client, role):
    sign_in(client, role)
    response = client.get("/report/results?lang=en&rperiod=2023")
    if role == "public":
        assert response.status_code == 302
        target = urlsplit(response.headers["Location"])
        assert target.path == "/login"
        assert parse_qs(target.query)["next"] == ["/report/results?lang=en&rperiod=2023"]
        assert "eea" not in response.get_data(as_text=True).lower()
        pdf = client.get("/report/results.pdf?lang=en&rperiod=2023")
        assert pdf.status_code == 302 and not pdf.data.startswith(b"%PDF")
    else:
        assert response.status_code == 200 and response.mimetype == "text/html"


def test_a_signed_in_role_too_low_for_a_route_gets_403(app, settings, store):
    from dashboards import access

    access.protect_routes(app.server, {"/analyst-only": "analyst"})
    app.server.add_url_rule("/analyst-only", "analyst_only", lambda: "secret")
    client = app.server.test_client()
    sign_in(client, "donor")
    response = client.get("/analyst-only?lang=en")
    assert response.status_code == 403 and "secret" not in response.get_data(as_text=True)
    assert "Your account does not have access" in response.get_data(as_text=True)


def test_direct_url_to_a_forbidden_page_carries_no_data(client):
    page = client.get("/quality")
    assert page.status_code == 200
    assert "returns_2024_02" not in page.get_data(as_text=True)


@pytest.fixture
def private_client(settings, store, users_file):
    from dashboards.app import create_app

    app = create_app(settings, store, make_access(settings, public_access=False))
    return app.server.test_client()


def test_without_public_access_everything_needs_a_login(private_client):
    client = private_client
    response = client.get("/map?lang=en")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=%2Fmap%3Flang%3Den")
    for path in ("/_dash-layout", "/_dash-dependencies"):
        assert client.get(path).status_code == 401
    assert post(client, content_body("/")).status_code == 401
    assert post(client, download_body("/methodology", "indicators")).status_code == 401
    assert client.get("/assets/style.css").status_code == 200
    assert client.get("/login").status_code == 200


@pytest.mark.parametrize("role", ["donor", "analyst"])
def test_without_public_access_signed_in_users_see_public_pages(private_client, role):
    sign_in(private_client, role)
    assert private_client.get("/").status_code == 200
    for path in PUBLIC_PAGES:
        response = post(private_client, content_body(path))
        assert response.status_code == 200 and '"id": "denied"' not in _text(response)
