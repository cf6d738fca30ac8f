"""The `observatory` command: one entry point, one module per subcommand.

Each module in ``observatory/commands/`` exposes ``register(subparsers)``, which adds its
subparser and sets ``func`` (a callable taking the parsed args and returning an exit code).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from indicators.settings import SettingsError, load_settings

COMMAND_MODULES: tuple[str, ...] = (
    "sample",
    "template",
    "validate",
    "ingest",
    "protect",
    "indicators",
    "contract",
    "serve",
    "user",
    "refresh",
    "demo",
    "audit-release",
    "export",
    "remind",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="observatory",
        description="OTSH indicators observatory: partner returns, indicators, "
        "disclosure control and dashboard.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"observatory.commands.{name.replace('-', '_')}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        load_settings()  # every OBS_* variable validated before any work starts
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
