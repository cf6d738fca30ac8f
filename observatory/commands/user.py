"""`observatory user add|remove|list`: manage dashboard users (donor, analyst, partner)."""

from __future__ import annotations

import argparse
import getpass
import sys

from indicators.users import (
    LOGIN_ROLES,
    PARTNER_ROLE,
    UserError,
    load_users,
    new_user,
    partner_codes,
    save_users,
    users_file,
)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Palavra-passe / Password: ")
    if getpass.getpass("Repetir / Repeat: ") != first:
        raise UserError("as palavras-passe não coincidem / passwords do not match")
    return first


def _add(args: argparse.Namespace) -> int:
    users = load_users()
    if args.username in users and not args.replace:
        raise UserError(f"user {args.username!r} exists (use --replace to change it)")
    partner = (args.partner or "").strip().upper()
    if args.role == PARTNER_ROLE and partner not in partner_codes():
        raise UserError(f"--partner must be one of {', '.join(partner_codes())}")
    users[args.username] = new_user(args.username, args.role,
                                    _read_password(args.password_stdin), partner)
    save_users(users, users_file())
    bound = f", partner {partner}" if partner else ""
    print(f"user {args.username} ({args.role}{bound}) saved in {users_file()}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    users = load_users()
    if users.pop(args.username, None) is None:
        raise UserError(f"no user {args.username!r}")
    save_users(users, users_file())
    print(f"user {args.username} removed")
    return 0


def _list(args: argparse.Namespace) -> int:
    for user in sorted(load_users().values(), key=lambda u: u.username):
        print(f"{user.username}\t{user.role}\t{user.partner or '-'}\t{user.created_at}")
    return 0


def _run(args: argparse.Namespace) -> int:
    try:
        return args.action(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "user", help="gerir utilizadores do painel / manage dashboard users "
                     "(donor, analyst, partner)")
    actions = parser.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add or replace a user (asks for the password)")
    add.add_argument("username")
    add.add_argument("--role", choices=LOGIN_ROLES, required=True)
    add.add_argument("--partner", metavar="CODE",
                     help="partner code a partner user submits for (e.g. APF); "
                          "required with --role partner")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input (for scripts)")
    add.add_argument("--replace", action="store_true")
    add.set_defaults(action=_add)
    remove = actions.add_parser("remove", help="remove a user")
    remove.add_argument("username")
    remove.set_defaults(action=_remove)
    actions.add_parser("list", help="list users and roles").set_defaults(action=_list)
    parser.set_defaults(func=_run)
