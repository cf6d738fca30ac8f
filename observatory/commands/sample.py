"""`observatory sample`: write a SYNTHETIC, seeded set of partner returns into the inbox."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from indicators.local_time import today as local_today
from indicators.settings import load_settings

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def run(args: argparse.Namespace) -> int:
    from indicators.sample import FIRST_PERIOD, last_complete_month, write_sample

    settings = load_settings()
    until = args.until or last_complete_month(local_today())
    if not _PERIOD.match(until) or until < FIRST_PERIOD:
        print(f"Período inválido / invalid period: {until!r} (AAAA-MM / YYYY-MM, "
              f">= {FIRST_PERIOD})")
        return 2
    inbox = Path(args.out) if args.out else settings.inbox_dir
    invalid = Path(args.invalid_out) if args.invalid_out else settings.data_dir / "sample-invalid"
    print("A gerar DADOS SINTÉTICOS (não são dados reais) / generating SYNTHETIC DATA "
          f"(not real data): seed {args.seed}, {FIRST_PERIOD} … {until}")
    summary = write_sample(inbox, invalid, seed=args.seed, until=until)
    print("\n".join(summary.lines()))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sample",
        help="escreve reportes SINTÉTICOS de exemplo na caixa de entrada / "
        "write SYNTHETIC sample returns into the inbox",
    )
    parser.add_argument("--out", default=None,
                        help="pasta de saída / output folder (default: $OBS_DATA_DIR/inbox)")
    parser.add_argument("--invalid-out", default=None,
                        help="pasta dos ficheiros inválidos / folder for the invalid files "
                        "(default: $OBS_DATA_DIR/sample-invalid)")
    parser.add_argument("--seed", type=int, default=2021, help="semente / seed (default 2021)")
    parser.add_argument("--until", default=None,
                        help="último mês / last month, YYYY-MM (default: last complete month)")
    parser.set_defaults(func=run)
