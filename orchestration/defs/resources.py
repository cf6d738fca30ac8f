"""Resources: the observatory's settings and its DuckDB warehouse, from environment variables
(see indicators/settings.py), read when a run
starts, not when the definitions are imported."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from indicators import warehouse
from indicators.settings import Settings, load_settings


class ObservatoryResource(dg.ConfigurableResource):
    """Folders of the observatory. ``data_dir`` overrides OBS_DATA_DIR (tests)."""

    data_dir: str | None = None

    def settings(self) -> Settings:
        settings = load_settings()
        if self.data_dir:
            settings = settings.with_data_dir(self.data_dir)
        return settings.ensure_dirs()


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
