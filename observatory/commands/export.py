"""`observatory export`: the bulk download of a published release (one zip: every table the
audience may read as CSV, the SDMX files, the methodology and a README)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators.open_data.bulk import bulk_name, bulk_zip, open_release_file
from indicators.open_data.tables import AUDIENCES, audiences_for
from indicators.release_files import ReleaseError, current_release_id, list_releases, release_file
from indicators.settings import load_settings


def run(args: argparse.Namespace) -> int:
    serving = load_settings().serving_dir
    release_id = args.release or current_release_id(serving)
    if release_id is None:
        print(f"Nenhuma publicação em / no release in {serving}", file=sys.stderr)
        return 1
    if release_id not in list_releases(serving):
        kept = ", ".join(list_releases(serving)) or "-"
        print(f"Publicação desconhecida / unknown release {release_id!r} (kept: {kept})",
              file=sys.stderr)
        return 1
    try:
        con = open_release_file(release_file(serving, release_id))
    except ReleaseError as error:
        print(str(error), file=sys.stderr)
        return 1
    try:
        content = bulk_zip(con, "published", audiences_for(args.audience))
    finally:
        con.close()
    out_dir = Path(args.output)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / bulk_name(release_id)
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(content)
    partial.replace(target)
    print(f"Exportado / exported: {target} ({len(content):,} bytes, audiência / audience "
          f"{args.audience})")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="zip de dados abertos de uma publicação (CSV, SDMX, metodologia) / "
        "open-data zip of a release (CSV, SDMX, methodology)")
    parser.add_argument("--release", default=None,
                        help="id da publicação (por omissão: a atual) / release id "
                        "(default: the current one)")
    parser.add_argument("--output", required=True,
                        help="pasta onde escrever o zip / folder to write the zip into")
    parser.add_argument("--audience", choices=AUDIENCES, default="public",
                        help="o que incluir (por omissão: só dados públicos) / what to include "
                        "(default: public data only)")
    parser.set_defaults(func=run)
