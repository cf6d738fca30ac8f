"""A value exactly half-way between two shown values rounds away from zero, as a reader, a
spreadsheet (ROUND) and the charts' own number format (JavaScript toFixed) do — not to the
even neighbour, which Python's round() and format() pick. Targets such as 80 or 4 make ties
common in the donor results: 321 sessions of a target of 80 is 401.25 %, which a donor checks
as 401.3 %."""

from __future__ import annotations

import polars as pl
import pytest

from dashboards.pages.common import round_as_shown
from indicators.i18n import fmt_number, fmt_pct, fmt_value, round_half_up, t
from indicators.release_reader import ReleaseStore
from indicators.reports import results_table


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (401.25, 1, 401.3), (6.25, 1, 6.3), (0.5, 0, 1.0), (2.5, 0, 3.0), (-2.5, 0, -3.0),
    (2.675, 2, 2.68),  # written 2.675 (stored a hair below): rounded as written
    (401.24, 1, 401.2), (7.0, 1, 7.0)])
def test_ties_round_away_from_zero(value, decimals, expected):
    assert round_half_up(value, decimals) == expected


def test_shown_numbers_round_ties_up_in_both_languages():
    assert fmt_number(401.25, "en", 1) == "401.3"
    assert fmt_number(401.25, "pt", 1) == "401,3"
    assert fmt_pct(12.5, "en") == "13\u00a0%"
    assert fmt_value(6.25, "rate_100k", "pt") == "6,3"
    assert fmt_number(1234.5, "en") == "1,235"


def test_download_values_round_as_shown():
    assert round_as_shown(6.25, "rate_100k") == 6.3
    assert round_as_shown(42.5, "persons") == 43


def test_donor_results_percent_of_target_rounds_a_tie_up(store: ReleaseStore, monkeypatch):
    rel = store.current()
    frame = results_table.data.eea_results(rel)
    tie = frame.with_columns(
        pl.when(pl.col("indicator") == "EEA_TRAINING_SESSIONS")
        .then(pl.lit(401.25)).otherwise(pl.col("pct_of_target")).alias("pct_of_target"))
    monkeypatch.setattr(results_table.data, "eea_results", lambda _rel: tie)
    tbl = results_table.table_for(rel, "2023", "en")
    [row] = [dict(zip(tbl.columns, r, strict=True)) for r in tbl.rows
             if r[-1] == "EEA_TRAINING_SESSIONS"]
    assert row[t("col.pct_target", "en")] == 401.3
