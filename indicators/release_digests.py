"""Digests of partner originals must never appear in anything published.

A digest of a small, structured return (a monthly file with one row) can be inverted by
brute force over the contract's codes, so a release, a donor report or a download that
carries one discloses the partner's file. These helpers compute the SHA-256, SHA-1 and MD5 of
every archived and quarantined original and search published bytes for them, whole and as
12-character prefixes (the length of the prefix the warehouse uses in file names).
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import duckdb

PREFIX = 12
_HEX = re.compile(rb"[0-9a-fA-F]{12,}")
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def file_digests(path: Path | str) -> set[str]:
    """SHA-256, SHA-1 and MD5 of a file, kept per version of the file (path, modification
    time, size): one refresh asks for the digests of every archived original twice (the
    release audit check and the publication), ~0.1 ms each."""
    stat = os.stat(path)
    return set(_digests_of(os.fspath(path), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=65536)
def _digests_of(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    data = Path(path).read_bytes()
    return frozenset({hashlib.sha256(data).hexdigest(), hashlib.sha1(data).hexdigest(),
                      hashlib.md5(data).hexdigest()})


def original_digests(con: duckdb.DuckDBPyConnection, data_dir: Path) -> set[str]:
    """Digests of every original the warehouse has seen: those it logged and those of the
    files kept in archive/ and quarantine/ (reports beside them are not originals)."""
    out = {r[0].lower() for r in con.sql("SELECT sha256 FROM core.ingest_log").fetchall()}
    for folder in ("archive", "quarantine"):
        for entry in _files_under(str(data_dir / folder)):
            if ".report." not in entry.name:
                out |= file_digests(entry.path)
    return out


def _files_under(folder: str) -> Iterator[os.DirEntry]:
    """Every file under ``folder``, as ``Path(folder).rglob("*")`` filtered by ``is_file``
    finds them (links to files followed, links to folders not entered), at a third of the
    cost: the directory entries' own types instead of a ``stat`` per path."""
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in listed:
        if entry.is_dir(follow_symlinks=False):
            yield from _files_under(entry.path)
        elif entry.is_file():
            yield entry


def find_digests(blobs: Iterable[tuple[str, bytes]], digests: set[str]) -> list[str]:
    """``where: digest`` for every digest (or 12-character prefix of one) found in ``blobs``
    (pairs of a description and bytes)."""
    prefixes: dict[str, str] = {d[:PREFIX].lower(): d for d in digests}
    found = []
    for where, data in blobs:
        for run in _HEX.findall(data):
            text = run.decode("ascii").lower()
            for i in range(len(text) - PREFIX + 1):
                digest = prefixes.get(text[i:i + PREFIX])
                if digest is not None:
                    found.append(f"{where}: {digest}")
                    break
    return sorted(set(found))


def release_blobs(path: Path) -> Iterator[tuple[str, bytes]]:
    """Every value of every table of a release file, as text (one line per value; lines in
    no particular order: a digest is looked for within a line)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        columns: dict[tuple[str, str], list[str]] = {}
        for schema, table, col in con.sql(
                "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
                "WHERE table_oid IN (SELECT table_oid FROM duckdb_tables()) "
                "ORDER BY schema_name, table_name, column_index").fetchall():
            columns.setdefault((schema, table), []).append(col)
        for (schema, table), cols in columns.items():
            texts = con.sql("SELECT " + ", ".join(
                f'string_agg(CAST("{c}" AS VARCHAR), chr(10))' for c in cols)
                + f' FROM "{schema}"."{table}"').fetchall()[0]
            for col, text in zip(cols, texts, strict=True):
                yield f"{path.name} {schema}.{table}.{col}", (text or "").encode("utf-8")
    finally:
        con.close()
    yield path.name, path.read_bytes()


def file_blobs(folder: Path) -> Iterator[tuple[str, bytes]]:
    """Every published file under ``folder``: raw bytes, XLSX members unzipped, PDF streams
    inflated."""
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        yield str(path), data
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    yield f"{path}!{name}", z.read(name)
        elif path.suffix == ".pdf":
            for i, stream in enumerate(_STREAM.findall(data)):
                try:
                    yield f"{path} stream {i}", zlib.decompress(stream)
                except zlib.error:
                    continue
