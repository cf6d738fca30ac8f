"""`observatory validate FILE…`: check partner returns against the contract.

Touches neither the warehouse nor the files. Exit 0 when every file is valid, 1 when any
file has problems (all of them listed, in Portuguese and English), 2 when a file is missing.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from indicators.validation import ValidatedFile, validate_file


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate", help="verificar ficheiros sem carregar / validate return files (CSV/XLSX)",
        description="Valida ficheiros de reporte sem os carregar / validate return files "
                    "without loading them.")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="reference date for the 'period in the future' rule (YYYY-MM-DD)")
    parser.set_defaults(func=run)


def summary_line(result: ValidatedFile) -> str:
    periods = [p.strftime("%Y-%m") for p in result.periods]
    span = periods[0] if len(periods) == 1 else f"{periods[0]}..{periods[-1]} ({len(periods)})"
    return (f"válido/valid  {result.name}: parceiro/partner {result.partner}, "
            f"tipos/types {'+'.join(result.return_types)}, períodos/periods {span}, "
            f"{result.n_rows} linhas/rows")


def run(args: argparse.Namespace) -> int:
    missing = [f for f in args.files if not f.is_file()]
    for path in missing:
        print(f"ficheiro não encontrado / file not found: {path}", file=sys.stderr)
    if missing:
        return 2
    results = [validate_file(path, today=args.today) for path in args.files]
    if args.json:
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        for result in results:
            if result.ok:
                print(summary_line(result))
            else:
                print(f"inválido/invalid  {result.name}: {len(result.problems)} "
                      f"problema(s)/problem(s)")
                for problem in result.problems:
                    print(f"  [{problem.rule}] PT: {problem.message_pt}")
                    print(f"  [{problem.rule}] EN: {problem.message_en}")
            for note in result.notes:
                print(f"  nota/note: {note}")
    return 0 if all(r.ok for r in results) else 1
