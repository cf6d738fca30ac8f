"""`observatory audit-release [RELEASE.duckdb]`: the outsider's view of a release.

Works from the release file and the public methodology only (as any reader could): counts of
published and suppressed cells per indicator, every suppressed cell a reader can compute or
bound inside 1..k-1 (with its derivation), and any digest of a partner original found in the
release or its report files. Exit code 1 on a disclosure or a digest, else 0.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import duckdb
import polars as pl

from indicators.i18n import tn_both
from indicators.registry import load_registry
from indicators.release_audit import audit_release
from indicators.release_digests import file_blobs, file_digests, find_digests, release_blobs
from indicators.release_files import current_release_id, list_releases, release_file
from indicators.revision_differences import (
    describe,
    reader_knowledge,
    revision_disclosures,
)
from indicators.settings import load_settings
from indicators.warehouse import read_sql

LONG_HEX = re.compile(rb"(?<![0-9a-fA-F])(?:[0-9a-fA-F]{64}|[0-9a-fA-F]{40}|[0-9a-fA-F]{32})"
                      rb"(?![0-9a-fA-F])")


def _release_path(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    serving = load_settings().serving_dir
    release_id = current_release_id(serving)
    if release_id is None:
        raise SystemExit("nenhuma publicação CURRENT / no CURRENT release; name a file")
    return release_file(serving, release_id)


def _digests(folders: list[Path]) -> set[str]:
    out: set[str] = set()
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and ".report." not in path.name:
                out |= file_digests(path)
    return out


def _digest_findings(path: Path, reports: list[Path], originals: list[Path]) -> list[str]:
    """Digests of the originals anywhere; and, in the release's values and the text of the
    reports, anything shaped like a SHA-256, SHA-1 or MD5 (not in the raw file bytes nor PDF
    streams: DuckDB pages hold checksums of their own, PDF text is hex-encoded glyphs)."""
    blobs = list(release_blobs(path))
    for folder in reports:
        blobs += list(file_blobs(folder))
    found = find_digests(blobs, _digests(originals)) if originals else []
    for where, data in blobs:
        in_tables = where.startswith(f"{path.name} ")  # a column of the release's tables
        textual = in_tables or "!" in where or where.endswith((".csv", ".html", ".json"))
        if textual:
            found += [f"{where}: looks like a digest {m.decode()}"
                      for m in LONG_HEX.findall(data)]
    return sorted(set(found))


def _earlier_values(path: Path) -> list[pl.DataFrame]:
    """KEY + value of every release kept beside ``path`` that is older than it (what a reader
    who kept them holds); none when ``path`` is not in a serving folder."""
    out = []
    for release_id in list_releases(path.parent):
        if release_id >= path.stem:
            continue
        con = duckdb.connect(str(release_file(path.parent, release_id)), read_only=True)
        try:
            out.append(con.sql(read_sql("pipeline/release_known_values.sql")).pl())
        finally:
            con.close()
    return out


def run(args: argparse.Namespace) -> int:
    path = _release_path(args.release)
    con = duckdb.connect(str(path), read_only=True)
    try:
        values = con.sql(read_sql("publish/indicator_values.sql")).pl()
        eea = con.sql(read_sql("publish/eea_results.sql")).pl()
    finally:
        con.close()
    review = audit_release(values, load_registry(), None, eea)
    settings = load_settings()
    originals = [Path(p) for p in args.originals] if args.originals is not None else [
        d for d in (settings.archive_dir, settings.quarantine_dir) if d.is_dir()]
    reports = [Path(p) for p in args.reports] if args.reports is not None else [
        d for d in [settings.data_dir / "reports" / path.stem] if d.is_dir()]
    digests = _digest_findings(path, reports, originals)

    print(f"Publicação / release: {path.name}")
    print(f"{'indicator':28} {'cells':>6} {'published':>9} {'suppressed':>10} narrowest")
    for row in review.summary().iter_rows(named=True):
        narrow = ("" if row["narrowest_low"] is None
                  else f"[{row['narrowest_low']:g}, {row['narrowest_high']:g}]")
        print(f"{row['indicator']:28} {row['cells']:>6} {row['published']:>9} "
              f"{row['suppressed']:>10} {narrow}")
    print(review.to_text(limit=args.limit))
    earlier = _earlier_values(path)
    revised = revision_disclosures(reader_knowledge(values, review.intervals), earlier,
                                   load_registry())
    print(f"{tn_both('revisions.small', revised.height)} "
          f"({tn_both('n.releases_compared', len(earlier))})")
    for line in describe(revised, args.limit):
        print(f"  REVISION {line}")
    print(f"originais procurados / originals searched: {tn_both('n.folders', len(originals))}; "
          f"digests found / encontrados: {len(digests)}")
    for line in digests[:args.limit]:
        print(f"  DIGEST {line}")
    return 1 if (not review.ok or digests or revised.height) else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit-release",
        help="o que um leitor externo prova a partir de uma publicação / "
        "what an outside reader can prove from a release (exit 1 on a disclosure)",
    )
    parser.add_argument("release", nargs="?", default=None,
                        help="ficheiro da publicação / release file (default: CURRENT)")
    parser.add_argument("--originals", nargs="*", default=None,
                        help="pastas de originais a procurar / folders of partner originals "
                        "whose digests to look for (default: archive/ and quarantine/)")
    parser.add_argument("--reports", nargs="*", default=None,
                        help="pastas de relatórios publicados / published report folders "
                        "(default: reports/<release>)")
    parser.add_argument("--limit", type=int, default=40,
                        help="linhas por lista / lines per list (default 40)")
    parser.set_defaults(func=run)
