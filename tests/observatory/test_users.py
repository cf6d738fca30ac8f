import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from indicators.users import (
    UserError,
    authenticate,
    load_users,
    new_user,
    role_allows,
    save_users,
)


def test_roles_are_ordered_public_donor_analyst():
    assert role_allows("analyst", "donor") and role_allows("donor", "public")
    assert not role_allows("donor", "analyst")
    assert not role_allows(None, "donor") and role_allows(None, "public")


def test_password_is_stored_as_argon2_hash_and_verified(tmp_path: Path):
    user = new_user("ana.silva", "analyst", "correct horse battery")
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash
    users = {user.username: user}
    assert authenticate(users, "ana.silva", "correct horse battery") == user
    assert authenticate(users, "ana.silva", "wrong password!!") is None
    assert authenticate(users, "nobody", "correct horse battery") is None


def test_weak_passwords_unknown_roles_and_bad_names_are_refused():
    with pytest.raises(UserError, match="at least 12"):
        new_user("donor1", "donor", "short")
    with pytest.raises(UserError, match="role"):
        new_user("donor1", "admin", "long enough password")
    with pytest.raises(UserError, match="user name"):
        new_user("../etc", "donor", "long enough password")


def test_users_file_is_private_and_no_user_exists_by_default(tmp_path: Path):
    env = {"OBS_DATA_DIR": str(tmp_path)}
    assert load_users(env) == {}
    path = tmp_path / "users.json"
    save_users({"d": new_user("donor1", "donor", "long enough password")}, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(load_users(env)) == ["donor1"]


def test_users_can_come_from_environment():
    user = new_user("cig.operator", "donor", "long enough password")
    env = {"OBS_USERS": json.dumps([{"username": user.username, "role": "donor",
                                     "password_hash": user.password_hash}])}
    users = load_users(env)
    assert authenticate(users, "cig.operator", "long enough password") is not None
    with pytest.raises(UserError, match="unknown role"):
        load_users({"OBS_USERS": '[{"username": "x", "role": "root", "password_hash": "h"}]'})


def test_user_add_command_reads_password_from_stdin(tmp_path: Path):
    env = {"OBS_DATA_DIR": str(tmp_path), "PATH": ""}
    cmd = [sys.executable, "-m", "observatory.cli", "user", "add", "ldo.partner",
           "--role", "donor", "--password-stdin"]
    done = subprocess.run(cmd, input="a long passphrase\n", capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0, done.stderr
    again = subprocess.run(cmd, input="another passphrase\n", capture_output=True, text=True,
                           env=env)
    assert again.returncode == 2 and "exists" in again.stderr
    users = load_users({"OBS_DATA_DIR": str(tmp_path)})
    assert authenticate(users, "ldo.partner", "a long passphrase") is not None
