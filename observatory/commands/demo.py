"""`observatory demo`: synthetic sample -> ingest -> full refresh (publish) -> dashboard."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from indicators.sample import INVALID_README
    from observatory.cli import main
    from observatory.commands.refresh import print_report
    from observatory.config import load_settings
    from orchestration.runner import partition_range, run_refresh

    settings = load_settings().ensure_dirs()
    print("== 1/4 amostra sintética / synthetic sample ==")
    if main(["sample"]) != 0:
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
    if not (report.success and report.release_id):
        return 1
    print(f"Publicação em / release published at: {report.release_path}")
    print(f"Ponteiro / pointer: {settings.serving_dir / 'CURRENT'}")
    if args.no_serve:
        return 0
    print("== 4/4 painel / dashboard ==")
    return main(["serve"])


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="demonstração completa / sample -> ingest -> refresh -> dashboard")
    parser.add_argument("--no-serve", action="store_true",
                        help="não iniciar o painel / do not start the dashboard (scripts, CI)")
    parser.set_defaults(func=run)
