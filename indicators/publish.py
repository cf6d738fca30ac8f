"""Publish a protected release: a new serving/<release>.duckdb, then the CURRENT pointer.

Pure library (no Dagster). Order of operations, each step only if the previous succeeded:

1. refuse when the disclosure audit failed, or when any count of an indicator under a
   small-cell rule would be published with a value from 1 to k-1 (an independent last guard);
2. write the release file with :func:`indicators.release_files.write_release` (published schema,
   protected tables, registry metadata, release info, what changed since the previous release,
   release history), checkpointed and closed;
3. apply retention (``OBS_RELEASE_RETENTION``, default 12 releases; never the current one);
4. only then point CURRENT at the new release (the release it replaces is kept at least
   until the next publication, so a reader that has just read the pointer can still open it).

Nothing here ever writes a true value of a suppressed cell: the input tables are already
protected (NULL value with flag ``c``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from indicators.faults import fault_point
from indicators.i18n import t, tn, tn_both
from indicators.open_data.tables import AUDIENCES
from indicators.registry import Registry
from indicators.release_files import (
    apply_retention,
    current_release_id,
    new_release_id,
    release_file,
    set_current,
    write_release,
)
from indicators.settings import RetentionSettings
from indicators.warehouse import read_sql, run_sql_file

if TYPE_CHECKING:
    from indicators.settings import Settings


# period_end too: year-to-date values share their period (1 January) and differ by end
PUBLISHED_TABLES = ("indicator_values", "eea_results", "data_quality", "rejections",
                    "disclosure_audit")


class PublishRefused(RuntimeError):
    """Publication was refused; the previous release stays CURRENT. Bilingual message."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("Publicação recusada / publication refused: " + "; ".join(reasons))


@dataclass(frozen=True)
class ProtectedRelease:
    """Everything a release holds, already protected.

    Frames carry the columns of the matching ``published.*`` table (``sql/published/
    schema.sql``) except ``release_id``, which publishing fills in. Missing optional columns
    take the table's defaults.
    """

    indicator_values: pl.DataFrame
    audit_ok: bool
    threshold: int
    zeros_publishable: bool = True
    audit_failures: tuple[str, ...] = ()
    eea_results: pl.DataFrame | None = None
    data_quality: pl.DataFrame | None = None
    rejections: pl.DataFrame | None = None
    disclosure_audit: pl.DataFrame | None = None
    latest_period: date | None = None
    latest_complete_period: date | None = None
    source_returns: list[dict] = field(default_factory=list)
    synthetic: bool = False
    # digests of the partner originals (never published): the written release is searched
    # for them, and publication refused if one is found
    forbidden_digests: frozenset[str] = frozenset()
    # warehouse only, never published: the release with what the retained earlier releases
    # published (release_audit.with_earlier_releases), which the release-wide audit judged;
    # None when there were none and the release alone was audited
    audited_values: pl.DataFrame | None = None

    def judged_values(self) -> pl.DataFrame:
        """What the release-wide audit judges: the union with the retained releases when the
        protection audited it (it knows more than the release alone), else the release."""
        return self.indicator_values if self.audited_values is None else self.audited_values


@dataclass(frozen=True)
class PublishOutcome:
    release_id: str
    path: Path
    previous_release_id: str | None
    changes: dict
    removed_releases: list[str]

    def summary_en(self) -> str:
        return self.changes.get("summary_en", "")

    def summary_pt(self) -> str:
        return self.changes.get("summary_pt", "")


# the release policy on the methodology page quotes the default (one source: the settings)
DEFAULT_RETENTION: int = RetentionSettings.model_fields["release_retention"].default


def retention_from_env(env: Mapping[str, str] | None = None) -> int:
    from indicators.settings import load_settings

    return load_settings(env).retention.release_retention


# Which parts of a derived value are counts of persons (and so must be 0 or >= k when shown):
# a rate's numerator (its denominator is a population), both parts of a share, both counts
# of a change; a percent change's numerator is a difference of two counts, not a count.
COUNT_PARTS: dict[str, tuple[str, ...]] = {
    "rate": ("numerator",), "share": ("numerator", "denominator"),
    "change": ("numerator", "denominator"), "change_pct": ("denominator",),
}


def unprotected_small_counts(values: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    """Rows that would publish a count 1 <= n < k of an indicator under a small-cell rule:
    as ``value``, or as a part of a value derived from such a count that is itself a count
    (see :data:`COUNT_PARTS`)."""
    thresholds: dict[str, int] = {}
    for ind in registry.indicators:
        if ind.is_count and ind.disclosure.applies:
            thresholds[ind.code] = int(ind.disclosure.threshold)
    if values.is_empty():
        return values
    small = ((pl.col("value") > 0) & (pl.col("value") < pl.col("indicator").replace_strict(
        thresholds, default=None, return_dtype=pl.Int64))).fill_null(False)
    for part in ("numerator", "denominator"):
        if part not in values.columns:
            continue
        k_part = {ind.code: thresholds[ind.base] for ind in registry.derived()
                  if ind.base in thresholds and part in COUNT_PARTS.get(ind.method or "", ())}
        k = pl.col("indicator").replace_strict(k_part, default=None, return_dtype=pl.Int64)
        small = small | ((pl.col(part) > 0) & (pl.col(part) < k)).fill_null(False)
    return values.filter(small)


def check_publishable(protected: ProtectedRelease, registry: Registry,
                      earlier: list[pl.DataFrame] | None = None) -> list[str]:
    """Reasons to refuse publication (empty when it may go ahead). ``earlier``: the published
    values (KEY + value) of the releases a reader may hold: no count may show a revision of
    1 .. k-1 persons against them (:mod:`indicators.revision_differences`)."""
    reasons: list[str] = []
    if not protected.audit_ok:
        failures = ", ".join(protected.audit_failures[:5]) or "?"
        reasons.append("a auditoria de confidencialidade falhou / the disclosure audit failed "
                       f"({len(protected.audit_failures)}: {failures})")
    small = unprotected_small_counts(protected.indicator_values, registry)
    if small.height:
        first = small.row(0, named=True)
        reasons.append(
            f"{tn_both('gate.small_counts', small.height)}: {first['indicator']} "
            f"{first['period']} {first['geo']} {first['breakdown']}={first['breakdown_code']}")
    disclosed = release_disclosures(protected.judged_values(), registry,
                                    protected.eea_results)
    if disclosed:
        reasons.append(f"{tn_both('gate.release_proves', len(disclosed))}: {disclosed[0]}")
    if protected.eea_results is not None and protected.eea_results.height:
        eea = pl.concat([protected.eea_results.select(
            "indicator", pl.col(col).alias("value")) for col in ("achieved", "achieved_period")
            if col in protected.eea_results.columns])
        small_eea = unprotected_small_counts(eea, registry)
        if small_eea.height:
            reasons.append(tn_both("gate.eea_small", small_eea.height))
    if earlier and not protected.indicator_values.is_empty():
        from indicators.release_audit import audit_release
        from indicators.revision_differences import revision_failures

        review = audit_release(protected.judged_values(), registry, None,
                               protected.eea_results)
        revised = revision_failures(protected.indicator_values, earlier, review.intervals,
                                    registry)
        if revised:
            reasons.append(f"{tn_both('gate.revisions', len(revised))}: {revised[0]}")
    return reasons


def release_disclosures(values: pl.DataFrame, registry: Registry,
                        eea_results: pl.DataFrame | None = None) -> list[str]:
    """Suppressed counts an outsider proves to lie in 1..k-1 (release-wide audit)."""
    from indicators.release_audit import audit_release, describe_cell

    if values.is_empty():
        return []
    return [f"{describe_cell(c)} in [{c.low:g}, {c.high:g}]"
            for c in audit_release(values, registry, None, eea_results).disclosed()]


def registry_rows(registry: Registry) -> pl.DataFrame:
    """The ``published.indicators`` rows for a registry."""
    rows = []
    for ind in registry.indicators:
        base_threshold = ind.disclosure.threshold if ind.is_count else None
        target = ind.target
        rows.append({
            "code": ind.code,
            "family": "eea_results" if ind.is_eea else "trafficking",
            "name_pt": ind.name_pt, "name_en": ind.name_en,
            "definition_pt": ind.definition_pt, "definition_en": ind.definition_en,
            "unit": ind.unit, "kind": ind.kind,
            "breakdowns": list(ind.breakdowns), "grains": list(ind.grains),
            "threshold": base_threshold, "level": ind.level,
            "baseline_value": target.baseline_value if target else None,
            "baseline_year": target.baseline_year if target else None,
            "target_value": target.target_value if target else None,
            "target_year": target.target_year if target else None,
            "targets_illustrative": registry.targets_illustrative if target else None,
            "audience": "donor" if ind.is_eea else "public",
        })
    return pl.DataFrame(rows, schema={
        "code": pl.String, "family": pl.String, "name_pt": pl.String, "name_en": pl.String,
        "definition_pt": pl.String, "definition_en": pl.String, "unit": pl.String,
        "kind": pl.String, "breakdowns": pl.List(pl.String), "grains": pl.List(pl.String),
        "threshold": pl.Int64, "level": pl.String, "baseline_value": pl.Float64,
        "baseline_year": pl.Int64, "target_value": pl.Float64, "target_year": pl.Int64,
        "targets_illustrative": pl.Boolean, "audience": pl.String})


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame | None,
            release_id: str | None = None) -> int:
    if frame is None or frame.is_empty():
        return 0
    if release_id is not None:
        frame = frame.with_columns(pl.lit(release_id).alias("release_id"))
    if table not in (*PUBLISHED_TABLES, "indicators"):  # a name, never data: no parameter
        raise ValueError(f"not a published table: {table!r}")
    con.register("_frame", frame)
    try:
        con.execute(f"INSERT INTO published.{table} BY NAME SELECT * FROM _frame")
    finally:
        con.unregister("_frame")
    return frame.height


def _diff_values(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Per indicator, the values of new published.indicator_values added, removed and changed
    against prev.published.indicator_values, and ``hidden``: values the previous release
    published that the new one does not ('c' now, or left out)."""
    rows = con.execute(read_sql("publish/diff_values.sql")).fetchall()
    return [{"indicator": r[0], "added": int(r[1]), "removed": int(r[2]), "changed": int(r[3]),
             "hidden": int(r[4])} for r in rows]


def _first_values(values: pl.DataFrame) -> list[dict]:
    """Per indicator, the values of a first release: every one is added."""
    if values.is_empty():
        return []
    counts = values.group_by("indicator").len().sort("indicator")
    return [{"indicator": code, "added": int(n), "removed": 0, "changed": 0, "hidden": 0}
            for code, n in counts.iter_rows()]


def changes_by_audience(per_indicator: list[dict],
                        audience_of: Mapping[str, str]) -> dict[str, dict]:
    """For each audience (public < donor < analyst), the published values it may read that
    were added, removed and changed (``values_hidden``: those published before and not now,
    'c' or left out), and the indicators concerned. An indicator is read by
    its own audience and every higher one; one the registry does not know (a value removed
    with its indicator) counts for the analysts only.

    >>> per = [{"indicator": "A", "added": 2, "removed": 0, "changed": 3, "hidden": 1},
    ...        {"indicator": "E", "added": 5, "removed": 1, "changed": 0, "hidden": 0}]
    >>> by = changes_by_audience(per, {"A": "public", "E": "donor"})
    >>> by["public"]["values_added"], by["donor"]["values_added"]
    (2, 7)
    >>> by["public"]["values_changed"], by["public"]["values_hidden"]
    (3, 1)
    >>> by["public"]["indicators_changed"], by["analyst"]["values_removed"]
    (['A'], 1)
    """
    top = len(AUDIENCES) - 1
    out: dict[str, dict] = {}
    for rank, audience in enumerate(AUDIENCES):
        readable = [r for r in per_indicator
                    if _rank(audience_of.get(r["indicator"]), top) <= rank]
        out[audience] = {
            "values_added": sum(r["added"] for r in readable),
            "values_removed": sum(r["removed"] for r in readable),
            "values_changed": sum(r["changed"] for r in readable),
            "values_hidden": sum(r["hidden"] for r in readable),
            "indicators_changed": sorted(r["indicator"] for r in readable
                                         if r["added"] or r["removed"] or r["changed"])}
    return out


def _rank(audience: str | None, unknown: int) -> int:
    return AUDIENCES.index(audience) if audience in AUDIENCES else unknown


def _source_changes(new: list[dict], old: list[dict]) -> dict:
    def key(r: dict) -> tuple:
        return (r.get("partner"), r.get("return_type"), str(r.get("period")))

    old_versions = {key(r): r.get("version") for r in old}
    added = [r for r in new if key(r) not in old_versions]
    revised = [r for r in new
               if key(r) in old_versions and old_versions[key(r)] != r.get("version")]
    return {"returns_added": len(added), "returns_revised": len(revised)}


def _summaries(changes: dict, previous: str | None) -> tuple[str, str]:
    """What changed since ``previous``, in Portuguese and English, every count with its own
    singular or plural ("1 reporte novo e 3 revistos; 2 valores alterados, 1 acrescentado"),
    then, when some are, how many values published before are not now ("Dos valores
    publicados antes, 2 não estão publicados agora: ocultos (c) ou omitidos.")."""
    if previous is None:
        return ("First release.", "Primeira versão.")

    def said(lang: str) -> str:
        parts = {name: tn(f"summary.{name}", changes[key], lang) for name, key in (
            ("new", "returns_added"), ("revised", "returns_revised"),
            ("changed", "values_changed"), ("added", "values_added"),
            ("removed", "values_removed"))}
        said = t("summary.since", lang, previous=previous, **parts)
        hidden = changes.get("values_hidden")
        return f"{said} {tn('summary.hidden', hidden, lang)}" if hidden else said

    return said("en"), said("pt")


def _described_changes(per_indicator: list[dict], audience_of: Mapping[str, str],
                       sources: list[dict], old_sources: list[dict],
                       previous: str | None) -> dict:
    """What changed since ``previous``: the returns added and revised (the same for every
    audience), the values each audience may read (``by_audience``, each with its summaries;
    ``audience_of``: indicator code -> audience, as ``published.indicators`` says), and at
    the top level every value (what the analysts read, and the logs print)."""
    returns = _source_changes(sources, old_sources)
    by_audience = changes_by_audience(per_indicator, audience_of)
    for seen in by_audience.values():
        seen.update(returns)
        seen["summary_en"], seen["summary_pt"] = _summaries(seen, previous)
    return {**by_audience[AUDIENCES[-1]], "by_audience": by_audience,
            "previous_release_id": previous}


# A release names the returns it is built from by these fields only: nothing computed from a
# partner's file (digest, name, size, row count) is published (see sql/pipeline/source_returns).
PROVENANCE_FIELDS = ("partner", "return_type", "period", "version")


def provenance(rows: list[dict]) -> list[dict]:
    """The source returns as published: partner x return type x period x version."""
    return [{k: r.get(k) for k in PROVENANCE_FIELDS} for r in rows]


def _jsonable(rows: list[dict]) -> str:
    return json.dumps(rows, default=str, ensure_ascii=False, sort_keys=True)


def _refuse_digests(path: Path, digests: frozenset[str]) -> None:
    """Remove the written release and refuse if it carries a digest of a partner original."""
    from indicators.release_digests import find_digests, release_blobs

    if not digests:
        return
    found = find_digests(release_blobs(path), set(digests))
    if found:
        path.unlink(missing_ok=True)
        raise PublishRefused([f"{tn_both('gate.digests', len(found))}: {found[:3]}"])


def publish_release(settings: Settings, protected: ProtectedRelease, registry: Registry, *,
                    now: datetime | None = None, retention: int | None = None,
                    release_id: str | None = None) -> PublishOutcome:
    """Write a new release and make it CURRENT; raise :class:`PublishRefused` (and leave the
    previous release CURRENT, nothing written) when it must not be published."""
    from indicators.pipeline import retained_release_values

    reasons = check_publishable(protected, registry,
                                retained_release_values(settings.serving_dir))
    if reasons:
        raise PublishRefused(reasons)
    serving = settings.serving_dir
    keep = retention if retention is not None else retention_from_env()
    now = (now or datetime.now(UTC)).astimezone(UTC)
    release_id = release_id or new_release_id(now)
    previous = current_release_id(serving)
    changes: dict = {}

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        for table in PUBLISHED_TABLES:
            frame = getattr(protected, table)
            with_id = release_id if table in ("indicator_values", "eea_results") else None
            _insert(con, table, frame, with_id)
        indicators = registry_rows(registry)
        _insert(con, "indicators", indicators)
        old_sources: list[dict] = []
        if previous is not None:
            prev_path = release_file(serving, previous)
            con.execute(read_sql("publish/attach_previous.sql"), {"path": str(prev_path)})
            try:
                per_indicator = _diff_values(con)
                run_sql_file(con, "publish/mark_revised.sql")
                raw = con.execute(read_sql("publish/previous_sources.sql")).fetchall()[0]
                old_sources = json.loads(raw[0]) if raw[0] else []
                run_sql_file(con, "publish/copy_history.sql")
            finally:
                run_sql_file(con, "publish/detach_previous.sql")
        else:
            per_indicator = _first_values(protected.indicator_values)
        sources = json.loads(_jsonable(provenance(protected.source_returns)))
        audience_of = dict(zip(indicators["code"], indicators["audience"], strict=True))
        changes.update(_described_changes(per_indicator, audience_of, sources, old_sources,
                                          previous))
        created = now.replace(tzinfo=None)
        run_sql_file(con, "publish/insert_release_info.sql", {
             "id": release_id, "created": created, "latest": protected.latest_period,
             "complete": protected.latest_complete_period, "previous": previous,
             "k": protected.threshold, "zeros": protected.zeros_publishable,
             "audit": protected.audit_ok, "synthetic": protected.synthetic,
             "sources": _jsonable(sources),
             "changes": json.dumps(changes, default=str, ensure_ascii=False, sort_keys=True)})
        for audience, seen in changes["by_audience"].items():
            run_sql_file(con, "publish/insert_release_history.sql", {
                         "id": release_id, "created": created, "en": seen["summary_en"],
                         "pt": seen["summary_pt"], "audience": audience,
                         "added": seen["values_added"], "changed": seen["values_changed"],
                         "hidden": seen["values_hidden"],
                         "removed": seen["values_removed"]})

    path = write_release(serving, release_id, fill)
    _refuse_digests(path, protected.forbidden_digests)
    # Retention before the switch: the release readers hold now stays CURRENT (so it is kept)
    # until the pointer moves, and it survives until the next publication.
    removed = apply_retention(serving, keep)
    fault_point("publish:before-pointer")
    set_current(serving, release_id)
    return PublishOutcome(release_id=release_id, path=path, previous_release_id=previous,
                          changes=changes, removed_releases=removed)
