"""Asset checks. The blocking ones guard publication: when one fails, the assets downstream
(``published_release``) do not run and the previous release stays CURRENT."""

import warnings
from collections.abc import Callable, Iterator
from datetime import date

import dagster as dg
import duckdb

from indicators import pipeline, plausibility
from indicators.registry import load_registry
from indicators.warehouse import read_sql
from orchestration.defs.assets import (
    POOL,
    loaded_returns,
    monthly_returns,
    partition_months,
    protected_tables,
)
from orchestration.defs.partitions import monthly
from orchestration.defs.resources import ObservatoryResource, WarehouseResource

# partitioned asset checks are "preview" in Dagster 1.13; used for the per-month coverage only
warnings.filterwarnings("ignore", message=".*partitions_def on an AssetCheckSpec.*",
                        category=dg.PreviewWarning)


def _result(failures: list[str], severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR,
            check_name: str | None = None, **metadata: object) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=not failures, severity=severity, check_name=check_name,
        description=("; ".join(failures[:10]) if failures else "ok"),
        metadata={"failures": len(failures), **metadata})


@dg.asset_check(asset=loaded_returns, blocking=True, pool=POOL,
                description="Loaded data satisfy the contract; every rejected file has its "
                            "report in quarantine/. / Dados carregados válidos; cada ficheiro "
                            "rejeitado tem relatório.")
def contract_validity(observatory: ObservatoryResource,
                      warehouse: WarehouseResource) -> dg.AssetCheckResult:
    settings = observatory.settings()
    with warehouse.connect(read_only=True) as con:
        failures = pipeline.contract_problems(con, settings)
        rejected = con.execute(read_sql("core/rejected_count.sql")).fetchall()[0][0]
    return _result(failures, rejected_files_reported=int(rejected))


def _found_in_months(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource,
                     find: Callable[[duckdb.DuckDBPyConnection, date, date], list[str]]
                     ) -> list[str]:
    """What ``find`` reports for the months of the partition(s) checked."""
    start, end = partition_months(context)
    with warehouse.connect(read_only=True) as con:
        return find(con, start, end)


@dg.asset_check(asset=monthly_returns, blocking=False, pool=POOL, partitions_def=monthly,
                description="Every expected partner return arrived for the month (warning "
                            "only). / Todas as declarações esperadas chegaram (aviso).")
def partner_coverage(context: dg.AssetCheckExecutionContext,
                     warehouse: WarehouseResource) -> dg.AssetCheckResult:
    missing = _found_in_months(context, warehouse, pipeline.missing_returns)
    return _result([f"em falta / missing: {m}" for m in missing],
                   severity=dg.AssetCheckSeverity.WARN, missing_returns=len(missing))


@dg.asset_check(asset=monthly_returns, blocking=False, pool=POOL, partitions_def=monthly,
                description="Each return's total is near the partner's usual month (warning "
                            "only; indicators.plausibility). / O total de cada reporte está "
                            "perto do mês habitual do parceiro (aviso).")
def unusual_volumes(context: dg.AssetCheckExecutionContext,
                    warehouse: WarehouseResource) -> dg.AssetCheckResult:
    found = _found_in_months(context, warehouse, plausibility.unusual_volumes)
    return _result(found, severity=dg.AssetCheckSeverity.WARN, unusual_returns=len(found))


DISCLOSURE_AUDIT = ("Disclosure audit: no suppressed cell can be recovered and no count from 1 "
                    "to k-1 would be published. / Auditoria de confidencialidade.")
RELEASE_AUDIT = ("Release-wide audit: what a reader of the whole release (and of the retained "
                 "earlier releases) can prove about every suppressed count (no primary cell "
                 "pinned or bounded inside 1..k-1); no digest of a partner original in anything "
                 "to publish. / Auditoria da publicação inteira.")
RECONCILIATION = ("Published totals equal the sum of their published parts. / Totais publicados "
                  "iguais à soma das partes publicadas.")


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec(name, asset=protected_tables, blocking=True, description=text)
           for name, text in (("disclosure_audit", DISCLOSURE_AUDIT),
                              ("release_audit", RELEASE_AUDIT),
                              ("reconciliation", RECONCILIATION))],
    pool=POOL, can_subset=True,
    description="The three blocking checks of the protected tables in one step: one "
                "connection, the protected tables read once (each would otherwise pay a "
                "Dagster step and ~0.1 s to read them).")
def publication_gates(context: dg.AssetCheckExecutionContext,
                      observatory: ObservatoryResource,
                      warehouse: WarehouseResource) -> Iterator[dg.AssetCheckResult]:
    registry = load_registry()
    wanted = {key.name for key in context.selected_asset_check_keys}
    with warehouse.connect(read_only=True) as con:
        protected = pipeline.load_protected(con, observatory.settings().data_dir)
        if "disclosure_audit" in wanted:
            yield _result(pipeline.disclosure_failures(protected, registry),
                          check_name="disclosure_audit", audit_ok=protected.audit_ok)
        if "release_audit" in wanted:
            review = pipeline.audit_protected(con, protected, registry)
            failures = pipeline.release_audit_failures(review)
            failures += pipeline.digest_failures(protected)
            yield _result(failures, check_name="release_audit", cells=review.cells,
                          suppressed=review.suppressed,
                          recomputable=len(review.recomputable()),
                          seconds=round(review.seconds, 2))
    if "reconciliation" in wanted:
        yield _result(pipeline.reconciliation_failures(protected.indicator_values, registry),
                      check_name="reconciliation")
