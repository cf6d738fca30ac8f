"""What changed between releases, as each audience reads it: the public files (API, bulk zip)
count only the values the public may read. Before, a public reader of the first demo release
read "10 640 values added" in release_history.csv beside 8 703 rows in indicator_values.csv:
the counts and summaries took in the donor-only EEA results indicators."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import duckdb
import polars as pl
import pytest

from indicators.open_data.bulk import bulk_zip
from indicators.open_data.tables import history_for, read_table, release_info
from indicators.publish import publish_release
from indicators.registry import load_registry
from tests.orchestration.helpers import good_rows, protected_release, value_row

PUBLIC = frozenset({"public"})
DONOR = frozenset({"public", "donor"})
ANALYST = frozenset({"public", "donor", "analyst"})


def _sessions(values: dict[str, float]) -> list[dict]:
    """EEA_TRAINING_SESSIONS (a donor-only indicator) by audience category."""
    return [value_row("EEA_TRAINING_SESSIONS", "audience" if code != "_T" else "_T", code,
                      value, unit="sessions") for code, value in values.items()]


@pytest.fixture
def two_releases(settings):
    registry = load_registry()
    # first: 5 public values (THB_SIGNALLED) and 2 donor-only values
    publish_release(settings, protected_release(good_rows(7.0) + _sessions(
        {"_T": 10.0, "police": 6.0})), registry, retention=5)
    # second: THB F 7 -> 12 and its total (2 public values changed, by k = 5 persons: a
    # smaller revision is refused); sessions 10 -> 11 (1 donor value changed) and a new
    # category (1 donor value added)
    return publish_release(settings, protected_release(good_rows(12.0) + _sessions(
        {"_T": 11.0, "police": 6.0, "health": 5.0})), registry, retention=5)


def _con(path):
    return duckdb.connect(str(path), read_only=True)


def test_release_info_counts_only_the_values_the_audience_reads(two_releases):
    con = _con(two_releases.path)
    try:
        public = release_info(con, "published", PUBLIC)["changes"]
        donor = release_info(con, "published", DONOR)["changes"]
        analyst = release_info(con, "published", ANALYST)["changes"]
    finally:
        con.close()
    assert (public["values_changed"], public["values_added"]) == (2, 0)
    assert public["indicators_changed"] == ["THB_SIGNALLED"]
    assert "2 values changed, 0 added" in public["summary_en"]
    assert "2 valores alterados, 0 acrescentados" in public["summary_pt"]
    assert (donor["values_changed"], donor["values_added"]) == (3, 1)
    assert donor["indicators_changed"] == ["EEA_TRAINING_SESSIONS", "THB_SIGNALLED"]
    assert "3 values changed, 1 added" in donor["summary_en"]
    assert (analyst["values_changed"], analyst["values_added"]) == (3, 1)
    assert "by_audience" not in public


def test_release_history_has_each_audiences_own_counts(two_releases):
    con = _con(two_releases.path)
    try:
        public = read_table(con, "published", "release_history", PUBLIC)
        donor = read_table(con, "published", "release_history", DONOR)
    finally:
        con.close()
    # first release: every value added (5 public, 7 with the donor's); second: the public's
    # 2 changed, the donor's 3 changed and 1 added
    counts = ["values_added", "values_changed", "values_removed"]
    assert public.select(counts).rows() == [(5, 0, 0), (0, 2, 0)]
    assert donor.select(counts).rows() == [(7, 0, 0), (1, 3, 0)]
    assert "audience" not in public.columns


def test_the_public_zip_agrees_with_its_own_indicator_values(two_releases):
    con = _con(two_releases.path)
    try:
        archive = zipfile.ZipFile(io.BytesIO(bulk_zip(con, "published", PUBLIC)))
    finally:
        con.close()

    def rows(name: str) -> list[dict]:
        entry = f"otsh_{two_releases.release_id}/tables/{name}.csv"
        return list(csv.DictReader(io.StringIO(archive.read(entry).decode())))

    values = rows("indicator_values")
    assert {r["indicator"] for r in values} == {"THB_SIGNALLED"}
    first, second = rows("release_history")
    assert int(first["values_added"]) == len(values)  # all added in the first release
    assert (first["values_changed"], second["values_changed"]) == ("0", "2")
    changes = json.loads(rows("release_info")[0]["changes"])
    assert changes["values_changed"] == 2 and "EEA" not in json.dumps(changes)


def test_history_of_an_older_release_format_is_the_analysts_only():
    """Rows written before the audience column existed counted every value."""
    old = pl.DataFrame({"release_id": ["R1"], "values_changed": [12]})
    assert history_for(old, "analyst").height == 1
    assert history_for(old, "public").height == 0
    assert history_for(old, "donor").height == 0


def test_history_rows_without_the_separate_counts_still_read():
    """A history written with the audience column but one count column reads with the
    others empty (the count of values now confidential too)."""
    rows = pl.DataFrame({"release_id": ["R1"], "created_at": [None], "summary_en": ["x"],
                         "summary_pt": ["x"], "values_changed": [3], "audience": ["public"]})
    out = history_for(rows, "public")
    assert out.columns[-4:] == ["values_added", "values_changed", "values_hidden",
                                "values_removed"]
    assert out.row(0)[-4:] == (None, 3, None, None)


def test_summaries_say_returns_in_the_singular_and_the_plural():
    """A reviewer read "1 declarações novas e 3 revistas" (plural for one, and "declaração"
    where every page says "reporte")."""
    from indicators.publish import _summaries

    en, pt = _summaries({"returns_added": 1, "returns_revised": 3, "values_changed": 1,
                         "values_added": 0, "values_removed": 2}, "R1")
    assert pt == ("Desde R1: 1 reporte novo e 3 revistos; 1 valor alterado, 0 acrescentados, "
                  "2 retirados.")
    assert en == "Since R1: 1 new return and 3 revised; 1 value changed, 0 added, 2 removed."
