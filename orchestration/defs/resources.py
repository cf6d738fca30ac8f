"""Resources: the observatory's settings and its DuckDB warehouse, from environment variables
(OBS_DATA_DIR, OBS_INBOX_DIR, OBS_WAREHOUSE; see observatory/config.py), read when a run
starts, not when the definitions are imported."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from indicators import warehouse
from observatory.config import Settings, load_settings


class ObservatoryResource(dg.ConfigurableResource):
    """Folders of the observatory. ``data_dir`` overrides OBS_DATA_DIR (tests)."""

    data_dir: str | None = None

    def settings(self) -> Settings:
        env = dict(os.environ)
        if self.data_dir:
            env["OBS_DATA_DIR"] = self.data_dir
            env.pop("OBS_INBOX_DIR", None)
            env.pop("OBS_WAREHOUSE", None)
        return load_settings(env).ensure_dirs()


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse (single writer: every asset using it carries pool="warehouse").
    ``path`` overrides OBS_WAREHOUSE / $OBS_DATA_DIR/warehouse.duckdb (tests)."""

    path: str | None = None

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        target = Path(self.path).resolve() if self.path else load_settings().warehouse_path
        with warehouse.connect(target, read_only=read_only) as con:
            yield con


def resources_for(data_dir: str | None = None) -> dict[str, dg.ConfigurableResource]:
    """The resources, optionally bound to one data folder (tests, the refresh command)."""
    if data_dir is None:
        return {"observatory": ObservatoryResource(), "warehouse": WarehouseResource()}
    settings = ObservatoryResource(data_dir=data_dir).settings()
    return {"observatory": ObservatoryResource(data_dir=data_dir),
            "warehouse": WarehouseResource(path=str(settings.warehouse_path))}


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(resources=resources_for())
