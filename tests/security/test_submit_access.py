"""The partner role on the server: the Submit page, uploads, receipts and reports belong to
the signed-in partner's own organisation; other partners' are refused even when asked for
by URL or by a crafted callback request; the upload audit trail is for analysts only."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import openpyxl
import pytest

from bench.fixtures.callbacks import content_body, download_body, header_body, post
from bench.fixtures.users import sign_in
from dashboards.access import may_open
from indicators.submissions import AuditTrail
from tests.security.conftest import make_access
from tests.security.partner_users import (
    document_body,
    refresh_body,
    sign_in_partner,
    upload_body,
    write_users_with_partners,
)

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "returns" / "victims_APF_2024-03.csv"


@pytest.fixture
def app(settings, store):
    from dashboards.app import create_app

    write_users_with_partners(settings.data_dir)
    return create_app(settings, store, make_access(settings))


def _text(response) -> str:
    return json.dumps(response.get_json(), ensure_ascii=False) if response.data else ""


def test_partner_pages_open_to_partners_only_and_public_pages_to_partners_too():
    assert may_open("partner", "partner", True) and may_open("public", "partner", False)
    for role in ("public", "donor", "analyst"):
        assert not may_open("partner", role, True)
    assert not may_open("donor", "partner", True) and not may_open("analyst", "partner", True)


@pytest.mark.parametrize("role", ["public", "donor", "analyst"])
def test_other_roles_neither_see_nor_open_the_submit_page(client, role):
    sign_in(client, role)
    header = _text(post(client, header_body("/")))
    assert '"href": "/submit' not in header
    content = _text(post(client, content_body("/submit")))
    assert '"id": "denied"' in content and "submit-upload" not in content
    response = post(client, upload_body(VALID.read_bytes(), "victims.csv"))
    assert response.status_code == 204


def test_partner_sees_submit_in_nav_but_not_restricted_pages(client):
    sign_in_partner(client, "pia")
    header = _text(post(client, header_body("/")))
    assert '"href": "/submit' in header
    assert '"href": "/quality' not in header and '"href": "/results' not in header
    assert "partner APF" in header
    for path in ("/quality", "/results"):
        assert '"id": "denied"' in _text(post(client, content_body(path)))
    page = _text(post(client, content_body("/submit")))
    assert "submit-upload" in page and '"id": "denied"' not in page


def test_a_url_naming_another_partner_is_denied(client):
    sign_in_partner(client, "pia")
    own = _text(post(client, content_body("/submit", "?lang=en&partner=APF")))
    assert "submit-upload" in own
    other = _text(post(client, content_body("/submit", "?lang=en&partner=DGS")))
    assert '"id": "denied"' in other and "submit-upload" not in other
    assert "own organisation" in other


def test_upload_then_receipt_only_for_the_uploading_partner(client, app, settings):
    sign_in_partner(client, "pia")
    answer = _text(post(client, upload_body(VALID.read_bytes(), "victims march.csv")))
    assert "submit-receipt" in answer and "Return received" in answer
    [line] = AuditTrail(settings.data_dir).all()
    assert (line.user, line.partner, line.result, line.file_name) == \
        ("pia", "APF", "accepted", "victims_march.csv")
    assert (settings.inbox_dir / Path(line.stored).name).exists()
    receipt = post(client, document_body(line.id, "receipt"))
    assert receipt.status_code == 200 and line.id in _text(receipt)
    other = app.server.test_client()
    sign_in_partner(other, "gil")  # DGS crafts a request for APF's receipt
    refused = post(other, document_body(line.id, "receipt"))
    assert refused.status_code == 204 and line.id not in _text(refused)
    history = _text(post(other, content_body("/submit")))
    assert "victims_march.csv" not in history


def test_a_partner_cannot_upload_another_partners_return(client, settings):
    sign_in_partner(client, "gil")  # DGS sends APF's file
    answer = _text(post(client, upload_body(VALID.read_bytes(), "victims.csv")))
    assert "submit-problems" in answer and "another partner" in answer
    assert list(settings.inbox_dir.iterdir()) == []


def test_upload_audit_trail_is_shown_to_analysts_only(client, app, settings):
    sign_in_partner(client, "pia")
    post(client, upload_body(VALID.read_bytes(), "victims_secret_name.csv"))
    analyst = app.server.test_client()
    sign_in(analyst, "analyst")
    assert "victims_secret_name.csv" in _text(post(analyst, content_body("/quality")))
    for role in ("public", "donor"):
        other = app.server.test_client()
        sign_in(other, role)
        assert "victims_secret_name.csv" not in _text(post(other, content_body("/quality")))
    assert "victims_secret_name.csv" not in _text(post(client, content_body("/quality")))


def test_history_and_calendar_refresh_show_only_the_callers_own_uploads(client, app):
    sign_in_partner(client, "pia")
    post(client, upload_body(VALID.read_bytes(), "victims.csv"))
    mine = _text(post(client, refresh_body("2024")))
    assert "victims.csv" in mine and "Mar 2024" in mine and "Dec 2024" in mine
    other = app.server.test_client()
    sign_in_partner(other, "gil")
    theirs = _text(post(other, refresh_body("2024")))
    assert "victims.csv" not in theirs and "submit-history-empty" in theirs
    anonymous = app.server.test_client()
    assert post(anonymous, refresh_body("2024")).status_code == 204


def test_the_largest_accepted_upload_fits_the_request_limit(client, settings):
    from indicators.submissions import UPLOAD_MAX_BYTES

    sign_in_partner(client, "pia")
    header = VALID.read_bytes()
    largest = header + b"#" * (UPLOAD_MAX_BYTES - len(header))
    response = post(client, upload_body(largest, "victims.csv", reason="x" * 500))
    assert response.status_code == 200  # not 413: the page answers with its verdict
    assert "submit-problems" in _text(response)
    over = post(client, upload_body(largest + b"#", "victims.csv"))
    assert over.status_code == 200 and "file too large" in _text(over).lower()


def _downloaded_text(response) -> str:
    """The text of a downloaded file: the CSV, or every cell of the XLSX."""
    data = response.get_json()["response"]["download"]["data"]
    if not data.get("base64"):
        return data["content"]
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data["content"])))
    return " ".join(str(v) for sheet in book.worksheets
                    for row in sheet.iter_rows(values_only=True) for v in row if v)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_upload_audit_download_is_for_analysts_only(client, app, fmt):
    """The log holds partners' own file names: only an analyst gets its file, from the
    data-quality page; a partner, donor or anonymous request is refused (no data, 204) as
    other analyst-only downloads are, whichever page the request names."""
    sign_in_partner(client, "pia")
    post(client, upload_body(VALID.read_bytes(), "victims_secret_name.csv"))
    analyst = app.server.test_client()
    sign_in(analyst, "analyst")
    given = post(analyst, download_body("/quality", "upload_audit", fmt))
    assert given.status_code == 200 and "victims_secret_name.csv" in _downloaded_text(given)
    others = [client]  # the partner who uploaded it
    for role in ("public", "donor"):
        other = app.server.test_client()
        sign_in(other, role)
        others.append(other)
    for other in others:
        for path in ("/quality", "/", "/results", "/submit", "/methodology"):
            refused = post(other, download_body(path, "upload_audit", fmt))
            assert refused.status_code == 204, (path, refused.status_code)
            assert "victims_secret_name" not in refused.get_data(as_text=True)
    for path in ("/", "/results", "/methodology"):  # an analyst only from the page showing it
        assert post(analyst, download_body(path, "upload_audit", fmt)).status_code == 204
