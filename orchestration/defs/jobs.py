"""Jobs. ``monthly_refresh``: every asset and check, for a month or a range of months (the
partitioned snapshot runs once per range, the marts, protection and publication once per run).
``inbox_ingest``: the inbox sensor's job, ingestion and its contract check only; the next
refresh publishes what it loaded."""

import dagster as dg

from orchestration.defs.assets import loaded_returns

monthly_refresh = dg.define_asset_job(
    "monthly_refresh", selection=dg.AssetSelection.all(),  # partitioned by monthly_returns
    description="Ingest the inbox, refresh the month(s), recompute every indicator, protect, "
                "check and publish. / Atualização mensal completa.")

inbox_ingest = dg.define_asset_job(
    "inbox_ingest", selection=dg.AssetSelection.assets(loaded_returns),
    description="Validate and load new or changed inbox files. / Validar e carregar ficheiros "
                "novos ou alterados.")
