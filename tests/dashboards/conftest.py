from __future__ import annotations

from pathlib import Path

import pytest

from bench.fixtures.release import write_release_fixture
from indicators.release_reader import ReleaseStore
from indicators.settings import Settings

_CACHE: dict[str, bytes] = {}


def _release(serving: Path) -> Path:
    """Write the fixture once per session and copy its bytes afterwards (fast)."""
    name = "20240710T060000000000Z-abc123.duckdb"
    if "file" not in _CACHE:
        path = write_release_fixture(serving)
        _CACHE["file"] = path.read_bytes()
        return path
    serving.mkdir(parents=True, exist_ok=True)
    (serving / name).write_bytes(_CACHE["file"])
    (serving / "CURRENT").write_text(name + "\n", encoding="utf-8")
    return serving / name


@pytest.fixture
def release(settings: Settings) -> Path:
    return _release(settings.serving_dir)


@pytest.fixture
def store(release: Path, settings: Settings) -> ReleaseStore:
    s = ReleaseStore(settings.serving_dir)
    yield s
    s.close()
