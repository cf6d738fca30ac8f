"""Dashboard users: roles and argon2 password hashes, configured by the operator.

Three audiences, each seeing everything the one before it sees:
``public`` (published indicators) < ``donor`` (+ EEA Grants results and report downloads)
< ``analyst`` (+ data quality and ingest reports). No user ships with the project.

A fourth login role stands outside that order: ``partner``, bound to ONE partner code of the
reference list (``indicators/reference/partners.csv``). A partner sees the public pages plus
the "Submit" page of its own organisation, nothing of the other audiences.

Users come from ``OBS_USERS_FILE`` (default ``$OBS_DATA_DIR/users.json``, written by
``observatory user add``) or, for deployments that configure everything through the
environment, from ``OBS_USERS``: a JSON list of ``{"username", "role", "password_hash"}``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from indicators.settings import load_settings

ROLES: tuple[str, ...] = ("public", "donor", "analyst")
PARTNER_ROLE = "partner"
LOGIN_ROLES: tuple[str, ...] = ("donor", "analyst", PARTNER_ROLE)
MIN_PASSWORD_LENGTH = 12
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

_hasher = PasswordHasher()
# A hash of a random string, verified when the user is unknown so that a wrong user name
# takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(os.urandom(16).hex())


class UserError(ValueError):
    """A user could not be added or read; the message is meant for the operator."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    password_hash: str
    created_at: str = ""
    partner: str = ""  # the partner code of a ``partner`` user, else empty


def partner_codes() -> tuple[str, ...]:
    """The registered partner codes (one source: the reference list)."""
    from indicators.reference import partners

    return tuple(p.code for p in partners())


def role_allows(role: str | None, required: str) -> bool:
    """True when ``role`` may see what ``required`` may see (a ``partner`` page: partners
    only; a partner otherwise sees what the public sees)."""
    if required == PARTNER_ROLE:
        return role == PARTNER_ROLE
    have = ROLES.index(role) if role in ROLES else 0
    return have >= ROLES.index(required)


def users_file(env: dict[str, str] | None = None) -> Path:
    settings = load_settings(env)
    return (settings.access.users_file or settings.data_dir / "users.json").resolve()


def _parse(records: object, origin: str) -> dict[str, User]:
    if not isinstance(records, list):
        raise UserError(f"{origin}: expected a JSON list of users")
    users: dict[str, User] = {}
    for record in records:
        try:
            user = User(username=record["username"], role=record["role"],
                        password_hash=record["password_hash"],
                        created_at=record.get("created_at", ""),
                        partner=record.get("partner") or "")
        except (KeyError, TypeError, AttributeError) as exc:
            raise UserError(f"{origin}: malformed user record ({exc})") from exc
        if user.role not in LOGIN_ROLES:
            raise UserError(f"{origin}: user {user.username!r} has unknown role {user.role!r}")
        _check_partner(user.role, user.partner, f"{origin}: user {user.username!r}")
        users[user.username] = user
    return users


def load_users(env: dict[str, str] | None = None) -> dict[str, User]:
    """Users from ``OBS_USERS`` when set, else from the users file (none when it is absent)."""
    configured = load_settings(env).access.users
    if configured:
        try:
            return _parse(json.loads(configured), "OBS_USERS")
        except json.JSONDecodeError as exc:
            raise UserError(f"OBS_USERS is not valid JSON ({exc.msg})") from exc
    path = users_file(env)
    if not path.exists():
        return {}
    try:
        return _parse(json.loads(path.read_text(encoding="utf-8")), str(path))
    except json.JSONDecodeError as exc:
        raise UserError(f"{path} is not valid JSON ({exc.msg})") from exc


def save_users(users: dict[str, User], path: Path) -> None:
    """Write the users file atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps([asdict(u) for u in sorted(users.values(), key=lambda u: u.username)],
                         indent=2)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".users.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload + "\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _check_partner(role: str, partner: str, who: str) -> None:
    """A partner user names exactly one registered partner; other roles name none."""
    if role == PARTNER_ROLE and partner not in partner_codes():
        raise UserError(f"{who}: a partner user needs --partner, one of "
                        f"{', '.join(partner_codes())} (got {partner or 'none'!r})")
    if role != PARTNER_ROLE and partner:
        raise UserError(f"{who}: only partner users are bound to a partner")


def new_user(username: str, role: str, password: str, partner: str = "") -> User:
    if not USERNAME.match(username):
        raise UserError("user name: 2-64 characters, lower-case letters, digits, . _ -")
    if role not in LOGIN_ROLES:
        raise UserError(f"role must be one of {', '.join(LOGIN_ROLES)}")
    partner = (partner or "").strip().upper()
    _check_partner(role, partner, "user")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    return User(username=username, role=role, password_hash=_hasher.hash(password),
                created_at=datetime.now(UTC).isoformat(timespec="seconds"), partner=partner)


def authenticate(users: dict[str, User], username: str, password: str) -> User | None:
    """The user when the password matches, else None (same work for unknown users)."""
    user = users.get(username)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    return user
