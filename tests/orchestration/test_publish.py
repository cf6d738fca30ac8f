"""indicators.publish: refuse a bad release, write a complete one, then switch CURRENT."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import polars as pl
import pytest

from indicators.publish import PublishRefused, publish_release, unprotected_small_counts
from indicators.registry import load_registry
from indicators.release_files import current_release_id, list_releases
from tests.orchestration.helpers import good_rows, protected_release, value_row


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def _query(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def test_first_release_is_written_then_current(settings, registry):
    outcome = publish_release(settings, protected_release(good_rows()), registry, retention=5)
    assert current_release_id(settings.serving_dir) == outcome.release_id
    assert outcome.previous_release_id is None
    rows = _query(outcome.path, "SELECT release_id, breakdown_code, value FROM "
                  "published.indicator_values ORDER BY breakdown_code")
    assert [(r[1], r[2]) for r in rows] == [("F", 7.0), ("M", 12.0), ("U", 0.0), ("X", 0.0),
                                            ("_T", 19.0)]
    assert {r[0] for r in rows} == {outcome.release_id}
    info = _query(outcome.path, "SELECT audit_ok, disclosure_threshold, synthetic, "
                  "source_returns FROM published.release_info")
    assert info[0][:3] == (True, 5, True)
    assert json.loads(info[0][3])[0]["partner"] == "OTSH"
    n_indicators = _query(outcome.path, "SELECT count(*) FROM published.indicators")[0][0]
    assert n_indicators == len(registry.indicators)


def test_second_release_reports_changes_and_flags_revised_values(settings, registry):
    first = publish_release(settings, protected_release(good_rows(7.0)), registry, retention=5)
    # a revision of k = 5 persons (a smaller one is refused: test_revision_differences.py)
    second = publish_release(settings, protected_release(good_rows(12.0)), registry,
                             retention=5)
    assert second.previous_release_id == first.release_id
    # F 7 -> 12 and the total 19 -> 24: two values changed, none added or removed
    assert second.changes["values_changed"] == 2
    assert second.changes["values_added"] == 0
    assert second.changes["values_removed"] == 0
    flags = dict(_query(second.path, "SELECT breakdown_code, flags FROM "
                        "published.indicator_values"))
    assert flags == {"_T": "r", "F": "r", "M": "", "X": "", "U": ""}
    history = _query(second.path, "SELECT release_id, audience FROM "
                     "published.release_history ORDER BY release_id, audience")
    assert history == [(first.release_id, a) for a in ("analyst", "donor", "public")] + [
        (second.release_id, a) for a in ("analyst", "donor", "public")]


def test_values_published_before_and_not_now_are_counted_apart(settings, registry):
    """A reader of the release summary learns how many values published before are not
    published now, hidden ('c') or left out: "3 values changed, 1 removed" alone read as
    revisions."""
    first = publish_release(settings, protected_release(good_rows(7.0)), registry, retention=5)
    rows = good_rows(12.0)  # the total 19 -> 24 published; F 7 and M 12 hidden now
    rows[1].update(value=None, flags="c")
    rows[2].update(value=None, flags="c")
    del rows[3]  # X (a published zero) left out
    second = publish_release(settings, protected_release(rows), registry, retention=5)
    assert second.changes["values_changed"] == 3
    assert second.changes["values_removed"] == 1
    assert second.changes["values_hidden"] == 3
    assert second.changes["by_audience"]["public"]["values_hidden"] == 3
    assert second.summary_en() == (
        f"Since {first.release_id}: 0 new returns and 0 revised; 3 values changed, 0 added, "
        "1 removed. Of the values published before, 3 are not published now: hidden (c) or "
        "left out.")
    assert second.summary_pt().endswith(
        "Dos valores publicados antes, 3 não estão publicados agora: ocultos (c) ou omitidos.")
    history = _query(second.path, "SELECT release_id, audience, values_changed, values_hidden "
                     "FROM published.release_history ORDER BY release_id, audience")
    assert history == [(first.release_id, a, 0, 0) for a in ("analyst", "donor", "public")] + [
        (second.release_id, a, 3, 3) for a in ("analyst", "donor", "public")]


def test_failed_audit_is_refused_and_previous_release_stays(settings, registry):
    first = publish_release(settings, protected_release(good_rows()), registry, retention=5)
    bad = protected_release(good_rows(), audit_ok=False, failures=("THB_SIGNALLED F",))
    with pytest.raises(PublishRefused, match="audit"):
        publish_release(settings, bad, registry, retention=5)
    assert current_release_id(settings.serving_dir) == first.release_id
    assert list_releases(settings.serving_dir) == [first.release_id]
    assert not any(p.name.startswith(".") for p in settings.serving_dir.iterdir()
                   if p.suffix == ".duckdb")


def test_small_count_under_the_rule_is_refused(settings, registry):
    rows = [value_row("THB_SIGNALLED", "sex", "F", 3.0)]
    with pytest.raises(PublishRefused, match="small"):
        publish_release(settings, protected_release(rows), registry)
    assert current_release_id(settings.serving_dir) is None


def test_small_count_guard_knows_which_indicators_have_a_rule(registry):
    rows = protected_release([
        value_row("THB_SIGNALLED", "sex", "F", 4.0),              # rule k=5: caught
        value_row("THB_SIGNALLED", "sex", "M", 5.0),              # k itself: fine
        value_row("THB_SIGNALLED", "sex", "X", None, flags="c"),  # suppressed: fine
        value_row("EEA_TRAINING_SESSIONS", "_T", "_T", 2.0, unit="sessions"),  # no rule
    ]).indicator_values
    small = unprotected_small_counts(rows, registry)
    assert small.get_column("breakdown_code").to_list() == ["F"]


def test_retention_keeps_the_newest_and_never_the_served_one(settings, registry):
    ids = [publish_release(settings, protected_release(good_rows(7.0 + 5 * i)), registry,
                           retention=2).release_id for i in range(4)]
    assert list_releases(settings.serving_dir) == ids[2:]
    assert current_release_id(settings.serving_dir) == ids[3]


def test_retention_from_environment(settings, registry, monkeypatch):
    monkeypatch.setenv("OBS_RELEASE_RETENTION", "1")
    ids = [publish_release(settings, protected_release(good_rows(7.0 + 5 * i)),
                           registry).release_id for i in range(3)]
    # the release CURRENT named while the third was written is kept until the next one
    assert list_releases(settings.serving_dir) == ids[1:]
    assert current_release_id(settings.serving_dir) == ids[2]


def test_small_count_guard_on_derived_values_checks_only_their_count_parts(registry):
    def derived(code: str, numerator: float, denominator: float) -> dict:
        return value_row(code, "_T", "_T", 1.0, unit="percent") | {
            "numerator": numerator, "denominator": denominator}

    rows = protected_release([
        derived("THB_SIGNALLED_CHG_PCT", 3.0, 20.0),   # +3 on 20: a difference, not a count
        derived("THB_SIGNALLED_CHG_PCT", 5.0, 2.0),    # last year's count 2 shown: caught
        derived("THB_SHARE_MINORS", 4.0, 40.0),        # 4 minors shown: caught
        derived("THB_SHARE_FEMALE", 6.0, 40.0),        # 6 of 40: fine
        derived("THB_SIGNALLED_RATE", 30.0, 144401.0),  # population denominator: fine
    ]).indicator_values
    small = unprotected_small_counts(rows, registry)
    assert sorted(zip(small["indicator"], small["numerator"], strict=True)) == [
        ("THB_SHARE_MINORS", 4.0), ("THB_SIGNALLED_CHG_PCT", 5.0)]


def test_year_to_date_values_sharing_their_start_are_not_mistaken_for_revisions(settings,
                                                                                registry):
    def ytd(end_month: int, value: float) -> dict:
        row = value_row("EEA_TRAINING_SESSIONS", "_T", "_T", value, grain="ytd",
                        period=date(2024, 1, 1), unit="sessions")
        return row | {"period_end": date(2024, end_month, 28),
                      "period_label": f"2024-01..2024-{end_month:02d}"}

    rows = [ytd(1, 4.0), ytd(2, 9.0), ytd(3, 12.0)]
    publish_release(settings, protected_release(rows), registry, retention=5)
    again = publish_release(settings, protected_release(rows), registry, retention=5)
    assert again.changes["values_changed"] == 0
    flags = _query(again.path, "SELECT flags FROM published.indicator_values")
    assert [f[0] for f in flags] == ["", "", ""]


def test_release_values_read_the_current_release_and_what_every_retained_one_published(
        settings, registry):
    from indicators.pipeline import (
        current_release_values,
        release_values,
        retained_release_values,
    )

    assert release_values(settings.serving_dir) == (None, [])
    publish_release(settings, protected_release(good_rows(7.0)), registry, retention=5)
    publish_release(settings, protected_release(good_rows(12.0)), registry, retention=5)
    current, known = release_values(settings.serving_dir)
    female = current.filter(pl.col("breakdown_code") == "F")
    assert female.get_column("value").to_list() == [12.0] and "release_id" not in current.columns
    # oldest first: what a reader who kept both releases holds
    assert [k.filter(pl.col("breakdown_code") == "F").get_column("value").to_list()
            for k in known] == [[7.0], [12.0]]
    assert current_release_values(settings.serving_dir).equals(current)
    assert all(a.equals(b) for a, b in zip(retained_release_values(settings.serving_dir),
                                            known, strict=True))
