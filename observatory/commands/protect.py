"""`observatory protect`: primary + secondary suppression of a hierarchical table, audited.

observatory protect INNER.csv --hierarchy HIER.csv [--threshold 5]
    [--zeros-publishable | --protect-zeros] [--audit] --output OUT.csv
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators.disclosure import (
    DisclosureInputError,
    Policy,
    ProtectionError,
    protect,
    read_hierarchy_csv,
    read_inner_csv,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "protect",
        help="suppress small cells and their complements / supressão de células pequenas",
        description="Primary and secondary suppression of every cell (inner cells and all "
        "totals) of a hierarchical table, with an optional independent audit. / Supressão "
        "primária e secundária de todas as células (interiores e totais), com auditoria.",
    )
    parser.add_argument("inner", type=Path, help="INNER.csv: dimension columns + count")
    parser.add_argument(
        "--hierarchy",
        type=Path,
        default=None,
        help="HIER.csv: dimension,code,parent (root _T); missing = flat",
    )
    parser.add_argument(
        "--threshold", type=int, default=5, help="k: counts 1..k-1 are confidential (default 5)"
    )
    zeros = parser.add_mutually_exclusive_group()
    zeros.add_argument(
        "--zeros-publishable",
        dest="zeros_publishable",
        action="store_true",
        default=True,
        help="zeros are always published (default)",
    )
    zeros.add_argument(
        "--protect-zeros",
        dest="zeros_publishable",
        action="store_false",
        help="zeros may be hidden as secondary suppressions",
    )
    parser.add_argument(
        "--audit",
        action="store_true",
        help="run the independent audit; exit 1 if a cell is unprotected",
    )
    parser.add_argument("--output", type=Path, required=True, help="OUT.csv")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.threshold < 1:
            raise DisclosureInputError("o limiar tem de ser >= 1", "threshold must be >= 1")
        inner = read_inner_csv(args.inner)
        hierarchies = read_hierarchy_csv(args.hierarchy) if args.hierarchy else {}
        policy = Policy(threshold=args.threshold, zeros_publishable=args.zeros_publishable)
        result = protect(inner, hierarchies, policy=policy, run_audit=args.audit)
    except DisclosureInputError as exc:
        print(f"erro / error: {exc.message_pt}\n               {exc.message_en}", file=sys.stderr)
        return 2
    except ProtectionError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    result.cells.drop("table").write_csv(args.output)
    s = result.summary
    print(
        f"células / cells: {s['cells']}  primárias / primary: {s['primary']}  "
        f"secundárias / secondary: {s['secondary']} (soma / sum {s['information_loss_sum']})  "
        f"segundos / seconds: {s['seconds']:.2f}"
    )
    print(f"escrito / written: {args.output}")
    if result.audit is None:
        return 0
    print(result.audit.to_text())
    print(f"auditoria / audit: {result.audit.seconds:.2f} s")
    return 0 if result.audit.ok else 1
