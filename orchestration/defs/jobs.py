"""Jobs. ``monthly_refresh``: every asset and check, for a month or a range of months (the
partitioned snapshot runs once per range, the marts, protection and publication once per run).
``inbox_ingest``: the inbox sensor's job, ingestion and its contract check only; the next
refresh publishes what it loaded.

Both run every step in the run's own process (``in_process_executor``). The run launcher
already starts each run as a fresh process; the multiprocess executor would start another
Python process per step (3-5 s of imports each) although the warehouse pool (limit 1,
dagster.yaml) lets only one step touch DuckDB at a time anyway. The pool still applies:
the in-process executor claims a pool slot for each step, across runs (bench/bench_daemon.py
measures a refresh launched this way)."""

import dagster as dg

from orchestration.defs.assets import loaded_returns

monthly_refresh = dg.define_asset_job(
    "monthly_refresh", selection=dg.AssetSelection.all(),  # partitioned by monthly_returns
    executor_def=dg.in_process_executor,
    description="Ingest the inbox, refresh the months it touches, recompute every indicator, "
                "protect, check and publish. / Atualização mensal completa.")

inbox_ingest = dg.define_asset_job(
    "inbox_ingest", selection=dg.AssetSelection.assets(loaded_returns),
    executor_def=dg.in_process_executor,
    description="Validate and load new or changed inbox files. / Validar e carregar ficheiros "
                "novos ou alterados.")
