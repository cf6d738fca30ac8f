"""Software-defined assets of the monthly refresh. No business logic here: each asset calls a
step of ``indicators.pipeline`` / ``indicators.publish`` and reports what it did.

loaded_returns ─▶ monthly_returns (monthly partitions) ─▶ indicator_marts ─▶ protected_tables
    ─▶ published_release ─▶ donor_reports

Every asset that opens the warehouse carries ``pool="warehouse"`` (limit 1 in dagster.yaml:
DuckDB has a single writer).
"""

import warnings
from datetime import date

import dagster as dg

from indicators import pipeline
from indicators.i18n import tn_both
from indicators.publish import publish_release
from indicators.registry import load_registry
from indicators.revision_differences import describe, hidden_revisions
from indicators.warehouse import read_table
from orchestration.defs.partitions import monthly
from orchestration.defs.resources import ObservatoryResource, WarehouseResource

# single-run backfills of the monthly snapshot are "beta" in Dagster 1.13; chosen knowingly
warnings.filterwarnings("ignore", message=".*`backfill_policy`.*", category=dg.BetaWarning)

GROUP = "observatory"
POOL = "warehouse"


class IngestConfig(dg.Config):
    """Files to ingest (the inbox sensor passes the new or changed file); empty = the inbox."""

    files: list[str] = []


@dg.asset(group_name=GROUP, pool=POOL, kinds={"duckdb"},
          description="Partner returns in the inbox, validated and loaded (or quarantined with "
                      "a report). / Declarações dos parceiros validadas e carregadas.")
def loaded_returns(context: dg.AssetExecutionContext, config: IngestConfig,
                   observatory: ObservatoryResource) -> dg.MaterializeResult:
    settings = observatory.settings()
    summary = pipeline.ingest(settings, config.files or None)
    for rejected in summary.rejected:
        context.log.warning(f"rejeitado / rejected: {rejected['file']} "
                            f"({tn_both('n.problems', rejected['problems'])}; "
                            f"relatório / report {rejected['report']})")
    return dg.MaterializeResult(metadata=summary.as_metadata())


def partition_months(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext
                     ) -> tuple[date, date]:
    """The first days of the first and the last month of the partition(s) run or checked."""
    window = context.partition_time_window
    start = window.start.date()
    last = window.end.date()
    end = date(last.year - (last.month == 1), (last.month - 2) % 12 + 1, 1)
    return start, end


@dg.asset(group_name=GROUP, pool=POOL, kinds={"duckdb"}, partitions_def=monthly,
          backfill_policy=dg.BackfillPolicy.single_run(), deps=[loaded_returns],
          description="Monthly snapshot of the current version of every return "
                      "(pipeline.monthly_returns); a range of months is rewritten in one "
                      "transaction. / Instantâneo mensal das declarações em vigor.")
def monthly_returns(context: dg.AssetExecutionContext,
                    warehouse: WarehouseResource) -> dg.MaterializeResult:
    start, end = partition_months(context)
    with warehouse.connect() as con:
        rows = pipeline.refresh_months(con, start, end)
    return dg.MaterializeResult(metadata={"first_month": f"{start:%Y-%m}",
                                          "last_month": f"{end:%Y-%m}", "returns": rows})


@dg.asset(group_name=GROUP, pool=POOL, kinds={"duckdb"}, deps=[monthly_returns],
          description="Every indicator of the registry over the whole history (true values, "
                      "internal). / Todos os indicadores (valores internos).")
def indicator_marts(warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        summary = pipeline.compute_marts(con, load_registry())
    return dg.MaterializeResult(metadata=summary)


@dg.asset(group_name=GROUP, pool=POOL, kinds={"duckdb"}, deps=[indicator_marts],
          description="Indicator values after disclosure control, with the audit verdict "
                      "(protected.*). / Valores após controlo de divulgação.")
def protected_tables(context: dg.AssetExecutionContext, observatory: ObservatoryResource,
                     warehouse: WarehouseResource) -> dg.MaterializeResult:
    registry = load_registry()
    settings = observatory.settings()
    previous, earlier = pipeline.release_values(settings.serving_dir)
    with warehouse.connect() as con:
        protected = pipeline.protect_marts(con, registry, previous, settings.data_dir,
                                           earlier_values=earlier)
        pipeline.store_protected(con, protected)
        revised = hidden_revisions(read_table(con, "protected.cells"),
                                   pipeline.earlier_knowledge(con, earlier), registry)
    hidden = protected.indicator_values.filter(
        protected.indicator_values.get_column("flags").str.contains("c")).height
    warning = (f"{tn_both('revisions.hidden', revised.height)}: "
               + "; ".join(describe(revised, 5))) if revised.height else ""
    if warning:  # see indicators.problems.revisions
        context.log.warning(warning)
    return dg.MaterializeResult(metadata={
        "values": protected.indicator_values.height, "confidential": hidden,
        "audit_ok": protected.audit_ok, "audit_failures": len(protected.audit_failures),
        "hidden_revisions": revised.height, "warnings": warning})


@dg.asset(group_name=GROUP, pool=POOL, kinds={"duckdb"}, deps=[protected_tables],
          description="A new read-only release serving/<release>.duckdb, then the CURRENT "
                      "pointer. / Nova publicação e ponteiro CURRENT.")
def published_release(context: dg.AssetExecutionContext, observatory: ObservatoryResource,
                      warehouse: WarehouseResource) -> dg.MaterializeResult:
    settings = observatory.settings()
    with warehouse.connect() as con:  # one connection (~50 ms to open a warehouse)
        protected = pipeline.load_protected(con, settings.data_dir)
        outcome = publish_release(settings, protected, load_registry())
        pipeline.keep_published_cells(con)
    context.log.info(f"publicado / published {outcome.release_id}: {outcome.summary_en()}")
    return dg.MaterializeResult(metadata={
        "release_id": outcome.release_id, "path": dg.MetadataValue.path(str(outcome.path)),
        "previous_release_id": outcome.previous_release_id or "",
        "summary_en": outcome.summary_en(), "summary_pt": outcome.summary_pt(),
        "removed_releases": ", ".join(outcome.removed_releases)})


@dg.asset(group_name=GROUP, deps=[published_release], kinds={"html", "pdf", "csv", "xlsx"},
          description="Donor report files (EEA Grants results, PT/EN: HTML, PDF, CSV, XLSX) for "
                      "the latest period of the CURRENT release. / Relatórios para o doador.")
def donor_reports(context: dg.AssetExecutionContext,
                  observatory: ObservatoryResource) -> dg.MaterializeResult:
    from indicators.release_files import current_release_id
    from orchestration.reports import write_donor_reports

    settings = observatory.settings()
    release_id = current_release_id(settings.serving_dir)
    if release_id is None:
        raise RuntimeError("nenhuma publicação / no release is CURRENT")
    made = write_donor_reports(settings.serving_dir, settings.data_dir / "reports", release_id)
    for warning in made.warnings:
        context.log.warning(warning)
    return dg.MaterializeResult(metadata={
        "release_id": release_id, "files": len(made.files),
        "warnings": "\n".join(made.warnings),
        "folder": dg.MetadataValue.path(str(settings.data_dir / "reports" / release_id))})
