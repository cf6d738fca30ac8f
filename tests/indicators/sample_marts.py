"""The SYNTHETIC sample's returns loaded, refreshed and turned into marts (real pipeline steps),
for tests that protect or publish them."""

from __future__ import annotations

from datetime import date

from indicators import pipeline, warehouse
from indicators.registry import Registry
from indicators.sample import write_sample
from indicators.settings import Settings


def sample_marts(settings: Settings, registry: Registry, seed: int, until: str) -> None:
    """Sample ``seed`` from January 2021 to ``until`` (YYYY-MM) in the settings' data folder,
    ingested, every month refreshed, the marts computed."""
    write_sample(settings.inbox_dir, settings.data_dir / "sample-invalid", seed=seed,
                 until=until)
    pipeline.ingest(settings)
    with warehouse.connect(settings.warehouse_path) as con:
        pipeline.refresh_months(con, date(2021, 1, 1),
                                date(int(until[:4]), int(until[5:7]), 1))
        pipeline.compute_marts(con, registry)
