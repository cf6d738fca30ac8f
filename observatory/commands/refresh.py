"""`observatory refresh`: the monthly refresh job, in-process and headless."""

from __future__ import annotations

import argparse

from indicators.i18n import tn
from indicators.release_files import current_release_id
from indicators.settings import load_settings


def print_report(report, serving_dir) -> None:  # noqa: ANN001 - RefreshReport
    first, last = report.partitions
    span = first[:7] if first == last else f"{first[:7]} .. {last[:7]}"
    print(f"Meses / months: {span}")
    if report.ingest:
        i = report.ingest
        counts = [(key, i[key]) for key in ("loaded", "rejected", "duplicate")]
        print("Caixa de entrada / inbox: " + ", ".join(
            f"{tn(f'n.{key}', n, 'pt')}/{tn(f'n.{key}', n, 'en')}" for key, n in counts))
    for name in report.rejected_files:
        print(f"  rejeitado / rejected (relatório em / report in quarantine/): {name}")
    for warning in report.warnings:
        print(f"  aviso / warning: {warning}")
    if report.release_id:
        print(f"Publicado / published: {report.release_id}")
        print(f"  ficheiro / file: {report.release_path}")
        print(f"  PT: {report.summary_pt}")
        print(f"  EN: {report.summary_en}")
        if report.success:
            return
        print("Passos falhados depois da publicação / steps that failed after publishing:")
    else:
        print("Nada publicado / nothing published.")
    for check in report.failed_checks:
        print(f"  verificação falhada / failed check: {check}")
    for error in report.errors:
        print(f"  erro / error: {error}")
    current = current_release_id(serving_dir)
    label = "Em linha / served" if report.release_id else "Continua em linha / still served"
    print(f"{label}: " + (current or "(nenhuma / none)"))


def run(args: argparse.Namespace) -> int:
    from orchestration.runner import partition_range, run_refresh

    try:
        first, last = partition_range(args.month, args.all)
    except ValueError as exc:
        print(exc)
        return 2
    report = run_refresh(first, last)
    print_report(report, load_settings().serving_dir)
    return 0 if report.success and report.release_id else 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "refresh", help="atualizar e publicar / refresh indicators and publish a release")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--month", metavar="YYYY-MM",
                       help="mês a atualizar (omissão: o último completo) / month to refresh "
                            "(default: the last complete month)")
    group.add_argument("--all", action="store_true",
                       help="todo o histórico desde 2021-01 / the whole history since 2021-01")
    parser.set_defaults(func=run)
