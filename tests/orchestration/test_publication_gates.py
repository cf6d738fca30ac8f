"""A failing blocking check stops publication and the previous release stays CURRENT."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime

import dagster as dg
import polars as pl
import pytest

from indicators import pipeline, warehouse
from indicators.release_files import current_release_id, list_releases
from orchestration.defs import assets, checks
from orchestration.defs.resources import resources_for
from tests.orchestration.helpers import good_rows, protected_release, value_row

GATED = [assets.protected_tables, assets.published_release, checks.publication_gates]
SELECTION = (dg.AssetSelection.assets(assets.published_release)
             | dg.AssetSelection.checks(checks.publication_gates))


def _stage(settings, protected) -> None:
    """Put protected tables into the warehouse as the protection step leaves them."""
    with warehouse.connect(settings.warehouse_path) as con:
        pipeline.store_protected(con, protected)


def _publish(settings) -> dg.ExecuteInProcessResult:
    return dg.materialize(GATED, selection=SELECTION, resources=resources_for(
        str(settings.data_dir)), raise_on_error=False)


def _checks(result: dg.ExecuteInProcessResult) -> dict[str, bool]:
    return {e.check_name: e.passed for e in result.get_asset_check_evaluations()}


@pytest.fixture
def first_release(settings) -> str:
    _stage(settings, protected_release(good_rows()))
    result = _publish(settings)
    assert result.success
    assert _checks(result) == {"disclosure_audit": True, "release_audit": True,
                               "reconciliation": True}
    release_id = current_release_id(settings.serving_dir)
    assert release_id is not None
    return release_id


def _description(result: dg.ExecuteInProcessResult, check: str) -> str:
    return next(e.description for e in result.get_asset_check_evaluations()
                if e.check_name == check)


def _assert_not_published(settings, result, first_release, failed_check: str) -> None:
    assert not result.success
    assert _checks(result)[failed_check] is False
    started = {e.step_key for e in result.all_events if e.event_type_value == "STEP_START"}
    assert "published_release" not in started  # blocked by the check, never even started
    assert not result.get_asset_materialization_events()
    assert current_release_id(settings.serving_dir) == first_release
    assert list_releases(settings.serving_dir) == [first_release]


def test_failed_disclosure_audit_blocks_publication(settings, first_release):
    _stage(settings, protected_release(good_rows(8.0), audit_ok=False,
                                       failures=("victims_national_sex: F [1, 4]",)))
    result = _publish(settings)
    _assert_not_published(settings, result, first_release, "disclosure_audit")


def test_unprotected_small_count_blocks_publication(settings, first_release):
    # the audit says ok, but a count of 3 under the k=5 rule is about to be published
    rows = [*good_rows(), value_row("THB_PRESUMED", "sex", "M", 3.0)]
    _stage(settings, protected_release(rows))
    result = _publish(settings)
    _assert_not_published(settings, result, first_release, "disclosure_audit")


def test_totals_that_do_not_add_up_block_publication(settings, first_release):
    # total 19 published, but the published parts F 7 + M 10 + X 0 + U 0 = 17
    rows = [value_row("THB_SIGNALLED", "_T", "_T", 19.0),
            value_row("THB_SIGNALLED", "sex", "F", 7.0),
            value_row("THB_SIGNALLED", "sex", "M", 10.0),
            value_row("THB_SIGNALLED", "sex", "X", 0.0),
            value_row("THB_SIGNALLED", "sex", "U", 0.0)]
    _stage(settings, protected_release(rows))
    result = _publish(settings)
    _assert_not_published(settings, result, first_release, "reconciliation")


def test_suppressed_part_is_not_reconciled(settings, first_release):
    # F hidden (NULL, c): the total cannot be checked against its parts and is not an error
    rows = [value_row("THB_SIGNALLED", "_T", "_T", 19.0),
            value_row("THB_SIGNALLED", "sex", "F", None, flags="c"),
            value_row("THB_SIGNALLED", "sex", "M", None, flags="c"),
            value_row("THB_SIGNALLED", "sex", "X", 0.0),
            value_row("THB_SIGNALLED", "sex", "U", 0.0)]
    _stage(settings, protected_release(rows))
    result = _publish(settings)
    assert result.success
    assert current_release_id(settings.serving_dir) != first_release


def test_secondary_published_back_blocks_publication(settings, first_release):
    # F = 3 (primary) was protected by hiding M = 12 as well; publishing M back lets any
    # reader compute F = 15 - 12 - 0 - 0 = 3: the release-wide audit refuses the release
    rows = [value_row("THB_SIGNALLED", "_T", "_T", 15.0),
            value_row("THB_SIGNALLED", "sex", "F", None, flags="c"),
            value_row("THB_SIGNALLED", "sex", "M", 12.0),
            value_row("THB_SIGNALLED", "sex", "X", 0.0),
            value_row("THB_SIGNALLED", "sex", "U", 0.0)]
    _stage(settings, protected_release(rows))
    result = _publish(settings)
    _assert_not_published(settings, result, first_release, "release_audit")
    assert "THB_SIGNALLED month 2024-03 PT sex=F in/em [3, 3]" in _description(
        result, "release_audit")


def test_digest_of_a_partner_original_blocks_publication(settings, first_release):
    original = settings.data_dir / "archive" / "ab" / "original.csv"
    original.parent.mkdir(parents=True, exist_ok=True)
    original.write_bytes(b"partner,period,count\nOTSH,2024-03,1\n")
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    protected = protected_release(good_rows(8.0))
    protected = dataclasses.replace(protected, source_returns=[
        {**protected.source_returns[0]}], rejections=pl.DataFrame(
        {"file_name": [f"ingest {digest[:12]}"], "received_at": [datetime(2024, 3, 2)],
         "partner": ["OTSH"], "rules": [["empty_cell"]], "summary_en": ["1 problem"],
         "summary_pt": ["1 problema"]}))
    _stage(settings, protected)
    result = _publish(settings)
    _assert_not_published(settings, result, first_release, "release_audit")
    assert digest in _description(result, "release_audit")
