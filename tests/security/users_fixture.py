"""Test users (one per login role) written to ``$OBS_DATA_DIR/users.json``, and sign-in
helpers for Flask's test client. Passwords are hashed once per test session (argon2)."""

from __future__ import annotations

import re
from pathlib import Path

from observatory.users import User, new_user, save_users

PASSWORDS: dict[str, str] = {"dora": "donor-password-123", "ana": "analyst-password-123"}
ROLE_OF: dict[str, str] = {"dora": "donor", "ana": "analyst"}
USER_OF_ROLE: dict[str, str] = {role: name for name, role in ROLE_OF.items()}
_USERS: dict[str, User] = {}


def login_users() -> dict[str, User]:
    if not _USERS:
        for name, role in ROLE_OF.items():
            _USERS[name] = new_user(name, role, PASSWORDS[name])
    return dict(_USERS)


def write_test_users(data_dir: Path) -> Path:
    path = Path(data_dir) / "users.json"
    save_users(login_users(), path)
    return path


def csrf_of(html_text: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html_text)
    assert match, "no CSRF field in the page"
    return match.group(1)


def post_login(client, username: str, password: str, next_path: str = "/",
               lang: str = "en", remote_addr: str = "127.0.0.1"):
    """GET the form (for its CSRF token), then POST it; returns the POST response."""
    page = client.get(f"/login?lang={lang}", environ_base={"REMOTE_ADDR": remote_addr})
    token = csrf_of(page.get_data(as_text=True))
    return client.post("/login", data={"csrf": token, "username": username,
                                       "password": password, "next": next_path, "lang": lang},
                       environ_base={"REMOTE_ADDR": remote_addr})


def sign_in(client, role: str) -> None:
    """Sign ``client`` in as the test user of ``role`` ('public' leaves it anonymous)."""
    if role == "public":
        return
    name = USER_OF_ROLE[role]
    response = post_login(client, name, PASSWORDS[name])
    assert response.status_code == 303, response.status_code


def signed_in_client(app, data_dir: Path, role: str = "donor"):
    """A test client of ``app`` signed in as the test user of ``role`` (users written to
    ``data_dir/users.json``, where ``create_app`` looks by default)."""
    write_test_users(data_dir)
    client = app.server.test_client()
    sign_in(client, role)
    return client
