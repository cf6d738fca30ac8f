"""`observatory serve`: the dashboard on 127.0.0.1:8050 (waitress; --dev: Dash's server)."""

from __future__ import annotations

import argparse
import os
import sys

# The dashboard (Dash, waitress) is imported when the command runs, not when the CLI starts.


def cookie_policy(host: str, env: dict[str, str] | None = None) -> None:
    """Plain http on a loopback address cannot carry ``Secure`` cookies in every browser:
    there, unless the operator decided, cookies are not marked ``Secure``. Any other address
    keeps them secure (put TLS in front)."""
    from dashboards.server import is_loopback
    from indicators.settings import AccessSettings, env_name, load_settings

    env = os.environ if env is None else env
    if is_loopback(host):
        env.setdefault(env_name(AccessSettings, "cookie_secure"), "0")
    elif not load_settings(env).access.cookie_secure:
        print("aviso / warning: OBS_COOKIE_SECURE=0 on a non-loopback address: session "
              "cookies may travel unencrypted", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from dashboards.server import DEFAULT_HOST, DEFAULT_PORT, THREADS, run_dev, run_production

    host, port = args.host or DEFAULT_HOST, args.port or DEFAULT_PORT
    cookie_policy(host)
    print(f"Painel em / dashboard at http://{host}:{port}/")
    if args.dev:
        run_dev(host, port)
    else:
        run_production(host, port, threads=args.threads or THREADS)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="serve o painel / serve the dashboard (127.0.0.1:8050)")
    parser.add_argument("--host", default=None,
                        help="endereço / bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None,
                        help="porta / port (default 8050)")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads que respondem / worker threads (waitress, default 8)")
    parser.add_argument("--dev", action="store_true",
                        help="servidor de desenvolvimento do Dash / Dash development server "
                        "(debug only if OBS_DEV=1)")
    parser.set_defaults(func=run)
