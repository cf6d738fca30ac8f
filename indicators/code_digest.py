"""One digest of the code and the libraries a stored result depends on (the caches' engine
version): a stored result is reused only while neither changed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def code_digest(label: str, sources: Iterable[str], libraries: Iterable[str]) -> str:
    """SHA-256 over ``label``, every file of ``indicators/`` matching one of the glob
    patterns ``sources`` (name and bytes, sorted per pattern) and the installed versions of
    ``libraries``."""
    digest = hashlib.sha256(label.encode())
    for pattern in sources:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for lib in libraries:
        digest.update(f"{lib} {version(lib)}\0".encode())
    return digest.hexdigest()
