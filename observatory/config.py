"""Configuration from environment variables, with defaults under ./data/.

| variable | default | meaning |
|---|---|---|
| OBS_DATA_DIR | ./data | root of every file the observatory writes |
| OBS_INBOX_DIR | $OBS_DATA_DIR/inbox | where partner files arrive |
| OBS_WAREHOUSE | $OBS_DATA_DIR/warehouse.duckdb | the pipeline's DuckDB warehouse |

The folders below OBS_DATA_DIR (archive/, quarantine/, serving/) are fixed names.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    inbox_dir: Path
    warehouse_path: Path

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def serving_dir(self) -> Path:
        return self.data_dir / "serving"

    def ensure_dirs(self) -> Settings:
        for folder in (self.data_dir, self.inbox_dir, self.archive_dir,
                       self.quarantine_dir, self.serving_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read settings from ``env`` (default: the process environment)."""
    env = dict(os.environ if env is None else env)
    data_dir = Path(env.get("OBS_DATA_DIR") or "data").resolve()
    inbox = Path(env.get("OBS_INBOX_DIR") or data_dir / "inbox").resolve()
    warehouse = Path(env.get("OBS_WAREHOUSE") or data_dir / "warehouse.duckdb").resolve()
    return Settings(data_dir=data_dir, inbox_dir=inbox, warehouse_path=warehouse)
