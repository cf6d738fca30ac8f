"""`observatory demo`: synthetic sample -> ingest -> full refresh (publish) -> dashboard.

The dashboard is started as a fresh process (``observatory serve``), never in or forked from
this one: this process has run the pipeline, so polars's and DuckDB's thread pools exist in
it, and a forked copy of such a process hangs on its first polars conversion.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys


def serve_command(host: str | None, port: int | None) -> list[str]:
    """The command line of the dashboard server the demo starts (a new interpreter)."""
    command = [sys.executable, "-m", "observatory.cli", "serve"]
    if host:
        command += ["--host", host]
    if port:
        command += ["--port", str(port)]
    return command


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def start_server(host: str | None, port: int | None) -> int:
    """Run ``observatory serve`` as a child process until it ends. Ctrl-C or SIGTERM stops
    both: the handlers are set here because a signal that this process ignores (a
    background start ignores SIGINT; a library may ignore SIGTERM) would stay ignored in
    the child, and a server that ignores SIGTERM cannot be stopped cleanly."""
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    server = subprocess.Popen(serve_command(host, port), close_fds=True)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait(timeout=30)
        return 0


def run(args: argparse.Namespace) -> int:
    from indicators.sample import INVALID_README
    from indicators.settings import load_settings
    from observatory.cli import main
    from observatory.commands.refresh import print_report
    from orchestration.runner import partition_range, run_refresh

    settings = load_settings().ensure_dirs()
    print("== 1/4 amostra sintética / synthetic sample ==")
    if main(["sample", *(["--until", args.until] if args.until else [])]) != 0:
        return 1
    print("== 2/4 validar e carregar / validate and load ==")
    # The inbox, then the sample's invalid files: their rejections (kept in quarantine with
    # their reasons) show on the data-quality page. Rejections are expected here; carry on.
    invalid = sorted(str(p) for p in (settings.data_dir / "sample-invalid").iterdir()
                     if p.name != INVALID_README)
    main(["ingest", str(settings.inbox_dir), *invalid])
    print("== 3/4 atualização completa / full refresh ==")
    first, last = partition_range(everything=True)
    report = run_refresh(first, last)
    print_report(report, settings.serving_dir)
    if not report.release_id:
        return 1
    print(f"Publicação em / release published at: {report.release_path}")
    print(f"Ponteiro / pointer: {settings.serving_dir / 'CURRENT'}")
    if args.no_serve:
        return 0 if report.success else 1
    print("== 4/4 painel / dashboard ==", flush=True)
    return start_server(args.host, args.port)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="demonstração completa / sample -> ingest -> refresh -> dashboard")
    parser.add_argument("--no-serve", action="store_true",
                        help="não iniciar o painel / do not start the dashboard (scripts, CI)")
    parser.add_argument("--until", metavar="YYYY-MM", default=None,
                        help="amostra mais curta / a shorter sample, up to this month (tests)")
    parser.add_argument("--host", default=None, help="endereço do painel / dashboard address")
    parser.add_argument("--port", type=int, default=None, help="porta / dashboard port")
    parser.set_defaults(func=run)
