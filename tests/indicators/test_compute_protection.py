"""Published values from protected counts: no small count, suppression propagates to derived
values, non-sensitive outputs published as is, release id and revisions."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from indicators.compute import compute_all, count_values
from indicators.flags import month_status
from indicators.problems import (
    build_problems,
    build_published_values,
    period_code_to_grain,
    protect_all,
)
from indicators.registry import load_registry
from indicators.warehouse import ensure_schema
from tests.indicators.test_compute import (
    add_submission,
    con,  # noqa: F401  (fixture)
    expectations,
    months,
    victim,
)

REGISTRY = load_registry()
SENSITIVE = ("THB_SIGNALLED", "THB_PRESUMED", "THB_CONFIRMED", "THB_NOT_CONFIRMED",
             "EEA_VICTIMS_SUPPORTED", "EEA_MIGRANTS_ASSISTED", "EEA_VICTIMS_INTERVIEWED")


def test_period_codes_of_the_disclosure_library() -> None:
    assert period_code_to_grain("2024-03") == ("month", "2024-03")
    assert period_code_to_grain("2024-Q2") == ("quarter", "2024-Q2")
    assert period_code_to_grain("2024") == ("year", "2024")
    assert period_code_to_grain("2024-03-R12") == ("r12", "2023-04..2024-03")
    assert period_code_to_grain("2024-12-R12") == ("r12", "2024-01..2024-12")
    assert period_code_to_grain("2024-05-YTD") == ("ytd", "2024-01..2024-05")
    assert period_code_to_grain("_T") is None


def load_year(con: duckdb.DuckDBPyConnection, beja_june: int = 33) -> None:  # noqa: F811
    """2024, one partner (OTSH). Beja: 30 presumed in January, ``beja_june`` in June
    (F, 25-34, PT); Lisboa: 2 confirmed in March (small: must never be published);
    Porto: 12 presumed in every month. Support: 7 new cases in each month. Activities:
    2 training sessions in May (not sensitive: published as is)."""
    for i, month in enumerate(months("2024-01", "2024-12")):
        rows = [victim(district="PT-13", count=12)]
        if month == "2024-01":
            rows.append(victim(count=30))
        if month == "2024-06":
            rows.append(victim(count=beja_june))
        if month == "2024-03":
            rows.append(victim(district="PT-11", status="confirmed", count=2))
        add_submission(con, "OTSH", "victims", month, rows)
        add_submission(con, "OTSH", "support", month,
                       [("PT-13", "F" if i % 2 else "M", "25-34", "shelter", "new", 7)])
        add_submission(con, "OTSH", "activities", month,
                       [("PT-11", "training_session", "health", "NA", 2)]
                       if month == "2024-05" else [])


def publish(con: duckdb.DuckDBPyConnection, release: str,  # noqa: F811
            previous: pl.DataFrame | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    compute_all(con, REGISTRY, expectations(("OTSH", "victims"), ("OTSH", "support"),
                                            ("OTSH", "activities"), first="2024-01"))
    protected = protect_all(build_problems(con, REGISTRY))
    status = month_status(con.sql("SELECT * FROM marts.data_quality").pl())
    published = build_published_values(protected.cells, REGISTRY, count_values(con, REGISTRY),
                                       status, release, previous)
    return published, con.sql("SELECT * FROM marts.indicator_values").pl()


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory):
    connection = duckdb.connect(str(tmp_path_factory.mktemp("w") / "w.duckdb"))
    try:
        ensure_schema(connection)
        load_year(connection)
        yield publish(connection, "2025-01")
    finally:
        connection.close()


def test_no_published_count_between_1_and_4(released) -> None:
    published, _ = released
    counts = published.filter(pl.col("indicator").is_in(SENSITIVE))
    assert counts.height > 0
    small = counts.filter(pl.col("value").is_between(1, 4))
    assert small.is_empty(), small


def test_small_cells_are_suppressed_not_zeroed(released) -> None:
    published, internal = released
    key = ["indicator", "grain", "period_label", "geo", "breakdown", "breakdown_code"]
    truth = internal.filter(pl.col("indicator").is_in(SENSITIVE)
                            & pl.col("value").is_between(1, 4)).select(*key)
    assert truth.height > 0
    shown = truth.join(published, on=key, how="left")
    # every small true count is either left out or published as NULL flagged c
    assert shown.filter(pl.col("flags").is_not_null()
                        & ~pl.col("flags").str.contains("c")).is_empty()
    assert shown["value"].null_count() == shown.height
    lisbon = published.filter((pl.col("indicator") == "THB_CONFIRMED")
                              & (pl.col("geo") == "PT-11") & (pl.col("period_label") == "2024")
                              & (pl.col("breakdown") == "_T"))
    assert lisbon["value"].to_list() == [None] and lisbon["flags"].to_list() == ["c"]


def test_published_counts_equal_the_true_counts(released) -> None:
    published, internal = released
    key = ["indicator", "grain", "period_label", "geo", "breakdown", "breakdown_code"]
    both = published.filter(pl.col("value").is_not_null()
                            & pl.col("indicator").is_in([i.code for i in REGISTRY.counts()])
                            ).join(internal, on=key, suffix="_true")
    assert both.height > 0
    assert (both["value"] == both["value_true"]).all()
    porto = published.filter((pl.col("indicator") == "THB_PRESUMED") & (pl.col("geo") == "PT-13")
                             & (pl.col("period_label") == "2024") & (pl.col("breakdown") == "_T"))
    assert porto["value"].to_list() == [144.0]       # 12 x 12, large enough to publish


def test_derived_values_suppressed_with_their_counts(released) -> None:
    published, _ = released
    count = published.filter((pl.col("indicator") == "THB_CONFIRMED") & (pl.col("geo") == "PT-11")
                             & (pl.col("period_label") == "2024") & (pl.col("breakdown") == "_T"))
    rate = published.filter((pl.col("indicator") == "THB_CONFIRMED_RATE")
                            & (pl.col("geo") == "PT-11") & (pl.col("period_label") == "2024")
                            & (pl.col("breakdown") == "_T"))
    assert count["flags"].to_list() == ["c"]
    assert rate["value"].to_list() == [None] and rate["flags"].to_list() == ["c"]
    assert rate["numerator"].to_list() == [None]
    # every derived value computed from a suppressed count is suppressed
    derived = published.filter(pl.col("indicator").is_in([i.code for i in REGISTRY.derived()]))
    hidden_c = derived.filter(pl.col("flags").str.contains("c"))
    assert hidden_c.height > 0 and hidden_c["value"].null_count() == hidden_c.height
    porto_rate = published.filter((pl.col("indicator") == "THB_PRESUMED_RATE")
                                  & (pl.col("geo") == "PT-13") & (pl.col("breakdown") == "_T")
                                  & (pl.col("period_label") == "2024"))
    assert porto_rate["value"][0] == pytest.approx(144 / 1_785_405 * 100_000)


def test_outputs_without_disclosure_rule_are_published_as_is(released) -> None:
    published, _ = released
    sessions = published.filter((pl.col("indicator") == "EEA_TRAINING_SESSIONS")
                                & (pl.col("period_label") == "2024-05")
                                & (pl.col("breakdown") == "_T"))
    assert sessions["value"].to_list() == [2.0] and sessions["flags"].to_list() == [""]


def test_every_value_carries_the_release(released) -> None:
    published, _ = released
    assert published["release_id"].unique().to_list() == ["2025-01"]


def test_revised_values_are_flagged_in_the_next_release(con) -> None:  # noqa: F811
    load_year(con)
    first, _ = publish(con, "R1")
    add_submission(con, "OTSH", "victims", "2024-06",
                   [victim(district="PT-13", count=12), victim(count=40)], supersede=True)
    second, _ = publish(con, "R2", previous=first)
    june = second.filter((pl.col("indicator") == "THB_SIGNALLED") & (pl.col("geo") == "PT")
                         & (pl.col("period_label") == "2024-06") & (pl.col("breakdown") == "_T"))
    assert june["value"].to_list() == [52.0] and june["flags"].to_list() == ["r"]
    porto = second.filter((pl.col("indicator") == "THB_PRESUMED") & (pl.col("geo") == "PT-13")
                          & (pl.col("period_label") == "2024") & (pl.col("breakdown") == "_T"))
    assert porto["flags"].to_list() == [""]


def test_rolling_windows_only_from_published_months() -> None:
    from datetime import date

    from indicators.derived_values import VALUE_SCHEMA
    from indicators.problems import rolling_from_published

    def month_row(y: int, m: int, value: float | None) -> dict:
        return {"indicator": "THB_PRESUMED", "grain": "month", "period": date(y, m, 1),
                "period_end": date(y, m, 28), "period_label": f"{y}-{m:02d}", "geo": "PT",
                "breakdown": "_T", "breakdown_code": "_T", "value": value, "numerator": None,
                "denominator": None, "unit": "persons", "flags": "" if value is not None
                else "c"}

    # 2024-01..2025-01: every month 10 except 2024-03 hidden; the year 2024 published (130)
    published = [month_row(2024, m, None if m == 3 else 10.0) for m in range(1, 13)]
    published.append(month_row(2025, 1, 10.0))
    published.append({**month_row(2024, 1, 130.0), "grain": "year", "period_label": "2024"})
    pub = pl.DataFrame(published, schema=VALUE_SCHEMA)

    def window(start: date, end: date, label: str) -> dict:
        return {**month_row(start.year, start.month, 999.0), "grain": "r12",
                "period": start, "period_end": end, "period_label": label}

    r12 = pl.DataFrame([
        window(date(2024, 1, 1), date(2024, 12, 31), "2024-01..2024-12"),   # = the year
        window(date(2024, 2, 1), date(2025, 1, 31), "2024-02..2025-01"),   # has 2024-03
        window(date(2024, 4, 1), date(2025, 3, 31), "2024-04..2025-03"),   # months missing
    ], schema=VALUE_SCHEMA)
    out = rolling_from_published(r12, pub)
    assert out["value"].to_list() == [130.0, None, None]
    assert out["flags"].to_list() == ["", "c", "c"]
    assert 999.0 not in out["value"].to_list()     # the true value never leaks through


def test_a_hidden_cell_whose_count_was_revised_is_protected_afresh(con) -> None:  # noqa: F811
    """Cells hidden in the last release stay hidden while their count is unchanged; one whose
    count a revision changed is protected afresh. (Matching the last release on the key
    alone made a monthly refresh fail with 'shared cells did not converge'.)"""
    load_year(con)
    compute_all(con, REGISTRY, expectations(("OTSH", "victims"), ("OTSH", "support"),
                                            ("OTSH", "activities"), first="2024-01"))
    problems = build_problems(con, REGISTRY)
    first = protect_all(problems).cells
    march = ((pl.col("indicator") == "THB_SIGNALLED") & (pl.col("grain") == "month")
             & (pl.col("period_label") == "2024-03") & (pl.col("geo") == "PT")
             & (pl.col("breakdown") == "_T"))
    assert first.filter(march)["status"].to_list() == ["published"]
    # as if the last release had hidden March with another count (before a revision)
    previous = first.with_columns(
        status=pl.when(march).then(pl.lit("secondary")).otherwise(pl.col("status")),
        count=pl.when(march).then(pl.col("count") + 3).otherwise(pl.col("count")))
    again = protect_all(problems, previous=previous).cells
    assert again.filter(march)["status"].to_list() == ["published"]
    # and with the same count it stays hidden (stable suppression)
    same = first.with_columns(
        status=pl.when(march).then(pl.lit("secondary")).otherwise(pl.col("status")))
    assert protect_all(problems, previous=same).cells.filter(march)["status"].to_list() \
        != ["published"]
