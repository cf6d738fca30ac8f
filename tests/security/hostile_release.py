"""A release whose rejections carry HTML/script in partner-supplied file names (built once)."""

from __future__ import annotations

from pathlib import Path

from bench.fixtures.release import point_current, write_release_fixture

HOSTILE_NAME = "<img src=x onerror=alert(1)>.csv"
RELEASE = "20240801T060000000000Z-e5c4pe"
_BYTES: dict[str, bytes] = {}


def write_hostile_release(serving: Path) -> Path:
    serving.mkdir(parents=True, exist_ok=True)
    path = serving / f"{RELEASE}.duckdb"
    if "file" not in _BYTES:
        write_release_fixture(serving, RELEASE, extra_rejected_files=(HOSTILE_NAME,))
        _BYTES["file"] = path.read_bytes()
    else:
        path.write_bytes(_BYTES["file"])
        point_current(serving, path.name)
    return path
