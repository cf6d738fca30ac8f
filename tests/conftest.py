"""Shared fixtures: every test gets its own data folder through OBS_DATA_DIR."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.settings import Settings, load_settings


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("OBS_DATA_DIR", str(data_dir))
    monkeypatch.delenv("OBS_INBOX_DIR", raising=False)
    monkeypatch.delenv("OBS_WAREHOUSE", raising=False)
    return load_settings().ensure_dirs()
