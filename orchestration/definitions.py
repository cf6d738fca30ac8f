"""Dagster entry point: every definition lives in the ``defs/`` folder, one module per concern
(resources, partitions, assets, checks, sensors, schedules). Load with ``dg check defs`` or
``dagster dev -m orchestration.definitions``."""

from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
