"""EEA Grants results: achieved to date, % of target, status on the linear path (edges)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl
import pytest

from indicators.eea_results import (
    ACHIEVED,
    AT_RISK,
    NOT_ACHIEVED,
    ON_TRACK,
    expected_to_date,
    months_between,
    parse_period,
    path_fraction,
    period_results,
    reporting_periods,
    results_table,
    status,
)
from indicators.registry import Target, load_registry

TARGET = Target(baseline_value=0, baseline_year=2020, target_value=120, target_year=2024)
START = date(2021, 1, 1)


def test_months_and_path_fraction() -> None:
    assert months_between(date(2021, 1, 1), date(2021, 1, 1)) == 1
    assert months_between(date(2021, 1, 1), date(2024, 12, 1)) == 48
    assert months_between(date(2021, 3, 1), date(2021, 1, 1)) == 0
    assert path_fraction(START, date(2022, 12, 1), 2024) == pytest.approx(0.5)
    assert path_fraction(START, date(2026, 6, 1), 2024) == 1.0   # capped after the target


def test_expected_on_the_linear_path() -> None:
    # halfway (24 of 48 months): 0 + (120 - 0) x 0.5 = 60
    assert expected_to_date(TARGET, START, date(2022, 12, 1)) == pytest.approx(60)
    with_baseline = replace(TARGET, baseline_value=20)
    assert expected_to_date(with_baseline, START, date(2022, 12, 1)) == pytest.approx(70)


def test_status_edges() -> None:
    expected, tol = 60.0, 0.10
    assert status(120, expected, 120, tol) == ACHIEVED           # exactly the target
    assert status(119.9, 140, 120, tol) == AT_RISK               # 119.9 < 140 x 0.9 = 126
    assert status(60, expected, 120, tol) == ON_TRACK            # exactly on the path
    assert status(54, expected, 120, tol) == ON_TRACK            # exactly 10 % below
    assert status(53.99, expected, 120, tol) == AT_RISK          # just below the tolerance
    assert status(None, expected, 120, tol) is None              # suppressed / unavailable
    assert status(59.99, expected, 120, 0.0) == AT_RISK          # no tolerance


def values(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"indicator": pl.String, "grain": pl.String,
                                      "period_label": pl.String, "geo": pl.String,
                                      "breakdown": pl.String, "breakdown_code": pl.String,
                                      "value": pl.Float64, "flags": pl.String}, orient="row")


def test_results_table_sums_whole_years_and_months() -> None:
    registry = load_registry()   # start 2021-01, tolerance 0.10, migrants target 120 in 2024
    code = "EEA_MIGRANTS_ASSISTED"
    rows = [(code, "year", "2021", "PT", "_T", "_T", 20.0, ""),
            (code, "year", "2022", "PT", "_T", "_T", 30.0, ""),
            (code, "month", "2023-01", "PT", "_T", "_T", 4.0, ""),
            (code, "month", "2023-02", "PT", "_T", "_T", 6.0, "p"),
            (code, "month", "2023-03", "PT", "_T", "_T", 1.0, ""),     # beyond as_of
            (code, "year", "2021", "PT", "sex", "F", 15.0, ""),
            (code, "year", "2022", "PT", "sex", "F", 10.0, ""),
            (code, "month", "2023-01", "PT", "sex", "F", None, "c"),
            (code, "month", "2023-02", "PT", "sex", "F", 5.0, "")]
    out = results_table(values(rows), registry, date(2023, 2, 1))
    total = out.filter((pl.col("indicator") == code) & (pl.col("breakdown") == "_T")).row(
        0, named=True)
    assert total["achieved"] == 60                      # 20 + 30 + 4 + 6
    assert total["pct_of_target"] == pytest.approx(50.0)
    # 26 of 48 months: E = 120 x 26 / 48 = 65; 60 >= 65 x 0.9 = 58.5 -> on track
    assert total["expected_to_date"] == pytest.approx(65.0)
    assert total["status"] == ON_TRACK
    assert total["flags"] == "p"
    assert total["illustrative_target"] is True
    women = out.filter((pl.col("indicator") == code) & (pl.col("breakdown_code") == "F")).row(
        0, named=True)
    assert (women["achieved"], women["status"], women["flags"]) == (None, None, "c")


def test_results_table_missing_months_are_not_available() -> None:
    registry = load_registry()
    code = "EEA_TRAINING_SESSIONS"
    rows = [(code, "month", "2021-01", "PT", "_T", "_T", 3.0, "")]
    out = results_table(values(rows), registry, date(2021, 2, 1))
    total = out.filter(pl.col("indicator") == code).row(0, named=True)
    assert (total["achieved"], total["flags"], total["status"]) == (None, ":", None)


def test_a_suppressed_month_does_not_hide_achieved_when_year_to_date_is_published() -> None:
    registry = load_registry()
    code = "EEA_VICTIMS_SUPPORTED"
    rows = [(code, "year", "2021", "PT", "_T", "_T", 40.0, ""),
            (code, "month", "2022-01", "PT", "_T", "_T", None, "c"),   # suppressed month
            (code, "month", "2022-02", "PT", "_T", "_T", 9.0, ""),
            (code, "ytd", "2022-01..2022-02", "PT", "_T", "_T", 12.0, "")]
    out = results_table(values(rows), registry, date(2022, 2, 1))
    total = out.filter(pl.col("indicator") == code).row(0, named=True)
    assert (total["achieved"], total["flags"]) == (52.0, "")            # 40 + 12


def test_reporting_periods_are_years_and_interim_periods_up_to_the_last_complete_month() -> None:
    registry = load_registry()   # start 2021-01; interim periods Jan-Apr, May-Aug, Sep-Dec
    periods = reporting_periods(registry, date(2022, 10, 1))
    assert [p.code for p in periods] == ["2021-P1", "2021-P2", "2021-P3", "2021", "2022-P1",
                                         "2022-P2"]
    p = parse_period("2022-P2", registry)
    assert (p.kind, p.start, p.end) == ("interim", date(2022, 5, 1), date(2022, 8, 1))
    assert parse_period("2022", registry).kind == "year"
    assert parse_period("2022-P4", registry) is None and parse_period("to-date", registry) is None


def test_period_results_give_the_period_beside_the_cumulative_value_and_the_sex_split() -> None:
    registry = load_registry()   # victims supported: target 600 in 2024
    code = "EEA_VICTIMS_SUPPORTED"
    rows = [(code, "year", "2021", "PT", "_T", "_T", 100.0, ""),
            (code, "year", "2022", "PT", "_T", "_T", 150.0, ""),
            (code, "year", "2021", "PT", "sex", "F", 90.0, ""),
            (code, "year", "2022", "PT", "sex", "F", 120.0, ""),
            (code, "year", "2021", "PT", "sex", "M", 10.0, ""),
            (code, "year", "2022", "PT", "sex", "M", None, "c")]
    out = period_results(values(rows), registry, parse_period("2022", registry))
    by = {r["breakdown_code"]: r for r in out.filter(pl.col("indicator") == code).to_dicts()}
    assert (by["_T"]["achieved_period"], by["_T"]["achieved"]) == (150.0, 250.0)
    assert by["_T"]["pct_of_target"] == pytest.approx(250 / 600 * 100)
    # 24 of 48 months: expected 300; 250 < 300 x 0.9 = 270 -> at risk (target year not over)
    assert (by["_T"]["expected"], by["_T"]["status"]) == (pytest.approx(300.0), AT_RISK)
    assert (by["F"]["achieved_period"], by["F"]["achieved"]) == (120.0, 210.0)
    assert (by["M"]["achieved_period"], by["M"]["period_flags"]) == (None, "c")
    assert (by["M"]["achieved"], by["M"]["flags"]) == (None, "c")
    assert by["F"]["status"] is None and by["F"]["target"] is None


def test_status_is_not_achieved_once_the_target_year_is_over() -> None:
    registry = load_registry()   # training sessions: target 80 in 2024
    code = "EEA_TRAINING_SESSIONS"
    rows = [(code, "year", str(y), "PT", "_T", "_T", 15.0, "") for y in range(2021, 2026)]
    in_2023 = period_results(values(rows), registry, parse_period("2023", registry)).row(
        0, named=True)
    in_2024 = period_results(values(rows), registry, parse_period("2024", registry)).row(
        0, named=True)
    # 45 by 2023: expected 60, 45 < 54 -> at risk; 60 by December 2024 < 80 -> not achieved
    assert (in_2023["achieved"], in_2023["status"]) == (45.0, AT_RISK)
    assert (in_2024["achieved"], in_2024["status"]) == (60.0, NOT_ACHIEVED)


def test_interim_period_sums_its_own_months() -> None:
    registry = load_registry()
    code = "EEA_TRAINING_SESSIONS"
    rows = [(code, "year", "2021", "PT", "_T", "_T", 12.0, ""),
            *[(code, "month", f"2022-{m:02d}", "PT", "_T", "_T", float(m), "")
              for m in range(1, 9)]]
    r = period_results(values(rows), registry, parse_period("2022-P2", registry)).row(
        0, named=True)
    assert r["achieved_period"] == 5 + 6 + 7 + 8
    assert r["achieved"] == 12 + sum(range(1, 9))
    assert (r["period_start"], r["period_end"]) == (date(2022, 5, 1), date(2022, 8, 31))


def test_every_period_from_series_read_once_and_fractional_values_summed_as_polars_does(
        ) -> None:
    # issue 18: the national series are read once for all periods (``series``); sums of
    # whole counts are made in plain Python, any other value summed by polars as before
    from indicators.eea_results import series_by_indicator

    registry = load_registry()
    code = "EEA_TRAINING_SESSIONS"
    parts = [0.1, 0.2, 0.7, 1e16, 1.0, -1e16, 0.3, 2.5]
    rows = [(code, "year", "2021", "PT", "_T", "_T", 12.0, ""),
            (code, "year", "2021", "PT-11", "_T", "_T", 99.0, ""),  # a district: not summed
            *[(code, "month", f"2022-{m:02d}", "PT", "_T", "_T", v, "")
              for m, v in enumerate(parts, start=1)]]
    frame = values(rows)
    period = parse_period("2022-P2", registry)
    shared = period_results(frame, registry, period, series_by_indicator(frame))
    assert shared.equals(period_results(frame, registry, period))
    r = shared.row(0, named=True)
    assert r["achieved_period"] == pl.Series(parts[4:8]).sum()
    assert r["achieved"] == pl.Series([12.0, *parts]).sum()


def test_a_period_with_hidden_months_is_the_difference_of_its_published_values_to_date(
        ) -> None:
    """A user review: 2023-P3's value in the period showed "c" beside 45 to date at 2023-P2
    and 52 at 2023-P3, so anyone reading the report computed it (7). The period's value is
    now that difference; hidden months it cannot be split into stay hidden."""
    registry = load_registry()
    code = "EEA_TRAINING_SESSIONS"
    hidden = [(code, "month", f"2023-{m:02d}", "PT", "_T", "_T", None, "c")
              for m in (9, 11, 12)]
    rows = [(code, "year", y, "PT", "_T", "_T", v, "") for y, v in (("2021", 10.0),
                                                                  ("2022", 14.0),
                                                                  ("2023", 28.0))] + [
        (code, "ytd", "2023-01..2023-08", "PT", "_T", "_T", 21.0, "p"),
        (code, "month", "2023-10", "PT", "_T", "_T", 0.0, ""), *hidden]
    p3 = period_results(values(rows), registry, parse_period("2023-P3", registry)).row(
        0, named=True)
    p2 = period_results(values(rows), registry, parse_period("2023-P2", registry)).row(
        0, named=True)
    assert (p2["achieved"], p3["achieved"]) == (45.0, 52.0)
    assert p3["achieved_period"] == p3["achieved"] - p2["achieved"] == 7.0
    assert p3["period_flags"] == "p"  # the to-date value at 2023-P2's end is provisional
    assert p2["achieved_period"] is None  # May-Aug: no month, no value to date at April
    # without the value to date before the period, the period's value stays hidden
    no_before = [r for r in rows if r[2] != "2023-01..2023-08"]
    alone = period_results(values(no_before), registry, parse_period("2023-P3", registry)).row(
        0, named=True)
    assert (alone["achieved_period"], alone["period_flags"]) == (None, "c")


def test_a_target_reached_only_after_its_year_says_so() -> None:
    """A user review: a 2024 target first reached in 2025 read "Achieved" in the 2025 report,
    like one met on time, while the 2024 report said "Not achieved". It now reads "achieved
    after the target year"; met by December 2024 stays "achieved"."""
    from indicators.eea_results import ACHIEVED_LATE

    registry = load_registry()   # training sessions: target 80 in 2024
    code = "EEA_TRAINING_SESSIONS"

    def judged(by_year: dict[str, float | None], period: str) -> str | None:
        rows = [(code, "year", y, "PT", "_T", "_T", v, "" if v is not None else "c")
                for y, v in by_year.items()]
        return period_results(values(rows), registry, parse_period(period, registry)).row(
            0, named=True)["status"]

    late = {"2021": 15.0, "2022": 15.0, "2023": 15.0, "2024": 15.0, "2025": 30.0}
    assert judged(late, "2024") == NOT_ACHIEVED         # 60 < 80 in December 2024
    assert judged(late, "2025") == ACHIEVED_LATE        # 90 >= 80, but only in 2025
    on_time = {**late, "2024": 40.0}
    assert judged(on_time, "2024") == ACHIEVED          # 85 >= 80 by December 2024
    assert judged(on_time, "2025") == ACHIEVED
    unknown = {**late, "2024": None, "2025": None}
    assert judged(unknown, "2025") is None              # nothing to judge
