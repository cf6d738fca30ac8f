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


def test_partner_users_are_bound_to_one_registered_partner():
    user = new_user("pia.apf", "partner", "long enough password", "apf")
    assert (user.role, user.partner) == ("partner", "APF")
    with pytest.raises(UserError, match="--partner"):
        new_user("pia.apf", "partner", "long enough password")
    with pytest.raises(UserError, match="--partner"):
        new_user("pia.apf", "partner", "long enough password", "APAV")  # not in the registry
    with pytest.raises(UserError, match="only partner users"):
        new_user("dora", "donor", "long enough password", "APF")
    # a partner sees public pages and partner pages, nothing of donors or analysts
    assert role_allows("partner", "public") and role_allows("partner", "partner")
    assert not role_allows("partner", "donor") and not role_allows("partner", "analyst")
    assert not role_allows("analyst", "partner") and not role_allows(None, "partner")


def test_users_file_keeps_the_partner_code_and_refuses_an_unbound_partner(tmp_path: Path):
    path = tmp_path / "users.json"
    save_users({"p": new_user("pia.apf", "partner", "long enough password", "APF")}, path)
    env = {"OBS_USERS_FILE": str(path)}
    assert load_users(env)["pia.apf"].partner == "APF"
    records = json.loads(path.read_text())
    records[0]["partner"] = ""
    path.write_text(json.dumps(records))
    with pytest.raises(UserError, match="partner"):
        load_users(env)


def test_user_add_command_binds_a_partner(tmp_path: Path):
    env = {"OBS_DATA_DIR": str(tmp_path), "PATH": ""}
    base = [sys.executable, "-m", "observatory.cli", "user", "add", "pia.apf",
            "--role", "partner", "--password-stdin"]
    missing = subprocess.run(base, input="a long passphrase\n", capture_output=True,
                             text=True, env=env)
    assert missing.returncode == 2 and "--partner must be one of" in missing.stderr
    assert "APF" in missing.stderr and "NADHEIM" in missing.stderr
    done = subprocess.run([*base, "--partner", "APF"], input="a long passphrase\n",
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "partner APF" in done.stdout
    listed = subprocess.run([sys.executable, "-m", "observatory.cli", "user", "list"],
                            capture_output=True, text=True, env=env)
    assert listed.stdout.split("\t")[:3] == ["pia.apf", "partner", "APF"]
