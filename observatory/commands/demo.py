"""`observatory demo`: synthetic sample -> ingest -> full refresh (publish) -> dashboard."""

from __future__ import annotations

import argparse
import importlib.util
import os


def run(args: argparse.Namespace) -> int:
    from observatory.cli import main
    from observatory.commands.refresh import print_report
    from observatory.config import load_settings
    from orchestration.runner import partition_range, run_refresh

    os.environ.setdefault("OBS_SYNTHETIC", "1")  # the release says it is synthetic data
    settings = load_settings().ensure_dirs()
    print("== 1/4 amostra sintética / synthetic sample ==")
    if main(["sample"]) != 0:
        return 1
    print("== 2/4 validar e carregar / validate and load ==")
    main(["ingest"])  # rejected sample files are expected (and reported); carry on
    print("== 3/4 atualização completa / full refresh ==")
    first, last = partition_range(everything=True)
    report = run_refresh(first, last)
    print_report(report, settings.serving_dir)
    if not (report.success and report.release_id):
        return 1
    print(f"Publicação em / release published at: {report.release_path}")
    print(f"Ponteiro / pointer: {settings.serving_dir / 'CURRENT'}")
    if args.no_serve:
        return 0
    print("== 4/4 painel / dashboard ==")
    if importlib.util.find_spec("observatory.commands.serve") is None:
        print("'observatory serve' não está disponível / is not available")
        return 1
    return main(["serve"])


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="demonstração completa / sample -> ingest -> refresh -> dashboard")
    parser.add_argument("--no-serve", action="store_true",
                        help="não iniciar o painel / do not start the dashboard (scripts, CI)")
    parser.set_defaults(func=run)
