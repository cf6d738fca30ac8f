"""Partner test users (APF and DGS) beside the donor and analyst of ``users_fixture``, and
the Dash callback bodies of the Submit page."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from bench.fixtures.users import login_users, post_login
from indicators.users import User, new_user, save_users

PARTNER_USERS: dict[str, tuple[str, str]] = {"pia": ("APF", "partner-password-123"),
                                             "gil": ("DGS", "partner-password-456")}
_CACHE: dict[str, User] = {}


def write_users_with_partners(data_dir: Path) -> Path:
    if not _CACHE:
        for name, (code, password) in PARTNER_USERS.items():
            _CACHE[name] = new_user(name, "partner", password, code)
    path = Path(data_dir) / "users.json"
    save_users({**login_users(), **_CACHE}, path)
    return path


def sign_in_partner(client, name: str) -> None:
    response = post_login(client, name, PARTNER_USERS[name][1])
    assert response.status_code == 303, response.status_code


def data_url(data: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(data).decode("ascii")


def upload_body(data: bytes, filename: str, search: str = "?lang=en", rtype: str = "",
                period: str = "", reason: str = "") -> dict:
    return {"output": "..submit-result.children...submit-last.data...submit-upload.contents"
                      "...submit-upload.filename..",
            "outputs": [{"id": "submit-result", "property": "children"},
                        {"id": "submit-last", "property": "data"},
                        {"id": "submit-upload", "property": "contents"},
                        {"id": "submit-upload", "property": "filename"}],
            "inputs": [{"id": "submit-upload", "property": "contents",
                        "value": data_url(data)}],
            "changedPropIds": ["submit-upload.contents"],
            "state": [{"id": "submit-upload", "property": "filename", "value": filename},
                      {"id": "submit-rtype", "property": "value", "value": rtype},
                      {"id": "submit-period", "property": "value", "value": period},
                      {"id": "submit-reason", "property": "value", "value": reason},
                      {"id": "url", "property": "search", "value": search}]}


def document_body(submission_id: str, kind: str) -> dict:
    button = {"id": submission_id, "kind": kind, "type": "sub-dl"}
    return {"output": "submit-dl.data", "outputs": {"id": "submit-dl", "property": "data"},
            "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
            "changedPropIds": [json.dumps(button, separators=(",", ":")) + ".n_clicks"],
            "state": []}


def refresh_body(year: str = "", search: str = "?lang=en") -> dict:
    return {"output": "..submit-history.children...submit-calendar.children..",
            "outputs": [{"id": "submit-history", "property": "children"},
                        {"id": "submit-calendar", "property": "children"}],
            "inputs": [{"id": "submit-last", "property": "data", "value": None},
                       {"id": "submit-tick", "property": "n_intervals", "value": 1},
                       {"id": "submit-cal-year", "property": "value", "value": year}],
            "changedPropIds": ["submit-cal-year.value"],
            "state": [{"id": "url", "property": "search", "value": search}]}
