"""`observatory template --partner CODE --period YYYY-MM [--out FILE]`: an XLSX template."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from indicators.template import allowed_return_types, build_template

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def run(args: argparse.Namespace) -> int:
    partner = args.partner.strip().upper()
    if not _PERIOD.match(args.period):
        print(f"Período inválido / invalid period: {args.period!r} (AAAA-MM / YYYY-MM)")
        return 2
    try:
        types = allowed_return_types(partner)
    except KeyError:
        print(f"Parceiro não registado / partner not registered: {partner!r}")
        return 2
    out = Path(args.out) if args.out else Path(f"{partner}_{args.period}_modelo.xlsx")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(build_template(partner, args.period))
    print(f"Modelo escrito em / template written to {out} "
          f"(folhas / sheets: {', '.join(types)})")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "template",
        help="escreve um modelo XLSX para um parceiro e mês / "
        "write an XLSX return template for a partner and month",
    )
    parser.add_argument("--partner", required=True, help="código do parceiro / partner code")
    parser.add_argument("--period", required=True, help="mês / month, YYYY-MM")
    parser.add_argument("--out", default=None,
                        help="ficheiro a escrever / file to write "
                        "(default: PARTNER_PERIOD_modelo.xlsx)")
    parser.set_defaults(func=run)
