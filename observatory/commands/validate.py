"""`observatory validate PATH…`: check partner returns against the contract.

Each PATH is a file or a folder (its files, as the inbox scan finds them: OS and editor
litter left out, see :mod:`indicators.inbox_names`). Touches neither the warehouse nor the
files. One result per file; exit 0 when every file is valid, 1 when any file has problems
(all of them listed, in Portuguese and English), 2 when a path is missing or a folder holds
no file (the other files are still checked).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from indicators.i18n import tn
from indicators.ingest import expand_paths
from indicators.validation import ValidatedFile, validate_files


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate", help="verificar ficheiros sem carregar / validate return files (CSV/XLSX)",
        description="Valida ficheiros de reporte sem os carregar; aceita ficheiros e pastas "
                    "/ validate return files without loading them; takes files and folders.")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help="ficheiro ou pasta / file or folder")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="reference date for the 'period in the future' rule (YYYY-MM-DD)")
    parser.set_defaults(func=run)


def summary_line(result: ValidatedFile, shown: str) -> str:
    periods = [p.strftime("%Y-%m") for p in result.periods]
    span = periods[0] if len(periods) == 1 else f"{periods[0]}..{periods[-1]} ({len(periods)})"
    return (f"válido/valid  {shown}: parceiro/partner {result.partner}, "
            f"tipos/types {'+'.join(result.return_types)}, períodos/periods {span}, "
            f"{tn('n.rows', result.n_rows, 'pt')}/{tn('n.rows', result.n_rows, 'en')}")


def files_of(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The files to check, in the order given (a folder's files by name), and a PT/EN
    complaint for each path that is missing or a folder without files."""
    files: list[Path] = []
    complaints: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(expand_paths([path]))
            files += found
            if not found:
                complaints.append(f"pasta sem ficheiros / folder holds no file: {path}")
        elif path.is_file():
            files.append(path)
        else:
            complaints.append(f"ficheiro não encontrado / file not found: {path}")
    return list(dict.fromkeys(files)), complaints


def _print_result(result: ValidatedFile, shown: str) -> None:
    if result.ok:
        print(summary_line(result, shown))
    else:
        n = len(result.problems)
        print(f"inválido/invalid  {shown}: {tn('n.problems', n, 'pt')}/"
              f"{tn('n.problems', n, 'en')}")
        for problem in result.problems:
            print(f"  [{problem.rule}] PT: {problem.message_pt}")
            print(f"  [{problem.rule}] EN: {problem.message_en}")
    for note in result.notes:
        print(f"  nota/note: {note}")


def run(args: argparse.Namespace) -> int:
    files, complaints = files_of(args.paths)
    for complaint in complaints:
        print(complaint, file=sys.stderr)
    results = validate_files(files, today=args.today) if files else []
    if args.json:
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        for path, result in zip(files, results, strict=True):
            _print_result(result, str(path))
        if len(results) > 1:
            bad = sum(not r.ok for r in results)
            print(f"{tn('n.files', len(results), 'pt')}: {tn('n.valid', len(results) - bad, 'pt')}"
                  f", {tn('n.invalid', bad, 'pt')} / {tn('n.files', len(results), 'en')}: "
                  f"{tn('n.valid', len(results) - bad, 'en')}, {tn('n.invalid', bad, 'en')}")
    if complaints:
        return 2
    return 0 if all(r.ok for r in results) else 1
