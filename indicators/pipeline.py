"""The pipeline's steps as plain functions (no Dagster): the orchestration assets call these.

Each step takes an open warehouse connection (or settings) and returns data. Between steps,
everything lives in the warehouse, so each Dagster step may run in its own process:

- ``pipeline.monthly_returns``  monthly snapshot of the current returns (partitioned asset);
- ``marts.*``                   indicators (``indicators.compute``);
- ``protected.*``               the protected tables and the audit verdict, ready to publish.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from indicators.contract import load_contract
from indicators.i18n import tn
from indicators.protection_cache import ProtectionCache, load_cache, save_cache
from indicators.publish import ProtectedRelease, unprotected_small_counts
from indicators.registry import Registry, load_expected
from indicators.rejection_summaries import published_rejections
from indicators.release_audit import (
    ReleaseAudit,
    audit_frame,
    audit_release,
    describe_cell,
    publish_known,
    publish_pinned,
    with_earlier_releases,
)
from indicators.release_audit_cache import CACHE as BOUNDS
from indicators.release_audit_cache import load_bounds, save_bounds
from indicators.release_union import release_view
from indicators.revision_differences import reader_knowledge, revision_failures
from indicators.warehouse import (
    drop_table,
    read_sql,
    read_table,
    replace_table,
    run_sql_file,
    table_exists,
)

LOG = logging.getLogger(__name__)

if TYPE_CHECKING:
    from indicators.ingest import IngestOutcome
    from indicators.settings import Settings

PROTECTED_TABLES = ("indicator_values", "eea_results", "data_quality", "rejections",
                    "disclosure_audit", "audited_values")
# Breakdowns whose codes partition the total (every person in exactly one code); the
# citizenship breakdown publishes selected countries only, so it is not reconciled.
COMPLETE_BREAKDOWNS = ("sex", "age_group", "citizenship_group", "exploitation", "signalled_by",
                       "support", "audience")
TOLERANCE = 1e-6


class PipelineStepMissing(RuntimeError):
    """A step's implementation is not available in this installation."""


# ---------------------------------------------------------------- ingest


@dataclass(frozen=True)
class IngestSummary:
    loaded: list[str] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)   # {file, report, problems}
    duplicate: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)     # YYYY-MM touched by loaded files

    def as_metadata(self) -> dict:
        return {"loaded": len(self.loaded), "rejected": len(self.rejected),
                "duplicate": len(self.duplicate), "periods": ", ".join(self.periods),
                "rejected_files": ", ".join(r["file"] for r in self.rejected)}


def summarise_ingest(outcomes: list[IngestOutcome]) -> IngestSummary:
    summary = IngestSummary()
    periods: set[str] = set()
    for outcome in outcomes:
        if outcome.status == "loaded":
            summary.loaded.append(outcome.file_name)
            periods.update(p.strftime("%Y-%m") for p in outcome.periods)
        elif outcome.status == "rejected":
            summary.rejected.append({
                "file": outcome.file_name,
                "report": str(outcome.report_path) if outcome.report_path else None,
                "problems": len(outcome.problems)})
        else:
            summary.duplicate.append(outcome.file_name)
    summary.periods.extend(sorted(periods))
    return summary


def ingest(settings: Settings, files: list[str] | None = None) -> IngestSummary:
    """Ingest the named files (those still present), or the whole inbox when ``files`` is
    None. Files named but gone (already ingested by another run) are skipped."""
    from indicators.ingest import ingest_paths

    settings.ensure_dirs()
    if files is None:
        paths = [settings.inbox_dir]
    else:
        paths = [Path(f) for f in files if Path(f).is_file()]
        if not paths:
            return IngestSummary()
    return summarise_ingest(ingest_paths(paths, settings))


def contract_problems(con: duckdb.DuckDBPyConnection, settings: Settings) -> list[str]:
    """Why the loaded data would not be valid under the contract, or a rejected file is not
    reported (no report beside it in quarantine/). Empty when all is well."""
    contract = load_contract()
    problems: list[str] = []
    for return_type, spec in contract.returns.items():
        view = f"core.{return_type}"
        coded = {column: allowed for column in spec.columns
                 if (allowed := contract.allowed_codes(column, return_type)) is not None
                 and column not in ("partner", "period", "count")}
        found: dict[str, set] = {column: set() for column in coded}
        if coded:
            pattern = "^(" + "|".join(re.escape(column) for column in coded) + ")$"
            for column, code in con.execute(read_sql("pipeline/distinct_codes.sql"), {
                    "view": view, "column_pattern": pattern}).fetchall():
                found[column].add(code)
        for column, allowed in coded.items():
            unknown = sorted(found[column] - set(allowed))
            if unknown:
                problems.append(f"{return_type}.{column}: códigos desconhecidos / unknown codes "
                                f"{unknown[:5]}")
        bad = con.execute(read_sql("pipeline/invalid_cells.sql"),
                          {"view": view}).fetchall()[0][0]
        if bad:
            problems.append(f"{return_type}: {tn('n.invalid_cells', bad, 'pt')} / "
                            f"{tn('n.invalid_cells', bad, 'en')}")
    rejected = con.execute(read_sql("pipeline/rejected_files.sql")).fetchall()
    for file_name, stored in rejected:
        stored_path = settings.data_dir / stored
        report = stored_path.with_name(stored_path.name + ".report.txt")
        if not stored_path.is_file() or not report.is_file():
            problems.append(f"ficheiro rejeitado sem relatório / rejected file without a "
                            f"report: {file_name}")
    return problems


# ---------------------------------------------------------------- monthly partitions


def refresh_months(con: duckdb.DuckDBPyConnection, start: date, end: date) -> int:
    """Rewrite the months ``start``..``end`` of ``pipeline.monthly_returns`` in one
    transaction; return the rows the range now holds."""
    run_sql_file(con, "pipeline/schema.sql")
    con.begin()
    try:
        for step in ("pipeline/delete_months.sql", "pipeline/insert_months.sql"):
            run_sql_file(con, step, {"start": start, "end": end})
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return int(con.execute(read_sql("pipeline/count_months.sql"),
                           {"start": start, "end": end}).fetchall()[0][0])


def missing_returns(con: duckdb.DuckDBPyConnection, start: date, end: date) -> list[str]:
    """Expected returns (registry) not received for the months ``start``..``end``."""
    if not table_exists(con, "pipeline.monthly_returns"):
        received: set = set()
    else:
        received = {(p, rt, d) for p, rt, d in con.execute(
            read_sql("pipeline/coverage.sql"), {"start": start, "end": end}).fetchall()}
    missing = []
    for month in months_between(start, end):
        for e in load_expected().entries:
            if e.first <= month and (e.last is None or month <= e.last) and \
                    (e.partner, e.return_type, month) not in received:
                missing.append(f"{e.partner}/{e.return_type}/{month:%Y-%m}")
    return missing


def months_between(start: date, end: date) -> list[date]:
    months, current = [], date(start.year, start.month, 1)
    while current <= end:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


# ---------------------------------------------------------------- indicators and protection


def compute_marts(con: duckdb.DuckDBPyConnection, registry: Registry) -> dict:
    from indicators.compute import compute_all

    summary = compute_all(con, registry)
    return {"rows": summary.rows, "count_rows": summary.count_rows,
            "derived_rows": summary.derived_rows, "first_period": summary.first_period,
            "last_period": summary.last_period, "seconds": round(summary.seconds, 3)}


def current_release_values(serving_dir: Path) -> pl.DataFrame | None:
    """The published values of the release CURRENT names (None when there is none)."""
    return release_values(serving_dir, retained=False)[0]


def retained_release_values(serving_dir: Path) -> list[pl.DataFrame]:
    """The published values (KEY + value) of every retained release, oldest first: what a
    reader who kept them all knows."""
    return release_values(serving_dir)[1]


def release_values(serving_dir: Path, retained: bool = True
                   ) -> tuple[pl.DataFrame | None, list[pl.DataFrame]]:
    """:func:`current_release_values` and (``retained``) :func:`retained_release_values`,
    reading each release file once, attached one after the other to one in-memory
    connection (half the cost of a connection per file, ~50 ms each)."""
    from indicators.release_files import current_release_id, list_releases

    current = current_release_id(serving_dir)
    ids = list_releases(serving_dir) if retained else []
    if current is not None and current not in ids:
        ids.append(current)
    values: pl.DataFrame | None = None
    known: list[pl.DataFrame] = []
    con = duckdb.connect()
    try:
        for release_id in ids:
            run_sql_file(con, "pipeline/attach_release.sql",
                         {"path": str(serving_dir / f"{release_id}.duckdb")})
            try:
                run_sql_file(con, "pipeline/use_release.sql")
                if release_id == current:
                    values = con.sql(read_sql("pipeline/release_values.sql")).pl()
                if retained:
                    known.append(con.sql(read_sql("pipeline/release_known_values.sql")).pl())
            finally:
                run_sql_file(con, "pipeline/detach_release.sql")
    finally:
        con.close()
    return values, known


def is_synthetic(data_dir: Path | None, env: dict | None = None) -> bool:
    """True when the data come from ``observatory sample`` (its marker file lies in the data
    folder) or OBS_SYNTHETIC=1."""
    from indicators.sample import SYNTHETIC_README
    from indicators.settings import load_settings

    if load_settings(env).pipeline.synthetic:
        return True
    return data_dir is not None and (data_dir / SYNTHETIC_README).is_file()


def protect_marts(con: duckdb.DuckDBPyConnection, registry: Registry,
                  previous_values: pl.DataFrame | None = None,
                  data_dir: Path | None = None,
                  earlier_values: list[pl.DataFrame] | None = None) -> ProtectedRelease:
    """Disclosure control on the marts (after :func:`compute_marts`), with the glue of
    ``indicators.problems``: protect every problem jointly (cells hidden in the last
    published protection stay hidden while their count is unchanged), derive the published
    values, the EEA Grants results, data quality and rejections. Also stores the protected
    cells (true counts, warehouse only) as ``protected.cells``. ``earlier_values``: the
    retained releases' published values (:func:`retained_release_values`): a cell they
    published with the count it has now stays published, and one 1 .. k-1 persons away from
    what they or any earlier publication (:func:`earlier_knowledge`) published is protected
    as a revision (the gate refuses the release if the result still shows such a
    difference: :mod:`indicators.revision_differences`)."""
    from indicators import problems as protection
    from indicators.compute import count_values
    from indicators.flags import month_status

    previous_cells = (read_table(con, "protected.published_cells")
                      if table_exists(con, "protected.published_cells") else None)
    if previous_cells is not None and previous_values is not None:
        # only cells the last release contains bind (not e.g. the total of a year that was
        # not complete: hidden or not, it was never published and its status means nothing)
        previous_cells = previous_cells.join(previous_values.select(protection.KEY).unique(),
                                             on=protection.KEY, how="semi")
    problems = protection.build_problems(con, registry)
    cache = load_cache(con)
    load_bounds(con)
    status = month_status(con.sql(read_sql("marts/month_states.sql")).pl())
    counts = count_values(con, registry)
    latest, complete = con.sql(read_sql("pipeline/latest_periods.sql")).fetchall()[0]
    ever = earlier_knowledge(con, earlier_values)

    def protect_and_audit(previous: pl.DataFrame | None, earlier: list | None,
                          released: pl.DataFrame | None = None):
        protected = protection.protect_all(problems, previous=_without(previous, released),
                                           cache=cache, earlier=ever)
        return _merged_and_audited(protected, _without_all(earlier, released), lambda p: (
            _audited_values(p, registry, counts, status, previous_values, complete or latest,
                            earlier_values)))

    protected, values, eea, review, judged = protect_and_audit(previous_cells, earlier_values)
    released = None
    for _ in range(3):
        if not release_audit_failures(review) or (previous_cells is None
                                                  and not earlier_values):
            break
        # Keeping what earlier releases published can leave a pattern the release-wide audit
        # refuses (e.g. after a revision, a status breakdown dropped as too small beside its
        # sibling statuses kept published). Then, in the problems holding a disclosed cell,
        # only stable suppression binds (cells hidden in the last release stay hidden): their
        # cells published before are free to be hidden, the other problems keep theirs.
        released = _problem_keys(problems, review, released)
        LOG.warning("release-wide audit refused the cells kept from earlier releases; "
                    "%d cells of the problems holding a disclosed cell protected afresh",
                    released.height)
        protected, values, eea, review, judged = protect_and_audit(
            previous_cells, earlier_values, released)
    if release_audit_failures(review) and (previous_cells is not None or earlier_values):
        # last resort: the whole release is protected afresh under stable suppression
        LOG.warning("release-wide audit still refused: the whole release protected afresh")
        hidden_before = (previous_cells.filter(pl.col("status") != protection.PUBLISHED)
                         if previous_cells is not None else None)
        protected, values, eea, review, judged = protect_and_audit(hidden_before, None)
    failures = _gate_failures(protected.audits, review, values, ever, registry)
    _store_cells(con, protected.cells, cache, reader_knowledge(values, review.intervals))
    return ProtectedRelease(
        indicator_values=values, audit_ok=not failures, audit_failures=tuple(failures),
        threshold=_main_threshold(registry),
        zeros_publishable=all(i.disclosure.zeros_publishable for i in registry.counts()),
        eea_results=eea,
        data_quality=con.sql(read_sql("pipeline/published_data_quality.sql")).pl(),
        rejections=published_rejections(con),
        disclosure_audit=audit_frame(review), audited_values=judged,
        latest_period=latest, latest_complete_period=complete,
        synthetic=is_synthetic(data_dir))


def earlier_knowledge(con: duckdb.DuckDBPyConnection,
                      earlier: list[pl.DataFrame] | None) -> list[pl.DataFrame]:
    """What every earlier publication told a reader: the ``earlier`` (retained) releases'
    values (KEY + value) and what every release of this warehouse told of each value
    (``protected.released_knowledge``, KEY + low + high: the value, or the interval the
    release-wide audit proved for a hidden one; also of releases no longer retained, which a
    reader may have kept). Revisions are protected against all of them."""
    ever = list(earlier or [])
    if table_exists(con, "protected.released_knowledge"):
        ever.append(con.sql(read_sql("pipeline/released_knowledge.sql")).pl())
    return ever


def _gate_failures(audits: dict, review: ReleaseAudit, values: pl.DataFrame,
                   earlier: list[pl.DataFrame] | None, registry: Registry) -> list[str]:
    """Why the protected release must not be published: a problem's audit failed, the
    release-wide audit proves a small count, or a count shows a small revision against an
    earlier release (:func:`indicators.revision_differences.revision_failures`)."""
    failures: list[str] = []
    for name, report in audits.items():
        if report is None:
            failures.append(f"{name}: sem auditoria / not audited")
        elif not report.ok:
            failures += [f"{name}: {f}" for f in list(report.failures)[:20]]
    failures += release_audit_failures(review)
    return failures + revision_failures(values, earlier, review.intervals, registry)


def _merged_and_audited(protected, known: list[pl.DataFrame] | None,
                        audit: Callable[[object], tuple]) -> tuple:
    """``(protected, *audit(protected))`` with the problems' cells merged as usual; if the
    release-wide audit refuses that release, merged again leaving out every cell some
    problem never publishes (:func:`indicators.problems.running.one_status_per_key`).
    ``known``: the earlier releases' values (a cell they published stays published)."""
    for leave_out in (False, True):
        protected.cells = publish_known(protected.merged(leave_out), known)
        result = audit(protected)
        if not release_audit_failures(result[2]):
            break
        if not leave_out:
            LOG.warning("release-wide audit refused the release: cells some protection problem "
                        "never publishes are left out of it")
    return (protected, *result)


def _store_cells(con: duckdb.DuckDBPyConnection, cells: pl.DataFrame,
                 cache: ProtectionCache, knowledge: pl.DataFrame) -> None:
    """``protected.cells`` (true counts, warehouse only), what a reader of the release knows
    of each value (``protected.reader_knowledge``: the value or the interval the
    release-wide audit proves; recorded as published by :func:`keep_published_cells`) and
    the protection results this protection used (``protected.problem_cache``, see
    :mod:`indicators.protection_cache`; the release-wide audit's component bounds,
    :mod:`indicators.release_audit_cache`)."""
    run_sql_file(con, "pipeline/create_protected_schema.sql")
    replace_table(con, "protected.cells", cells)
    replace_table(con, "protected.reader_knowledge", knowledge)
    save_cache(con, cache)
    save_bounds(con)
    LOG.info("protection problems: %d reused unchanged, %d solved; release audit components: "
             "%d reused, %d solved", cache.hits, cache.misses, BOUNDS.hits, BOUNDS.misses)


def _problem_keys(problems: list, review: ReleaseAudit,
                  released: pl.DataFrame | None) -> pl.DataFrame:
    """The value keys of every problem holding a cell the release-wide audit finds
    disclosed, with ``released`` (the keys released before)."""
    from indicators import problems as protection

    bad = pl.DataFrame([c.key for c in review.disclosed()], schema=protection.KEY,
                       orient="row")
    parts = [released] if released is not None else []
    for p in problems:
        keys = protection.protect_cells_codes(p).select(protection.KEY)
        if keys.join(bad, on=protection.KEY, how="semi").height:
            parts.append(keys)
    return pl.concat(parts).unique() if parts else bad


def _without(previous: pl.DataFrame | None, released: pl.DataFrame | None
             ) -> pl.DataFrame | None:
    """``previous`` protected cells without the published ones among ``released`` keys."""
    if previous is None or released is None:
        return previous
    from indicators.problems import KEY, PUBLISHED

    free = previous.filter(pl.col("status") == PUBLISHED).join(released, on=KEY, how="semi")
    return previous.join(free.select(KEY), on=KEY, how="anti")


def _without_all(earlier: list[pl.DataFrame] | None, released: pl.DataFrame | None
                 ) -> list[pl.DataFrame] | None:
    from indicators.problems import KEY

    if not earlier or released is None:
        return earlier
    return [e.join(released, on=KEY, how="anti") for e in earlier]


def _audited_values(protected, registry: Registry, counts: pl.DataFrame,
                    status: pl.DataFrame, previous_values: pl.DataFrame | None,
                    as_of: date | None, earlier: list[pl.DataFrame] | None = None
                    ) -> tuple[pl.DataFrame, pl.DataFrame, ReleaseAudit, pl.DataFrame | None]:
    """Published values, their EEA results, their release-wide audit and the frame it
    judged. Secondary cells the audit pins to one value are published (they protect
    nothing) and the release is audited again; the protected cells (``protected.cells``)
    are updated to match. With ``earlier`` (the retained releases' published values, all of
    them: the reader holds them), the union of the releases is audited instead of the release
    alone (:mod:`indicators.release_union`: it knows more, so it is the stricter audit) and
    returned as the frame judged; None when the release alone was."""
    from indicators import problems as protection

    def values_for(cells: pl.DataFrame) -> pl.DataFrame:
        return protection.build_published_values(
            cells, registry, counts, status, release_id="",
            previous=previous_values).drop("release_id")

    def audit(cells: pl.DataFrame) -> tuple:
        values = values_for(cells)
        eea = eea_rows(values, registry, as_of)
        judged = (with_earlier_releases(values, earlier, _true_counts(cells, counts))
                  if earlier else None)
        review = audit_release(values if judged is None else judged, registry, cells, eea)
        return values, eea, review, judged

    values, eea, review, judged = audit(protected.cells)
    for _ in range(3):
        pinned = review.recomputable_secondary()
        if not pinned:
            break
        protected.cells = publish_pinned(protected.cells, pinned)
        values, eea, review, judged = audit(protected.cells)
    if judged is not None:
        review = release_view(review, values, judged, registry)
    return values, eea, review, judged


def _true_counts(cells: pl.DataFrame, counts: pl.DataFrame) -> pl.DataFrame:
    """KEY + count of every count the warehouse holds now: the protected cells, then the
    marts' counts no problem protects (e.g. a grain a release no longer publishes), to tell
    which values of earlier releases the reader still holds with the count they have now."""
    from indicators.problems import KEY

    protected = cells.select(*KEY, pl.col("count").cast(pl.Float64))
    rest = (counts.filter(pl.col("value").is_not_null())
            .select(*KEY, pl.col("value").cast(pl.Float64).alias("count"))
            .join(protected, on=KEY, how="anti"))
    return pl.concat([protected, rest]).unique(KEY, keep="first")


def release_audit_failures(review: ReleaseAudit) -> list[str]:
    """The release-wide audit's disclosures, as gate failures."""
    return [f"release-wide audit / auditoria da publicação: {describe_cell(c)} in/em "
            f"[{c.low:g}, {c.high:g}]: {c.how}" for c in review.disclosed()[:20]]


def audit_protected(con: duckdb.DuckDBPyConnection, protected: ProtectedRelease,
                    registry: Registry) -> ReleaseAudit:
    """The release-wide audit of the protected values in the warehouse (the gate): of their
    union with the retained releases when the protection audited that (a reader holds them
    all), with the true counts of the protected cells telling primary from secondary cells."""
    truth = (read_table(con, "protected.cells")
             if table_exists(con, "protected.cells") else None)
    return audit_release(protected.judged_values(), registry, truth, protected.eea_results)


def keep_published_cells(con: duckdb.DuckDBPyConnection) -> None:
    """After a successful publication: the protected cells become the reference that the
    next protection keeps hidden (stable suppression across releases), and what the release
    told a reader is recorded (``protected.released_knowledge``, see
    :func:`earlier_knowledge`)."""
    if table_exists(con, "protected.cells"):
        run_sql_file(con, "pipeline/keep_published_cells.sql")
    if table_exists(con, "protected.reader_knowledge"):
        run_sql_file(con, "pipeline/record_reader_knowledge.sql")


def _main_threshold(registry: Registry) -> int:
    ks = [i.disclosure.threshold for i in registry.counts() if i.disclosure.applies]
    return int(min(ks)) if ks else 1


def eea_rows(values: pl.DataFrame, registry: Registry, as_of: date | None) -> pl.DataFrame:
    """``published.eea_results`` rows: for every calendar year and interim-report period up
    to ``as_of`` (the latest complete month), achieved in the period and to date, from the
    published values (``indicators.eea_results``)."""
    from indicators.eea_results import (
        PERIOD_SCHEMA,
        period_results,
        reporting_periods,
        series_by_indicator,
    )

    periods = reporting_periods(registry, as_of) if as_of is not None else []
    series = series_by_indicator(values) if periods else {}
    parts = [period_results(values, registry, p, series) for p in periods]
    parts = [p for p in parts if p.height]
    return pl.concat(parts) if parts else pl.DataFrame(schema=PERIOD_SCHEMA)


# The protected tables this process last wrote, by the generation written with them: the
# gates and the publication (same process under the in-process executor) then read the
# release_meta row instead of the tables. The tables are written only by store_protected,
# with a new generation each time, so an equal generation means equal tables.
_STORED: dict[str, dict[str, pl.DataFrame | None]] = {}


def store_protected(con: duckdb.DuckDBPyConnection, protected: ProtectedRelease) -> None:
    """Write the protected tables and the audit verdict into the warehouse (``protected.*``),
    replacing the previous ones in one transaction."""
    generation = uuid.uuid4().hex  # a new one at every write: equal generation, equal tables
    run_sql_file(con, "pipeline/create_protected_schema.sql")
    con.begin()
    try:
        for table in PROTECTED_TABLES:
            frame = getattr(protected, table)
            if frame is None:
                drop_table(con, f"protected.{table}")
            else:
                replace_table(con, f"protected.{table}", frame)
        meta = pl.DataFrame([{
            "audit_ok": protected.audit_ok,
            "audit_failures": json.dumps(list(protected.audit_failures), ensure_ascii=False),
            "threshold": protected.threshold, "zeros_publishable": protected.zeros_publishable,
            "latest_period": protected.latest_period,
            "latest_complete_period": protected.latest_complete_period,
            "synthetic": protected.synthetic, "generation": generation}],
            schema={"audit_ok": pl.Boolean, "audit_failures": pl.String, "threshold": pl.Int64,
                    "zeros_publishable": pl.Boolean, "latest_period": pl.Date,
                    "latest_complete_period": pl.Date, "synthetic": pl.Boolean,
                    "generation": pl.String})
        replace_table(con, "protected.release_meta", meta)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    _STORED.clear()
    _STORED[generation] = {t: getattr(protected, t) for t in PROTECTED_TABLES}


def load_protected(con: duckdb.DuckDBPyConnection,
                   data_dir: Path | None = None) -> ProtectedRelease:
    """Read back what :func:`store_protected` wrote, with the current source returns (and,
    given the data folder, the digests of the partner originals, never to be published)."""
    from indicators.release_digests import original_digests

    tables = {t for t in (*PROTECTED_TABLES, "release_meta")
              if table_exists(con, f"protected.{t}")}
    if "release_meta" not in tables or "indicator_values" not in tables:
        raise PipelineStepMissing("não há tabelas protegidas / no protected tables in the "
                                  "warehouse: run the protection step first")
    meta = read_table(con, "protected.release_meta").row(0, named=True)
    frames = _STORED.get(meta.get("generation") or "")
    if frames is None:
        frames = {t: read_table(con, f"protected.{t}") if t in tables else None
                  for t in PROTECTED_TABLES}
    sources = con.sql(read_sql("pipeline/source_returns.sql")).pl().to_dicts()
    return ProtectedRelease(
        indicator_values=frames["indicator_values"], eea_results=frames["eea_results"],
        data_quality=frames["data_quality"], rejections=frames["rejections"],
        disclosure_audit=frames["disclosure_audit"], audited_values=frames["audited_values"],
        audit_ok=bool(meta["audit_ok"]),
        audit_failures=tuple(json.loads(meta["audit_failures"] or "[]")),
        threshold=int(meta["threshold"]), zeros_publishable=bool(meta["zeros_publishable"]),
        latest_period=meta["latest_period"],
        latest_complete_period=meta["latest_complete_period"],
        source_returns=sources, synthetic=bool(meta["synthetic"]),
        forbidden_digests=frozenset(original_digests(con, data_dir)) if data_dir else
        frozenset())


# ---------------------------------------------------------------- publication gates


def disclosure_failures(protected: ProtectedRelease, registry: Registry) -> list[str]:
    """The audit's failures, plus any count 1..k-1 that would be published."""
    failures = list(protected.audit_failures)
    if not protected.audit_ok and not failures:
        failures.append("a auditoria falhou / the audit failed")
    small = unprotected_small_counts(protected.indicator_values, registry)
    for row in small.head(20).iter_rows(named=True):
        failures.append(f"contagem pequena publicada / small count published: "
                        f"{row['indicator']} {row['grain']} {row['period']} {row['geo']} "
                        f"{row['breakdown']}={row['breakdown_code']}")
    if small.height > 20:
        failures.append(f"... +{small.height - 20}")
    return failures


def _sum_check(parts: pl.DataFrame, wholes: pl.DataFrame, key: list[str],
               label: str) -> list[str]:
    """``wholes`` (key + whole) against the sum of ``parts`` (key + value), where every part
    and the whole are published."""
    sums = parts.group_by(key).agg(pl.col("value").sum().alias("parts"),
                                   pl.col("value").is_null().any().alias("hidden"))
    bad = sums.join(wholes, on=key, how="inner").filter(
        ~pl.col("hidden") & pl.col("whole").is_not_null()
        & ((pl.col("whole") - pl.col("parts")).abs() > TOLERANCE))
    return [f"{row['indicator']} {row['grain']} {row['period_label']} {row['geo']} {label} "
            f"{row.get('group', '_T')}: total {row['whole']} != soma/sum {row['parts']}"
            for row in bad.head(10).iter_rows(named=True)]


def reconciliation_failures(values: pl.DataFrame, registry: Registry) -> list[str]:
    """Published totals that differ from the sum of their published parts, where every part
    is published: along each breakdown hierarchy (leaf -> group -> total) and in time
    (months -> quarter, months -> year)."""
    counts = {i.code for i in registry.counts()}
    v = values.filter(pl.col("indicator").is_in(counts))
    if v.is_empty():
        return []
    failures: list[str] = []
    geo_key = ["indicator", "grain", "period_label", "geo"]
    totals = v.filter(pl.col("breakdown") == "_T").select(*geo_key, pl.col("value").alias("whole"))
    for breakdown in COMPLETE_BREAKDOWNS:
        part = v.filter(pl.col("breakdown") == breakdown)
        if part.is_empty():
            continue
        codes = set(part.get_column("breakdown_code").unique().to_list()) - {"_T"}
        hierarchy = registry.hierarchies.get(breakdown, {})
        groups = {g for g in hierarchy.values() if g in codes}
        parent_of = {c: (hierarchy.get(c, "_T") if hierarchy.get(c) in groups else "_T")
                     for c in codes if c not in groups}
        leaves = part.filter(pl.col("breakdown_code").is_in(list(parent_of))).with_columns(
            pl.col("breakdown_code").replace_strict(parent_of).alias("group"))
        for_groups = leaves.filter(pl.col("group") != "_T")
        group_values = part.filter(pl.col("breakdown_code").is_in(list(groups))).select(
            *geo_key, pl.col("breakdown_code").alias("group"), pl.col("value").alias("whole"))
        failures += _sum_check(for_groups, group_values, [*geo_key, "group"], breakdown)
        top = pl.concat([
            leaves.filter(pl.col("group") == "_T").select(*geo_key, "value"),
            part.filter(pl.col("breakdown_code").is_in(list(groups))).select(*geo_key, "value"),
        ])
        failures += _sum_check(top, totals, geo_key, breakdown)
    failures.extend(_time_failures(v))
    return failures


def _time_failures(v: pl.DataFrame) -> list[str]:
    months = v.filter(pl.col("grain") == "month").with_columns(
        pl.col("period").dt.year().alias("year"),
        ((pl.col("period").dt.month() - 1) // 3).alias("quarter"))
    key = ["indicator", "geo", "breakdown", "breakdown_code"]
    failures: list[str] = []
    for grain, group, n in (("year", ["year"], 12), ("quarter", ["year", "quarter"], 3)):
        sums = months.group_by(*key, *group).agg(
            pl.col("value").sum().alias("parts"), pl.len().alias("n"),
            pl.col("value").is_null().any().alias("hidden"))
        whole = v.filter(pl.col("grain") == grain).with_columns(
            pl.col("period").dt.year().alias("year"),
            ((pl.col("period").dt.month() - 1) // 3).alias("quarter")).select(
            *key, *group, pl.col("value").alias("whole"), "period")
        bad = sums.join(whole, on=[*key, *group], how="inner").filter(
            (pl.col("n") == n) & ~pl.col("hidden") & pl.col("whole").is_not_null()
            & ((pl.col("whole") - pl.col("parts")).abs() > TOLERANCE))
        for row in bad.head(10).iter_rows(named=True):
            failures.append(f"{row['indicator']} {grain} {row['period']} {row['geo']} "
                            f"{row['breakdown']}={row['breakdown_code']}: total {row['whole']} "
                            f"!= soma dos meses/sum of months {row['parts']}")
    return failures


def digest_failures(protected: ProtectedRelease) -> list[str]:
    """Digests of partner originals (or their 12-character prefixes) in anything that the
    release would publish."""
    from indicators.publish import PUBLISHED_TABLES, provenance
    from indicators.release_digests import find_digests

    if not protected.forbidden_digests:
        return []
    blobs = [("release_info.source_returns",
              json.dumps(provenance(protected.source_returns), default=str).encode())]
    for table in PUBLISHED_TABLES:
        frame = getattr(protected, table)
        if frame is None or frame.is_empty():
            continue
        for col in frame.columns:
            text = "\n".join(str(v) for v in frame.get_column(col).to_list() if v is not None)
            blobs.append((f"{table}.{col}", text.encode("utf-8")))
    found = find_digests(blobs, set(protected.forbidden_digests))
    return [f"digest de um original publicado / digest of a partner original: {f}"
            for f in found[:10]]
