"""Assets materialized in-process against a temporary data folder, with partitions."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import dagster as dg
import duckdb
import pytest

from indicators import warehouse
from indicators.release_files import current_release_id, release_file
from orchestration.defs import assets, checks
from orchestration.defs.resources import resources_for
from orchestration.runner import run_refresh
from tests.orchestration.helpers import write_victims_csv

INGEST = [assets.loaded_returns, assets.monthly_returns, checks.contract_validity,
          checks.partner_coverage]


def _snapshot(settings) -> list[tuple]:
    with warehouse.connect(settings.warehouse_path, read_only=True) as con:
        return con.sql("SELECT strftime(period, '%Y-%m'), partner, version, total_count "
                       "FROM pipeline.monthly_returns ORDER BY 1, 2").fetchall()


def test_partition_writes_only_its_month_and_rewrites_it_idempotently(settings):
    write_victims_csv(settings.inbox_dir, "otsh_2024-02.csv", "OTSH", "2024-02", [5, 6])
    write_victims_csv(settings.inbox_dir, "otsh_2024-03.csv", "OTSH", "2024-03", [3, 4, 6])
    resources = resources_for(str(settings.data_dir))
    result = dg.materialize(INGEST, resources=resources, partition_key="2024-03-01")
    assert result.success
    # both files were loaded, but only the March partition of the snapshot was written
    assert _snapshot(settings) == [("2024-03", "OTSH", 1, 13)]
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert evaluations["contract_validity"].passed
    coverage = evaluations["partner_coverage"]
    assert not coverage.passed and coverage.severity == dg.AssetCheckSeverity.WARN

    assert dg.materialize(INGEST, resources=resources, partition_key="2024-02-01").success
    assert _snapshot(settings) == [("2024-02", "OTSH", 1, 11), ("2024-03", "OTSH", 1, 13)]

    # a revised March return supersedes version 1; re-running March replaces its rows
    write_victims_csv(settings.inbox_dir, "otsh_2024-03_rev.csv", "OTSH", "2024-03", [3, 4, 7])
    assert dg.materialize(INGEST, resources=resources, partition_key="2024-03-01").success
    assert dg.materialize(INGEST, resources=resources, partition_key="2024-03-01").success
    assert _snapshot(settings) == [("2024-02", "OTSH", 1, 11), ("2024-03", "OTSH", 2, 14)]


def test_a_return_far_from_the_partners_usual_month_is_a_warning(settings):
    """Six ordinary months of OTSH's returns, then a March of 60 persons: the refresh loads
    it (valid) and warns OTSH to check it (a file of the wrong month, totals as a category
    ...); the check is a warning, never a block."""
    for month in range(9, 13):
        write_victims_csv(settings.inbox_dir, f"otsh_2023-{month:02}.csv", "OTSH",
                          f"2023-{month:02}", [5, 6])
    for month in range(1, 3):
        write_victims_csv(settings.inbox_dir, f"otsh_2024-{month:02}.csv", "OTSH",
                          f"2024-{month:02}", [6, 5])
    write_victims_csv(settings.inbox_dir, "otsh_2024-03.csv", "OTSH", "2024-03", [30, 30])
    resources = resources_for(str(settings.data_dir))
    job = [*INGEST, checks.unusual_volumes]
    for key in ("2023-09-01", "2023-10-01", "2023-11-01", "2023-12-01", "2024-01-01",
                "2024-02-01"):
        result = dg.materialize(job, resources=resources, partition_key=key)
        assert {e.check_name: e.passed for e in result.get_asset_check_evaluations()}[
            "unusual_volumes"]
    result = dg.materialize(job, resources=resources, partition_key="2024-03-01")
    assert result.success
    check = {e.check_name: e for e in result.get_asset_check_evaluations()}["unusual_volumes"]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert "OTSH/victims/2024-03: total 60" in check.description
    assert "usual month of 11" in check.description


def test_rejected_file_is_reported_not_ignored(settings):
    write_victims_csv(settings.inbox_dir, "good.csv", "OTSH", "2024-03", [5])
    bad = settings.inbox_dir / "bad.csv"
    bad.write_text("partner,period,email\nOTSH,2024-03,someone@example.org\n", encoding="utf-8")
    result = dg.materialize([assets.loaded_returns, checks.contract_validity],
                            resources=resources_for(str(settings.data_dir)))
    assert result.success
    metadata = result.get_asset_materialization_events()[0].materialization.metadata
    assert metadata["loaded"].value == 1
    assert metadata["rejected"].value == 1
    assert metadata["rejected_files"].value == "bad.csv"
    assert list(settings.quarantine_dir.glob("*bad.csv*.txt"))


def test_rejected_file_whose_report_went_missing_fails_the_contract_check(settings):
    (settings.inbox_dir / "bad.csv").write_text("partner,period\nOTSH,2024-03\n",
                                                encoding="utf-8")
    resources = resources_for(str(settings.data_dir))
    assert dg.materialize([assets.loaded_returns, checks.contract_validity],
                          resources=resources).success
    for report in settings.quarantine_dir.glob("*bad.csv.report.txt"):
        report.unlink()
    result = dg.materialize([assets.loaded_returns, checks.contract_validity],
                            resources=resources, raise_on_error=False)
    evaluation = result.get_asset_check_evaluations()[0]
    assert not evaluation.passed
    assert "bad.csv" in evaluation.description


def test_loaded_data_outside_the_contract_fail_the_contract_check(settings):
    write_victims_csv(settings.inbox_dir, "good.csv", "OTSH", "2024-03", [5])
    resources = resources_for(str(settings.data_dir))
    assert dg.materialize([assets.loaded_returns, checks.contract_validity],
                          resources=resources).success
    with warehouse.connect(settings.warehouse_path) as con:  # a code no contract allows
        con.execute("UPDATE core.victims_cells SET sex = 'Q'")
    result = dg.materialize([assets.loaded_returns, checks.contract_validity],
                            resources=resources, raise_on_error=False)
    evaluation = result.get_asset_check_evaluations()[0]
    assert not evaluation.passed
    assert "victims.sex" in evaluation.description and "'Q'" in evaluation.description


def test_range_of_months_is_one_run(settings):
    for month in ("2024-01", "2024-02", "2024-03"):
        write_victims_csv(settings.inbox_dir, f"otsh_{month}.csv", "OTSH", month, [5])
    job = dg.define_asset_job("ingest_range", selection=dg.AssetSelection.assets(
        assets.loaded_returns, assets.monthly_returns))
    defs = dg.Definitions(assets=[assets.loaded_returns, assets.monthly_returns], jobs=[job],
                          resources=resources_for(str(settings.data_dir)))
    result = defs.resolve_job_def("ingest_range").execute_in_process(tags={
        "dagster/asset_partition_range_start": "2024-02-01",
        "dagster/asset_partition_range_end": "2024-03-01"})
    assert result.success
    assert [r[0] for r in _snapshot(settings)] == ["2024-02", "2024-03"]


@pytest.mark.slow
def test_full_refresh_publishes_a_protected_release(settings):
    """The whole job (about 10 s): ingest, snapshot, indicators, disclosure control, checks,
    publication, as ``observatory refresh --month 2024-03`` runs it."""
    otsh = write_victims_csv(settings.inbox_dir, "otsh.csv", "OTSH", "2024-03", [3, 4, 6])
    write_victims_csv(settings.inbox_dir, "apf.csv", "APF", "2024-03", [5, 2])
    otsh_sha256 = hashlib.sha256(otsh.read_bytes()).hexdigest()
    report = run_refresh("2024-03-01", "2024-03-01", resources=resources_for(
        str(settings.data_dir)))
    assert report.success, report.errors
    assert report.failed_checks == []
    assert any("partner_coverage" in w for w in report.warnings)
    assert report.release_id == current_release_id(settings.serving_dir)
    con = duckdb.connect(str(release_file(settings.serving_dir, report.release_id)),
                         read_only=True)
    try:
        info = con.sql("SELECT latest_period, audit_ok, source_returns "
                       "FROM published.release_info").fetchall()[0]
        small = con.sql("SELECT count(*) FROM published.indicator_values v "
                        "JOIN published.indicators i ON i.code = v.indicator "
                        "WHERE i.kind = 'count' AND i.threshold IS NOT NULL "
                        "AND v.value > 0 AND v.value < i.threshold").fetchall()[0][0]
        total = con.sql("SELECT value, flags FROM published.indicator_values WHERE "
                        "indicator = 'THB_SIGNALLED' AND grain = 'month' AND geo = 'PT' "
                        "AND period = DATE '2024-03-01' AND breakdown = '_T'").fetchall()
    finally:
        con.close()
    assert info[0] == date(2024, 3, 1) and info[1] is True
    sources = json.loads(info[2])
    assert {"partner": "OTSH", "return_type": "victims", "period": "2024-03",
            "version": 1} in sources
    # provenance only: no digest (or any other value computed from the partner's file)
    assert all(set(s) == {"partner", "return_type", "period", "version"} for s in sources)
    release_bytes = release_file(settings.serving_dir, report.release_id).read_bytes()
    assert otsh_sha256.encode() not in release_bytes
    assert otsh_sha256[:12].encode() not in release_bytes
    assert small == 0
    # 3 + 4 + 6 + 5 + 2 = 20 persons signalled in March 2024 (20 >= k = 5, published),
    # provisional (p): the other expected partners have not reported March
    assert total == [(20.0, "p")]
    reports = settings.data_dir / "reports" / report.release_id
    # the latest calendar year and interim period complete by March 2024: 2023, 2023-P3
    stem = "otsh_eea_results_{period}_{lang}_" + report.release_id
    assert sorted(p.name for p in reports.iterdir()) == sorted(
        f"{stem.format(period=period, lang=lang)}.{ext}" for lang in ("en", "pt")
        for period in ("2023", "2023-P3") for ext in ("csv", "html", "pdf", "xlsx"))
    stem = stem.replace("{period}", "2023")
    html_en = (reports / f"{stem.format(lang='en')}.html").read_text(encoding="utf-8")
    assert "<table" in html_en
    assert (reports / f"{stem.format(lang='pt')}.pdf").read_bytes().startswith(b"%PDF-")


def test_a_revision_of_one_person_is_not_published_beside_the_old_value(settings):
    """A revised return adding one person (March 2024, 130 -> 131 persons signalled): the
    refresh publishes, and a reader holding both releases finds no count that moved by
    1 .. k-1 persons: the revised counts are hidden, and their reader's intervals do not
    confine the difference to 1 .. 4."""
    resources = resources_for(str(settings.data_dir))
    write_victims_csv(settings.inbox_dir, "otsh.csv", "OTSH", "2024-03", [30, 40, 60])
    first = run_refresh("2024-03-01", "2024-03-01", resources=resources)
    assert first.success, first.errors
    old = _values(settings)
    assert old[("THB_SIGNALLED", "month", "2024-03", "PT", "_T", "_T")] == 130
    write_victims_csv(settings.inbox_dir, "otsh_v2.csv", "OTSH", "2024-03", [30, 40, 61])
    second = run_refresh("2024-03-01", "2024-03-01", resources=resources)
    assert second.success, second.errors
    new = _values(settings)
    assert current_release_id(settings.serving_dir) != first.release_id
    moved = {k: (old[k], v) for k, v in new.items()
             if k in old and v is not None and old[k] is not None and 1 <= abs(v - old[k]) < 5}
    assert moved == {}
    assert new[("THB_SIGNALLED", "month", "2024-03", "PT", "_T", "_T")] is None
    # the analysts are told what the revision protection hid, without the new counts
    said = [w for w in second.warnings if "revised by fewer persons than the threshold" in w]
    assert said and "THB_SIGNALLED month 2024-03 PT _T=_T: 130 -> c" in said[0], second.warnings
    assert "131" not in said[0]


def test_a_revision_is_protected_against_a_release_no_longer_kept(settings, monkeypatch):
    """Retention 1: serving/ keeps the current release and the one before. March 2024: 130
    persons (R1), 140 (R2), 150 (R3), then 132 (R4): far from R2 and R3, but 2 away from R1,
    which a reader may have kept although serving/ no longer holds it: 132 is not published."""
    monkeypatch.setenv("OBS_RELEASE_RETENTION", "1")
    resources = resources_for(str(settings.data_dir))
    total = ("THB_SIGNALLED", "month", "2024-03", "PT", "_T", "_T")
    for n, counts in enumerate(([30, 40, 60], [30, 40, 70], [30, 40, 80], [30, 40, 62])):
        write_victims_csv(settings.inbox_dir, f"otsh_v{n}.csv", "OTSH", "2024-03", counts)
        report = run_refresh("2024-03-01", "2024-03-01", resources=resources)
        assert report.success, report.errors
        assert len(list(settings.serving_dir.glob("*.duckdb"))) <= 2
        if n in (1, 2):
            assert _values(settings)[total] == 130 + 10 * n
    assert _values(settings)[total] is None


def _values(settings) -> dict[tuple, float | None]:
    """The current release's values by key (None where suppressed)."""
    path = release_file(settings.serving_dir, current_release_id(settings.serving_dir))
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.sql(warehouse.read_sql("publish/indicator_values.sql")).pl().select(
            "indicator", "grain", "period_label", "geo", "breakdown", "breakdown_code",
            "value").rows()
    finally:
        con.close()
    return {tuple(r[:6]): r[6] for r in rows}
