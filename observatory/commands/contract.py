"""`observatory contract`: print or write the human-readable partner-return contract."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators.contract.document import render_contract_markdown


def run(args: argparse.Namespace) -> int:
    text = render_contract_markdown()
    if args.out is None:
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"Contrato escrito em / contract written to {out}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "contract",
        help="imprime ou escreve o contrato de reporte (PT/EN) / "
        "print or write the partner-return contract (PT/EN)",
    )
    parser.add_argument("--out", default=None,
                        help="ficheiro Markdown a escrever / Markdown file to write "
                        "(e.g. docs/contract.md); default: standard output")
    parser.set_defaults(func=run)
