"""`observatory ingest [PATH…]`: validate and load partner files (default: the inbox).

One line per file (loaded / rejected / duplicate), then a summary of the warehouse. Exit 0
even when files were rejected (they are kept in quarantine with a report); 1 with
``--strict`` if any file was rejected; 2 on an operational error (e.g. warehouse locked).
Files in the inbox are removed once stored; files named from anywhere else are copied and
left where they are.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import duckdb

from indicators import warehouse
from indicators.i18n import tn
from indicators.ingest import IngestOutcome, expand_paths, in_inbox, ingest_paths, warehouse_totals
from indicators.settings import load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest", help="validar e carregar reportes / validate and load partner returns",
        description="Valida e carrega reportes no armazém / validate and load returns into "
                    "the warehouse. Default: the inbox folder.")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="files or folders (default: $OBS_DATA_DIR/inbox)")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 if any file was rejected")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="reference date for the 'period in the future' rule (YYYY-MM-DD)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings().ensure_dirs()
    paths = args.paths or [settings.inbox_dir]
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        print(f"caminho não encontrado / path not found: {path}", file=sys.stderr)
    if missing:
        return 2

    outside = [p for p in expand_paths(paths) if not in_inbox(p, settings)]

    def show(outcome: IngestOutcome) -> None:
        print(outcome.message, flush=True)

    try:
        outcomes = ingest_paths(paths, settings, today=args.today, on_outcome=show)
        with warehouse.connect(settings.warehouse_path) as con:
            totals = warehouse_totals(con)
    except (duckdb.Error, OSError) as error:
        print(f"erro operacional / operational error: {error}", file=sys.stderr)
        return 2

    if outside:
        print(f"{tn('n.files_outside', len(outside), 'pt')} / "
              f"{tn('n.files_outside', len(outside), 'en')}")
    status = Counter(o.status for o in outcomes)
    rows = sum(o.n_rows for o in outcomes if o.status == "loaded")
    print(f"ficheiros/files: {len(outcomes)} — carregados/loaded {status['loaded']}, "
          f"rejeitados/rejected {status['rejected']}, duplicados/duplicates "
          f"{status['duplicate']}; linhas carregadas/rows loaded {rows}")
    if status["rejected"]:
        print(f"quarentena/quarantine: {settings.quarantine_dir}")
    print(f"armazém/warehouse: {settings.warehouse_path}")
    for t in totals:
        span = f"{t['first_period']}..{t['last_period']}" if t["cells"] else "-"
        print(f"  {t['return_type']:<10} células/cells {t['cells']:>8}  total {t['total']:>8}  "
              f"parceiros/partners {t['partners']}  períodos/periods {span}")
    return 1 if args.strict and status["rejected"] else 0
