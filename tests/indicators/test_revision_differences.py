"""Small revisions between releases are a disclosure: a reader who kept an earlier release
subtracts, and a count revised by 1..k-1 persons tells of a small group (a reviewer found
Lisboa 2022 77 -> 80, women +3, Brazilian citizens +3, ... after one late return). The
outsider's check (indicators.revision_differences) finds them; the publication gate and
``audit-release`` refuse them (the protection hiding them:
tests/indicators/disclosure/test_protection_levels.py, tests/orchestration/test_assets.py)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from indicators.publish import PublishRefused, publish_release
from indicators.registry import load_registry
from indicators.release_audit import CellInterval
from indicators.release_files import current_release_id, new_release_id
from indicators.revision_differences import (
    describe,
    reader_knowledge,
    revision_disclosures,
)
from indicators.settings import load_settings
from observatory.cli import main
from tests.orchestration.helpers import good_rows, protected_release


def _values(rows: list[tuple[str, str, float | None]]) -> pl.DataFrame:
    return pl.DataFrame([{"indicator": ind, "grain": "year", "period_label": "2022",
                          "geo": geo, "breakdown": "_T", "breakdown_code": "_T", "value": v}
                         for ind, geo, v in rows],
                        schema={"indicator": pl.String, "grain": pl.String,
                                "period_label": pl.String, "geo": pl.String,
                                "breakdown": pl.String, "breakdown_code": pl.String,
                                "value": pl.Float64})


def _found(new: pl.DataFrame, earlier: list[pl.DataFrame],
           hidden: list[CellInterval] = ()) -> pl.DataFrame:
    """What the gate refuses in ``new`` (its published values and hidden intervals)."""
    return revision_disclosures(reader_knowledge(new, list(hidden)), earlier, load_registry())


def test_only_counts_revised_by_one_to_k_minus_one_persons_are_listed():
    old = _values([("THB_SIGNALLED", "PT-11", 77), ("THB_SIGNALLED", "PT-13", 31),
                   ("THB_SIGNALLED", "PT-08", 12), ("THB_SIGNALLED", "PT-02", 40),
                   ("THB_SIGNALLED", "PT-03", 20), ("THB_SIGNALLED", "PT-04", 9),
                   ("EEA_TRAINING_SESSIONS", "PT", 10)])
    new = _values([("THB_SIGNALLED", "PT-11", 80),    # +3: listed
                   ("THB_SIGNALLED", "PT-13", 29),    # -2: listed
                   ("THB_SIGNALLED", "PT-08", 12),    # unchanged
                   ("THB_SIGNALLED", "PT-02", 45),    # +5 = k: a group of five
                   ("THB_SIGNALLED", "PT-03", None),  # hidden now: nothing to subtract
                   ("THB_SIGNALLED", "PT-05", 7),     # new key: nothing earlier
                   ("EEA_TRAINING_SESSIONS", "PT", 12)])  # no small-cell rule: sessions
    found = _found(new, [old])
    assert found.select("geo", "earlier_low", "low").rows() == [
        ("PT-11", 77.0, 80.0), ("PT-13", 31.0, 29.0)]


def test_every_earlier_release_counts():
    first = _values([("THB_SIGNALLED", "PT-11", 70)])
    second = _values([("THB_SIGNALLED", "PT-11", 78)])
    new = _values([("THB_SIGNALLED", "PT-11", 80)])
    assert _found(new, [first, second]).select("earlier_low", "low").rows() == [(78.0, 80.0)]
    assert _found(new, [second, first]).height == 1
    assert _found(new, []).is_empty()


def test_the_gate_refuses_a_release_showing_a_revision_of_one_person(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OBS_DATA_DIR", str(tmp_path / "data"))
    settings = load_settings().ensure_dirs()
    registry = load_registry()
    first = publish_release(settings, protected_release(good_rows(7.0)), registry, retention=5)
    # a late return adds one woman: F 7 -> 8 and the total 19 -> 20
    with pytest.raises(PublishRefused) as refused:
        publish_release(settings, protected_release(good_rows(8.0)), registry, retention=5)
    assert "counts revised by fewer persons than the threshold" in str(refused.value)
    assert current_release_id(settings.serving_dir) == first.release_id


def test_audit_release_fails_on_the_small_revisions_against_the_kept_releases(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """A release written elsewhere (the gate refuses it here) and put beside an earlier one:
    ``audit-release`` lists what a reader subtracts and exits 1."""
    registry = load_registry()
    monkeypatch.setenv("OBS_DATA_DIR", str(tmp_path / "other"))
    elsewhere = publish_release(load_settings().ensure_dirs(),
                                protected_release(good_rows(8.0)), registry, retention=5)
    monkeypatch.setenv("OBS_DATA_DIR", str(tmp_path / "data"))
    settings = load_settings().ensure_dirs()
    first = publish_release(settings, protected_release(good_rows(7.0)), registry,
                            retention=5, release_id=new_release_id(datetime(2024, 4, 1,
                                                                            tzinfo=UTC)))
    later = settings.serving_dir / f"{elsewhere.release_id}.duckdb"
    assert first.release_id < elsewhere.release_id
    shutil.copyfile(elsewhere.path, later)
    assert main(["audit-release", str(later)]) == 1
    out = capsys.readouterr().out
    assert "2 counts revised, against an earlier release, by fewer persons" in out
    assert "REVISION THB_SIGNALLED month 2024-03 PT sex=F: 7 -> 8" in out
    assert "REVISION THB_SIGNALLED month 2024-03 PT _T=_T: 19 -> 20" in out


def test_a_hidden_count_confined_to_a_few_persons_above_its_old_value_is_found():
    """Hidden now, but the reader's interval [78, 81] lies within 1 .. 4 above the 77 an
    earlier release published: the revision added 1 to 4 persons."""
    key = ("THB_SIGNALLED", "year", "2022", "PT-11", "_T", "_T")
    old = _values([("THB_SIGNALLED", "PT-11", 77)])
    hidden = _values([("THB_SIGNALLED", "PT-11", None)])
    assert _found(hidden, [old], [CellInterval(key, 78, 81, "")]).height == 1
    assert _found(hidden, [old], [CellInterval(key, 73, 76, "")]).height == 1
    assert _found(hidden, [old], [CellInterval(key, 77, 81, "")]).is_empty()
    assert _found(hidden, [old], [CellInterval(key, 78, 82, "")]).is_empty()
    # LP bounds are rounded inwards to whole persons: [77.5, 81.2] is [78, 81]
    assert _found(hidden, [old], [CellInterval(key, 77.5, 81.2, "")]).height == 1


def test_a_count_published_just_above_what_an_earlier_release_hid_is_found():
    """An earlier release hid the count, the reader proved it in [9, 14]; 16 published now
    tells that 2 to 7 persons were added (not refused), 15 would tell 1 to 6 (not refused),
    but after [12, 14] a 16 tells 2 to 4 (refused)."""
    new = _values([("THB_SIGNALLED", "PT-08", 16)])
    earlier = pl.DataFrame([{"indicator": "THB_SIGNALLED", "grain": "year",
                             "period_label": "2022", "geo": "PT-08", "breakdown": "_T",
                             "breakdown_code": "_T", "low": 9.0, "high": 14.0}])
    assert _found(new, [earlier]).is_empty()
    narrow = earlier.with_columns(low=pl.lit(12.0))
    assert _found(new, [narrow]).select("earlier_low", "earlier_high", "low").rows() == [
        (12.0, 14.0, 16.0)]
    assert describe(_found(new, [narrow])) == [
        "THB_SIGNALLED year 2022 PT-08 _T=_T: [12, 14] -> 16"]


def test_a_value_equal_to_one_published_before_is_no_revision():
    """70 (R1), 73 (R2, already a revision), 73 now: the reader holds R2, nothing new."""
    first = _values([("THB_SIGNALLED", "PT-11", 70)])
    second = _values([("THB_SIGNALLED", "PT-11", 73)])
    new = _values([("THB_SIGNALLED", "PT-11", 73)])
    assert _found(new, [first, second]).is_empty()


def test_the_first_release_has_nothing_to_subtract(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]):
    monkeypatch.setenv("OBS_DATA_DIR", str(tmp_path / "data"))
    settings = load_settings().ensure_dirs()
    first = publish_release(settings, protected_release(good_rows(7.0)), load_registry(),
                            retention=5)
    assert main(["audit-release", str(first.path)]) == 0
    assert "0 counts revised" in capsys.readouterr().out


def test_a_cut_list_says_how_many_more():
    """The refresh's warning listed 5 of 46 revisions and audit-release 40 of 46, silently."""
    old = _values([("THB_SIGNALLED", f"PT-{n:02d}", 20) for n in range(1, 8)])
    new = _values([("THB_SIGNALLED", f"PT-{n:02d}", 21) for n in range(1, 8)])
    lines = describe(_found(new, [old]), 5)
    assert len(lines) == 6 and lines[-1] == "… e mais 2 / and 2 more"
